"""The incident linkage model: Splink comparisons, blocking and training rules, and the fixed priors.

One definition, whatever the backend: every level is plain SQL that DuckDB
and Spark read alike (arithmetic, ``substr``, ``greatest``/``least``), or a
level that renders itself per dialect (:class:`TokenOverlapLevel`, and
Splink's own array intersection). Columns are those of
:mod:`tawthiq.link.incident_features`.

Each level carries a prior m and u probability. They are the model's
parameters when there is too little data to estimate any (a handful of
incidents) and EM's starting point otherwise. They were set by judgement
before any benchmark run: m is how often two reports *of one event* reach
the level (e.g. "the same town": 55%, one report often gives only the
governorate or a neighbouring village); u is how often two reports *of
different events among the blocked candidates* do (same governorate, dates
within a week): the same town 8%, the same day 12%. u is stated for the
candidates rather than for random pairs because a handful of incidents is
all candidates; with the prior share of matching candidates
(:data:`PRIOR_MATCH_SHARE`, 30%) the priors score a candidate pair on its
own evidence. When there is data, u is re-estimated from random pairs and
the share of matches from the data, so the priors only start EM.

Blocking (which pairs are compared at all), every rule only between
different sources:

1. same governorate (a governorate-level place is compared with the towns
   inside it) and date ranges within :data:`DATE_SLACK_DAYS` of each other,
   the ranges being as wide as the dates are uncertain (a month-precision
   date reaches every day of its month), and compatible event types (same
   ACLED group, or one unknown);
2. places in different governorates within :data:`NEAR_DEGREES` of each
   other (a suburb told as in the city or in the governorate around it),
   with the dates and types as in 1;
3. either place unknown: dates within the slack and the same event type;
4. either date unknown: the same gazetteer place and the same event type;
5. either date unknown (a report that says only "today" or "at dawn on
   Wednesday", with no date line): the same governorate, one place inside
   the other (or within :data:`NEAR_DEGREES`) and compatible event types;
6. either date unknown but a day of the year named ("July 25" with no
   year) that the other names or is dated to: the same or an unknown
   governorate and compatible event types.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator
from splink.blocking_rule_library import CustomRule
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

MODEL_NAME = "incident-fs-3"
DATE_SLACK_DAYS = 7
NEAR_DEGREES = 0.15  # about 15 km: places this close in different governorates are still compared
DIFFERENT_SOURCES = "l.source_id <> r.source_id"
_OVERLAP_WITH_SLACK = (f"l.date_lo <= r.date_hi + {DATE_SLACK_DAYS} AND r.date_lo <= l.date_hi + {DATE_SLACK_DAYS}")
# Types sources tell one event as (incident_features.EVENT_FAMILY): the same family, or one type vague enough
# for any ("attack", "other"), or unknown.
_COMPATIBLE_TYPES = ("(l.event_family = r.event_family OR l.event_family IS NULL OR r.event_family IS NULL "
                     "OR l.event_group = r.event_group)")
_GAP = "(greatest(l.date_lo, r.date_lo) - least(l.date_hi, r.date_hi))"  # <= 0 when the ranges overlap
_WIDEST = "greatest(l.date_span, r.date_span)"
# The ranges as stated ("March 2016"), without the margin "~" adds ("about March 2016"): a day inside
# the stated month says more than a day only in its margin.
_CORE_GAP = "(greatest(l.date_core_lo, r.date_core_lo) - least(l.date_core_hi, r.date_core_hi))"
_CORE_WIDEST = "greatest(l.date_core_hi - l.date_core_lo, r.date_core_hi - r.date_core_lo)"
_BOTH_DAYS = "(l.date_span = 0 AND r.date_span = 0)"
_NESTED_OR_NEAR = ("substr(l.place_key, 1, length(r.place_key)) = r.place_key OR "
                   "substr(r.place_key, 1, length(l.place_key)) = l.place_key OR "
                   f"(abs(l.lat - r.lat) <= {NEAR_DEGREES} AND abs(l.lon - r.lon) <= {NEAR_DEGREES})")
_OPEN = 1_000_000_000  # an open count ("at least 12") reaches any number


class TokenOverlapLevel(ComparisonLevelCreator):
    """Share of the shorter word list found in the other (overlap coefficient) at least ``threshold``.

    The overlap coefficient rather than Jaccard: one report is often a
    sentence and another a paragraph about the same strike.
    """

    def __init__(self, col_name: str, threshold: float) -> None:
        self.col_name = col_name
        self.threshold = threshold

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        l_col, r_col = f"{self.col_name}_l", f"{self.col_name}_r"
        if sql_dialect.sql_dialect_str == "spark":
            inter, size = f"size(array_intersect({l_col}, {r_col}))", "size"
        elif sql_dialect.sql_dialect_str == "duckdb":
            inter, size = f"len(list_intersect({l_col}, {r_col}))", "len"
        else:
            raise ValueError(f"no word-overlap level for the {sql_dialect.sql_dialect_str} dialect")
        return f"{inter} >= {self.threshold} * least({size}({l_col}), {size}({r_col}))"

    def create_label_for_charts(self) -> str:
        return f"{round(self.threshold * 100)}% of the words shared"


@dataclass(frozen=True, slots=True)
class Level:
    label: str
    sql: str | ComparisonLevelCreator
    m: float
    u: float


_SIDE = re.compile(r"\b([lr])\.(\w+)")


def pair_sql(sql: str) -> str:
    """A condition written as in a blocking rule (``l.x = r.x``) in a comparison's column names (``x_l = x_r``)."""
    return _SIDE.sub(r"\2_\1", sql)


