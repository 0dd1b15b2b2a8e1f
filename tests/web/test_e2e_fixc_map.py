"""End to end in Chromium, in English and Arabic (issue 12, C2, C3, C5): the map legend's entries never
overlap and its colours are keyed by group; a popup gives the date and the place in the page's language,
the report's own words apart; a hand-edited bad filter is refused in the page's language."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site, watch

from tawthiq.domain.access import Role
from tawthiq.domain.enums import Confidentiality, DatePrecision, IncidentStatus, LocationPrecision
from tawthiq.domain.model import Incident, IncidentDate, Location
from tawthiq.store import repository

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

DOCUMENTER = "maya.documenter"
# Long labels from several groups, five of them sharing one group's colour: the layout the tester saw overlap.
TYPES = ("air-drone-strike", "shelling-artillery-missile-attack", "remote-explosive-landmine-ied", "arrests",
         "abduction-forced-disappearance", "attack", "armed-clash", "peaceful-protest")
EXPECT = {
    "en": {"date": "20 January 2019", "place": "Raqqa", "written": "as written",
           "colours": "Colours (one per group of types)"},
    "ar": {"date": "20 كانون الثاني 2019", "place": "الرقة", "written": "كما ورد",
           "colours": "الألوان (لون لكل مجموعة من الأنواع)"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-fixc-map"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        for i, event in enumerate(TYPES):
            repository.add_incident(running.ws.db, Incident(  # type: ignore[arg-type]
                event_type=event, status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC,
                date=IncidentDate(edtf="2019-01-20", text="يوم الأحد 20 كانون الثاني 2019",
                                  precision=DatePrecision.DAY),
                location=Location(name="Raqqa", name_ar="المشلب", text="المشلب", admin1="Raqqa",
                                  lat=35.95 + i * 0.3, lon=39.01 - i * 0.4,
                                  precision=LocationPrecision.NEIGHBOURHOOD),
                description=f"Incident {i}"))
        yield running


def _open(browser: Browser, site: Site, lang: str) -> Page:
    return open_as(browser, site, DOCUMENTER, lang=lang, viewport={"width": 1280, "height": 900})


OVERLAPS = """() => {
  const boxes = Array.from(document.querySelectorAll('#map-legend li')).map(li => li.getBoundingClientRect());
  const labels = Array.from(document.querySelectorAll('#map-legend li')).map(li => {
    const label = li.querySelector('.twq-legend-label, .twq-legend-label-group, span:last-child');
    const a = label.getBoundingClientRect(), b = li.getBoundingClientRect();
    return a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  });
  let overlapping = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlapping++;
  }
  return {n: boxes.length, overlapping, outside: labels.filter(x => !x).length};
}"""


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_legend_entries_never_overlap_and_colours_are_keyed_by_group(browser: Browser, site: Site,
                                                                     lang: str) -> None:
    want = EXPECT[lang]
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/map")
        page.wait_for_function("() => document.getElementById('map').dataset.drawn !== undefined")
        assert page.locator(".leaflet-control-container #map-legend").count() == 1
        found = page.evaluate(OVERLAPS)
        assert found["n"] >= len(TYPES) and found["overlapping"] == 0 and found["outside"] == 0, found
        legend = page.get_by_test_id("map-legend").inner_text()
        assert want["colours"] in legend
        groups = page.get_by_test_id("legend-group")
        assert groups.count() >= 3
        # A group's swatch and its types' swatches are the same colour.
        same = page.evaluate("""() => {
          const g = document.querySelector('[data-testid=legend-group][data-group="explosions-remote-violence"] .twq-swatch');
          const t = document.querySelector('[data-testid=legend-type][data-value="air-drone-strike"] .twq-swatch');
          return getComputedStyle(g).backgroundColor === getComputedStyle(t).backgroundColor;
        }""")
        assert same
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_popup_date_and_place_in_the_page_language_with_the_report_words_apart(browser: Browser, site: Site,
                                                                              lang: str) -> None:
    want = EXPECT[lang]
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/map?event_type=arrests")
        page.wait_for_function("() => document.getElementById('map').dataset.drawn === '1'")
        page.locator(".leaflet-marker-pane .twq-pin").first.click()
        popup = page.get_by_test_id("map-popup")
        date_line = popup.locator(".twq-popup-date").inner_text()
        assert date_line.split("(")[0].strip().endswith(want["date"]), date_line
        assert f"{want['written']}: يوم الأحد 20 كانون الثاني 2019" in date_line
        place_line = popup.locator(".twq-popup-place").inner_text()
        assert want["place"] in place_line and f"{want['written']}: المشلب" in place_line
        if lang == "en":
            assert "Sunday" not in date_line and "Thursday" not in date_line
        assert seen.errors == [], seen.errors
        # A hand-edited bad filter: a one-line refusal in the page's language, no 500.
        page.goto(f"{site.url}/map?date_from=2019-99-99")
        assert page.locator("body").inner_text().strip()
        assert "Traceback" not in page.content()
    finally:
        page.context.close()
