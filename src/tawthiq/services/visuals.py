"""What the map, the timeline and the dashboard show, limited to what the user may see.

The same filter as the incident list (:class:`~tawthiq.domain.filters.IncidentFilter`),
and the same visibility rule: a viewer only ever gets public incidents.
Only reviewed incidents (confirmed or verified) are counted unless the filter
asks for unreviewed suggestions too (``unreviewed``) or chooses a status;
merged and rejected incidents are left out unless the status filter asks for
them (the filter's documented statistics default). Victims are counted per outcome and per victim kind, never
added across them.

The map never turns a vague place into a precise one. Each feature carries
its precision and a ``shape``: "point" for an exact place, a neighbourhood or
a town; "area" (a translucent circle of ``radius_m`` around the district's or
region's centre) for district precision; "governorate" (shade that
governorate's outline, by ``pcode``) for governorate precision. Country-level
places and incidents without coordinates are not drawn, only counted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..domain import vocab
from ..domain.access import Action, User, allowed, sees_provenance, visible_confidentialities
from ..domain.dates_shown import date_in_words
from ..domain.enums import LocationPrecision
from ..domain.filters import IncidentFilter
from .. import stats
from ..stats import format_range  # the pages say victim ranges as the dashboard's rows do
from ..stats.governorates import lookup
from ..store.statistics import cluster_date_spans, dated_rows, named_persons, placed_parts, placed_rows
from . import Workspace
from .errors import PermissionDenied
from .place_search import resolve
from .places import place_names

__all__ = ["GROUPS", "MAX_FEATURES", "Dashboard", "Timeline", "TimelineItem", "dashboard", "event_group", "figures",
           "format_range", "map_features", "timeline"]

MAX_FEATURES = 20_000
_P = LocationPrecision
POINT_PRECISIONS = frozenset({_P.EXACT.value, _P.NEIGHBOURHOOD.value, _P.TOWN.value})
# How far a district-level place can be from the point stored for it (a
# sub-district's or region's centre): the circle the map draws instead of a pin.
AREA_RADIUS_M = {_P.DISTRICT.value: 15_000}

# ACLED's event types, the groups of our sub-event types: the map's colours.
GROUPS: dict[str, tuple[str, str]] = {
    "battles": ("Battles", "معارك"),
    "explosions-remote-violence": ("Explosions/remote violence", "انفجارات/عنف عن بعد"),
    "violence-against-civilians": ("Violence against civilians", "عنف ضد المدنيين"),
    "protests": ("Protests", "احتجاجات"),
    "riots": ("Riots", "أعمال شغب"),
    "strategic-developments": ("Strategic developments", "تطورات استراتيجية"),
    "other": ("Other", "أخرى"),
}


def _visible(user: User) -> tuple[str, ...]:
    if user.disabled or not allowed(user.role, Action.READ_PUBLIC):
        raise PermissionDenied(f"your role ({user.role}) may not read incidents")
    return tuple(c.value for c in visible_confidentialities(user.role))


def _event_labels(code: str) -> tuple[str, str, str]:
    """(English, Arabic, group) for an event type; an unknown code is shown as written."""
    term = vocab.event_types().get(code)
    if term is None:
        return code, code, "other"
    return term.en, term.ar or term.en, term.group if term.group in GROUPS else "other"


# ---------------------------------------------------------------------- map


def map_features(ws: Workspace, *, user: User, filters: IncidentFilter | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the matching incidents that have a place.

    Foreign members: ``truncated`` (more than MAX_FEATURES matched; the newest
    are kept), ``unmapped`` (matching incidents without a drawable place) and
    ``legend`` (the colour groups with both labels).
    """
    visible = _visible(user)
    f = resolve(ws.db, filters or IncidentFilter())
    rows, unmapped = placed_rows(ws.db, visible=visible, filters=f, limit=MAX_FEATURES + 1)
    # The date as the report wrote it is a quote: staff only (see services.public).
    as_written = sees_provenance(user.role)
    shown = rows[:MAX_FEATURES]
    parts = placed_parts(ws.db, [r.id for r in shown])
    features = [_feature(r, as_written=as_written, parts=parts.get(r.id, ([], []))) for r in shown]
    return {
        "type": "FeatureCollection",
        "features": features,
        "truncated": len(rows) > MAX_FEATURES,
        "unmapped": int(unmapped),
        "legend": [{"group": g, "en": en, "ar": ar} for g, (en, ar) in GROUPS.items()],
    }


