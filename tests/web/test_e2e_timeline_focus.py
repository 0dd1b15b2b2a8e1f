"""End to end in Chromium, in English and Arabic: zooming the timeline in narrows around the incidents, not
the range's middle. With two incidents at the start of the range and the rest years later at its end, the
middle is an empty gap: each zoom-in still shows incidents (in the page and, for a page without all of them,
from the server), and with a brushed range it narrows around the brushed incidents."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, Watch, open_as, running_site, watch

from tawthiq.domain.access import Role
from tawthiq.domain.enums import Confidentiality, DatePrecision, IncidentStatus, LocationPrecision
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location
from tawthiq.store import repository

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

EARLY = ("2012-01-10", "2012-03-05")
LATE = ("2020-06-01", "2020-07-15", "2020-08-10", "2020-09-20")


def _add(site: Site, edtf: str) -> int:
    return repository.add_incident(site.ws.db, Incident(  # type: ignore[arg-type]
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC,
        violations=["killing"], involvements=[Involvement(actor="russia")],
        date=IncidentDate(edtf=edtf, text=edtf, precision=DatePrecision.DAY),
        location=Location(name="Aleppo", name_ar="حلب", text="Aleppo", admin1="Aleppo", lat=36.2, lon=37.16,
                          precision=LocationPrecision.TOWN),
        description=f"Incident on {edtf}"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-timeline-focus"))) as running:
        for lang in ("en", "ar"):
            running.user(f"lina-{lang}", Role.DOCUMENTER)
        running.ids = {edtf: _add(running, edtf) for edtf in (*EARLY, *LATE)}  # type: ignore[attr-defined]
        yield running


def _timeline(browser: Browser, site: Site, lang: str) -> tuple[Page, Watch]:
    """/timeline on a wide screen, watched; close it with ``page.context.close()``."""
    page = open_as(browser, site, f"lina-{lang}", lang=lang, viewport={"width": 1280, "height": 900})
    seen = watch(page)
    page.goto(f"{site.url}/timeline")
    return page, seen


def _marks(page: Page) -> list[int]:
    return sorted(int(m.get_attribute("data-incident-id") or 0)
                  for m in page.get_by_test_id("timeline-mark").all())


def _axis(page: Page) -> tuple[str, str]:
    svg = page.get_by_test_id("timeline-svg")
    return svg.get_attribute("data-start") or "", svg.get_attribute("data-end") or ""


def _zoom_in(page: Page) -> None:
    """Every incident is on the page: the zoom redraws in it, within the click (no page load)."""
    page.evaluate("() => { window.__sameDocument = true; }")
    page.get_by_test_id("timeline-zoom-in").click()
    assert page.evaluate("() => window.__sameDocument") is True


def _brush(page: Page, first: str, last: str) -> None:
    """Drag across the chart from the day ``first`` to the day ``last`` (whichever way time runs)."""
    svg = page.get_by_test_id("timeline-svg")
    box = svg.bounding_box()
    assert box is not None
    t0, t1 = (date.fromisoformat(d) for d in _axis(page))
    rtl = svg.get_attribute("data-dir") == "rtl"

    def screen_x(day: str) -> float:
        view = 12 + (1000 - 24) * (date.fromisoformat(day) - t0).days / (t1 - t0).days
        return box["x"] + (1000 - view if rtl else view) * box["width"] / 1000

    y = box["y"] + 40  # over the monthly bars, clear of the marks (links)
    page.mouse.move(screen_x(first), y)
    page.mouse.down()
    page.mouse.move(screen_x(last), y, steps=6)
    page.mouse.up()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_zooming_in_keeps_the_incidents_in_view(browser: Browser, site: Site, lang: str) -> None:
    ids: dict[str, int] = site.ids  # type: ignore[attr-defined]
    page, seen = _timeline(browser, site, lang)
    try:
        assert _marks(page) == sorted(ids.values())
        start, end = _axis(page)
        assert start <= "2012-01-01" and end >= "2020-10-01"  # the range's middle, 2016, holds nothing
        # Zoom in again and again: every step shows incidents, never the "nothing in this range" notice.
        steps = []
        for _ in range(4):
            _zoom_in(page)
            assert page.get_by_test_id("timeline-empty").count() == 0, page.url
            assert page.get_by_test_id("timeline-chart").is_visible()
            steps.append((_axis(page), _marks(page)))
        assert all(marks for _, marks in steps), steps
        # Around the middle one in time: the late cluster, where most of the data are.
        assert set(steps[0][1]) <= {ids[d] for d in LATE} and steps[0][1]
        assert steps[-1][0][0] >= "2019-01-01", steps  # the view narrowed onto the data
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_brushed_range_is_where_the_zoom_narrows(browser: Browser, site: Site, lang: str) -> None:
    ids: dict[str, int] = site.ids  # type: ignore[attr-defined]
    page, seen = _timeline(browser, site, lang)
    try:
        _brush(page, "2011-12-01", "2012-05-01")
        assert page.get_by_test_id("timeline-brush-bar").is_visible()
        _zoom_in(page)  # with the brush drawn: around the brushed incidents, not the middle one in time
        assert _marks(page) == sorted(ids[d] for d in EARLY)
        assert page.get_by_test_id("timeline-empty").count() == 0
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()


def test_a_page_without_every_incident_asks_the_server_around_them(browser: Browser, site: Site,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from tawthiq.web.routes import visuals

    monkeypatch.setattr(visuals, "TIMELINE_LIMIT", 3)  # the server runs in this process
    page = open_as(browser, site, "lina-en", lang="en", viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{site.url}/timeline")
        assert page.get_by_test_id("timeline-mark").count() == 3
        with page.expect_navigation():
            page.get_by_test_id("timeline-zoom-in").click()
        assert "date_from=" in page.url
        assert page.get_by_test_id("timeline-empty").count() == 0 and page.get_by_test_id("timeline-mark").count()
    finally:
        page.context.close()
