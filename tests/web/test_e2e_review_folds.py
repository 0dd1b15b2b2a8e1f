"""End to end in Chromium, in English and Arabic: a pasted report repeating one account gives identical
suggestions, which the review queue shows as one row with their number; ticking "identical" and rejecting
rejects the copies, each decided and recorded on its own, and keeps the row for review."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import SAMPLES, Site, open_as, review_row_ids, running_site

from tawthiq.domain.access import Role
from tawthiq.domain.enums import IncidentStatus
from tawthiq.domain.filters import IncidentFilter
from tawthiq.store import repository
from tawthiq.store.history import incident_history
from tawthiq.store.incidents import get_incident

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DOCUMENTER = "nour.documenter"
COPIES = 8
REPORTS = {"en": (SAMPLES / "01-ariha-air-strike.en.txt").read_text(encoding="utf-8"),
           "ar": (SAMPLES / "02-douma-shelling.ar.txt").read_bytes().decode("cp1256")}
EXPECT = {
    "en": {"rows": "rows", "suggestions": "suggestions", "identical": f"and {COPIES - 1} identical suggestions",
           "rejected": f"{COPIES - 1} rejected, 0 refused.", "note": "Identical suggestions from one source"},
    "ar": {"rows": "صف", "suggestions": "اقتراح", "identical": f"ومعه {COPIES - 1} اقتراحات مطابقة من هذا المصدر",
           "rejected": f"رُفض {COPIES - 1}، وتعذّر البتّ في 0.", "note": "الاقتراحات المتطابقة من مصدر واحد"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    directory = Path(tmp_path_factory.mktemp("e2e-review-folds"))
    with running_site(directory) as running:
        for lang, report in REPORTS.items():
            # One account pasted COPIES times over (a report repeated), each copy numbered.
            (directory / f"repeated-{lang}.txt").write_text(
                "\n\n".join(f"{report}\n({n})" for n in range(1, COPIES + 1)), encoding="utf-8")
        results = running.ingest(*(directory / f"repeated-{lang}.txt" for lang in REPORTS))
        assert all(r.status == "new" and r.incidents >= COPIES for r in results)
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


def _source_of(site: Site, lang: str) -> int:
    (found,) = [s for s in repository.list_sources(site.ws.db) if s.original_name == f"repeated-{lang}.txt"]
    return int(found.id or 0)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_identical_suggestions_are_one_row_and_rejecting_the_identical_ones_keeps_the_row(
        browser: object, site: Site, lang: str) -> None:
    source_id = _source_of(site, lang)
    suggestions = [s.id for s in repository.list_incidents(site.ws.db, filters=IncidentFilter(source_id=source_id))]
    page: Page = open_as(browser, site, DOCUMENTER, lang=lang, accept_dialogs=True)  # type: ignore[arg-type]
    try:
        page.goto(f"{site.url}/review?source_id={source_id}&sort=oldest")
        total = page.get_by_test_id("review-total")
        rows = review_row_ids(page)
        # Each copy of the account is one suggestion; the queue shows each account once, with the number folded.
        assert total.get_attribute("data-suggestions") == str(len(suggestions))
        assert total.get_attribute("data-rows") == str(len(rows)) and len(rows) < len(suggestions)
        assert EXPECT[lang]["rows"] in total.inner_text() and EXPECT[lang]["suggestions"] in total.inner_text()
        assert EXPECT[lang]["note"] in page.get_by_test_id("fold-note").inner_text()
        first = page.locator(f'[data-testid="review-row"][data-incident-id="{rows[0]}"]')
        fold = first.get_by_test_id("fold")
        assert fold.get_attribute("data-identical") == str(COPIES - 1)
        assert EXPECT[lang]["identical"] in fold.inner_text()
        # Tick "identical" (not the row itself) and reject: the copies go, the row stays for review.
        fold.get_by_test_id("fold-pick").check()
        page.get_by_test_id("bulk-comment").fill("the same account, pasted again")
        with page.expect_navigation():
            page.get_by_test_id("bulk-reject").click()
        assert EXPECT[lang]["rejected"] in page.get_by_test_id("bulk-notice").inner_text()
        assert f"source_id={source_id}" in page.url and "sort=oldest" in page.url  # the same queue
        assert review_row_ids(page)[0] == rows[0]
        assert page.locator(f'[data-testid="review-row"][data-incident-id="{rows[0]}"] [data-testid="fold"]').count() == 0
        row = get_incident(site.ws.db, rows[0])
        assert row is not None and row.status is IncidentStatus.SUGGESTED
        rejected = [i for i in suggestions if get_incident(site.ws.db, i).status is IncidentStatus.REJECTED]  # type: ignore[union-attr]
        assert len(rejected) == COPIES - 1 and rows[0] not in rejected
        for i in rejected:  # each its own recorded decision, nothing deleted
            last = incident_history(site.ws.db, i)[-1]
            assert (last.user, last.comment, (last.after or {}).get("status")) == (
                DOCUMENTER, "the same account, pasted again", "rejected")
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_see_them_lists_each_suggestion_of_the_source_on_its_own_row(browser: object, site: Site, lang: str) -> None:
    page: Page = open_as(browser, site, DOCUMENTER, lang=lang)  # type: ignore[arg-type]
    try:
        page.goto(f"{site.url}/review?sort=oldest")
        folded = page.get_by_test_id("fold").first
        count = int(folded.get_attribute("data-identical") or "0")
        assert count >= 1
        with page.expect_navigation():
            folded.get_by_test_id("fold-open").click()
        assert "fold=off" in page.url
        assert page.get_by_test_id("fold").count() == 0 and page.get_by_test_id("fold-note").is_visible()
        total = page.get_by_test_id("review-total")
        assert total.get_attribute("data-rows") == total.get_attribute("data-suggestions")
        assert len(review_row_ids(page)) >= count + 1
        with page.expect_navigation():  # and back to one row for them
            page.get_by_test_id("fold-link").click()
        assert "fold=off" not in page.url and page.get_by_test_id("fold").count() >= 1
    finally:
        page.context.close()


# ------------------------------------------------------------- a long source text, shown in part

FILLER = "تقرير طويل عن الأوضاع الإنسانية في المنطقة، بلا حادثة محددة فيه. Background, no incident here.\n\n"
ACT = "Idlib, 3 March 2019: a government air strike on the market of Ariha killed four civilians."
SHORTENED = {"en": ("Text shortened: showing characters ", "Open the whole source text"),
             "ar": ("النص مختصر: تُعرض الأحرف ", "افتح نص المصدر كاملاً")}


def _long_suggestion(site: Site, lang: str) -> tuple[int, int, int]:
    """A source of 300,000 characters whose suggestion's evidence starts near its end: (source, incident, start)."""
    from tawthiq.domain import Claim, ClaimField, Incident, Source, SourceKind, Span

    head = FILLER * (280_000 // len(FILLER))
    text = head + ACT + "\n\n" + FILLER * (20_000 // len(FILLER))
    start = len(head)
    sha = ("e" if lang == "en" else "a") * 64
    source_id, _ = repository.add_source(site.ws.db, Source(kind=SourceKind.TEXT, sha256=sha, text=text,
                                                             title=f"long {lang}"))
    words = start + ACT.index("air strike")
    incident_id = repository.add_incident(site.ws.db, Incident(
        event_type="air-drone-strike", source_id=source_id, description=ACT,
        evidence=[Span.of(text, start, start + len(ACT))],
        claims=[Claim(field=ClaimField.EVENT_TYPE, value="air-drone-strike", span=Span.of(text, words, words + 10),
                      method="rule:test", source_id=source_id)]))
    return source_id, incident_id, start


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_long_text_is_shown_around_the_evidence_and_links_open_the_page_holding_it(
        browser: object, site: Site, lang: str) -> None:
    source_id, incident_id, start = _long_suggestion(site, lang)
    page: Page = open_as(browser, site, DOCUMENTER, lang=lang)  # type: ignore[arg-type]
    try:
        page.goto(f"{site.url}/review/{incident_id}")
        note = page.get_by_test_id("text-shortened")
        assert note.inner_text().startswith(SHORTENED[lang][0])
        mark = page.locator(f"#ev-{start}")
        assert mark.is_visible() and mark.inner_text().startswith("Idlib, 3 March 2019")
        assert page.get_by_test_id("source-text").locator("mark.evidence").count() >= 2
        link = page.get_by_test_id("full-text-link")
        assert link.inner_text() == SHORTENED[lang][1]
        with page.expect_navigation():
            link.click()
        assert f"/sources/{source_id}?at={start}" in page.url
        assert "active" in (page.locator(f"#ev-{start}").get_attribute("class") or "")
        # An older link to the mark, without the page it is on, finds that page.
        page.goto(f"{site.url}/sources/{source_id}#ev-{start}")
        page.wait_for_url(f"**/sources/{source_id}?at={start}#ev-{start}")
        assert "active" in (page.locator(f"#ev-{start}").get_attribute("class") or "")
        assert page.get_by_test_id("text-previous").is_visible()
    finally:
        page.context.close()
