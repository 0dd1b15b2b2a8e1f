"""Which incidents from different sources tell of the same event, with a probability and its reasons.

A Fellegi–Sunter model (:mod:`tawthiq.link.incident_model`) run by Splink
on the chosen backend (:mod:`tawthiq.link.backends`). With enough incidents
its parameters are estimated from the data: the u probabilities from random
pairs, the m probabilities by expectation maximisation in two sessions
(pairs in one place, pairs on one date), and the share of pairs that match
from pairs that agree on town, day and event type. With too few (a handful,
or when EM finds no pairs to learn from or learns something absurd) the
model's documented priors are used and ``notes`` says so.

Each pair comes back with the match weight of every comparison (log2 of its
Bayes factor) and the level it reached, so a reviewer sees why the linker
thinks two reports are one event. What to do with a probability (a ``same``
judgement, the review queue, nothing) is the caller's decision.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..domain.judgements import ScoredPair, pair
from . import incident_model as model
from .backends import backend_named
from .incident_conflicts import guard
from .incident_features import SCHEMA, LinkableIncident, incident_rows

__all__ = ["IncidentLinkResult", "LinkableIncident", "link_incidents"]

# Chosen on the incident-duplicates benchmark (docs/figures.md, "Incident linkage"): at 0.9 precision and
# recall of the same pairs were 0.925 / 0.918 (seed 7) and 0.896 / 0.931 on a held-out seed; the band below
# holds the pairs a person should look at (below 0.5, one true pair in 500 was lost on either seed).
DEFAULT_THRESHOLD = 0.9
DEFAULT_REVIEW_BAND = (0.5, 0.9)

MIN_INCIDENTS_TO_TRAIN = 30  # below this, random pairs and EM have too little to estimate 40-odd parameters
MIN_TRAINING_PAIRS = 20  # an EM session on fewer pairs than this is noise
U_SAMPLE_PAIRS = 2e6
M_FLOOR = 1e-3  # the smallest m a level may have after EM: see _m_floor
SEED = 20240611  # random-pair sampling is seeded so a run can be repeated

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class IncidentLinkResult:
    """The scored pairs (probability at least the caller's minimum), the model that scored them, and how."""

    pairs: list[ScoredPair]
    model_version: str
    trained: bool
    notes: list[str] = field(default_factory=list)


def link_incidents(items: Sequence[LinkableIncident], *, backend: str = "duckdb", spark: Any = None,
                   min_probability: float = 0.01) -> IncidentLinkResult:
    """Score every blocked pair of incidents from different sources; return those at ``min_probability`` or above.

    ``backend`` is ``"duckdb"`` (embedded, the default) or ``"spark"`` (then
    ``spark`` is the SparkSession to run on). Pairs are in stored order
    (lower id first), highest probability first.
    """
    engine = backend_named(backend)
    if why := engine.unavailable():
        raise RuntimeError(f"the {backend} backend cannot run here: {why}")
    notes: list[str] = []
    rows = incident_rows(items)
    ids = [r["unique_id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise ValueError("each incident to link must have its own id")
    n = len(rows)
    prior_lambda = model.prior_probability_two_random_records_match(n)
    if len({r["source_id"] for r in rows}) < 2:
        notes.append("fewer than two sources: nothing to pair")
        return IncidentLinkResult(pairs=[], model_version=_version(model.prior_model(prior_lambda)), trained=False,
                                  notes=notes)

    from splink import Linker

    db_api, table = engine.prepare(rows=rows, schema=SCHEMA, table_name="incidents", spark=spark)
    prior = model.settings(probability_two_random_records_match=prior_lambda)
    linker = Linker(table, prior, log_level=logging.WARNING)
    trained = False
    if n < MIN_INCIDENTS_TO_TRAIN:
        notes.append(f"{n} incidents are too few to estimate the model (need {MIN_INCIDENTS_TO_TRAIN}): "
                     "the fixed prior m and u probabilities were used")
    else:
        trained_linker = _train(linker, rows, notes=notes)
        if trained_linker is not None:
            linker, trained = trained_linker, True
        else:
            linker = Linker(table, model.settings(probability_two_random_records_match=prior_lambda),
                            log_level=logging.WARNING)
    saved = linker.misc.save_model_to_json()
    labels = _level_labels(saved)
    frame = linker.inference.predict(threshold_match_probability=min_probability).as_pandas_dataframe()
    # Contradicting incidents (and chains through them) are kept from an automatic "same".
    pairs = guard(_scored_pairs(frame, labels, min_probability), rows)
    pairs.sort(key=lambda p: (-p.probability, p.left_id, p.right_id))
    return IncidentLinkResult(pairs=pairs, model_version=_version(saved), trained=trained, notes=notes)


def _train(linker: Any, rows: Sequence[dict[str, Any]], *, notes: list[str]) -> Any | None:
    """Estimate the parameters in place; the linker, or None (with a note) when the estimate cannot be trusted."""
    from splink.internals.exceptions import SplinkException

    n = len(rows)
    try:
        linker.training.estimate_probability_two_random_records_match(
            list(model.DETERMINISTIC_RULES), recall=model.deterministic_recall(rows))
        all_pairs = n * (n - 1) / 2
        linker.training.estimate_u_using_random_sampling(max_pairs=min(U_SAMPLE_PAIRS, all_pairs), seed=SEED)
        for columns, rule in model.TRAINING_RULES:
            count = _count_pairs(rows, columns)
            if count < MIN_TRAINING_PAIRS:
                notes.append(f"EM not run: only {count} pairs for the training rule {rule!r}; "
                             "the fixed prior m probabilities were used")
                return None
            with _m_floor():
                linker.training.estimate_parameters_using_expectation_maximisation(rule)
    except (SplinkException, ValueError, ZeroDivisionError) as exc:
        notes.append(f"estimation failed ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}): "
                     "the fixed priors were used")
        return None
    problems = _implausible(linker.misc.save_model_to_json())
    if problems:
        notes.append("the estimate was implausible (" + "; ".join(problems) + "): the fixed priors were used")
        return None
    lam = linker.misc.save_model_to_json()["probability_two_random_records_match"]
    notes.append(f"parameters estimated from {n} incidents (share of matching pairs {lam:.2g})")
    return linker


@contextmanager
def _m_floor() -> Iterator[None]:
    """Within an EM session, no m probability below :data:`M_FLOOR`.

    When no pair in a level looks like a match (the training data never has
    two reports of one event a day apart, say), EM drives that level's m to
    a value that underflows to 0.0, which Splink 5 refuses, ending the
    session. A floor is the usual smoothing: a level is strong evidence
    against a match, never proof. Splink has no option for it, so its
    maximisation step's lookup is floored for the length of the session
    (Splink is pinned below 6; the test suite trains a model, so a change
    there fails a test rather than every link run).
    """
    from splink.internals import expectation_maximisation as em

    original = em.populate_m_u_from_lookup

    def floored(fixed: Any, level: Any, name: str, lookup: dict[str, dict[int, Any]]) -> None:
        record = lookup.get(name, {}).get(level.comparison_vector_value)
        if record is not None and record.get("m_probability") is not None:
            record["m_probability"] = max(float(record["m_probability"]), M_FLOOR)
        original(fixed, level, name, lookup)

    em.populate_m_u_from_lookup = floored
    try:
        yield
    finally:
        em.populate_m_u_from_lookup = original


def _count_pairs(rows: Sequence[dict[str, Any]], columns: tuple[str, ...]) -> int:
    """Pairs from different sources that agree on ``columns`` (none of them unknown)."""
    groups: dict[tuple[Any, ...], Counter[str]] = {}
    for row in rows:
        key = tuple(row[c] for c in columns)
        if None not in key:
            groups.setdefault(key, Counter())[row["source_id"]] += 1
    total = 0
    for by_source in groups.values():
        n = sum(by_source.values())
        total += n * (n - 1) // 2 - sum(k * (k - 1) // 2 for k in by_source.values())
    return total


def _implausible(saved: dict[str, Any]) -> list[str]:
    """A comparison whose closest level weighs less than its furthest has been learned backwards."""
    problems = []
    for comparison in saved["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        first, last = levels[0], levels[-1]
        if _weight(first) is None or _weight(last) is None or _weight(first) <= _weight(last):
            problems.append(f"{comparison['output_column_name']}: '{first['label_for_charts']}' does not "
                            f"outweigh '{last['label_for_charts']}'")
    return problems


def _weight(level: dict[str, Any]) -> float | None:
    m, u = level.get("m_probability"), level.get("u_probability")
    if not m or not u:
        return None
    return math.log2(m / u)


def _level_labels(saved: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Each comparison's gamma value → level label (Splink numbers non-null levels from n-1 down to 0, null is -1)."""
    out: dict[str, dict[int, str]] = {}
    for comparison in saved["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        labels = {len(non_null) - 1 - i: lv["label_for_charts"] for i, lv in enumerate(non_null)}
        labels[-1] = next((lv["label_for_charts"] for lv in levels if lv.get("is_null_level")), "unknown")
        out[comparison["output_column_name"]] = labels
    return out


def _scored_pairs(frame: Any, labels: dict[str, dict[int, str]], min_probability: float) -> list[ScoredPair]:
    seen: dict[tuple[int, int], ScoredPair] = {}
    for rec in frame.to_dict("records"):
        probability = float(rec["match_probability"])
        if probability < min_probability:
            continue
        left, right = pair(int(rec["unique_id_l"]), int(rec["unique_id_r"]))
        weights: dict[str, float] = {}
        levels: dict[str, str] = {}
        for name, by_gamma in labels.items():
            gamma = int(rec[f"gamma_{name}"])
            weights[name] = round(float(rec[f"mw_{name}"]), 4)
            levels[name] = by_gamma.get(gamma, str(gamma))
        seen[(left, right)] = ScoredPair(left_id=left, right_id=right, probability=probability,
                                         weights=weights, levels=levels)
    return sorted(seen.values(), key=lambda p: (-p.probability, p.left_id, p.right_id))


def _version(saved: dict[str, Any]) -> str:
    """A short hash of the model's definition and parameters, the same whichever backend ran it.

    Built from the level labels and their m/u (rounded so floating-point noise
    between engines does not change it), not from the SQL, which each
    backend's dialect writes differently.
    """
    params = [(c, label, _round(m), _round(u)) for c, label, m, u in model.parameters(saved)]
    body = json.dumps({"model": model.MODEL_NAME, "lambda": _round(saved["probability_two_random_records_match"]),
                       "levels": params}, sort_keys=True, ensure_ascii=False)
    return f"{model.MODEL_NAME}:{hashlib.sha256(body.encode('utf-8')).hexdigest()[:12]}"


def _round(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.6g}")
