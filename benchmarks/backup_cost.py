#!/usr/bin/env python3
"""Backup and restore throughput: create, check and restore an age-encrypted backup of a workspace.

    .venv/bin/python benchmarks/backup_cost.py [--reports 500] [--photos 40] [--photo-px 2400]
        [--encrypted] [--restore-url postgresql+psycopg://...] [--rounds 2]

Builds a workspace (SQLite; ``--encrypted`` for an encrypted one) by ingesting
``--reports`` text reports and ``--photos`` photo-sized JPEGs of noise (which do
not compress, like real photos), through the same services as the CLI, then
times what ``tawthiq backup create | verify | restore`` call:

* create: a full backup to one age recipient (X25519);
* verify: decrypt the backup as a stream and check every member's hash;
* restore: into an empty folder (SQLite) or an empty database (``--restore-url``),
  ending with the checks of ``tawthiq verify`` (every original re-hashed);
* incremental: after a few more reports and one more photo, a backup that leaves out
  the originals the full one holds (its size shows what is left out).

Prints the workspace's size (database file plus stored files) and MB/s for
each step; each figure is the best of ``--rounds``.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from pyrage import x25519  # noqa: E402

from tawthiq.services import backups, init_workspace  # noqa: E402
from tawthiq.services.encryption import init_encrypted  # noqa: E402
from tawthiq.services.ingest import ingest_files, input_files  # noqa: E402
from tawthiq.settings import Settings  # noqa: E402

PLACES = ["Douma", "Harasta", "Aleppo", "Idlib", "Homs", "Daraa", "Raqqa", "Hama", "Deir ez-Zor", "Saraqib"]
EVENTS = ["an airstrike hit the market", "shelling hit a school", "a car bomb exploded near the hospital",
          "a barrel bomb fell on a residential building"]


def _reports(folder: Path, n: int, *, start: int = 0) -> None:
    rng = random.Random(11 + start)
    for i in range(start, start + n):
        day, month = rng.randint(1, 28), rng.choice(["March", "May", "July", "October"])
        body = (f"On {day} {month} {rng.randint(2012, 2020)} {rng.choice(EVENTS)} in {rng.choice(PLACES)}, "
                f"killing {rng.randint(1, 40)} civilians including {rng.randint(1, 9)} children, witnesses said. ")
        (folder / f"report-{i:05d}.txt").write_text(body * rng.randint(3, 12), encoding="utf-8")


def _photos(folder: Path, n: int, *, px: int, start: int = 0) -> None:
    import numpy as np
    from PIL import Image

    for i in range(start, start + n):
        rng = np.random.default_rng(1000 + i)
        pixels = rng.integers(0, 256, size=(px * 3 // 4, px, 3), dtype=np.uint8)
        Image.fromarray(pixels, "RGB").save(folder / f"photo-{i:04d}.jpg", quality=92)


def _size(settings: Settings) -> int:
    db_file = Path(settings.database_url.removeprefix("sqlite:///"))
    files = [p for p in settings.data_dir.rglob("*") if p.is_file()]
    return db_file.stat().st_size + sum(p.stat().st_size for p in files)


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--photos", type=int, default=40)
    parser.add_argument("--photo-px", type=int, default=2400, help="photo width in pixels (height is 3/4 of it)")
    parser.add_argument("--encrypted", action="store_true", help="back up an encrypted workspace")
    parser.add_argument("--restore-url", default=None, help="restore into this empty server database instead")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    identity = x25519.Identity.generate()
    keys = backups.keys(recipients=[str(identity.to_public())])
    open_keys = backups.Keys(identities=(str(identity),))
    with tempfile.TemporaryDirectory(prefix="tawthiq-backup-bench-") as temp:
        root = Path(temp)
        inputs, more = root / "inputs", root / "more"
        inputs.mkdir()
        more.mkdir()
        _reports(inputs, args.reports)
        _photos(inputs, args.photos, px=args.photo_px)
        _reports(more, 20, start=args.reports)
        _photos(more, 1, px=args.photo_px, start=args.photos)
        settings = Settings(database_url=f"sqlite:///{root / 'ws' / 'tawthiq.db'}", data_dir=root / "ws" / "data",
                            max_file_size=1 << 30)
        (root / "ws").mkdir()
        if args.encrypted:
            ws = init_encrypted(settings, passphrase="benchmark passphrase").workspace
        else:
            ws = init_workspace(settings)
        took, results = _timed(lambda: ingest_files(ws, input_files([inputs]), link=False))
        failed = [r for r in results if r.status == "failed"]
        if failed:
            print(f"{len(failed)} files not ingested, e.g. {failed[0].path.name}: {failed[0].error}")
            return 1
        size = _size(settings)
        mb = size / 1e6
        print(f"machine: {platform.node()} {platform.machine()} nproc={os.cpu_count()} python {platform.python_version()}")
        print(f"workspace: {'encrypted' if args.encrypted else 'plain'} SQLite, {args.reports} reports + "
              f"{args.photos} photos ({args.photo_px} px), {mb:.1f} MB on disk (ingest {took:.1f} s)")
        best: dict[str, float] = {}
        sizes: dict[str, int] = {}
        for round_no in range(args.rounds):
            full = root / f"full-{round_no}.age"
            took, _ = _timed(lambda: backups.create(ws, output=full, keys=keys, actor="bench", machine="bench"))
            best["create"] = min(best.get("create", took), took)
            sizes["full"] = full.stat().st_size
            took, _ = _timed(lambda: backups.verify(full, keys=open_keys))
            best["verify"] = min(best.get("verify", took), took)
            target = root / f"restored-{round_no}"
            if args.restore_url:
                _empty_schema(args.restore_url)
            took, result = _timed(lambda: backups.restore([full], to=target, keys=open_keys,
                                                          database_url=args.restore_url))
            if not result.ok:
                print("restore NOT ok:", result.count_problems(), result.report.problems[:5])
                return 1
            best["restore (+ verify)"] = min(best.get("restore (+ verify)", took), took)
        ingest_files(ws, input_files([more]), link=False)
        incremental = root / "incremental.age"
        took, made = _timed(lambda: backups.create(ws, output=incremental, keys=keys, actor="bench", machine="bench",
                                                    previous=root / "full-0.age", previous_keys=open_keys))
        sizes["incremental"] = incremental.stat().st_size
        ws.db.dispose()
        print(f"{'step':22} {'best s':>8} {'MB/s':>8}")
        for step, seconds in best.items():
            print(f"{step:22} {seconds:8.2f} {mb / seconds:8.1f}")
        print(f"full backup file: {sizes['full'] / 1e6:.1f} MB; incremental after 20 reports + 1 photo: "
              f"{sizes['incremental'] / 1e6:.1f} MB in {took:.2f} s ({made.left_out} stored files left out)")
    return 0


def _empty_schema(url: str) -> None:
    """Drop every table of the server database the restore goes into (it must be empty)."""
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    meta.drop_all(engine)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
