"""End to end in Chromium, in English and Arabic: the map's place names never sit on one another (a label
whose box would meet one of higher rank is left out at that zoom: the main towns, then countries,
governorates, smaller towns), and the legend on the map is compact: a corner of the map, not a panel over it,
and it folds away to its title."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _e2e_helpers import Site, Watch, opened_as, running_site, watch
from _map_helpers import mapped_incident

from tawthiq.domain.access import Role
from tawthiq.domain.enums import LocationPrecision as P

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

# Long type names from several groups: the legend the walkthrough found oversized.
TYPES = ("air-drone-strike", "shelling-artillery-missile-attack", "remote-explosive-landmine-ied", "arrests",
         "abduction-forced-disappearance", "attack", "armed-clash", "peaceful-protest")
KEPT = {"en": ("Damascus", "Aleppo", "Turkey", "Iraq"), "ar": ("دمشق", "حلب", "تركيا", "العراق")}

LABELS = """() => Array.from(document.querySelectorAll('#map .twq-label .twq-label-text'))
  .filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect();
              return {text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-map-declutter"))) as running:
        for lang in ("en", "ar"):
            running.user(f"maya-{lang}", Role.DOCUMENTER)
        for i, event in enumerate(TYPES):
            mapped_incident(running.ws, place=f"Place {i}", governorate="Aleppo", precision=P.TOWN,
                            edtf="2019-01-20", event=event, lat=35.0 + i * 0.2, lon=37.0 + i * 0.3)
        yield running


SETTLED = """() => { const d = document.getElementById('map').dataset;
  return d.labelsSettled !== undefined && d.labelsSettled === d.labelsLaidOut; }"""


def _laid_out(page: Page, ready: str) -> list[dict[str, Any]]:
    """The visible labels once ``ready`` holds and the map's last label layout has settled (its second pass,
    a frame after the zoom's end, has run): what a person sees, not a frame caught mid-way."""
    page.wait_for_function(f"() => ({ready})() && ({SETTLED})()")
    return page.evaluate(LABELS)


def _overlaps(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]:
                out.append((a["text"], b["text"]))
    return out


@contextmanager
def _map(browser: Browser, site: Site, lang: str, *, width: int, height: int) -> Iterator[tuple[Page, Watch]]:
    """/map drawn, its town names laid out in their font, on a screen of ``width`` by ``height``; watched from
    before it loads, so an error while drawing is seen."""
    with opened_as(browser, site, f"maya-{lang}", lang=lang, viewport={"width": width, "height": height}) as page:
        seen = watch(page)
        page.goto(f"{site.url}/map")
        page.wait_for_function("() => document.getElementById('map').dataset.drawn !== undefined")
        page.wait_for_selector(".twq-label-town .twq-label-text")
        page.evaluate("() => document.fonts.ready")
        page.wait_for_function(SETTLED)
        yield page, seen


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_two_visible_labels_overlap(browser: Browser, site: Site, lang: str) -> None:
    with _map(browser, site, lang, width=1280, height=900) as (page, seen):
        labels = page.evaluate(LABELS)
        texts = [x["text"] for x in labels]
        assert len(labels) >= 15, texts  # a map still well named, not one emptied to avoid overlaps
        assert set(KEPT[lang]) <= set(texts), texts  # the main towns and the neighbours keep their names
        assert _overlaps(labels) == [], _overlaps(labels)
        # Something was left out: without the rule the labels at this zoom do overlap.
        hidden = page.locator("#map .twq-label.twq-label-hidden").count()
        assert hidden > 0
        # Zoomed in, more names fit and still none overlaps; zoomed back out, the same layout as at first.
        # (the zoom's end sets the container's zoom class and lays the labels out, in one task)
        near = "() => document.getElementById('map').classList.contains('twq-zoom-near')"
        assert not page.evaluate(near)
        page.locator(".leaflet-control-zoom-in").click()
        closer = _laid_out(page, near)
        assert len(closer) > len(labels) and _overlaps(closer) == [], _overlaps(closer)
        page.locator(".leaflet-control-zoom-out").click()
        again = _laid_out(page, f"() => !({near})()")
        assert sorted(x["text"] for x in again) == sorted(texts) and _overlaps(again) == []
        assert seen.errors == [], seen.errors


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_legend_is_compact_and_folds_away(browser: Browser, site: Site, lang: str) -> None:
    with _map(browser, site, lang, width=1280, height=900) as (page, _):
        sizes = page.evaluate("""() => {
          const m = document.getElementById('map').getBoundingClientRect();
          const l = document.getElementById('map-legend').getBoundingClientRect();
          return {map: [m.width, m.height], legend: [l.width, l.height]};
        }""")
        (mw, mh), (lw, lh) = sizes["map"], sizes["legend"]
        assert lw <= 250 and lh <= 0.45 * mh and lw * lh <= 0.12 * mw * mh, sizes
        # Every entry is still there and readable inside the box (it scrolls rather than spill).
        assert page.get_by_test_id("legend-type").count() == len(TYPES)
        assert page.get_by_test_id("legend-type").first.is_visible()
        # Folded to its title, it takes a line; opened again, the entries are back.
        page.get_by_test_id("legend-toggle").click()
        folded = page.evaluate("() => document.getElementById('map-legend').getBoundingClientRect().height")
        assert folded <= 40 and not page.get_by_test_id("legend-type").first.is_visible()
        page.get_by_test_id("legend-toggle").click()
        assert page.get_by_test_id("legend-type").first.is_visible()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_on_a_small_map_the_legend_starts_folded(browser: Browser, site: Site, lang: str) -> None:
    with _map(browser, site, lang, width=480, height=800) as (page, _):
        assert page.get_by_test_id("legend-toggle").is_visible()
        assert not page.get_by_test_id("legend-type").first.is_visible()
        labels = page.evaluate(LABELS)
        assert labels and _overlaps(labels) == []
