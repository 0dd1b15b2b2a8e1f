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
import sys
import tempfile
import time
from itertools import combinations
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


def through_cli(folder: Path, *, threshold: float, backend: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tawthiq = tawthiq_cli(tmp, "syr")
        started = time.perf_counter()
        for path in sorted(folder.glob("list_*.csv")):
            header = path.open(encoding="utf-8").readline().strip().split(",")
            split = ["--map", "given_name=الاسم"] if "الاسم" in header and "اسم الأب" in header else []
            ids = [c for c in ID_COLUMNS if c in header]
            tawthiq("persons", "import", str(path), "--list", path.stem, "--id-column", ids[0], *split)
        imported = time.perf_counter() - started
        rows, linked = link_and_export(tawthiq, threshold=threshold, backend=backend)
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
    precision, recall, f1 = score(found, truth)
    print(f"through the CLI: {len(rows)} records, {len(truth)} true pairs, threshold {threshold}, backend {backend}")
    print(f"pairs in clusters {len(found)}; precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f}")
    print(f"import {imported:.1f} s, link persons {linked:.1f} s")


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
    print(f"{len(records)} records, {len(truth)} true pairs, backend {args.backend}, threshold {args.threshold}")
    print_engine_run(result, found=found, truth=truth, elapsed=elapsed)


if __name__ == "__main__":
    main()
