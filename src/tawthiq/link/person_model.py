"""The person linkage model: Splink comparisons, their prior m/u, and blocking rules, defined once for every backend.

Each comparison's levels go from most to least alike, and each has a prior
``(m, u)``: how often two records of the *same* person, and of two *different*
people, reach that level. The priors are set by hand from what Syrian victim
lists look like (a few given names are very common, so two different people
share a given name often; a father's name is missing in many lists), and are
what the model uses when there are too few records to train (see
:func:`tawthiq.link.persons.link_persons`); with enough records, u is estimated
by random sampling and m by expectation maximisation.

The SQL is written for DuckDB (``base_dialect_str``) and translated by Splink for
Spark, so one definition serves both.
"""
from __future__ import annotations

from collections.abc import Sequence, Set

import pandas as pd
import splink.comparison_level_library as cll
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_library import CustomComparison

__all__ = ["MODEL_NAME", "blocking_rules", "comparisons", "settings"]

MODEL_NAME = "persons-v1"  # bump when a comparison, a level or a prior changes: it is part of model_version

_DIALECT = "duckdb"


def _level(level, label: str, m: float, u: float):
    return level.configure(label_for_charts=label, m_probability=m, u_probability=u)


def _sql(condition: str, label: str, m: float, u: float):
    return _level(cll.CustomLevel(condition, base_dialect_str=_DIALECT), label, m, u)


def _name_comparison(part: str, *, symbols: bool, priors: Sequence[tuple[float, float]],
                     swapped_with: str = "") -> ComparisonCreator:
    """A name part: same spelling, same name by rigour's Wikidata ids (across scripts and transliterations),
    same consonant skeleton, a near spelling (typo), or different. With ``swapped_with``, a level for the
    part and that one written in each other's place (a father's name given as the given name)."""
    levels = [cll.NullLevel(part)]
    exact = cll.ExactMatchLevel(part).configure(tf_adjustment_column=part)
    candidates = [(exact, "same spelling")]
    if swapped_with:
        candidates.append((cll.CustomLevel(f"{part}_sk_l = {swapped_with}_sk_r AND {swapped_with}_sk_l = {part}_sk_r",
                                           base_dialect_str=_DIALECT), f"{part} and {swapped_with} swapped"))
    if symbols:
        candidates.append((cll.ArrayIntersectLevel(f"{part}_sym", 1), "same name (rigour symbol)"))
    candidates.append((cll.ExactMatchLevel(f"{part}_sk"), "same skeleton (transliteration)"))
    candidates.append((cll.Or(cll.JaroWinklerLevel(part, 0.9), cll.JaroWinklerLevel(f"{part}_sk", 0.9)),
                       "near spelling"))
    candidates.append((cll.ElseLevel(), "different"))
    if len(priors) != len(candidates):
        raise ValueError(f"{part}: {len(priors)} priors for {len(candidates)} levels")
    for (level, label), (m, u) in zip(candidates, priors, strict=True):
        levels.append(_level(level, label, m, u))
    return CustomComparison(comparison_levels=levels, output_column_name=part)


def _short_name_comparison(part: str, priors: Sequence[tuple[float, float]]) -> ComparisonCreator:
    levels = [cll.NullLevel(part)]
    for (level, label), (m, u) in zip(
        [(cll.ExactMatchLevel(f"{part}_sk"), "same skeleton"),
         (cll.JaroWinklerLevel(f"{part}_sk", 0.9), "near spelling"),
         (cll.ElseLevel(), "different")], priors, strict=True):
        levels.append(_level(level, label, m, u))
    return CustomComparison(comparison_levels=levels, output_column_name=part)


def _birth_comparison() -> ComparisonCreator:
    overlap = "greatest(by_lo_l, by_lo_r) <= least(by_hi_l, by_hi_r)"
    gap = "greatest(by_lo_l, by_lo_r) - least(by_hi_l, by_hi_r)"
    return CustomComparison(output_column_name="birth", comparison_levels=[
        cll.CustomLevel("by_lo_l IS NULL OR by_lo_r IS NULL").configure(is_null_level=True),
        _sql("dob_l = dob_r", "same birth date", 0.45, 0.0005),
        _sql(overlap, "birth years agree", 0.45, 0.08),
        _sql(f"{gap} <= 2", "within 2 years", 0.06, 0.08),
        _sql(f"{gap} <= 5", "within 5 years", 0.02, 0.14),
        _level(cll.ElseLevel(), "different", 0.02, 0.6995),
    ])


def _date_comparison() -> ComparisonCreator:
    overlap = "greatest(d_lo_l, d_lo_r) <= least(d_hi_l, d_hi_r)"
    gap = "greatest(d_lo_l, d_lo_r) - least(d_hi_l, d_hi_r)"
    return CustomComparison(output_column_name="date", comparison_levels=[
        cll.CustomLevel("d_lo_l IS NULL OR d_lo_r IS NULL").configure(is_null_level=True),
        _sql("d_lo_l = d_lo_r AND d_hi_l = d_hi_r AND d_lo_l = d_hi_l", "same day", 0.7, 0.002),
        _sql(overlap, "dates overlap", 0.15, 0.01),
        _sql(f"{gap} <= 7", "within a week", 0.08, 0.02),
        _sql(f"{gap} <= 60", "within two months", 0.04, 0.06),
        _level(cll.ElseLevel(), "different", 0.03, 0.908),
    ])


