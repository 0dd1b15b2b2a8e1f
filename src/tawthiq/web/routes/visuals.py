"""The map, the timeline and the dashboard: three views of the same filtered selection.

Every number and mark comes from ``services.visuals``, which applies the
user's visibility (a viewer only ever gets public incidents); this module
only turns the query string into a filter, picks labels in the page
language and renders. The filter form reloads the page with the filter in
the query string, so a view can be bookmarked and the map's script passes the
same query string on to the features endpoint.

The features endpoint compresses its own JSON when the client accepts gzip.
There is deliberately no app-wide compression: compressing pages that carry a
CSRF token next to reflected input is what the BREACH attack needs, and this
GeoJSON holds neither a token nor anything the requester typed.
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain.access import Action, User, allowed
from ...domain.filters import REVIEWED, IncidentFilter
from ...services import reading, visuals
from ...services.errors import ServiceError
from ..auth import current_user, workspace
from ..digits import localise_text, wants_arabic_indic
from ..i18n import translate
from ..offload import run_blocking
from ..problems import problem_text
from ..templating import page_context, render
from .incidents import Facet, FacetOption, build_facets

router = APIRouter()

# The form's selects; status and confidentiality only for those who can see more than public incidents.
FORM_FACETS = ("event_type", "violation", "perpetrator", "governorate")
RESTRICTED_FACETS = ("status", "confidentiality")
# Filters the form has no field for, kept as hidden inputs so a link's filter survives a change.
HIDDEN_FILTERS = ("victim_kind", "place", "source_id")
TIMELINE_LIMIT = 1000  # marks and table rows; pages are not compressed (BREACH), so keep them light
GZIP_MIN_BYTES = 1024  # below this the header costs more than it saves


def _filters(request: Request) -> tuple[IncidentFilter, str]:
    """The filter from the query string, or no filter and the one-line reason a hand-edited link failed."""
    try:
        return reading.parse_filter(request.query_params), ""
    except ServiceError as exc:
        return IncidentFilter(), problem_text(request.state.lang, exc)


def _form_context(request: Request, user: User, filters: IncidentFilter, *, action: str) -> dict[str, Any]:
    """What ``_viz_filters.html`` needs: the selects (values that exist, no counts), hidden filters, links."""
    context = page_context(request)
    counts = reading.facet_counts(workspace(request), user=user, filters=filters)
    staff = allowed(user.role, Action.READ_RESTRICTED)
    names = FORM_FACETS + (RESTRICTED_FACETS if staff else ())
    facets = [
        # The list's counts include rejected incidents, which these views leave out: no counts here,
        # so the form never disagrees with the chart beside it.
        Facet(name=f.name, selected=f.selected,
              options=[FacetOption(value=o.value, label=o.label, count=None) for o in f.options])
        for f in build_facets(counts, filters, lang=context["lang"], t=context["t"], label=context["label"])
        if f.name in names
    ]
    params = filters.to_params()
    query = urlencode(params, doseq=True)
    # The list shows every status unless told: its links ask for what these views count.
    listed = dict(params)
    listed.pop("unreviewed", None)
    if not filters.status and not filters.unreviewed:
        listed["status"] = REVIEWED
    list_query = urlencode(listed, doseq=True)
    return {
        "error": "",
        "filters": filters,
        "filter_values": params,
        "facets": facets,
        "hidden_filters": [(name, params[name]) for name in HIDDEN_FILTERS + (() if staff else RESTRICTED_FACETS)
                           if name in params],
        "form_action": action,
        "filtered": bool(params),
        "query": query,
        "list_href": "/incidents" + (f"?{list_query}" if list_query else ""),
        "list_params": listed,
        "counted": _counting_note(context["t"], user, filters),
    }


def _counting_note(t: Any, user: User, filters: IncidentFilter) -> str:
    """One line saying which incidents a view counts, in the page language."""
    if filters.status:
        statuses = t("viz.counted.status_chosen")
    else:
        statuses = t("viz.counted.with_unreviewed" if filters.unreviewed else "viz.counted.status_default")
    seen = t("viz.counted.all_confidentialities" if allowed(user.role, Action.READ_RESTRICTED)
             else "viz.counted.public_only")
    return f"{statuses} {seen}"


# ---------------------------------------------------------------------- map


@router.get("/map")
async def map_page(request: Request) -> Response:
    user: User = await current_user(request)
    # The form's choices come from facet counts over the whole selection (uncached after each change).
    return await run_blocking("read", _map_page, request, user)


# The texts map.js shows, passed in the page's language (a JSON block, never executed).
MAP_JS_TEXTS = ("open", "loading", "failed", "shown", "gov_shown", "truncated", "unmapped", "area", "gov",
                "gov_count", "gov_list", "gov_badge", "type", "perpetrator", "perpetrator_none", "victims",
                "victims_none", "victims_exact", "victims_range", "victims_at_least", "victims_unknown", "status",
                "date", "date_none", "place")
OUTCOMES = ("killed", "injured", "detained", "abducted", "disappeared", "tortured", "displaced", "other")
STATUSES = ("suggested", "confirmed", "verified", "rejected", "merged")
PRECISIONS = ("exact", "neighbourhood", "town", "district", "governorate", "country")


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One event type of the filter, as the legend shows it: the filter's label, its colour group, a link."""

    value: str
    label: str
    group: str
    href: str


