"""The web export for an audience (``/incidents/export?profile=…``) and the approval of one beyond a role.

A documenter asking for the court profile is refused, in their language; once a reviewer approved it (POST /api/export-approvals) the
same link gives the file, confidential incidents included; a viewer's public
export carries no quote, no source and no exact place.
"""
from __future__ import annotations

import pytest
from _client import form_token, signed_in

from tawthiq.domain.enums import Confidentiality, IncidentStatus, LocationPrecision, VictimKind, VictimOutcome
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location, VictimGroup
from tawthiq.services import Workspace
from tawthiq.store.incidents import add_incident


def _incidents(ws: Workspace) -> dict[str, int]:
    made = {}
    for key, level, description in (("P", Confidentiality.PUBLIC, "Shelling of the market"),
                                    ("C", Confidentiality.CONFIDENTIAL, "Qzconfidential strike")):
        made[key] = add_incident(ws.db, Incident(
            event_type="shelling-artillery-missile-attack",
            involvements=[Involvement(actor="syrian-government", text="Qzperpmention")],
            victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=3, count_max=3)],
            location=Location(name="Qzhouse, Saraqib", admin1="Idlib", lat=35.8234567, lon=36.7198765,
                              precision=LocationPrecision.EXACT),
            date=IncidentDate(edtf="2018-03-03", text="Qzdatemention"), description=description,
            status=IncidentStatus.VERIFIED, confidentiality=level, source_id=None))
    return made


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_documenter_needs_a_reviewers_approval_for_the_court_profile(ws: Workspace, lang: str) -> None:
    _incidents(ws)
    doc = signed_in(ws, "dina", "documenter", lang=lang)
    refused = doc.get("/incidents/export?format=json&profile=court")
    assert refused.status_code == 403
    # The refusal is a page in the reader's language (the error pages say a 403 in their own words).
    assert (f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">') in refused.text
    assert "Qzconfidential" not in refused.text

    rev = signed_in(ws, "rami", "reviewer")
    token = form_token(rev.get("/").text)
    approved = rev.post("/api/export-approvals", headers={"X-CSRF-Token": token},
                        json={"username": "dina", "profile": "court", "hours": 4, "reason": "mechanism request"})
    assert approved.status_code == 201, approved.text
    assert approved.json()["approved_by"] == "rami"
    given = doc.get("/incidents/export?format=json&profile=court")
    assert given.status_code == 200 and "Qzconfidential" in given.text and "Qzperpmention" in given.text


def test_a_viewers_public_export_keeps_only_the_public_profile(ws: Workspace) -> None:
    ids = _incidents(ws)
    viewer = signed_in(ws, "vera", "viewer")
    got = viewer.get("/incidents/export?format=json&profile=public")
    assert got.status_code == 200
    rows = got.json()
    assert [r["id"] for r in rows] == [ids["P"]]
    for marker in ("Qzconfidential", "Qzperpmention", "Qzdatemention", "Qzhouse", "35.8234567"):
        assert marker not in got.text
    assert viewer.get("/incidents/export?format=json&profile=partner").status_code == 403
    assert viewer.get("/incidents/export?format=json&profile=nobody").status_code == 400