def _exact_comparison(column: str, name: str, *, m: float, u: float, fuzzy: bool = False) -> ComparisonCreator:
    levels = [cll.NullLevel(column), _level(cll.ExactMatchLevel(column), "same", m, u)]
    rest = 1.0 - m
    if fuzzy:  # an id number or an address with one typo
        levels.append(_level(cll.Or(cll.DamerauLevenshteinLevel(column, 1), cll.JaroWinklerLevel(column, 0.9)),
                             "near", rest * 0.6, min(0.05, (1 - u) / 4)))
        rest *= 0.4
        u = u + min(0.05, (1 - u) / 4)
    levels.append(_level(cll.ElseLevel(), "different", rest, 1.0 - u))
    return CustomComparison(comparison_levels=levels, output_column_name=name)


def comparisons(extras: Sequence[str], present: Set[str] | None = None) -> list[ComparisonCreator]:
    """The model's comparisons; ``extras`` are the shared extra attributes, compared as columns x0, x1….

    With ``present`` (the columns some record gives), a comparison of a column no record gives is left
    out: it could neither be trained nor tell two records apart.
    """
    out = [
        _name_comparison("given", symbols=True, swapped_with="father",
                         priors=[(0.8, 0.03), (0.02, 0.0005), (0.05, 0.01), (0.04, 0.0195), (0.05, 0.02),
                                 (0.04, 0.92)]),
        _name_comparison("father", symbols=True,
                         priors=[(0.7, 0.03), (0.08, 0.01), (0.06, 0.02), (0.06, 0.02), (0.1, 0.92)]),
        _short_name_comparison("grandfather", [(0.75, 0.04), (0.1, 0.03), (0.15, 0.93)]),
        _name_comparison("family", symbols=True,
                         priors=[(0.8, 0.01), (0.06, 0.003), (0.05, 0.005), (0.05, 0.01), (0.04, 0.972)]),
        _short_name_comparison("mother", [(0.8, 0.04), (0.1, 0.03), (0.1, 0.93)]),
        _short_name_comparison("nickname", [(0.7, 0.01), (0.1, 0.02), (0.2, 0.97)]),
        _birth_comparison(),
        _exact_comparison("sex", "sex", m=0.98, u=0.5),
        _exact_comparison("gov", "governorate", m=0.9, u=0.15),
        _exact_comparison("origin", "origin", m=0.85, u=0.05),
        _exact_comparison("place", "place", m=0.8, u=0.05),
        _date_comparison(),
    ]
    out += [_exact_comparison(f"x{i}", f"x{i}", m=0.85, u=0.01, fuzzy=True) for i in range(len(extras))]
    if present is None:
        return out
    return [c for c in out if _COLUMN_OF.get(c.create_output_column_name(), c.create_output_column_name()) in present]


# The input column each comparison reads, where it is not named like the comparison.
_COLUMN_OF = {"birth": "by_lo", "governorate": "gov", "date": "d_lo"}


# Blocking rules for prediction, as column tuples; a rule whose pair count passes the budget is left
# out (see blocking_rules) so a very common name cannot make the comparison count explode.
_CANDIDATE_RULES: tuple[tuple[str, ...], ...] = (
    ("name_pair",),  # given and family name, either order
    ("given_sk", "father_sk"),
    ("family_sk", "father_sk"),
    ("family_sk", "by_lo"),
    ("given_sk", "by_lo"),
    ("family_sk", "d_lo"),
    ("words_key",),
    ("dob",),
    ("given_sk", "gov", "d_lo"),
)


def pair_count(frame: pd.DataFrame, columns: Sequence[str]) -> int:
    """How many pairs blocking on equal ``columns`` (none missing) makes."""
    sizes = frame.dropna(subset=list(columns)).groupby(list(columns), sort=False).size()
    return int((sizes * (sizes - 1) // 2).sum())


# A rule over the budget is narrowed by the first of these that brings it within (a namesake in
# another governorate or year is still found by the other rules); only if none does is it left out.
_REFINERS: tuple[str, ...] = ("gov", "d_year", "sex")


def blocking_rules(frame: pd.DataFrame, extras: Sequence[str], *, budget: int) -> tuple[list[tuple[str, ...]],
                                                                                     list[str]]:
    """The candidate rules (and one per shared extra attribute) whose pair count is within ``budget``,
    narrowed where needed, and a note for each rule narrowed or left out."""
    kept: list[tuple[str, ...]] = []
    notes: list[str] = []
    candidates = list(_CANDIDATE_RULES) + [(f"x{i}",) for i in range(len(extras))]
    for rule in candidates:
        if frame[list(rule)].isna().all().any():
            continue
        count = pair_count(frame, rule)
        if count == 0:
            continue
        if count > budget:
            narrowed = next((rule + (r,) for r in _REFINERS if r not in rule and frame[r].notna().any()
                             and 0 < pair_count(frame, rule + (r,)) <= budget), None)
            if narrowed is None:
                notes.append(f"blocking on {'+'.join(rule)} left out: {count} pairs, over the budget of {budget}")
                continue
            notes.append(f"blocking on {'+'.join(rule)} narrowed by {narrowed[-1]}: {count} pairs, over the budget "
                         f"of {budget}")
            rule = narrowed
        kept.append(rule)
    return kept, notes


def rule(columns: Sequence[str]) -> BlockingRuleCreator:
    return block_on(*columns)


def settings(extras: Sequence[str], rules: Sequence[Sequence[str]], *, prior_match: float,
             present: Set[str] | None = None) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(extras, present),
        blocking_rules_to_generate_predictions=[rule(r) for r in rules],
        probability_two_random_records_match=prior_match,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True  # the gamma (level) columns come only with these,
    )
