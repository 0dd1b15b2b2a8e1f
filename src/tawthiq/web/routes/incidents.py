"""The incidents list: faceted filters, search, sort, paging, and export of the same selection.

Only ``/incidents`` and ``/incidents/export`` live here; the single-incident
page (``/incidents/{id:int}``) is in ``incident.py`` and its int converter
keeps the two apart. Everything the user may see is decided by the reading
service; this module only turns the query string into a filter and back.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...domain import vocab
from ...domain.access import User
from ...domain.dates_shown import date_in_words
from ...domain.enums import Confidentiality, IncidentStatus, VictimKind
from ...domain.filters import MULTI_FIELDS, IncidentFilter
from ...services import reading, saved_searches
from ...services.errors import BadFilterDate, ServiceError
from ...services.places import place_names
from ...services.search_marks import Piece, mark_hits, terms_of
from ..auth import client_ip, current_user, workspace
from ..listing import FACET_ORDER, governorate_label, outcomes_text, page_number, per_page_choice, victims_text
from ..offload import run_blocking
from ..problems import problem_text
from ..templating import page_context, render, term_label

router = APIRouter()

DEFAULT_SORT = "-date"
SORT_CHOICES = ("-date", "date", "-updated", "updated", "-id", "id", "relevance")
EXPORT_FORMATS = ("csv", "json", "geojson")


@dataclass(frozen=True, slots=True)
class FacetOption:
    value: str
    label: str
    count: int | None  # None: selected but no longer counted under the other filters


@dataclass(frozen=True, slots=True)
class Facet:
    name: str
    selected: str  # the first chosen value ("" for none): a single-choice select shows it
    options: list[FacetOption]
    chosen: tuple[str, ...] = ()  # every chosen value
    multi: bool = False  # checkboxes (any of several values) rather than a select


@dataclass(frozen=True, slots=True)
class Chip:
    """One active filter shown above the results; its link is the list without it."""

    name: str  # the filter's key, for its visible name (list.facet.<name>)
    label: str
    href: str
    # The label is what the person typed or a stored name (words, a place), shown as data; a date or a record
    # number is the interface's, written in the page's words and digits.
    data: bool = True


def _label(lang: str, t: Any, label: Any, name: str, value: str,
           tag_names: Mapping[str, Any] | None = None) -> str:
    if name == "tag":
        # Only tags the user may see are named; any other id (a hand-made link) shows as a number.
        tag = (tag_names or {}).get(value)
        return str(tag.label(lang)) if tag is not None else f"#{value}"
    if name == "event_type":
        return str(label("event_type", value))
    if name == "violation":
        return str(label("violation", value))
    if name == "perpetrator":
        return str(label("actor", value))
    if name == "governorate":
        return governorate_label(value, lang)
    if name in ("victim_kind", "status", "confidentiality"):
        return str(t(f"list.{name}.{value}"))
    return value


def build_facets(counts: Mapping[str, list[tuple[str, int]]], filters: IncidentFilter, *,
                 lang: str, t: Any, label: Any, multi: bool = False,
                 tag_names: Mapping[str, Any] | None = None) -> list[Facet]:
    """Every facet: the values that still match, and the chosen ones even if they do not.

    ``multi``: the facets where several values may be chosen (MULTI_FIELDS) are
    shown as checkboxes; the others, and every facet without it, as a select.
    ``tag_names``: the tags the user may see named; without it there is no tag facet."""
    known = {"status": [s.value for s in IncidentStatus],
             "confidentiality": [c.value for c in Confidentiality],
             "victim_kind": [k.value for k in VictimKind]}
    out: list[Facet] = []
    for name in FACET_ORDER:
        if name == "tag" and tag_names is None:
            continue
        chosen = _chosen(filters, name)
        options = [FacetOption(value=v, label=_label(lang, t, label, name, v, tag_names), count=n)
                   for v, n in counts.get(name, []) if v]
        listed = {o.value for o in options}
        for value in reversed(chosen):
            if value not in listed:
                options.insert(0, FacetOption(value=value, label=_label(lang, t, label, name, value, tag_names),
                                              count=None))
        if name in known:  # a short closed list: show it in its natural order
            order = {v: i for i, v in enumerate(known[name])}
            options.sort(key=lambda o: order.get(o.value, len(order)))
        if name == "perpetrator":
            options = _every_actor(options, lang=lang, t=t, label=label)
        out.append(Facet(name=name, selected=chosen[0] if chosen else "", options=options, chosen=chosen,
                         multi=multi and name in MULTI_FIELDS))
    return out


def _every_actor(options: list[FacetOption], *, lang: str, t: Any, label: Any) -> list[FacetOption]:
    """The perpetrator choices: every current actor of the vocabulary, built in or recorded on /admin/actors,
    not only those some matching incident names (a new actor was reachable only by typing its code).

    The counted ones first, as counted (factions fold into their coalition there); then the other
    top-level actors with a zero count, by name; each coalition's factions follow it, named with it and
    with no count of their own (their incidents are counted under the coalition).
    """
    current = vocab.active_actors()
    listed = {o.value for o in options}
    tops = [code for code, actor in current.items() if not actor.parent or actor.parent not in vocab.actors()]
    zero = sorted((FacetOption(value=code, label=_label(lang, t, label, "perpetrator", code), count=0)
                   for code in tops if code not in listed), key=lambda o: o.label.casefold())
    factions: dict[str, list[str]] = {}
    for code, actor in current.items():
        if code not in tops and code not in listed:
            factions.setdefault(vocab.top_actor(code), []).append(code)
    out: list[FacetOption] = []
    for option in [*options, *zero]:
        out.append(option)
        for code in sorted(factions.pop(option.value, ()), key=lambda c: str(label("actor", c)).casefold()):
            out.append(FacetOption(value=code, count=None, label=str(t(
                "fixc.facet.faction", name=label("actor", code), parent=option.label))))
    for top, codes in factions.items():  # a retired coalition's current factions: still choosable
        out.extend(FacetOption(value=code, count=None, label=str(t(
            "fixc.facet.faction", name=label("actor", code), parent=label("actor", top)))) for code in codes)
    return out


def _chosen(filters: IncidentFilter, name: str) -> tuple[str, ...]:
    value = getattr(filters, name)
    if isinstance(value, tuple):
        return tuple(str(v) for v in value)
    return (str(value),) if value else ()


# Filters a chip names with a vocabulary label; the others show their value as typed.
_CHIP_SKIP = ("unreviewed",)
_CHIP_DATES = ("date_from", "date_to", "received_from", "received_to")


def build_chips(filters: IncidentFilter, *, keep: Mapping[str, Any], lang: str, t: Any, label: Any,
                tag_names: Mapping[str, Any] | None = None) -> list[Chip]:
    """One chip per active filter value; each link drops that one value and keeps everything else
    (``keep``: the sort and page size to carry along)."""
    params = filters.to_params()
    chips: list[Chip] = []
    for name, value in params.items():
        if name in _CHIP_SKIP:
            continue
        values = value if isinstance(value, list) else [value]
        for one in values:
            rest = {k: v for k, v in params.items() if k != name}
            others = [v for v in values if v != one]
            if others:
                rest[name] = others if len(others) > 1 else others[0]
            shown = _label(lang, t, label, name, one, tag_names) if name in FACET_ORDER else str(one)
            numbered = name == "source_id" or name in _CHIP_DATES or (name == "tag" and shown == f"#{one}")
            if name == "source_id":
                shown = f"#{one}"
            elif name in _CHIP_DATES and lang == "ar":
                shown = date_in_words(str(one), lang=lang) or str(one)  # as the pages write dates (date_words)
            query = urlencode({**rest, **keep}, doseq=True)
            chips.append(Chip(name=name, label=shown, href="/incidents" + (f"?{query}" if query else ""),
                              data=not numbered))
    return chips


def _sort_of(params: Mapping[str, str], filters: IncidentFilter) -> str:
    sort = (params.get("sort") or "").strip()
    if not sort:
        return "relevance" if filters.q else DEFAULT_SORT
    if sort not in SORT_CHOICES:
        raise ServiceError(f"unknown sort {sort[:40]!r}", kind="filter.unknown_sort", value=sort[:40])
    return sort


@router.get("/incidents")
async def incidents_list(request: Request) -> Response:
    user: User = await current_user(request)
    return await run_blocking("page", _incidents_list, request, user)


def _incidents_list(request: Request, user: User) -> Response:
    return list_response(request, user, request.query_params)


def list_response(request: Request, user: User, params: Mapping[str, Any], *,
                  extra: Mapping[str, Any] | None = None, status_code: int = 200) -> Response:
    """The list page for ``params`` (the query string, or a refused save's kept query);
    ``extra`` adds to the template context (the saved-search form's error and typed name)."""
    ws = workspace(request)
    error: str = ""
    typed: dict[str, str] = {}  # a date that is no day, shown again in its field as it was typed
    try:
        filters = reading.parse_filter(params)
        sort = _sort_of(params, filters)
    except BadFilterDate as exc:
        context = page_context(request)
        error = context["t"]("digits.bad_date", field=context["t"](f"search.chip.{exc.field}"),
                             value=context["user_text"](exc.value))
        typed = {exc.field: exc.value}
        filters, sort = IncidentFilter(), DEFAULT_SORT
    except ServiceError as exc:
        # A hand-edited or stale link: say what was wrong and show the unfiltered list.
        error, filters, sort = problem_text(request.state.lang, exc), IncidentFilter(), DEFAULT_SORT
    page_no, per_page = page_number(params.get("page")), per_page_choice(params.get("per_page"))
    try:
        listed = reading.list_page(ws, user=user, filters=filters, sort=sort, page=page_no, per_page=per_page)
    except ServiceError as exc:
        error, filters, sort = problem_text(request.state.lang, exc), IncidentFilter(), DEFAULT_SORT
        listed = reading.list_page(ws, user=user, filters=filters, sort=sort, page=1, per_page=per_page)
    page, counts = listed.page, listed.facets
    terms = terms_of(filters.q)
    lang = getattr(request.state, "lang", "en")
    context = page_context(request)
    filter_params = filters.to_params()
    view: dict[str, str] = {}  # the order and page size: kept when a chip removes a filter
    if sort != (DEFAULT_SORT if not filters.q else "relevance"):
        view["sort"] = sort
    if per_page != per_page_choice(None):
        view["per_page"] = str(per_page)
    keep: dict[str, Any] = {**filter_params, **view}
    return render(request, "incidents_list.html", {
        "error": error,
        "filters": filters,
        "filter_values": {**filter_params, **typed},
        "facets": build_facets(counts, filters, lang=lang, t=context["t"], label=context["label"], multi=True,
                               tag_names=listed.tag_names),
        "chips": build_chips(filters, keep=view, lang=lang, t=context["t"], label=context["label"],
                             tag_names=listed.tag_names),
        "sort": sort,
        "sort_choices": SORT_CHOICES,
        "per_page": per_page,
        "page": page,
        "rows": [_row(s, lang, context["t"], terms, listed.tags.get(int(s.id), [])) for s in page.items],
        "pager_query": urlencode(keep, doseq=True),
        "export_links": [(fmt, "/incidents/export?" + urlencode({"format": fmt, **filter_params}, doseq=True))
                         for fmt in EXPORT_FORMATS],
        "filtered": bool(filter_params),
        "list_query": urlencode(keep, doseq=True),  # what "save this search" saves
        "saved_searches": saved_searches.list_searches(ws, user=user),
        "save_error": "", "save_name": "",
        "just_saved": request.method == "GET" and bool(str(params.get("saved") or "").strip()),
        **(extra or {}),
    }, status_code=400 if error else status_code)


@dataclass(frozen=True, slots=True)
class Row:
    """One table row with its words already in the page language.

    Labels are looked up here rather than by calling ``label()``/``t()`` from
    the template: each call out of Jinja costs a few microseconds, and a page
    of 50 rows made about 350 of them (a fifth of the page's rendering).
    """

    summary: reading.IncidentSummary
    place: str
    governorate: str
    victims: str
    killed: str
    date_iso: str
    event_type: str
    perpetrators: tuple[str, ...]
    status: str
    confidentiality: str
    place_marks: tuple[Piece, ...] = ()  # the place and description cut at the search's hits
    description_marks: tuple[Piece, ...] = ()
    tags: tuple[Any, ...] = ()  # its current tags (domain.tags.Tag)


def _row(s: reading.IncidentSummary, lang: str, t: Any, terms: tuple[Any, ...] = (),
         tags: list[Any] | None = None) -> Row:
    # Both languages name the same (resolved) place; the report's words for a finer place inside it apart.
    names = place_names(name=s.loc_name, name_ar=s.loc_name_ar, text=s.loc_text, place_id=s.loc_place_id)
    place = (names.ar if lang == "ar" else names.en) or s.loc_text
    if names.written:
        place = t("fixc.place.as_written", place=place, written=names.written)
    governorate = governorate_label(s.loc_admin1, lang) if s.loc_admin1 else ""
    killed = victims_text(s.killed_min, s.killed_max, lang=lang)
    return Row(summary=s, place=place, governorate=governorate if governorate != place else "",
               victims=outcomes_text(s.outcomes, t), killed=killed,
               date_iso=s.date_start.isoformat() if s.date_start else "",
               event_type=term_label(lang, "event_type", s.event_type),
               perpetrators=tuple(term_label(lang, "actor", code) for code in s.perpetrators),
               status=t(f"list.status.{s.status}"),
               confidentiality=t(f"list.confidentiality.{s.confidentiality}"),
               place_marks=tuple(mark_hits(place or "", terms)),
               description_marks=tuple(mark_hits(s.description or "", terms)), tags=tuple(tags or ()))


@router.get("/incidents/export")
async def export(request: Request) -> Response:
    """The current selection as a file; the service leaves out what the user may not see."""
    user: User = await current_user(request)
    params = request.query_params
    fmt = (params.get("format") or "csv").strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise ServiceError(f"unknown export format {fmt[:20]!r}; choose csv, json or geojson",
                           kind="export.unknown_format", value=fmt[:20])
    filters = reading.parse_filter(params)
    # For an audience (docs/publishing.md): one beyond the user's role needs a reviewer's approval.
    profile = (params.get("profile") or "").strip().lower() or None
    # Reading and writing every matching incident: in a worker thread, so the server keeps answering.
    body, media_type, filename = await run_blocking("heavy", reading.export_incidents, workspace(request),
                                                    user=user, filters=filters, fmt=fmt,
                                                    machine=client_ip(request), via="web", profile=profile)
    return Response(content=body, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",  # may hold restricted records: not for shared caches
    })
