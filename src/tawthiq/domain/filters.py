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
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date

from .dates_shown import typed_date
from .enums import Confidentiality, IncidentStatus, VictimKind
from .ids import parse_id

__all__ = ["LISTED_STATUSES", "REVIEWED", "REVIEWED_STATUSES", "IncidentFilter"]

REVIEWED = "reviewed"
REVIEWED_STATUSES = (IncidentStatus.CONFIRMED.value, IncidentStatus.VERIFIED.value)
# What a list shows when no status is chosen: all but merged.
LISTED_STATUSES = tuple(s.value for s in IncidentStatus if s is not IncidentStatus.MERGED)
_TRUE = ("1", "true", "on", "yes")


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """Which incidents to list or count. Frozen, so it can key a cache.

    Query strings map onto it one to one (:meth:`from_params`,
    :meth:`to_params`).
    """

    event_type: str | None = None
    violation: str | None = None
    perpetrator: str | None = None  # actor code; its factions match too
    victim_kind: str | None = None
    governorate: str | None = None  # loc_admin1 exactly as stored
    # The whole of a place's name (Arabic, English, as written), an admin name or the
    # gazetteer id, folded as search folds words; not a substring search.
    place: str | None = None
    date_from: date | None = None  # incidents whose possible date range overlaps [date_from, date_to];
    date_to: date | None = None  # with either given, incidents with unknown dates are left out
    status: str | None = None  # an IncidentStatus value or REVIEWED; None: see the module notes
    confidentiality: str | None = None
    q: str | None = None  # words, Arabic or English; only punctuation matches nothing
    source_id: int | None = None  # extracted from that source, or citing it in a claim
    # When the record was made (the day the material reached the database, UTC), not when the event was.
    received_from: date | None = None
    received_to: date | None = None
    # Statistics only: count the suggestions nobody has reviewed too. None rather than
    # False when not asked, so a filter records only what was chosen.
    unreviewed: bool | None = None

    def statuses(self, *, counting: bool = False) -> tuple[str, ...]:
        """The statuses this filter lets through: for a list, or (``counting``) for a statistic."""
        if self.status == REVIEWED:
            return REVIEWED_STATUSES
        if self.status:
            return (str(self.status),)
        if counting:
            return REVIEWED_STATUSES + ((IncidentStatus.SUGGESTED.value,) if self.unreviewed else ())
        return LISTED_STATUSES

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> IncidentFilter:
        """Lenient: blanks are "any" and unknown keys are ignored; a malformed date, status or
        number is a ValueError with a one-line message."""
        def text(name: str) -> str | None:
            value = params.get(name)
            value = value.strip() if isinstance(value, str) else None
            return value or None

        status = text("status")
        if status is not None and status not in {s.value for s in IncidentStatus} | {REVIEWED}:
            raise ValueError(f"unknown status {status!r}")
        conf = text("confidentiality")
        if conf is not None and conf not in {c.value for c in Confidentiality}:
            raise ValueError(f"unknown confidentiality {conf!r}")
        kind = text("victim_kind")
        if kind is not None and kind not in {k.value for k in VictimKind}:
            raise ValueError(f"unknown victim kind {kind!r}")
        date_from, date_to = _date(text("date_from"), "date_from"), _date(text("date_to"), "date_to")
        if date_from and date_to and date_from > date_to:
            raise ValueError("date_from is after date_to")
        received_from = _date(text("received_from"), "received_from")
        received_to = _date(text("received_to"), "received_to")
        if received_from and received_to and received_from > received_to:
            raise ValueError("received_from is after received_to")
        source = text("source_id")
        if source is not None and parse_id(source) is None:  # beyond 64 bits the database would fail
            raise ValueError(f"source_id must be a record number, not {source[:40]!r}")
        return cls(
            event_type=text("event_type"), violation=text("violation"), perpetrator=text("perpetrator"),
            victim_kind=kind, governorate=text("governorate"), place=text("place"), date_from=date_from,
            date_to=date_to, status=status, confidentiality=conf, q=text("q"), source_id=parse_id(source),
            received_from=received_from, received_to=received_to,
            unreviewed=True if (text("unreviewed") or "").lower() in _TRUE else None,
        )

    def to_params(self) -> dict[str, str]:
        """The non-empty filters as query-string values (for links: export, next page)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value == "":
                continue
            if value is True:
                out[f.name] = "1"
            elif value is not False:
                out[f.name] = value.isoformat() if isinstance(value, date) else str(value)
        return out


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return typed_date(value)  # year-month-day, Western or Arabic-Indic digits (a text field, not the browser's)
    except ValueError:
        raise ValueError(f"{name} must be a date like 2015-10-07, not {value[:40]!r}") from None
