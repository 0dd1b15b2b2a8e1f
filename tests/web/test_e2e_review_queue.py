"""End to end in Chromium, in English and Arabic: the review queue's order and filters, paging that keeps
them, the next suggestion after accepting, and a refused reject that stays on its item."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import SEED, Site, open_as, review_row_ids, running_site

from tawthiq.domain.access import Role
from tawthiq.store.incidents import get_incident
from tawthiq.web.routes import review_queue as review_routes

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DOCUMENTER = "nour.documenter"
ARIHA = "Ariha, 12 May 2019: Russian jets struck a bakery in Ariha, killing two civilians, a witness said.\n"
EXPECT = {
    "en": {"dir": "ltr", "oldest": "Oldest first", "accepted": "was accepted.", "comment": "Write a short comment"},
    "ar": {"dir": "rtl", "oldest": "الأقدم أولاً", "accepted": "قُبلت الحادثة رقم", "comment": "اكتب تعليقاً قصيراً"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    directory = Path(tmp_path_factory.mktemp("e2e-review-queue"))
    with running_site(directory) as running:
        other = directory / "ariha.txt"
        other.write_text(ARIHA, encoding="utf-8")
        results = running.ingest(SEED, other)
        assert all(r.status == "new" and r.incidents > 0 for r in results)
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


def _open(browser: object, site: Site, lang: str) -> Page:
    # reject asks first; this person means it
    return open_as(browser, site, DOCUMENTER, lang=lang, accept_dialogs=True)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_newest_first_then_oldest_first_from_the_form(browser: object, site: Site, lang: str) -> None:
    page = _open(browser, site, lang)
    try:
        page.goto(f"{site.url}/review")
        newest = review_row_ids(page)
        assert len(newest) >= 3 and newest[0] == max(newest)
        sort = page.get_by_test_id("queue-sort")
        assert EXPECT[lang]["oldest"] in sort.inner_text()
        sort.select_option("oldest")
        with page.expect_navigation():
            page.get_by_test_id("queue-apply").click()
        assert "sort=oldest" in page.url
        oldest = review_row_ids(page)
        assert oldest[0] == min(newest) and oldest == sorted(newest)
        assert page.get_by_test_id("queue-sort").input_value() == "oldest"  # the form keeps the choice
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_filter_narrows_the_rows_and_survives_paging(browser: object, site: Site, lang: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    page = _open(browser, site, lang)
    try:
        page.goto(f"{site.url}/review")
        everything = review_row_ids(page)
        seed_source = get_incident(site.ws.db, min(everything)).source_id
        mine = sorted(i for i in everything if get_incident(site.ws.db, i).source_id == seed_source)
        assert 3 <= len(mine) < len(everything)
        monkeypatch.setattr(review_routes, "PER_PAGE", 2)  # the server runs in this process
        page.get_by_test_id("queue-source-id").fill(str(seed_source))
        page.get_by_test_id("queue-sort").select_option("oldest")
        with page.expect_navigation():
            page.get_by_test_id("queue-apply").click()
        assert review_row_ids(page) == mine[:2]
        with page.expect_navigation():
            page.get_by_test_id("pager-next").click()
        assert "page=2" in page.url and review_row_ids(page) == mine[2:4]
        assert page.get_by_test_id("queue-source-id").input_value() == str(seed_source)
        assert page.get_by_test_id("queue-sort").input_value() == "oldest"
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_accept_goes_to_the_next_suggestion_with_the_notice(browser: object, site: Site, lang: str) -> None:
    page = _open(browser, site, lang)
    try:
        page.goto(f"{site.url}/review?sort=oldest")
        order = review_row_ids(page)
        assert len(order) >= 2
        with page.expect_navigation():
            page.get_by_test_id("review-queue").get_by_test_id("review-open").first.click()
        assert page.get_by_test_id("review-item").get_attribute("data-incident-id") == str(order[0])
        with page.expect_navigation():
            page.get_by_test_id("accept").click()
        item = page.get_by_test_id("review-item")
        assert item.get_attribute("data-incident-id") == str(order[1])  # the next one in the same order
        notice = page.get_by_test_id("done")
        assert notice.get_attribute("data-done") == "accepted"
        assert EXPECT[lang]["accepted"] in notice.inner_text() and str(order[0]) in notice.inner_text()
        assert str(get_incident(site.ws.db, order[0]).status) == "confirmed"
        # Still in the oldest-first queue: back to it keeps the order.
        with page.expect_navigation():
            page.get_by_test_id("back-to-queue").click()
        assert "sort=oldest" in page.url and review_row_ids(page)[0] == order[1]
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_reject_without_a_comment_stays_on_the_item(browser: object, site: Site, lang: str) -> None:
    page = _open(browser, site, lang)
    try:
        page.goto(f"{site.url}/review?sort=confidence")
        first = review_row_ids(page)[0]
        with page.expect_navigation():
            page.get_by_test_id("review-queue").get_by_test_id("review-open").first.click()
        page.locator("details#reject summary").click()
        with page.expect_navigation():
            page.get_by_test_id("reject").click()
        assert page.get_by_test_id("review-item").get_attribute("data-incident-id") == str(first)
        error = page.get_by_test_id("reject-form").get_by_test_id("form-error")
        assert EXPECT[lang]["comment"] in error.inner_text()
        assert page.locator("html").get_attribute("lang") == lang
        assert str(get_incident(site.ws.db, first).status) == "suggested"
        # The queue is still known: a reject with a reason now goes on to the next least confident one.
        assert page.get_by_test_id("reject-form").locator('input[name="queue"]').input_value() == "sort=confidence"
        page.get_by_test_id("reject-comment").fill("not an incident")
        with page.expect_navigation():
            page.get_by_test_id("reject").click()
        assert page.get_by_test_id("done").get_attribute("data-done") == "rejected"
        assert page.get_by_test_id("review-item").get_attribute("data-incident-id") != str(first)
    finally:
        page.context.close()
