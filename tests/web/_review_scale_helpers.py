"""Builders for the review-at-scale tests: a suggestion resting on thousands of claims, and a queue holding folds
of identical suggestions between distinct ones (real rows in the store, no extraction)."""
from __future__ import annotations

from datetime import datetime, timezone

from tawthiq.domain import (
    Claim,
    ClaimField,
    Confidentiality,
    Incident,
    IncidentDate,
    IncidentStatus,
    Location,
    Source,
    SourceKind,
    Span,
)
from tawthiq.services import Workspace
from tawthiq.store import repository

CLAIMS = 3_000
SUPERSEDED_EVERY = 25  # one claim in 25 was replaced by a correction: listed too, on its own page's fold
# Each line of the report is one shelling, claimed field by field.
LINE = "On {day} March 2019 government forces shelled village {n}, killing {k} civilians.\n"
FIELDS = (ClaimField.DATE, ClaimField.LOCATION, ClaimField.VICTIMS, ClaimField.EVENT_TYPE, ClaimField.PERPETRATOR,
          ClaimField.VIOLATION, ClaimField.DESCRIPTION, ClaimField.TARGET)


def _value(field: ClaimField, n: int) -> object:
    if field is ClaimField.VICTIMS:
        return {"count_min": n % 9 + 1, "count_max": n % 9 + 1, "kind": "civilian", "outcome": "killed"}
    if field is ClaimField.LOCATION:
        return {"name": f"village {n}"}
    if field is ClaimField.DATE:
        return f"2019-03-{n % 28 + 1:02d}"
    return {ClaimField.EVENT_TYPE: "shelling", ClaimField.PERPETRATOR: "syrian-government",
            ClaimField.VIOLATION: "attack-on-civilians", ClaimField.TARGET: "civilians"}.get(field, f"shelling {n}")


def many_claims(ws: Workspace, *, confidentiality: Confidentiality = Confidentiality.RESTRICTED,
                status: IncidentStatus = IncidentStatus.SUGGESTED, sha256: str = "c" * 64) -> tuple[int, set[int]]:
    """A suggestion with CLAIMS claims (real rows) over a long report; (its id, its claims' ids). A public,
    verified one is what a viewer may open; ``sha256`` keeps the reports of two such incidents apart."""
    lines = [LINE.format(day=n % 28 + 1, n=n, k=n % 9 + 1) for n in range(CLAIMS)]
    text = "".join(lines)
    source_id, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256=sha256, text=text,
                                                        title="A long list of shellings", language="en"))
    claims: list[Claim] = []
    at = 0
    for n, line in enumerate(lines):
        field = FIELDS[n % len(FIELDS)]
        replaced = n % SUPERSEDED_EVERY == 0
        claims.append(Claim(field=field, value=_value(field, n), span=Span.of(text, at, at + len(line) - 1),
                            method="rule:test", source_id=source_id, confidence=0.8,
                            superseded_at=datetime(2024, 5, 1, tzinfo=timezone.utc) if replaced else None,
                            superseded_by="nour" if replaced else "",
                            superseded_note="corrected by hand" if replaced else ""))
        at += len(line)
    incident_id = repository.add_incident(ws.db, Incident(
        event_type="shelling", source_id=source_id, description="Shelling of many villages, March 2019",
        confidentiality=confidentiality, status=status, claims=claims))
    stored = repository.get_incident(ws.db, incident_id)
    assert stored is not None and len(stored.claims) == CLAIMS
    return incident_id, {int(c.id or 0) for c in stored.claims}


REPORT = "A report repeating one account, with two other acts between its copies."


def _add(ws: Workspace, source_id: int, description: str, place: str) -> int:
    return repository.add_incident(ws.db, Incident(
        event_type="shelling", source_id=source_id, description=description,
        confidentiality=Confidentiality.RESTRICTED, location=Location(name=place, admin1="Idlib"),
        date=IncidentDate(edtf="2019-03-03")))


def folded_queue(ws: Workspace, *, tag: str = "") -> dict[str, int]:
    """Suggestions, oldest first: A1 A2 B A3 C (one source; the A's identical) then D1 E D2 (another source;
    the D's identical). Folded, the queue shows the rows A1, B, C, D1, E oldest first. ``tag`` keeps the
    sources of two such queues in one database apart."""
    first, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256=f"1{tag}".ljust(64, "1"),
                                                   text=REPORT + tag, title=f"one{tag}"))
    second, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256=f"2{tag}".ljust(64, "2"),
                                                    text=REPORT + tag, title=f"two{tag}"))
    same = "Government shelling hit the market of Ariha, killing four civilians."
    ids = {"A1": _add(ws, first, same, "Ariha"), "A2": _add(ws, first, same, "Ariha"),
           "B": _add(ws, first, "Shelling hit the school of Ariha.", "Ariha"), "A3": _add(ws, first, same, "Ariha"),
           "C": _add(ws, first, "Shelling hit the bakery of Sarmin.", "Sarmin")}
    other = "Shelling hit the mill of Binnish, killing two civilians."
    ids |= {"D1": _add(ws, second, other, "Binnish"), "E": _add(ws, second, "Shelling hit Taftanaz.", "Taftanaz"),
            "D2": _add(ws, second, other, "Binnish")}
    assert list(ids.values()) == sorted(ids.values())
    return ids
