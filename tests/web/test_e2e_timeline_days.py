"""End to end in Chromium, in English and Arabic: zooming the timeline in on a dense month goes past a year,
to month ticks and then day ticks, and the month's incidents spread out across the chart instead of piling up
on one spot.

Five incidents within ten days of March 2019, and two far from them (2016 and 2021), so the whole view spans
years. Zoom in again and again (every step drawn in the page): the axis is labelled in months (their names in
the page's language), then in days; at a week the zoom-in button is disabled. The Arabic reader chose
Arabic-Indic digits: the labels are written in them; the English page writes 0-9 whatever the choice. A
reload draws the deepest view on the server exactly as the page drew it, and a two-day range typed in the
address is widened to a week around it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _e2e_helpers import Site, open_as, running_site, watch

from tawthiq.domain.access import Role
from tawthiq.domain.enums import Confidentiality, DatePrecision, IncidentStatus, LocationPrecision
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location
from tawthiq.store import repository
from tawthiq.web.digits import DIGITS_COOKIE
from tawthiq.web.timeline_svg import MIN_ZOOM_DAYS, month_names

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

CLUSTER = ("2019-03-10", "2019-03-12", "2019-03-13", "2019-03-15", "2019-03-17")
FAR = ("2016-06-15", "2021-06-15")
TO_ASCII = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
EASTERN = re.compile("[٠-٩]")
WESTERN = re.compile("[0-9]")


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
    with running_site(Path(tmp_path_factory.mktemp("e2e-timeline-days"))) as running:
        for lang in ("en", "ar"):
            running.user(f"rima-{lang}", Role.DOCUMENTER)
        running.ids = {edtf: _add(running, edtf) for edtf in (*CLUSTER, *FAR)}  # type: ignore[attr-defined]
        yield running


def _open(browser: Browser, site: Site, lang: str) -> Page:
    cookie = {"name": DIGITS_COOKIE, "value": "arab", "url": site.url}  # chosen; only Arabic pages write them
    return open_as(browser, site, f"rima-{lang}", lang=lang, viewport={"width": 1280, "height": 900},
                   cookies=[cookie])  # type: ignore[list-item]


def _view(page: Page) -> dict[str, Any]:
    """The axis, its labels and each mark's middle (viewBox x) by incident."""
    return page.evaluate("""() => {
      const svg = document.querySelector('svg.timeline-svg');
      const middles = {};
      svg.querySelectorAll('[data-testid=timeline-mark]').forEach(a => {
        const r = a.querySelector('rect');
        middles[a.dataset.incidentId] = Number(r.getAttribute('x')) + Number(r.getAttribute('width')) / 2;
      });
      return {start: svg.getAttribute('data-start'), end: svg.getAttribute('data-end'),
              labels: [...svg.querySelectorAll('text.tl-label')].map(t => t.textContent), middles,
              box: svg.getAttribute('viewBox')};
    }""")


def _kind(labels: list[str], lang: str) -> str:
    """"years", "months" ("Mar 2019"), "days" ("12 Mar", the first "10 Mar 2019") or "mixed"."""
    names = "|".join(re.escape(n) for n in month_names(lang))
    plain = [label.translate(TO_ASCII) for label in labels]
    for kind, pattern in (("years", r"\d{4}"), ("months", rf"(?:{names}) \d{{4}}"),
                          ("days", rf"\d{{1,2}} (?:{names})(?: \d{{4}})?")):
        if plain and all(re.fullmatch(pattern, label) for label in plain):
            return kind
    return "mixed"


def _days(view: dict[str, Any]) -> int:
    return (date.fromisoformat(view["end"]) - date.fromisoformat(view["start"])).days


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_zooming_in_on_a_dense_month_reaches_month_then_day_ticks(browser: Browser, site: Site, lang: str) -> None:
    ids: dict[str, int] = site.ids  # type: ignore[attr-defined]
    a, b = str(ids["2019-03-12"]), str(ids["2019-03-15"])  # three days apart
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/timeline")
        whole = _view(page)
        assert _kind(whole["labels"], lang) == "years", whole["labels"]
        assert abs(whole["middles"][a] - whole["middles"][b]) < 5  # piled up: a few days in five years
        zoom_in = page.get_by_test_id("timeline-zoom-in")
        page.evaluate("() => { window.__sameDocument = true; }")
        steps = []
        while zoom_in.is_enabled() and len(steps) < 20:
            zoom_in.click()
            steps.append(_view(page))
        assert page.evaluate("() => window.__sameDocument") is True  # every step drawn in the page
        kinds = [_kind(step["labels"], lang) for step in steps]
        # Narrower at each step, through months and then days, down to a week.
        assert all(_days(later) < _days(earlier) for earlier, later in zip(steps, steps[1:])), [
            (s["start"], s["end"]) for s in steps]
        assert "months" in kinds and kinds[-1] == "days" and kinds.index("months") < kinds.index("days"), kinds
        assert _days(steps[-1]) == MIN_ZOOM_DAYS and zoom_in.is_disabled()
        assert all(set(step["middles"]) <= {str(ids[d]) for d in CLUSTER} for step in steps[-3:])
        # The marks spread out: in the narrowest view holding both, three days are a good part of the chart
        # (later to the right in English, to the left in Arabic).
        both = [step for step in steps if a in step["middles"] and b in step["middles"]]
        assert both and _days(both[-1]) <= 16, [(s["start"], s["end"]) for s in both]
        apart = both[-1]["middles"][b] - both[-1]["middles"][a]
        assert (apart if lang == "en" else -apart) > 150, both[-1]
        # In the reader's digits, the months in the page's words.
        every = " ".join(label for step in steps for label in step["labels"])
        if lang == "ar":
            assert EASTERN.search(every) and not WESTERN.search(every), every
            assert "آذار" in every
        else:
            assert WESTERN.search(every) and not EASTERN.search(every), every
            assert "Mar" in every

        # A reload asks the server for the same address: it draws the deepest view as the page did.
        deepest = steps[-1]
        page.reload()
        assert _view(page) == deepest
        assert page.get_by_test_id("timeline-zoom-in").is_disabled()
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_range_of_two_days_is_widened_to_a_week_and_an_empty_one_says_so(browser: Browser, site: Site,
                                                                           lang: str) -> None:
    ids: dict[str, int] = site.ids  # type: ignore[attr-defined]
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/timeline?date_from=2019-03-12&date_to=2019-03-13")
        view = _view(page)
        assert (view["start"], view["end"]) == ("2019-03-10", "2019-03-17"), view  # a week around the two days
        assert _kind(view["labels"], lang) == "days" and len(view["labels"]) == MIN_ZOOM_DAYS, view["labels"]
        assert sorted(view["middles"]) == sorted(str(ids[d]) for d in ("2019-03-12", "2019-03-13"))
        assert page.get_by_test_id("timeline-zoom-in").is_disabled()
        # Zoom out: wider, in the page or from the server, still around the two days.
        page.get_by_test_id("timeline-zoom-out").click()
        page.wait_for_function("() => document.querySelector('svg.timeline-svg').getAttribute('data-start') "
                               "< '2019-03-10'")
        assert page.get_by_test_id("timeline-zoom-in").is_enabled()
        # The error path: a week with nothing in it says so in words, with no chart and no server error.
        response = page.goto(f"{site.url}/timeline?date_from=2018-01-01&date_to=2018-01-02")
        assert response is not None and response.status == 200
        assert page.get_by_test_id("timeline-empty").is_visible()
        assert page.get_by_test_id("timeline-mark").count() == 0
        assert seen.errors == [], seen.errors
    finally:
        page.context.close()
