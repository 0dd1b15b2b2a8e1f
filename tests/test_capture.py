"""``tawthiq capture``: a page kept with its WARC, headers, certificate and screenshot, against local servers only.

Every server here runs in a thread on 127.0.0.1; nothing reaches the internet.
The HTTPS server's certificate is signed by a CA made in the test.
"""
from __future__ import annotations

import dataclasses
import gzip
import io
import ipaddress
import json
import os
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image
from warcio.archiveiterator import ArchiveIterator

from tawthiq.cli import cli
from tawthiq.domain import DerivativeKind
from tawthiq.ingest.capture import addresses
from tawthiq.ingest.capture.browser import DEFAULT_CHROMIUM
from tawthiq.services import Workspace
from tawthiq.services.capture import CaptureError, CaptureOptions, capture
from tawthiq.store import custody
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.sources import get_source
from tawthiq.store.vault.derived import derived_store

REPORT = """<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>قصف دوما | Shelling of Douma</title>
<script>document.title = "injected"; console.log("not report text");</script>
<style>body { background: #fff; } h1 { color: #b00; font-size: 48px; } .box { background: #0a4; height: 300px; }</style>
</head><body><h1>قصف على دوما — Shelling of Douma</h1><div class="box"></div>
<p>قتل خمسة مدنيين في قصف على مدينة دوما في ريف دمشق يوم 3 آذار 2016.</p>
<p>On 3 March 2016, shelling killed five civilians in Douma, Rif Dimashq, residents said.</p>
</body></html>""".encode()
FINAL = b"<html><body><h1>Moved report</h1><p>Aleppo, 12 March 2016: an air strike killed two civilians.</p>" \
        b"</body></html>"
ZIPPED = b"<html><body><p>Idlib, 4 April 2017: a chemical attack killed dozens of civilians.</p></body></html>"
MISSING = b"<html><body><h1>404</h1><p>This report was removed: Homs, 2 May 2014.</p></body></html>"
CHUNKS = [b"<html><body><p>Deir ez-Zor, 1 June 2015: ", b"shelling killed three civilians.</p>", b"</body></html>"]
HUGE = b"<html><body><p>" + b"x" * (2 * 1024 * 1024) + b"</p></body></html>"
CHROMIUM = DEFAULT_CHROMIUM.is_file()


def test_chromium_is_there_in_ci() -> None:
    if os.environ.get("CI"):
        assert CHROMIUM, f"CI is set but {DEFAULT_CHROMIUM} is missing; the screenshot tests would be skipped"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TestServer"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def _send(self, status: int, body: bytes, *, headers: list[tuple[str, str]] | None = None,
              length: bool = True) -> None:
        self.send_response(status)
        for name, value in headers or [("Content-Type", "text/html; charset=utf-8")]:
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        self.server.requests.append((self.path, self.headers.get("User-Agent", "")))  # type: ignore[attr-defined]
        if self.path == "/report":
            self._send(200, REPORT, headers=[("Content-Type", "text/html; charset=utf-8"),
                                             ("X-Evidence-Test", "first"), ("x-evidence-test", "  second  ")])
        elif self.path == "/hop1":
            self._send(302, b"", headers=[("Location", "/hop2")])
        elif self.path == "/hop2":
            self._send(301, b"moved", headers=[("Location", "http://localhost:%d/final" % self.server.server_port)])
        elif self.path == "/final":
            self._send(200, FINAL)
        elif self.path.startswith("/loop"):
            self._send(302, b"", headers=[("Location", f"/loop{len(self.path)}")])
        elif self.path == "/gz":
            self._send(200, gzip.compress(ZIPPED, mtime=0),
                       headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
        elif self.path == "/missing":
            self._send(404, MISSING)
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in CHUNKS:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/huge":
            self._send(200, HUGE)
        elif self.path == "/huge-chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(HUGE), 65536):
                piece = HUGE[start:start + 65536]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/huge-stream":  # no length: read until the server closes
            self.close_connection = True
            self._send(200, HUGE, headers=[("Content-Type", "text/html"), ("Connection", "close")], length=False)
        elif self.path == "/dialog":  # holds headless chromium until killed
            self._send(200, b"<html><body style='background:#0a4'><h1>Hama</h1><script>alert('the page says hello')</script>"
                            b"</body></html>")
        elif self.path == "/not-http":
            self.close_connection = True
            self.wfile.write(b"SSH-2.0-OpenSSH_9.2\r\n")
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, FINAL)
        else:
            self._send(404, b"not here")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that stops reading (the size limit, a time-out) is what some tests do on purpose


