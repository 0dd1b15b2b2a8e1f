"""End to end in Chromium, in English and Arabic: the basemap's labels, the popups, the hatched
governorate, the mini-map, and the timeline's brush and one-result axis.

The incidents are made by hand (no ingest) so each figure the page shows is known here.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from _e2e_helpers import Site, open_as, running_site, watch
from _map_helpers import killed, mapped_incident

from tawthiq.domain.access import Role
from tawthiq.domain.enums import Confidentiality
from tawthiq.domain.enums import LocationPrecision as P

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

DOCUMENTER = "maya.documenter"
MARKER = "SECRET-PLACE-4417"
EXPECT = {
    "en": {"dir": "ltr", "turkey": "Turkey", "gov": "Aleppo", "town": "Damascus", "perp": "Perpetrator",
           "victims": "between 3 and 5", "status": "confirmed", "shown": "incidents on the map",
           "apply": "Show", "bad": "date", "date": "23 September 2016"},
    "ar": {"dir": "rtl", "turkey": "تركيا", "gov": "حلب", "town": "دمشق", "perp": "الجهة المسؤولة",
           "victims": "بين 3 و5", "status": "مؤكَّدة", "shown": "عدد الحوادث على الخريطة",
           "apply": "عرض", "bad": "date", "date": "23 أيلول 2016"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-basemap"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        running.user("vera.viewer", Role.VIEWER)
        ids = {
            "aleppo": mapped_incident(running.ws, place="Aleppo", governorate="Aleppo", precision=P.TOWN,
                                      edtf="2016-09-23", lat=36.2, lon=37.16, victims=[killed(3, 5)]),
            "rif": mapped_incident(running.ws, place="Rif Dimashq", governorate="Rif Dimashq", precision=P.GOVERNORATE,
                                   edtf="2018-02-01", lat=33.4, lon=36.6),
            "secret": mapped_incident(running.ws, place=MARKER, governorate="Idlib", precision=P.TOWN,
                                      edtf="2019-05-02", lat=35.93, lon=36.63, conf=Confidentiality.RESTRICTED),
        }
        running.ids = ids  # type: ignore[attr-defined]
        yield running


def _open(browser: Browser, site: Site, lang: str, user: str = DOCUMENTER) -> Page:
    return open_as(browser, site, user, lang=lang, viewport={"width": 1280, "height": 900})


def _visible_labels(page: Page) -> list[str]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('.twq-label .twq-label-text'))
        .filter(e => e.offsetParent !== null).map(e => e.textContent)""")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_map_labels_popup_and_hatched_governorate(browser: Browser, site: Site, lang: str) -> None:
    want = EXPECT[lang]
    page = _open(browser, site, lang)
    seen = watch(page)
    offsite: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((site.url, "data:", "blob:")) else offsite.append(r.url))
    try:
        page.goto(f"{site.url}/map")
        page.wait_for_function("() => document.getElementById('map').dataset.drawn !== undefined")
        page.wait_for_selector(".twq-label-country .twq-label-text")
        labels = _visible_labels(page)
        assert want["turkey"] in labels and want["gov"] in labels and want["town"] in labels
        assert want["shown"] in page.get_by_test_id("map-status").inner_text()
        # The legend is on the map and is the filter's list.
        assert page.locator(".leaflet-control-container #map-legend").count() == 1
        options = page.locator("#facet-event_type option").all_inner_texts()[1:]
        legend = page.locator("[data-testid=legend-type] .twq-legend-label").all_inner_texts()
        assert legend and [o.split(" (")[0].strip() for o in options] == [x.strip() for x in legend]
        # One governorate-only incident: hatched outline and a badge "1", not a dark fill.
        assert page.locator("path.twq-gov.twq-gov-imprecise").count() == 1
        badge = page.get_by_test_id("gov-badge")
        assert badge.inner_text().strip() == "1"
        fill = page.evaluate("() => getComputedStyle(document.querySelector('path.twq-gov-imprecise')).fill")
        assert "twq-hatch" in fill
        # A pin's popup: type, perpetrator, victims in words, status, date and the link.
        page.locator(".leaflet-marker-pane .twq-pin").first.click()
        popup = page.get_by_test_id("map-popup")
        text = popup.inner_text()
        assert want["perp"] in text and want["victims"] in text and want["status"] in text
        # The date in the page's words (issue 12: never the report's language).
        assert want["date"] in text and popup.get_attribute("dir") == want["dir"]
        assert popup.locator("a").get_attribute("href") == f"/incidents/{site.ids['aleppo']}"  # type: ignore[attr-defined]
        assert MARKER in page.request.get(f"{site.url}/map/features.geojson").text()  # staff see it
        assert offsite == [], offsite
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_viewer_map_never_shows_the_restricted_marker(browser: Browser, site: Site, lang: str) -> None:
    page = _open(browser, site, lang, user="vera.viewer")
    try:
        page.goto(f"{site.url}/map")
        page.wait_for_function("() => document.getElementById('map').dataset.drawn !== undefined")
        assert page.locator("#map").get_attribute("data-drawn") == "2"
        assert MARKER not in page.content()
        assert MARKER not in page.request.get(f"{site.url}/map/features.geojson").text()
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_mini_map_draws_the_basemap_and_the_governorate(browser: Browser, site: Site, lang: str) -> None:
    page = _open(browser, site, lang)
    try:
        page.goto(f"{site.url}/incidents/{site.ids['rif']}")  # type: ignore[attr-defined]
        page.wait_for_selector("[data-testid=mini-map-governorate]", state="attached", timeout=20_000)
        assert page.locator(".mini-map path.twq-country").count() >= 5
        assert page.locator(".mini-map .twq-label-text").count() > 0
        page.goto(f"{site.url}/incidents/{site.ids['aleppo']}")  # type: ignore[attr-defined]
        page.wait_for_selector("[data-testid=mini-map-spot]", state="attached", timeout=20_000)
        assert EXPECT[lang]["gov"] in _visible_labels(page)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_timeline_one_result_axis_and_brush(browser: Browser, site: Site, lang: str) -> None:
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        # One result: the axis is padded around it and still has dated ticks.
        page.goto(f"{site.url}/timeline?date_from=2016-01-01&date_to=2016-12-31")
        svg = page.get_by_test_id("timeline-svg")
        assert svg.get_attribute("data-start") < "2016-05-01" and svg.get_attribute("data-end") > "2017-01-01"
        assert page.locator("text.tl-label").count() >= 4
        mark = page.get_by_test_id("timeline-mark")
        assert mark.count() == 1 and mark.bounding_box()["width"] >= 8  # type: ignore[index]
        # The brush: drag across the whole chart, then show that range.
        page.goto(f"{site.url}/timeline")
        assert page.get_by_test_id("timeline-mark").count() == 3
        box = page.get_by_test_id("timeline-svg").bounding_box()
        assert box is not None
        y = box["y"] + 40  # over the histogram, clear of the marks (links)
        # Select from before 2016-09 to before 2018-02 in time, whichever way time runs.
        early, late = (0.98, 0.55) if lang == "ar" else (0.02, 0.45)  # in Arabic time runs right to left
        start, end = box["x"] + box["width"] * early, box["x"] + box["width"] * late
        page.mouse.move(start, y)
        page.mouse.down()
        page.mouse.move((start + end) / 2, y, steps=4)
        page.mouse.move(end, y, steps=4)
        page.mouse.up()
        bar = page.get_by_test_id("timeline-brush-bar")
        assert bar.is_visible()
        assert EXPECT[lang]["apply"] in page.get_by_test_id("timeline-brush-apply").inner_text()
        map_href = page.get_by_test_id("timeline-brush-map").get_attribute("href") or ""
        query = parse_qs(urlsplit(map_href).query)
        assert urlsplit(map_href).path == "/map" and "date_from" in query and "date_to" in query
        list_href = page.get_by_test_id("timeline-brush-list").get_attribute("href") or ""
        assert parse_qs(urlsplit(list_href).query)["date_to"] == query["date_to"]
        # Redrawn in the page (test_e2e_timeline_zoom.py checks that no page is loaded); the address follows.
        page.get_by_test_id("timeline-brush-apply").click()
        assert re.search(r"date_from=\d{4}-\d\d-\d\d", page.url)
        assert page.get_by_test_id("timeline-mark").count() == 1  # only 2016-09-23 in the chosen range
        assert page.get_by_test_id("date-from").input_value() == query["date_from"][0]
        # Zoom out from there widens the range; the whole range button clears it.
        page.get_by_test_id("timeline-zoom-out").click()
        wider = parse_qs(urlsplit(page.url).query)
        assert wider["date_from"][0] < query["date_from"][0]
        page.get_by_test_id("timeline-zoom-reset").click()
        assert page.get_by_test_id("timeline-mark").count() == 3 and "date_from" not in page.url
        # A hand-edited bad date: a one-line error in the page's language, no traceback.
        response = page.goto(f"{site.url}/timeline?date_from=not-a-date")
        assert response is not None and response.status == 400
        error = page.get_by_test_id("filter-error").inner_text()
        assert error and "Traceback" not in page.content()
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()
