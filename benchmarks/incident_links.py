"""Incident duplicates: does the linker find the reports of one event, across Arabic and English, and only those?

    PYTHONPATH=src .venv/bin/python benchmarks/incident_links.py --events 300 --seed 7

Reports come from :mod:`incident_reports` (1-4 re-worded reports per event
in English and Arabic, with near misses). Each is ingested as pasted text
into a scratch workspace through the real pipeline, so the incidents linked
are what the extractor really made of them; then the workspace's incidents
are linked with :func:`tawthiq.link.incidents.link_incidents` and every
cross-source pair is scored against the ground truth (two incidents are the
same event when their reports are). Precision and recall of the pairs at or
above each threshold are printed, with what a review band would hold.
"""
from __future__ import annotations

import argparse
import pickle
import platform
import sys
import tempfile
import time
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from incident_reports import generate  # noqa: E402

from tawthiq.domain.access import Role, User  # noqa: E402
from tawthiq.link.incidents import LinkableIncident, link_incidents  # noqa: E402
from tawthiq.services import Workspace, list_incidents, list_sources  # noqa: E402
from tawthiq.services.ingest import ingest_text  # noqa: E402
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings  # noqa: E402

THRESHOLDS = (0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99)


def ingest(n_events: int, seed: int) -> tuple[Any, ...]:
    """Generate the reports and ingest them into a scratch workspace; the incidents and their ground truth."""
    events, reports = generate(events=n_events, seed=seed)
    with tempfile.TemporaryDirectory(prefix="tawthiq-links-") as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/bench.db", data_dir=Path(tmp) / "data",
                            max_file_size=DEFAULT_MAX_FILE_SIZE)
        settings.data_dir.mkdir()
        ws = Workspace.open(settings, create=True)
        user = User(id=0, username="benchmark", role=Role.ADMIN)
        event_of_source: dict[int, int] = {}
        t0 = time.perf_counter()
        for i, report in enumerate(reports):
            # Ingest keeps one source per distinct text; two identical reports (vanishingly rare) would be one.
            result = ingest_text(ws, user=user, text=report.text, title=f"report {i}", language=report.language)
            for sid in result.source_ids:
                event_of_source[sid] = report.event_id
        ingest_s = time.perf_counter() - t0
        languages = {s.id: s.language for s in list_sources(ws)}
        incidents = [inc for inc in list_incidents(ws) if inc.source_id in event_of_source]
        ws.db.dispose()
    return events, reports, incidents, event_of_source, languages, ingest_s


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", default="duckdb")
    parser.add_argument("--cache", type=Path, help="keep the ingested incidents here (pickle) and reuse them")
    args = parser.parse_args(argv)

    if args.cache and args.cache.exists():
        with args.cache.open("rb") as f:
            events, reports, incidents, event_of_source, languages, ingest_s = pickle.load(f)
    else:
        events, reports, incidents, event_of_source, languages, ingest_s = ingest(args.events, args.seed)
        if args.cache:
            with args.cache.open("wb") as f:
                pickle.dump((events, reports, incidents, event_of_source, languages, ingest_s), f)
    items = [LinkableIncident(incident=inc, language=languages.get(inc.source_id, "")) for inc in incidents]
    t0 = time.perf_counter()
    result = link_incidents(items, backend=args.backend, min_probability=0.01)
    link_s = time.perf_counter() - t0

    truth = set()
    for a, b in combinations(incidents, 2):
        if a.source_id != b.source_id and event_of_source[a.source_id] == event_of_source[b.source_id]:
            truth.add((min(a.id, b.id), max(a.id, b.id)))
    covered = len({event_of_source[i.source_id] for i in incidents})
    reports_with = len({i.source_id for i in incidents})
    print(f"# incident linkage benchmark, {datetime.now():%Y-%m-%d %H:%M}, {platform.node()} "
          f"({platform.processor() or platform.machine()}), python {platform.python_version()}")
    print(f"events {len(events)} ({sum(e.near_miss_of is not None for e in events)} near misses), "
          f"reports {len(reports)}, reports with an incident {reports_with}, incidents {len(incidents)}, "
          f"events covered {covered}")
    print(f"ingest {ingest_s:.1f} s, link {link_s:.1f} s ({args.backend}); model {result.model_version}, "
          f"trained {result.trained}")
    for note in result.notes:
        print(f"note: {note}")
    print(f"true same pairs (cross-source) {len(truth)}; scored pairs >= 0.01: {len(result.pairs)}")
    # "same" as the service judges it: above the threshold and no contradiction (link.incident_conflicts);
    # the columns after the bar ignore the contradictions (the probabilities alone).
    print("threshold  predicted  true-pos  precision  recall | probability alone: precision  recall")
    for t in THRESHOLDS:
        above = [p for p in result.pairs if p.probability >= t]
        predicted = {(p.left_id, p.right_id) for p in above if not p.conflicts}
        alone = {(p.left_id, p.right_id) for p in above}
        tp = len(predicted & truth)
        precision = tp / len(predicted) if predicted else 1.0
        recall = tp / len(truth) if truth else 1.0
        p0 = len(alone & truth) / len(alone) if alone else 1.0
        r0 = len(alone & truth) / len(truth) if truth else 1.0
        print(f"{t:>9}  {len(predicted):>9}  {tp:>8}  {precision:>9.3f}  {recall:>6.3f} | {p0:>9.3f}  {r0:>6.3f}")
    for lo, hi in ((0.5, 0.9), (0.3, 0.9), (0.5, 0.95)):
        band = [p for p in result.pairs if lo <= p.probability < hi]
        same = sum((p.left_id, p.right_id) in truth for p in band)
        print(f"review band [{lo}, {hi}): {len(band)} pairs, {same} of them truly the same")
    missed = truth - {(p.left_id, p.right_id) for p in result.pairs}
    print(f"true pairs never scored (not blocked, or below 0.01): {len(missed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
