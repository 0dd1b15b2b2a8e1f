"""End to end in Chromium, in English and Arabic: a file of a type that cannot be read, uploaded from the Add page,
and a Telegram export with a photo it does not hold, are said in the page's language (the English lines the
ingest writes for the command line never reach the Arabic page)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site, watch
from _intake_helpers import export_json

from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DOCUMENTER = "rana.documenter"
EXPECT = {
    "en": {"unsupported": "Files of type .docx cannot be read",
           "missing": "is missing from the export."},
    "ar": {"unsupported": "لا يمكن قراءة الملفات من نوع .docx",
           "missing": "غير موجود في التصدير."},
}
ENGLISH_LINES = ("unsupported file type", "binary data", "is missing from the export")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-leftovers"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


def _open(browser: object, site: Site, lang: str) -> Page:
    page = open_as(browser, site, DOCUMENTER, lang=lang)  # type: ignore[arg-type]
    page.goto(f"{site.url}/add")
    return page


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_file_that_cannot_be_read_and_a_missing_photo_are_said_in_the_page_language(
        browser: object, site: Site, tmp_path: Path, lang: str) -> None:
    page = _open(browser, site, lang)
    seen = watch(page)
    document = tmp_path / "report.docx"
    document.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    export = tmp_path / "result.json"
    export.write_bytes(export_json())
    try:
        page.locator("#upload-files").set_input_files(str(document))
        with page.expect_navigation():
            page.get_by_test_id("upload-submit").click()
        line = page.get_by_test_id("add-error").inner_text()
        assert EXPECT[lang]["unsupported"] in line
        page.goto(f"{site.url}/add")
        page.get_by_test_id("telegram-export").set_input_files(str(export))
        with page.expect_navigation():
            page.get_by_test_id("telegram-submit").click()
        problems = " ".join(page.get_by_test_id("telegram-problem").all_inner_texts())
        assert EXPECT[lang]["missing"] in problems
        if lang == "ar":
            shown = page.locator("main").inner_text()
            assert not [english for english in ENGLISH_LINES if english in shown]
        assert not seen.errors
    finally:
        page.context.close()
