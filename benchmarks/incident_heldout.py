"""Incident linkage on a held-out corpus of report files with a truth file (written apart from the model).

    python benchmarks/incident_heldout.py REPORTS_DIR TRUTH.yaml [--db sqlite:///...] [--threshold 0.9]

Ingests the reports through `tawthiq ingest --no-link` (a scratch database), runs `tawthiq link incidents`,
and scores at the level of report pairs: two reports are predicted to tell the same event when a "same"
judgement in force joins an incident of one with an incident of the other (pairwise) or when they share a
cluster (clusters); they truly do when the truth gives them a common event. Reports the truth says tell two
events are left out of the scores (which of their incidents is which event is not known).
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml


def run(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env)
    if proc.returncode not in (0,):
        raise SystemExit(f"tawthiq {' '.join(args)} failed: {proc.stderr.strip()[:500]}")
    return proc.stdout


def score(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(truth) if truth else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("reports", type=Path)
    ap.add_argument("truth", type=Path)
    ap.add_argument("--threshold", default="")
    args = ap.parse_args()
    truth = yaml.safe_load(args.truth.read_text(encoding="utf-8"))["reports"]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TAWTHIQ_DATABASE_URL=f"sqlite:///{tmp}/h.db", TAWTHIQ_DATA_DIR=f"{tmp}/o")
        run(["init"], env)
        run(["ingest", "--no-link", "--quiet", str(args.reports)], env)
        extra = ["--threshold", args.threshold] if args.threshold else []
        print(run(["link", "incidents", *extra], env).strip())
        sources = {s["id"]: Path(s["original_name"]).name for s in json.loads(run(
            ["sources", "list", "--limit", "100000", "--format", "json"], env))}
        rows = json.loads(run(["incidents", "list", "--limit", "1000000", "--format", "json"], env))
        report_of = {r["id"]: sources.get(r["source_id"], "") for r in rows}
        judged: set[tuple[str, str]] = set()
        queued: set[tuple[str, str]] = set()  # "same" or "unsure": what a reviewer is shown
        for r in rows:
            history = json.loads(run(["link", "history", str(r["id"]), "--format", "json"], env))
            for j in history:
                if j["verdict"] in ("same", "unsure") and j["in_force"]:
                    a, b = report_of.get(j["left"], ""), report_of.get(j["right"], "")
                    if a and b and a != b:
                        (judged if j["verdict"] == "same" else queued).add(tuple(sorted((a, b))))  # type: ignore
        by_cluster: dict[int, set[str]] = {}
        for r in rows:
            by_cluster.setdefault(r["cluster_id"], set()).add(report_of[r["id"]])
    single = {name for name, t in truth.items() if len(t["events"]) == 1}
    with_incidents = set(report_of.values())
    true_pairs = {tuple(sorted((a, b))) for a, b in itertools.combinations(sorted(single), 2)
                  if set(truth[a]["events"]) & set(truth[b]["events"])}
    clustered = {tuple(sorted((a, b))) for names in by_cluster.values()
                 for a, b in itertools.combinations(sorted(names), 2) if a != b}
    keep = lambda pairs: {p for p in pairs if p[0] in single and p[1] in single}  # noqa: E731
    print(f"reports {len(truth)} (single-event {len(single)}), with incidents {len(with_incidents & set(truth))}; "
          f"true same-event report pairs {len(true_pairs)}")
    for name, found in (("pairwise judgements", keep(judged)), ("clusters", keep(clustered)),
                        ("same or to review", keep(judged | queued))):
        p, r, f = score(found, true_pairs)
        print(f"{name:<20} predicted {len(found):4d}  precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    reachable = {p for p in true_pairs if p[0] in with_incidents and p[1] in with_incidents}
    print(f"true pairs where both reports gave an incident: {len(reachable)}; recall over those, clusters: "
          f"{len(keep(clustered) & reachable) / max(1, len(reachable)):.3f}")


if __name__ == "__main__":
    main()
