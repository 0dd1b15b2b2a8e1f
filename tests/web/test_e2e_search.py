"""End to end in Chromium: searching the incidents list in English and Arabic, and what a viewer may see.

Every sample report is ingested first. The expected results are worked out
from the stored incidents with a deliberately simple, independent folding
(case, Latin accents, Arabic short vowels), not from the app's own search code.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import SAMPLES, Site, new_page, running_site, sign_in, watch
from tawthiq.domain.access import Role
from tawthiq.domain.enums import Confidentiality
from tawthiq.domain.model import Incident
from tawthiq.services import review
from tawthiq.store import repository

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

DOCUMENTER = "dana.documenter"
REVIEWER = "rania.reviewer"
VIEWER = "vera.viewer"
ARABIC_SAMPLE = SAMPLES / "02-douma-shelling.ar.txt"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-search"))) as running:
        running.ingest(*[p for p in sorted(SAMPLES.iterdir()) if p.name != "README.md"])
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


def _fold(text: str) -> str:
    """Lower case without Latin accents or Arabic short vowels, so 'Kobanî' ~ 'kobani' and 'قُتل' ~ 'قتل'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return re.sub(r"\s+", " ", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _mentions(incident: Incident, query: str) -> bool:
    loc = incident.location
    text = " ".join([incident.description, loc.name, loc.name_ar, loc.text] if loc else [incident.description])
    return _fold(query) in _fold(text)


def _expected(site: Site, query: str) -> set[int]:
    return {i.id for i in repository.list_incidents(site.ws.db) if i.id is not None and _mentions(i, query)}


def _search(page: Page, site: Site, query: str) -> set[int]:
    """Type the query into the list's search box and press Enter, as a person would."""
    page.goto(f"{site.url}/incidents")
    box = page.get_by_test_id("search-box")
    box.fill(query)
    with page.expect_navigation():
        box.press("Enter")
    assert page.get_by_test_id("search-box").input_value() == query  # the query is kept for refining
    count = page.get_by_test_id("result-count")
    rows = page.get_by_test_id("result-row")
    ids = {int(r.get_attribute("data-incident-id") or "0") for r in rows.all()}
    assert int(count.get_attribute("data-total") or "-1") == len(ids)
    return ids


def test_english_search_finds_the_seed_incidents_of_a_place(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    seen = watch(page)
    try:
        sign_in(page, site, DOCUMENTER)
        page.goto(f"{site.url}/incidents")
        everything = int(page.get_by_test_id("result-count").get_attribute("data-total") or "0")

        raqqa = _search(page, site, "Raqqa")
        assert raqqa and raqqa == _expected(site, "Raqqa")
        assert len(raqqa) < everything  # a real filter, not the whole list
        # Each hit is a link to its incident page.
        for row in page.get_by_test_id("result-row").all():
            link = row.get_by_test_id("incident-link")
            assert link.get_attribute("href") == f"/incidents/{row.get_attribute('data-incident-id')}"

        # The seed writes “Kobanî” with a circumflex; a plain-ASCII query still finds it.
        kobani = _search(page, site, "Kobani")
        assert kobani and kobani == _expected(site, "Kobanî")
        assert kobani <= raqqa | _expected(site, "Ain Arab")

        assert _search(page, site, "Xylophonequartz") == set()
        assert page.get_by_test_id("results-empty").is_visible()
        assert not seen.errors
    finally:
        page.context.close()


def test_arabic_search_finds_the_arabic_report(browser: Browser, site: Site) -> None:
    arabic_text = ARABIC_SAMPLE.read_bytes().decode("cp1256")
    assert "دوما" in arabic_text and "قُتل خمسة مدنيين" in arabic_text
    page = new_page(browser)
    try:
        sign_in(page, site, DOCUMENTER)
        douma = _search(page, site, "دوما")
        assert douma and douma == _expected(site, "دوما")
        shown = page.get_by_test_id("results").inner_text()
        assert "قُتل خمسة مدنيين" in shown  # the Arabic description, as written, with its vowel marks

        # Typed without the short vowel the report writes (قُتل), as people usually type.
        killed = _search(page, site, "قتل خمسة")
        assert killed and killed == _expected(site, "قتل خمسة")
        assert killed <= douma
    finally:
        page.context.close()


def test_viewer_is_denied_a_confidential_incident_but_sees_a_public_one(browser: Browser, site: Site) -> None:
    reviewer = site.user(REVIEWER, Role.REVIEWER)
    site.user(VIEWER, Role.VIEWER)
    douma = sorted(_expected(site, "دوما"))
    assert len(douma) >= 2, "the Arabic sample should yield at least two Douma incidents"
    secret, shared = douma[0], douma[1]
    review.update_incident(site.ws, user=reviewer, incident_id=secret,
                           changes=review.IncidentChanges(confidentiality=Confidentiality.CONFIDENTIAL),
                           comment="names a witness who asked not to be identified")
    review.update_incident(site.ws, user=reviewer, incident_id=shared,
                           changes=review.IncidentChanges(confidentiality=Confidentiality.PUBLIC),
                           comment="cleared for publication")

    page = new_page(browser)
    try:
        sign_in(page, site, VIEWER)
        response = page.goto(f"{site.url}/incidents/{secret}")
        assert response is not None and response.status == 404
        assert "(404)" in page.locator("main h1").inner_text()
        assert "There is nothing here." in page.locator("main").inner_text()
        assert not page.get_by_test_id("incident").count()
        # Not even the report's words leak through the error page.
        assert "دوما" not in page.content()

        response = page.goto(f"{site.url}/incidents/{shared}")
        assert response is not None and response.status == 200
        assert page.get_by_test_id("incident").get_attribute("data-incident-id") == str(shared)

        # The list holds only public incidents (here, just the one), and search cannot reach the other.
        page.goto(f"{site.url}/incidents")
        listed = {int(r.get_attribute("data-incident-id") or "0") for r in page.get_by_test_id("result-row").all()}
        assert listed == {shared}
        assert _search(page, site, "دوما") == {shared}
        assert _search(page, site, "قتل خمسة") & {secret} == set()
        # Nor can a viewer read the source report itself.
        source_id = repository.get_incident(site.ws.db, secret).source_id
        response = page.goto(f"{site.url}/sources/{source_id}")
        assert response is not None and response.status in (403, 404)
    finally:
        page.context.close()

    # A documenter still sees both, so the viewer's view was a permission, not a missing record.
    page = new_page(browser)
    try:
        sign_in(page, site, DOCUMENTER)
        assert {secret, shared} <= _search(page, site, "دوما")
        response = page.goto(f"{site.url}/incidents/{secret}")
        assert response is not None and response.status == 200
    finally:
        page.context.close()
