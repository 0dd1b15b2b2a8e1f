"""The one incident filter: what the CLI, the web pages, the API and the statistics ask for.

Every field is optional; None (or empty) means "any". The defaults, the same
for every caller:

* **merged incidents are left out** unless ``status`` asks for them
  (``status="merged"``): a merged incident was folded into another and is
  shown there;
* a list (CLI, web, API, export) shows every other status its filter allows;
* a statistic (dashboard, map, timeline) counts only what a person has
  decided on, ``REVIEWED_STATUSES``, unless ``status`` chooses one, or
  ``unreviewed`` adds the machine's suggestions back: a suggestion nobody has
  checked (180–200 "killed" read from one noisy sentence) must not move a
  published figure, and a rejected one is not an incident;
* which confidentialities a user may see is not a filter but a permission:
  the services pass it beside the filter, from the user's role.

``status`` may also be ``REVIEWED``, which is not a status: confirmed or
verified, what the statistics count (the views' links to the list use it).

The facets a user picks several values of (type, violation, perpetrator,
governorate, status, tag) are tuples: any of the values matches ("Russia OR the
government"); in a query string the parameter is repeated
(``perpetrator=russia&perpetrator=syrian-government``). A plain string given
to the constructor is taken as one value.

Places follow the administrative hierarchy: the services look a place's name
up in the gazetteer and put the result in the filter as :class:`PlaceArea`
(``place_areas``, ``governorate_areas``, ``q_place``), so "Raqqa", "ar-Raqqah"
and "الرقة" all reach the incidents placed in the governorate's districts,
sub-districts and towns. These resolved fields never appear in a query string.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from .dates_shown import typed_date
from .enums import Confidentiality, IncidentStatus, VictimKind
from .ids import parse_id

__all__ = ["LISTED_STATUSES", "MULTI_FIELDS", "REVIEWED", "REVIEWED_STATUSES", "DateNotUnderstood", "IncidentFilter",
           "PlaceArea", "QueryPlace"]

REVIEWED = "reviewed"
REVIEWED_STATUSES = (IncidentStatus.CONFIRMED.value, IncidentStatus.VERIFIED.value)
# What a list shows when no status is chosen: all but merged.
LISTED_STATUSES = tuple(s.value for s in IncidentStatus if s is not IncidentStatus.MERGED)
_TRUE = ("1", "true", "on", "yes")
# Facets where several values may be chosen at once (any of them matches).
MULTI_FIELDS = ("event_type", "violation", "perpetrator", "governorate", "status", "tag")
MAX_VALUES = 20  # per multi-choice facet; more is a hand-made URL, not a person choosing
# Filled in by the services from the gazetteer, never read from or written to a query string.
_RESOLVED = ("place_areas", "governorate_areas", "q_place")


@dataclass(frozen=True, slots=True)
class PlaceArea:
    """The incidents inside one gazetteer place, as the stored location columns show it.

    An incident is inside when its ``loc_place_id`` is one of ``place_ids`` (the
    place and everything under it), or its admin column at the place's level
    (``column``: "admin1", "admin2" or "admin3") holds one of ``names`` and,
    below the governorate, its ``loc_admin1`` one of ``governorates`` (two
    governorates have districts of the same name).
    """

    place_ids: tuple[str, ...] = ()
    column: str = ""  # "" for a town: only its id places an incident there
    names: tuple[str, ...] = ()
    governorates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QueryPlace:
    """Search words that name a place: ``words`` match either as words or through ``areas``."""

    words: str
    areas: tuple[PlaceArea, ...]


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """Which incidents to list or count. Frozen, so it can key a cache.

    Query strings map onto it one to one (:meth:`from_params`,
    :meth:`to_params`).
    """

    event_type: tuple[str, ...] = ()
    violation: tuple[str, ...] = ()
    perpetrator: tuple[str, ...] = ()  # actor codes; their factions match too
    victim_kind: str | None = None
    governorate: tuple[str, ...] = ()  # loc_admin1 as stored (and, resolved, the places inside)
    # The whole of a place's name (Arabic, English, as written), an admin name or the
    # gazetteer id, folded as search folds words; not a substring search.
    place: str | None = None
    date_from: date | None = None  # incidents whose possible date range overlaps [date_from, date_to];
    date_to: date | None = None  # with either given, incidents with unknown dates are left out
    status: tuple[str, ...] = ()  # IncidentStatus values or REVIEWED; empty: see the module notes
    tag: tuple[str, ...] = ()  # tag ids (as digits): incidents carrying any of them now
    confidentiality: str | None = None
    q: str | None = None  # words, Arabic or English; only punctuation matches nothing
    source_id: int | None = None  # extracted from that source, or citing it in a claim
    # When the record was made (the day the material reached the database, UTC), not when the event was.
    received_from: date | None = None
    received_to: date | None = None
    # Statistics only: count the suggestions nobody has reviewed too. None rather than
    # False when not asked, so a filter records only what was chosen.
    unreviewed: bool | None = None
    # Resolved by the services (see the module notes); part of the cache key, never of a URL.
    place_areas: tuple[PlaceArea, ...] = ()
    governorate_areas: tuple[PlaceArea, ...] = ()
    q_place: QueryPlace | None = None

    def __post_init__(self) -> None:
        # A single value (the CLI's --type, older callers) is a choice of one.
        for name in MULTI_FIELDS:
            value = getattr(self, name)
            if value is None:
                object.__setattr__(self, name, ())
            elif isinstance(value, str):
                object.__setattr__(self, name, (value,) if value else ())
            elif not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
    # The review queue only, set by its service and never read from a query string (from_params
    # leaves them out): the language of the source a suggestion was read from ("ar", "en"), and the
    # account it is assigned to. Staff names and sources are not a viewer's to probe through a list.
    language: str | None = None
    assigned_to: str | None = None

    def statuses(self, *, counting: bool = False) -> tuple[str, ...]:
        """The statuses this filter lets through: for a list, or (``counting``) for a statistic."""
        if self.status:
            chosen: list[str] = []
            for status in self.status:
                for one in (REVIEWED_STATUSES if status == REVIEWED else (str(status),)):
                    if one not in chosen:
                        chosen.append(one)
            return tuple(chosen)
        if counting:
            return REVIEWED_STATUSES + ((IncidentStatus.SUGGESTED.value,) if self.unreviewed else ())
        return LISTED_STATUSES

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> IncidentFilter:
        """Lenient: blanks are "any" and unknown keys are ignored; a malformed date, status or
        number is a ValueError with a one-line message.

        ``params`` may be a multi-valued mapping (Starlette's ``QueryParams``:
        ``getlist``) or a plain one whose values are strings or lists of strings.
        """
        def many(name: str) -> tuple[str, ...]:
            getlist = getattr(params, "getlist", None)
            raw = getlist(name) if callable(getlist) else params.get(name)
            items = raw if isinstance(raw, (list, tuple)) else [raw]
            found = dict.fromkeys(v.strip() for v in items if isinstance(v, str) and v.strip())
            if len(found) > MAX_VALUES:
                raise FilterProblem(f"at most {MAX_VALUES} values of {name}", kind="too_many", field=name,
                                    limit=MAX_VALUES)
            return tuple(found)

        def text(name: str) -> str | None:
            values = many(name)
            return values[-1] if values else None  # a repeated single-valued key: the last one, as before

        status = many("status")
        for one in status:
            if one not in {s.value for s in IncidentStatus} | {REVIEWED}:
                raise FilterProblem(f"unknown status {one[:40]!r}", kind="unknown_value", field="status",
                                    value=one[:40])
        tag = tuple(dict.fromkeys(_tag_id(one) for one in many("tag")))
        conf = text("confidentiality")
        if conf is not None and conf not in {c.value for c in Confidentiality}:
            raise FilterProblem(f"unknown confidentiality {conf[:40]!r}", kind="unknown_value",
                                field="confidentiality", value=conf[:40])
        kind = text("victim_kind")
        if kind is not None and kind not in {k.value for k in VictimKind}:
            raise FilterProblem(f"unknown victim kind {kind[:40]!r}", kind="unknown_value", field="victim_kind",
                                value=kind[:40])
        date_from, date_to = _date(text("date_from"), "date_from"), _date(text("date_to"), "date_to")
        if date_from and date_to and date_from > date_to:
            raise FilterProblem("date_from is after date_to", kind="dates_reversed", field="date_from",
                                other="date_to")
        received_from = _date(text("received_from"), "received_from")
        received_to = _date(text("received_to"), "received_to")
        if received_from and received_to and received_from > received_to:
            raise FilterProblem("received_from is after received_to", kind="dates_reversed", field="received_from",
                                other="received_to")
        source = text("source_id")
        if source is not None and parse_id(source) is None:  # beyond 64 bits the database would fail
            raise FilterProblem(f"source_id must be a record number, not {source[:40]!r}", kind="not_a_number",
                                field="source_id", value=source[:40])
        return cls(
            event_type=many("event_type"), violation=many("violation"), perpetrator=many("perpetrator"),
            victim_kind=kind, governorate=many("governorate"), place=text("place"), date_from=date_from,
            date_to=date_to, status=status, tag=tag, confidentiality=conf, q=text("q"), source_id=parse_id(source),
            received_from=received_from, received_to=received_to,
            unreviewed=True if (text("unreviewed") or "").lower() in _TRUE else None,
        )

    def to_params(self) -> dict[str, str | list[str]]:
        """The non-empty filters as query-string values (for links: export, next page).

        A multi-choice facet with one value is a string, with several a list
        (``urlencode(..., doseq=True)`` repeats the key)."""
        out: dict[str, str | list[str]] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _RESOLVED or value is None or value == "" or value == ():
                continue
            if isinstance(value, tuple):
                out[f.name] = value[0] if len(value) == 1 else list(value)
            elif value is True:
                out[f.name] = "1"
            elif value is not False:
                out[f.name] = value.isoformat() if isinstance(value, date) else str(value)
        return out


def _tag_id(value: str) -> str:
    found = parse_id(value)
    if found is None or found < 1:
        raise FilterProblem(f"tag must be a tag number, not {value[:40]!r}", kind="not_a_number", field="tag",
                            value=value[:40])
    return str(found)


class FilterProblem(ValueError):
    """A filter value that cannot be used: ``kind`` (too_many, unknown_value, dates_reversed, not_a_number) and
    ``values`` (``field`` as in the query string, ``value`` as typed), for pages that say it in their language."""

    def __init__(self, message: str, *, kind: str, **values: object) -> None:
        super().__init__(message)
        self.kind, self.values = kind, values


class DateNotUnderstood(ValueError):
    """A date filter that is no day: which field, and what was typed, so a page can say so in its language."""

    def __init__(self, *, field: str, value: str) -> None:
        self.field, self.value = field, value[:40]
        super().__init__(f"{field} must be a date like 2015-10-07, not {self.value!r}")


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return typed_date(value)  # year-month-day, Western or Arabic-Indic digits (a text field, not the browser's)
    except ValueError:
        raise DateNotUnderstood(field=name, value=value) from None
