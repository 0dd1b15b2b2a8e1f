"""End to end in Chromium, in English and Arabic: the timeline zooms, brushes and resets in the page when the
incidents of the range are already on it (no new document is asked for), the address follows so a reload
draws the same view on the server, and any other range is still asked of the server.

The incidents are made by hand (no ingest) so each mark the page shows is known here.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest
from _e2e_helpers import Site, open_as, running_site, watch

from tawthiq.domain.access import Role
from tawthiq.domain.enums import Confidentiality, DatePrecision, IncidentStatus, LocationPrecision
from tawthiq.domain.judgements import Judgement, Subject, Verdict
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location
from tawthiq.store import judgements, repository
from tawthiq.web.digits import DIGITS_COOKIE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request

pytestmark = pytest.mark.browser

DOCUMENTER = "lina.documenter"
# (date as EDTF, precision): an exact day, a known month, a date range, more exact days.
DATES = [("2015-03-10", DatePrecision.DAY), ("2016-02", DatePrecision.MONTH),
         ("2016-09-23", DatePrecision.DAY), ("2018-02-01", DatePrecision.DAY),
         ("2019-06-15/2019-08-20", DatePrecision.APPROXIMATE)]
ONLY_2016_09 = ("2016-06-01", "2016-12-31")  # a range holding only the 2016-09-23 incident
EASTERN = re.compile("[٠-٩]")


def _add(site: Site, edtf: str, precision: DatePrecision, *, place: str = "Aleppo") -> int:
    return repository.add_incident(site.ws.db, Incident(  # type: ignore[arg-type]
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC,
        violations=["killing"], involvements=[Involvement(actor="russia")],
        date=IncidentDate(edtf=edtf, text=edtf, precision=precision),
        location=Location(name=place, name_ar=place, text=place, admin1="Aleppo", lat=36.2, lon=37.16,
                          precision=LocationPrecision.TOWN),
        description=f"Incident in {place} on {edtf}"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-timeline-zoom"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        running.ids = {edtf: _add(running, edtf, precision) for edtf, precision in DATES}  # type: ignore[attr-defined]
        yield running


@pytest.fixture
def clustered(site: Site) -> Iterator[tuple[int, int]]:
    """Two accounts of one event in 2021: one dated to a day (drawn for the cluster), one to the year."""
    day = _add(site, "2021-03-05", DatePrecision.DAY, place="Idlib")
    year = _add(site, "2021", DatePrecision.YEAR, place="Idlib")
    judgements.record(site.ws.db, Judgement(subject=Subject.INCIDENT, left_id=day, right_id=year,
                                            verdict=Verdict.SAME, actor="lina", by_person=True))
    try:
        yield day, year
    finally:
        for incident_id in (day, year):
            repository.set_incident_status(site.ws.db, incident_id, status=IncidentStatus.REJECTED, user="lina",
                                           comment="test over")


def _open(browser: Browser, site: Site, lang: str, *, digits: str = "latn") -> Page:
    cookie = {"name": DIGITS_COOKIE, "value": digits, "url": site.url}
    return open_as(browser, site, DOCUMENTER, lang=lang, viewport={"width": 1280, "height": 900}, cookies=[cookie])


def _documents(page: Page) -> list[str]:
    """Every page (document) the tab asks the server for from now on."""
    asked: list[str] = []

    def on_request(request: Request) -> None:
        if request.resource_type == "document":
            asked.append(request.url)

    page.on("request", on_request)
    return asked


def _plant(page: Page) -> None:
    """A marker in this document: it survives anything but a page load."""
    page.evaluate("() => { window.__timelineMarker = 'still here'; }")


def _same_document(page: Page) -> bool:
    return page.evaluate("() => window.__timelineMarker") == "still here"


def _view(page: Page) -> dict[str, Any]:
    """What the chart shows: its axis, its labels, its marks, its bars and the table's visible rows."""
    return page.evaluate("""() => {
      const svg = document.querySelector('svg.timeline-svg');
      return {
        start: svg.getAttribute('data-start'), end: svg.getAttribute('data-end'),
        box: svg.getAttribute('viewBox'),
        labels: [...svg.querySelectorAll('text.tl-label')].map(t => t.textContent),
        ticks: [...svg.querySelectorAll('text.tl-label')].map(t => Math.round(Number(t.getAttribute('x')))),
        marks: [...svg.querySelectorAll('[data-testid=timeline-mark]')].map(a => Number(a.dataset.incidentId)).sort(),
        places: [...svg.querySelectorAll('[data-testid=timeline-mark] rect')].map(r =>
          [Math.round(Number(r.getAttribute('x'))), Math.round(Number(r.getAttribute('width'))), r.getAttribute('y'),
           r.getAttribute('class'), r.querySelector('title').textContent]).sort(),
        bars: [...svg.querySelectorAll('rect[class^=tl-hist]')].map(r =>
          [r.getAttribute('class'), Math.round(Number(r.getAttribute('x'))), Math.round(Number(r.getAttribute('height')))]),
        barTips: [...svg.querySelectorAll('g > title')].map(t => t.textContent),
        rows: [...document.querySelectorAll('[data-testid=timeline-row]')].filter(r => !r.hidden)
          .map(r => Number(r.dataset.incidentId)).sort(),
      };
    }""")