def _map_texts(t: Any) -> dict[str, Any]:
    return {
        **{name: t(f"map.js.{name}") for name in MAP_JS_TEXTS},
        "outcome": {o: t(f"record.outcome.{o}") for o in OUTCOMES},
        "status_label": {s: t(f"list.status.{s}") for s in STATUSES},
        "precision": {p: t(f"record.precision.{p}") for p in PRECISIONS},
        "as_written": t("fixc.map.as_written"),
    }


def _legend(facets: list[Facet], params: dict[str, str]) -> list[LegendEntry]:
    """Exactly the filter's event types, with its labels and in its order; each links to the map of that type."""
    types = next((f for f in facets if f.name == "event_type"), None)
    return [LegendEntry(value=o.value, label=o.label, group=visuals.event_group(o.value),
                        href="/map?" + urlencode({**params, "event_type": o.value}))
            for o in (types.options if types else [])]


def _legend_groups(legend: list[LegendEntry], lang: str) -> list[tuple[str, str, int]]:
    """The colour groups the legend's types fall in, in the page language, with how many types share each."""
    counts: dict[str, int] = {}
    for entry in legend:
        counts[entry.group] = counts.get(entry.group, 0) + 1
    return [(group, visuals.GROUPS[group][1 if lang == "ar" else 0], counts[group])
            for group in visuals.GROUPS if group in counts]


def _map_page(request: Request, user: User) -> Response:
    filters, error = _filters(request)
    context = _form_context(request, user, filters, action="/map")
    query = context["query"]
    legend = _legend(context["facets"], dict(context["filter_values"]))
    context.update({
        "error": error,
        "features_url": "/map/features.geojson" + (f"?{query}" if query else ""),
        "legend": legend,
        "legend_groups": _legend_groups(legend, request.state.lang),
        "map_texts": _map_texts(page_context(request)["t"]),
    })
    return render(request, "map.html", context, status_code=400 if error else 200)


def _accepts_gzip(header: str) -> bool:
    """True when Accept-Encoding names gzip (or *) without q=0."""
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() not in ("gzip", "*"):
            continue
        q = params.strip().lower()
        if q.startswith("q="):
            try:
                return float(q[2:]) > 0
            except ValueError:
                return False
        return True
    return False


def _features_body(ws: Any, user: User, filters: IncidentFilter, *, compress: bool) -> tuple[bytes, bool]:
    """(the GeoJSON bytes, whether they are gzipped)."""
    collection = visuals.map_features(ws, user=user, filters=filters)
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if compress and len(body) >= GZIP_MIN_BYTES:
        return gzip.compress(body, compresslevel=6), True
    return body, False


