"""End to end in Chromium, in English and in Arabic: a documenter reviews a pair the linker is unsure of.

Open the queue from the navigation, open the pair, read both incidents and
the comparison, click Same; the incident page lists the other report; Undo
(confirmed in the browser's dialog) splits them again. Undoing the same
judgement from a page loaded before it was withdrawn says so in words, on the
incident page, not as a server error.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, new_page, running_site, sign_in, switch_language, watch
from _link_helpers import plant

from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

DOCUMENTER = "nour.documenter"
# What each language must show: the page's direction, a translated level, the notices.
EXPECT = {
    "en": {"dir": "ltr", "level": "same day", "same": "are the same event", "undone": "was withdrawn",
           "again": "was already withdrawn", "button": "Same event"},
    "ar": {"dir": "rtl", "level": "اليوم نفسه", "same": "حدث واحد", "undone": "سُحب الحكم",
           "again": "مسحوب من قبل", "button": "الحدث نفسه"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-link"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_review_a_pair_then_undo_from_the_incident_page(browser: Browser, site: Site, lang: str) -> None:
    linked = plant(site.ws, batch=1 if lang == "en" else 2)
    want = EXPECT[lang]
    page = new_page(browser)
    seen = watch(page, accept_dialogs=True)  # Undo asks first; this person means it
    try:
        sign_in(page, site, DOCUMENTER)
        switch_language(page, lang)

        # The queue, from the navigation.
        with page.expect_navigation():
            page.click('nav.main-nav a[href="/review/pairs"]')
        row = page.locator(f'[data-testid="pair-row"][data-left="{linked.en}"][data-right="{linked.ar}"]')
        assert row.count() == 1
        with page.expect_navigation():
            row.get_by_test_id("pair-open").click()
        assert page.url.startswith(f"{site.url}/review/pairs/{linked.en}/{linked.ar}")
        sides = page.get_by_test_id("pair-side")
        assert sides.count() == 2
        assert "Qzwitnessen" in sides.nth(0).inner_text() and "قزشاهد" in sides.nth(1).inner_text()
        weights = page.get_by_test_id("weights")
        assert want["level"] in weights.inner_text()
        if lang == "ar":  # in Arabic the two incidents read right to left: the first is on the right
            first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
            assert first and second and first["x"] > second["x"]

        # Same: on to the next pair, saying what was recorded.
        page.get_by_test_id("decide-comment").fill("one strike, two reports")
        same = page.get_by_test_id("decide-same")
        assert same.inner_text().strip() == want["button"]
        with page.expect_navigation():
            same.click()
        assert want["same"] in page.get_by_test_id("linked-notice").inner_text()

        # The incident page lists the other report as the same event.
        page.goto(f"{site.url}/incidents/{linked.en}")
        members = page.get_by_test_id("cluster-member")
        assert [members.nth(i).get_attribute("data-incident-id") for i in range(members.count())] == [str(linked.ar)]
        assert page.get_by_test_id("independent-sources").get_attribute("data-n") == "2"
        assert page.get_by_test_id("corroboration").is_visible()
        mine = page.locator('[data-testid="judgement"][data-verdict="same"][data-in-force="true"]')
        assert mine.count() == 1 and DOCUMENTER in mine.inner_text()
        judgement_id = mine.get_attribute("data-judgement-id")

        # A second tab, loaded now, still offers the Undo that the first is about to use.
        stale = page.context.new_page()
        watch(stale, accept_dialogs=True)
        stale.goto(f"{site.url}/incidents/{linked.en}")

        mine.get_by_test_id("undo-comment").fill("two raids that day")
        with page.expect_navigation():
            mine.get_by_test_id("undo").click()
        assert seen.dialogs, "Undo asks before withdrawing"
        assert page.get_by_test_id("cluster-alone").is_visible()
        assert want["undone"] in page.get_by_test_id("linked-notice").inner_text()
        withdrawn = page.locator(f'[data-testid="judgement"][data-judgement-id="{judgement_id}"]')
        assert withdrawn.get_attribute("data-in-force") == "false"
        assert "two raids that day" in withdrawn.inner_text()

        # The error path: the stale tab's Undo is refused in words, on the incident page.
        stale_row = stale.locator(f'[data-testid="judgement"][data-judgement-id="{judgement_id}"]')
        with stale.expect_navigation() as refused:
            stale_row.get_by_test_id("undo").click()
        # The refusal is a page in words, not a server error (a bare "500" may be any token or number).
        assert refused.value is not None and refused.value.status < 500
        assert want["again"] in stale.get_by_test_id("undo-error").inner_text()
        assert stale.locator("html").get_attribute("dir") == want["dir"]
        assert stale.get_by_test_id("same-event").is_visible()
        assert re.search(r"Traceback|unexpected error", stale.content()) is None
        assert seen.errors == [] and seen.csp_reports() == []
    finally:
        page.context.close()
