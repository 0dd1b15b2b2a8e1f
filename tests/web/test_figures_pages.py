"""Figures as pages show them (issue 9 A.2, A.3): victims per outcome, never added together; an unknown
number said so; replaced claims shown apart; map, timeline and dashboard counting reviewed incidents."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest
from sqlalchemy import select

from tawthiq.domain.enums import Confidentiality, IncidentStatus, LocationPrecision, VictimKind, VictimOutcome
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location, VictimGroup
from tawthiq.services import Workspace, review
from tawthiq.services.ingest import ingest_files
from tawthiq.services.review import IncidentChanges
from tawthiq.store import repository
from tawthiq.store.incidents import get_incident
from tawthiq.store.tables import incidents

from _client import signed_in
from _record_helpers import SAMPLES, text_of
from _users import DOCUMENTER

ARIHA = SAMPLES / "01-ariha-air-strike.en.txt"


@pytest.fixture
def ariha(ws: Workspace) -> int:
    """The Ariha suggestion: 6 civilians killed and at least 14 injured."""
    (result,) = ingest_files(ws, [ARIHA])
    with ws.db.session() as session:  # type: ignore[attr-defined]
        ids = list(session.scalars(select(incidents.c.id).where(incidents.c.source_id.in_(result.source_ids))))
    for incident_id in ids:
        incident = get_incident(ws.db, incident_id)
        if incident is not None and {str(v.outcome) for v in incident.victims} == {"killed", "injured"}:
            return incident_id
    raise AssertionError("no Ariha suggestion with killed and injured groups")


def _add(ws: Workspace, *, victims: list[VictimGroup], status: IncidentStatus = IncidentStatus.CONFIRMED,
         actor: str = "russia", place: str = "Ariha") -> int:
    return repository.add_incident(ws.db, Incident(  # type: ignore[arg-type]
        event_type="air-drone-strike", status=status, confidentiality=Confidentiality.PUBLIC,
        involvements=[Involvement(actor=actor)], victims=victims, description=f"figures test in {place}",
        date=IncidentDate(edtf="2019-05-12"),
        location=Location(name=place, text=place, admin1="Idlib", lat=35.81, lon=36.61,
                          precision=LocationPrecision.TOWN)))


def _row(page: str, incident_id: int) -> str:
    match = re.search(rf'<tr[^>]*data-incident-id="{incident_id}".*?</tr>', page, re.S)
    if match is None:
        match = re.search(rf'<tr(?:(?!</tr>).)*?/(?:incidents|review)/{incident_id}"(?:(?!</tr>).)*</tr>', page, re.S)
    assert match, f"no row for #{incident_id}"
    return " ".join(text_of(match.group(0)).split())


def test_list_and_queue_give_victims_per_outcome_never_added(ws: Workspace, ariha: int) -> None:
    client = signed_in(ws, "nour", "documenter")
    for path in ("/incidents", "/review"):
        row = _row(client.get(path).text, ariha)
        assert "killed 6" in row and "injured ≥ 14" in row, (path, row)
        assert "≥ 20" not in row, (path, row)
    arabic = signed_in(ws, "huda", "documenter", lang="ar")
    row = _row(arabic.get("/incidents").text, ariha)
    # In right-to-left text "≥" would be drawn mirrored (as "≤"): Arabic says "at least" in words.
    assert "(العدد: 6)" in row and "14 على الأقل" in row and "(العدد: 20" not in row
    assert "≥" not in row and "≤" not in row


def test_a_group_without_a_count_is_an_unknown_number_never_at_least_zero(ws: Workspace) -> None:
    incident_id = _add(ws, victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.COMBATANT)])
    client = signed_in(ws, "nour", "documenter")
    pages = {"list": _row(client.get("/incidents").text, incident_id),
             "incident": text_of(client.get(f"/incidents/{incident_id}").text),
             "dashboard": text_of(client.get("/dashboard").text)}
    for name, text in pages.items():
        assert "≥ 0" not in text, name
        assert "unknown number" in text, name
    api = client.get("/api/incidents", params={"q": "figures"}).json()
    [item] = [i for i in api["items"] if i["id"] == incident_id]
    assert item["victims"] == [{"outcome": "killed", "min": None, "max": None}]
    assert (item["killed_min"], item["killed_max"]) == (None, None)


def test_api_list_gives_victims_per_outcome(ws: Workspace, ariha: int) -> None:
    client = signed_in(ws, "nour", "documenter")
    items = client.get("/api/incidents").json()["items"]
    [item] = [i for i in items if i["id"] == ariha]
    assert item["victims"] == [{"outcome": "killed", "min": 6, "max": 6},
                               {"outcome": "injured", "min": 14, "max": None}]
    assert "victims_min" not in item and "victims_max" not in item
    assert (item["killed_min"], item["killed_max"]) == (6, 6)


# ------------------------------------------------------------ replaced claims


def test_replaced_claims_are_shown_apart_on_the_incident_review_and_api(ws: Workspace, ariha: int) -> None:
    ten = [VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=10, count_max=10),
           VictimGroup(outcome=VictimOutcome.INJURED, kind=VictimKind.CIVILIAN, count_min=14)]
    review.update_incident(ws, user=DOCUMENTER, incident_id=ariha, changes=IncidentChanges(victims=ten),
                           comment="CORRECTION-MARKER ten names on the list")
    client = signed_in(ws, "rana", "reviewer")
    for path in (f"/incidents/{ariha}", f"/review/{ariha}"):
        page = client.get(path).text
        victims = re.search(r'data-testid="field-victims".*?</dd>', page, re.S).group(0)
        current, _, replaced = victims.partition('data-testid="superseded-claims"')
        assert replaced, path
        # The machine's "six civilians" is only among the replaced claims, marked with who and why.
        assert "six civilians" not in current and "six civilians" in replaced, path
        assert 'data-current="false"' not in current and 'data-current="true"' not in replaced
        assert "amal" in text_of(replaced) and "CORRECTION-MARKER" in text_of(replaced)
        # The count and the machine's breakdown ("among them two children and a woman", which the
        # correction does not repeat) are replaced; the injured claim still states the record.
        assert "Replaced claims (2)" in text_of(replaced)
        assert "among them two children" in text_of(replaced) and "among them two children" not in current
        assert re.search(r'data-current="true"', current)
    detail = client.get(f"/api/incidents/{ariha}").json()
    victims = [c for c in detail["claims"] if c["field"] == "victims"]
    assert {(c["current"], c["superseded_by"]) for c in victims} == {(False, "amal"), (True, None)}
    assert all(c["superseded_note"] == "CORRECTION-MARKER ten names on the list" for c in victims if not c["current"])
    assert all(c["current"] for c in detail["claims"] if c["field"] != "victims")
    arabic = signed_in(ws, "huda", "reviewer", lang="ar").get(f"/incidents/{ariha}").text
    assert "ادعاءات مستبدلة (2)" in text_of(arabic)


# ----------------------------------------------- reviewed incidents by default


@pytest.fixture
def mixed(ws: Workspace) -> dict[str, int]:
    """A reviewed civilian incident and an unreviewed suggestion of 180–200 combatants killed."""
    return {
        "reviewed": _add(ws, victims=[
            VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=6, count_max=6),
            VictimGroup(outcome=VictimOutcome.INJURED, kind=VictimKind.CIVILIAN, count_min=14)]),
        "noisy": _add(ws, status=IncidentStatus.SUGGESTED, actor="isis", place="Kobani", victims=[
            VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.COMBATANT, count_min=180, count_max=200)]),
    }


def _tile(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}" data-value="([^"]*)"', page)
    assert match, testid
    return unescape(match.group(1))


def test_dashboard_counts_reviewed_incidents_and_keeps_kinds_apart(ws: Workspace, mixed: dict[str, int]) -> None:
    client = signed_in(ws, "nour", "documenter")
    page = client.get("/dashboard").text
    assert _tile(page, "total-incidents") == "1"
    assert _tile(page, "total-killed-civilian") == "6" and _tile(page, "total-injured-civilian") == "≥ 14"
    assert "180" not in text_of(page)
    assert "reviewed incidents (confirmed or verified)" in text_of(page)
    box = re.search(r'<input type="checkbox" name="unreviewed"[^>]*>', page).group(0)
    assert "checked" not in box
    data = json.loads(unescape(re.search(r'id="dashboard-data">(.*?)</script>', page, re.S).group(1)))
    assert "victims" not in data["total"] and data["total"]["killed"] == [6, 6]

    both = client.get("/dashboard", params={"unreviewed": "1"}).text
    assert _tile(both, "total-incidents") == "2"
    # Civilians stay 6; the combatants are beside them, never added in.
    assert _tile(both, "total-killed-civilian") == "6"
    others = re.search(r'data-testid="total-killed-others".*?</span></li>', both, re.S).group(0)
    assert 'data-kind="combatant" data-value="180–200"' in others
    # The tables by dimension say that their killed column holds every kind.
    assert "Killed (all victim kinds)" in text_of(both)
    assert re.search(r'<input type="checkbox" name="unreviewed"[^>]*checked', both)
    assert "unreviewed machine suggestions" in text_of(both)
    outcome = re.search(r'data-testid="table-outcome".*?</table>', both, re.S).group(0)
    assert re.search(r'data-key="killed" data-incidents="2" data-civilian="6" data-combatant="180–200"', outcome)
    arabic = signed_in(ws, "huda", "documenter", lang="ar").get("/dashboard", params={"unreviewed": "1"}).text
    assert "تضمين الاقتراحات غير المُراجَعة" in arabic and "مدنيون قُتلوا" in arabic


def test_map_and_timeline_count_reviewed_incidents_unless_asked(ws: Workspace, mixed: dict[str, int]) -> None:
    client = signed_in(ws, "nour", "documenter")
    ids = {f["properties"]["id"] for f in client.get("/map/features.geojson").json()["features"]}
    assert ids == {mixed["reviewed"]}
    ids = {f["properties"]["id"] for f in client.get("/map/features.geojson", params={"unreviewed": "1"}).json()[
        "features"]}
    assert ids == {mixed["reviewed"], mixed["noisy"]}
    for path in ("/map", "/timeline"):
        page = client.get(path).text
        assert "reviewed incidents (confirmed or verified)" in text_of(page), path
        assert 'name="unreviewed"' in page, path
    timeline = client.get("/timeline").text
    assert f"/incidents/{mixed['noisy']}" not in timeline and f"/incidents/{mixed['reviewed']}" in timeline
    assert f"/incidents/{mixed['noisy']}" in client.get("/timeline", params={"unreviewed": "1"}).text


def test_dashboard_rows_open_the_same_incidents_in_the_list(ws: Workspace, mixed: dict[str, int]) -> None:
    client = signed_in(ws, "nour", "documenter")
    page = client.get("/dashboard").text
    href = unescape(re.search(r'<a href="(/incidents\?[^"]*perpetrator=isis[^"]*)"', client.get(
        "/dashboard", params={"unreviewed": "1"}).text).group(1))
    assert "status" not in href  # with suggestions included, the list's default (every status) matches
    russia = unescape(re.search(r'<a href="(/incidents\?[^"]*perpetrator=russia[^"]*)"', page).group(1))
    assert "status=reviewed" in russia
    listed = client.get(russia).text
    assert f'/incidents/{mixed["reviewed"]}"' in listed and f'/incidents/{mixed["noisy"]}"' not in listed
    assert "reviewed (confirmed or verified)" in listed  # the status select shows the filter it applies
    assert client.get("/api/incidents", params={"status": "reviewed"}).json()["total"] == 1



def test_the_dashboard_counts_an_event_once_however_many_reports_tell_it(ws: Workspace) -> None:
    from tawthiq.services import linking
    from tawthiq.store.queries import clear_cache

    killed = VictimOutcome.KILLED
    a = _add(ws, victims=[VictimGroup(outcome=killed, kind=VictimKind.CIVILIAN, count_min=5, count_max=5)])
    b = _add(ws, victims=[VictimGroup(outcome=killed, kind=VictimKind.CIVILIAN, count_min=7, count_max=7)])
    client = signed_in(ws, "nour", "documenter")
    page = client.get("/dashboard").text
    assert _tile(page, "total-incidents") == "2" and _tile(page, "total-killed-civilian") == "12"
    linking.decide(ws, user=None, actor="cli:test", a=a, b=b, verdict="same", comment="one strike, two reports")
    clear_cache()  # the dashboard may serve a figure a few seconds old after a write
    page = client.get("/dashboard").text
    # One event; its dead are the range its two sources give (5–7), not their sum.
    assert _tile(page, "total-incidents") == "1" and _tile(page, "total-killed-civilian") == "5–7"
    assert "counts once however many reports tell it" in text_of(page)
