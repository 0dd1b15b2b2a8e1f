"""End to end in Chromium, in English and Arabic: importing a Telegram export and capturing a web page
from the Add page, and their errors said in the page's language with what was typed kept.

The page to capture comes from a server on 127.0.0.1; this site alone is allowed loopback captures.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, new_page, open_as, running_site, sign_in, watch
from _intake_helpers import export_json, export_zip, page_server

from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DOCUMENTER = "huda.documenter"
VIEWER = "omar.viewer"
EXPECT = {
    "en": {"title": "Telegram export imported", "not_json": "The file is not JSON",
           "captured": "Web page captured", "refused": "could not be reached",
           "author": "Aleppo News Network"},
    "ar": {"title": "استُورد تصدير تيليغرام", "not_json": "الملف ليس بصيغة JSON",
           "captured": "التُقطت صفحة الويب", "refused": "تعذّر الوصول إلى الصفحة",
           "author": "شبكة أخبار حلب"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-add-intake")), capture_private=True) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        running.user(VIEWER, Role.VIEWER)
        yield running


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    with page_server() as base:
        yield base


def _open(browser: object, site: Site, lang: str, user: str = DOCUMENTER) -> Page:
    page = open_as(browser, site, user, lang=lang)  # type: ignore[arg-type]
    page.goto(f"{site.url}/add")
    return page


def _sources(site: Site) -> int:
    from tawthiq.store import repository

    return repository.count_sources(site.ws.db)


@pytest.mark.parametrize(("lang", "name", "data"), [("en", "result.json", export_json()),
                                                     ("ar", "ChatExport.zip", export_zip())])
def test_import_an_export_and_see_its_incidents(browser: object, site: Site, tmp_path: Path, lang: str,
                                                name: str, data: bytes) -> None:
    page = _open(browser, site, lang)
    seen = watch(page)
    upload = tmp_path / name
    upload.write_bytes(data)
    try:
        page.get_by_test_id("telegram-export").set_input_files(str(upload))
        page.get_by_test_id("telegram-author").fill(EXPECT[lang]["author"])
        page.get_by_test_id("telegram-received").fill("Signal")
        with page.expect_navigation():
            page.get_by_test_id("telegram-submit").click()
        assert page.locator("h1").inner_text().strip() == EXPECT[lang]["title"]
        assert int(page.get_by_test_id("telegram-messages").inner_text()) >= 3
        assert page.get_by_test_id("telegram-problem").count() >= 1  # the broken entry, said
        found = page.get_by_test_id("found-incidents").locator("a")
        assert found.count() >= 1
        with page.expect_navigation():
            found.first.click()
        assert "/incidents/" in page.url
        assert not seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_file_that_is_not_an_export_is_one_line_with_what_was_typed(browser: object, site: Site,
                                                                      tmp_path: Path, lang: str) -> None:
    page = _open(browser, site, lang)
    upload = tmp_path / "result.json"
    upload.write_bytes(b"<html>not json</html>")
    before = _sources(site)
    try:
        page.get_by_test_id("telegram-export").set_input_files(str(upload))
        page.get_by_test_id("telegram-author").fill(EXPECT[lang]["author"])
        with page.expect_navigation():
            page.get_by_test_id("telegram-submit").click()
        error = page.get_by_test_id("telegram-error")
        assert error.is_visible() and EXPECT[lang]["not_json"] in error.inner_text()
        assert page.get_by_test_id("telegram-author").input_value() == EXPECT[lang]["author"]
        assert _sources(site) == before
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_capture_a_page_from_a_local_server(browser: object, site: Site, pages: str, lang: str) -> None:
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        page.get_by_test_id("capture-url").fill(f"{pages}/report")
        page.get_by_test_id("capture-reason").fill(f"may be taken down ({lang})")
        with page.expect_navigation(timeout=60_000):
            page.get_by_test_id("capture-submit").click()
        assert page.locator("h1").inner_text().strip() == EXPECT[lang]["captured"]
        assert page.get_by_test_id("capture-final-url").inner_text().strip() == f"{pages}/report"
        assert "warc" in page.get_by_test_id("capture-records").inner_text()
        with page.expect_navigation():
            page.get_by_test_id("capture-source").click()
        assert "PAGE-MARKER-5521" in page.content()
        assert not seen.errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_unreachable_page_is_one_line_with_the_address_kept(browser: object, site: Site, lang: str) -> None:
    with page_server() as gone:
        pass  # its port refuses connections now
    page = _open(browser, site, lang)
    before = _sources(site)
    try:
        page.get_by_test_id("capture-url").fill(f"{gone}/report")
        with page.expect_navigation(timeout=60_000):
            page.get_by_test_id("capture-submit").click()
        error = page.get_by_test_id("capture-error")
        assert error.is_visible() and EXPECT[lang]["refused"] in error.inner_text()
        assert page.get_by_test_id("capture-url").input_value() == f"{gone}/report"
        assert _sources(site) == before
    finally:
        page.context.close()


def test_a_viewer_has_no_add_page(browser: object, site: Site) -> None:
    page = new_page(browser)  # type: ignore[arg-type]
    try:
        sign_in(page, site, VIEWER)
        response = page.goto(f"{site.url}/add")
        assert response is not None and response.status == 403
        assert page.get_by_test_id("telegram-form").count() == 0
        assert page.get_by_test_id("capture-form").count() == 0
    finally:
        page.context.close()
