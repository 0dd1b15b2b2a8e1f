"""Whether a claim supports an incident's current value of its field.

Used when a merge brings one incident's claims onto another: the incident
merged into keeps its own values (a person changes them deliberately), so a
carried claim that states something else (a place read from the word
"residential", another count) is kept for the record but marked as not
current, instead of sitting beside the current value as if it were.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .enums import AgeGroup, ClaimField, InvolvementRole, Sex, VictimKind
from .model import Claim, Incident, VictimGroup

_VICTIM_KEYS = ("outcome", "kind", "count_min", "count_max")


def _code(value: Any) -> str:
    return str(value.value) if hasattr(value, "value") else str(value)


def _victim_key(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, dict):
        return tuple("" if value.get(k) is None else _code(value.get(k)) for k in _VICTIM_KEYS)
    if hasattr(value, "outcome"):
        return tuple("" if getattr(value, k) is None else _code(getattr(value, k)) for k in _VICTIM_KEYS)
    return None


def _place_agrees(value: Any, incident: Incident) -> bool:
    loc = incident.location
    if loc is None:
        return False
    if isinstance(value, dict):
        if value.get("place_id") and value.get("place_id") == loc.place_id:
            return True
        names = {value.get("name"), value.get("name_ar"), value.get("text")}
    else:
        names = {value}
    return bool({n for n in names if n} & {n for n in (loc.name, loc.name_ar, loc.text) if n})


def supports(claim: Claim, incident: Incident) -> bool:
    """True when ``claim`` states the value ``incident`` holds now (or one of its listed values)."""
    value, field = claim.value, claim.field
    if value is None:  # a claim that the field is empty
        empty = {ClaimField.LOCATION: incident.location is None, ClaimField.DATE: incident.date is None,
                 ClaimField.DESCRIPTION: not incident.description, ClaimField.VIOLATION: not incident.violations,
                 ClaimField.PERPETRATOR: not incident.perpetrators, ClaimField.VICTIMS: not incident.victims}
        return empty.get(field, False)
    if field is ClaimField.EVENT_TYPE:
        return value == incident.event_type
    if field is ClaimField.VIOLATION:
        return value in incident.violations
    if field is ClaimField.PERPETRATOR:
        return value in {i.actor for i in incident.perpetrators}
    if field is ClaimField.TARGET:
        return value in {i.actor for i in incident.involvements if i.role is InvolvementRole.TARGET}
    if field is ClaimField.VICTIMS:
        key = _victim_key(value)
        return key is not None and key in {_victim_key(v) for v in incident.victims}
    if field is ClaimField.LOCATION:
        return _place_agrees(value, incident)
    if field is ClaimField.DATE:
        edtf = value.get("edtf") if isinstance(value, dict) else value
        return incident.date is not None and edtf == incident.date.edtf
    if field is ClaimField.DESCRIPTION:
        return value == incident.description
    return False



def _overlaps(a: Any, b: Any, *, wide: tuple[Any, ...]) -> bool:
    return a == b or a in wide or b in wide


def _same_category(a: VictimGroup, b: VictimGroup) -> bool:
    """Two groups may count the same people: the same outcome, and kind, sex and age that do not
    tell them apart ("unknown" and "mixed" overlap any value)."""
    return (a.outcome == b.outcome and _overlaps(a.kind, b.kind, wide=(VictimKind.UNKNOWN,))
            and _overlaps(a.sex, b.sex, wide=(Sex.UNKNOWN, Sex.MIXED))
            and _overlaps(a.age, b.age, wide=(AgeGroup.UNKNOWN, AgeGroup.MIXED)))


def victim_groups_to_carry(source: Iterable[VictimGroup], target: Iterable[VictimGroup]) -> list[VictimGroup]:
    """The merged incident's victim groups that the incident merged into has no count for.

    A merge keeps the target's figure where both incidents may count the same people (nine killed
    against ten killed: a person decides), but killed and injured (or civilians and fighters
    killed, children and men killed) are different people: a category only the merged incident
    counts is carried over whole, never summed into another and never dropped. "Unknown" overlaps
    every value, so "5 killed" does not add to "5 civilians killed".
    """
    kept = list(target)
    return [group for group in source if not any(_same_category(group, other) for other in kept)]
