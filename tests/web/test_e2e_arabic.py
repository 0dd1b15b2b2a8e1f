"""End to end in Chromium: the Arabic interface really reads right to left, and Arabic reports display."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _e2e_helpers import SAMPLES, Site, new_page, running_site, sign_in, watch
from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

DOCUMENTER = "dana.documenter"
ARABIC_SAMPLE = SAMPLES / "02-douma-shelling.ar.txt"  # Windows-1256, as older Arabic software saves it
NAV_AR = {"/": "الرئيسية", "/review": "المراجعة", "/incidents": "الحوادث", "/sources": "المصادر",
          "/map": "الخريطة", "/dashboard": "لوحة الإحصاءات"}
NAV_EN = {"/": "Home", "/review": "Review", "/incidents": "Incidents", "/sources": "Sources",
          "/map": "Map", "/dashboard": "Dashboard"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-arabic"))) as running:
        [result] = running.ingest(ARABIC_SAMPLE)
        assert result.status == "new" and len(result.source_ids) == 1
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


def _layout(page: Page) -> dict[str, Any]:
    """Where the header's parts sit, and the direction the browser computed."""
    return page.evaluate("""() => {
        const box = sel => { const r = document.querySelector(sel).getBoundingClientRect();
                             return {left: r.left, right: r.right, width: r.width}; };
        const links = Array.from(document.querySelectorAll('nav.main-nav a'));
        return {
            html: {dir: document.documentElement.dir, lang: document.documentElement.lang},
            body: getComputedStyle(document.body).direction,
            nav: getComputedStyle(document.querySelector('nav.main-nav')).direction,
            width: document.documentElement.clientWidth,
            brand: box('header .brand'),
            first: links[0].getBoundingClientRect().left, last: links[links.length - 1].getBoundingClientRect().left,
            h1: (() => { const range = document.createRange();  // the heading's words, not its block
                          range.selectNodeContents(document.querySelector('main h1'));
                          const r = range.getBoundingClientRect(); return {left: r.left, right: r.right}; })(),
        };
    }""")


def _nav(page: Page) -> dict[str, str]:
    return {a.get_attribute("href") or "": a.inner_text().strip() for a in page.locator("nav.main-nav a").all()}


def _switch_language(page: Page) -> None:
    """Press the header's language button and wait for the page to come back in the other language."""
    from playwright.sync_api import expect

    button = page.locator('form[action="/language"] button[type="submit"]')
    target = button.get_attribute("value") or ""
    assert target in ("ar", "en") and target != page.locator("html").get_attribute("lang")
    with page.expect_navigation():
        button.click()
    expect(page.locator("html")).to_have_attribute("lang", target)
    page.wait_for_load_state()


def test_language_button_flips_the_interface_to_arabic_and_back(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    page.set_viewport_size({"width": 1280, "height": 800})
    seen = watch(page)
    try:
        sign_in(page, site, DOCUMENTER)
        page.goto(f"{site.url}/incidents")
        english = _layout(page)
        assert english["html"] == {"dir": "ltr", "lang": "en"} and english["body"] == "ltr"
        assert {k: v for k, v in _nav(page).items() if k in NAV_EN} == NAV_EN
        assert page.locator('form[action="/language"] button').inner_text().strip() == "العربية"

        _switch_language(page)
        assert page.url == f"{site.url}/incidents"  # the switch returns to the page it was pressed on
        arabic = _layout(page)
        assert arabic["html"] == {"dir": "rtl", "lang": "ar"}
        assert arabic["body"] == "rtl" and arabic["nav"] == "rtl"
        assert {k: v for k, v in _nav(page).items() if k in NAV_AR} == NAV_AR
        assert page.locator("main h1").inner_text().strip() == "الحوادث"
        assert page.locator('form[action="/language"] button').inner_text().strip() == "English"
        assert page.title() == "الحوادث · توثيق"

        # The layout really mirrors: the brand moves from the left edge to the right edge, the menu
        # runs right to left (first item rightmost), and the heading hugs the right margin.
        width = arabic["width"]
        assert english["brand"]["left"] < width / 4 and arabic["brand"]["right"] > width * 3 / 4
        assert english["first"] < english["last"] and arabic["first"] > arabic["last"]
        assert english["h1"]["left"] < width / 4 and arabic["h1"]["right"] > width * 3 / 4
        assert abs((width - arabic["h1"]["right"]) - english["h1"]["left"]) < 40  # the same margin, mirrored

        # The choice is kept on the account: it survives signing out and in again.
        with page.expect_navigation():
            page.locator('form[action="/logout"] button[type="submit"]').click()
        sign_in(page, site, DOCUMENTER)
        assert _layout(page)["html"] == {"dir": "rtl", "lang": "ar"}

        _switch_language(page)
        back = _layout(page)
        assert back["html"] == {"dir": "ltr", "lang": "en"} and back["body"] == "ltr"
        assert {k: v for k, v in _nav(page).items() if k in NAV_EN} == NAV_EN
        assert not seen.errors and not seen.csp_reports()
    finally:
        page.context.close()


def test_arabic_report_text_displays_on_its_source_page(browser: Browser, site: Site) -> None:
    written = ARABIC_SAMPLE.read_bytes().decode("cp1256")
    site.user("amal.documenter", Role.DOCUMENTER)  # not the other test's account, whose language it changes
    page = new_page(browser)
    try:
        sign_in(page, site, "amal.documenter")
        assert page.locator("html").get_attribute("lang") == "en"
        _switch_language(page)
        page.goto(f"{site.url}/sources")
        link = page.locator('a[href^="/sources/"]').filter(has_text="الغوطة").first
        with page.expect_navigation():
            link.click()
        text = page.get_by_test_id("source-text")
        shown = text.inner_text()
        for line in ("مقتل خمسة مدنيين بقصف مدفعي على مدينة دوما",
                     "قُتل خمسة مدنيين، بينهم طفلان وامرأة، وأصيب أحد عشر آخرون بجروح"):
            assert line in written and line in shown  # decoded from Windows-1256, not mojibake
        assert "\ufffd" not in shown
        assert text.is_visible()
        # dir="auto" makes the browser lay the Arabic text out right to left.
        assert text.evaluate("e => getComputedStyle(e).direction") == "rtl"
        # The page's fonts include the bundled Arabic one, and it loads (served locally, allowed by the CSP).
        assert "Noto Naskh Arabic" in text.evaluate("e => getComputedStyle(e).fontFamily")
        assert page.evaluate("async () => (await document.fonts.load('16px \"Noto Naskh Arabic\"', 'دوما'))"
                             ".filter(f => f.status === 'loaded').length") > 0
        # The same text as the source page in English: the report is shown as written whatever the interface.
        _switch_language(page)
        assert page.locator("html").get_attribute("dir") == "ltr"
        assert "قُتل خمسة مدنيين" in page.get_by_test_id("source-text").inner_text()
        assert page.get_by_test_id("source-text").evaluate("e => getComputedStyle(e).direction") == "rtl"
    finally:
        page.context.close()
