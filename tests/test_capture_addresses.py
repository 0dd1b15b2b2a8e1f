"""A capture reaches only public addresses unless allowed: the page, its redirects and the screenshot's requests.

Two local servers on 127.0.0.1 stand in for "a site" (explicitly allowed by
IP:PORT, as ``--allow-address`` does) and "a private service" (never
allowed): nothing here reaches the internet, and no resolver is asked (the
one resolver function is replaced where a name is needed).
"""
from __future__ import annotations

import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import pytest
from click.testing import CliRunner

from tawthiq.cli import cli
from tawthiq.ingest.capture import addresses
from tawthiq.ingest.capture.addresses import AddressPolicy, parse_allowed, refusal
from tawthiq.ingest.capture.browser import DEFAULT_CHROMIUM
from tawthiq.services import Workspace
from tawthiq.services.capture import CaptureError, CaptureOptions, capture
from tawthiq.store import repository
from tawthiq.store.derivatives import derivatives_of

CHROMIUM = DEFAULT_CHROMIUM.is_file()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        server: _Server = self.server  # type: ignore[assignment]
        server.seen.append((self.path, self.headers.get("Host", "")))
        other = server.other_port
        if self.path == "/to-private":
            body, status, extra = b"", 302, [("Location", f"http://127.0.0.1:{other}/secret")]
        elif self.path == "/with-private-parts":  # what the screenshot's browser would fetch
            body, status, extra = (f"<html><body style='background:#0a4'><h1>Raqqa, 2017</h1>"
                                   f"<img src='http://127.0.0.1:{other}/pixel.png'>"
                                   f"<iframe src='http://localhost:{other}/frame'></iframe>"
                                   f"<script src='http://[::1]:{other}/tracker.js'></script>"
                                   "</body></html>").encode(), 200, []
        else:
            body, status, extra = b"<html><body><p>Homs, 2 May 2014: shelling killed four civilians.</p></body></html>", 200, []
        self.send_response(status)
        for name, value in [("Content-Type", "text/html; charset=utf-8"), *extra]:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    seen: list[tuple[str, str]]
    other_port: int


def _start() -> _Server:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.seen = []
    Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture()
def servers() -> Iterator[tuple[_Server, _Server]]:
    """(the site, allowed by IP:PORT in the tests; the private service it points at, never allowed)."""
    site, private = _start(), _start()
    site.other_port = private.other_port = private.server_address[1]
    try:
        yield site, private
    finally:
        for server in (site, private):
            server.shutdown()
            server.server_close()


def _site_only(site: _Server, **kwargs: object) -> CaptureOptions:
    return CaptureOptions(**{"screenshot": False, "timeout": 10.0,  # type: ignore[arg-type]
                             "allowed_addresses": frozenset({("127.0.0.1", site.server_address[1])}), **kwargs})


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1",
    "169.254.169.254", "169.254.1.1", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "100.64.0.1",
    "100.127.255.254", "0.0.0.0", "::", "224.0.0.1", "ff02::1", "240.0.0.1", "255.255.255.255", "192.0.2.1",
    "::ffff:10.0.0.1", "::ffff:169.254.169.254", "2002:7f00:1::", "64:ff9b::a00:1", "::127.0.0.1",
])
def test_non_public_addresses_are_refused_by_the_checker(address: str) -> None:
    assert refusal(address) is not None
    assert not AddressPolicy().permits(address, 80)
    assert AddressPolicy(allow_private=True).permits(address, 80)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8",
                                     "64:ff9b::808:808", "100.128.0.1"])
def test_public_addresses_pass_the_checker(address: str) -> None:
    assert refusal(address) is None and AddressPolicy().permits(address, 443)


def test_the_checker_names_what_it_refused() -> None:
    assert refusal("127.0.0.1") == "loopback address"
    assert refusal("169.254.169.254") == "cloud metadata address"
    assert refusal("100.64.0.1") == "shared (carrier-grade NAT) address"
    assert refusal("::ffff:127.0.0.1") == "loopback address inside an IPv6 address"
    # An exact pair opens that pair only: another port or address of the same kind stays refused.
    policy = AddressPolicy(allowed=parse_allowed(["127.0.0.1:8080", "[::1]:9090"]))
    assert policy.permits("127.0.0.1", 8080) and policy.permits("::1", 9090)
    assert not policy.permits("127.0.0.1", 8081) and not policy.permits("127.0.0.2", 8080)
    with pytest.raises(ValueError, match="takes IP:PORT"):
        parse_allowed(["reports.example:80"])
    with pytest.raises(ValueError, match="takes IP:PORT"):
        parse_allowed(["127.0.0.1"])


def test_a_loopback_page_is_refused_by_default_and_taken_when_allowed(
        ws: Workspace, servers: tuple[_Server, _Server]) -> None:
    site, _ = servers
    url = f"http://127.0.0.1:{site.server_address[1]}/page"
    with pytest.raises(CaptureError, match=r"^127\.0\.0\.1 is a loopback address; captures reach only public") as err:
        capture(ws, url, options=CaptureOptions(screenshot=False, timeout=10.0), actor="cli:tester")
    assert err.value.key == "refused_address"
    assert site.seen == [] and repository.count_sources(ws.db) == 0  # not even connected to
    done = capture(ws, url, options=CaptureOptions(screenshot=False, timeout=10.0, allow_private=True),
                   actor="cli:tester")
    assert done.http_status == 200 and site.seen == [("/page", f"127.0.0.1:{site.server_address[1]}")]


