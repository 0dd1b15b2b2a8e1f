"""A burst of real HTTP sign-ins against ``tawthiq serve --workers 4``: at most the limit get through.

Each worker is its own process with its own connections, so only a count taken
atomically in the database (see ``store.accounts.begin_attempt``) holds.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

import tawthiq
from tawthiq.services import Workspace, accounts

from _client import make_user

WORKERS = 4
BURST = 24
START_TIMEOUT = 120.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    port = _free_port()
    src = str(Path(tawthiq.__file__).resolve().parents[1])
    env = {**os.environ, "TAWTHIQ_DATABASE_URL": ws.settings.database_url,
           "TAWTHIQ_DATA_DIR": str(ws.settings.data_dir), "TAWTHIQ_COOKIE_SECURE": "0",
           "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "tawthiq", "serve", "--port", str(port),
                               "--workers", str(WORKERS)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        ready = 0
        while ready < 2 * WORKERS:  # several answers in a row: the workers are up, not only the first
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            try:
                ready += httpx.get(f"{base}/health", timeout=10).status_code == 200
            except httpx.TransportError:
                ready = 0
                time.sleep(0.3)
        statuses = burst_of_guesses(base, username="target", password="a wrong guess here", burst=BURST)
        assert statuses == Counter({401: accounts.MAX_FAILURES_PER_PAIR, 429: BURST - accounts.MAX_FAILURES_PER_PAIR})
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()
