"""The TLS facts of a capture: who the server proved to be, and how the connection was protected.

The peer certificate is kept even when verification was skipped
(``--insecure``): then it is the only record of which key answered, and the
capture says it was not verified rather than hiding it.
"""
from __future__ import annotations

import base64
import hashlib
import ssl
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization


@dataclass(slots=True)
class TlsInfo:
    """The negotiated protocol and the server's certificate (DER, and its details as text)."""

    version: str
    cipher: str
    cipher_bits: int
    verified: bool
    der: bytes = b""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def pem(self) -> str:
        return ssl.DER_cert_to_PEM_cert(self.der) if self.der else ""

    @property
    def spki_sha256_b64(self) -> str:
        """Base64 SHA-256 of the public key (SPKI): what chromium's certificate pinning flag takes."""
        return str(self.details.get("spki_sha256_base64", ""))

    def as_metadata(self) -> dict[str, Any]:
        return {"version": self.version, "cipher": self.cipher, "cipher_bits": self.cipher_bits,
                "verified": self.verified, "certificate": self.details}


def tls_info(sock: ssl.SSLSocket, *, verified: bool) -> TlsInfo:
    cipher = sock.cipher() or ("", "", 0)
    der = sock.getpeercert(binary_form=True) or b""
    return TlsInfo(version=sock.version() or "", cipher=cipher[0], cipher_bits=int(cipher[2] or 0),
                   verified=verified, der=der, details=certificate_details(der) if der else {})


def certificate_details(der: bytes) -> dict[str, Any]:
    """Subject, issuer, serial, validity, SHA-256 fingerprint and names of a DER certificate.

    A certificate ``cryptography`` cannot parse is still fingerprinted: the
    bytes are kept as the certificate derivative either way.
    """
    details: dict[str, Any] = {"sha256_fingerprint": _colons(hashlib.sha256(der).hexdigest())}
    try:
        cert = x509.load_der_x509_certificate(der)
        spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                              serialization.PublicFormat.SubjectPublicKeyInfo)
    except Exception as error:  # noqa: BLE001 - a hostile server's certificate must not stop the capture
        details["parse_error"] = f"{type(error).__name__}: {str(error)[:200]}"
        return details
    details.update({
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "serial": format(cert.serial_number, "x"),
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "subject_alt_names": _sans(cert),
        "spki_sha256_base64": base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii"),
    })
    return details


def _sans(cert: x509.Certificate) -> list[str]:
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    except Exception:  # noqa: BLE001 - a malformed extension: say nothing rather than fail the capture
        return []
    out = [f"DNS:{name}" for name in names.get_values_for_type(x509.DNSName)]
    out += [f"IP:{address}" for address in names.get_values_for_type(x509.IPAddress)]
    return out


def _colons(hexdigest: str) -> str:
    return ":".join(hexdigest[i:i + 2] for i in range(0, len(hexdigest), 2)).upper()
