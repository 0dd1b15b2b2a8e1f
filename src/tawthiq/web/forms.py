"""The incident forms: what a page shows, and what a submitted form asks to change.

One model serves both forms that state an incident's fields: the correction
form on the review page, and the by-hand form on the add page (which shows
fewer fields: one perpetrator, one victim group, a typed place, and the
source with the words that state the incident). Both are read into the same
:class:`~tawthiq.services.review.IncidentChanges`.

Everything submitted is untrusted: choices are checked against the controlled
vocabularies, counts must be whole numbers, and only fields that differ from
the incident as stored become changes, so the history records what a person
actually changed and nothing else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from starlette.datastructures import FormData

from ..domain import vocab
from ..domain.breakdown import PARTS, breakdown_problem
from ..domain.edtfrange import typed_edtf
from ..domain.enums import (
    AgeGroup,
    Confidentiality,
    CountingUnit,
    DatePrecision,
    InvolvementDegree,
    InvolvementRole,
    LocationPrecision,
    Sex,
    VictimKind,
    VictimOutcome,
)
from ..domain.model import Incident, IncidentDate, Involvement, Location, VictimGroup
from ..domain.typed_numbers import ascii_number, typed_float, typed_int
from ..services import reading
from ..services.review import CLEAR, DateRefused, IncidentChanges, checked_date

MAX_VICTIM_ROWS = 50
MAX_TEXT = 20_000  # a description longer than this is a paste accident, not a description
MAX_SHORT = 500
_VICTIM_KEY = re.compile(r"^victims-(\d{1,3})-([a-z_]+)$")
VICTIM_PARTS = ("outcome", "kind", "unit", "count_min", "count_max", "sex", "age", "text", "remove", *PARTS)
# The by-hand form's one victim group, in fields of its own: form field -> victims row part.
FLAT_VICTIM = {"outcome": "outcome", "victim_kind": "kind", "count_min": "count_min", "count_max": "count_max"}


class FormProblem(ValueError):
    """A submitted value cannot be used; the message is an interface text key (or plain text)."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def form_text(form: FormData, name: str, limit: int = MAX_SHORT) -> str:
    """One submitted field, trimmed and cut to ``limit``; '' when it is missing or a file."""
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def form_list(form: FormData, name: str, *, most: int = 100) -> list[str]:
    """A repeated field's non-empty values (trimmed), at most ``most`` of them."""
    return [v.strip()[:MAX_SHORT] for v in form.getlist(name) if isinstance(v, str) and v.strip()][:most]


