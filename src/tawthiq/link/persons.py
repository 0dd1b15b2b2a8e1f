"""Person linkage: which person records, within and across lists and reports, are the same person.

:func:`link_persons` derives comparison columns from each record
(:mod:`tawthiq.link.person_features`), trains the Splink model
(:mod:`tawthiq.link.person_model`) on them without labels, and returns every
pair scored at or above ``min_probability`` with each comparison's weight and
level, so a reviewer sees why. A pair is a proposal: the reviewer, or a
threshold the caller chooses, decides; and pairs a person has judged are
the caller's to drop, since the linker never overrides a person.

Training: u by random sampling, m by expectation maximisation on two blocks
(one on names, one off names, so every comparison is trained on pairs not
chosen for agreeing on it), the prior match probability from deterministic
rules. With fewer than :data:`MIN_RECORDS_TO_TRAIN` records, or when training
fails, the hand-set priors of :mod:`tawthiq.link.person_model` are used and
``trained`` is False with the reason in ``notes``.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tawthiq.domain.judgements import ScoredPair
from tawthiq.domain.persons import PersonRecord
from tawthiq.link import person_model
from tawthiq.link.backends import BACKENDS as _ENGINES
from tawthiq.link.backends import spark_jar
from tawthiq.link.person_features import extra_columns, person_row

__all__ = ["BACKENDS", "MIN_RECORDS_TO_TRAIN", "PersonLinkResult", "link_persons", "spark_jar"]

MIN_RECORDS_TO_TRAIN = 300  # below this, random pairs and EM blocks are too few for stable estimates
_U_MAX_PAIRS = 2_000_000
_SEED = 20240611  # fixed, so the same records train the same model


@dataclass(slots=True)
class PersonLinkResult:
    pairs: list[ScoredPair]
    model_version: str  # the model definition and its parameters, hashed: every judgement names it
    trained: bool  # False: the hand-set priors scored the pairs (see notes)
    notes: list[str] = field(default_factory=list)


# One registry of engines for every linker (link/backends.py); by name here.
BACKENDS = {b.name: b for b in _ENGINES}


def link_persons(records: Sequence[PersonRecord], *, backend: str = "duckdb", spark: Any | None = None,
                 min_probability: float = 0.01) -> PersonLinkResult:
    """Score the pairs of ``records`` that may be the same person (each record's ``id`` must be set)."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown linkage backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    if not 0.0 <= min_probability <= 1.0:
        raise ValueError(f"min_probability must be between 0 and 1, not {min_probability}")
    ids = [r.id for r in records]
    missing = next((r for r in records if r.id is None), None)
    if missing is not None:
        raise ValueError(f"person record {missing.list_name}/{missing.record_id} has no id: store it before linking")
    if len(set(ids)) != len(ids):
        raise ValueError("person records to link must have distinct ids")
    notes: list[str] = []
    if len(records) < 2:
        return PersonLinkResult(pairs=[], model_version=_version({"model": person_model.MODEL_NAME}), trained=False,
                                notes=["fewer than two records: nothing to link"])
    extras = extra_columns(records)
    frame = pd.DataFrame([person_row(r, extras) for r in records])
    budget = max(200_000, 40 * len(records))
    rules, rule_notes = person_model.blocking_rules(frame, extras, budget=budget)
    notes += rule_notes
    if not rules:
        return PersonLinkResult(pairs=[], model_version=_version({"model": person_model.MODEL_NAME}), trained=False,
                                notes=notes + ["no blocking rule applies (no names, dates or shared attributes)"])
    prior_match = min(0.5, 1.0 / len(records))
    present = {c for c in frame.columns if frame[c].notna().any()}
    settings = person_model.settings(extras, rules, prior_match=prior_match, present=present)

    from splink import Linker

    db_api = BACKENDS[backend].db_api(spark=spark, udfs=True)
    table = db_api.register(frame, dataset_display_name="persons")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        linker = Linker(table, settings, log_level=logging.ERROR)
        trained = False
        if len(records) < MIN_RECORDS_TO_TRAIN:
            notes.append(f"{len(records)} records are too few to train (at least {MIN_RECORDS_TO_TRAIN}): "
                         "scored with the model's hand-set m and u priors")
        else:
            priors = _m_values(linker)
            trained = _train(linker, frame, notes)
            _keep_priors_where_untrained(linker, priors, notes)
        model = linker.misc.save_model_to_json()
        predictions = linker.inference.predict(threshold_match_probability=min_probability)
        scored = _scored_columns(linker, predictions, model)
    pairs = _pairs(scored, model, {f"x{i}": f"extra:{key}" for i, key in enumerate(extras)})
    return PersonLinkResult(pairs=pairs, model_version=_version(model, rules), trained=trained, notes=notes)


def _train(linker: Any, frame: pd.DataFrame, notes: list[str]) -> bool:
    """Train in place; on failure the priors stay and a note says what failed. True when EM ran."""
    deterministic = [r for r in (("words_key", "by_lo"), ("words_key", "d_lo"), ("given_sk", "family_sk", "dob"))
                     if frame[list(r)].notna().all(axis=1).any()]
    try:
        if deterministic:
            linker.training.estimate_probability_two_random_records_match(
                [person_model.rule(r) for r in deterministic], recall=0.6)
    except Exception as exc:  # noqa: BLE001 — Splink raises many kinds; the prior stays
        notes.append(f"prior match probability not estimated ({type(exc).__name__}): kept 1/n")
    try:
        linker.training.estimate_u_using_random_sampling(max_pairs=_U_MAX_PAIRS, seed=_SEED)
    except Exception as exc:  # noqa: BLE001
        notes.append(f"u not estimated by random sampling ({type(exc).__name__}: {exc}): hand-set u kept")
        return False
    sessions = 0
    # One block on names trains everything else; one off names trains the names.
    off_names = [r for r in (("dob",), ("d_lo", "gov"), ("by_lo", "gov"), ("d_lo",), ("by_lo", "sex"))
                 if frame[list(r)].notna().all(axis=1).any()
                 and 0 < person_model.pair_count(frame, r) <= max(2_000_000, 20 * len(frame))]
    # The block on names is as narrow as the names allow, so matches are not swamped by namesakes.
    on_names = next((b for b in (("given_sk", "father_sk", "family_sk"), ("given_sk", "family_sk"))
                     if person_model.pair_count(frame, b) > 0), ("given_sk", "family_sk"))
    for block in [on_names, *off_names[:1]]:
        if person_model.pair_count(frame, block) == 0:
            continue
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                person_model.rule(block), estimate_without_term_frequencies=True)
            sessions += 1
        except Exception as exc:  # noqa: BLE001
            notes.append(f"EM on {'+'.join(block)} failed ({type(exc).__name__}: {exc})")
    if sessions == 0:
        notes.append("no EM session ran: m stays at the hand-set priors")
        return False
    if not off_names:
        notes.append("no block off the names (no birth, date or place): the names' m stay at the priors")
    return True


