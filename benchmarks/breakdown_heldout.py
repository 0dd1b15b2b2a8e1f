#!/usr/bin/env python3
"""Score the extractor's victim breakdowns against the held-out set (tests/extract/data/breakdown_heldout.yaml).

    .venv/bin/python benchmarks/breakdown_heldout.py [--verbose]

A case is right when the groups that carry a breakdown are exactly those the
set expects (by outcome, with the same parts) and no other group carries one.
Also prints part-level precision and recall ((outcome, part, number) triples).
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

from tawthiq.domain.breakdown import PARTS
from tawthiq.extract.engine import RuleExtractor

DATA = HERE.parent / "tests" / "extract" / "data" / "breakdown_heldout.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="print each case that is wrong")
    args = parser.parse_args()
    cases = yaml.safe_load(DATA.read_text(encoding="utf-8"))["cases"]
    extractor = RuleExtractor()
    right = tp = fp = fn = 0
    for case in cases:
        found = sorted(
            (str(g.outcome), tuple((p, getattr(g, p)) for p in PARTS if getattr(g, p) is not None))
            for i in extractor.extract(case["text"], language=case["lang"]) for g in i.victims
            if any(getattr(g, p) is not None for p in PARTS))
        gold = sorted((e["outcome"], tuple((p, e[p]) for p in PARTS if p in e)) for e in case["expect"])
        right += found == gold
        got = {(o, p, n) for o, parts in found for p, n in parts}
        want = {(o, p, n) for o, parts in gold for p, n in parts}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        if args.verbose and found != gold:
            print(f"WRONG {case['id']}: found {found}, expected {gold}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"cases={len(cases)} right={right} ({right / len(cases):.2f}) "
          f"parts: precision={precision:.2f} recall={recall:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
