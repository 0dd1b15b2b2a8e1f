"""End to end in Chromium, in English and in Arabic: a reviewer judges a pair of victim-list records.

Open the person pairs from the navigation, open the pair, read both records
and the comparison, click Same person; the person page lists both records side
by side (in Arabic the first on the right); Undo (confirmed in the browser's
dialog) splits them again. Undoing the same judgement from a page loaded
before it was withdrawn says so in words, not as a server error.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, new_page, running_site, sign_in, switch_language, watch
from _person_helpers import plant

from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

REVIEWER = "rana.reviewer"
EXPECT = {
    "en": {"dir": "ltr", "given": "Given name", "same": "are the same person", "undone": "was withdrawn",
           "again": "was already withdrawn", "button": "Same person"},
    "ar": {"dir": "rtl", "given": "الاسم الأول", "same": "للشخص نفسه", "undone": "سُحب الحكم",
           "again": "مسحوب من قبل", "button": "الشخص نفسه"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-persons"))) as running:
        running.user(REVIEWER, Role.REVIEWER)
        yield running


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_judge_a_person_pair_then_undo_from_the_person_page(browser: Browser, site: Site, lang: str,
                                                             tmp_path: Path) -> None:
    got = plant(site.ws, tmp_path, batch=1 if lang == "en" else 2)
    want = EXPECT[lang]
    page = new_page(browser)
    seen = watch(page, accept_dialogs=True)  # Undo asks first; this person means it
    try:
        sign_in(page, site, REVIEWER)
        switch_language(page, lang)

        with page.expect_navigation():
            page.click('nav.main-nav a[href="/review/persons"]')
        row = page.locator(f'[data-testid="person-pair-row"][data-left="{got.ar1}"][data-right="{got.la1}"]')
        assert row.count() == 1
        assert "محمد أحمد قزاسم" in row.inner_text() and "Qzkhatib" in row.inner_text()
        with page.expect_navigation():
            row.get_by_test_id("pair-open").click()
        assert page.url.startswith(f"{site.url}/review/persons/{got.ar1}/{got.la1}")
        columns = page.get_by_test_id("person-record")
        assert [columns.nth(i).get_attribute("data-record-id") for i in range(columns.count())] == [
            str(got.ar1), str(got.la1)]
        assert want["given"] in page.get_by_test_id("weights").inner_text()

        page.get_by_test_id("decide-comment").fill("same father, same day")
        same = page.get_by_test_id("decide-same")
        assert same.inner_text().strip() == want["button"]
        with page.expect_navigation():
            same.click()
        assert want["same"] in page.get_by_test_id("linked-notice").inner_text()

        # The person page: both records side by side, one column each.
        page.goto(f"{site.url}/persons/{got.ar1}")
        columns = page.get_by_test_id("person-record")
        ids = sorted(columns.nth(i).get_attribute("data-record-id") or "" for i in range(columns.count()))
        assert ids == sorted([str(got.ar1), str(got.la1)])
        records = page.get_by_test_id("person-records").inner_text()
        assert "محمد أحمد قزاسم" in records and "Qzkhatib" in records
        first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
        assert first and second
        assert (first["x"] > second["x"]) if lang == "ar" else (first["x"] < second["x"])  # reading order
        mine = page.locator('[data-testid="judgement"][data-verdict="same"][data-in-force="true"]')
        assert mine.count() == 1 and REVIEWER in mine.inner_text()
        judgement_id = mine.get_attribute("data-judgement-id")

        stale = page.context.new_page()  # a second tab, still offering the Undo the first is about to use
        watch(stale, accept_dialogs=True)
        stale.goto(f"{site.url}/persons/{got.ar1}")

        mine.get_by_test_id("undo-comment").fill("two men")
        with page.expect_navigation():
            mine.get_by_test_id("undo").click()
        assert seen.dialogs, "Undo asks before withdrawing"
        assert page.get_by_test_id("cluster-alone").is_visible()
        assert page.get_by_test_id("person-record").count() == 1
        assert want["undone"] in page.get_by_test_id("linked-notice").inner_text()
        withdrawn = page.locator(f'[data-testid="judgement"][data-judgement-id="{judgement_id}"]')
        assert withdrawn.get_attribute("data-in-force") == "false" and "two men" in withdrawn.inner_text()

        # The error path: the stale tab's Undo is refused in words, on the person page.
        stale_row = stale.locator(f'[data-testid="judgement"][data-judgement-id="{judgement_id}"]')
        with stale.expect_navigation() as refused:
            stale_row.get_by_test_id("undo").click()
        # The refusal is a page in words, not a server error (a bare "500" may be any token or number).
        assert refused.value is not None and refused.value.status < 500
        assert want["again"] in stale.get_by_test_id("undo-error").inner_text()
        assert stale.locator("html").get_attribute("dir") == want["dir"]
        assert re.search(r"Traceback|unexpected error", stale.content()) is None
        assert seen.errors == [] and seen.csp_reports() == []
    finally:
        page.context.close()
