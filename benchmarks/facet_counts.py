"""Facet counts in process: every facet in one statement against one statement per facet, interleaved.

    .venv/bin/python benchmarks/gen_incidents.py --count 100000 --db bench/incidents.db
    .venv/bin/python benchmarks/facet_counts.py --db bench/incidents.db
    .venv/bin/python benchmarks/facet_counts.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

"One per facet" is the same module asked for one facet at a time (a
statement each, the full match read again by each facet), which is how the
facets were counted before ``store/facets.py`` (see its notes). Both run on
the same filters, alternating which goes first, with no cache, so the
figures are a ratio within one run on a noisy machine. Filters are drawn
from values that exist in the database, as ``web_load.py`` draws its paths.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace
from tawthiq.services.place_search import resolve
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.store.facets import FACETS, count_facets
from tawthiq.store.tables import incidents, involvements

QUEUE_FACETS = ("event_type", "perpetrator", "governorate")
WORDS = ("market", "school", "hospital", "سوق", "مدرسة", "مشفى")


def scenarios(ws: Workspace) -> dict[str, Callable[[random.Random], tuple[IncidentFilter, tuple[str, ...]]]]:
    with ws.db.session() as session:  # type: ignore[attr-defined]
        pairs = session.execute(
            select(incidents.c.event_type, incidents.c.loc_admin1).where(incidents.c.loc_admin1 != "")
            .group_by(incidents.c.event_type, incidents.c.loc_admin1).order_by(func.count().desc()).limit(40)).all()
        actors = session.scalars(
            select(involvements.c.actor).where(involvements.c.role == "perpetrator")
            .group_by(involvements.c.actor).order_by(func.count().desc()).limit(10)).all()
    if not pairs:
        raise SystemExit("error: the database has no incidents: run benchmarks/gen_incidents.py first")
    return {
        "list (type, governorate)": lambda rng: (
            IncidentFilter(event_type=(rng.choice(pairs)[0],), governorate=(rng.choice(pairs)[1],)), FACETS),
        "three facets": lambda rng: (IncidentFilter(
            event_type=(rng.choice(pairs)[0],), governorate=(rng.choice(pairs)[1],),
            perpetrator=(rng.choice(actors),)), FACETS),
        "search (one word)": lambda rng: (IncidentFilter(q=rng.choice(WORDS)), FACETS),
        "queue (governorate)": lambda rng: (IncidentFilter(governorate=(rng.choice(pairs)[1],),
                                                           status=("suggested",)), QUEUE_FACETS),
        "no filter": lambda rng: (IncidentFilter(), FACETS),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="a SQLite database filled by gen_incidents.py")
    where.add_argument("--database-url", help="another database (e.g. PostgreSQL) filled by gen_incidents.py")
    parser.add_argument("--runs", type=int, default=30, help="filters per scenario")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    if args.db and not args.db.is_file():
        parser.error(f"{args.db} does not exist: run benchmarks/gen_incidents.py first")
    url = f"sqlite:///{args.db}" if args.db else args.database_url
    ws = Workspace.open(Settings(database_url=url, data_dir=Path(os.environ.get("TAWTHIQ_DATA_DIR", "bench-data")),
                                 max_file_size=DEFAULT_MAX_FILE_SIZE))
    rng = random.Random(args.seed)
    print(f"{url.split(':')[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, "
          f"{args.runs} filters per scenario")
    print("| scenario | one per facet: median ms | p90 | one statement: median ms | p90 | ratio of medians |")
    print("|---|---|---|---|---|---|")
    for name, draw in scenarios(ws).items():
        times: dict[bool, list[float]] = {False: [], True: []}
        for i in range(args.runs):
            filters, wanted = draw(rng)
            filters = resolve(ws.db, filters)
            for together in ((True, False) if i % 2 else (False, True)):
                with ws.db.session() as session:  # type: ignore[attr-defined]
                    started = time.perf_counter()
                    if together:
                        count_facets(session, filters=filters, seen=None, wanted=wanted)
                    else:
                        for facet in wanted:
                            count_facets(session, filters=filters, seen=None, wanted=(facet,))
                    times[together].append((time.perf_counter() - started) * 1000)

        def p90(xs: list[float]) -> float:
            return sorted(xs)[int(len(xs) * 0.9)]
        apart, together = statistics.median(times[False]), statistics.median(times[True])
        print(f"| {name} | {apart:.1f} | {p90(times[False]):.1f} | {together:.1f} | {p90(times[True]):.1f} | "
              f"{apart / together:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
