"""End to end in Chromium, in English and Arabic: bulk decisions on the queue, assigning and "My queue",
merging into a candidate chosen from the ranked list, and the keyboard shortcuts (never while typing)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import SEED, Site, open_as, review_row_ids, running_site

from tawthiq.domain import Incident, IncidentDate, Location
from tawthiq.domain.access import Role
from tawthiq.store import repository
from tawthiq.store.history import incident_history
from tawthiq.store.incidents import get_incident

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DOCUMENTER = "nour.documenter"
REVIEWER = "rania.reviewer"
ARIHA = "Ariha, 12 May 2019: Russian jets struck a bakery in Ariha, killing two civilians, a witness said.\n"
DOUMA = "دوما، 15 تشرين الثاني 2017: قتل ثلاثة مدنيين جراء قصف قوات النظام على سوق مدينة دوما.\n"
EXPECT = {
    "en": {"dir": "ltr", "accepted": "2 accepted, 0 refused.", "none": "Tick at least one suggestion",
           "assigned": "1 assigned, 0 refused.", "merged": "was merged", "comment": "Write a short comment",
           "keys": "Keyboard shortcuts", "reason": "same place"},
    "ar": {"dir": "rtl", "accepted": "قُبل 2، وتعذّر البتّ في 0.", "none": "حدِّد اقتراحاً واحداً على الأقل",
           "assigned": "أُسند 1، وتعذّر إسناد 0.", "merged": "دُمجت", "comment": "اكتب تعليقاً قصيراً",
           "keys": "اختصارات لوحة المفاتيح", "reason": "المكان نفسه"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    directory = Path(tmp_path_factory.mktemp("e2e-review-bulk"))
    with running_site(directory) as running:
        for name, text in (("ariha.txt", ARIHA), ("douma.txt", DOUMA)):
            (directory / name).write_text(text, encoding="utf-8")
        results = running.ingest(SEED, directory / "ariha.txt", directory / "douma.txt")
        assert all(r.status == "new" and r.incidents > 0 for r in results)
        running.user(DOCUMENTER, Role.DOCUMENTER)
        running.user(REVIEWER, Role.REVIEWER)
        yield running


def _strike(site: Site, day: str) -> int:
    """A suggestion in a small town no sample names, so that its only candidates are its twins."""
    place = Location(name="Kafr Uwayd", name_ar="كفر عويد", admin1="Idlib")
    return repository.add_incident(site.ws.db, Incident(event_type="air-drone-strike", location=place,
                                                        date=IncidentDate(edtf=day), description=f"raid {day}"))


def _open(browser: object, site: Site, lang: str, username: str = DOCUMENTER) -> Page:
    # reject and merge ask first; this person means it
    return open_as(browser, site, username, lang=lang, accept_dialogs=True)  # type: ignore[arg-type]


def _tick(page: Page, incident_id: int) -> None:
    page.locator(f'[data-testid="review-row"][data-incident-id="{incident_id}"] input[name="ids"]').check()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_bulk_accept_two_with_one_comment_and_nothing_ticked_is_refused(browser: object, site: Site,
                                                                        lang: str) -> None:
    page = _open(browser, site, lang)
    try:
        page.goto(f"{site.url}/review?sort=oldest")
        # Select all ticks every row of the page, and again unticks them.
        page.get_by_test_id("select-all").check()
        boxes = page.locator('input[name="ids"]')
        assert boxes.count() >= 3 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
        page.get_by_test_id("select-all").uncheck()
        assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
        # Nothing ticked: refused in the page's language, the comment kept.
        page.get_by_test_id("bulk-comment").fill("checked against the report")
        with page.expect_navigation():
            page.get_by_test_id("bulk-accept").click()
        assert EXPECT[lang]["none"] in page.get_by_test_id("bulk-error").inner_text()
        assert page.get_by_test_id("bulk-comment").input_value() == "checked against the report"
        order = review_row_ids(page)
        _tick(page, order[0])
        _tick(page, order[1])
        with page.expect_navigation():
            page.get_by_test_id("bulk-accept").click()
        assert "sort=oldest" in page.url  # the same queue
        assert EXPECT[lang]["accepted"] in page.get_by_test_id("bulk-notice").inner_text()
        for i in order[:2]:
            assert str(get_incident(site.ws.db, i).status) == "confirmed"
            last = incident_history(site.ws.db, i)[-1]
            assert (last.user, last.comment) == (DOCUMENTER, "checked against the report")
        assert order[0] not in review_row_ids(page) and order[1] not in review_row_ids(page)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_reviewer_assigns_and_the_assignee_finds_it_in_my_queue(browser: object, site: Site, lang: str) -> None:
    page = _open(browser, site, lang, REVIEWER)
    try:
        page.goto(f"{site.url}/review")
        chosen = review_row_ids(page)[-1]
        with page.expect_navigation():
            page.get_by_test_id("bulk-assign").click()  # nothing ticked
        assert EXPECT[lang]["none"] in page.get_by_test_id("bulk-error").inner_text()
        _tick(page, chosen)
        page.get_by_test_id("bulk-assignee").select_option(DOCUMENTER)
        with page.expect_navigation():
            page.get_by_test_id("bulk-assign").click()
        assert EXPECT[lang]["assigned"] in page.get_by_test_id("bulk-notice").inner_text()
        cell = page.locator(f'[data-testid="review-row"][data-incident-id="{chosen}"] '
                            '[data-testid="queue-assignee-cell"]')
        assert cell.get_attribute("data-assignee") == DOCUMENTER and DOCUMENTER in cell.inner_text()
    finally:
        page.context.close()
    mine = _open(browser, site, lang)
    try:
        mine.goto(f"{site.url}/review")
        with mine.expect_navigation():
            mine.get_by_test_id("my-queue").click()
        assert "assignee=me" in mine.url and chosen in review_row_ids(mine)
        for i in review_row_ids(mine):
            assert any(h.action == "assign" and (h.after or {}).get("assignee") == DOCUMENTER
                       for h in incident_history(site.ws.db, i))
        assert mine.get_by_test_id("queue-assignee").input_value() == "me"
    finally:
        mine.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_merge_into_a_candidate_chosen_from_the_list(browser: object, site: Site, lang: str) -> None:
    here, twin = _strike(site, "2019-03-03"), _strike(site, "2019-03-03")
    page = _open(browser, site, lang)
    try:
        page.goto(f"{site.url}/review/{here}")
        page.locator("details#merge summary").click()
        choice = page.locator(f'[data-testid="merge-candidate-choice"][data-incident-id="{twin}"]')
        assert EXPECT[lang]["reason"] in choice.get_by_test_id("merge-reason").inner_text()
        page.get_by_test_id("merge-into").fill("999999")
        choice.get_by_test_id("merge-choice").check()  # the list's choice replaces the typed number
        assert page.get_by_test_id("merge-into").input_value() == ""
        with page.expect_navigation():
            page.get_by_test_id("merge").click()  # no comment: refused, the choice kept
        error = page.get_by_test_id("merge-form").get_by_test_id("form-error")
        assert EXPECT[lang]["comment"] in error.inner_text()
        assert page.locator(f'input[name="into_choice"][value="{twin}"]').is_checked()
        page.get_by_test_id("merge-comment").fill("the same raid, reported twice")
        with page.expect_navigation():
            page.get_by_test_id("merge").click()
        assert page.get_by_test_id("done").get_attribute("data-done") == "merged"
        merged = get_incident(site.ws.db, here)
        assert str(merged.status) == "merged" and merged.merged_into_id == twin
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_keyboard_shortcuts_and_their_legend_never_while_typing(browser: object, site: Site, lang: str) -> None:
    page = _open(browser, site, lang)
    try:
        page.goto(f"{site.url}/review?sort=oldest")
        order = review_row_ids(page)
        assert len(order) >= 2
        page.locator("h1").click()  # the page, not a field, has the focus
        page.keyboard.press("j")
        first = page.locator(f'[data-testid="review-row"][data-incident-id="{order[0]}"]')
        assert "current" in (first.get_attribute("class") or "")
        page.keyboard.press("x")
        assert first.locator('input[name="ids"]').is_checked()
        page.keyboard.press("?")
        legend = page.get_by_test_id("shortcuts")
        assert legend.evaluate("el => el.open") and EXPECT[lang]["keys"] in legend.inner_text()
        with page.expect_navigation():
            page.keyboard.press("o")
        assert page.get_by_test_id("review-item").get_attribute("data-incident-id") == str(order[0])
        # Typing in a field: the letters go into the field, nothing is decided, nobody moves.
        comment = page.get_by_test_id("accept-comment")
        comment.click()
        page.keyboard.type("an a and n and r")
        assert comment.input_value() == "an a and n and r"
        assert page.get_by_test_id("review-item").get_attribute("data-incident-id") == str(order[0])
        assert str(get_incident(site.ws.db, order[0]).status) == "suggested"
        page.locator("h1").click()
        page.keyboard.press("r")
        assert page.locator("details#reject").evaluate("el => el.open")
        assert page.evaluate("document.activeElement.name") == "comment"
        page.locator("h1").click()
        with page.expect_navigation():
            page.keyboard.press("n")
        assert page.get_by_test_id("review-item").get_attribute("data-incident-id") == str(order[1])
        with page.expect_navigation():
            page.keyboard.press("p")
        assert page.get_by_test_id("review-item").get_attribute("data-incident-id") == str(order[0])
        with page.expect_navigation():
            page.keyboard.press("a")
        assert str(get_incident(site.ws.db, order[0]).status) == "confirmed"
        assert page.get_by_test_id("done").get_attribute("data-done") == "accepted"
    finally:
        page.context.close()
