"""A merge never drops a victim outcome: killed merged into injured leaves both current, the same
outcome keeps the target's count, and undoing the merge takes the carried group back off.
On SQLite and PostgreSQL."""
from __future__ import annotations

from _users import REVIEWER

from tawthiq.domain import (
    Claim,
    ClaimField,
    Incident,
    IncidentDate,
    Source,
    SourceKind,
    Span,
    VictimGroup,
    VictimKind,
    VictimOutcome,
)
from tawthiq.domain.enums import AgeGroup
from tawthiq.domain.judgements import Subject
from tawthiq.services import Workspace, linking, review
from tawthiq.store import judgements as jstore
from tawthiq.store import repository
from tawthiq.store.incidents import get_incident

KILLED = "Shelling of Maarat al-Numan on 3 June 2019 killed 5 civilians, the network says."
INJURED = "Shelling of Maarat al-Numan on 3 June 2019: 8 injured were taken to hospital."


def _add(ws: Workspace, text: str, sha: str, words: str, group: VictimGroup) -> int:
    start = text.index(words)
    value = {"outcome": str(group.outcome), "kind": str(group.kind), "count_min": group.count_min,
             "count_max": group.count_max}
    incident = Incident(event_type="shelling-artillery-missile-attack", victims=[group], date=IncidentDate(edtf="2019-06-03"),
                        claims=[Claim(field=ClaimField.VICTIMS, value=value, span=Span.of(text, start,
                                                                                         start + len(words)),
                                      method="rule:victims")])
    _, _, [iid] = repository.add_source_with_incidents(
        ws.db, Source(kind=SourceKind.TEXT, sha256=sha * 64, text=text), [incident])
    return iid


def _pair(ws: Workspace, source_group: VictimGroup, target_group: VictimGroup) -> tuple[int, int]:
    return (_add(ws, KILLED, "a", "killed 5 civilians", source_group),
            _add(ws, INJURED, "b", "8 injured", target_group))


def _counts(incident: Incident) -> list[tuple[str, str, int | None]]:
    return sorted((str(v.outcome), str(v.kind), v.count_min) for v in incident.victims)


FIVE_KILLED = VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=5, count_max=5)
EIGHT_INJURED = VictimGroup(outcome=VictimOutcome.INJURED, kind=VictimKind.UNKNOWN, count_min=8, count_max=8)


def test_killed_merged_into_injured_keeps_both_outcomes_current(ws: Workspace) -> None:
    killed, injured = _pair(ws, FIVE_KILLED, EIGHT_INJURED)
    review.merge(ws, user=REVIEWER, incident_id=killed, into_id=injured, comment="same report, same day")
    target = get_incident(ws.db, injured)
    assert target is not None
    assert _counts(target) == [("injured", "unknown", 8), ("killed", "civilian", 5)]  # neither summed nor dropped
    victims = [c for c in target.claims if c.field is ClaimField.VICTIMS]
    assert {(c.value["outcome"], c.value["count_min"], c.current) for c in victims} == {
        ("injured", 8, True), ("killed", 5, True)}
    # The target's history says what the merge brought.
    merge_in = [e for e in repository.incident_history(ws.db, injured) if e.action == "merge-in"]
    assert merge_in and [g["outcome"] for g in merge_in[-1].after["victims_added"]] == ["killed"]


def test_the_same_outcome_keeps_the_targets_count_and_marks_the_other_replaced(ws: Workspace) -> None:
    ten_killed = VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.UNKNOWN, count_min=10, count_max=10)
    five, ten = _pair(ws, FIVE_KILLED, ten_killed)
    review.merge(ws, user=REVIEWER, incident_id=five, into_id=ten, comment="same")
    target = get_incident(ws.db, ten)
    assert target is not None and _counts(target) == [("killed", "unknown", 10)]
    carried = [c for c in target.claims if c.note.startswith(f"merged from #{five}")]
    assert [(c.value["count_min"], c.current) for c in carried] == [(5, False)]
    assert f"#{ten} keeps its own value" in carried[0].superseded_note


def test_children_killed_and_men_killed_are_different_people(ws: Workspace) -> None:
    children = VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, age=AgeGroup.CHILD,
                           count_min=3, count_max=3)
    adults = VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, age=AgeGroup.ADULT,
                         count_min=4, count_max=4)
    a, b = _pair(ws, children, adults)
    review.merge(ws, user=REVIEWER, incident_id=a, into_id=b, comment="same")
    target = get_incident(ws.db, b)
    assert target is not None and sorted(v.count_min or 0 for v in target.victims) == [3, 4]


def test_undoing_the_merge_takes_the_carried_outcome_back_off(ws: Workspace) -> None:
    killed, injured = _pair(ws, FIVE_KILLED, EIGHT_INJURED)
    review.merge(ws, user=REVIEWER, incident_id=killed, into_id=injured, comment="same report")
    [same] = jstore.of_pair(ws.db, Subject.INCIDENT, killed, injured)
    linking.undo(ws, user=REVIEWER, actor="", judgement_id=int(same.id or 0), comment="not the same")
    target, back = get_incident(ws.db, injured), get_incident(ws.db, killed)
    assert target is not None and back is not None
    assert _counts(target) == [("injured", "unknown", 8)]
    assert _counts(back) == [("killed", "civilian", 5)]
    unmerge_out = [e for e in repository.incident_history(ws.db, injured) if e.action == "unmerge-out"]
    assert [g["outcome"] for g in unmerge_out[-1].after["victims_removed"]] == ["killed"]