def _custom(name: str, description: str, null_sql: str, levels: list[Level]) -> cl.CustomComparison:
    built: list[ComparisonLevelCreator] = [cll.CustomLevel(pair_sql(null_sql), label_for_charts="unknown").configure(
        is_null_level=True)]
    for level in levels:
        creator = level.sql if isinstance(level.sql, ComparisonLevelCreator) else cll.CustomLevel(pair_sql(level.sql))
        built.append(creator.configure(label_for_charts=level.label, m_probability=level.m, u_probability=level.u))
    return cl.CustomComparison(comparison_levels=built, output_column_name=name, comparison_description=description)


def spec() -> list[tuple[str, str, str, list[Level]]]:
    """Each comparison: (name, description, the SQL of its "unknown" level, its levels closest first)."""
    return [
        ("date", "how far apart the dates are, given their precision",
                "l.date_lo IS NULL OR r.date_lo IS NULL", [
                    Level("same day", f"{_BOTH_DAYS} AND l.date_lo = r.date_lo", 0.55, 0.12),
                    Level("one day apart", f"{_BOTH_DAYS} AND abs(l.date_lo - r.date_lo) = 1", 0.12, 0.15),
                    Level("inside the other's stated range of up to about two weeks",
                          f"{_CORE_GAP} <= 0 AND {_CORE_WIDEST} <= 16", 0.12, 0.05),
                    Level("inside the other's stated range of up to about a month",
                          f"{_CORE_GAP} <= 0 AND {_CORE_WIDEST} <= 31", 0.1, 0.08),
                    Level("inside a wider range, or only its approximate margin", f"{_GAP} <= 0", 0.08, 0.15),
                    Level(f"2–{DATE_SLACK_DAYS} days apart", f"{_GAP} <= {DATE_SLACK_DAYS}", 0.04, 0.45),
                    Level("further apart", "ELSE", 0.01, 0.05),
                ]),
        # Only where the dates cannot be compared (one or both missing), so one agreement is not counted twice.
        ("calendar", "the day of the year or the weekday named, where a report gives no date",
                 "(l.date_lo IS NOT NULL AND r.date_lo IS NOT NULL) OR NOT ((l.days IS NOT NULL AND "
                 "r.days IS NOT NULL) OR (l.weekdays IS NOT NULL AND r.weekdays IS NOT NULL))", [
                    Level("the same day of the year", cll.ArrayIntersectLevel("days", 1), 0.5, 0.01),
                    Level("a day apart in the year", _ArraysMeet("days", "days_near"), 0.15, 0.02),
                    Level("different days of the year", "l.days IS NOT NULL AND r.days IS NOT NULL", 0.1, 0.9),
                    Level("the same weekday", cll.ArrayIntersectLevel("weekdays", 1), 0.6, 0.15),
                    Level("another weekday", "ELSE", 0.35, 0.85),
                ]),
        ("place", "the same place, one place inside the other, or the distance between them",
                "l.admin1 IS NULL OR r.admin1 IS NULL", [
                    Level("same place", "l.place_id = r.place_id", 0.55, 0.08),
                    # One village written in two scripts or spellings, or once placed at its town and once
                    # at its district: the names agree where the gazetteer could not say.
                    Level("the same place name, in either script",
                          _ArraysMeet("place_names", "place_names", unless="l.place_listed = 1 AND r.place_listed = 1"),
                          0.15, 0.01),
                    Level("one inside the other's district",
                          "least(l.place_rank, r.place_rank) = 2 AND "
                          "(substr(l.place_key, 1, length(r.place_key)) = r.place_key OR "
                          "substr(r.place_key, 1, length(l.place_key)) = l.place_key)", 0.08, 0.04),
                    Level("one inside the other's governorate",
                          "least(l.place_rank, r.place_rank) = 1 AND l.admin1 = r.admin1", 0.2, 0.1),
                    Level("within 5 km", cll.DistanceInKMLevel("lat", "lon", 5, not_null=True), 0.06, 0.03),
                    Level("within 15 km", cll.DistanceInKMLevel("lat", "lon", 15, not_null=True), 0.04, 0.05),
                    Level("same governorate", "l.admin1 = r.admin1", 0.05, 0.64),
                    Level("elsewhere", "ELSE", 0.02, 0.05),
                ]),
        ("event_type", "the event type (ACLED sub-event) and its group",
                "l.event_type IS NULL OR r.event_type IS NULL", [
                    Level("same type", "l.event_type = r.event_type", 0.85, 0.5),
                    Level("same group", "l.event_group = r.event_group", 0.12, 0.4),
                    Level("told alike (same family, or one only 'an attack')",
                          "l.event_family = r.event_family OR l.event_family IS NULL OR r.event_family IS NULL",
                          0.2, 0.15),
                    Level("different", "ELSE", 0.03, 0.1),
                ]),
        ("perpetrators", "the perpetrators (top-level actor codes)",
                "l.perpetrators IS NULL OR r.perpetrators IS NULL", [
                    Level("a perpetrator in common", cll.ArrayIntersectLevel("perpetrators", 1), 0.8, 0.65),
                    Level("allies (one source names an ally of the other's)",
                          cll.ArrayIntersectLevel("perpetrator_sides", 1), 0.12, 0.1),
                    Level("none in common", "ELSE", 0.08, 0.25),
                ]),
        ("victims", "the victims' gravest outcome and their kind (civilian, combatant)",
                "l.outcomes IS NULL OR r.outcomes IS NULL", [
                    Level("same outcome and kind",
                          "l.count_outcome = r.count_outcome AND l.victim_kind = r.victim_kind", 0.6, 0.4),
                    Level("an outcome in common", cll.ArrayIntersectLevel("outcomes", 1), 0.35, 0.4),
                    Level("different", "ELSE", 0.05, 0.2),
                ]),
        ("count", "the count of the gravest outcome",
                "l.count_lo IS NULL OR r.count_lo IS NULL OR l.count_outcome <> r.count_outcome", [
                    Level("same count", "l.count_lo = r.count_lo AND l.count_hi = r.count_hi", 0.45, 0.05),
                    Level("counts compatible",
                          f"l.count_lo <= coalesce(r.count_hi, {_OPEN}) AND "
                          f"r.count_lo <= coalesce(l.count_hi, {_OPEN})",
                          0.2, 0.08),
                    Level("within 25%", "abs(l.count_lo - r.count_lo) <= 0.25 * greatest(l.count_lo, r.count_lo)",
                          0.2, 0.1),
                    Level("within a factor of two",
                          "least(l.count_lo, r.count_lo) * 2 >= greatest(l.count_lo, r.count_lo)",
                          0.1, 0.2),
                    Level("different", "ELSE", 0.05, 0.57),
                ]),
        ("evidence", "the words of the evidence, for two reports in one language",
                "l.tokens IS NULL OR r.tokens IS NULL OR l.language IS NULL OR r.language IS NULL "
                "OR l.language <> r.language", [
                    Level("most words shared", TokenOverlapLevel("tokens", 0.5), 0.3, 0.05),
                    Level("some words shared", TokenOverlapLevel("tokens", 0.25), 0.3, 0.25),
                    Level("few words shared", "ELSE", 0.4, 0.7),
                ]),
    ]