def test_a_redirect_from_an_allowed_site_to_a_private_address_is_refused(
        ws: Workspace, servers: tuple[_Server, _Server]) -> None:
    site, private = servers
    url = f"http://127.0.0.1:{site.server_address[1]}/to-private"
    with pytest.raises(CaptureError, match=r"^127\.0\.0\.1 is a loopback address") as err:
        capture(ws, url, options=_site_only(site), actor="cli:tester")
    assert err.value.key == "refused_address"
    assert [path for path, _ in site.seen] == ["/to-private"] and private.seen == []
    assert repository.count_sources(ws.db) == 0


@pytest.mark.parametrize("host", ["[::1]", "[::ffff:127.0.0.1]", "0.0.0.0", "10.0.0.1", "169.254.169.254",
                                  "100.64.0.1", "[fe80::1]"])
def test_address_literals_are_refused_before_any_connection(ws: Workspace, host: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def no_connect(self: socket.socket, address: object) -> None:
        raise AssertionError(f"connected to {address}")

    monkeypatch.setattr(socket.socket, "connect", no_connect)
    with pytest.raises(CaptureError, match="captures reach only public addresses") as err:
        capture(ws, f"http://{host}:8080/page", options=CaptureOptions(screenshot=False, timeout=5.0),
                actor="cli:tester")
    assert err.value.key == "refused_address"


def test_a_name_resolving_to_loopback_is_refused(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[str] = []

    def resolve(host: str, port: int) -> list[tuple[socket.AddressFamily, tuple[str, int]]]:
        looked_up.append(host)
        # One public and one loopback answer: the loopback one is enough to refuse the name.
        return [(socket.AF_INET, ("93.184.216.34", port)), (socket.AF_INET, ("127.0.0.1", port))]

    monkeypatch.setattr(addresses, "resolve", resolve)
    with pytest.raises(CaptureError, match=r"^reports\.example \(127\.0\.0\.1\) is a loopback address"):
        capture(ws, "http://reports.example/page", options=CaptureOptions(screenshot=False, timeout=5.0),
                actor="cli:tester")
    assert looked_up == ["reports.example"]


def test_the_checked_address_is_the_one_connected_to_with_the_name_kept_for_the_host_header(
        ws: Workspace, servers: tuple[_Server, _Server], monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name is looked up once per connection and the socket goes to that checked answer."""
    site, _ = servers
    port = site.server_address[1]
    answers = iter([("127.0.0.1", port)])  # a second lookup would find nothing: StopIteration fails the test

    def resolve(host: str, asked: int) -> list[tuple[socket.AddressFamily, tuple[str, int]]]:
        return [(socket.AF_INET, next(answers))]

    monkeypatch.setattr(addresses, "resolve", resolve)
    done = capture(ws, f"http://reports.example:{port}/page", options=_site_only(site), actor="cli:tester")
    assert done.http_status == 200 and site.seen == [("/page", f"reports.example:{port}")]


@pytest.mark.skipif(not CHROMIUM, reason="needs /usr/bin/chromium")
def test_the_screenshot_cannot_load_private_sub_resources(ws: Workspace, servers: tuple[_Server, _Server]) -> None:
    site, private = servers
    url = f"http://127.0.0.1:{site.server_address[1]}/with-private-parts"
    done = capture(ws, url, options=_site_only(site, screenshot=True, timeout=90.0), actor="cli:tester")
    (shot,) = [copy for copy in derivatives_of(ws.db, done.sha256) if str(copy.kind) == "screenshot"]
    assert private.seen == []  # not the image, the frame by name, nor the script by IPv6 loopback
    refused = " | ".join(shot.params["refused_connections"])
    assert "127.0.0.1 is a loopback address" in refused and "localhost (127.0.0.1)" in refused, refused
    assert any("non-public addresses, not loaded" in note for note in done.notes), done.notes


def test_the_command_refuses_in_one_line_and_takes_the_flags(ws: Workspace, servers: tuple[_Server, _Server]) -> None:
    site, private = servers
    port = site.server_address[1]
    env = {"TAWTHIQ_DATABASE_URL": ws.settings.database_url, "TAWTHIQ_DATA_DIR": str(ws.settings.data_dir)}
    runner = CliRunner()
    refused = runner.invoke(cli, ["capture", f"http://127.0.0.1:{port}/page", "--no-screenshot"], env=env)
    assert refused.exit_code == 1 and refused.output.strip().splitlines() == [
        "error: 127.0.0.1 is a loopback address; captures reach only public addresses"
        " (--allow-private to capture it anyway)"]
    redirected = runner.invoke(cli, ["capture", f"http://127.0.0.1:{port}/to-private", "--no-screenshot",
                                     "--allow-address", f"127.0.0.1:{port}"], env=env)
    assert redirected.exit_code == 1 and "loopback address" in redirected.output and private.seen == []
    bad = runner.invoke(cli, ["capture", f"http://127.0.0.1:{port}/page", "--allow-address", "intranet"], env=env)
    assert bad.exit_code == 1 and bad.output.strip().splitlines() == [
        "error: --allow-address takes IP:PORT (for IPv6 [IP]:PORT), not 'intranet'"]
    assert repository.count_sources(ws.db) == 0
    for flags in (["--allow-address", f"127.0.0.1:{port}"], ["--allow-private"]):
        done = runner.invoke(cli, ["capture", f"http://127.0.0.1:{port}/page", "--no-screenshot", *flags], env=env)
        assert done.exit_code == 0, done.output
    assert repository.count_sources(ws.db) == 1  # the second is the same bytes: a further observation