def _scored_columns(linker: Any, predictions: Any, model: dict[str, Any]) -> pd.DataFrame:
    """Only what a scored pair keeps: ids, probability, and each comparison's level and weights."""
    columns = ["unique_id_l", "unique_id_r", "match_probability"]
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        columns += [f"gamma_{name}", f"mw_{name}"]
        if any(lv.get("tf_adjustment_column") for lv in comparison["comparison_levels"]):
            columns.append(f"mw_tf_adj_{name}")
    sql = f"select {', '.join(columns)} from {predictions.physical_name}"
    return linker.misc.query_sql(sql, output_type="pandas")


def _m_values(linker: Any) -> dict[tuple[str, int], float | None]:
    return {(c.output_column_name, i): lv.m_probability
            for c in linker._settings_obj.comparisons for i, lv in enumerate(c.comparison_levels)
            if not lv.is_null_level}


def _keep_priors_where_untrained(linker: Any, priors: dict[tuple[str, int], float | None], notes: list[str]) -> None:
    """A level EM did not see (no pair reached it) can come back with m outside [0, 1]; it keeps its prior,
    so one unseen level cannot veto a pair with a weight of hundreds."""
    reset = []
    for c in linker._settings_obj.comparisons:
        for i, lv in enumerate(c.comparison_levels):
            if lv.is_null_level or lv.m_probability is None:
                continue
            m = lv.m_probability
            if not (0.0 < m <= 1.0) and priors.get((c.output_column_name, i)) is not None:
                lv.m_probability = priors[(c.output_column_name, i)]
                reset.append(f"{c.output_column_name}/{lv.label_for_charts}")
    if reset:
        notes.append("levels no training pair reached kept their prior m: " + ", ".join(reset))


