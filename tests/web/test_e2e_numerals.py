"""End to end in Chromium, in English and Arabic with Arabic-Indic digits chosen and not: the numbers the
page's scripts draw (the map's counts, cluster bubbles, governorate badges and popups, the timeline's axis and
brushed range, the dashboard's chart axes, the "chosen" counter of a form) are in the digits the server writes
the rest of the page in; the report's own words keep theirs.

The incidents are made by hand (no ingest) so each figure the page shows is known here.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site, watch
from _map_helpers import killed, mapped_incident

from tawthiq.domain import Source, SourceKind
from tawthiq.domain.access import Role
from tawthiq.domain.enums import LocationPrecision as P
from tawthiq.store.sources import add_source
from tawthiq.web.digits import DIGITS_COOKIE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

DOCUMENTER = "rana.documenter"
CLUSTERED = 12  # points close together in Aleppo: one bubble saying 12
IMPRECISE = 3  # known only to the governorate of Rif Dimashq: a badge saying 3
WRITTEN = "السبت 12 آذار 2016"  # the report's own words for the date: 12 and 2016 whatever the reader's digits
EASTERN = re.compile("[٠-٩]")
WESTERN = re.compile("[0-9]")
# Every combination: the English interface writes 0-9 even for a reader who chose Arabic-Indic digits.
CASES = [("en", "latn"), ("en", "arab"), ("ar", "latn"), ("ar", "arab")]


def _eastern(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-numerals"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        for i in range(CLUSTERED):
            mapped_incident(running.ws, place="Aleppo", governorate="Aleppo", precision=P.NEIGHBOURHOOD,
                            edtf=f"{2014 + i % 5}-0{1 + i % 9}-1{i % 10}", lat=36.2 + i * 0.002, lon=37.16 + i * 0.002)
        for i in range(IMPRECISE):
            mapped_incident(running.ws, place="Rif Dimashq", governorate="Rif Dimashq", precision=P.GOVERNORATE,
                            edtf=f"2018-02-0{1 + i}", lat=33.4, lon=36.6)
        data = b"A report typed by hand: 4 shells hit the market."
        report, _ = add_source(running.ws.db, Source(kind=SourceKind.TEXT, sha256=running.ws.blobs.put(data),
                                                     text=data.decode(), title="market report",
                                                     media_type="text/plain", size=len(data)))
        running.ids = {"report": report, "alone": mapped_incident(  # type: ignore[attr-defined]
            running.ws, place="Deir ez-Zor", governorate="Deir ez-Zor", precision=P.NEIGHBOURHOOD,
            edtf="2016-03-12", text=WRITTEN, lat=35.33, lon=40.14, victims=[killed(15, 23)])}
        yield running


def _open(browser: Browser, site: Site, lang: str, digits: str) -> Page:
    # The account page's choice is this cookie (test_digits.py and test_e2e_arabic_dates.py choose it there).
    return open_as(browser, site, DOCUMENTER, lang=lang, viewport={"width": 1280, "height": 900},
                   cookies=[{"name": DIGITS_COOKIE, "value": digits, "url": site.url}])


def _in_digits(text: str, *, eastern: bool) -> bool:
    """Whether ``text`` has figures, all in the expected digits."""
    if eastern:
        return bool(EASTERN.search(text)) and not WESTERN.search(text)
    return bool(WESTERN.search(text)) and not EASTERN.search(text)


def _figure(n: int, *, eastern: bool) -> str:
    return _eastern(str(n)) if eastern else str(n)


@pytest.mark.parametrize(("lang", "digits"), CASES)
def test_the_map_draws_its_counts_and_popups_in_the_chosen_digits(browser: Browser, site: Site, lang: str,
                                                                  digits: str) -> None:
    eastern = lang == "ar" and digits == "arab"
    page = _open(browser, site, lang, digits)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/map")
        assert page.locator("body").get_attribute("data-numerals") == ("arab" if eastern else "latn")
        page.wait_for_function("() => document.getElementById('map').dataset.drawn !== undefined")
        status = page.get_by_test_id("map-status").inner_text()
        total = CLUSTERED + IMPRECISE + 1
        assert _figure(total, eastern=eastern) in status and _figure(IMPRECISE, eastern=eastern) in status
        assert _in_digits(status, eastern=eastern), status
        # The legend (the server's, moved onto the map) counts each group's types in the same digits.
        groups = page.locator("[data-testid=legend-group]").all_inner_texts()
        assert groups and all(_in_digits(g, eastern=eastern) for g in groups), groups
        assert any(_figure(1, eastern=eastern) in g for g in groups), groups
        # The plugin's cluster bubble and the governorate's badge.
        page.wait_for_selector(".leaflet-marker-pane .marker-cluster span")
        bubbles = page.locator(".leaflet-marker-pane .marker-cluster span").all_inner_texts()
        assert _figure(CLUSTERED, eastern=eastern) in [b.strip() for b in bubbles], bubbles
        badge = page.get_by_test_id("gov-badge")
        assert badge.inner_text().strip() == _figure(IMPRECISE, eastern=eastern)
        assert _in_digits(badge.get_attribute("aria-label") or "", eastern=eastern)
        # The lone pin's popup: its victims and its date in the chosen digits, the report's words as written.
        page.locator(".leaflet-marker-pane .twq-pin").first.click()
        popup = page.get_by_test_id("map-popup")
        victims = popup.locator(".twq-popup-victims").inner_text()
        assert _figure(15, eastern=eastern) in victims and _figure(23, eastern=eastern) in victims, victims
        assert _in_digits(victims, eastern=eastern), victims
        date_line = popup.locator(".twq-popup-date").inner_text()
        shown, written = date_line.split("(", 1)
        assert _in_digits(shown, eastern=eastern) and _figure(2016, eastern=eastern) in shown, date_line
        assert WRITTEN in written and not EASTERN.search(written), date_line
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize(("lang", "digits"), CASES)
def test_the_timeline_axis_and_the_brushed_range_are_in_the_chosen_digits(browser: Browser, site: Site, lang: str,
                                                                          digits: str) -> None:
    eastern = lang == "ar" and digits == "arab"
    page = _open(browser, site, lang, digits)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/timeline")
        labels = page.locator("svg text.tl-label").evaluate_all("els => els.map(e => e.textContent)")
        assert len(labels) >= 3 and all(_in_digits(t, eastern=eastern) for t in labels), labels
        assert any(_figure(2016, eastern=eastern) in t for t in labels), labels
        # Drag across the chart: the range offered on the bar is written by the script, in the same digits.
        box = page.get_by_test_id("timeline-svg").bounding_box()
        assert box is not None
        y = box["y"] + 40  # over the histogram, clear of the marks (links)
        page.mouse.move(box["x"] + box["width"] * 0.2, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=4)
        page.mouse.move(box["x"] + box["width"] * 0.8, y, steps=4)
        page.mouse.up()
        chosen = page.get_by_test_id("timeline-brush-apply").inner_text()
        assert re.search(r"[0-9٠-٩]{4}-[0-9٠-٩]{2}-[0-9٠-٩]{2}", chosen) and _in_digits(chosen, eastern=eastern), chosen
        # Redrawn in the page: the new axis in the same digits; the address's dates are 0-9 whatever the
        # reader sees.
        page.get_by_test_id("timeline-brush-apply").click()
        assert re.search(r"date_from=\d{4}-\d{2}-\d{2}", page.url), page.url
        redrawn = page.locator("svg text.tl-label").evaluate_all("els => els.map(e => e.textContent)")
        assert redrawn != labels and all(_in_digits(t, eastern=eastern) for t in redrawn), redrawn
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize(("lang", "digits"), CASES)
def test_dashboard_chart_axes_are_in_the_chosen_digits(browser: Browser, site: Site, lang: str,
                                                       digits: str) -> None:
    eastern = lang == "ar" and digits == "arab"
    page = _open(browser, site, lang, digits)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/dashboard")
        page.wait_for_function("() => Array.from(document.querySelectorAll('canvas[data-chart]'))"
                               ".every(c => window.Chart && Chart.getChart(c))")
        # What Chart.js wrote on the count axis of each chart, and the month labels.
        ticks = page.evaluate("""() => {
          const out = {};
          document.querySelectorAll('canvas[data-chart]').forEach(c => {
            const chart = Chart.getChart(c);
            const horizontal = chart.options.indexAxis === 'y';
            const value = c.dataset.chart === 'histogram' ? chart.scales.y : horizontal ? chart.scales.x : chart.scales.y;
            out[c.dataset.chart] = {values: value.ticks.map(t => String(t.label)),
                                    labels: chart.data.labels.map(l => [].concat(l).join(' '))};
          });
          return out;
        }""")
        for name in ("perpetrator", "event_type", "governorate", "histogram"):
            values = ticks[name]["values"]
            assert values and all(_in_digits(v, eastern=eastern) for v in values), (name, values)
        months = ticks["histogram"]["labels"]
        assert months and all(_in_digits(m, eastern=eastern) for m in months), months
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize(("lang", "digits"), CASES)
def test_the_chosen_counter_of_a_check_list_counts_in_the_chosen_digits(browser: Browser, site: Site, lang: str,
                                                                         digits: str) -> None:
    eastern = lang == "ar" and digits == "arab"
    page = _open(browser, site, lang, digits)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/add/incident?source_id={site.ids['report']}")  # type: ignore[attr-defined]
        count = page.get_by_test_id("edit-violations-count")
        assert count.inner_text().strip().endswith(_figure(0, eastern=eastern))
        chips = page.get_by_test_id("edit-violations").locator("label.chip")
        for i in range(2):
            chips.nth(i).click()
        # Counted again by the script, in the digits the server wrote the count in.
        assert count.inner_text().strip().endswith(_figure(2, eastern=eastern)), count.inner_text()
        assert _in_digits(count.inner_text(), eastern=eastern)
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()
