"""Time single page requests in-process (no HTTP server, no concurrency).

    .venv/bin/python benchmarks/page_times.py --db bench/incidents.db

What one request costs the server, without queueing: the figure to compare
when changing a query, an index or a template. Builds the app on the
database, signs a new documenter in through the real /login form, warms each
path up, then requests it ``--repeat`` times and prints the median, p90 and
max in milliseconds. Caches (list totals, facets) are warm after the first
request, as they are for a busy server.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import re
import secrets
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from tawthiq.services import Workspace, accounts
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.web.app import create_app

DEFAULT_PATHS = (
    "/incidents?event_type=air-drone-strike&governorate=Aleppo&page=2",
    "/incidents?event_type=shelling-artillery-missile-attack&governorate=Idlib&page=3",
    "/incidents?q=school",
    "/incidents?q=مدرسة",
    "/incidents/{id}",
)


async def measure(ws: Workspace, paths: list[str], *, repeat: int, top_id: int) -> None:
    username, password = f"times-{secrets.token_hex(4)}", secrets.token_urlsafe(18)
    accounts.create_user(ws, actor=None, username=username, password=password, role="documenter",
                         display_name="page_times.py")
    app = create_app(ws.settings, workspace=ws)
    rng = random.Random(7)
    transport = httpx.ASGITransport(app=app)
    # https, so the Secure session cookie is sent back.
    async with httpx.AsyncClient(transport=transport, base_url="https://bench") as client:
        form = await client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        if token is None:
            raise SystemExit("error: no sign-in form at /login")
        done = await client.post("/login", data={"username": username, "password": password,
                                                 "csrf_token": token.group(1)})
        if done.status_code != 303:
            raise SystemExit(f"error: signing in gave {done.status_code}")
        print(f"{'path':<72} {'median':>8} {'p90':>8} {'max':>8}  (ms, {repeat} requests)")
        for path in paths:
            times: list[float] = []
            for i in range(repeat + 3):
                url = path.format(id=rng.randint(1, top_id))
                started = time.perf_counter()
                answer = await client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
                if answer.status_code != 200:
                    raise SystemExit(f"error: GET {url} answered {answer.status_code}")
                if i >= 3:  # the first three warm the caches
                    times.append(elapsed)
            times.sort()
            p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
            print(f"{path[:72]:<72} {statistics.median(times):>8.1f} {p90:>8.1f} {times[-1]:>8.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="the SQLite file made by gen_incidents.py")
    where.add_argument("--database-url", help="a database loaded by gen_incidents.py --database-url (PostgreSQL)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per path after the warm-up")
    parser.add_argument("--path", action="append", help="a path to time ({id}: a random incident); repeatable")
    args = parser.parse_args(argv)
    if args.db is not None and not args.db.is_file():
        parser.error(f"{args.db} does not exist: run benchmarks/gen_incidents.py first")
    if args.db is not None:
        url, data_dir = f"sqlite:///{args.db}", args.db.parent / f"{args.db.stem}-data"
    else:  # originals are never read by these pages; a scratch directory will do
        url, data_dir = args.database_url, Path(tempfile.mkdtemp(prefix="page-times-"))
    settings = Settings(database_url=url, data_dir=data_dir, max_file_size=DEFAULT_MAX_FILE_SIZE)
    ws = Workspace.open(settings)
    from sqlalchemy import func, select

    from tawthiq.store.tables import incidents

    with ws.db.session() as session:  # type: ignore[attr-defined]
        top_id = int(session.scalar(select(func.max(incidents.c.id))) or 0)
    if not top_id:
        raise SystemExit("error: the database has no incidents")
    asyncio.run(measure(ws, list(args.path or DEFAULT_PATHS), repeat=max(1, args.repeat), top_id=top_id))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