def date_words(edtf: str, *, lang: str) -> str:
    """An EDTF date (or a span of two) in ``lang``'s words; a form with no plain reading as stored."""
    if not edtf:
        return ""
    if "/" in edtf:
        first, _, second = edtf.partition("/")
        ends = [date_in_words(p, lang=lang) if p not in ("", "..") else "…" for p in (first, second)]
        return edtf if None in ends else " – ".join(str(e) for e in ends)
    return date_in_words(edtf, lang=lang) or edtf


def _actor_labels(code: str) -> tuple[str, str]:
    actor = vocab.actors().get(code)
    return (actor.label_en, actor.label_ar or actor.label_en) if actor else (code, code)


def event_group(code: str) -> str:
    """The colour group (a key of GROUPS) of an event type: the map's legend draws each type in it."""
    return _event_labels(code)[2]


def _feature(row: Any, *, as_written: bool,
             parts: tuple[list[str], list[tuple[str, int, int | None]]]) -> dict[str, Any]:
    label_en, label_ar, group = _event_labels(row.event_type)
    names = place_names(name=row.loc_name, name_ar=row.loc_name_ar, text=row.loc_text, place_id=row.loc_place_id)
    precision = row.loc_precision or _P.COUNTRY.value
    gov = lookup(row.loc_admin1)
    if precision in POINT_PRECISIONS:
        shape = "point"
    elif precision == _P.GOVERNORATE.value and gov is not None:
        shape = "governorate"
    else:
        shape = "area"
    return {
        "type": "Feature",
        # A coarse place keeps its stored centre as geometry (GeoJSON needs one);
        # ``shape`` tells the map not to draw it as a pin.
        "geometry": {"type": "Point", "coordinates": [round(float(row.loc_lon), 5), round(float(row.loc_lat), 5)]},
        "properties": {
            "id": row.id,
            "event_type": row.event_type,
            "event_label_en": label_en,
            "event_label_ar": label_ar,
            "group": group,
            "date_edtf": row.date_edtf or "",
            # The date in each page language's words (the popup picks one), never the report's language.
            "date_en": date_words(row.date_edtf or "", lang="en"),
            "date_ar": date_words(row.date_edtf or "", lang="ar"),
            "date_text": (row.date_text or "") if as_written else "",
            # Both languages name the same place; the report's words for a finer one inside it apart.
            "place_en": names.en,
            "place_ar": names.ar,
            "place_written": names.written,
            "precision": precision,
            "shape": shape,
            "radius_m": AREA_RADIUS_M.get(precision, 40_000) if shape == "area" else 0,
            "pcode": gov.pcode if gov else "",
            "governorate": row.loc_admin1 or "",  # as stored: the list's governorate filter value
            "status": row.status,
            # For the popup: who (in both languages) and how many, per outcome, as a range never added up.
            "perpetrators_en": [_actor_labels(a)[0] for a in parts[0]],
            "perpetrators_ar": [_actor_labels(a)[1] for a in parts[0]],
            "victims": [{"outcome": o, "min": lo, "max": hi} for o, lo, hi in parts[1]],
        },
    }


# ----------------------------------------------------------------- timeline


@dataclass(frozen=True, slots=True)
class TimelineItem:
    id: int
    start: date  # earliest day it can have happened
    end: date  # latest day; equal to start for an exact day
    precision: str  # a DatePrecision value ("" when not recorded)
    date_edtf: str
    label_en: str
    label_ar: str
    group: str
    place_en: str
    place_ar: str
    status: str
    date_text: str = ""  # the date as the report wrote it (the timeline's table shows it)
    place_written: str = ""  # the report's words for a finer place inside the named one
    # When it stands for a cluster of several dated incidents: the earliest start and latest end among them
    # (a narrower date range may be drawn through another member), else None.
    cluster_span: tuple[date, date] | None = None

    @property
    def exact(self) -> bool:
        return self.start == self.end

    @property
    def open_start(self) -> bool:
        return self.start == date.min  # an interval with an unknown beginning ("../2015")

    @property
    def open_end(self) -> bool:
        return self.end == date.max


@dataclass(slots=True)
class Timeline:
    items: list[TimelineItem]  # in date order
    total: int  # matching dated incidents (items holds at most ``limit`` of them)
    truncated: bool
    histogram: stats.Histogram


