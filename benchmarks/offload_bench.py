"""Before/after figures for work moved off the event loop (issue 9 C.6), without wrk.

    .venv/bin/python benchmarks/offload_bench.py load --db bench/incidents.db --src src --label after
    .venv/bin/python benchmarks/offload_bench.py stall --db bench/incidents.db --src src --label after

Each run starts ``tawthiq serve`` (one worker) on the database with
``PYTHONPATH=--src``, so two versions of the code can be compared on the same
machine by pointing ``--src`` at a copy of the older one (``git archive <commit>
src | tar -x -C /tmp/old``) and alternating runs, then signs a new documenter
in through the real /login form.

- ``load``: ``--connections`` closed-loop clients (no wait between requests)
  for ``--duration`` seconds per scenario (list with type and governorate,
  search, incident page; 200 seeded paths each, 20 warm-up requests), and
  prints p50, p95 and requests per second. The client runs in Python on the
  same cores, so compare runs of one session only.
- ``stall``: polls /health every 20 ms from a thread while a few whole-archive
  views are requested one after the other with cold caches, and prints how
  long each took and the slowest /health answer meanwhile.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tawthiq.services import Workspace, accounts
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings

EVENT_TYPES = ("air-drone-strike", "shelling-artillery-missile-attack", "detention", "armed-clash")
GOVERNORATES = ("Aleppo", "Idlib", "Damascus", "Homs", "Daraa", "Rural Damascus", "Hama")
WORDS = ("school", "مدرسة", "hospital", "market", "Aleppo", "children", "قصف", "مستشفى", "civilians", "Idlib")
STALL_PATHS = ("/dashboard", "/dashboard?event_type=air-drone-strike", "/timeline", "/map/features.geojson",
               "/incidents?governorate=Aleppo&event_type=detention")


@contextmanager
def serving(db: Path, src: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """(base URL, session cookies of a signed-in documenter) of a server running the code in ``src``."""
    settings = Settings(database_url=f"sqlite:///{db}", data_dir=db.parent / f"{db.stem}-data",
                        max_file_size=DEFAULT_MAX_FILE_SIZE)
    ws = Workspace.open(settings)
    username, password = f"offload-{secrets.token_hex(4)}", secrets.token_urlsafe(18)
    accounts.create_user(ws, actor=None, username=username, password=password, role="documenter",
                         display_name="offload_bench.py")
    ws.db.dispose()  # type: ignore[attr-defined]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "TAWTHIQ_DATABASE_URL": settings.database_url, "TAWTHIQ_DATA_DIR": str(settings.data_dir),
           "TAWTHIQ_COOKIE_SECURE": "0", "PYTHONPATH": str(src.resolve())}
    process = subprocess.Popen([sys.executable, "-m", "tawthiq", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        with httpx.Client(base_url=url, timeout=120) as client:
            token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
            if token is None:
                raise SystemExit("error: no sign-in form at /login")
            client.post("/login", data={"username": username, "password": password, "csrf_token": token[1]})
            yield url, dict(client.cookies.items())
    finally:
        process.terminate()
        process.wait()


def scenarios(top_id: int) -> dict[str, list[str]]:
    rng = random.Random(1)
    return {
        "list": [f"/incidents?event_type={rng.choice(EVENT_TYPES)}&governorate={rng.choice(GOVERNORATES)}"
                 f"&page={rng.randint(1, 3)}" for _ in range(200)],
        "search": [f"/incidents?q={rng.choice(WORDS)}" for _ in range(200)],
        "incident": [f"/incidents/{rng.randint(1, top_id)}" for _ in range(200)],
    }


async def load(url: str, cookies: dict[str, str], *, label: str, connections: int, duration: float,
               top_id: int) -> None:
    async with httpx.AsyncClient(base_url=url, cookies=cookies, timeout=60) as warm:
        for name, paths in scenarios(top_id).items():
            for path in paths[:20]:
                answer = await warm.get(path)
                if answer.status_code != 200:
                    raise SystemExit(f"error: GET {path} answered {answer.status_code}")
            times: list[float] = []
            errors = 0
            end = time.monotonic() + duration

            async def user(first: int) -> None:
                nonlocal errors
                async with httpx.AsyncClient(base_url=url, cookies=cookies, timeout=60) as client:
                    i = first
                    while time.monotonic() < end:
                        started = time.perf_counter()
                        answer = await client.get(paths[i % len(paths)])
                        times.append((time.perf_counter() - started) * 1000)
                        errors += answer.status_code != 200
                        i += connections

            await asyncio.gather(*(user(k) for k in range(connections)))
            times.sort()
            print(f"{label} {name:<9} p50 {statistics.median(times):7.1f} ms  p95 {times[int(len(times) * 0.95)]:7.1f}"
                  f" ms  {len(times) / duration:6.1f} req/s  errors {errors}", flush=True)


def stall(url: str, cookies: dict[str, str], *, label: str) -> None:
    latencies: list[float] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                started = time.monotonic()
                client.get(f"{url}/health")
                latencies.append(time.monotonic() - started)
                time.sleep(0.02)

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.3)
    try:
        with httpx.Client(base_url=url, cookies=cookies, timeout=300) as client:
            client.get("/dashboard?governorate=Homs")  # templates compiled, connections open
            for path in STALL_PATHS:
                time.sleep(0.1)
                latencies.clear()
                started = time.monotonic()
                status = client.get(path).status_code
                took = time.monotonic() - started
                time.sleep(0.1)
                print(f"{label} {path:<52} {status} {took * 1000:7.0f} ms; slowest /health "
                      f"{max(latencies) * 1000:6.0f} ms of {len(latencies)}", flush=True)
    finally:
        stop.set()
        poller.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("load", "stall"))
    parser.add_argument("--db", type=Path, required=True, help="the SQLite file made by gen_incidents.py")
    parser.add_argument("--src", type=Path, default=Path("src"), help="the code to serve (its src folder)")
    parser.add_argument("--label", default="", help="printed at the start of each line")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--duration", type=float, default=12.0, help="seconds per load scenario")
    parser.add_argument("--top-id", type=int, default=20_000, help="incident ids are drawn from 1 to this")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        parser.error(f"{args.db} does not exist: run benchmarks/gen_incidents.py first")
    with serving(args.db, args.src) as (url, cookies):
        if args.what == "load":
            asyncio.run(load(url, cookies, label=args.label, connections=args.connections, duration=args.duration,
                             top_id=args.top_id))
        else:
            stall(url, cookies, label=args.label)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