def comparisons() -> list[cl.CustomComparison]:
    return [_custom(*item) for item in spec()]


def prior_model(probability_two_random_records_match: float) -> dict[str, Any]:
    """The priors in the shape of a saved Splink model (what :func:`parameters` reads)."""
    return {"probability_two_random_records_match": probability_two_random_records_match, "comparisons": [
        {"output_column_name": name, "comparison_levels": [
            {"label_for_charts": "unknown", "is_null_level": True},
            *({"label_for_charts": lv.label, "m_probability": lv.m, "u_probability": lv.u} for lv in levels)]}
        for name, _, _, levels in spec()]}


class _ArraysMeet(ComparisonLevelCreator):
    """One side's ``left`` array shares a value with the other side's ``right`` array (either way round),
    unless the pair meets ``unless`` (a condition written as in a blocking rule)."""

    def __init__(self, left: str, right: str, *, unless: str = "") -> None:
        self.left, self.right, self.unless = left, right, unless

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        if sql_dialect.sql_dialect_str == "spark":
            meet = "size(array_intersect({a}, {b})) > 0"
        elif sql_dialect.sql_dialect_str == "duckdb":
            meet = "len(list_intersect({a}, {b})) > 0"
        else:
            raise ValueError(f"no array level for the {sql_dialect.sql_dialect_str} dialect")
        sql = (f"({meet.format(a=f'{self.left}_l', b=f'{self.right}_r')} OR "
               f"{meet.format(a=f'{self.right}_l', b=f'{self.left}_r')})")
        return f"({sql} AND NOT ({pair_sql(self.unless)}))" if self.unless else sql

    def create_label_for_charts(self) -> str:
        return f"{self.left} meets {self.right}"


