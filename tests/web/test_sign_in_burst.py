"""A burst of real HTTP sign-ins against ``tawthiq serve --workers 4``: at most the limit get through.

Each worker is its own process with its own connections, so only a count taken
atomically in the database (see ``store.accounts.begin_attempt``) holds.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from pathlib import Path

import httpx

from tawthiq.services import Workspace, accounts

from _client import make_user
from _serve import serving

WORKERS = 4
BURST = 24
START_TIMEOUT = 120.0


def burst_of_guesses(base: str, *, username: str, password: str, burst: int) -> Counter[int]:
    """``burst`` sign-ins posted at once, each on its own connection; their status codes."""
    page = httpx.get(f"{base}/login", timeout=60)
    cookie = page.cookies["tawthiq_login_csrf"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    barrier = threading.Barrier(burst)
    statuses: list[int] = []
    lock = threading.Lock()

    def one() -> None:
        with httpx.Client(timeout=120, cookies={"tawthiq_login_csrf": cookie}) as client:
            barrier.wait()
            response = client.post(f"{base}/login", data={"username": username, "password": password,
                                                          "csrf_token": token})
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=one) for _ in range(burst)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return Counter(statuses)


def test_a_burst_against_four_workers_lets_through_at_most_the_limit(ws: Workspace, tmp_path: Path) -> None:
    make_user(ws, "target", "admin")
    with serving(database_url=ws.settings.database_url, data_dir=ws.settings.data_dir, log=tmp_path / "serve.log",
                 args=("--workers", str(WORKERS)), ready=2 * WORKERS, timeout=START_TIMEOUT) as (base, _, _):
        statuses = burst_of_guesses(base, username="target", password="a wrong guess here", burst=BURST)
    assert statuses == Counter({401: accounts.MAX_FAILURES_PER_PAIR, 429: BURST - accounts.MAX_FAILURES_PER_PAIR})