@router.get("/map/features.geojson")
async def map_features(request: Request) -> Response:
    user: User = await current_user(request)
    # A malformed filter is a 400 with a one-line message (errors.py), not an unfiltered map.
    filters = reading.parse_filter(request.query_params)
    # Up to MAX_FEATURES rows, serialised and compressed: seconds of work at worst, kept off the event loop.
    body, gzipped = await run_blocking("read",
        _features_body, workspace(request), user, filters,
        compress=_accepts_gzip(request.headers.get("accept-encoding", "")))
    headers = {"Vary": "Accept-Encoding"}
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return Response(content=body, media_type="application/geo+json", headers=headers)


# ----------------------------------------------------------------- timeline


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One incident in the timeline's table: the date three ways, the type and the place."""

    id: int
    date_text: str
    edtf: str
    start: str  # "" when the range has no known beginning
    end: str  # "" when it has no known end
    exact: bool
    event: str
    place: str


def _day(d: date, is_open: bool) -> str:
    return "" if is_open else d.isoformat()


def _place(item: visuals.TimelineItem, lang: str) -> str:
    """The place in the page's language, the report's words for a finer place inside it apart."""
    place = (item.place_ar or item.place_en) if lang == "ar" else (item.place_en or item.place_ar)
    if place and item.place_written:
        return translate(lang, "fixc.place.as_written", place=place, written=item.place_written)
    return place


def _timeline_rows(items: list[visuals.TimelineItem], lang: str) -> list[TimelineRow]:
    ar = lang == "ar"
    return [
        TimelineRow(
            id=i.id, date_text=i.date_text, edtf=i.date_edtf,
            start=_day(i.start, i.open_start), end=_day(i.end, i.open_end), exact=i.exact,
            event=i.label_ar if ar else i.label_en,
            place=_place(i, lang),
        )
        for i in items
    ]


@router.get("/timeline")
async def timeline_page(request: Request) -> Response:
    user: User = await current_user(request)
    # Up to TIMELINE_LIMIT incidents read, drawn as SVG and rendered: kept off the event loop.
    return await run_blocking("read", _timeline_page, request, user)


def _timeline_page(request: Request, user: User) -> Response:
    from ..timeline_svg import render_timeline, timeline_data

    filters, error = _filters(request)
    lang = getattr(request.state, "lang", "en")
    tl = visuals.timeline(workspace(request), user=user, filters=filters, limit=TIMELINE_LIMIT)
    context = _form_context(request, user, filters, action="/timeline")
    t = page_context(request)["t"]
    arabic_indic = wants_arabic_indic(lang=lang, digits=getattr(request.state, "digits", "latn"))
    context.update({
        "error": error,
        "timeline": tl,
        # A range asked for shorter than a year is the axis itself (a zoom), as timeline_draw.js draws it.
        "timeline_svg": render_timeline(tl, lang=lang, shown_from=filters.date_from, shown_to=filters.date_to),
        # The same incidents for timeline.js, which zooms within them without asking the server again.
        "timeline_data": timeline_data(tl, lang=lang, loaded_from=filters.date_from, loaded_to=filters.date_to,
                                       texts={"count": t("viz.timeline.count"), "empty": t("viz.timeline.empty")},
                                       localise=localise_text if arabic_indic else str),
        "rows": _timeline_rows(tl.items, lang),
    })
    return render(request, "timeline.html", context, status_code=400 if error else 200)