def _serve(context: ssl.SSLContext | None = None) -> Iterator[tuple[ThreadingHTTPServer, str]]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.requests = []  # type: ignore[attr-defined]
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "https" if context else "http"
    try:
        yield server, f"{scheme}://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def http_server() -> Iterator[tuple[ThreadingHTTPServer, str]]:
    yield from _serve()


@dataclasses.dataclass
class _Tls:
    ca_file: Path
    fingerprint: str


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, _Tls]]:
    folder = tmp_path_factory.mktemp("tls")
    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC) - timedelta(minutes=5)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tawthiq Test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(server_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    fingerprint = leaf.fingerprint(hashes.SHA256()).hex().upper()
    for _server, url in _serve(context):
        yield url, _Tls(ca_file=ca_file, fingerprint=":".join(fingerprint[i:i + 2] for i in range(0, 64, 2)))


# Generous: chromium on a loaded 2-CPU machine can take tens of seconds; a hang still ends.
SHOT_TIMEOUT = 90.0


def _options(**kwargs: object) -> CaptureOptions:
    # Every server here is on 127.0.0.1, refused by default (tests/test_capture_addresses.py checks that).
    return CaptureOptions(**{"screenshot": False, "timeout": 10.0, "allow_private": True, **kwargs})  # type: ignore[arg-type]


def _copies(ws: Workspace, sha: str) -> dict[DerivativeKind, list[bytes]]:
    store = derived_store(ws.blobs)
    out: dict[DerivativeKind, list[bytes]] = {}
    for copy in derivatives_of(ws.db, sha):
        out.setdefault(copy.kind, []).append(store.get(copy.sha256))
    return out


def _warc(data: bytes) -> list[tuple[str, str, bytes, bytes]]:
    """(type, target URI, raw HTTP block, decoded content) per record."""
    records = []
    for record in ArchiveIterator(io.BytesIO(data)):
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        head = record.http_headers.to_bytes() if record.http_headers else b""
        records.append((record.rec_type, uri, head, record.content_stream().read()))
    return records


def test_capture_keeps_the_page_as_sent_with_warc_headers_and_custody(
        ws: Workspace, http_server: tuple[ThreadingHTTPServer, str]) -> None:
    server, base = http_server
    result = capture(ws, f"{base}/report", options=_options(reason="Douma report before it is taken down",
                                                            screenshot=CHROMIUM, timeout=SHOT_TIMEOUT), actor="cli:tester")
    assert (result.status, result.http_status, result.redirects) == ("new", 200, 0)
    # The original is the exact bytes the server sent, read by the pipeline like any HTML report.
    assert ws.blobs.path(result.sha256).read_bytes() == REPORT
    source = get_source(ws.db, result.source_id)
    assert source is not None and source.url == f"{base}/report" and str(source.kind) == "html"
    assert "Douma" in source.text and "دوما" in source.text and "not report text" not in source.text
    meta = source.metadata["capture"]
    assert meta["status"] == 200 and meta["url"] == f"{base}/report" and meta["tls"] is None
    assert meta["insecure"] is False and meta["user_agent"].startswith("tawthiq/")
    assert datetime.fromisoformat(meta["captured_at"]).tzinfo is not None
    assert any(path == "/report" and agent.startswith("tawthiq/") for path, agent in server.requests)
    copies = _copies(ws, result.sha256)
    assert set(copies) >= {DerivativeKind.WARC, DerivativeKind.HEADERS, DerivativeKind.TEXT}
    assert DerivativeKind.CERTIFICATE not in copies  # plain HTTP: no certificate to keep
    # The WARC reads back: warcinfo, then the request and the response with the body as sent.
    records = _warc(copies[DerivativeKind.WARC][0])
    assert [r[0] for r in records] == ["warcinfo", "request", "response"]
    response = records[2]
    assert response[1] == f"{base}/report" and response[3] == REPORT
    assert b"X-Evidence-Test: first" in response[2]
    assert records[1][2].startswith(b"GET /report HTTP/1.1\r\n")
    # The headers, in the order sent, repeated names kept apart.
    (hop,) = json.loads(copies[DerivativeKind.HEADERS][0])["hops"]
    assert hop["status_line"] == "HTTP/1.1 200 OK"
    names = [name for name, _ in hop["headers"]]
    assert names.index("Content-Type") < names.index("X-Evidence-Test") < names.index("x-evidence-test")
    assert ["x-evidence-test", "second"] in hop["headers"]
    assert hop["raw_head"].encode("latin-1").endswith(b"x-evidence-test:   second  \r\nContent-Length: %d\r\n\r\n"
                                                      % len(REPORT))
    # Custody: received (how: tawthiq capture), ingested, one "derived" per working copy, with the reason.
    entries = [e for e in custody.iter_entries(ws.db) if e.source_id == result.source_id]
    received = next(e for e in entries if e.event == "received")
    assert received.details["how"] == "tawthiq capture" and received.details["url"] == f"{base}/report"
    assert received.reason == "Douma report before it is taken down"
    derived = {e.details["kind"]: e for e in entries if e.event == "derived"}
    assert set(derived) == {str(kind) for kind in copies}
    assert derived["warc"].reason == "Douma report before it is taken down"
    assert derived["warc"].details["tool"] == "tawthiq capture"
    if CHROMIUM:
        (png,) = copies[DerivativeKind.SCREENSHOT]
        image = Image.open(io.BytesIO(png)).convert("RGB")
        assert image.size == (1280, 2000)
        colours = image.getcolors(maxcolors=1_000_000) or []
        assert len(colours) > 2  # the red heading, the green box and the white page, not one blank colour
        assert any(g > 100 and r < 60 and b < 120 for _, (r, g, b) in colours)  # the green box was rendered
        assert meta["screenshot"] == "taken"
    else:
        assert "chromium not found" in meta["screenshot"]


@pytest.mark.skipif(not CHROMIUM, reason="needs /usr/bin/chromium")
def test_a_page_with_a_dialog_is_still_shot(ws: Workspace, http_server: tuple[ThreadingHTTPServer, str]) -> None:
    _, base = http_server
    # An alert() would block the page's load for good: "loaded" and the recorded dialog text show it was
    # dismissed, not waited out (no wall-clock assertion: these machines are shared and noisy).
    result = capture(ws, f"{base}/dialog", options=_options(screenshot=True, timeout=SHOT_TIMEOUT),
                     actor="cli:tester")
    assert any("1 dialog(s)" in note for note in result.notes), result.notes
    shots = [c for c in derivatives_of(ws.db, result.sha256) if c.kind == DerivativeKind.SCREENSHOT]
    assert len(shots) == 1 and shots[0].params["dialogs_dismissed"] == ["the page says hello"]
    assert shots[0].params["loaded"] is True
    png = derived_store(ws.blobs).get(shots[0].sha256)
    colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert any(g > 100 and r < 60 and b < 120 for _, (r, g, b) in colours)


def test_redirects_are_followed_and_every_hop_recorded(
        ws: Workspace, http_server: tuple[ThreadingHTTPServer, str]) -> None:
    _, base = http_server
    result = capture(ws, f"{base}/hop1", options=_options(), actor="cli:tester")
    port = base.rsplit(":", 1)[1]
    assert result.redirects == 2 and result.final_url == f"http://localhost:{port}/final"
    assert ws.blobs.path(result.sha256).read_bytes() == FINAL
    source = get_source(ws.db, result.source_id)
    assert source is not None
    chain = source.metadata["capture"]["redirects"]
    assert [(hop["status"], hop["location"]) for hop in chain] == [
        (302, "/hop2"), (301, f"http://localhost:{port}/final")]
    copies = _copies(ws, result.sha256)
    records = _warc(copies[DerivativeKind.WARC][0])
    assert [r[0] for r in records] == ["warcinfo"] + ["request", "response"] * 3
    assert [r[1] for r in records if r[0] == "response"] == [f"{base}/hop1", f"{base}/hop2", result.final_url]
    hops = json.loads(copies[DerivativeKind.HEADERS][0])["hops"]
    assert [h["status"] for h in hops] == [302, 301, 200]


def test_without_chromium_the_capture_goes_on_and_says_so(
        ws: Workspace, http_server: tuple[ThreadingHTTPServer, str], tmp_path: Path) -> None:
    _, base = http_server
    result = capture(ws, f"{base}/final", options=_options(screenshot=True, chromium=tmp_path / "no-chromium"),
                     actor="cli:tester")
    assert result.status == "new"
    missing = f"no screenshot: chromium not found at {tmp_path / 'no-chromium'}"
    assert [note for note in result.notes if "screenshot" in note] == [missing]
    source = get_source(ws.db, result.source_id)
    assert source is not None and source.metadata["capture"]["screenshot"].startswith("no screenshot: chromium not")
    assert DerivativeKind.SCREENSHOT not in _copies(ws, result.sha256)


def test_too_many_redirects_fail_with_one_line(ws: Workspace, http_server: tuple[ThreadingHTTPServer, str]) -> None:
    _, base = http_server
    with pytest.raises(CaptureError, match="more than 5 redirects"):
        capture(ws, f"{base}/loop", options=_options(), actor="cli:tester")


def test_a_compressed_body_is_decoded_for_reading_and_kept_as_sent_in_the_warc(
        ws: Workspace, http_server: tuple[ThreadingHTTPServer, str]) -> None:
    _, base = http_server
    result = capture(ws, f"{base}/gz", options=_options(), actor="cli:tester")
    assert ws.blobs.path(result.sha256).read_bytes() == ZIPPED
    source = get_source(ws.db, result.source_id)
    assert source is not None and "chemical attack" in source.text
    sent = gzip.compress(ZIPPED, mtime=0)
    meta = source.metadata["capture"]
    assert meta["content_encoding"] == "gzip" and meta["encoded_size"] == len(sent)
    warc = _copies(ws, result.sha256)[DerivativeKind.WARC][0]
    (response,) = [(r.http_headers.to_bytes(), r.raw_stream.read()) for r in ArchiveIterator(io.BytesIO(warc))
                   if r.rec_type == "response"]
    assert response[1] == sent  # as it came off the wire
    assert b"Content-Encoding: gzip" in response[0]


def test_a_chunked_body_is_joined_and_the_framing_kept_in_the_warc(
        ws: Workspace, http_server: tuple[ThreadingHTTPServer, str]) -> None:
    _, base = http_server
    result = capture(ws, f"{base}/chunked", options=_options(), actor="cli:tester")
    assert ws.blobs.path(result.sha256).read_bytes() == b"".join(CHUNKS)
    warc = _copies(ws, result.sha256)[DerivativeKind.WARC][0]
    (response,) = [r for r in _warc(warc) if r[0] == "response"]
    assert response[3] == b"".join(CHUNKS)  # warcio undoes the chunking it finds in the record


def test_an_error_page_is_captured_and_said(ws: Workspace, http_server: tuple[ThreadingHTTPServer, str]) -> None:
    _, base = http_server
    result = capture(ws, f"{base}/missing", options=_options(), actor="cli:tester")
    assert result.http_status == 404 and result.status == "new"
    assert ws.blobs.path(result.sha256).read_bytes() == MISSING
    assert any("404" in note for note in result.notes)


@pytest.mark.parametrize("path", ["/huge", "/huge-stream", "/huge-chunked"])
def test_over_the_size_limit_is_refused_and_nothing_stored(
        ws: Workspace, http_server: tuple[ThreadingHTTPServer, str], path: str) -> None:
    _, base = http_server
    small = Workspace.open(dataclasses.replace(ws.settings, max_file_size=1024 * 1024), db=ws.db)
    with pytest.raises(CaptureError, match="over the size limit of 1.0 MB"):
        capture(small, f"{base}{path}", options=_options(), actor="cli:tester")
    assert list(custody.iter_entries(ws.db)) == []
    assert list(ws.blobs.iter_shas()) == []


def test_capturing_again_is_a_second_observation_of_the_same_original(
        ws: Workspace, http_server: tuple[ThreadingHTTPServer, str]) -> None:
    _, base = http_server
    first = capture(ws, f"{base}/final", options=_options(), actor="cli:tester")
    second = capture(ws, f"{base}/final", options=_options(), actor="cli:tester")
    assert second.status == "duplicate" and second.source_id == first.source_id and second.sha256 == first.sha256
    copies = _copies(ws, first.sha256)
    assert len(copies[DerivativeKind.WARC]) == 2 and len(copies[DerivativeKind.HEADERS]) == 2
    received = [e for e in custody.iter_entries(ws.db) if e.event == "received"]
    assert len(received) == 1  # one original, received once; two captures of it in its working copies


def test_https_with_the_private_ca_records_the_certificate(ws: Workspace, https_server: tuple[str, _Tls]) -> None:
    base, tls = https_server
    result = capture(ws, f"{base}/report", options=_options(ca_file=tls.ca_file, screenshot=CHROMIUM, timeout=SHOT_TIMEOUT),
                     actor="cli:tester")
    assert ws.blobs.path(result.sha256).read_bytes() == REPORT
    source = get_source(ws.db, result.source_id)
    assert source is not None
    meta = source.metadata["capture"]["tls"]
    assert meta["verified"] is True and meta["version"].startswith("TLSv1")
    cert = meta["certificate"]
    assert cert["sha256_fingerprint"] == tls.fingerprint
    assert cert["issuer"] == "CN=Tawthiq Test CA" and cert["subject"] == "CN=localhost"
    assert set(cert["subject_alt_names"]) == {"DNS:localhost", "IP:127.0.0.1"}
    copies = _copies(ws, result.sha256)
    (pem,) = copies[DerivativeKind.CERTIFICATE]
    loaded = x509.load_pem_x509_certificate(pem)
    assert ":".join(f"{b:02X}" for b in loaded.fingerprint(hashes.SHA256())) == tls.fingerprint
    if CHROMIUM:  # chromium trusted exactly the key Python saw, so it rendered the page, not an error
        (png,) = copies[DerivativeKind.SCREENSHOT]
        colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1_000_000) or []
        assert any(g > 100 and r < 60 and b < 120 for _, (r, g, b) in colours)