@dataclass(slots=True)
class IncidentForm:
    """An incident form's values as strings, exactly as shown or as submitted (to re-show them).

    The correction form sends every field; the by-hand form sends a subset
    under names of its own (``perpetrator``, ``place``, and one victim group
    as ``outcome``/``victim_kind``/``count_min``/``count_max``), plus the
    source and the words quoted from it, all read into the same fields here.
    """

    event_type: str = ""
    violations: list[str] = field(default_factory=list)
    perpetrators: list[str] = field(default_factory=list)
    victims: list[dict[str, str]] = field(default_factory=list)
    place_name: str = ""
    place_name_ar: str = ""
    place_id: str = ""
    place_admin1: str = ""
    place_lat: str = ""
    place_lon: str = ""
    place_precision: str = ""
    place_clear: str = ""  # "1": the "no place" box is ticked
    date: str = ""
    date_clear: str = ""  # "1": the "no date" box is ticked
    description: str = ""
    confidentiality: str = ""
    comment: str = ""
    # The by-hand form's citation: the source and where in its text the incident is stated.
    source_id: str = ""
    span_start: str = ""
    span_end: str = ""
    quote: str = ""

    @classmethod
    def from_incident(cls, incident: Incident) -> IncidentForm:
        loc = incident.location
        return cls(
            event_type=incident.event_type,
            violations=list(incident.violations),
            perpetrators=[i.actor for i in incident.perpetrators],
            victims=[_victim_row(v) for v in incident.victims],
            place_name=loc.name if loc else "",
            place_name_ar=loc.name_ar if loc else "",
            place_id=loc.place_id if loc else "",
            place_admin1=loc.admin1 if loc else "",
            place_lat=_num(loc.lat) if loc else "",
            place_lon=_num(loc.lon) if loc else "",
            place_precision=str(loc.precision) if loc else "",
            date=incident.date.edtf if incident.date else "",
            description=incident.description,
            confidentiality=str(incident.confidentiality),
        )

    @classmethod
    def from_submitted(cls, form: FormData) -> IncidentForm:
        one, many = partial(form_text, form), partial(form_list, form)
        rows: dict[int, dict[str, str]] = {}
        for key, value in form.multi_items():
            match = _VICTIM_KEY.match(key)
            if not match or not isinstance(value, str) or match.group(2) not in VICTIM_PARTS:
                continue
            index = int(match.group(1))
            if index not in rows and len(rows) >= MAX_VICTIM_ROWS:
                continue
            rows.setdefault(index, {})[match.group(2)] = value.strip()[:MAX_SHORT]
        # The form's blank "add a group" row comes back with its default kind, unit, sex
        # and age; kept, a re-shown form would show it as a group (its outcome select
        # then has no blank choice) and a second submit would store it.
        victims = [rows[i] for i in sorted(rows) if not blank_victim_row(rows[i])]
        # The by-hand form's one group is kept as sent (its kind select always sends a value),
        # so that it is shown again as chosen; a group it leaves blank is dropped when parsed.
        flat = {part: one(name) for name, part in FLAT_VICTIM.items()}
        if any(flat.values()):
            victims.append(flat)
        one_perpetrator = one("perpetrator")
        return cls(
            event_type=one("event_type"),
            violations=many("violations"),
            perpetrators=many("perpetrators") + ([one_perpetrator] if one_perpetrator else []),
            victims=victims,
            place_name=one("place_name") or one("place"),
            place_name_ar=one("place_name_ar"),
            place_id=one("place_id"),
            place_admin1=one("place_admin1"),
            place_lat=one("place_lat"),
            place_lon=one("place_lon"),
            place_precision=one("place_precision"),
            place_clear="1" if one("place_clear") else "",
            date=one("date"),
            date_clear="1" if one("date_clear") else "",
            description=one("description", MAX_TEXT),
            confidentiality=one("confidentiality"),
            comment=one("comment", MAX_TEXT),
            source_id=one("source_id"),
            span_start=one("span_start"),
            span_end=one("span_end"),
            quote=_untrimmed(form, "quote"),  # matched against the source as written
        )

    def source_number(self) -> int | None:
        """The source typed or chosen ("12", "#12" or "#١٢"); None when it is not a record number."""
        return typed_int(self.source_id.strip().lstrip("#"), most_digits=11)

    def offsets(self) -> tuple[int, int] | None:
        """The cited span's offsets the page's script computed, when it sent both."""
        start, end = typed_int(self.span_start), typed_int(self.span_end)
        return None if start is None or end is None else (start, end)