def _level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """Comparison name -> gamma value -> the level's label (null is -1, the rest count down to 0)."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        by_gamma = {len(levels) - 1 - i: lv.get("label_for_charts", "") for i, lv in enumerate(levels)}
        by_gamma[-1] = "missing"
        labels[comparison["output_column_name"]] = by_gamma
    return labels


def _pairs(scored: pd.DataFrame, model: dict[str, Any], display: dict[str, str]) -> list[ScoredPair]:
    """The scored rows as pairs; ``display`` names the extra-attribute comparisons by their attribute."""
    labels = _level_labels(model)
    names = list(labels)
    out: list[ScoredPair] = []
    columns = {c: scored[c].to_numpy() for c in scored.columns if c.startswith(("gamma_", "mw_"))}
    left = scored["unique_id_l"].to_numpy()
    right = scored["unique_id_r"].to_numpy()
    prob = scored["match_probability"].to_numpy()
    for i in range(len(scored)):
        weights: dict[str, float] = {}
        levels: dict[str, str] = {}
        for name in names:
            gamma = int(columns[f"gamma_{name}"][i])
            weight = float(columns[f"mw_{name}"][i])  # log2 of the Bayes factor
            tf = columns.get(f"mw_tf_adj_{name}")
            if tf is not None and not math.isnan(float(tf[i])):
                weight += float(tf[i])  # a common name agreeing says less than a rare one
            shown = display.get(name, name)
            weights[shown] = round(weight, 4)
            levels[shown] = labels[name].get(gamma, str(gamma))
        a, b = int(left[i]), int(right[i])
        out.append(ScoredPair(left_id=min(a, b), right_id=max(a, b), probability=float(prob[i]),
                              weights=weights, levels=levels))
    out.sort(key=lambda p: (-p.probability, p.left_id, p.right_id))
    return out


def _version(model: dict[str, Any], rules: Sequence[Sequence[str]] = ()) -> str:
    """``persons-v1-<hash>``: the hash of the model's comparisons, levels, blocking and parameters.

    The levels' SQL is left out (Splink writes it per backend), so one model has one version on every backend.
    """
    stable = {
        "model": person_model.MODEL_NAME,
        "prior": _rounded(model.get("probability_two_random_records_match")),
        "blocking": ["+".join(r) for r in rules],  # the columns, not the SQL each backend writes
        "comparisons": [
            [c.get("output_column_name"),
             [[lv.get("label_for_charts"), _rounded(lv.get("m_probability")), _rounded(lv.get("u_probability"))]
              for lv in c.get("comparison_levels", [])]]
            for c in model.get("comparisons", [])
        ],
    }
    digest = hashlib.sha256(json.dumps(stable, sort_keys=True, default=str).encode()).hexdigest()[:12]
    return f"{person_model.MODEL_NAME}-{digest}"


def _rounded(value: Any) -> Any:
    return round(value, 9) if isinstance(value, float) else value