def _brush(page: Page, first: str, last: str) -> None:
    """Drag across the chart from the day ``first`` to the day ``last`` (whichever way time runs)."""
    svg = page.get_by_test_id("timeline-svg")
    box = svg.bounding_box()
    assert box is not None
    t0, t1 = (date.fromisoformat(svg.get_attribute(n) or "") for n in ("data-start", "data-end"))
    rtl = svg.get_attribute("data-dir") == "rtl"

    def screen_x(day: str) -> float:
        share = (date.fromisoformat(day) - t0).days / (t1 - t0).days
        view = 12 + (1000 - 24) * share
        return box["x"] + (1000 - view if rtl else view) * box["width"] / 1000

    y = box["y"] + 40  # over the monthly bars, clear of the marks (links)
    start, end = screen_x(first), screen_x(last)
    page.mouse.move(start, y)
    page.mouse.down()
    page.mouse.move((start + end) / 2, y, steps=4)
    page.mouse.move(end, y, steps=4)
    page.mouse.up()


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_brush_zoom_and_reset_redraw_in_the_page_and_a_reload_draws_the_same(browser: Browser, site: Site,
                                                                              lang: str) -> None:
    ids: dict[str, int] = site.ids  # type: ignore[attr-defined]
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/timeline")
        whole = _view(page)
        assert whole["marks"] == sorted(ids.values()) and whole["rows"] == whole["marks"]
        assert page.get_by_test_id("timeline-zoom-reset").is_hidden()
        _plant(page)
        asked = _documents(page)

        # Brush across the second half of 2016: only the 2016-09-23 incident is in it.
        _brush(page, *ONLY_2016_09)
        assert page.get_by_test_id("timeline-brush-bar").is_visible()
        page.get_by_test_id("timeline-brush-apply").click()
        page.wait_for_function("() => document.querySelectorAll('[data-testid=timeline-mark]').length === 1")
        narrow = _view(page)
        assert _same_document(page) and asked == [], asked
        assert narrow["marks"] == [ids["2016-09-23"]] and narrow["rows"] == narrow["marks"]
        # A range under a year is the axis itself (a zoom shows the days it asked for), with month ticks in
        # the page's words, and the one result's mark is wide enough to click.
        chosen = _query(page)
        assert chosen["date_from"][0] <= "2016-06-02" and chosen["date_to"][0] >= "2016-12-30", page.url
        day_after = (date.fromisoformat(chosen["date_to"][0]) + timedelta(days=1)).isoformat()
        assert (narrow["start"], narrow["end"]) == (chosen["date_from"][0], day_after), narrow
        assert narrow["labels"] != whole["labels"] and len(narrow["labels"]) >= 4
        assert page.get_by_test_id("timeline-mark").bounding_box()["width"] >= 8  # type: ignore[index]
        assert page.get_by_test_id("date-from").input_value() == chosen["date_from"][0]
        assert page.get_by_test_id("date-to").input_value() == chosen["date_to"][0]
        assert page.get_by_test_id("timeline-count").get_attribute("data-total") == "1"
        assert "1" in page.get_by_test_id("timeline-count").inner_text()
        assert page.get_by_test_id("timeline-zoom-reset").is_visible()
        list_query = parse_qs(urlsplit(page.get_by_test_id("list-link").get_attribute("href") or "").query)
        assert list_query["date_from"] == chosen["date_from"] and list_query["status"]
        # The language switch comes back to this range.
        assert page.get_by_test_id("language-next").input_value().endswith(urlsplit(page.url).query)

        # A reload asks the server for the same address: it draws what the page drew.
        page.reload()
        assert not _same_document(page)
        assert _view(page) == narrow

        # Zoom in within it: still in the page. The whole range is not on this page: the server is asked.
        _plant(page)
        asked.clear()
        page.get_by_test_id("timeline-zoom-in").click()
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('date_from') > "
                               f"'{chosen['date_from'][0]}'")
        assert _same_document(page) and asked == []
        # Half the axis, around the one result: the same incident, on a narrower axis that still holds it.
        closer = _view(page)
        assert closer["marks"] == narrow["marks"] and closer["start"] <= "2016-09-23" < closer["end"], closer
        assert (date.fromisoformat(closer["end"]) - date.fromisoformat(closer["start"])).days == round(
            (date.fromisoformat(narrow["end"]) - date.fromisoformat(narrow["start"])).days / 2)
        with page.expect_navigation():
            page.get_by_test_id("timeline-zoom-reset").click()
        assert "date_from" not in _query(page) and _view(page) == whole

        # From the whole range: zoom in, then back to the whole range, all in the page.
        _plant(page)
        asked.clear()
        page.get_by_test_id("timeline-zoom-in").click()
        page.wait_for_function("() => new URLSearchParams(location.search).has('date_from')")
        zoomed = _view(page)
        assert zoomed["start"] != whole["start"] and set(zoomed["marks"]) < set(whole["marks"])
        page.get_by_test_id("timeline-zoom-reset").click()
        page.wait_for_function("() => !new URLSearchParams(location.search).has('date_from')")
        assert _same_document(page) and asked == []
        assert _view(page) == whole and page.get_by_test_id("date-from").input_value() == ""
        assert page.get_by_test_id("timeline-zoom-reset").is_hidden()
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_range_the_page_does_not_hold_is_asked_of_the_server(browser: Browser, site: Site, lang: str,
                                                              clustered: tuple[int, int]) -> None:
    day, year = clustered
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        # Read with a range: zooming out of it needs incidents the page does not have.
        page.goto(f"{site.url}/timeline?date_from=2016-01-01&date_to=2016-12-31")
        with page.expect_navigation():
            page.get_by_test_id("timeline-zoom-out").click()
        assert _query(page)["date_from"][0] < "2016-01-01"

        # The cluster is drawn through its member dated to the day; a range that leaves that day out but
        # holds the year-long member is drawn by the server, through the other member.
        page.goto(f"{site.url}/timeline")
        assert day in _view(page)["marks"] and year not in _view(page)["marks"]
        _brush(page, "2020-10-01", "2021-02-20")  # the axis ends with the drawn member's month (2021-03)
        with page.expect_navigation():
            page.get_by_test_id("timeline-brush-apply").click()
        assert _view(page)["marks"] == [year]
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()