def timeline(ws: Workspace, *, user: User, filters: IncidentFilter | None = None, limit: int = 2000) -> Timeline:
    """The newest ``limit`` dated incidents as ranges, and the monthly histogram of all."""
    visible = _visible(user)
    f = resolve(ws.db, filters or IncidentFilter())
    limit = max(0, min(int(limit), MAX_FEATURES))
    rows, total = dated_rows(ws.db, visible=visible, filters=f, limit=limit)
    spans = cluster_date_spans(ws.db, visible=visible, filters=f)
    as_written = sees_provenance(user.role)  # the date as written is a quote: staff only
    items = []
    for r in reversed(rows):
        label_en, label_ar, group = _event_labels(r.event_type)
        names = place_names(name=r.loc_name, name_ar=r.loc_name_ar, text=r.loc_text, place_id=r.loc_place_id)
        items.append(TimelineItem(
            id=r.id, start=r.date_start, end=r.date_end, precision=r.date_precision or "",
            date_edtf=r.date_edtf or "", label_en=label_en, label_ar=label_ar, group=group,
            place_en=names.en, place_ar=names.ar, place_written=names.written, status=r.status,
            date_text=(r.date_text or "") if as_written else "",
            cluster_span=spans.get(r.cluster_id) if r.cluster_id is not None else None,
        ))
    histogram = stats.month_histogram(ws.db, visible=visible, filters=f)
    return Timeline(items=items, total=total, truncated=total > len(items), histogram=histogram)


# ---------------------------------------------------------------- dashboard


@dataclass(frozen=True, slots=True)
class Row:
    """One bar of a dashboard chart: a count with its labels in both languages."""

    key: str
    label_en: str
    label_ar: str
    count: stats.Count

    @property
    def killed(self) -> str:
        return stats.format_range(self.count.killed_min, self.count.killed_max)

    @property
    def injured(self) -> str:
        return stats.format_range(self.count.injured_min, self.count.injured_max)


@dataclass(slots=True)
class Dashboard:
    total: stats.Count
    perpetrators: list[Row]
    violations: list[Row]
    governorates: list[Row]
    event_types: list[Row]
    months: list[Row]
    outcomes: list[stats.OutcomeTotal]
    histogram: stats.Histogram
    outcome_labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    kinds: list[stats.KindTotal] = field(default_factory=list)  # the headline: per outcome and victim kind
    # (distinct named persons, their records, lists) for staff; None for viewers (the lists are confidential)
    named: tuple[int, int, int] | None = None

    def kind_total(self, outcome: str, kind: str) -> stats.KindTotal | None:
        return next((k for k in self.kinds if k.outcome == outcome and k.kind == kind), None)

    def chart_data(self) -> dict[str, Any]:
        """JSON for ``<script type="application/json" id="dashboard-data">`` (read by dashboard.js)."""
        def chart(rows: list[Row]) -> dict[str, Any]:
            return {
                "keys": [r.key for r in rows],
                "labels": [{"en": r.label_en, "ar": r.label_ar} for r in rows],
                "incidents": [r.count.incidents for r in rows],
                "killed": [[r.count.killed_min, r.count.killed_max] for r in rows],
                "injured": [[r.count.injured_min, r.count.injured_max] for r in rows],
            }

        outcomes = {
            "keys": [o.outcome for o in self.outcomes],
            "labels": [dict(zip(("en", "ar"), self.outcome_labels.get(o.outcome, (o.outcome, o.outcome)),
                                strict=True)) for o in self.outcomes],
            "incidents": [o.incidents for o in self.outcomes],
            "victims": [[o.victims_min, o.victims_max] for o in self.outcomes],
        }
        return {
            # Never one "victims" figure: per outcome, and per victim kind within it.
            "total": {"incidents": self.total.incidents,
                      "killed": [self.total.killed_min, self.total.killed_max],
                      "injured": [self.total.injured_min, self.total.injured_max],
                      "by_kind": [{"outcome": k.outcome, "kind": k.kind, "incidents": k.incidents,
                                   "victims": [k.victims_min, k.victims_max]} for k in self.kinds]},
            "charts": {"perpetrator": chart(self.perpetrators), "violation": chart(self.violations),
                       "governorate": chart(self.governorates), "event_type": chart(self.event_types),
                       "month": chart(self.months), "outcome": outcomes},
            "histogram": {
                "months": [b.month for b in self.histogram.bars],
                "day": [b.day for b in self.histogram.bars],
                "month": [b.month_only for b in self.histogram.bars],
                "range": [b.range for b in self.histogram.bars],
                "undated": self.histogram.undated, "too_wide": self.histogram.too_wide,
            },
            "series": SERIES,
        }


