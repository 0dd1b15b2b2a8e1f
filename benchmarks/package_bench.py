"""Time `tawthiq package`, `verify-package` and `import-package` on a generated store (issue 4 §5).

Ingests N short text reports and a few large photos (noise PNGs, which do
not compress) into a fresh SQLite instance, packages every source, checks
the bag offline, and imports it into a second fresh instance; each step is
the real command in a subprocess, timed by wall clock. Run:

    .venv/bin/python benchmarks/package_bench.py --reports 300 --photos 3 --dir /tmp/pkgbench
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

PLACES = ["Raqqa", "Aleppo", "Idlib", "Douma", "Deir ez-Zor", "Hama"]


def tawthiq(*args: str, db: Path) -> float:
    env = {**os.environ, "TAWTHIQ_DATABASE_URL": f"sqlite:///{db}", "TAWTHIQ_DATA_DIR": str(db.with_suffix(".data"))}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tawthiq", *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--photos", type=int, default=3)
    parser.add_argument("--side", type=int, default=3000, help="photo width and height in pixels")
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    inputs = args.dir / "in"
    inputs.mkdir(parents=True)
    for i in range(args.reports):
        (inputs / f"r{i:04d}.txt").write_text(
            f"{PLACES[i % len(PLACES)]}, {1 + i % 28} March 2016: shelling killed {2 + i % 9} civilians "
            f"near the market, residents said (report {i}).\n", encoding="utf-8")
    rng = np.random.default_rng(7)
    for i in range(args.photos):
        pixels = rng.integers(0, 256, (args.side, args.side, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(inputs / f"photo{i}.png", compress_level=1)
    a, b = args.dir / "a.db", args.dir / "b.db"
    tawthiq("init", db=a)
    tawthiq("init", db=b)
    ingest = tawthiq("ingest", "--quiet", str(inputs), db=a)
    ids = [str(i) for i in range(1, args.reports + args.photos + 1)]
    bag = args.dir / "bag"
    package = tawthiq("package", "-o", str(bag), *[x for i in ids for x in ("--source", i)], "--reason", "bench", db=a)
    size = sum(f.stat().st_size for f in bag.rglob("*") if f.is_file())
    check = tawthiq("verify-package", str(bag), db=a)
    imported = tawthiq("import-package", str(bag), db=b)
    print(f"{args.reports} reports + {args.photos} photos ({args.side}x{args.side} PNG); bag {size / 1e6:.0f} MB; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"ingest {ingest:.1f} s, package {package:.1f} s, verify-package {check:.1f} s, "
          f"import-package {imported:.1f} s")


if __name__ == "__main__":
    main()
