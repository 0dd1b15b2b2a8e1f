"""Both languages name the same place (issue 12, C5), and the map speaks the page's language (C2).

A place the gazetteer does not list is stored under the known place it lies in (``loc_name``) with the
report's Arabic words as ``loc_name_ar``: English pages said "Raqqa" while Arabic ones said "المشلب".
"""
from __future__ import annotations

import json

import pytest
from _client import signed_in
from _record_helpers import text_of

from tawthiq.domain import Incident, IncidentDate, Location
from tawthiq.domain.enums import Confidentiality, DatePrecision, IncidentStatus, LocationPrecision
from tawthiq.services import Workspace
from tawthiq.services.places import place_names
from tawthiq.store import incidents as repository


def _add(ws: Workspace, *, status: IncidentStatus, location: Location, edtf: str = "2019-01-20",
         text: str = "يوم الأحد 20 كانون الثاني 2019") -> int:
    return repository.add_incident(ws.db, Incident(
        event_type="air-drone-strike", status=status, confidentiality=Confidentiality.PUBLIC,
        date=IncidentDate(edtf=edtf, text=text, precision=DatePrecision.DAY), location=location,
        description="Qzplace test"))


MASHLAB = Location(name="Raqqa", name_ar="المشلب", text="المشلب", admin1="Raqqa", lat=35.95, lon=39.01,
                   precision=LocationPrecision.NEIGHBOURHOOD)
LISTED = Location(name="Raqqa", name_ar="الرقة", text="الرقه", admin1="Raqqa", lat=35.95, lon=39.01,
                  precision=LocationPrecision.TOWN, place_id="SY-town-raqqa")


def test_an_unlisted_finer_place_is_named_by_its_resolved_place_in_both_languages() -> None:
    names = place_names(name="Raqqa", name_ar="المشلب", text="المشلب", place_id="")
    assert (names.en, names.ar, names.written) == ("Raqqa", "الرقة", "المشلب")
    # A gazetteer place keeps its own Arabic name; the report's spelling is no finer place.
    listed = place_names(name="Raqqa", name_ar="الرقة", text="الرقه", place_id="SY-town-raqqa")
    assert (listed.en, listed.ar, listed.written) == ("Raqqa", "الرقة", "")
    # A hand-typed pair is kept as typed; only the Arabic known: both languages show it.
    assert place_names(name="Kafr Uwayd", name_ar="كفر عويد", text="Kafr Uwayd").ar == "كفر عويد"
    only = place_names(name="", name_ar="المشلب", text="المشلب")
    assert (only.en, only.ar, only.written) == ("المشلب", "المشلب", "")


@pytest.mark.parametrize(("lang", "named", "written"), [
    ("en", "Raqqa (as written: المشلب)", "as written"),
    ("ar", "الرقة (كما ورد: المشلب)", "كما ورد"),
])
def test_queue_list_and_incident_name_the_same_place(ws: Workspace, lang: str, named: str, written: str) -> None:
    incident_id = _add(ws, status=IncidentStatus.SUGGESTED, location=MASHLAB)
    client = signed_in(ws, f"rev.{lang}", "reviewer", lang=lang)
    queue = text_of(client.get("/review").text)
    assert named in queue
    listing = text_of(client.get("/incidents").text)
    assert named in listing
    page = client.get(f"/incidents/{incident_id}")
    assert page.status_code == 200
    assert named in text_of(page.text)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_listed_place_shows_no_as_written_note(ws: Workspace, lang: str) -> None:
    _add(ws, status=IncidentStatus.SUGGESTED, location=LISTED)
    client = signed_in(ws, f"rev2.{lang}", "reviewer", lang=lang)
    queue = text_of(client.get("/review").text)
    assert ("Raqqa" if lang == "en" else "الرقة") in queue
    assert "as written:" not in queue and "كما ورد:" not in queue


def test_map_features_carry_both_names_of_one_place_and_dates_in_each_language(ws: Workspace) -> None:
    _add(ws, status=IncidentStatus.CONFIRMED, location=MASHLAB)
    client = signed_in(ws, "doc.map", "documenter")
    collection = json.loads(client.get("/map/features.geojson").content)
    (props,) = [f["properties"] for f in collection["features"]]
    assert (props["place_en"], props["place_ar"], props["place_written"]) == ("Raqqa", "الرقة", "المشلب")
    assert props["date_en"] == "20 January 2019"
    assert props["date_ar"] == "20 كانون الثاني 2019"
    # The report's words stay apart, for staff only (a viewer's feature has none).
    assert props["date_text"] == "يوم الأحد 20 كانون الثاني 2019"
    viewer = signed_in(ws, "vera.map", "viewer")
    (seen,) = [f["properties"] for f in json.loads(viewer.get("/map/features.geojson").content)["features"]]
    assert seen["date_text"] == "" and seen["date_en"] == "20 January 2019"


@pytest.mark.parametrize(("lang", "place", "date"), [
    ("en", "Raqqa (as written: المشلب)", "20 January 2019"),
    ("ar", "الرقة (كما ورد: المشلب)", "20 كانون الثاني 2019"),
])
def test_timeline_names_the_place_and_date_in_the_page_language(ws: Workspace, lang: str, place: str,
                                                               date: str) -> None:
    _add(ws, status=IncidentStatus.CONFIRMED, location=MASHLAB)
    client = signed_in(ws, f"doc.tl.{lang}", "documenter", lang=lang)
    page = client.get("/timeline")
    assert page.status_code == 200
    body = text_of(page.text)
    assert place in body
    assert date in body