def test_https_without_the_ca_fails_with_the_hint(ws: Workspace, https_server: tuple[str, _Tls]) -> None:
    base, _ = https_server
    with pytest.raises(CaptureError, match="--ca-file") as caught:
        capture(ws, f"{base}/report", options=_options(), actor="cli:tester")
    assert "\n" not in str(caught.value) and "not accepted" in str(caught.value)
    assert list(custody.iter_entries(ws.db)) == []


def test_https_insecure_works_and_is_recorded(ws: Workspace, https_server: tuple[str, _Tls]) -> None:
    base, tls = https_server
    result = capture(ws, f"{base}/final", options=_options(insecure=True, reason="site mirror"),
                     actor="cli:tester")
    source = get_source(ws.db, result.source_id)
    assert source is not None
    meta = source.metadata["capture"]
    assert meta["insecure"] is True and meta["tls"]["verified"] is False
    assert meta["tls"]["certificate"]["sha256_fingerprint"] == tls.fingerprint
    derived = [e for e in custody.iter_entries(ws.db) if e.event == "derived" and e.details["tool"] == "tawthiq capture"]
    assert derived and all("--insecure" in e.reason and e.reason.startswith("site mirror") for e in derived)
    assert any("NOT verified" in note for note in result.notes)


def test_network_failures_are_one_line(ws: Workspace, http_server: tuple[ThreadingHTTPServer, str]) -> None:
    _, base = http_server
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    cases = [
        (f"http://127.0.0.1:{port}/", "connection refused"),
        ("ftp://127.0.0.1/report", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http://user:secret@127.0.0.1/", "user name or password"),
        ("http:///nohost", "no host"),
        ("http://127.0.0.1:99999/", "not a valid URL"),
        (f"{base}/not-http", "did not answer with HTTP"),
    ]
    for url, message in cases:
        with pytest.raises(CaptureError, match=message):
            capture(ws, url, options=_options(), actor="cli:tester")
    started = time.monotonic()
    with pytest.raises(CaptureError, match="timed out after 0.5s"):
        capture(ws, f"{base}/slow", options=_options(timeout=0.5), actor="cli:tester")
    assert time.monotonic() - started < 2.5
    assert list(custody.iter_entries(ws.db)) == []


def test_dns_failure_and_a_bad_ca_file_are_one_line(ws: Workspace, tmp_path: Path, https_server: tuple[str, _Tls],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    bad_ca = tmp_path / "ca.pem"
    bad_ca.write_text("not a certificate")
    with pytest.raises(CaptureError, match="cannot use --ca-file"):
        capture(ws, f"{https_server[0]}/report", options=_options(ca_file=bad_ca), actor="cli:tester")
    with pytest.raises(CaptureError, match="no such file"):
        capture(ws, "https://127.0.0.1:1/", options=_options(ca_file=tmp_path / "missing.pem"), actor="cli:tester")

    def no_dns(host: str, port: int) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    # No resolver is asked in tests: the lookup failure is what the operating system would raise.
    monkeypatch.setattr(addresses, "resolve", no_dns)
    with pytest.raises(CaptureError, match=r"cannot resolve host 'reports\.example' \(DNS lookup failed\)"):
        capture(ws, "http://reports.example/page", options=_options(), actor="cli:tester")


def test_cli_prints_what_was_stored_and_fails_in_one_line(
        ws: Workspace, http_server: tuple[ThreadingHTTPServer, str], https_server: tuple[str, _Tls]) -> None:
    _, base = http_server
    env = {"TAWTHIQ_DATABASE_URL": ws.settings.database_url, "TAWTHIQ_DATA_DIR": str(ws.settings.data_dir)}
    runner = CliRunner()
    done = runner.invoke(cli, ["capture", f"{base}/missing", "--no-screenshot", "--reason", "removed page",
                                "--allow-private"], env=env)
    assert done.exit_code == 0, done.output
    source = get_source(ws.db, 1)
    assert source is not None
    assert f"source 1 (new), sha256 {source.sha256}" in done.output
    assert "stored  warc " in done.output and "stored  headers " in done.output
    assert "404" in done.output and "--no-screenshot" in done.output
    https_base, _ = https_server
    failed = runner.invoke(cli, ["capture", f"{https_base}/report", "--no-screenshot", "--allow-private"], env=env)
    assert failed.exit_code == 1
    (line,) = failed.output.strip().splitlines()
    assert line.startswith("error: the TLS certificate of 127.0.0.1 was not accepted") and "--ca-file" in line
    verified = runner.invoke(cli, ["verify"], env=env)  # the capture's copies re-hash and chain cleanly
    assert verified.exit_code == 0 and "3 derived copies re-hashed" in verified.output  # text, headers, WARC, verified.output
    refused = runner.invoke(cli, ["capture", "gopher://127.0.0.1/"], env=env)
    assert refused.exit_code == 1 and refused.output.strip().splitlines() == [
        "error: only http and https URLs can be captured, not gopher ('gopher://127.0.0.1/')"]


def test_content_decoding_is_bounded_and_says_what_it_cannot_read() -> None:
    import zlib

    from tawthiq.ingest.capture.http import decode_content

    assert decode_content(zlib.compress(ZIPPED), "deflate", limit=1024) == ZIPPED
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert decode_content(raw.compress(ZIPPED) + raw.flush(), "deflate", limit=1024) == ZIPPED
    two_members = gzip.compress(b"first ") + gzip.compress(b"second")
    assert decode_content(two_members, "gzip", limit=1024) == b"first second"
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))  # 20 MB of zeros in about 20 KB
    with pytest.raises(CaptureError, match="decompressed response is over the size limit of 1.0 MB"):
        decode_content(bomb, "gzip", limit=1024 * 1024)
    with pytest.raises(CaptureError, match="cut off"):
        decode_content(gzip.compress(ZIPPED)[:-12], "gzip", limit=1024)
    with pytest.raises(CaptureError, match="unknown Content-Encoding"):
        decode_content(ZIPPED, "compress", limit=1024)


def test_an_event_read_together_with_a_reply_is_not_lost() -> None:
    """Under load chromium's answer to Page.navigate and the page's load event arrive in one read:
    the event must still count, or a loaded page is shot as "not finished loading"."""
    import os
    import time

    from tawthiq.ingest.capture.browser import _Browser

    browser = object.__new__(_Browser)
    browser.deadline, browser.next_id, browser.buffer = time.monotonic() + 5, 0, b""
    browser.seen, browser.dialogs, browser.step = set(), [], "start"
    replies_read, replies_write = os.pipe()
    commands_read, browser.to_browser = os.pipe()
    browser.from_browser = replies_read
    try:
        os.write(replies_write, json.dumps({"id": 1, "result": {"frameId": "f"}}).encode() + b"\0"
                 + json.dumps({"method": "Page.loadEventFired", "params": {}}).encode() + b"\0")
        assert browser.call("Page.navigate", {"url": "http://example.invalid/"}) == {"frameId": "f"}
        assert browser._wait_for("Page.loadEventFired", until=time.monotonic() + 0.2)
    finally:
        for fd in (replies_read, replies_write, commands_read, browser.to_browser):
            os.close(fd)
