"""Whether a claim supports an incident's current value of its field.

Used when a merge brings one incident's claims onto another: the incident
merged into keeps its own values (a person changes them deliberately), so a
carried claim that states something else (a place read from the word
"residential", another count) is kept for the record but marked as not
current, instead of sitting beside the current value as if it were.
"""
from __future__ import annotations

from typing import Any

from .enums import ClaimField, InvolvementRole
from .model import Claim, Incident

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
