#!/usr/bin/env python3
"""Score the extractor on held-out sets, broken down by language and style, with event typing over every class.

    .venv/bin/python benchmarks/heldout_eval.py benchmarks/heldout/set-a/*.yaml [--scorer ../shared/eval/score.py]
        [--cmd "python -m tawthiq extract --jsonl"] [--json OUT.json] [--show]

Matching and the judgement of each attribute are the shared scorer's own (``score.py`` of the evaluation
contract, loaded from ``--scorer``), so the figures here are the ones it prints for the same files; this
script adds what it does not: the same figures per language and per style, and event typing as a
25-class problem (per-class precision, recall and F1, and their macro average) where a missed incident
counts against its gold class and a false incident against its predicted class.

A held-out set is measured once before anything is changed for it (the first look); docs/extraction.md
keeps the figures.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
EVENT_TYPES = (
    "armed-clash", "government-regains-territory", "non-state-actor-overtakes-territory", "sexual-violence",
    "attack", "abduction-forced-disappearance", "chemical-weapon", "air-drone-strike", "suicide-bomb",
    "shelling-artillery-missile-attack", "remote-explosive-landmine-ied", "grenade", "peaceful-protest",
    "protest-with-intervention", "excessive-force-against-protesters", "violent-demonstration", "mob-violence",
    "agreement", "arrests", "change-to-group-activity", "disrupted-weapons-use",
    "headquarters-or-base-established", "looting-property-destruction", "non-violent-transfer-of-territory",
    "other")


def load_scorer(path: Path) -> ModuleType:
    if not path.is_file():
        raise SystemExit(f"the contract's scorer is not at {path} (give --scorer)")
    spec = importlib.util.spec_from_file_location("contract_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Tally:
    """Detection and attribute counts of one slice (a language, a style, or everything)."""

    def __init__(self, attributes: tuple[str, ...]) -> None:
        self.tp = self.fn = self.fp = self.full = self.reports = 0
        self.right: Counter[str] = Counter()
        self.asked: Counter[str] = Counter()
        self.attributes = attributes

    def add(self, result: dict[str, Any]) -> None:
        self.reports += 1
        self.tp += result["tp"]
        self.fn += result["fn"]
        self.fp += result["fp"]
        for _gold, verdict in result["verdicts"]:
            for attribute, ok in verdict.items():
                self.asked[attribute] += 1
                self.right[attribute] += ok
            self.full += all(verdict.values())

    def figures(self) -> dict[str, Any]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        out: dict[str, Any] = {"reports": self.reports, "gold": self.tp + self.fn, "matched": self.tp,
                               "false": self.fp, "precision": round(p, 3), "recall": round(r, 3),
                               "detection_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
        for attribute in self.attributes:
            out[attribute] = round(self.right[attribute] / self.asked[attribute], 3) if self.asked[attribute] else None
        required = self.tp + self.fn
        out["full"] = round(self.full / required, 3) if required else None
        return out


def typing_scores(pairs: list[tuple[str, str | None]], false_types: list[str]) -> dict[str, Any]:
    """Per-class P/R/F1 of event typing: (gold, predicted or None when missed) pairs and false incidents' types."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter(t for t in false_types if t)
    fn: Counter[str] = Counter()
    for gold, predicted in pairs:
        if predicted == gold:
            tp[gold] += 1
        else:
            fn[gold] += 1
            if predicted:
                fp[predicted] += 1
    per_class: dict[str, dict[str, float | int]] = {}
    for code in EVENT_TYPES:
        support = tp[code] + fn[code]
        p = tp[code] / (tp[code] + fp[code]) if tp[code] + fp[code] else 0.0
        r = tp[code] / support if support else 0.0
        per_class[code] = {"support": support, "precision": round(p, 3), "recall": round(r, 3),
                           "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
    present = [c for c in EVENT_TYPES if per_class[c]["support"]]
    macro = sum(float(per_class[c]["f1"]) for c in present) / len(present) if present else 0.0
    total = sum(int(per_class[c]["support"]) for c in present)
    weighted = (sum(float(per_class[c]["f1"]) * int(per_class[c]["support"]) for c in present) / total
                if total else 0.0)
    return {"macro_f1": round(macro, 3), "weighted_f1": round(weighted, 3), "classes": len(present),
            "per_class": per_class}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--scorer", type=Path, default=HERE.parent.parent / "shared" / "eval" / "score.py")
    parser.add_argument("--cmd", default=f"{sys.executable} -m tawthiq extract --jsonl")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure here")
    parser.add_argument("--show", action="store_true", help="print every miss, wrong attribute and false incident")
    args = parser.parse_args()
    scorer = load_scorer(args.scorer)
    cases: list[dict[str, Any]] = []
    for path in args.sets:
        cases.extend(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])
    predictions = scorer.run_extractor(args.cmd, cases)
    slices: dict[str, Tally] = defaultdict(lambda: Tally(scorer.ATTRIBUTES))
    typing: dict[str, tuple[list[tuple[str, str | None]], list[str]]] = defaultdict(lambda: ([], []))
    for case in cases:
        preds = predictions.get(case["id"], [])
        result = scorer.score_case(case, preds)
        lang = str(case.get("lang", "?"))
        for key in ("all", f"lang={lang}", f"style={case.get('style', '?')}"):
            slices[key].add(result)
        matched_types = _matched_types(scorer, case, preds)
        for key in ("all", f"lang={lang}"):
            pairs, false_types = typing[key]
            pairs.extend(matched_types)
            false_types.extend(str(p.get("event_type") or "") for p in result["false"])
        if args.show:
            _show(case, result)
    figures = {key: tally.figures() for key, tally in sorted(slices.items())}
    event_typing = {key: typing_scores(*value) for key, value in sorted(typing.items())}
    columns = ("reports", "gold", "precision", "recall", "detection_f1", *scorer.ATTRIBUTES, "full")
    print(f"{'slice':24}" + "".join(f"{c[:12]:>13}" for c in columns))
    for key, row in figures.items():
        print(f"{key:24}" + "".join(f"{_cell(row.get(c)):>13}" for c in columns))
    for key, scores in event_typing.items():
        print(f"event typing {key}: macro F1 {scores['macro_f1']:.2f} over {scores['classes']} classes, "
              f"weighted F1 {scores['weighted_f1']:.2f}")
    print("per class (all):")
    for code, row in event_typing["all"]["per_class"].items():
        print(f"  {code:38} n={row['support']:3}  P={row['precision']:.2f} R={row['recall']:.2f} F1={row['f1']:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "event_typing": event_typing}, indent=1),
                             encoding="utf-8")
    return 0


