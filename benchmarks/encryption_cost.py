#!/usr/bin/env python3
"""What encryption at rest costs: the same work on a plain and on an encrypted workspace, in one run.

    .venv/bin/python benchmarks/encryption_cost.py [--files 300] [--reads 3] [--media-mb 20] [--rounds 2]

Measured at the services level (what the CLI and the web app call): ingest of
N text reports (store the original, extract, write the rows, link), then the
reading side: incident list pages, each source's page (its row and incidents)
and its original read back through the store, ``verify`` (re-hash every
original), and storing and reading back one large file (the streamed sealing
and opening alone). Prints seconds and the encrypted/plain ratio per task;
the unlocking (Argon2id, once per command) is timed apart.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from tawthiq.domain.access import Role, User  # noqa: E402
from tawthiq.services import Workspace, init_workspace, list_incidents, list_sources  # noqa: E402
from tawthiq.services.encryption import init_encrypted, unlock  # noqa: E402
from tawthiq.services.ingest import ingest_files, input_files  # noqa: E402
from tawthiq.services.integrity import verify  # noqa: E402
from tawthiq.services.reading import get_source_view  # noqa: E402
from tawthiq.settings import Settings  # noqa: E402

PLACES = ["Douma", "Harasta", "Aleppo", "Idlib", "Homs", "Daraa", "Raqqa", "Hama", "Deir ez-Zor", "Saraqib"]
EVENTS = ["an airstrike hit the market", "shelling hit a school", "a car bomb exploded near the hospital",
          "a barrel bomb fell on a residential building"]


def _reports(folder: Path, n: int) -> None:
    rng = random.Random(7)
    for i in range(n):
        day, month = rng.randint(1, 28), rng.choice(["March", "May", "July", "October"])
        body = (f"On {day} {month} {rng.randint(2012, 2020)} {rng.choice(EVENTS)} in {rng.choice(PLACES)}, "
                f"killing {rng.randint(1, 40)} civilians including {rng.randint(1, 9)} children, witnesses said. ")
        (folder / f"report-{i:05d}.txt").write_text(body * rng.randint(3, 12), encoding="utf-8")


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _tasks(ws: Workspace, inputs: Path, *, big: Path) -> dict[str, Callable[[], object]]:
    """The timed tasks of one workspace, in order (ingest first: the others read what it stored)."""
    admin = User(id=0, username="bench", role=Role.ADMIN)
    stored: dict[str, str] = {}

    def pages() -> None:
        offset = 0
        while list_incidents(ws, limit=50, offset=offset):
            offset += 50

    def source_pages() -> None:
        for s in list_sources(ws):
            get_source_view(ws, user=admin, source_id=s.id)
            ws.blobs.get(s.sha256)

    def store_big() -> None:
        stored["big"] = ws.blobs.put_file(big)

    return {
        # Linking is left out: it reads only the database, and its run time would drown the rest.
        "ingest": lambda: ingest_files(ws, input_files([inputs]), link=False),
        "incident list pages": pages,
        "source pages + originals": source_pages,
        "verify (re-hash all)": lambda: verify(ws),
        "store one large file": store_big,
        "read it back": lambda: sum(len(c) for c in ws.blobs.iter_chunks(stored["big"])),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--reads", type=int, default=3)
    parser.add_argument("--media-mb", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2, help="fresh workspace pairs; the best time is kept")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tawthiq-enc-bench-") as temp:
        root = Path(temp)
        inputs = root / "inputs"
        inputs.mkdir()
        _reports(inputs, args.files)
        big = root / "big.bin"
        big.write_bytes(os.urandom(args.media_mb * 1024 * 1024))

        def settings(name: str) -> Settings:
            return Settings(database_url=f"sqlite:///{root / name / 'tawthiq.db'}", data_dir=root / name / "data",
                            max_file_size=max(50 * 1024 * 1024, 2 * args.media_mb * 1024 * 1024))

        # Load the extractor and vocabularies once before any timed run, so neither side pays for it.
        (root / "warm").mkdir()
        warm_inputs = root / "warm-inputs"
        warm_inputs.mkdir()
        _reports(warm_inputs, 3)
        ingest_files(init_workspace(settings("warm")), input_files([warm_inputs]), link=False)
        best: dict[str, dict[str, float]] = {"plain": {}, "encrypted": {}}
        unlock_s = 0.0
        # Rounds on fresh workspaces, plain and encrypted alternating; the best time of each task is kept
        # (a shared machine's noise only ever adds time).
        for round_no in range(args.rounds):
            for kind in ("plain", "encrypted"):
                name = f"{kind}-{round_no}"
                (root / name).mkdir()
                if kind == "plain":
                    ws = init_workspace(settings(name))
                else:
                    ws = init_encrypted(settings(name), passphrase="benchmark passphrase").workspace
                    unlock_s = _timed(lambda: unlock(settings(name), passphrase="benchmark passphrase"))
                for label, task in _tasks(ws, inputs, big=big).items():
                    took = _timed(task)
                    if label != "ingest":
                        took = min(took, *(_timed(task) for _ in range(args.reads - 1))) if args.reads > 1 else took
                    best[kind][label] = min(best[kind].get(label, took), took)
                ws.db.dispose()
        a, b = best["plain"], best["encrypted"]
    print(f"{args.files} text reports, best of {args.rounds} rounds x {args.reads} reading passes, "
          f"one {args.media_mb} MiB file")
    print(f"{'task':28} {'plain s':>9} {'encrypted s':>12} {'ratio':>7}")
    for label in a:
        print(f"{label:28} {a[label]:9.3f} {b[label]:12.3f} {b[label] / a[label]:7.2f}x")
    print(f"unlock (Argon2id, once per command): {unlock_s:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
