"""The timeline page's JSON block (the incidents timeline.js redraws a narrower range from): what it holds,
for whom, in which digits, and when it says the server must be asked instead."""
from __future__ import annotations

import json
import re
from typing import Any

import pytest
from _client import signed_in, with_users
from fastapi.testclient import TestClient

from tawthiq.domain.enums import Confidentiality, DatePrecision, IncidentStatus, LocationPrecision
from tawthiq.domain.judgements import Judgement, Subject, Verdict
from tawthiq.domain.model import Incident, IncidentDate, Location
from tawthiq.services import Workspace
from tawthiq.store import judgements, repository
from tawthiq.web.digits import DIGITS_COOKIE

MARKER = "RESTRICTED-PLACE-7731"
HOSTILE = "</script><script>alert(1)</script>"


def _add(ws: Workspace, edtf: str, *, place: str = "Aleppo", precision: DatePrecision = DatePrecision.DAY,
         conf: Confidentiality = Confidentiality.PUBLIC) -> int:
    return repository.add_incident(ws.db, Incident(  # type: ignore[arg-type]
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=conf,
        date=IncidentDate(edtf=edtf, text=edtf, precision=precision),
        location=Location(name=place, name_ar=place, text=place, admin1="Aleppo", lat=36.2, lon=37.1,
                          precision=LocationPrecision.TOWN),
        description=f"Incident in {place}"))


@pytest.fixture
def ids(ws: Workspace) -> dict[str, int]:
    with_users(ws, doc="documenter", vera="viewer")
    found = {
        "day": _add(ws, "2016-09-23"),
        "month": _add(ws, "2018-02", precision=DatePrecision.MONTH),
        "hostile": _add(ws, "2019-05-02", place=HOSTILE),
        "restricted": _add(ws, "2019-06-01", place=MARKER, conf=Confidentiality.RESTRICTED),
        "cluster_day": _add(ws, "2021-03-05", place="Idlib"),
        "cluster_year": _add(ws, "2021", place="Idlib", precision=DatePrecision.YEAR),
    }
    judgements.record(ws.db, Judgement(subject=Subject.INCIDENT, left_id=found["cluster_day"],
                                       right_id=found["cluster_year"], verdict=Verdict.SAME, actor="doc",
                                       by_person=True))
    return found


def _data(client: TestClient, **params: str) -> tuple[dict[str, Any], str]:
    page = client.get("/timeline", params=params)
    assert page.status_code == 200, page.text
    block = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', page.text, re.S)
    assert block, "no timeline data on the page"
    return json.loads(block.group(1)), page.text


def test_the_page_carries_its_incidents_and_the_range_it_was_read_with(ws: Workspace, ids: dict[str, int]) -> None:
    client = signed_in(ws, "doc")
    data, page = _data(client)
    rows = {int(i) for i in re.findall(r'data-testid="timeline-row" data-incident-id="(\d+)"', page)}
    by_id = {row[0]: row for row in data["items"]}
    assert set(by_id) == rows and ids["restricted"] in rows and ids["cluster_year"] not in rows
    assert data["complete"] is True and data["from"] == "" and data["to"] == ""
    assert by_id[ids["day"]][1:4] == ["2016-09-23", "2016-09-23", "explosions-remote-violence"]
    assert by_id[ids["month"]][1:3] == ["2018-02-01", "2018-02-28"]
    assert by_id[ids["day"]][4] == "Air/drone strike · Aleppo · 23 September 2016"
    # The cluster is drawn through its member dated to the day; it carries the whole cluster's days.
    assert by_id[ids["cluster_day"]][5:] == ["2021-01-01", "2021-12-31"] and len(by_id[ids["day"]]) == 5
    assert data["texts"]["count"] == "Dated incidents: {n}." and data["texts"]["empty"]
    # Report text is data: escaped inside the script, never able to close it.
    assert HOSTILE not in page and by_id[ids["hostile"]][4].startswith("Air/drone strike · " + HOSTILE)

    narrowed, _ = _data(client, date_from="2016-01-01", date_to="2018-12-31")
    assert narrowed["from"] == "2016-01-01" and narrowed["to"] == "2018-12-31"
    assert {row[0] for row in narrowed["items"]} == {ids["day"], ids["month"]}


def test_a_viewer_gets_only_public_incidents_in_the_data_too(ws: Workspace, ids: dict[str, int]) -> None:
    data, page = _data(signed_in(ws, "vera"))
    assert MARKER not in page and ids["restricted"] not in {row[0] for row in data["items"]}
    assert ids["day"] in {row[0] for row in data["items"]}


def test_arabic_texts_and_tooltips_in_the_chosen_digits_days_in_ascii(ws: Workspace, ids: dict[str, int]) -> None:
    client = signed_in(ws, "doc", lang="ar")
    data, _ = _data(client)
    tip = next(row[4] for row in data["items"] if row[0] == ids["day"])
    assert "23 أيلول 2016" in tip and data["texts"]["count"] == "عدد الحوادث المؤرخة: {n}."
    client.cookies.set(DIGITS_COOKIE, "arab")
    data, _ = _data(client)
    row = next(row for row in data["items"] if row[0] == ids["day"])
    assert "٢٣ أيلول ٢٠١٦" in row[4] and row[1] == "2016-09-23"  # tooltips as the page writes them
    assert data["texts"]["count"] == "عدد الحوادث المؤرخة: {n}."  # the script fills the figure in


def test_a_truncated_timeline_says_it_is_not_complete(ws: Workspace, ids: dict[str, int],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from tawthiq.web.routes import visuals

    monkeypatch.setattr(visuals, "TIMELINE_LIMIT", 2)
    data, _ = _data(signed_in(ws, "doc"))
    assert data["complete"] is False and len(data["items"]) == 2


def test_an_empty_selection_has_no_data_and_no_tools(ws: Workspace, ids: dict[str, int]) -> None:
    page = signed_in(ws, "doc").get("/timeline", params={"date_from": "1990-01-01", "date_to": "1990-12-31"})
    assert 'data-testid="timeline-empty"' in page.text and 'id="timeline-data"' not in page.text
    assert 'data-testid="timeline-tools"' not in page.text
