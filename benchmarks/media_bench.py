#!/usr/bin/env python3
"""Ingest of many small images (facts, EXIF, perceptual hashes, thumbnails, near-duplicates) and verify over them.

    .venv/bin/python benchmarks/media_bench.py [--images 10000] [--database-url URL] [--dir DIR] [--profile]

Makes ``--images`` distinct 640 × 480 JPEGs (a smooth random scene each,
like a photo, ~40 KB, with EXIF: make, model, capture time with offset,
GPS) in a temporary directory, then ingests them through the same code path
as ``tawthiq ingest`` (``services.ingest.ingest_files``: stream into the store, probe,
EXIF, phash, band lookup for near-duplicates, source + custody entries,
thumbnail as a derived copy), and reports files per second. Every 50th
image is also given as a WhatsApp-style copy (320 px, quality 30), so the
near-duplicate path does real work; the figure counts all files.

It also counts how many planted copies were flagged against their original
and how many other pairs were flagged (false positives).

Then ``evidence.verify`` (what ``tawthiq verify`` runs) re-hashes every
original and derived copy and walks the custody chain; it is timed in
process and as the ``tawthiq verify`` command.
``--profile`` writes a cProfile of the ingest to ``media_bench.prof``.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image

WHATSAPP_EVERY = 50


_GRAIN = np.random.default_rng(0).integers(-10, 11, size=(480, 640, 3)).astype(np.int16)


def make_image(seed: int) -> Image.Image:
    """A smooth random scene (distinct for each seed) with sensor-like grain, as a photo has."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, size=(6, 8, 3), dtype=np.uint8)
    image = Image.fromarray(coarse, "RGB").resize((640, 480), Image.Resampling.BICUBIC)
    grain = np.roll(_GRAIN, seed % 480, axis=0)
    return Image.fromarray(np.clip(np.asarray(image, dtype=np.int16) + grain, 0, 255).astype(np.uint8), "RGB")


def make_exif(seed: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = f"SM-A{500 + seed % 50}F"
    exif[ExifTags.Base.Software] = "A505FDDU9CUB1"
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    taken = datetime(2016, 1, 1, 8) + timedelta(minutes=37 * seed)
    sub[ExifTags.Base.DateTimeOriginal] = taken.strftime("%Y:%m:%d %H:%M:%S")
    sub[ExifTags.Base.OffsetTimeOriginal] = "+02:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLongitudeRef] = "N", "E"
    gps[ExifTags.GPS.GPSLatitude] = (36.0, float(seed % 60), 0.0)
    gps[ExifTags.GPS.GPSLongitude] = (37.0, float((seed * 7) % 60), 0.0)
    return exif


def generate(folder: Path, count: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for n in range(count):
        image = make_image(n)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85, exif=make_exif(n))
        (folder / f"IMG_{n:05d}.jpg").write_bytes(out.getvalue())
        total += 1
        if n % WHATSAPP_EVERY == 0:
            small = image.copy()
            small.thumbnail((320, 320))
            out = io.BytesIO()
            small.save(out, "JPEG", quality=30)
            (folder / f"IMG_{n:05d}-WA.jpg").write_bytes(out.getvalue())
            total += 1
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file in the temp directory")
    parser.add_argument("--dir", type=Path, default=Path.cwd(), help="parent of the temporary directory")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from tawthiq.evidence.verify import verify
    from tawthiq.services import Workspace
    from tawthiq.services.ingest import ingest_files
    from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
    from tawthiq.store.db import connect, init_db
    from tawthiq.store.media import count_media

    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {platform.platform()}, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs", flush=True)
    with tempfile.TemporaryDirectory(prefix="media-bench-", dir=args.dir) as tmp:
        workdir = Path(tmp)
        began = time.perf_counter()
        files = generate(workdir / "in", args.images)
        size = sum(p.stat().st_size for p in (workdir / "in").iterdir())
        print(f"generated {files} JPEGs ({size / files / 1024:.0f} KB average) in "
              f"{time.perf_counter() - began:.1f} s", flush=True)
        url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
        data_dir = workdir / "data"
        database = connect(url)
        init_db(database)
        database.dispose()
        ws = Workspace.open(Settings(database_url=url, data_dir=data_dir, max_file_size=DEFAULT_MAX_FILE_SIZE))
        profiler = cProfile.Profile() if args.profile else None
        began = time.perf_counter()
        if profiler:
            profiler.enable()
        results = ingest_files(ws, [workdir / "in"], actor="bench")
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - began
        failed = [r for r in results if r.status != "new"]
        if failed:
            raise SystemExit(f"{len(failed)} not ingested, e.g. {failed[0].path.name}: {failed[0].error}")
        print(f"ingest: {files} files in {seconds:.1f} s = {files / seconds:.1f} files/s "
              f"({count_media(ws.db)} media rows)", flush=True)
        found, planted, others = near_duplicate_figures(ws, results)
        print(f"near-duplicates: {found} of {planted} planted WhatsApp-style copies flagged, "
              f"{others} other pair(s) flagged", flush=True)
        if profiler:
            profiler.dump_stats("media_bench.prof")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        began = time.perf_counter()
        report = verify(ws.db, blobs=ws.blobs)
        verify_seconds = time.perf_counter() - began
        print(f"verify (in process): {verify_seconds:.1f} s — {report.summary()}", flush=True)
        if not report.ok:
            raise SystemExit("verify found problems: " + "; ".join(report.problems[:5]))
        ws.db.dispose()
        env = {**os.environ, "TAWTHIQ_DATABASE_URL": url, "TAWTHIQ_DATA_DIR": str(data_dir)}
        began = time.perf_counter()
        command = subprocess.run([sys.executable, "-m", "tawthiq", "verify"], env=env, capture_output=True, text=True)
        print(f"tawthiq verify (command, exit {command.returncode}): {time.perf_counter() - began:.1f} s", flush=True)


def near_duplicate_figures(ws: object, results: list) -> tuple[int, int, int]:
    """(planted copies flagged against their original, copies planted, pairs flagged that were not planted)."""
    from sqlalchemy import select

    from tawthiq.store.tables import near_duplicates

    name_of = {r.sha256: r.path.name for r in results}
    planted = sum(1 for name in name_of.values() if name.endswith("-WA.jpg"))
    with ws.db.session() as session:  # type: ignore[attr-defined]
        pairs = [(name_of.get(a, a), name_of.get(b, b)) for a, b in
                 session.execute(select(near_duplicates.c.sha256_a, near_duplicates.c.sha256_b))]
    expected = {tuple(sorted((n, n.replace("-WA.jpg", ".jpg")))) for n in name_of.values() if n.endswith("-WA.jpg")}
    found = sum(1 for pair in pairs if tuple(sorted(pair)) in expected)
    return found, planted, len(pairs) - found


if __name__ == "__main__":
    main()
