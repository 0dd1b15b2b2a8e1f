"""End to end in Chromium, in English and Arabic: the page of an incident naming three thousand people lists fifty
at a time with their count in words; "show more" lands at the next people, "previous"
and "first" go back, and a page number out of range or not a number shows the last page or the first, never an
error; a viewer opening the public incident's pages sees none of the names."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site

from tawthiq.domain import Confidentiality, Incident, IncidentStatus, Person, Source, SourceKind
from tawthiq.domain.access import Role
from tawthiq.services import reading
from tawthiq.store import repository
from tawthiq.store.incidents import insert_person

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

DOCUMENTER = "nour.documenter"
VIEWER = "sami.viewer"
PERSONS = 3_000
MARKER = "Planted-Name-Zx"
SAID = {
    "en": {"total": "3,000 named people are linked to this incident.", "first": "people 1 to 50",
           "second": "people 51 to 100", "more": "Show more people", "previous": "Previous people",
           "first_link": "First people"},
    "ar": {"total": "يرتبط بهذه الحادثة 3,000 من الأشخاص المسمَّين.", "first": "الأشخاص من 1 إلى 50",
           "second": "الأشخاص من 51 إلى 100", "more": "اعرض مزيداً من الأشخاص", "previous": "الأشخاص السابقون",
           "first_link": "الأشخاص الأوائل"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-incident-persons"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        running.user(VIEWER, Role.VIEWER)
        yield running


@pytest.fixture(scope="module")
def incident(site: Site) -> int:
    """Public and verified, so that a viewer may open it (its public values, none of its named persons)."""
    ws = site.ws
    source_id, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="f" * 64, title="A victim list",
                                                        text="A list of the names of the people killed."))
    incident_id = repository.add_incident(ws.db, Incident(
        event_type="shelling", source_id=source_id, description="Shelling of the market",
        confidentiality=Confidentiality.PUBLIC, status=IncidentStatus.VERIFIED))
    with ws.db.session(write=True) as session:
        for n in range(PERSONS):
            insert_person(session, Person(name=f"{MARKER} {n}", incident_id=incident_id), user="nour")
    return incident_id


def _person_ids(page: Page) -> list[str]:
    found = page.get_by_test_id("persons").get_by_test_id("person")
    return [found.nth(i).get_attribute("data-person-id") or "" for i in range(found.count())]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_show_more_people_pages_through_the_incident(browser: object, site: Site, incident: int, lang: str) -> None:
    said = SAID[lang]
    page: Page = open_as(browser, site, DOCUMENTER, lang=lang)  # type: ignore[arg-type]
    try:
        page.goto(f"{site.url}/incidents/{incident}?done=tagged")
        count = page.get_by_test_id("persons-count")
        assert count.is_visible() and said["total"] in count.inner_text() and said["first"] in count.inner_text()
        first = _person_ids(page)
        assert len(first) == reading.PERSONS_PER_PAGE
        more = page.get_by_test_id("persons-next")
        assert more.inner_text() == said["more"] and page.get_by_test_id("persons-previous").count() == 0
        with page.expect_navigation():
            more.click()
        # The next fifty, the page opened at the people, the one-time notice not said again (keeping the page of
        # claims is tests/web/test_incident_persons.py's: this incident has none).
        assert re.search(rf"/incidents/{incident}\?persons=2#persons$", page.url), page.url
        assert page.get_by_test_id("done").count() == 0
        assert said["second"] in page.get_by_test_id("persons-count").inner_text()
        assert page.evaluate("window.scrollY") > 0
        second = _person_ids(page)
        assert len(second) == reading.PERSONS_PER_PAGE and not set(first) & set(second)
        with page.expect_navigation():
            page.get_by_test_id("persons-next").click()
        with page.expect_navigation():
            page.get_by_test_id("persons-previous").click()
        assert page.get_by_test_id("persons-previous").inner_text() == said["previous"]
        assert _person_ids(page) == second
        with page.expect_navigation():
            page.get_by_test_id("persons-next").click()
        first_link = page.get_by_test_id("persons-first")
        assert first_link.inner_text() == said["first_link"]
        with page.expect_navigation():
            first_link.click()
        assert _person_ids(page) == first and page.get_by_test_id("persons-previous").count() == 0
        page.goto(f"{site.url}/incidents/{incident}?persons=100000#persons")
        assert page.get_by_test_id("persons-next").count() == 0
        assert page.get_by_test_id("persons-count").get_attribute("data-page") == "60"
        page.goto(f"{site.url}/incidents/{incident}?persons=abc")
        assert page.get_by_test_id("persons-count").get_attribute("data-page") == "1"
        assert page.locator("html").get_attribute("lang") == lang
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_viewer_sees_the_incident_and_none_of_its_people(browser: object, site: Site, incident: int,
                                                          lang: str) -> None:
    page: Page = open_as(browser, site, VIEWER, lang=lang)  # type: ignore[arg-type]
    try:
        for query in ("", "?persons=2#persons"):
            page.goto(f"{site.url}/incidents/{incident}{query}")
            assert page.get_by_test_id("incident").is_visible()
            assert page.get_by_test_id("person").count() == 0
            assert page.get_by_test_id("persons-count").count() == 0 and page.get_by_test_id("persons-pager").count() == 0
            assert MARKER not in page.content()
    finally:
        page.context.close()
