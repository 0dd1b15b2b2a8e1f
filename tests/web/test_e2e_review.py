"""End to end in Chromium: a reviewer corrects and accepts a suggestion drawn from the seed article.

The seed (a real RBSS article) is ingested into the live server's database
before the browser starts; the suggestions it yields are whatever the rule
extractor finds, so the test reads the suggestion's current values from the
page and changes them to something else rather than assuming them.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import SEED, Site, new_page, running_site, sign_in, watch
from tawthiq.domain import vocab
from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

REVIEWER = "rania.reviewer"
COMMENT = "Checked against the RBSS article: the assassinations were of fighters, record the killing too."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-review"))) as running:
        [result] = running.ingest(SEED)
        assert result.status == "new" and result.incidents > 0
        running.user(REVIEWER, Role.REVIEWER)
        yield running


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _open_first_suggestion(page: Page, site: Site) -> int:
    page.goto(f"{site.url}/review")
    rows = page.get_by_test_id("review-queue").get_by_test_id("review-row")
    assert rows.count() > 0, "the seed article produced no suggestions in the review queue"
    row = rows.first
    incident_id = int(row.get_attribute("data-incident-id") or "0")
    with page.expect_navigation():
        row.get_by_test_id("review-open").click()
    assert page.url == f"{site.url}/review/{incident_id}"
    return incident_id


def test_review_shows_the_seed_text_with_evidence_marks(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    seen = watch(page)
    try:
        sign_in(page, site, REVIEWER)
        _open_first_suggestion(page, site)
        source_text = page.get_by_test_id("source-text")
        shown = _words(source_text.inner_text())
        assert shown.startswith("exclusive – Raqqa is Being Slaughtered Silently")
        assert "al-Rumaila neighborhood" in shown
        marks = source_text.get_by_test_id("evidence")
        assert marks.count() > 0
        seed = _words(SEED.read_text(encoding="utf-8"))
        for i in range(marks.count()):
            mark = marks.nth(i)
            text = _words(mark.inner_text())
            assert text and text in seed, f"evidence mark {text!r} is not a quotation of the article"
            assert mark.get_attribute("data-field"), "an evidence mark does not say which field it supports"
        # The marks are really highlighted, not just tagged: the stylesheet gives them a background.
        background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")
        # Clicking a mark activates it (record.js), which the CSP lets run since it is a same-origin file.
        marks.first.click()
        assert "active" in (marks.first.get_attribute("class") or "").split()
        assert not seen.errors and not seen.csp_reports()
    finally:
        page.context.close()


def test_accept_with_an_edit_is_recorded_in_the_incident_history(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    seen = watch(page)
    try:
        sign_in(page, site, REVIEWER)
        incident_id = _open_first_suggestion(page, site)
        old_type = page.get_by_test_id("field-event_type").locator(".value").get_attribute("data-value")
        assert old_type

        # The correction form is open beside the source: nothing to unfold.
        form = page.get_by_test_id("edit-form")
        assert form.is_visible()
        # Another event type than the suggestion's, and one violation more than it has.
        type_options = form.get_by_test_id("edit-event-type").locator("option")
        new_type = next(v for v in type_options.evaluate_all("os => os.map(o => o.value)") if v and v != old_type)
        form.get_by_test_id("edit-event-type").select_option(new_type)
        # Violations are a checkbox list: ticking one more keeps the others (no Ctrl-click).
        boxes = form.get_by_test_id("edit-violations").locator('input[type="checkbox"]')
        chosen = boxes.evaluate_all("bs => bs.filter(b => b.checked).map(b => b.value)")
        everything = boxes.evaluate_all("bs => bs.map(b => b.value)")
        added = "killing" if "killing" not in chosen else next(v for v in everything if v not in chosen)
        form.locator(f'input[name="violations"][value="{added}"]').check()
        form.get_by_test_id("edit-comment").fill(COMMENT)
        with page.expect_navigation():
            form.get_by_test_id("edit-accept").click()

        # Back at the queue, told it worked; the accepted incident has left the queue.
        assert page.get_by_test_id("done").get_attribute("data-done") == "accepted"
        assert page.locator(f'[data-testid="review-row"][data-incident-id="{incident_id}"]').count() == 0

        with page.expect_navigation():
            page.get_by_test_id("done-link").click()
        assert page.url == f"{site.url}/incidents/{incident_id}"
        incident = page.get_by_test_id("incident")
        value = incident.get_by_test_id("field-event_type").locator(".value")
        assert value.get_attribute("data-value") == new_type
        assert value.inner_text().strip() == vocab.event_types()[new_type].en
        assert vocab.event_types()[new_type].en in incident.locator("h1").inner_text()
        assert incident.get_by_test_id("field-violation").locator(f'li[data-value="{added}"]').count() == 1
        assert "confirmed" in (incident.locator(".badges").inner_text().lower())

        # The history in sentences: the correction (who, before → after in words, why), then the decision.
        history = incident.get_by_test_id("history")
        edit = history.locator('[data-testid="history-row"][data-action="edit"]')
        assert edit.count() == 1, history.inner_text()
        assert edit.get_by_test_id("history-user").inner_text().strip() == REVIEWER
        assert edit.get_by_test_id("history-comment").inner_text().strip() == COMMENT
        changed = edit.locator('li[data-key="event_type"]').inner_text().strip()
        assert changed == (f"{REVIEWER} changed the kind of event from {vocab.event_types()[old_type].en} "
                           f"to {vocab.event_types()[new_type].en}."), changed
        violations = edit.locator('li[data-key="violations"]').inner_text()
        assert vocab.violations()[added].en in violations.split(" to ", 1)[1]
        assert added not in violations  # the label, never the code
        status = history.locator('[data-testid="history-row"][data-action="status"]')
        assert status.count() == 1
        assert status.get_by_test_id("history-user").inner_text().strip() == REVIEWER
        assert status.get_by_test_id("history-sentence").inner_text().strip() == f"{REVIEWER} accepted the incident."
        assert status.get_by_test_id("history-comment").inner_text().strip() == COMMENT
        # The suggestion as the extractor made it stays in the history, attributed to the machine.
        created = history.locator('[data-testid="history-row"][data-action="create"]')
        assert created.get_by_test_id("history-sentence").inner_text().startswith("The machine suggested this incident")
        assert not seen.errors and not seen.csp_reports()
    finally:
        page.context.close()
