"""Search that follows the place hierarchy, multi-choice facets with chips, and marked hits (issue 12 G)."""
from __future__ import annotations

import re
from html import unescape

import pytest
from _client import form_token, signed_in, with_users

from tawthiq.domain.enums import Confidentiality, IncidentStatus
from tawthiq.domain.model import Incident, Involvement, Location
from tawthiq.services import Workspace
from tawthiq.store import repository


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    return with_users(ws, doc="documenter", viewer="viewer")


def row_ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'data-testid="result-row" data-incident-id="(\d+)"', html)}


def add(ws: Workspace, **fields: object) -> int:
    values: dict[str, object] = {"event_type": "air-drone-strike", "status": IncidentStatus.CONFIRMED,
                                 "confidentiality": Confidentiality.PUBLIC}
    values.update(fields)
    return repository.add_incident(ws.db, Incident(**values))  # type: ignore[arg-type]


@pytest.fixture
def places(ws: Workspace) -> dict[str, int]:
    """Incidents inside Raqqa governorate placed at every level, spelled every way; one in Aleppo."""
    return {
        "city": add(ws, location=Location(name="Raqqa", name_ar="الرقة", text="الرقّة", admin1="Raqqa",
                                          admin2="Ar-Raqqah", admin3="Ar-Raqqa", place_id="gn:172955"),
                    involvements=[Involvement(actor="coalition")], description="قصف على فرن في الرقّة"),
        # A town: its words never say "Raqqa".
        "tabqa": add(ws, location=Location(name="Tabqa", name_ar="الطبقة", text="Tabqa", admin1="Raqqa",
                                           admin2="Al-Thawrah", place_id="gn:172374"),
                     event_type="shelling-artillery-missile-attack", involvements=[Involvement(actor="russia")],
                     description="Shelling of the dam road"),
        # Placed by gazetteer id only (a hand entry without admin names).
        "ain_issa": add(ws, location=Location(name="Ein Issa", text="Ein Issa",
                                              place_id="sy-raqqa-tell-abyad-ein-issa"),
                        involvements=[Involvement(actor="syrian-government")], description="Camp raid"),
        # An older import spelling the governorate its own way, no id.
        "legacy": add(ws, location=Location(name="Hazima", text="Hazima", admin1="Ar-Raqqa"),
                      description="Mortar fire on a farm", confidentiality=Confidentiality.CONFIDENTIAL),
        "aleppo": add(ws, location=Location(name="Aleppo", name_ar="حلب", text="Aleppo", admin1="Aleppo",
                                            place_id="gn:170063"),
                      involvements=[Involvement(actor="russia")], description="Strike on a <b>market</b>"),
    }


RAQQA = {"city", "tabqa", "ain_issa", "legacy"}


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "الرقة"}, RAQQA),
    ({"q": "Raqqa"}, RAQQA),
    ({"q": "ar-Raqqah"}, RAQQA),
    ({"q": "الرقّه"}, RAQQA),  # shadda and taa marbuta written as haa
    ({"q": "Tabqa"}, {"tabqa"}),
    ({"q": "الطبقة"}, {"tabqa"}),
    ({"q": "shelling Raqqa"}, {"tabqa"}),  # the other words must still match
    ({"q": "فرن الرقة"}, {"city"}),
    ({"q": "market"}, {"aleppo"}),
    ({"place": "الرقة"}, RAQQA),
    ({"place": "Raqqa"}, RAQQA),
    ({"place": "Tabqa"}, {"tabqa"}),
    ({"governorate": "Raqqa"}, RAQQA),
    ({"governorate": "Ar-Raqqa"}, RAQQA),
    ({"governorate": ["Raqqa", "Aleppo"]}, RAQQA | {"aleppo"}),
])
def test_places_follow_the_hierarchy_in_both_languages(ws: Workspace, places: dict[str, int],
                                                       params: dict[str, object], expected: set[str]) -> None:
    page = signed_in(ws, "doc").get("/incidents", params=params)
    assert page.status_code == 200
    assert row_ids(page.text) == {places[k] for k in expected}


