"""End to end in Chromium, in English and Arabic: the page of an incident resting on three thousand claims lists
fifty at a time with their count in words; "show more" lands at the next claims, "previous" and "first" go back,
and a page number typed out of range shows the last page or the first, never an error; a viewer opening the
public incident's pages sees none of the claims."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site
from _review_scale_helpers import many_claims

from tawthiq.domain import Confidentiality, IncidentStatus
from tawthiq.domain.access import Role
from tawthiq.services import claim_pages

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DOCUMENTER = "nour.documenter"
VIEWER = "sami.viewer"
SAID = {
    "en": {"total": "This incident rests on 3,000 claims.", "first": "claims 1 to 50", "second": "claims 51 to 100",
           "third": "claims 101 to 150", "more": "Show more claims", "previous": "Previous claims",
           "first_link": "First claims", "elsewhere": "claims for this field are on other pages of the claims."},
    "ar": {"total": "تستند هذه الحادثة إلى 3,000 ادعاء.", "first": "الادعاءات من 1 إلى 50",
           "second": "الادعاءات من 51 إلى 100", "third": "الادعاءات من 101 إلى 150",
           "more": "اعرض مزيداً من الادعاءات", "previous": "الادعاءات السابقة", "first_link": "الادعاءات الأولى",
           "elsewhere": "لهذا الحقل في صفحات أخرى من الادعاءات."},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-incident-claims"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        running.user(VIEWER, Role.VIEWER)
        yield running


@pytest.fixture(scope="module")
def incident(site: Site) -> int:
    """Public and verified, so that a viewer may open it (its public values, none of its claims)."""
    incident_id, _ = many_claims(site.ws, confidentiality=Confidentiality.PUBLIC, status=IncidentStatus.VERIFIED)
    return incident_id


def _claim_ids(page: Page) -> list[str]:
    found = page.get_by_test_id("fields").get_by_test_id("claim")
    return [found.nth(i).get_attribute("data-claim-id") or "" for i in range(found.count())]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_show_more_claims_pages_through_the_incident(browser: object, site: Site, incident: int, lang: str) -> None:
    said = SAID[lang]
    page: Page = open_as(browser, site, DOCUMENTER, lang=lang)  # type: ignore[arg-type]
    try:
        page.goto(f"{site.url}/incidents/{incident}")
        count = page.get_by_test_id("claims-count")
        assert count.is_visible() and said["total"] in count.inner_text() and said["first"] in count.inner_text()
        first = _claim_ids(page)
        assert len(first) == claim_pages.CLAIMS_PER_PAGE
        # The target field's claims are all on later pages: said so, in words, where they would be.
        assert said["elsewhere"] in page.locator('[data-field="target"]').inner_text()
        more = page.get_by_test_id("claims-next")
        assert more.inner_text() == said["more"] and page.get_by_test_id("claims-previous").count() == 0
        with page.expect_navigation():
            more.click()
        # The next fifty, with the page opened at the claims (their count in view, not the top of the page).
        assert re.search(rf"/incidents/{incident}\?claims=2#claims$", page.url)
        assert said["second"] in page.get_by_test_id("claims-count").inner_text()
        assert page.evaluate("window.scrollY") > 0
        assert page.get_by_test_id("claims-count").is_visible()
        second = _claim_ids(page)
        assert len(second) == claim_pages.CLAIMS_PER_PAGE and not set(first) & set(second)
        with page.expect_navigation():
            page.get_by_test_id("claims-next").click()
        assert said["third"] in page.get_by_test_id("claims-count").inner_text()
        with page.expect_navigation():
            page.get_by_test_id("claims-previous").click()
        assert page.get_by_test_id("claims-previous").inner_text() == said["previous"]
        assert _claim_ids(page) == second
        with page.expect_navigation():
            page.get_by_test_id("claims-next").click()
        first_link = page.get_by_test_id("claims-first")
        assert first_link.inner_text() == said["first_link"]
        with page.expect_navigation():
            first_link.click()
        assert _claim_ids(page) == first and page.get_by_test_id("claims-previous").count() == 0
        # A page number typed beyond the last shows the last page; one that is not a number, the first.
        page.goto(f"{site.url}/incidents/{incident}?claims=100000#claims")
        assert page.get_by_test_id("claims-next").count() == 0
        assert page.get_by_test_id("claims-count").get_attribute("data-page") == "60"
        page.goto(f"{site.url}/incidents/{incident}?claims=abc")
        assert page.get_by_test_id("claims-count").get_attribute("data-page") == "1"
        assert page.locator("html").get_attribute("lang") == lang
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_viewer_sees_the_incident_and_none_of_its_claims(browser: object, site: Site, incident: int,
                                                          lang: str) -> None:
    page: Page = open_as(browser, site, VIEWER, lang=lang)  # type: ignore[arg-type]
    try:
        for query in ("", "?claims=2#claims"):
            page.goto(f"{site.url}/incidents/{incident}{query}")
            assert page.get_by_test_id("incident").is_visible()
            assert page.get_by_test_id("claim").count() == 0
            assert page.get_by_test_id("claims-count").count() == 0 and page.get_by_test_id("claims-pager").count() == 0
            assert "shelled village" not in page.content()
    finally:
        page.context.close()
