"""``tawthiq serve --trusted-proxy``: behind a TLS proxy, sign-in limits count the client's address.

Without the option X-Forwarded-For is never believed (anyone could claim any address); with it,
only the named proxy's header is, so an attacker's failures behind the proxy do not lock out a
colleague signing in through the same proxy.
"""
from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tawthiq.services import Workspace, accounts

from _client import PASSWORD, make_user
from _serve import serving


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
    with serving(database_url=ws.settings.database_url, data_dir=ws.settings.data_dir,
                 log=tmp_path / "serve.log", args=extra) as (base, _, _):
        for _ in range(accounts.MAX_FAILURES_PER_PAIR):
            assert _sign_in(base, username="nour", password="a wrong guess", forwarded_for="203.0.113.9") == 401
        colleague = _sign_in(base, username="nour", password=PASSWORD, forwarded_for="198.51.100.7")
        attacker = _sign_in(base, username="nour", password=PASSWORD, forwarded_for="203.0.113.9")
    # Trusted: the colleague's own address is not locked; untrusted: everyone is the proxy (127.0.0.1).
    assert (colleague, attacker) == ((303, 429) if trusted else (429, 429))
