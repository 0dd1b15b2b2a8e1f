"""End to end in Chromium, in English and Arabic: a documenter asks for a court export, a reviewer approves it
for 2 hours, the documenter downloads it (its custody entry names the approval), the reviewer withdraws it, and
the documenter's next download is refused with a page saying why and linking to the request form. Error paths:
a reviewer's own request, bad hours, an approval that has run out."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, opened_as, running_site
from test_export_profiles_web import _incidents

from tawthiq.domain.access import Role
from tawthiq.services import accounts
from tawthiq.services.export_approvals import approve_export
from tawthiq.services.export_requests import request_export
from tawthiq.store.custody import iter_entries

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

NEEDS = {"en": "This export needs a reviewer's approval", "ar": "هذا التصدير يحتاج إلى موافقة مراجع"}
SELF = {"en": "An export beyond your own role needs another reviewer's approval.",
        "ar": "التصدير الذي يتجاوز دورك يحتاج إلى موافقة مراجع آخر."}
HOURS_ERROR = {"en": "An approval lasts from one hour to seven days.", "ar": "تمتد الموافقة من ساعة واحدة إلى سبعة أيام."}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-export-approvals"))) as running:
        _incidents(running.ws)
        yield running


def _court_refused(page: Page, site: Site, lang: str) -> None:
    page.goto(f"{site.url}/incidents/export?format=json&profile=court")
    assert NEEDS[lang] in page.get_by_test_id("needs-approval").inner_text()
    assert "Qzconfidential" not in page.content()
    with page.expect_navigation():
        page.get_by_test_id("needs-approval-request").click()
    assert page.get_by_test_id("request-profile").input_value() == "court"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_request_approve_download_withdraw(browser: Browser, site: Site, lang: str) -> None:
    doc, rev = f"dina.{lang}", f"rami.{lang}"
    site.user(doc, Role.DOCUMENTER)
    site.user(rev, Role.REVIEWER)
    with opened_as(browser, site, doc, lang=lang) as page:
        page.goto(f"{site.url}/incidents")
        with page.expect_navigation():
            page.get_by_test_id("export-profiles").click()
        choices = page.get_by_test_id("export-choice")
        assert choices.count() == 3
        assert page.locator('[data-profile="partner"][data-state="direct"]').count() == 1
        assert page.locator('[data-profile="court"][data-state="needs-approval"]').count() == 1
        page.get_by_test_id("request-profile").select_option("court")
        page.get_by_test_id("request-reason").fill("Qzreason the mechanism asked for it")
        with page.expect_navigation():
            page.get_by_test_id("request-submit").click()
        assert page.get_by_test_id("exports-done").is_visible()
        assert page.locator('[data-profile="court"][data-state="pending"]').count() == 1
        assert page.get_by_test_id("my-request").first.get_attribute("data-status") == "pending"

    with opened_as(browser, site, rev, lang=lang, accept_dialogs=True) as page:
        page.goto(f"{site.url}/exports/approvals")
        row = page.locator(f'[data-testid="pending-request"][data-username="{doc}"]')
        assert "Qzreason the mechanism" in row.inner_text()
        row.get_by_test_id("approve-hours").fill("0")  # bad hours: said in the page's language
        row.get_by_test_id("approve-reason").fill("for the hearing")
        with page.expect_navigation():
            row.get_by_test_id("approve").click()
        assert page.get_by_test_id("form-error").inner_text() == HOURS_ERROR[lang]
        row = page.locator(f'[data-testid="pending-request"][data-username="{doc}"]')
        row.get_by_test_id("approve-hours").fill("2")
        row.get_by_test_id("approve-reason").fill("for the hearing")
        with page.expect_navigation():
            row.get_by_test_id("approve").click()
        active = page.locator(f'[data-testid="active-approval"][data-username="{doc}"]')
        assert active.count() == 1
        approval_id = int(active.get_attribute("data-approval") or 0)

    with opened_as(browser, site, doc, lang=lang) as page:
        page.goto(f"{site.url}/exports/request")
        assert page.locator('[data-profile="court"][data-state="approved"]').count() == 1
        with page.expect_download() as got:
            page.locator('[data-profile="court"]').get_by_test_id("export-download-json").click()
        assert "Qzconfidential" in Path(got.value.path()).read_text(encoding="utf-8")
    exported = [e for e in iter_entries(site.ws.db) if e.event == "exported" and e.actor == doc]
    assert exported and exported[-1].details["filters"]["approval"] == approval_id

    with opened_as(browser, site, rev, lang=lang, accept_dialogs=True) as page:
        page.goto(f"{site.url}/exports/approvals")
        active = page.locator(f'[data-testid="active-approval"][data-approval="{approval_id}"]')
        assert active.get_by_test_id("approval-downloads").inner_text() in ("1", "١")
        active.get_by_test_id("withdraw-reason").fill("the hearing was postponed")
        with page.expect_navigation():
            active.get_by_test_id("withdraw").click()
        assert page.locator(f'[data-testid="active-approval"][data-approval="{approval_id}"]').count() == 0
        ended = page.locator(f'[data-testid="history-entry"][data-entry="{approval_id}"]')
        assert ended.get_attribute("data-status") == "withdrawn"
        assert "the hearing was postponed" in ended.inner_text()

    with opened_as(browser, site, doc, lang=lang) as page:
        _court_refused(page, site, lang)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_own_request_and_expired_approval(browser: Browser, site: Site, lang: str) -> None:
    # A documenter asks, is then made a reviewer: their own request cannot be approved by them.
    sami = site.user(f"sami.{lang}", Role.DOCUMENTER)
    request_export(site.ws, user=sami, profile="court", reason="my own case", machine="test")
    accounts.set_role(site.ws, actor=None, username=sami.username, role=Role.REVIEWER, comment="promoted")
    with opened_as(browser, site, sami.username, lang=lang, accept_dialogs=True) as page:
        page.goto(f"{site.url}/exports/approvals")
        row = page.locator(f'[data-testid="pending-request"][data-username="{sami.username}"]')
        row.get_by_test_id("approve-hours").fill("2")
        row.get_by_test_id("approve-reason").fill("self")
        with page.expect_navigation():
            row.get_by_test_id("approve").click()
        assert page.get_by_test_id("form-error").inner_text() == SELF[lang]
        assert page.locator(f'[data-testid="pending-request"][data-username="{sami.username}"]').count() == 1
    assert not [e for e in iter_entries(site.ws.db) if e.event == "approved" and e.actor == sami.username]

    # An approval that has run out: the export is refused with the page that says why.
    doc = site.user(f"hana.{lang}", Role.DOCUMENTER)
    rev = site.user(f"rana.{lang}", Role.REVIEWER)
    approve_export(site.ws, reviewer=rev, username=doc.username, profile="court", hours=1, reason="old",
                   machine="test", now=datetime.now(UTC) - timedelta(hours=3))
    with opened_as(browser, site, doc.username, lang=lang) as page:
        page.goto(f"{site.url}/exports/request")
        assert page.locator('[data-profile="court"][data-state="needs-approval"]').count() == 1
        _court_refused(page, site, lang)


NAV_LINK = {"en": "Export approvals", "ar": "موافقات التصدير"}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_approvals_page_is_in_the_navigation_of_reviewers_and_admins_only(browser: Browser, site: Site,
                                                                              lang: str) -> None:
    from tawthiq.services import second_factor

    second_factor.set_required(site.ws, user=None, on=False, comment="test accounts")  # an admin without one
    asker = site.user(f"nav-asker.{lang}", Role.DOCUMENTER)
    request_export(site.ws, user=asker, profile="court", reason=f"Qznavreason {lang}", machine="test")
    for username, role in ((f"nav-rev.{lang}", Role.REVIEWER), (f"nav-admin.{lang}", Role.ADMIN)):
        site.user(username, role)
        with opened_as(browser, site, username, lang=lang) as page:
            page.goto(f"{site.url}/incidents")
            link = page.locator('nav.main-nav a[href="/exports/approvals"]')
            assert link.count() == 1 and link.inner_text().strip() == NAV_LINK[lang]
            with page.expect_navigation():
                link.click()
            assert page.url.endswith("/exports/approvals") and f"Qznavreason {lang}" in page.content()
            current = page.locator('nav.main-nav a[aria-current="page"]')
            assert current.get_attribute("href") == "/exports/approvals"
    for username, role in ((f"nav-doc.{lang}", Role.DOCUMENTER), (f"nav-viewer.{lang}", Role.VIEWER)):
        site.user(username, role)
        with opened_as(browser, site, username, lang=lang) as page:
            page.goto(f"{site.url}/incidents")
            assert page.locator("nav.main-nav a").count() > 0  # the bar is there, without the link
            assert page.locator('a[href="/exports/approvals"]').count() == 0
            assert NAV_LINK[lang] not in page.locator("nav.main-nav").inner_text()
            refused = page.goto(f"{site.url}/exports/approvals")  # typed by hand: refused, not shown
            assert refused is not None and refused.status == 403
            assert "Qznavreason" not in page.content()