def blocking_rules() -> list[CustomRule]:
    return [
        CustomRule(f"l.admin1 = r.admin1 AND {_OVERLAP_WITH_SLACK} AND {_COMPATIBLE_TYPES} AND {DIFFERENT_SOURCES}"),
        # Across a governorate line: a suburb one source places in Rif Dimashq and another in "Damascus".
        CustomRule(f"abs(l.lat - r.lat) <= {NEAR_DEGREES} AND abs(l.lon - r.lon) <= {NEAR_DEGREES} AND "
                   f"l.admin1 <> r.admin1 AND {_OVERLAP_WITH_SLACK} AND {_COMPATIBLE_TYPES} AND {DIFFERENT_SOURCES}"),
        CustomRule(f"l.event_type = r.event_type AND {_OVERLAP_WITH_SLACK} AND (l.admin1 IS NULL OR r.admin1 IS NULL)"
                   f" AND {DIFFERENT_SOURCES}"),
        CustomRule(f"l.place_id = r.place_id AND l.event_type = r.event_type AND (l.date_lo IS NULL OR "
                   f"r.date_lo IS NULL) AND {DIFFERENT_SOURCES}"),
        # Undated reports are common in real prose (measured: a third of the incidents of one corpus), and
        # their places are often a district or a governorate around the other's town: rule 4 missed most.
        # The governorate keeps this an equality join; the place condition keeps it to places that can be one.
        CustomRule(f"l.admin1 = r.admin1 AND (l.date_lo IS NULL OR r.date_lo IS NULL) AND ({_NESTED_OR_NEAR}) "
                   f"AND {_COMPATIBLE_TYPES} AND {DIFFERENT_SOURCES}"),
        # A report without a year ("BEIRUT, July 25 (Reuters) -", "on 7 June") and one dated that day, or
        # another naming it: the day of the year joins them, even where a place was not read.
        CustomRule(f"l.day_key = r.day_key AND (l.date_lo IS NULL OR r.date_lo IS NULL) AND "
                   f"(l.admin1 = r.admin1 OR l.admin1 IS NULL OR r.admin1 IS NULL) AND {_COMPATIBLE_TYPES} "
                   f"AND {DIFFERENT_SOURCES}"),
    ]


