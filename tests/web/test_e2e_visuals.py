"""End to end in Chromium: the map draws its offline basemap and the incidents, the dashboard draws its charts.

Every sample report is ingested first. What the map should draw is read
from the same features endpoint the page's script fetches, and the
dashboard's counts are checked against the stored incidents, so the tests
follow the extractor rather than hard-coding its output.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest
from _e2e_helpers import SAMPLES, Site, Watch, new_page, running_site, sign_in, watch
from tawthiq.domain.access import Role
from tawthiq.services import review
from tawthiq.store import repository

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

DOCUMENTER = "dana.documenter"
BASEMAP = Path(__file__).resolve().parents[2] / "src/tawthiq/web/static/geo/basemap.geojson"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-visuals"))) as running:
        running.ingest(*[p for p in sorted(SAMPLES.iterdir()) if p.name != "README.md"])
        user = running.user(DOCUMENTER, Role.DOCUMENTER)
        # The map and the dashboard count reviewed incidents by default: accept every suggestion first.
        for incident in repository.list_incidents(running.ws.db):
            review.accept(running.ws, user=user, incident_id=incident.id, comment="reviewed for the map test")
        yield running


def _offsite_and_failed(page: Page, site: Site) -> tuple[list[str], list[str]]:
    """Requests leaving the app (a tile server, a CDN…) and responses that failed, as the page runs."""
    offsite: list[str] = []
    failed: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((site.url, "data:", "blob:")) else offsite.append(r.url))
    # The browser's own favicon probe is not the page's doing.
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    return offsite, failed


def _quiet(seen: Watch) -> list[str]:
    return seen.errors + [m for m in seen.console if m.startswith("error") and "favicon" not in m
                          and "404 (Not Found)" not in m]


def _map_counts(page: Page) -> dict[str, Any]:
    return page.evaluate("""() => {
        const box = document.querySelector('.leaflet-container').getBoundingClientRect();
        return {
            width: box.width, height: box.height,
            governorates: document.querySelectorAll('.leaflet-overlay-pane svg path.twq-gov').length,
            shaded: document.querySelectorAll('path.twq-gov.twq-gov-imprecise').length,
            badges: document.querySelectorAll('.twq-gov-badge').length,
            pins: document.querySelectorAll('.leaflet-marker-pane .twq-pin').length,
            clustered: Array.from(document.querySelectorAll('.leaflet-marker-pane .marker-cluster'))
                            .map(c => parseInt(c.textContent, 10)),
            areas: document.querySelectorAll('.leaflet-overlay-pane path.twq-area').length,
            legend: Array.from(document.querySelectorAll('.twq-legend li')).map(li => li.textContent),
        };
    }""")


def _wait_for_map(page: Page) -> str:
    page.wait_for_function("() => /on the map/.test(document.getElementById('map-status').textContent)")
    return page.get_by_test_id("map-status").inner_text().strip()


def test_map_draws_the_basemap_and_every_incident(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    page.set_viewport_size({"width": 1280, "height": 900})
    seen = watch(page)
    offsite, failed = _offsite_and_failed(page, site)
    try:
        sign_in(page, site, DOCUMENTER)
        response = page.goto(f"{site.url}/map")
        assert response is not None and response.status == 200
        status = _wait_for_map(page)
        # What the page's script was given to draw, fetched the same way (this session's cookie).
        features = page.request.get(f"{site.url}/map/features.geojson").json()["features"]
        shapes = Counter(f["properties"]["shape"] for f in features)
        assert shapes["point"] > 0, "the samples should give at least one place known to a town"
        assert status.startswith(f"{len(features)} incidents on the map.")
        assert len(features) == len([i for i in repository.list_incidents(site.ws.db)
                                     if i.location and i.location.lat is not None])

        drawn = _map_counts(page)
        assert drawn["width"] > 300 and drawn["height"] > 300
        # The offline basemap: one SVG outline per governorate in the bundled GeoJSON.
        governorates = [f for f in json.loads(BASEMAP.read_text(encoding="utf-8"))["features"]
                        if f["properties"]["layer"] == "governorate"]
        assert drawn["governorates"] == len(governorates) == 14
        # Pins (single or clustered) for precise places, circles for district-level ones,
        # a hatched outline and a badge for incidents known only to their governorate.
        assert drawn["pins"] + sum(drawn["clustered"]) == shapes["point"]
        assert drawn["areas"] == shapes["area"]
        assert drawn["shaded"] == drawn["badges"] == len({f["properties"]["pcode"] for f in features
                                                          if f["properties"]["shape"] == "governorate"})
        assert drawn["legend"], "the map has no legend"

        # A pin opens a popup linking to its incident (or a cluster zooms in to show its pins).
        if drawn["pins"] == 0:
            page.locator(".leaflet-marker-pane .marker-cluster").first.click()
            page.wait_for_selector(".leaflet-marker-pane .twq-pin")
        page.locator(".leaflet-marker-pane .twq-pin").first.click()
        link = page.locator(".leaflet-popup-content a")
        href = link.get_attribute("href") or ""
        point_ids = {f["properties"]["id"] for f in features if f["properties"]["shape"] == "point"}
        assert href.startswith("/incidents/") and int(href.rsplit("/", 1)[1]) in point_ids
        # The incident page renders its own map too: on a loaded shared machine that can pass 10 s.
        # The popup pans the map into view as it opens: a pointer click during the pan can land beside the
        # link, so the link is followed as the browser's own click on it.
        with page.expect_navigation(timeout=60_000):
            link.evaluate("a => a.click()")
        assert page.get_by_test_id("incident").get_attribute("data-incident-id") == href.rsplit("/", 1)[1]
        # The incident page's own mini-map (a place known to a town or better) draws too.
        page.wait_for_selector('[data-testid="mini-map"].leaflet-container')
        box = page.get_by_test_id("mini-map").bounding_box()
        assert box is not None and box["width"] > 50 and box["height"] > 50

        assert offsite == [], f"the map loaded something from outside the app: {offsite}"
        assert failed == [], failed
        assert _quiet(seen) == [] and not seen.csp_reports()
    finally:
        page.context.close()


def test_map_filters_agree_with_the_list(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    try:
        sign_in(page, site, DOCUMENTER)
        page.goto(f"{site.url}/map")
        everything = int(_wait_for_map(page).split()[0])
        page.get_by_test_id("search-box").fill("Raqqa")
        with page.expect_navigation():
            page.get_by_test_id("apply-filters").click()
        assert parse_qs(urlsplit(page.url).query).get("q") == ["Raqqa"]
        shown = int(_wait_for_map(page).split()[0])
        page.goto(f"{site.url}/incidents?q=Raqqa")
        listed = int(page.get_by_test_id("result-count").get_attribute("data-total") or "-1")
        assert 0 < shown == listed < everything
    finally:
        page.context.close()


def _painted(page: Page) -> list[dict[str, Any]]:
    """Each chart canvas: its size, whether Chart.js owns it, how many bars, and how many pixels it painted."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('canvas[data-chart]')).map(c => {
        const chart = window.Chart && Chart.getChart(c);
        const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { painted += 1; } }
        return {id: c.dataset.testid, width: c.clientWidth, height: c.clientHeight, chart: !!chart,
                bars: chart ? chart.data.labels.length : 0, painted};
    })""")


def test_dashboard_draws_charts_and_tables_of_counts(browser: Browser, site: Site) -> None:
    incidents = repository.list_incidents(site.ws.db)
    page = new_page(browser)
    page.set_viewport_size({"width": 1280, "height": 900})
    seen = watch(page)
    offsite, failed = _offsite_and_failed(page, site)
    try:
        sign_in(page, site, DOCUMENTER)
        response = page.goto(f"{site.url}/dashboard")
        assert response is not None and response.status == 200
        dashboard = page.get_by_test_id("dashboard")
        assert int(dashboard.get_by_test_id("total-incidents").get_attribute("data-value") or "-1") == len(incidents)

        page.wait_for_function("() => Array.from(document.querySelectorAll('canvas[data-chart]'))"
                               ".every(c => window.Chart && Chart.getChart(c))")
        charts = _painted(page)
        assert {c["id"] for c in charts} >= {"chart-perpetrator", "chart-violation", "chart-governorate",
                                            "chart-event_type", "chart-month", "chart-histogram"}
        for chart in charts:
            assert chart["width"] > 100 and chart["height"] > 100, chart
            assert chart["chart"] and chart["bars"] > 0, chart
            assert chart["painted"] > 500, f"{chart['id']} is blank"

        # The tables of counts say the same as the stored incidents.
        by_type = Counter(i.event_type for i in incidents)
        rows = dashboard.get_by_test_id("table-event_type").get_by_test_id("row-event_type")
        shown = {r.get_attribute("data-key"): int(r.get_attribute("data-incidents") or "0") for r in rows.all()}
        assert shown == dict(by_type)
        by_governorate = Counter(i.location.admin1 for i in incidents if i.location and i.location.admin1)
        rows = dashboard.get_by_test_id("table-governorate").get_by_test_id("row-governorate")
        assert sum(int(r.get_attribute("data-incidents") or "0") for r in rows.all()) == sum(by_governorate.values())
        assert rows.count() == len(by_governorate)
        for name in ("perpetrator", "violation", "outcome", "month"):
            assert dashboard.get_by_test_id(f"table-{name}").locator("tbody tr").count() > 0, name
        # Nothing pushes the page wider than a 1280 px window, and no card spills over its neighbour.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
        assert page.evaluate("""() => Array.from(document.querySelectorAll('.dash-table')).every(card =>
            card.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)""")

        # The event-type chart has one bar per type (up to its limit).
        event_chart = next(c for c in charts if c["id"] == "chart-event_type")
        assert event_chart["bars"] == min(len(by_type), 20)

        # A table row links to the list filtered the same way, which finds as many incidents.
        top = max(by_type, key=lambda k: by_type[k])
        link = dashboard.locator(f'[data-testid="row-event_type"][data-key="{top}"] a')
        with page.expect_navigation():
            link.click()
        assert urlsplit(page.url).path == "/incidents"
        assert int(page.get_by_test_id("result-count").get_attribute("data-total") or "-1") == by_type[top]

        assert offsite == [], f"the dashboard loaded something from outside the app: {offsite}"
        assert failed == [], failed
        assert _quiet(seen) == [] and not seen.csp_reports()
    finally:
        page.context.close()
