"""In Chromium, English and Arabic: a claim's "why" opens to a sentence (the rule id only inside), the evidence
legend names the colours, the grade legend explains F6, setting a grade works, and a grade without a reason
is refused in the page's language with the typed values kept."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site, watch

from tawthiq.domain.access import Role
from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import reading

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPORT = "Douma, 5 March 2015: A government air strike killed nine civilians in the market of Douma, activists said.\n"
EXPECT = {
    "en": {"why": "Why?", "words": "a number written in words", "legend": "What the marks mean",
           "victims": "Victims", "f6": "cannot be judged", "missing": "Say why you give this grade",
           "saved": "The grade is saved", "b2": "B2: the source is usually reliable", "reason": "known network"},
    "ar": {"why": "لماذا؟", "words": "عدد مكتوب بالحروف", "legend": "معنى الإشارات",
           "victims": "الضحايا", "f6": "لا يمكن الحكم", "missing": "اذكر سبب هذا التقييم",
           "saved": "حُفظ التقييم", "b2": "B2: المصدر موثوق عادةً", "reason": "شبكة محلية معروفة"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = Path(tmp_path_factory.mktemp("e2e-plain"))
    with running_site(folder) as running:
        for lang in EXPECT:
            running.user(f"doc_{lang}", Role.DOCUMENTER)
        report = folder / "douma.txt"
        report.write_text(REPORT, encoding="utf-8")
        running.ingest(report)
        yield running


def _open(browser: object, site: Site, lang: str) -> Page:
    return open_as(browser, site, f"doc_{lang}", lang=lang)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_why_legend_and_grading(browser: object, site: Site, lang: str) -> None:
    said = EXPECT[lang]
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        user = site.users[f"doc_{lang}"]
        incident = reading.query_incidents(site.ws, user=user, filters=IncidentFilter(), sort="id").items[0]
        page.goto(f"{site.url}/incidents/{incident.id}")
        victims = page.get_by_test_id("field-victims")
        why = victims.get_by_test_id("why").first
        assert not why.get_by_test_id("why-sentence").is_visible()  # folded until asked
        assert (why.get_by_test_id("why-rule").text_content() or "").startswith("rule:victims/")
        why.locator("summary").click()
        assert why.locator("summary").inner_text().strip() == said["why"]
        assert said["words"] in why.get_by_test_id("why-sentence").inner_text()
        assert why.get_by_test_id("why-rule").is_visible()
        # Outside the disclosures, no rule id is on the page.
        visible = page.evaluate("""() => { const c = document.body.cloneNode(true);
            c.querySelectorAll('details.why').forEach(d => d.remove()); return c.innerText; }""")
        assert "rule:" not in visible

        page.goto(f"{site.url}/sources/{incident.source_id}")
        legend = page.get_by_test_id("mark-legend")
        assert said["legend"] in legend.inner_text() and said["victims"] in legend.inner_text()
        victim_mark = page.locator('mark.evidence[data-colour="victims"]').first
        assert said["victims"] in (victim_mark.get_attribute("title") or "")
        colours = {page.locator(f'mark.evidence[data-colour="{f}"]').first.evaluate(
            "m => getComputedStyle(m).backgroundColor") for f in ("victims", "date", "event_type")}
        assert len(colours) == 3  # each field its own colour

        grade = page.get_by_test_id("source-grade")
        page.get_by_test_id("grade-legend").locator("summary").click()
        assert said["f6"] in page.get_by_test_id("grade-legend").inner_text()
        # The error path: no reason given; the page says so in its language and keeps the choices.
        page.select_option('[data-testid="grade-reliability"]', "B")
        page.select_option('[data-testid="grade-credibility"]', "2")
        with page.expect_navigation():
            page.get_by_test_id("grade-submit").click()
        assert said["missing"] in page.get_by_test_id("grade-error").inner_text()
        assert page.locator('[data-testid="grade-reliability"]').input_value() == "B"
        assert page.locator('[data-testid="grade-credibility"]').input_value() == "2"
        page.fill('[data-testid="grade-reason"]', said["reason"])
        with page.expect_navigation():
            page.get_by_test_id("grade-submit").click()
        grade = page.get_by_test_id("source-grade")
        assert said["saved"] in grade.get_by_test_id("grade-done").inner_text()
        assert grade.get_by_test_id("source-evaluation").inner_text().startswith(said["b2"])
        assert grade.get_by_test_id("grade-note").inner_text() == said["reason"]
        assert not seen.errors and not seen.csp_reports()
    finally:
        page.context.close()
