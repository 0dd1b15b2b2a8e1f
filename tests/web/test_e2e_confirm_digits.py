"""End to end in Chromium, in Arabic and English: the browser's confirmation dialog (a button's data-confirm,
static/js/app.js) writes its figures in the reader's digits, as the page around it does.

Undo on an incident's same-event judgement asks "Withdraw the judgement on incident #N?": in Arabic, for a
reader who chose Arabic-Indic digits, N is written ٠-٩; in English always 0-9 (even with that choice made).
Declining the dialog withdraws nothing; accepting it does. A saved search's name inside a question keeps the
digits it was typed with, in any interface.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site

from tawthiq.domain.access import Role
from tawthiq.domain.enums import Confidentiality, DatePrecision, IncidentStatus
from tawthiq.domain.model import Incident, IncidentDate, Involvement
from tawthiq.services import accounts, linking, saved_searches
from tawthiq.store import repository
from tawthiq.web.digits import DIGITS_COOKIE

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

pytestmark = pytest.mark.browser

EASTERN = re.compile("[٠-٩]")
WESTERN = re.compile("[0-9]")
TO_EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# The question's words in each language, around the other incident's number.
ASKED = {"ar": ("هل تريد سحب الحكم بشأن الحادثة #", "؟"), "en": ("Withdraw the judgement on incident #", "?")}
SAVED = "Raqqa 2015"  # a saved search's name: data, its digits as typed


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-confirm-digits"))) as running:
        for lang in ASKED:
            running.user(f"doc.{lang}", Role.DOCUMENTER)
        yield running


def _pair(site: Site, lang: str) -> tuple[int, int]:
    """Two incidents judged one event by a person; padded with others so the second's number has 2 digits."""
    def one(day: str) -> int:
        return repository.add_incident(site.ws.db, Incident(  # type: ignore[arg-type]
            event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC,
            violations=["killing"], involvements=[Involvement(actor="russia")],
            date=IncidentDate(edtf=day, text=day, precision=DatePrecision.DAY), description=f"Strike on {day}"))

    first = one("2016-03-12")
    second = one("2016-03-13")
    while second < 10:
        second = one("2016-03-13")
    linking.decide(site.ws, user=None, actor="tester", a=first, b=second, verdict="same",
                   comment=f"one strike ({lang})")
    return first, second


def _open(browser: Browser, site: Site, lang: str) -> Page:
    # Arabic-Indic digits chosen in both languages: only the Arabic interface writes them.
    cookie = {"name": DIGITS_COOKIE, "value": "arab", "url": site.url}
    page = open_as(browser, site, f"doc.{lang}", lang=lang, cookies=[cookie])  # type: ignore[list-item]
    assert page.locator("body").get_attribute("data-numerals") == ("arab" if lang == "ar" else "latn")
    return page


def _answer(page: Page, asked: list[str], accept: dict[str, bool]) -> None:
    """Answer every dialog as ``accept["now"]`` says, keeping what each asked."""
    def answer(dialog: Dialog) -> None:
        asked.append(f"{dialog.type}: {dialog.message}")
        if accept["now"]:
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_undo_dialog_names_the_incident_in_the_reader_s_digits(browser: Browser, site: Site, lang: str) -> None:
    first, second = _pair(site, lang)
    number = str(second).translate(TO_EASTERN) if lang == "ar" else str(second)
    words, mark = ASKED[lang]
    page = _open(browser, site, lang)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    asked: list[str] = []
    accept = {"now": False}
    _answer(page, asked, accept)
    try:
        page.goto(f"{site.url}/incidents/{first}")
        row = page.locator('[data-testid="judgement"][data-verdict="same"][data-in-force="true"]')
        assert row.count() == 1

        # Declined: the question is asked, in the reader's digits, and nothing is withdrawn.
        row.get_by_test_id("undo").click()
        page.wait_for_timeout(300)  # a declined dialog sends nothing: there is no navigation to wait for
        assert len(asked) == 1 and asked[0].startswith(f"confirm: {words}{number}{mark}"), asked
        message = asked[0].split(": ", 1)[1]
        if lang == "ar":
            assert EASTERN.search(message) and not WESTERN.search(message), message
        else:
            assert WESTERN.search(message) and not EASTERN.search(message), message
        assert page.url.endswith(f"/incidents/{first}")
        assert row.get_attribute("data-in-force") == "true"

        # Accepted: withdrawn, and the page says so.
        accept["now"] = True
        row.get_by_test_id("undo-comment").fill("two raids that day")
        with page.expect_navigation():
            row.get_by_test_id("undo").click()
        assert len(asked) == 2 and asked[1] == asked[0]
        assert page.locator('[data-testid="judgement"][data-verdict="same"][data-in-force="true"]').count() == 0
        assert page.get_by_test_id("linked-notice").is_visible()
        assert errors == [], errors
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_name_in_a_question_keeps_the_digits_it_was_typed_with(browser: Browser, site: Site, lang: str) -> None:
    user = accounts.get_user(site.ws, actor=None, username=f"doc.{lang}")
    saved_searches.save(site.ws, user=user, name=SAVED, params={"q": "Raqqa"})
    page = _open(browser, site, lang)
    asked: list[str] = []
    _answer(page, asked, {"now": False})
    try:
        page.goto(f"{site.url}/account")
        button = page.get_by_test_id("saved-search-delete").first
        button.click()
        page.wait_for_timeout(300)
        assert len(asked) == 1 and SAVED in asked[0], asked
        assert not EASTERN.search(asked[0]), asked  # no figure of the interface's own in this question
        assert page.get_by_test_id("saved-search-delete").count() == 1  # declined: still saved
    finally:
        page.context.close()