# ---------------------------------------------------------------- dashboard


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row: incidents, and victims per outcome (or, for the outcome table, per victim kind)."""

    key: str
    label: str
    incidents: int
    counts: tuple[str, ...]  # one text per column of the table's ``columns``
    href: str = ""  # the incidents list narrowed to this row ("" when there is no such filter)


@dataclass(frozen=True, slots=True)
class Table:
    """One dashboard table; ``name`` is the chart's ``data-chart`` kind and the test id's suffix."""

    name: str
    rows: list[TableRow]
    columns: tuple[str, ...] = ("killed", "injured")  # viz.dashboard.col.count.<column> headers


def _range(lo: int, hi: int | None, t: Any) -> str:
    """A victims range; "0 or more" is said as an unknown number, never "≥ 0"; "at least" in the page's
    language (Arabic in words: right-to-left text draws "≥" mirrored)."""
    if hi is None and lo:
        return t("record.victims.at_least", n=lo)
    return visuals.format_range(lo, hi, unknown=t("record.victims.unknown"))


def _table(name: str, rows: list[Any], lang: str, t: Any, *, params: dict[str, str],
           filter_name: str = "") -> Table:
    def href(key: str) -> str:
        # "" is the unattributed/unknown row: the list has no filter for "none".
        return "/incidents?" + urlencode({**params, filter_name: key}, doseq=True) if filter_name and key else ""

    return Table(name=name, rows=[
        TableRow(key=r.key, label=r.label_ar if lang == "ar" else r.label_en, incidents=r.count.incidents,
                 counts=(_range(r.count.killed_min, r.count.killed_max, t),
                         _range(r.count.injured_min, r.count.injured_max, t)), href=href(r.key))
        for r in rows
    ])


KINDS = ("civilian", "combatant", "unknown")


def _outcome_table(dash: visuals.Dashboard, lang: str, t: Any) -> Table:
    """Victims per outcome, each split by victim kind (civilians, combatants, status unknown)."""
    rows = []
    for o in dash.outcomes:
        en, ar = dash.outcome_labels.get(o.outcome, (o.outcome, o.outcome))
        cells = []
        for kind in KINDS:
            found = dash.kind_total(o.outcome, kind)
            cells.append("—" if found is None else _range(found.victims_min, found.victims_max, t))
        rows.append(TableRow(key=o.outcome, label=ar if lang == "ar" else en, incidents=o.incidents,
                             counts=tuple(cells)))
    return Table(name="outcome", rows=rows, columns=KINDS)


def _headline(dash: visuals.Dashboard, t: Any) -> list[dict[str, Any]]:
    """The tiles after the incident count: civilians killed and injured, each with the other kinds beside it."""
    tiles = []
    for outcome in ("killed", "injured"):
        parts = {kind: dash.kind_total(outcome, kind) for kind in KINDS}
        civilians = parts["civilian"]
        others = [(kind, _range(k.victims_min, k.victims_max, t)) for kind, k in parts.items()
                  if kind != "civilian" and k is not None]
        tiles.append({"outcome": outcome,
                      "value": "0" if civilians is None else _range(civilians.victims_min, civilians.victims_max, t),
                      "others": others})
    return tiles


@router.get("/dashboard")
async def dashboard_page(request: Request) -> Response:
    user: User = await current_user(request)
    # Statistics over every incident of the selection: over a second on a large archive when uncached.
    return await run_blocking("read", _dashboard_page, request, user)


def _dashboard_page(request: Request, user: User) -> Response:
    filters, error = _filters(request)
    lang = getattr(request.state, "lang", "en")
    dash = visuals.dashboard(workspace(request), user=user, filters=filters)
    context = _form_context(request, user, filters, action="/dashboard")
    params = context["list_params"]
    t = page_context(request)["t"]
    tables = [
        _table("perpetrator", dash.perpetrators, lang, t, params=params, filter_name="perpetrator"),
        _table("violation", dash.violations, lang, t, params=params, filter_name="violation"),
        _table("governorate", dash.governorates, lang, t, params=params, filter_name="governorate"),
        _table("event_type", dash.event_types, lang, t, params=params, filter_name="event_type"),
        _outcome_table(dash, lang, t),
        _table("month", dash.months, lang, t, params=params),
    ]
    total = dash.total
    context.update({
        "error": error,
        "dash": dash,
        "tables": tables,
        "total_incidents": total.incidents,
        "named": dash.named,
        "headline": _headline(dash, t),
    })
    return render(request, "dashboard.html", context, status_code=400 if error else 200)