def _matched_types(scorer: ModuleType, case: dict[str, Any], preds: list[dict[str, Any]]
                   ) -> list[tuple[str, str | None]]:
    """(gold type, predicted type or None when missed) for every required gold incident.

    The pairing is the scorer's own (best-judged, then most overlapping pair first, each side used once),
    repeated here because its result does not say which prediction each gold incident was paired with.
    """
    text = case["text"]
    golds = []
    for gold in case.get("incidents") or []:
        start = text.find(gold["cue"])
        golds.append((gold, (start, start + len(gold["cue"]))))
    pairs = []
    for gi, (gold, cue) in enumerate(golds):
        for pi, p in enumerate(preds):
            overlap = max((scorer.overlaps(cue, s) for s in scorer.spans(p)), default=0)
            if overlap:
                pairs.append((sum(scorer.judge(gold, p).values()), overlap, gi, pi))
    pairs.sort(key=lambda t: (t[0], t[1]), reverse=True)
    paired: dict[int, int] = {}
    used: set[int] = set()
    for _, _, gi, pi in pairs:
        if gi in paired or pi in used:
            continue
        paired[gi] = pi
        used.add(pi)
    out: list[tuple[str, str | None]] = []
    for gi, (gold, _cue) in enumerate(golds):
        if gold.get("optional") or not gold.get("event_type"):
            continue
        types = scorer.as_list(gold["event_type"])
        predicted = preds[paired[gi]].get("event_type") if gi in paired else None
        out.append((predicted if predicted in types else types[0], predicted))
    return out


def _show(case: dict[str, Any], result: dict[str, Any]) -> None:
    for gold, verdict in result["verdicts"]:
        wrong = [a for a, ok in verdict.items() if not ok]
        if wrong:
            print(f"{case['id']}: wrong {wrong} for {gold['cue']!r}")
    for gold in result["missed"]:
        print(f"{case['id']}: missed {gold['cue']!r}")
    for p in result["false"]:
        quote = str(((p.get("evidence") or [{}])[0] or {}).get("quote", ""))
        print(f"{case['id']}: false {p.get('event_type')} {quote[:80]!r}")


def _cell(value: Any) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    sys.exit(main())