def test_a_viewer_finds_only_what_they_may_see(ws: Workspace, places: dict[str, int]) -> None:
    page = signed_in(ws, "viewer").get("/incidents", params={"q": "الرقة"})
    assert row_ids(page.text) == {places[k] for k in RAQQA - {"legacy"}}
    assert "Mortar fire" not in page.text and "Hazima" not in page.text


def test_the_api_follows_the_hierarchy_and_takes_repeated_values(ws: Workspace, places: dict[str, int]) -> None:
    doc = signed_in(ws, "doc")
    found = doc.get("/api/incidents", params={"q": "الرقة"}).json()
    assert {i["id"] for i in found["items"]} == {places[k] for k in RAQQA}
    both = doc.get("/api/incidents", params=[("perpetrator", "russia"), ("perpetrator", "syrian-government")])
    assert {i["id"] for i in both.json()["items"]} == {places[k] for k in ("tabqa", "ain_issa", "aleppo")}
    schema = doc.get("/api/openapi.json").json()
    listed = {p["name"]: p for p in schema["paths"]["/api/incidents"]["get"]["parameters"]}
    assert "array" in str(listed["perpetrator"]["schema"]) and "array" not in str(listed["place"]["schema"])


def test_multi_choice_facets_and_chips(ws: Workspace, places: dict[str, int]) -> None:
    doc = signed_in(ws, "doc")
    page = doc.get("/incidents?perpetrator=russia&perpetrator=syrian-government&q=Raqqa")
    assert row_ids(page.text) == {places["tabqa"], places["ain_issa"]}
    facet = re.search(r'data-testid="facet-perpetrator".*?</fieldset>', page.text, re.DOTALL).group(0)
    assert len(re.findall(r'type="checkbox" name="perpetrator" value="(russia|syrian-government)"[^>]*checked', facet)) == 2
    chips = re.findall(r'data-testid="chip" data-filter="(\w+)".*?href="([^"]+)"', page.text, re.DOTALL)
    assert [name for name, _ in chips].count("perpetrator") == 2 and ("q" in [name for name, _ in chips])
    # Each chip's link drops that one value and keeps the rest.
    hrefs = {unescape(href) for name, href in chips if name == "perpetrator"}
    after = {frozenset(row_ids(doc.get(href).text)) for href in hrefs}
    assert after == {frozenset({places["tabqa"]}), frozenset({places["ain_issa"]})}
    words = unescape(next(href for name, href in chips if name == "q"))
    assert "q=" not in words and "perpetrator=russia" in words
    # A bad value among good ones: a one-line error, never a 500.
    bad = doc.get("/incidents?status=confirmed&status=gone")
    assert bad.status_code == 400 and "has no choice “gone”" in unescape(bad.text) and "Traceback" not in bad.text


def test_hits_are_marked_and_escaped_in_both_languages(ws: Workspace, places: dict[str, int]) -> None:
    doc = signed_in(ws, "doc")
    page = doc.get("/incidents", params={"q": "market"}).text
    row = re.search(rf'data-incident-id="{places["aleppo"]}".*?</tr>', page, re.DOTALL).group(0)
    assert '&lt;b&gt;<mark class="hit" data-testid="hit">market</mark>&lt;/b&gt;' in row
    doc.post("/language", data={"lang": "ar", "next": "/incidents", "csrf_token": form_token(page)})
    arabic = doc.get("/incidents", params={"q": "الرقه"}).text
    row = re.search(rf'data-incident-id="{places["city"]}".*?</tr>', arabic, re.DOTALL).group(0)
    assert '<mark class="hit" data-testid="hit">الرقة</mark>' in row  # the place, in Arabic
    assert '<mark class="hit" data-testid="hit">الرقّة</mark>' in row  # the description, as written
    assert 'aria-label="إزالة عامل التصفية هذا' in arabic
