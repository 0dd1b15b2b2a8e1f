#!/usr/bin/env python3
"""Peak memory and time of `tawthiq ingest` on one large HTML page, against a tiny report.

    .venv/bin/python benchmarks/ingest_memory_bench.py [--size-mb 50] [--text en|mixed] [--workdir DIR]

Generates a page of SIZE MB made of report paragraphs (an English air-strike
report, and with ``--text mixed`` every other paragraph an Arabic one, which
makes Python hold the text at two bytes a character), then runs
``python -m tawthiq ingest`` on it in a fresh SQLite database, in a child
process, and reads the child's peak resident memory from ``wait4`` (its
own ``ru_maxrss``). The same command on a 1 KB report, in another fresh
database, gives what the process costs before it reads anything (Python, the
database layer, the extractor's vocabularies).

Target (issue 9): peak memory under 5 × the file's size.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EN = ("On Sunday 12 May 2019, warplanes believed to be Russian carried out three air strikes on the al-Basha "
      "neighbourhood in the town of Ariha, south of Idlib city, killing six civilians, among them two children "
      "and a woman, and injuring at least 14 others.",
      "Our field researcher in Ariha said the strikes hit two residential buildings and a bakery shortly after "
      "10 a.m., when the street was crowded.",
      "Residents said that prices of bread and fuel have risen sharply since the beginning of the year.")
AR = ("قتل خمسة مدنيين وأصيب آخرون جراء غارة جوية لطائرة حربية روسية استهدفت بلدة أريحا يوم الأحد.",
      "ويوثق الفريق الانتهاكات التي ترتكبها جميع الأطراف بحق المدنيين بشكل مهني.")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def write_page(path: Path, size: int, *, mixed: bool) -> None:
    """Write the page line by line: this process must stay small (see ``run``)."""
    paragraphs = [p for pair in zip(EN, AR + AR[:1]) for p in pair] if mixed else list(EN)
    head = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Monthly report</title>'
            '<script>var tracking = "never in the text";</script></head><body><nav><a href="/">Home</a></nav>'
            "<main><article><h1>Monthly report</h1>\n")
    with path.open("wb") as out:
        total = out.write(head.encode())
        i = 0
        while total < size - 400:  # the footer and one more line fit within the size
            total += out.write(f"<p>{paragraphs[i % len(paragraphs)]} ({i})</p>\n".encode())
            i += 1
        out.write(b"</article></main><footer>\xc2\xa9 the monitor</footer></body></html>\n")


def run(args: list[str], *, env: dict[str, str]) -> tuple[float, int, str]:
    """(seconds, peak RSS in bytes, output) of one child process.

    Linux carries the parent's high-water mark into a child started with
    vfork (as subprocess does), so this process never holds the page.
    """
    start = time.monotonic()
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}):\n{output}")
    return time.monotonic() - start, usage.ru_maxrss * 1024, output


def ingest(workdir: Path, name: str, path: Path) -> tuple[float, int, str]:
    env = {**os.environ, "TAWTHIQ_DATABASE_URL": f"sqlite:///{workdir / name}.db",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    run([sys.executable, "-m", "tawthiq", "init"], env=env)
    return run([sys.executable, "-m", "tawthiq", "ingest", str(path)], env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=50.0)
    parser.add_argument("--text", choices=("en", "mixed"), default="mixed")
    parser.add_argument("--workdir", type=Path, help="keep the page and databases here (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tawthiq-membench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        big = workdir / "large-page.html"
        write_page(big, int(args.size_mb * 1024 * 1024), mixed=args.text == "mixed")
        small = workdir / "small-report.txt"
        small.write_text("\n\n".join(EN), encoding="utf-8")
        size = big.stat().st_size
        base_time, base_peak, _ = ingest(workdir, "small", small)
        took, peak, output = ingest(workdir, "large", big)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    mb = 1024 * 1024
    print(f"machine: {cpu_model()} ({platform.machine()}, {os.cpu_count()} cores), Python "
          f"{platform.python_version()}")
    print(f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit}, load average "
          f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"page: {size / mb:.1f} MB of HTML ({args.text} text)")
    for line in output.strip().splitlines():
        print(f"  ingest: {line}")
    print(f"small report: peak {base_peak / mb:.0f} MB, {base_time:.1f} s")
    print(f"large page:   peak {peak / mb:.0f} MB, {took:.1f} s")
    print(f"peak / file size: {peak / size:.1f} x (target < 5 x); "
          f"above the small report's: {(peak - base_peak) / mb:.0f} MB = {(peak - base_peak) / size:.1f} x")


if __name__ == "__main__":
    main()
