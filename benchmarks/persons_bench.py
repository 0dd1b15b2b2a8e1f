#!/usr/bin/env python3
"""Time and peak memory of `tawthiq persons import` (first and again) and `persons export` on a large list.

    .venv/bin/python benchmarks/persons_bench.py [--rows 100000] [--workdir DIR]

Generates a CSV victim list with Arabic headers and ROWS records. The names
are made up, drawn from a few common given and family names (synthetic test
data, not a real list). Each command runs as ``python -m tawthiq`` in a
child process on a fresh SQLite database; its peak resident memory is the
child's own ``ru_maxrss`` (from ``wait4``).
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GIVEN = ("محمد", "أحمد", "علي", "خالد", "عمر", "فاطمة", "سعاد", "ليلى", "حسن", "يوسف")
FAMILY = ("الخطيب", "القطان", "الحمصي", "الشامي", "النجار", "العلي", "الأحمد", "السيد")
HEADER = "الرقم,الاسم,اسم الأب,اسم الأم,الكنية,الجنس,العمر,المحافظة,تاريخ الوفاة,مكان الوفاة,سبب الوفاة,ملاحظات\n"


def make_list(path: Path, rows: int) -> None:
    rng = random.Random(1)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(1, rows + 1):
            out.write(f"{i},{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)},{rng.choice(GIVEN)},"
                      f"{rng.choice(GIVEN)},{rng.choice(FAMILY)},ذكر,{rng.randint(1, 80)},حمص,"
                      f"2012-0{rng.randint(1, 9)}-1{rng.randint(0, 9)},بابا عمرو,قصف,ملاحظة {i}\n")


def run(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """(seconds, peak RSS in MB, the last line of output) of ``python -m tawthiq ARGS``."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "tawthiq", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"tawthiq {' '.join(args)} failed:\n{output}")
    lines = output.strip().splitlines()
    return time.perf_counter() - start, usage.ru_maxrss // 1024, lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=None)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=options.workdir) as tmp:
        work = Path(tmp)
        listed = work / "list.csv"
        make_list(listed, options.rows)
        env = {**os.environ, "TAWTHIQ_DATABASE_URL": f"sqlite:///{work / 'bench.db'}",
               "TAWTHIQ_DATA_DIR": str(work / "data"), "PYTHONPATH": str(ROOT / "src")}
        run(["init"], env)
        size = listed.stat().st_size / 1e6
        print(f"{datetime.now(UTC):%Y-%m-%d}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPU, "
              f"SQLite; a {size:.1f} MB list of {options.rows:,} rows")
        for label, args in (("import", ["persons", "import", str(listed), "--list", "bench", "--id-column", "الرقم"]),
                            ("import again", ["persons", "import", str(listed), "--list", "bench",
                                              "--id-column", "الرقم"]),
                            ("export csv", ["persons", "export", "--format", "csv", "-o", str(work / "out.csv")])):
            seconds, peak, last = run(args, env)
            print(f"{label:<13} {seconds:6.1f} s  peak {peak:4d} MB  | {last}")


if __name__ == "__main__":
    main()
