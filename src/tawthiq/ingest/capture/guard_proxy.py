"""The screenshot's proxy: every connection chromium makes goes through the same address check as ours.

Chromium loads the page again for the screenshot, with its images, scripts,
frames and whatever those ask for, from any address the page names. Rather
than trust a filter on URLs (a name checked by us and resolved again by
chromium could answer differently: DNS rebinding), chromium is given this
proxy as its only way out: it then never resolves a name itself, and each
connection (``CONNECT host:port`` for HTTPS and WebSockets, an absolute
``GET http://…`` for plain HTTP) is resolved here once, checked with
:func:`.addresses.connect_checked`, and made to the checked address. TLS
stays end to end between chromium and the site: the proxy only relays bytes.

A refused connection gets ``403`` and is noted (host, port, why) for the
screenshot's parameters, so the record says what the picture is missing.
"""
from __future__ import annotations

import select
import socket
import socketserver
import threading
import time
from types import TracebackType

from .addresses import AddressPolicy, AddressRefused, connect_checked

__all__ = ["GuardProxy"]

_MAX_HEAD = 64 * 1024
_MAX_NOTED = 50
_HOP_HEADERS = {"proxy-connection", "proxy-authorization", "connection", "keep-alive"}


class GuardProxy:
    """A local HTTP proxy, for the duration of a ``with`` block, reaching only what ``policy`` permits."""

    def __init__(self, *, policy: AddressPolicy, timeout: float) -> None:
        self.policy = policy
        self.deadline = time.monotonic() + timeout
        self.refused: list[str] = []
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.guard = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="tawthiq-guard-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> GuardProxy:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            for sock in list(self._open):  # relays still running end now, their sockets gone
                _close(sock)
            self._open.clear()
        self._thread.join(timeout=5)

    def note(self, line: str) -> None:
        with self._lock:
            if line not in self.refused and len(self.refused) < _MAX_NOTED:
                self.refused.append(line)

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)
        _close(sock)

    def left(self) -> float:
        return max(0.1, self.deadline - time.monotonic())


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    guard: GuardProxy


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        guard = self.server.guard
        client: socket.socket = self.request
        guard.track(client)
        try:
            client.settimeout(guard.left())
            head, rest = _read_head(client)
            if head is None:
                return
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ")
            if len(parts) != 3:
                client.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
                return
            method, target, version = (p.decode("latin-1") for p in parts)
            if method == "CONNECT":
                (host, port), forward = _split_authority(target, 443), b""
            elif target.lower().startswith("http://"):
                authority, _, path = target[7:].partition("/")
                host, port = _split_authority(authority, 80)
                kept = [line for line in lines[1:] if line and
                        line.split(b":", 1)[0].strip().lower().decode("latin-1") not in _HOP_HEADERS]
                forward = b"\r\n".join([f"{method} /{path} {version}".encode("latin-1"), *kept,
                                        b"Connection: close", b"", b""]) + rest
            else:  # only http(s) and WebSockets are proxied; anything else is refused outright
                host, port, forward = None, None, b""
            if host is None or port is None:
                guard.note(f"{target[:200]} (not an http or https address)")
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n")
                return
            try:
                upstream = connect_checked(host, port, timeout=guard.left(), policy=guard.policy)
            except AddressRefused as error:
                guard.note(str(error))
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n")
                return
            except OSError:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n")
                return
            guard.track(upstream)
            try:
                if method == "CONNECT":
                    client.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                    if rest:
                        upstream.sendall(rest)
                else:
                    upstream.sendall(forward)
                _relay(client, upstream, guard=guard)
            finally:
                guard.untrack(upstream)
        except (OSError, ValueError):  # ValueError: a socket closed under select() at the end
            pass  # a browser that hangs up, a site that resets: the screenshot shows what arrived
        finally:
            guard.untrack(client)


def _read_head(sock: socket.socket) -> tuple[bytes | None, bytes]:
    """(request line and headers without the blank line, bytes after it), or None for a bad or cut request."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(8192)
        if not chunk or len(data) + len(chunk) > _MAX_HEAD:
            return None, b""
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _split_authority(authority: str, default: int) -> tuple[str | None, int | None]:
    """(host, port) of ``host[:port]`` or ``[v6][:port]``; (None, None) when it is not one."""
    host, port_text = authority, ""
    if authority.startswith("["):
        end = authority.find("]")
        if end < 0:
            return None, None
        host, port_text = authority[1:end], authority[end + 1:].removeprefix(":")
    elif ":" in authority:
        host, _, port_text = authority.rpartition(":")
    if not host or any(ch in host for ch in "@/\\ \t"):
        return None, None
    if not port_text:
        return host, default
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None, None
    return host, int(port_text)


def _relay(one: socket.socket, two: socket.socket, *, guard: GuardProxy) -> None:
    """Copy bytes both ways until either side closes or the screenshot's time is up."""
    peers = {one: two, two: one}
    while time.monotonic() < guard.deadline:
        ready, _, broken = select.select([one, two], [], [one, two], min(1.0, guard.left()))
        if broken:
            return
        for sock in ready:
            data = sock.recv(65536)
            if not data:
                return
            peers[sock].sendall(data)


def _close(sock: socket.socket) -> None:
    try:
        sock.close()
    except OSError:
        pass
