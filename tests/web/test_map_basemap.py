"""The map's basemap, legend, popup data and governorate-only counts, and the timeline's scale, through the app.

What is checked: the shipped basemap names the neighbours, governorates and towns in both
languages; the features carry what a popup shows (type, perpetrators, victims per outcome as a
range, status, date) and a viewer's carry nothing of a restricted incident; the legend is the
filter's event types in its order and words; governorate-only incidents are counted apart; the
timeline with one result keeps a dated axis padded around it.
"""
from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from _client import client_for, signed_in, with_users
from _map_helpers import killed, mapped_incident

from tawthiq.domain.enums import (
    Confidentiality,
    LocationPrecision,
    VictimOutcome,
)
from tawthiq.services import Workspace
from tawthiq.web.timeline_svg import month_names

P = LocationPrecision
BASEMAP = Path(__file__).resolve().parents[2] / "src/tawthiq/web/static/geo/basemap.geojson"
MARKER = "SECRET-MARKER-7731"


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    return with_users(ws, doc="documenter", viewer="viewer")


def props(client, **params: str) -> dict[int, dict]:  # type: ignore[no-untyped-def]
    response = client.get("/map/features.geojson", params=params)
    assert response.status_code == 200, response.text
    return {f["properties"]["id"]: f["properties"] for f in json.loads(response.content)["features"]}


# ------------------------------------------------------------------ basemap


def test_basemap_names_neighbours_governorates_and_towns_in_both_languages(ws: Workspace) -> None:
    response = client_for(ws).get("/static/geo/basemap.geojson")
    assert response.status_code == 200
    assert len(response.content) < 400_000  # small enough to ship and to load on a slow line
    data = json.loads(response.content)
    by_layer: dict[str, list[dict]] = {}
    for f in data["features"]:
        by_layer.setdefault(f["properties"]["layer"], []).append(f["properties"])
    countries = {p["iso"]: (p["name_en"], p["name_ar"]) for p in by_layer["country"]}
    for iso, en, ar in (("TUR", "Turkey", "تركيا"), ("IRQ", "Iraq", "العراق"), ("JOR", "Jordan", "الأردن"),
                        ("LBN", "Lebanon", "لبنان"), ("ISR", "Israel", "إسرائيل"), ("PSX", "Palestine", "فلسطين"),
                        ("CYP", "Cyprus", "قبرص")):
        assert countries[iso] == (en, ar)
    govs = {p["pcode"]: p for p in by_layer["governorate"]}
    assert len(govs) == 14 and govs["SY02"]["name_en"] == "Aleppo" and govs["SY02"]["name_ar"] == "حلب"
    assert all(p["label"] and re.search(r"[\u0600-\u06FF]", p["name_ar"]) for p in govs.values())
    towns = {p["name_en"]: p for p in by_layer["town"]}
    assert towns["Damascus"]["name_ar"] == "دمشق" and towns["Damascus"]["rank"] == 1
    assert towns["Latakia"]["name_ar"] == "اللاذقية"
    assert len(by_layer["border"]) == 1
    assert "Natural Earth" in data["attribution"]


# --------------------------------------------------------------- popup data


def test_features_carry_the_popup_fields(ws: Workspace) -> None:
    town = mapped_incident(ws, place="Aleppo", governorate="Aleppo", precision=P.TOWN, edtf="2016-09-23",
               victims=[killed(3, 5), killed(12, None, VictimOutcome.INJURED)])
    p = props(signed_in(ws, "doc"))[town]
    assert p["event_label_en"] and p["event_label_ar"] and p["status"] == "confirmed"
    assert p["date_edtf"] == "2016-09-23"
    assert p["perpetrators_en"] == ["Russian forces"] and re.search(r"[\u0600-\u06FF]", p["perpetrators_ar"][0])
    # Per outcome, never added: 3 to 5 killed; at least 12 injured (no upper bound).
    assert p["victims"] == [{"outcome": "killed", "min": 3, "max": 5}, {"outcome": "injured", "min": 12, "max": None}]


def test_popup_texts_are_in_the_page_language(ws: Workspace) -> None:
    for lang, words in (("en", ("Perpetrator", "between {min} and {max}", "confirmed")),
                        ("ar", ("الجهة المسؤولة", "بين {min} و{max}", "مؤكَّدة"))):
        page = signed_in(ws, "doc", lang=lang).get("/map").text
        block = re.search(r'<script type="application/json" id="map-texts">(.*?)</script>', page, re.DOTALL)
        assert block, "the map's texts are missing"
        texts = json.loads(unescape(block.group(1)))
        assert texts["perpetrator"] == words[0] and texts["victims_range"].endswith(words[1])
        assert texts["status_label"]["confirmed"] == words[2]


