"""``tawthiq serve`` in a subprocess on a free port, for tests that need a real server and real sockets.

The in-process TestClient runs one request at a time, believes no proxy and spools nothing to disk,
so stalls, worker processes, forwarded addresses and temporary files are only seen this way.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

SRC = str(Path(__file__).resolve().parents[2] / "src")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(*, database_url: str, data_dir: Path, log: Path, args: tuple[str, ...] = (),
            env: dict[str, str] | None = None, ready: int = 1, timeout: float = 120.0,
            ) -> Iterator[tuple[str, int, subprocess.Popen[bytes]]]:
    """(base URL, port, process) of a running server, stopped afterwards.

    ``ready``: how many /health answers in a row mean it is up (with several ``--workers``, more
    than one, so that not only the first worker answers). The server's output goes to ``log``.
    """
    port = free_port()
    full_env = {**os.environ, "TAWTHIQ_DATABASE_URL": database_url, "TAWTHIQ_DATA_DIR": str(data_dir),
                "TAWTHIQ_COOKIE_SECURE": "0", **(env or {}),
                "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "tawthiq", "serve", "--port", str(port), *args],
                                   env=full_env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline, answered = time.monotonic() + timeout, 0
            while answered < ready:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start: {log.read_text(errors='replace')[-2000:]}")
                try:
                    answered += httpx.get(f"{url}/health", timeout=10).status_code == 200
                except httpx.TransportError:
                    answered = 0
                    time.sleep(0.1)
            yield url, port, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)
