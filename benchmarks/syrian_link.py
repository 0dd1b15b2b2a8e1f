"""Person linkage on the synthetic Syrian lists (benchmarks/gen_syrian_lists.py): pairwise precision, recall, F1.

    python benchmarks/gen_syrian_lists.py /tmp/syr
    PYTHONPATH=src .venv/bin/python benchmarks/syrian_link.py /tmp/syr [--threshold 0.5] [--backend duckdb]

The truth file is read only to score the pairs the linker returns. The lists' columns map to person
fields by their headers (the mapping ``persons import`` does); the records go to the engine directly,
or with ``--cli`` through the command line as a user does it (``tawthiq persons import`` of each list,
``--map given_name=الاسم`` for the list that splits names, ``tawthiq link persons``, ``tawthiq persons
export``), scoring the pairs of records that share a ``cluster_id`` (clusters: transitive).
"""
from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from itertools import combinations
from pathlib import Path

from tawthiq.domain.persons import PersonRecord

HEADERS = {
    "الاسم الكامل": "name", "Name": "name", "الاسم": "given_name", "اسم الأب": "father_name",
    "الكنية": "family_name", "اسم الأم": "mother_name", "الجنس": "sex", "Sex": "sex", "العمر": "age", "Age": "age",
    "سنة الميلاد": "birth_year", "المحافظة": "governorate", "Governorate": "governorate", "تاريخ الوفاة": "date",
    "Date of death": "date",
}
ID_COLUMNS = ("الرقم", "ID")


def read_lists(folder: Path) -> list[PersonRecord]:
    records: list[PersonRecord] = []
    for path in sorted(folder.glob("list_*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                rid = next(row[c] for c in ID_COLUMNS if c in row)
                fields = {HEADERS[k]: v for k, v in row.items() if k in HEADERS and v.strip()}
                records.append(PersonRecord(list_name=path.stem, record_id=rid, fields=fields, id=len(records) + 1))
    return records


def true_pairs(folder: Path, records: list[PersonRecord]) -> set[frozenset[int]]:
    ids = {(r.list_name, r.record_id): r.id for r in records}
    people: dict[str, list[int]] = {}
    with (folder / "truth.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            people.setdefault(row["person_id"], []).append(ids[(row["list"], row["record_id"])])
    return {frozenset(p) for members in people.values() for p in combinations(members, 2)}


def link_records(records: list[PersonRecord], *, backend: str, threshold: float):
    from tawthiq.link.persons import link_persons

    spark = None
    if backend == "spark":
        from pyspark.sql import SparkSession

        from tawthiq.link.backends import spark_jar

        spark = (SparkSession.builder.master("local[2]")
                 .config("spark.jars", spark_jar()).config("spark.sql.shuffle.partitions", "8")
                 .config("spark.driver.memory", "3g").getOrCreate())
        # Splink checkpoints long lineages to disk given a directory; without one it persists in the heap
        spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="tawthiq-spark-"))
    return link_persons(records, backend=backend, spark=spark, min_probability=threshold)


def through_cli(folder: Path, *, threshold: float, backend: str) -> None:
    import io
    import os
    import subprocess
    import sys

    def tawthiq(*args: str, env: dict[str, str]) -> str:
        proc = subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise SystemExit(f"tawthiq {args[0]} failed: {proc.stderr.strip()}")
        return proc.stdout

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TAWTHIQ_DATABASE_URL=f"sqlite:///{tmp}/syr.db", TAWTHIQ_DATA_DIR=f"{tmp}/o")
        tawthiq("init", env=env)
        started = time.perf_counter()
        for path in sorted(folder.glob("list_*.csv")):
            header = path.open(encoding="utf-8").readline().strip().split(",")
            split = ["--map", "given_name=الاسم"] if "الاسم" in header and "اسم الأب" in header else []
            ids = [c for c in ID_COLUMNS if c in header]
            tawthiq("persons", "import", str(path), "--list", path.stem, "--id-column", ids[0], *split, env=env)
        imported = time.perf_counter()
        low = min(threshold, 0.5)
        print(tawthiq("link", "persons", "--threshold", str(threshold), "--review-band", f"{low}:{threshold}",
                      "--backend", backend, env=env).strip())
        linked = time.perf_counter()
        rows = list(csv.DictReader(io.StringIO(tawthiq("persons", "export", "--format", "csv", env=env))))
    key = {(r["list"], r["record_id"]): n for n, r in enumerate(rows)}
    clusters: dict[str, list[int]] = {}
    for n, r in enumerate(rows):
        clusters.setdefault(r["cluster_id"], []).append(n)
    found = {frozenset(p) for members in clusters.values() for p in combinations(members, 2)}
    people: dict[str, list[int]] = {}
    with (folder / "truth.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            people.setdefault(row["person_id"], []).append(key[(row["list"], row["record_id"])])
    truth = {frozenset(p) for members in people.values() for p in combinations(members, 2)}
    tp = len(found & truth)
    precision, recall = tp / max(1, len(found)), tp / max(1, len(truth))
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    print(f"through the CLI: {len(rows)} records, {len(truth)} true pairs, threshold {threshold}, backend {backend}")
    print(f"pairs in clusters {len(found)}; precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    print(f"import {imported - started:.1f} s, link persons {linked - imported:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--backend", default="duckdb")
    parser.add_argument("--cli", action="store_true", help="through tawthiq persons import / link persons / export")
    args = parser.parse_args()
    if args.cli:
        through_cli(args.folder, threshold=args.threshold, backend=args.backend)
        return
    records = read_lists(args.folder)
    started = time.perf_counter()
    result = link_records(records, backend=args.backend, threshold=args.threshold)
    elapsed = time.perf_counter() - started
    truth = true_pairs(args.folder, records)
    found = {frozenset((p.left_id, p.right_id)) for p in result.pairs if p.probability >= args.threshold}
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(records)} records, {len(truth)} true pairs, backend {args.backend}, threshold {args.threshold}")
    print(f"model {result.model_version} trained={result.trained}")
    for note in result.notes:
        print(f"  note: {note}")
    print(f"pairs found {len(found)}; precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    print(f"link time {elapsed:.1f} s; peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