# Series names for the charts, in both languages (the JS picks by <html lang>).
SERIES: dict[str, dict[str, str]] = {
    "incidents": {"en": "Incidents", "ar": "الحوادث"},
    "victims": {"en": "Victims (lowest–highest reported)", "ar": "الضحايا (أدنى–أعلى عدد مذكور)"},
    "killed": {"en": "Killed (lowest–highest reported)", "ar": "القتلى (أدنى–أعلى عدد مذكور)"},
    "injured": {"en": "Injured (lowest–highest reported)", "ar": "الجرحى (أدنى–أعلى عدد مذكور)"},
    "open": {"en": "at least", "ar": "على الأقل"},
    "day": {"en": "Exact day", "ar": "يوم محدد"},
    "month": {"en": "Month known, day not", "ar": "الشهر معروف دون اليوم"},
    "range": {"en": "Date range (may be this month)", "ar": "فترة زمنية (قد تكون في هذا الشهر)"},
}

_OUTCOMES: dict[str, tuple[str, str]] = {
    "killed": ("Killed", "قتلى"), "injured": ("Injured", "جرحى"), "detained": ("Detained", "معتقلون"),
    "abducted": ("Abducted", "مختطفون"), "disappeared": ("Disappeared", "مختفون قسراً"),
    "tortured": ("Tortured", "ضحايا تعذيب"), "displaced": ("Displaced", "نازحون"), "other": ("Other", "أخرى"),
}
_BLANK = {
    "perpetrator": ("Not attributed", "غير منسوب"),
    "violation": ("No violation recorded", "لا انتهاك مسجل"),
    "governorate": ("Governorate unknown", "المحافظة غير معروفة"),
    "event_type": ("Unknown type", "نوع غير معروف"),
}
_MONTHS = {stats.UNCERTAIN: ("Date spans months", "تاريخ يمتد لأكثر من شهر"),
           stats.UNDATED: ("No date", "دون تاريخ")}


def _rows(counts: list[stats.Count], kind: str) -> list[Row]:
    out = []
    for c in counts:
        en, ar = _label(kind, c.key)
        out.append(Row(key=c.key, label_en=en, label_ar=ar, count=c))
    return out


def _label(kind: str, key: str) -> tuple[str, str]:
    if kind == "month":
        return _MONTHS.get(key, (key, key))
    if key == "":
        return _BLANK[kind]
    if kind == "perpetrator":
        actor = vocab.actors().get(key)
        return (actor.label_en, actor.label_ar or actor.label_en) if actor else (key, key)
    if kind == "violation":
        term = vocab.violations().get(key)
        return (term.en, term.ar or term.en) if term else (key, key)
    if kind == "event_type":
        en, ar, _ = _event_labels(key)
        return en, ar
    gov = lookup(key)  # governorate: the stored name, with its Arabic name when we know it
    return (key, gov.name_ar) if gov else (key, key)


def dashboard(ws: Workspace, *, user: User, filters: IncidentFilter | None = None) -> Dashboard:
    """All the dashboard's numbers. About a second of grouped scans on 100,000
    incidents, so cached like the list's facets: per data version, and a
    result may be served up to FACET_STALE_SECONDS after a write."""
    from ..store.queries import FACET_STALE_SECONDS, cached

    visible = _visible(user)
    f = resolve(ws.db, filters or IncidentFilter())
    db: Any = ws.db
    with db.session() as session:
        return cached(db, session, ("dashboard", visible, f), lambda: _compute_dashboard(db, visible, f),
                       stale_seconds=FACET_STALE_SECONDS)


def figures(ws: Workspace, *, visible: tuple[str, ...], filters: IncidentFilter) -> Dashboard:
    """The dashboard's numbers for an audience's levels rather than a signed-in user's (a publication's
    figures): the same counting, so a published figure is the one a viewer's dashboard shows."""
    return _compute_dashboard(ws.db, tuple(visible), resolve(ws.db, filters))


def _compute_dashboard(db: Any, visible: tuple[str, ...], f: IncidentFilter) -> Dashboard:
    return Dashboard(
        total=stats.totals(db, visible=visible, filters=f),
        perpetrators=_rows(stats.by_perpetrator(db, visible=visible, filters=f), "perpetrator"),
        violations=_rows(stats.by_violation(db, visible=visible, filters=f), "violation"),
        governorates=_rows(stats.by_governorate(db, visible=visible, filters=f), "governorate"),
        event_types=_rows(stats.by_event_type(db, visible=visible, filters=f), "event_type"),
        months=_rows(stats.by_month(db, visible=visible, filters=f), "month"),
        outcomes=stats.by_outcome(db, visible=visible, filters=f),
        kinds=stats.by_outcome_kind(db, visible=visible, filters=f),
        histogram=stats.month_histogram(db, visible=visible, filters=f),
        outcome_labels=_OUTCOMES,
        # Staff see beyond public incidents; a viewer is not told about the (confidential) lists.
        named=named_persons(db) if len(visible) > 1 else None,
    )
