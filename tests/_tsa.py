"""A timestamp authority on 127.0.0.1 for tests: a CA, a TSA certificate, and `openssl ts -reply` behind HTTP.

Tests never touch the internet; this is the "local TSA" the issue asks for.
"""
from __future__ import annotations

import datetime as dt
import http.server
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OPENSSL = "/usr/bin/openssl"


@dataclass(frozen=True)
class LocalTSA:
    url: str
    ca_pem: Path  # the root alone
    chain_pem: Path  # TSA certificate, then the root
    other_ca_pem: Path  # a root that signed nothing here


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _ca(cn: str, now: dt.datetime) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(cn))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def _write_pki(folder: Path) -> None:
    now = dt.datetime.now(dt.UTC)
    ca_key, ca = _ca("Tawthiq Test Root", now)
    _, other = _ca("Some Other Root", now)
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    tsa = (x509.CertificateBuilder().subject_name(_name("Tawthiq Test TSA")).issuer_name(ca.subject)
           .public_key(tsa_key.public_key()).serial_number(x509.random_serial_number())
           .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
           .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
           .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                        data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                        crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
           .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
           .sign(ca_key, hashes.SHA256()))
    (folder / "ca.pem").write_bytes(_pem(ca))
    (folder / "other.pem").write_bytes(_pem(other))
    (folder / "tsa.pem").write_bytes(_pem(tsa))
    (folder / "chain.pem").write_bytes(_pem(tsa) + _pem(ca))
    (folder / "tsa.key").write_bytes(tsa_key.private_bytes(serialization.Encoding.PEM,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(f"""[ tsa ]
default_tsa = tsa_config1

[ tsa_config1 ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
""")


@contextmanager
def local_tsa() -> Iterator[LocalTSA]:
    """Serve `openssl ts -reply` on a free loopback port for the duration of the block."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_pki(folder)
        lock = threading.Lock()  # openssl bumps one serial file; one reply at a time

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                query = self.rfile.read(length)
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(415)
                    return
                with lock:
                    (folder / "q.tsq").write_bytes(query)
                    done = subprocess.run([OPENSSL, "ts", "-reply", "-config", str(folder / "tsa.cnf"),
                                           "-queryfile", str(folder / "q.tsq"), "-out", str(folder / "r.tsr")],
                                          capture_output=True, check=False)
                    reply = (folder / "r.tsr").read_bytes() if done.returncode == 0 else b""
                if not reply:
                    self.send_error(500)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield LocalTSA(url=f"http://127.0.0.1:{server.server_address[1]}/tsa", ca_pem=folder / "ca.pem",
                           chain_pem=folder / "chain.pem", other_ca_pem=folder / "other.pem")
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
