"""Replaced claims are marked (who, when, why) and never deleted; a merge keeps the marks and does not
bring another incident's values in as if they were current. On SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from _users import DOCUMENTER, REVIEWER

from tawthiq.domain import (
    Claim,
    ClaimField,
    Incident,
    IncidentDate,
    Involvement,
    Location,
    Source,
    SourceKind,
    Span,
    VictimGroup,
    VictimKind,
    VictimOutcome,
)
from tawthiq.services import Workspace, review
from tawthiq.services import reading as rec
from tawthiq.services.review import IncidentChanges
from tawthiq.store import repository
from tawthiq.store.db import Database
from tawthiq.store.incidents import get_incident

ARIHA = "Warplanes struck Ariha on 12 May 2019, killing nine civilians in a residential (سكني) block."
OTHER = "Warplanes struck Ariha, report two says: the strike of 12 May 2019 killed nine civilians."


def _claims(text: str, place: str) -> list[Claim]:
    def span(words: str) -> Span:
        start = text.index(words)
        return Span.of(text, start, start + len(words))

    return [
        Claim(field=ClaimField.EVENT_TYPE, value="air-drone-strike", span=span("Warplanes"), method="rule:trigger"),
        Claim(field=ClaimField.VICTIMS, value={"outcome": "killed", "kind": "civilian", "count_min": 9,
                                               "count_max": 9}, span=span("nine civilians"), method="rule:victims"),
        Claim(field=ClaimField.LOCATION, value=place, span=span("Ariha"), method="rule:place"),
    ]


def _incident(text: str, place: str) -> Incident:
    return Incident(
        event_type="air-drone-strike", involvements=[Involvement(actor="russia")],
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=9, count_max=9)],
        date=IncidentDate(edtf="2019-05-12"), location=Location(name=place, text=place), claims=_claims(text, place),
    )


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    out = {}
    for name, sha, text, place in (("ariha", "c", ARIHA, "Ariha"), ("other", "d", OTHER, "Ariha")):
        _, _, [iid] = repository.add_source_with_incidents(
            db, Source(kind=SourceKind.TEXT, sha256=sha * 64, text=text), [_incident(text, place)])
        out[name] = iid
    return out


def _by_field(incident: Incident, field: ClaimField) -> list[Claim]:
    return [c for c in incident.claims if c.field is field]


TEN = [VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=10, count_max=10)]


def test_a_correction_marks_the_machine_claim_replaced_by_whom_when_and_why(ws: Workspace,
                                                                            ids: dict[str, int]) -> None:
    review.accept_with_edit(ws, user=DOCUMENTER, incident_id=ids["ariha"], changes=IncidentChanges(victims=TEN),
                            comment="the network's list has ten names")
    incident = get_incident(ws.db, ids["ariha"])
    assert incident is not None
    victims = _by_field(incident, ClaimField.VICTIMS)
    old = [c for c in victims if c.method == "rule:victims"]
    new = [c for c in victims if c.method == review.HUMAN]
    assert len(old) == 1 and len(new) == 1  # kept, never deleted
    assert not old[0].current and new[0].current
    assert old[0].superseded_by == DOCUMENTER.username
    assert old[0].superseded_note == "the network's list has ten names"
    assert old[0].superseded_at is not None and old[0].created_at is not None
    assert old[0].superseded_at >= old[0].created_at
    assert new[0].value["count_min"] == 10 and new[0].value["count_max"] == 10
    # Fields nobody changed keep their claims current.
    assert all(c.current for c in incident.claims if c.field is not ClaimField.VICTIMS)
    assert [(v.count_min, v.count_max) for v in incident.victims] == [(10, 10)]


def test_a_second_correction_replaces_the_first_and_leaves_the_old_marks_alone(ws: Workspace,
                                                                              ids: dict[str, int]) -> None:
    review.update_incident(ws, user=DOCUMENTER, incident_id=ids["ariha"], changes=IncidentChanges(victims=TEN),
                           comment="first correction")
    first = get_incident(ws.db, ids["ariha"])
    assert first is not None
    machine = next(c for c in first.claims if c.method == "rule:victims")
    eleven = [VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=11, count_max=11)]
    review.update_incident(ws, user=REVIEWER, incident_id=ids["ariha"], changes=IncidentChanges(victims=eleven),
                           comment="second correction")
    incident = get_incident(ws.db, ids["ariha"])
    assert incident is not None
    marks = {(c.method, c.value["count_min"]): (c.current, c.superseded_by, c.superseded_note)
             for c in _by_field(incident, ClaimField.VICTIMS)}
    assert marks == {
        ("rule:victims", 9): (False, DOCUMENTER.username, "first correction"),
        (review.HUMAN, 10): (False, REVIEWER.username, "second correction"),
        (review.HUMAN, 11): (True, "", ""),
    }
    again = next(c for c in incident.claims if c.id == machine.id)
    assert again.superseded_at == machine.superseded_at  # the first mark is not rewritten


def test_clearing_a_place_replaces_its_claims(ws: Workspace, ids: dict[str, int]) -> None:
    review.update_incident(ws, user=DOCUMENTER, incident_id=ids["ariha"],
                           changes=IncidentChanges(location=review.CLEAR), comment="the place was a misreading")
    incident = get_incident(ws.db, ids["ariha"])
    assert incident is not None and incident.location is None
    places = _by_field(incident, ClaimField.LOCATION)
    assert [(c.value, c.current) for c in places] == [("Ariha", False), (None, True)]


def test_a_merge_keeps_replaced_claims_replaced_and_does_not_adopt_other_values(ws: Workspace,
                                                                               ids: dict[str, int]) -> None:
    # The duplicate was corrected first (9 → 10 killed) and read a place from the word "residential".
    review.update_incident(ws, user=DOCUMENTER, incident_id=ids["other"], changes=IncidentChanges(victims=TEN),
                           comment="ten names")
    with ws.db.session(write=True) as session:  # type: ignore[attr-defined]
        from tawthiq.store.edits import add_claims

        add_claims(session, ids["other"], [Claim(field=ClaimField.LOCATION, value="سكني", span=None,
                                                 method="rule:place")], default_source_id=None)
    copied = review.merge(ws, user=REVIEWER, incident_id=ids["other"], into_id=ids["ariha"],
                          comment="same strike").claims_copied
    target = get_incident(ws.db, ids["ariha"])
    assert target is not None
    carried = [c for c in target.claims if c.note.startswith(f"merged from #{ids['other']}")]
    assert len(carried) == copied == 5  # type, 9 killed (replaced), 10 killed, Ariha, سكني
    state = {(str(c.field), str(c.value if not isinstance(c.value, dict) else c.value["count_min"])):
             (c.current, c.superseded_by) for c in carried}
    # Replaced before the merge: still replaced, by the person who replaced it.
    assert state[("victims", "9")] == (False, DOCUMENTER.username)
    # Stating something the target does not hold: kept, but not current there; the merge says who.
    assert state[("location", "سكني")] == (False, REVIEWER.username)
    assert state[("victims", "10")] == (False, REVIEWER.username)  # the target still says 9
    # Agreeing with the target: current, one more source for the same value.
    assert state[("location", "Ariha")] == (True, "")
    assert state[("event_type", "air-drone-strike")] == (True, "")
    merged_note = next(c.superseded_note for c in carried if c.value == "سكني")
    assert f"#{ids['ariha']} keeps its own value" in merged_note and "same strike" in merged_note
    # The target's values are what count, untouched by the merge.
    assert target.location is not None and target.location.name == "Ariha"
    assert [(v.count_min, v.count_max) for v in target.victims] == [(9, 9)]


def test_the_staff_view_and_the_viewer_view_of_a_replaced_claim(ws: Workspace, ids: dict[str, int]) -> None:
    review.update_incident(ws, user=DOCUMENTER, incident_id=ids["ariha"], changes=IncidentChanges(victims=TEN),
                           comment="ten names")
    view = rec.get_incident_view(ws, user=REVIEWER, incident_id=ids["ariha"])
    victims = view.claims_by_field["victims"]
    assert {(c.current, c.superseded_by) for c in victims} == {(False, DOCUMENTER.username), (True, "")}


def test_machine_only_is_judged_on_current_claims(ws: Workspace, ids: dict[str, int]) -> None:
    """After a person's correction the field is a person's: a later change needs no comment once accepted."""
    review.accept_with_edit(ws, user=DOCUMENTER, incident_id=ids["ariha"], changes=IncidentChanges(victims=TEN),
                            comment="ten names")
    eleven = [VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=11, count_max=11)]
    assert review.update_incident(ws, user=REVIEWER, incident_id=ids["ariha"],
                                  changes=IncidentChanges(victims=eleven), comment="") == ["victims"]


def test_the_cli_shows_replaced_claims_apart(ws: Workspace, ids: dict[str, int]) -> None:
    import json

    from click.testing import CliRunner

    from tawthiq.cli import cli

    review.update_incident(ws, user=DOCUMENTER, incident_id=ids["ariha"], changes=IncidentChanges(victims=TEN),
                           comment="ten names")
    env = {"TAWTHIQ_DATABASE_URL": ws.settings.database_url, "TAWTHIQ_DATA_DIR": str(ws.settings.data_dir)}
    shown = CliRunner().invoke(cli, ["incidents", "show", str(ids["ariha"])], env=env)
    assert shown.exit_code == 0, shown.output
    current, _, replaced = shown.output.partition("replaced claims (kept for the record, not current):")
    assert '"count_min": 10' in current and '"count_min": 9' not in current
    assert '"count_min": 9' in replaced and f"replaced by {DOCUMENTER.username} at " in replaced
    assert replaced.rstrip().endswith(": ten names")
    as_json = CliRunner().invoke(cli, ["incidents", "show", str(ids["ariha"]), "--format", "json"], env=env)
    claims = [c for c in json.loads(as_json.output)["claims"] if c["field"] == "victims"]
    assert {(c["value"]["count_min"], c["current"], c["superseded_by"]) for c in claims} == {
        (9, False, DOCUMENTER.username), (10, True, None)}


def test_only_claims_that_no_longer_state_the_record_are_replaced(ws: Workspace, db: Database) -> None:
    text = "Warplanes struck Ariha, killing nine civilians and injuring at least 14; a killing of protected people."
    incident = _incident(text, "Ariha")
    incident.violations = ["killing"]
    incident.victims.append(VictimGroup(outcome=VictimOutcome.INJURED, kind=VictimKind.CIVILIAN, count_min=14))
    start = text.index("injuring at least 14")
    incident.claims += [
        Claim(field=ClaimField.VICTIMS, value={"outcome": "injured", "kind": "civilian", "count_min": 14,
                                               "count_max": None},
              span=Span.of(text, start, start + 20), method="rule:victims"),
        Claim(field=ClaimField.VIOLATION, value="killing", span=Span.of(text, 0, 9), method="rule:violation"),
    ]
    _, _, [iid] = repository.add_source_with_incidents(
        db, Source(kind=SourceKind.TEXT, sha256="e" * 64, text=text), [incident])
    groups = [*TEN, VictimGroup(outcome=VictimOutcome.INJURED, kind=VictimKind.CIVILIAN, count_min=14)]
    review.update_incident(ws, user=DOCUMENTER, incident_id=iid, comment="ten killed; one more violation",
                           changes=IncidentChanges(victims=groups, violations=["killing", "indiscriminate-attack"]))
    after = get_incident(ws.db, iid)
    assert after is not None
    def key(c: Claim) -> tuple[str, str]:  # JSONB does not keep a dict's key order: name the parts
        return str(c.field), (f"{c.value['outcome']} {c.value['count_min']}" if isinstance(c.value, dict)
                              else str(c.value))

    machine = {key(c): c.current for c in after.claims if c.method.startswith("rule:")}
    assert machine[("victims", "killed 9")] is False
    # The injured count and the kept violation are still what the record says: current, beside the person's.
    assert machine[("victims", "injured 14")] is True
    assert machine[("violation", "killing")] is True
    assert {c.value for c in after.claims if c.field is ClaimField.VIOLATION and c.current} == {
        "killing", "indiscriminate-attack"}


def test_a_corrected_value_drops_the_wording_it_no_longer_states(ws: Workspace, ids: dict[str, int]) -> None:
    nine = VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=9, count_max=9,
                       text="nine civilians")
    injured = VictimGroup(outcome=VictimOutcome.INJURED, kind=VictimKind.CIVILIAN, count_min=14, text="14 others")
    review.update_incident(ws, user=REVIEWER, incident_id=ids["ariha"], comment="as reported",
                           changes=IncidentChanges(victims=[nine, injured],
                                                   date=IncidentDate(edtf="2019-05-12", text="12 May 2019")))
    # The form sends each row's wording back with the corrected numbers and date.
    ten = VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=10, count_max=10,
                      text="nine civilians")
    review.update_incident(ws, user=REVIEWER, incident_id=ids["ariha"], comment="the list has ten names",
                           changes=IncidentChanges(victims=[ten, injured],
                                                   date=IncidentDate(edtf="2019-05-13", text="12 May 2019")))
    incident = get_incident(ws.db, ids["ariha"])
    assert incident is not None and incident.date is not None
    assert [(v.count_min, v.text) for v in incident.victims] == [(10, ""), (14, "14 others")]
    assert (incident.date.edtf, incident.date.text) == ("2019-05-13", "")