def test_a_viewer_gets_no_restricted_popup_data(ws: Workspace) -> None:
    public = mapped_incident(ws, place="Aleppo", governorate="Aleppo", precision=P.TOWN, edtf="2016-09-23")
    secret = mapped_incident(ws, place=MARKER, governorate="Idlib", precision=P.TOWN, edtf="2019-05-02",
                 actor="hts", conf=Confidentiality.RESTRICTED, victims=[killed(77, 77)])
    viewer = signed_in(ws, "viewer")
    body = viewer.get("/map/features.geojson").text
    assert MARKER not in body and "77" not in re.sub(r'"id":\d+', "", body)
    assert set(props(viewer)) == {public}
    assert MARKER not in viewer.get("/map").text
    assert secret in props(signed_in(ws, "doc"))


# --------------------------------------------------- governorate-only counts


def test_governorate_only_incidents_are_counted_apart(ws: Workspace) -> None:
    one = mapped_incident(ws, place="Rif Dimashq", governorate="Rif Dimashq", precision=P.GOVERNORATE, edtf="2018-02-01",
              lat=33.4, lon=36.6, event="arrests")
    town = mapped_incident(ws, place="Douma", governorate="Rif Dimashq", precision=P.TOWN, edtf="2018-02-03", lat=33.57,
               lon=36.4)
    p = props(signed_in(ws, "doc"))
    assert p[one]["shape"] == "governorate" and p[one]["pcode"] == "SY03"
    assert p[town]["shape"] == "point"
    # The page explains the hatched outline instead of a shade, and its legend has that entry.
    page = signed_in(ws, "doc").get("/map").text
    assert 'data-testid="legend-gov"' in page and "hatched" in page and "shaded governorates" not in page


# ----------------------------------------------------------------- legend


def test_legend_is_the_filters_event_types_in_order(ws: Workspace) -> None:
    mapped_incident(ws, place="Aleppo", governorate="Aleppo", precision=P.TOWN, edtf="2016-09-23", event="air-drone-strike")
    mapped_incident(ws, place="Idlib", governorate="Idlib", precision=P.TOWN, edtf="2016-09-24", event="arrests")
    mapped_incident(ws, place="Homs", governorate="Homs", precision=P.TOWN, edtf="2016-09-25", event="arrests")
    for lang in ("en", "ar"):
        page = signed_in(ws, "doc", lang=lang).get("/map").text
        select = re.search(r'<select name="event_type".*?</select>', page, re.DOTALL).group(0)
        options = [(v, unescape(label).strip()) for v, label in
                   re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select)]
        legend = re.search(r'<section id="map-legend".*?</section>', page, re.DOTALL).group(0)
        entries = [(v, unescape(label)) for v, label in
                   re.findall(r'data-value="([^"]+)".*?class="twq-legend-label">([^<]*)<', legend, re.DOTALL)]
        assert options and entries == options
        assert [v for v, _ in entries] == ["arrests", "air-drone-strike"]  # the filter's order: most first
        # Each entry narrows the map to its type; each is drawn in its group's colour.
        assert "event_type=arrests" in unescape(re.search(r'<a href="([^"]+)"', legend).group(1))
        assert "twq-g-violence-against-civilians" in legend or "twq-g-strategic-developments" in legend


# --------------------------------------------------------------- timeline


def test_timeline_with_one_result_keeps_a_padded_dated_axis(ws: Workspace) -> None:
    mapped_incident(ws, place="Aleppo", governorate="Aleppo", precision=P.TOWN, edtf="2016-09-23")
    for lang in ("en", "ar"):
        page = signed_in(ws, "doc", lang=lang).get("/timeline").text
        svg = re.search(r"<svg class=\"timeline-svg\".*?</svg>", page, re.DOTALL).group(0)
        start = date.fromisoformat(re.search(r'data-start="([\d-]+)"', svg).group(1))
        end = date.fromisoformat(re.search(r'data-end="([\d-]+)"', svg).group(1))
        assert start < date(2016, 4, 1) and end > date(2017, 2, 1)  # padded about half a year each side
        labels = re.findall(r'<text class="tl-label"[^>]*>([^<]+)</text>', svg)
        # Months named in the page's language ("Sep 2016", "أيلول 2016"), every label dated.
        names = month_names(lang)
        assert len(labels) >= 4 and all(lbl.rsplit(" ", 1)[0] in names and lbl[-4:].isdigit() for lbl in labels)
        assert f"{names[8]} 2016" in labels or f"{names[9]} 2016" in labels, labels
        mark = re.search(r'data-testid="timeline-mark".*?width="([\d.]+)" height="([\d.]+)"', svg, re.DOTALL)
        assert float(mark.group(1)) >= 10 and float(mark.group(2)) >= 14  # big enough to click
        assert 'data-testid="timeline-tools"' in page and "/static/js/timeline.js" in page
        assert f'data-dir="{"rtl" if lang == "ar" else "ltr"}"' in svg