# EM sessions: each fixes what its rule compares and estimates the m of the rest.
# Each is (the columns it requires equal, its SQL), so the pairs it yields can be counted before EM runs.
TRAINING_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("place_id",), f"l.place_id = r.place_id AND {DIFFERENT_SOURCES}"),
    (("date_lo", "date_hi"), f"l.date_lo = r.date_lo AND l.date_hi = r.date_hi AND {DIFFERENT_SOURCES}"),
)
# Pairs these rules find are almost surely one event: they estimate the share of pairs that match. Types
# told alike rather than the same type: two sources rarely name one event's type alike, and counting only
# same-type pairs undercounts the matches (the share, and every probability with it, comes out too low).
DETERMINISTIC_RULES: tuple[str, ...] = (
    "l.place_id = r.place_id AND l.date_lo = r.date_lo AND l.date_hi = r.date_hi AND l.date_span = 0 "
    f"AND {_COMPATIBLE_TYPES} AND {DIFFERENT_SOURCES}",
)
# The rule fires only when both incidents give a day and a town, and how many do varies with the prose: 67%
# of the incidents of one development corpus, 37% of another (undated reports: "today", "at dawn on
# Wednesday"). A fixed recall (it was 0.5) then put the share of matches at half the truth on the second,
# pulling every probability down. So the recall assumed scales with the share of such incidents:
# DETERMINISTIC_RECALL_PER_PRECISE of it (0.75 keeps 0.5 on the corpus where 0.5 was the right guess).
DETERMINISTIC_RECALL_PER_PRECISE = 0.75
DETERMINISTIC_RECALL_BOUNDS = (0.05, 1.0)  # never claim the rule finds no match, nor more than all


def deterministic_recall(rows: Sequence[Mapping[str, Any]]) -> float:
    """The recall assumed for :data:`DETERMINISTIC_RULES`: the share of incidents with a day and a town, scaled."""
    if not rows:
        return DETERMINISTIC_RECALL_BOUNDS[1]
    precise = sum(1 for r in rows if r["date_span"] == 0 and r["place_rank"] == 3) / len(rows)
    low, high = DETERMINISTIC_RECALL_BOUNDS
    return min(high, max(low, DETERMINISTIC_RECALL_PER_PRECISE * precise))


def settings(*, probability_two_random_records_match: float) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,  # the gamma (level reached) columns come only with these
        max_iterations=20,
    )


PRIOR_MATCH_SHARE = 0.3


def prior_probability_two_random_records_match(n: int) -> float:
    """The prior share of candidate pairs that are one event (the priors' u are among candidates too)."""
    return PRIOR_MATCH_SHARE


def parameters(model: dict[str, Any]) -> list[tuple[str, str, float | None, float | None]]:
    """(comparison, level label, m, u) of every non-null level of a saved Splink model, in order."""
    out = []
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                out.append((comparison["output_column_name"], level["label_for_charts"],
                            level.get("m_probability"), level.get("u_probability")))
    return out
