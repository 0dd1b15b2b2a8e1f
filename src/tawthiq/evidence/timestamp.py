"""RFC 3161 trusted timestamps: asked for online, checked offline.

A timestamp token is a timestamp authority's signature over a hash of some
bytes and the time it saw them. For a package the bytes are the bag's
``manifest-sha256.txt``, which names every payload file by its SHA-256, so
one token dates every file in the bag: later changes to any file change the
manifest, and the token no longer matches it.

Asking needs the network (the one configured TSA, only when asked);
checking needs only the token, the message and the TSA's certificate chain.
"""
from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from cryptography import x509

MAX_RESPONSE = 1024 * 1024  # a timestamp reply is a few kilobytes; more is not a reply
QUERY_TYPE = "application/timestamp-query"


class TimestampError(Exception):
    """Asking for, or checking, a timestamp failed; the message is one line for the operator."""


@dataclass(frozen=True, slots=True)
class Timestamp:
    """A granted token and the request it answers (kept: the nonce ties the two)."""

    request: bytes  # DER TimeStampReq
    response: bytes  # DER TimeStampResp, as the TSA sent it
    nonce: int
    gen_time: datetime


@dataclass(frozen=True, slots=True)
class TimestampCheck:
    """What a token that checked out says."""

    gen_time: datetime
    tsa: str  # the signing certificate's subject
    serial: int


def request_timestamp(message: bytes, *, url: str, timeout: float = 30.0) -> Timestamp:
    """Ask the TSA at ``url`` for a token over SHA-256(``message``), with a fresh nonce and its certificate."""
    from rfc3161_client import HashAlgorithm, TimestampRequestBuilder

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TimestampError(f"timestamp authority URL must be http:// or https://, not {url[:80]!r}")
    request = (TimestampRequestBuilder().data(message).hash_algorithm(HashAlgorithm.SHA256)
               .nonce(nonce=True).cert_request(cert_request=True).build())
    body = request.as_bytes()
    http = urllib.request.Request(url, data=body, method="POST",
                                  headers={"Content-Type": QUERY_TYPE, "Accept": "application/timestamp-reply"})
    try:
        with urllib.request.urlopen(http, timeout=timeout) as reply:  # noqa: S310 - scheme checked above
            raw = reply.read(MAX_RESPONSE + 1)
    except urllib.error.HTTPError as exc:
        raise TimestampError(f"timestamp authority answered HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TimestampError(f"cannot reach timestamp authority {parts.netloc}: {reason}") from None
    if len(raw) > MAX_RESPONSE:
        raise TimestampError("timestamp authority sent more than a timestamp reply")
    response = _decode(raw)
    _check_granted(response)
    info = response.tst_info
    if info.nonce != request.nonce:
        raise TimestampError("timestamp reply carries another request's nonce")
    if info.message_imprint.message != hashlib.sha256(message).digest():
        raise TimestampError("timestamp reply is over other bytes than the ones sent")
    return Timestamp(request=body, response=raw, nonce=int(request.nonce), gen_time=info.gen_time)


def load_certificates(pem: bytes) -> list[x509.Certificate]:
    """Every certificate in a PEM file (a TSA certificate, its chain, or both)."""
    try:
        certs = x509.load_pem_x509_certificates(pem)
    except ValueError:
        raise TimestampError("not a PEM certificate file") from None
    if not certs:
        raise TimestampError("no certificate in the PEM file")
    return certs


def verify_timestamp(response: bytes, *, message: bytes, nonce: int | None,
                     certificates: list[x509.Certificate]) -> TimestampCheck:
    """Check a token offline: status granted, nonce, message imprint, and a signature chaining to ``certificates``.

    Self-signed certificates among ``certificates`` are the trust roots (all of
    them when none is self-signed, e.g. a TSA certificate given on its own);
    the rest may complete the chain. The TSA's certificate must carry the
    critical id-kp-timeStamping usage (RFC 3161 §2.3).
    """
    from rfc3161_client import VerificationError, VerifierBuilder

    if not certificates:
        raise TimestampError("no TSA certificate to check the timestamp against")
    token = _decode(response)
    _check_granted(token)
    roots = [c for c in certificates if c.issuer == c.subject] or list(certificates)
    builder = VerifierBuilder()
    for cert in roots:
        builder = builder.add_root_certificate(cert)
    for cert in certificates:
        if cert not in roots:
            builder = builder.add_intermediate_certificate(cert)
    if not token.signed_data.certificates:
        # A token without its signer's certificate: the signer must be in the given chain.
        signers = [c for c in certificates if _is_tsa(c)]
        if not signers:
            raise TimestampError("the token carries no certificate and none given is a TSA certificate")
        builder = builder.tsa_certificate(signers[0])
    if nonce is not None:
        builder = builder.nonce(nonce)
    try:
        builder.build().verify_message(token, message)
    except VerificationError as exc:
        raise TimestampError(f"timestamp does not verify: {_one_line(exc)}") from None
    except ValueError as exc:
        raise TimestampError(f"timestamp cannot be checked: {_one_line(exc)}") from None
    signer = _signer(token)
    return TimestampCheck(gen_time=token.tst_info.gen_time, serial=int(token.tst_info.serial_number),
                          tsa=signer.subject.rfc4514_string() if signer is not None else "")


def _decode(raw: bytes):  # -> rfc3161_client.TimeStampResponse
    from rfc3161_client import decode_timestamp_response

    try:
        return decode_timestamp_response(raw)
    except (ValueError, TypeError) as exc:
        raise TimestampError(f"not an RFC 3161 timestamp reply ({_one_line(exc)})") from None


def _check_granted(response) -> None:  # noqa: ANN001 - rfc3161_client.TimeStampResponse
    from rfc3161_client import PKIStatus

    # GRANTED_WITH_MODS is refused too: a token the TSA altered is not the one asked for.
    if response.status != PKIStatus.GRANTED:
        text = "; ".join(response.status_string or [])[:200]
        raise TimestampError(f"timestamp authority did not grant the request (status {response.status}"
                             f"{': ' + text if text else ''})")


def _is_tsa(cert: x509.Certificate) -> bool:
    try:
        usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return x509.ExtendedKeyUsageOID.TIME_STAMPING in usage


def _signer(token) -> x509.Certificate | None:  # noqa: ANN001
    infos = list(token.signed_data.signer_infos)
    for der in token.signed_data.certificates:
        cert = x509.load_der_x509_certificate(der)
        if infos and cert.issuer == infos[0].issuer and cert.serial_number == infos[0].serial_number:
            return cert
    return None


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else type(exc).__name__
