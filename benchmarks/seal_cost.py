#!/usr/bin/env python3
"""What sealing every write (issue 13 §2) costs ingest and a review decision, against the same work unsealed.

    .venv/bin/python benchmarks/seal_cost.py [--files 200] [--rounds 3] [--workdir DIR] [--database-url URL]

Two workspaces in one run, on the same engine: one as the application makes it (every session's
writes sealed at commit), one whose sessions carry no sealing hooks (``store.seals.install`` made a
no-op before it connects — possible only here: the application has no such switch). Each round
ingests ``--files`` short reports (one incident each, an English or Arabic air-strike report of
~300 bytes: the case where sealing's fixed cost per commit weighs most) into each workspace in
alternating order, then approves every new incident one by one through the review service (one
commit each). Medians of the rounds give milliseconds per file and per decision and the ratio
sealed/unsealed. ``--database-url`` runs both on a PostgreSQL server (two schemas made and dropped
here); without it, two SQLite files.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

EN = ("On {day} March 2016 an air strike hit the market in {town}, killing {n} civilians and injuring {m} others. "
      "Witnesses said Syrian government forces were responsible.\n")
AR = "قتل {n} مدنيين وأصيب {m} آخرون في قصف جوي على بلدة {town} يوم {day} آذار 2016.\n"
TOWNS = ("Ariha", "Douma", "Maarat al-Numan", "al-Mashlab", "Saraqib", "Jisr al-Shughur", "Tabqa", "Kafr Nabl")


def write_reports(folder: Path, *, count: int, offset: int) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        k = offset + i
        text = (EN if k % 2 else AR).format(day=1 + k % 28, town=TOWNS[k % len(TOWNS)], n=2 + k % 9, m=3 + k % 7)
        path = folder / f"r{k:06d}.txt"
        path.write_text(text + f"Reference {uuid.uuid4().hex}.\n", encoding="utf-8")  # each file distinct
        paths.append(path)
    return paths


def open_workspace(url: str, data_dir: Path, *, sealed: bool):  # noqa: ANN201 - the project's Workspace
    from tawthiq.services import Workspace
    from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
    from tawthiq.store import seals

    real = seals.install
    if not sealed:
        seals.install = lambda maker: None  # type: ignore[assignment]
    try:
        return Workspace.open(Settings(database_url=url, data_dir=data_dir, max_file_size=DEFAULT_MAX_FILE_SIZE),
                              create=True)
    finally:
        seals.install = real  # type: ignore[assignment]


def reviewer(ws):  # noqa: ANN001, ANN201
    from tawthiq.services.accounts import create_user

    return create_user(ws, actor=None, username="bench-reviewer", password="a long benchmark passphrase 7731",
                       role="reviewer")


def one_round(ws, user, reports: list[Path]) -> tuple[float, float, int]:  # noqa: ANN001
    from tawthiq.services import list_incidents
    from tawthiq.services.ingest import ingest_files
    from tawthiq.services.review import accept

    before = {i.id for i in list_incidents(ws)}
    start = time.perf_counter()
    results = ingest_files(ws, reports, actor="cli:bench")
    ingest_s = time.perf_counter() - start
    bad = [r for r in results if r.status != "new"]
    if bad:
        raise SystemExit(f"ingest failed: {bad[0].error}")
    new = [i.id for i in list_incidents(ws) if i.id not in before]
    start = time.perf_counter()
    for incident_id in new:
        accept(ws, user=user, incident_id=incident_id, comment="benchmark")
    review_s = time.perf_counter() - start
    return ingest_s, review_s, len(new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--database-url", help="a PostgreSQL server URL (two schemas are made and dropped)")
    args = parser.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="seal-cost-"))
    schemas: list[str] = []
    urls: dict[bool, str] = {}
    for sealed in (True, False):
        if args.database_url:
            from sqlalchemy import create_engine

            schema = f"bench_{uuid.uuid4().hex[:12]}"
            with create_engine(args.database_url).begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            schemas.append(schema)
            urls[sealed] = f"{args.database_url}?options=-csearch_path%3D{schema}"
        else:
            urls[sealed] = f"sqlite:///{work / ('sealed' if sealed else 'unsealed')}.db"
    spaces = {sealed: open_workspace(urls[sealed], work / f"data-{sealed}", sealed=sealed) for sealed in (True, False)}
    users = {sealed: reviewer(ws) for sealed, ws in spaces.items()}
    for sealed, ws in spaces.items():  # load the extractor and warm the caches before anything is timed
        one_round(ws, users[sealed], write_reports(work / f"warm-{sealed}", count=3, offset=10**6))
    times: dict[bool, list[tuple[float, float, int]]] = {True: [], False: []}
    try:
        for r in range(args.rounds):
            order = (True, False) if r % 2 == 0 else (False, True)
            for sealed in order:
                reports = write_reports(work / f"in-{sealed}-{r}", count=args.files, offset=r * args.files)
                times[sealed].append(one_round(spaces[sealed], users[sealed], reports))
    finally:
        for ws in spaces.values():
            ws.db.dispose()
        if schemas:
            from sqlalchemy import create_engine

            with create_engine(args.database_url).begin() as conn:
                for schema in schemas:
                    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def per(sealed: bool, which: int) -> float:
        return statistics.median(t[which] / max(1, t[2] if which else args.files) for t in times[sealed]) * 1000

    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"seal cost on {engine}, {args.files} files x {args.rounds} rounds, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
          f"{platform.machine()} {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    for label, which in (("ingest ms/file", 0), ("review ms/decision", 1)):
        sealed, unsealed = per(True, which), per(False, which)
        print(f"  {label:20} sealed {sealed:7.2f}  unsealed {unsealed:7.2f}  ratio {sealed / unsealed:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
