"""End to end in Chromium, in English and Arabic: the review page of a suggestion resting on three thousand claims
lists fifty at a time with their count in words, "show more" keeps the person at the claims and in their queue;
next and previous step over the copies the queue folds with the current suggestion."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site
from _review_scale_helpers import folded_queue, many_claims

from tawthiq.domain.access import Role
from tawthiq.services import claim_pages

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DOCUMENTER = "nour.documenter"
SAID = {
    "en": {"total": "This suggestion rests on 3,000 claims.", "first": "claims 1 to 50", "second": "claims 51 to 100",
           "more": "Show more claims", "previous": "Previous claims", "first_link": "First claims",
           "last": "This is the last suggestion of the queue.", "next": "Next suggestion"},
    "ar": {"total": "يستند هذا الاقتراح إلى 3,000 ادعاء.", "first": "الادعاءات من 1 إلى 50",
           "second": "الادعاءات من 51 إلى 100", "more": "اعرض مزيداً من الادعاءات", "previous": "الادعاءات السابقة",
           "first_link": "الادعاءات الأولى", "last": "هذا آخر اقتراح في القائمة.", "next": "الاقتراح التالي"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-review-scale"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


@pytest.fixture(scope="module")
def claims(site: Site) -> int:
    incident_id, _ = many_claims(site.ws)
    return incident_id


@pytest.fixture(scope="module")
def queue(site: Site) -> dict[str, int]:
    return folded_queue(site.ws)


def _claim_ids(page: Page) -> list[str]:
    found = page.get_by_test_id("suggestion").get_by_test_id("claim")
    return [found.nth(i).get_attribute("data-claim-id") or "" for i in range(found.count())]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_show_more_claims_keeps_the_place_and_the_queue(browser: object, site: Site, claims: int, lang: str) -> None:
    said = SAID[lang]
    page: Page = open_as(browser, site, DOCUMENTER, lang=lang)  # type: ignore[arg-type]
    try:
        page.goto(f"{site.url}/review/{claims}?queue=sort%3Doldest")
        details = page.get_by_test_id("suggestion")
        assert details.get_attribute("open") is None  # closed at first, as before: correcting comes first
        page.locator("#suggestion-heading").click()
        count = page.get_by_test_id("claims-count")
        assert count.is_visible() and said["total"] in count.inner_text() and said["first"] in count.inner_text()
        first = _claim_ids(page)
        assert len(first) == claim_pages.CLAIMS_PER_PAGE
        more = page.get_by_test_id("claims-next")
        assert more.inner_text() == said["more"] and page.get_by_test_id("claims-previous").count() == 0
        with page.expect_navigation():
            more.click()
        # The next fifty, at the claims, opened; the queue the person came from kept.
        assert re.search(r"claims=2#claims$", page.url) and "queue=sort%3Doldest" in page.url
        assert page.get_by_test_id("suggestion").get_attribute("open") is not None
        assert said["second"] in page.get_by_test_id("claims-count").inner_text()
        assert page.get_by_test_id("claims-count").is_visible()
        second = _claim_ids(page)
        assert len(second) == claim_pages.CLAIMS_PER_PAGE and not set(first) & set(second)
        assert page.get_by_test_id("back-to-queue").get_attribute("href") == "/review?sort=oldest"
        with page.expect_navigation():
            page.get_by_test_id("claims-next").click()
        assert page.get_by_test_id("claims-first").inner_text() == said["first_link"]
        with page.expect_navigation():
            page.get_by_test_id("claims-previous").click()
        assert page.get_by_test_id("claims-previous").inner_text() == said["previous"]
        assert _claim_ids(page) == second
        # A page number typed beyond the last shows the last page; one that is not a number, the first.
        page.goto(f"{site.url}/review/{claims}?claims=100000#claims")
        assert page.get_by_test_id("claims-next").count() == 0
        assert page.get_by_test_id("claims-count").get_attribute("data-page") == "60"
        page.goto(f"{site.url}/review/{claims}?claims=abc")
        assert page.get_by_test_id("claims-count").get_attribute("data-page") == "1"
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_next_suggestion_steps_over_the_folded_copies(browser: object, site: Site, queue: dict[str, int],
                                                     lang: str) -> None:
    page: Page = open_as(browser, site, DOCUMENTER, lang=lang)  # type: ignore[arg-type]
    source = f"source_id={_source_of(site, queue['A1'])}&sort=oldest"
    try:
        page.goto(f"{site.url}/review?{source}")
        rows = page.get_by_test_id("review-queue").get_by_test_id("review-row")
        assert [int(rows.nth(i).get_attribute("data-incident-id") or 0) for i in range(rows.count())] == [
            queue["A1"], queue["B"], queue["C"]]
        with page.expect_navigation():
            rows.first.get_by_test_id("review-open").click()
        visited = [int(page.get_by_test_id("review-item").get_attribute("data-incident-id") or 0)]
        while page.get_by_test_id("queue-edge").count() == 0:
            link = page.get_by_test_id("next-suggestion")
            assert link.inner_text() == SAID[lang]["next"]
            with page.expect_navigation():
                link.click()
            visited.append(int(page.get_by_test_id("review-item").get_attribute("data-incident-id") or 0))
        # A1, then B (not A2, its copy), then C (not A3), then the edge of the queue, said in the page's language.
        assert visited == [queue["A1"], queue["B"], queue["C"], queue["C"]]
        assert page.get_by_test_id("queue-edge").inner_text() == SAID[lang]["last"]
        with page.expect_navigation():  # and back: to B, then A1 (the row shown), never a copy
            page.get_by_test_id("previous-suggestion").click()
        with page.expect_navigation():
            page.get_by_test_id("previous-suggestion").click()
        assert page.get_by_test_id("review-item").get_attribute("data-incident-id") == str(queue["A1"])
    finally:
        page.context.close()


def _source_of(site: Site, incident_id: int) -> int:
    from tawthiq.store.incidents import get_incident

    found = get_incident(site.ws.db, incident_id)
    assert found is not None and found.source_id is not None
    return int(found.source_id)