def _untrimmed(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def _num(value: float | None) -> str:
    return "" if value is None else repr(value)


def _victim_row(v: VictimGroup) -> dict[str, str]:
    return {"outcome": str(v.outcome), "kind": str(v.kind), "unit": str(v.unit),
            "count_min": "" if v.count_min is None else str(v.count_min),
            "count_max": "" if v.count_max is None else str(v.count_max),
            "sex": str(v.sex), "age": str(v.age), "text": v.text,
            **{part: "" if getattr(v, part) is None else str(getattr(v, part)) for part in PARTS}}


def _count(raw: str) -> int | None:
    """A count as typed, in any digits ("٣" is 3); None when left blank."""
    if ascii_number(raw) == "":
        return None
    found = typed_int(raw)
    if found is None:
        raise FormProblem("record.edit.bad_number")
    return found


def choice(kind: type, raw: str, default: Any) -> Any:
    """``raw`` as a member of the enum ``kind`` (``default`` when empty); raises :class:`FormProblem`."""
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise FormProblem("record.edit.bad_choice", value=raw) from None


def blank_victim_row(row: dict[str, str]) -> bool:
    """A victims row that states no group: no outcome and no count (whatever its other selects say)."""
    return not row.get("outcome") and not any(row.get(part) for part in ("count_min", "count_max", *PARTS))


def parse_victims(rows: list[dict[str, str]]) -> list[VictimGroup]:
    """Rows left blank (no outcome and no count) or ticked for removal are dropped."""
    out: list[VictimGroup] = []
    for row in rows:
        if row.get("remove") or blank_victim_row(row):
            continue
        lo, hi = _count(row.get("count_min", "")), _count(row.get("count_max", ""))
        if lo is not None and hi is not None and lo > hi:
            raise FormProblem("record.edit.bad_number")
        group = VictimGroup(
            outcome=choice(VictimOutcome, row.get("outcome", ""), VictimOutcome.OTHER),
            kind=choice(VictimKind, row.get("kind", ""), VictimKind.UNKNOWN),
            unit=choice(CountingUnit, row.get("unit", ""), CountingUnit.INDIVIDUAL),
            count_min=lo, count_max=hi,
            sex=choice(Sex, row.get("sex", ""), Sex.UNKNOWN),
            age=choice(AgeGroup, row.get("age", ""), AgeGroup.UNKNOWN),
            text=row.get("text", ""),
            **{part: _count(row.get(part, "")) for part in PARTS},
        )
        if breakdown_problem(group) is not None:
            raise FormProblem("correct.error.breakdown_over", total=hi)
        out.append(group)
    return out


def _victim_key(v: VictimGroup) -> tuple[Any, ...]:
    return (str(v.outcome), str(v.kind), str(v.unit), v.count_min, v.count_max, str(v.sex), str(v.age),
            *(getattr(v, part) for part in PARTS))


def _float(raw: str) -> float | None:
    value = typed_float(raw)
    return value if value is not None and -180.0 <= value <= 180.0 else None


def date_precision(edtf: str) -> DatePrecision:
    """The precision an EDTF string states (the services may refine it)."""
    if any(mark in edtf for mark in "~%?") or "/" in edtf:
        return DatePrecision.APPROXIMATE
    body = edtf.lstrip("-")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", body):
        return DatePrecision.DAY
    if re.fullmatch(r"\d{4}-\d{2}", body):
        return DatePrecision.MONTH
    if re.fullmatch(r"\d{4}", body):
        return DatePrecision.YEAR
    return DatePrecision.UNKNOWN


def typed_date(edtf: str, *, text: str) -> IncidentDate:
    """A date as typed (EDTF), with the precision the string itself states."""
    return IncidentDate(edtf=edtf, text=text, precision=date_precision(edtf))


def perpetrators(codes: list[str], *, kept: dict[str, Involvement] | None = None) -> list[Involvement]:
    """Each actor code as a perpetrator; an involvement already recorded (``kept``) stays as it was."""
    kept = kept or {}
    return [kept.get(code) or Involvement(actor=code, role=InvolvementRole.PERPETRATOR,
                                          degree=InvolvementDegree.CARRIED_OUT) for code in codes]


# A bare name that is a town and also its district or governorate (Homs, Idlib) most
# often means the town where something happened.
_RESOLVE_PREFERENCE = (LocationPrecision.TOWN, LocationPrecision.NEIGHBOURHOOD, LocationPrecision.EXACT,
                       LocationPrecision.DISTRICT, LocationPrecision.GOVERNORATE, LocationPrecision.COUNTRY)


def resolve_place(name: str) -> Location | None:
    """A typed place name (no script to choose from the list) that the gazetteer knows exactly."""
    wanted = name.casefold()
    exact: list[tuple[int, Location]] = []
    for found in reading.place_suggestions(name, limit=10):
        if wanted not in {str(found.get(k, "")).casefold() for k in ("name", "name_ar", "matched")}:
            continue
        try:
            precision = LocationPrecision(found.get("precision") or LocationPrecision.TOWN)
        except ValueError:
            precision = LocationPrecision.TOWN
        exact.append((_RESOLVE_PREFERENCE.index(precision), Location(
            name=found["name"], text=name, name_ar=found.get("name_ar") or "", admin1=found.get("admin1") or "",
            admin2=found.get("admin2") or "", admin3=found.get("admin3") or "", lat=found.get("lat"),
            lon=found.get("lon"), precision=precision, place_id=found.get("place_id") or "")))
    return min(exact, key=lambda pair: pair[0])[1] if exact else None


def _as_written(name: str) -> Location:
    """A name the gazetteer does not know: kept as typed, placed nowhere more precise than the country."""
    return Location(name=name, text=name, precision=LocationPrecision.COUNTRY)


def typed_place(name: str) -> Location | None:
    """A place typed as a name: the gazetteer's entry when it knows the name exactly, else as written."""
    if not name:
        return None
    return resolve_place(name) or _as_written(name)


def parse_location(form: IncidentForm, current: Location | None,
                   resolve: Any = None) -> Location | None:
    """The place the form asks for; ``None`` when it is the stored place (or left empty).

    A place chosen from the gazetteer suggestions arrives with its id and
    coordinates in hidden fields; a name typed without script is looked up
    with ``resolve(name) -> Location | None`` and otherwise kept as written.
    """
    name = form.place_name
    if not name:
        return None
    if current is not None and name in (current.name, current.name_ar) and form.place_id == current.place_id:
        return None
    if form.place_id:
        precision = choice(LocationPrecision, form.place_precision, LocationPrecision.TOWN)
        return Location(name=name, text=name, name_ar=form.place_name_ar, admin1=form.place_admin1,
                        lat=_float(form.place_lat), lon=_float(form.place_lon), precision=precision,
                        place_id=form.place_id)
    found = resolve(name) if resolve is not None else None
    if found is not None:
        if current is not None and found.place_id and found.place_id == current.place_id:
            return None
        return found
    return _as_written(name)


def parse_changes(form: IncidentForm, current: Incident | None, *, resolve_place: Any = None) -> IncidentChanges:
    """What the form changes compared with ``current`` (``None``: a new incident, where every filled
    field is a change); raises :class:`FormProblem` on bad input. Whether the person may make those
    changes (publishing, say) is the review service's decision."""
    changes = IncidentChanges()
    event_types, violations, actors = vocab.event_types(), vocab.violations(), vocab.actors()
    if form.event_type and form.event_type != (current.event_type if current else None):
        if form.event_type not in event_types:
            raise FormProblem("record.edit.bad_choice", value=form.event_type)
        changes.event_type = form.event_type
    chosen = list(dict.fromkeys(form.violations))
    for code in chosen:
        if code not in violations:
            raise FormProblem("record.edit.bad_choice", value=code)
    if sorted(chosen) != sorted(current.violations if current else []):
        changes.violations = chosen
    wanted = list(dict.fromkeys(form.perpetrators))
    for code in wanted:
        if code not in actors:
            raise FormProblem("record.edit.bad_choice", value=code)
    kept = {i.actor: i for i in current.perpetrators} if current else {}
    if sorted(wanted) != sorted(kept):
        changes.perpetrators = list(perpetrators(wanted, kept=kept))
    groups = parse_victims(form.victims)
    if [_victim_key(v) for v in groups] != [_victim_key(v) for v in (current.victims if current else [])]:
        changes.victims = groups
    stored_place = current.location if current else None
    stored_date = current.date if current else None
    # A ticked "no place"/"no date" wins over the field beside it, which still
    # shows the stored value the person is removing.
    if form.place_clear:
        changes.location = CLEAR if stored_place is not None else None
    else:
        changes.location = parse_location(form, stored_place, resolve_place)
    if form.date_clear:
        changes.date = CLEAR if stored_date is not None else None
    elif form.date and typed_edtf(form.date) != (stored_date.edtf if stored_date else ""):
        # A corrected date keeps the source's wording of the stored one; a new incident's is as typed.
        # Its digits are stored ASCII ("٢٠١٩-٠٥-٠٧" is 2019-05-07); a day not yet come is refused.
        text = (stored_date.text if stored_date else "") if current else form.date
        try:
            changes.date = checked_date(typed_date(typed_edtf(form.date), text=text))
        except DateRefused as refused:
            raise FormProblem(f"record.edit.{refused.key}", value=refused.value) from None
    stored_description = current.description if current else ""
    if form.description != stored_description and (form.description or stored_description):
        changes.description = form.description
    if form.confidentiality and form.confidentiality != (str(current.confidentiality) if current else ""):
        changes.confidentiality = choice(Confidentiality, form.confidentiality, None)
    return changes
