#!/usr/bin/env python3
"""Score the extractor's named victims against the held-out set (tests/data/named_victims_heldout.yaml).

    .venv/bin/python benchmarks/named_victims_heldout.py [--verbose]

Prints precision and recall of the names (exact string as written), and on
the names found, how often the age, sex and outcome agree with the set.
The set was written before the rules and is not read while writing them;
a figure from it is only honest while that stays true.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from tawthiq.extract.engine import RuleExtractor  # noqa: E402

DATA = HERE.parent / "tests" / "data" / "named_victims_heldout.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="print each snippet's misses and false names")
    args = parser.parse_args()
    snippets = yaml.safe_load(DATA.read_text(encoding="utf-8"))["snippets"]
    extractor = RuleExtractor()
    tp = fp = fn = 0
    attrs = {"age": [0, 0], "sex": [0, 0], "outcome": [0, 0]}  # agree, given in the set
    for snip in snippets:
        found = {p.name: p for i in extractor.extract(snip["text"]) for p in i.named}
        gold = {g["name"]: g for g in snip["names"]}
        for name, g in gold.items():
            if name not in found:
                fn += 1
                if args.verbose:
                    print(f"MISS  {snip['id']}: {name}")
                continue
            tp += 1
            p = found[name]
            for key, got in (("age", p.age), ("sex", str(p.sex) if str(p.sex) != "unknown" else None),
                             ("outcome", str(p.outcome) if p.outcome else None)):
                if key in g:
                    attrs[key][1] += 1
                    attrs[key][0] += got == g[key]
                    if args.verbose and got != g[key]:
                        print(f"ATTR  {snip['id']}: {name} {key}={got!r}, expected {g[key]!r}")
        for name in found:
            if name not in gold:
                fp += 1
                if args.verbose:
                    print(f"FALSE {snip['id']}: {name}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"snippets={len(snippets)} gold={tp + fn} found={tp + fp} correct={tp} "
          f"precision={precision:.2f} recall={recall:.2f}")
    print("attributes on correct names: " + " ".join(f"{k}={a}/{n}" for k, (a, n) in attrs.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
