"""``tawthiq serve --trusted-proxy``: behind a TLS proxy, sign-in limits count the client's address.

Without the option X-Forwarded-For is never believed (anyone could claim any address); with it,
only the named proxy's header is, so an attacker's failures behind the proxy do not lock out a
colleague signing in through the same proxy.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

import tawthiq
from tawthiq.services import Workspace, accounts

from _client import PASSWORD, make_user


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _server(ws: Workspace, tmp_path: Path, *extra: str) -> Iterator[str]:
    port = _free_port()
    src = str(Path(tawthiq.__file__).resolve().parents[1])
    env = {**os.environ, "TAWTHIQ_DATABASE_URL": ws.settings.database_url,
           "TAWTHIQ_DATA_DIR": str(ws.settings.data_dir), "TAWTHIQ_COOKIE_SECURE": "0",
           "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    log_path = tmp_path / f"serve-{port}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen([sys.executable, "-m", "tawthiq", "serve", "--port", str(port), *extra],
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                assert server.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "the server did not start"
                try:
                    if httpx.get(f"{base}/health", timeout=10).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.3)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=30)


def _sign_in(base: str, *, username: str, password: str, forwarded_for: str) -> int:
    with httpx.Client(base_url=base, timeout=60, headers={"X-Forwarded-For": forwarded_for}) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        return client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token}).status_code


@pytest.mark.parametrize("trusted", [False, True], ids=["untrusted", "trusted"])
def test_forwarded_addresses_count_only_from_a_trusted_proxy(ws: Workspace, tmp_path: Path, trusted: bool) -> None:
    make_user(ws, "nour", "documenter")
    extra = ("--trusted-proxy", "127.0.0.1") if trusted else ()
    with _server(ws, tmp_path, *extra) as base:
        for _ in range(accounts.MAX_FAILURES_PER_PAIR):
            assert _sign_in(base, username="nour", password="a wrong guess", forwarded_for="203.0.113.9") == 401
        colleague = _sign_in(base, username="nour", password=PASSWORD, forwarded_for="198.51.100.7")
        attacker = _sign_in(base, username="nour", password=PASSWORD, forwarded_for="203.0.113.9")
    # Trusted: the colleague's own address is not locked; untrusted: everyone is the proxy (127.0.0.1).
    assert (colleague, attacker) == ((303, 429) if trusted else (429, 429))
