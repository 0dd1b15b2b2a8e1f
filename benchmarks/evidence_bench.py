#!/usr/bin/env python3
"""SHA-256 ingest throughput against ``sha256sum``, and the time of ``verify`` / ``fixity``.

    .venv/bin/python benchmarks/evidence_bench.py [--size-mb 1024] [--runs 3] [--sources 1000] [--blobs 10000]
                                                  [--dir DIR] [--skip-verify]

Part 1 (issue 4, §7): one file of ``--size-mb`` MiB (a 64 MiB random block
repeated: no sparse regions, nothing a filesystem could compress) in a
temporary directory on the same disk as the store. Each run times, in
alternating order so neither side always gets the warmer cache:

* ``sha256sum FILE`` (coreutils, the reference);
* ``BlobStore.put_file`` — the streaming copy + hash the pipeline uses for
  big files, including its fsync and rename, into a fresh store each time;
* ``ingest.blobs.sha256_file`` — plain streamed hashing, as verify does.

Medians of the runs give MiB/s and the ratio of put_file's throughput to
sha256sum's (target at least 0.8). The file is in the page cache for every
run (it was just written and RAM is larger), so this compares hashing and
writing, not the disk's read speed.

Part 2: the same 1 GiB blob in an originals store beside ``--sources``
ingested text and HTML reports (the HTML ones get an extracted-text working
copy, every report three or so ledger entries) and ``--blobs`` image-sized
originals put straight into the store (verify re-hashes originals no source
names too; this skips the ingest cost), then ``verify`` in process (default
hashing threads, one thread, default again), ``run_fixity`` in process, and
``tawthiq verify`` as a command, each timed.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

MIB = 1024 * 1024
BLOCK = 64 * MIB


def make_file(path: Path, size_mb: int) -> None:
    block = os.urandom(min(BLOCK, size_mb * MIB))
    left = size_mb * MIB
    with open(path, "wb") as out:
        while left > 0:
            out.write(block[:left])
            left -= min(left, len(block))
        out.flush()
        os.fsync(out.fileno())


def _cpu() -> float:
    """User + system CPU seconds of this process and its waited-for children (sha256sum)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action: Callable[[], str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, digest): CPU time barely moves when other jobs share the machine."""
    began, cpu = time.perf_counter(), _cpu()
    digest = action()
    return time.perf_counter() - began, _cpu() - cpu, digest


def sha256sum(path: Path) -> str:
    return subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True).stdout.split()[0]


def throughput(workdir: Path, *, size_mb: int, runs: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    from tawthiq.store.vault.blobs import BlobStore, sha256_file

    sample = workdir / "one-gib.bin"
    print(f"writing {size_mb} MiB to {sample} …", flush=True)
    make_file(sample, size_mb)
    sha256sum(sample)  # warm the page cache once, for every method alike

    def put_file() -> str:
        store_root = workdir / "store"
        shutil.rmtree(store_root, ignore_errors=True)
        return BlobStore(store_root).put_file(sample)

    methods: dict[str, Callable[[], str]] = {
        "sha256sum": lambda: sha256sum(sample),
        "put_file": put_file,
        "sha256_file": lambda: sha256_file(sample),
    }
    times: dict[str, list[float]] = {name: [] for name in methods}
    cpu_times: dict[str, list[float]] = {name: [] for name in methods}
    digests: set[str] = set()
    for run in range(runs):
        order = list(methods) if run % 2 == 0 else list(reversed(methods))
        for name in order:
            seconds, cpu, digest = timed(methods[name])
            times[name].append(seconds)
            cpu_times[name].append(cpu)
            digests.add(digest)
            print(f"  run {run + 1} {name:<12} {seconds:6.3f} s  {size_mb / seconds:8.1f} MiB/s  "
                  f"(CPU {cpu:.2f} s; load {os.getloadavg()[0]:.1f})", flush=True)
    if len(digests) != 1:
        raise SystemExit(f"digests differ between methods: {sorted(digests)}")
    print(f"  every method printed {digests.pop()}")
    shutil.rmtree(workdir / "store", ignore_errors=True)
    return times, cpu_times


def verify_times(workdir: Path, *, size_mb: int, sources: int, blobs: int) -> dict[str, float]:
    """A store with the big blob, ``sources`` ingested reports and ``blobs`` image-sized originals;
    verify and fixity timed over it."""
    from tawthiq.evidence.fixity import run_fixity
    from tawthiq.evidence.verify import verify
    from tawthiq.services import Workspace
    from tawthiq.services.ingest import ingest_files
    from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
    from tawthiq.store.db import connect, init_db

    data_dir = workdir / "data"
    url = f"sqlite:///{workdir / 'bench.db'}"
    settings = Settings(database_url=url, data_dir=data_dir, max_file_size=DEFAULT_MAX_FILE_SIZE)
    database = connect(url)
    init_db(database)
    database.dispose()
    ws = Workspace.open(settings)
    inbox = workdir / "in"
    inbox.mkdir()
    for n in range(sources):
        body = (f"Report {n}: on {1 + n % 28} March 2016 an air strike on the district of al-Shaar in Aleppo "
                f"killed {2 + n % 9} civilians, residents told the monitor (item {n}).")
        if n % 2:
            (inbox / f"r{n:05d}.html").write_text(f"<html><body><p>{body}</p></body></html>", encoding="utf-8")
        else:
            (inbox / f"r{n:05d}.txt").write_text(body + "\n", encoding="utf-8")
    began = time.perf_counter()
    ingest_files(ws, sorted(inbox.iterdir()), actor="bench")
    ingest_seconds = time.perf_counter() - began
    began = time.perf_counter()
    ws.blobs.put_file(workdir / "one-gib.bin")
    put_seconds = time.perf_counter() - began

    originals = ws.blobs
    block = os.urandom(400 * 1024)
    for n in range(blobs):  # image-sized files (60-400 KB), put straight into the store: no ingest cost
        originals.put(n.to_bytes(4, "big") + block[: 60 * 1024 + (n * 7919) % (340 * 1024)])
    # Default threads, one thread, default again: neither setting always runs first.
    runs: dict[str, list[float]] = {"default threads": [], "one thread": []}
    for label in ("default threads", "one thread", "default threads"):
        began = time.perf_counter()
        report = verify(ws.db, blobs=ws.blobs, workers=1 if label == "one thread" else None)
        runs[label].append(time.perf_counter() - began)
        print(f"  verify in process ({label}): {runs[label][-1]:.2f} s", flush=True)
    verify_seconds = min(runs["default threads"])
    print(f"  {report.summary()}", flush=True)
    if not report.ok:
        raise SystemExit("verify found problems in a fresh store: " + "; ".join(report.problems[:5]))
    began = time.perf_counter()
    result = run_fixity(ws.db, blobs=ws.blobs, actor="bench", machine=platform.node())
    fixity_seconds = time.perf_counter() - began
    print(f"  fixity (in process): {fixity_seconds:.2f} s — report {result.json_path}", flush=True)
    env = {**os.environ, "TAWTHIQ_DATABASE_URL": url, "TAWTHIQ_DATA_DIR": str(data_dir)}
    began = time.perf_counter()
    command = subprocess.run([sys.executable, "-m", "tawthiq", "verify"], env=env, capture_output=True, text=True)
    command_seconds = time.perf_counter() - began
    print(f"  tawthiq verify (command, exit {command.returncode}): {command_seconds:.2f} s", flush=True)
    ws.db.dispose()
    return {"ingest_seconds": ingest_seconds, "put_seconds": put_seconds, "verify": verify_seconds,
            "fixity": fixity_seconds, "command": command_seconds, "originals": report.blobs_checked,
            "derived": report.derived_blobs_checked, "entries": report.entries_checked,
            "bytes": sum(p.stat().st_size for p in data_dir.rglob("*") if p.is_file() and "fixity" not in p.parts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the test file in MiB (default 1024)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sources", type=int, default=1000, help="small reports beside the big blob for verify")
    parser.add_argument("--blobs", type=int, default=10000,
                        help="image-sized originals (60-400 KB) put straight into the store for verify")
    parser.add_argument("--dir", type=Path, default=Path.cwd(),
                        help="parent of the temporary directory (put it on the disk the store uses)")
    parser.add_argument("--skip-verify", action="store_true")
    args = parser.parse_args()
    if shutil.which("sha256sum") is None:
        raise SystemExit("sha256sum (coreutils) is needed as the reference")
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {platform.platform()}, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs")
    version = subprocess.run(["sha256sum", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    print(version)
    with tempfile.TemporaryDirectory(prefix="evidence-bench-", dir=args.dir) as tmp:
        workdir = Path(tmp)
        times, cpu_times = throughput(workdir, size_mb=args.size_mb, runs=args.runs)
        medians = {name: statistics.median(values) for name, values in times.items()}
        cpu = {name: statistics.median(values) for name, values in cpu_times.items()}
        print(f"\nSHA-256 over {args.size_mb} MiB, median of {args.runs} runs (alternating order):")
        for name, seconds in medians.items():
            print(f"  {name:<12} {seconds:6.3f} s  {args.size_mb / seconds:8.1f} MiB/s  (CPU {cpu[name]:.2f} s)")
        print(f"  ratio put_file / sha256sum throughput: {medians['sha256sum'] / medians['put_file']:.2f} "
              f"(target >= 0.8); sha256_file / sha256sum: {medians['sha256sum'] / medians['sha256_file']:.2f}")
        print(f"  best run of each: put_file / sha256sum {min(times['sha256sum']) / min(times['put_file']):.2f}, "
              f"sha256_file / sha256sum {min(times['sha256sum']) / min(times['sha256_file']):.2f}")
        if not args.skip_verify:
            print(f"\nverify over the {args.size_mb} MiB blob + {args.sources} reports + {args.blobs} "
                  "image-sized originals:")
            figures = verify_times(workdir, size_mb=args.size_mb, sources=args.sources, blobs=args.blobs)
            print(f"  (ingest of the reports {figures['ingest_seconds']:.1f} s, put_file of the blob "
                  f"{figures['put_seconds']:.1f} s; {figures['originals']} originals, {figures['derived']} "
                  f"derived copies, {figures['entries']} ledger entries)")
            print(f"  verify throughput over everything it re-hashed: "
                  f"{figures['bytes'] / MIB / figures['verify']:.0f} MiB/s")


if __name__ == "__main__":
    main()