def test_a_truncated_timeline_asks_the_server(browser: Browser, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    from tawthiq.web.routes import visuals

    monkeypatch.setattr(visuals, "TIMELINE_LIMIT", 2)  # the server runs in this process
    page = _open(browser, site, "en")
    try:
        page.goto(f"{site.url}/timeline")
        assert page.get_by_test_id("timeline-mark").count() == 2
        _brush(page, "2018-01-01", "2019-12-31")
        with page.expect_navigation():
            page.get_by_test_id("timeline-brush-apply").click()
        assert "date_from" in _query(page)
    finally:
        page.context.close()


def test_the_drawing_in_the_page_writes_arabic_indic_digits_when_chosen(browser: Browser, site: Site) -> None:
    page = _open(browser, site, "ar", digits="arab")
    seen = watch(page)
    try:
        page.goto(f"{site.url}/timeline")
        _plant(page)
        _brush(page, *ONLY_2016_09)
        page.get_by_test_id("timeline-brush-apply").click()
        page.wait_for_function("() => document.querySelectorAll('[data-testid=timeline-mark]').length === 1")
        drawn = _view(page)
        assert _same_document(page)
        assert drawn["labels"] and all(EASTERN.search(t) and not re.search("[0-9]", t) for t in drawn["labels"])
        assert all(not re.search("[0-9]", t) for t in drawn["barTips"]), drawn["barTips"]
        assert "١" in page.get_by_test_id("timeline-count").inner_text()
        assert re.search(r"date_from=\d{4}-\d\d-\d\d", page.url)  # the address keeps 0-9
        page.reload()
        assert _view(page) == drawn
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()
