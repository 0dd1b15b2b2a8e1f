"""End to end in Chromium, in English and Arabic: an admin requires a second reviewer (a reason is asked for
in the page's language); a reviewer accepts an incident and their own verification is refused in the page's
language; the viewer does not see it; another reviewer verifies it from the list to verify; the viewer then does."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site, watch

from tawthiq.domain import (
    Confidentiality,
    Incident,
    IncidentDate,
    Location,
    LocationPrecision,
    Source,
    SourceKind,
    VictimGroup,
    VictimKind,
    VictimOutcome,
)
from tawthiq.domain.access import Role
from tawthiq.store import repository

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

EXPECT = {
    "en": {"reason": "Say why the team's rule changes.",
           "same": "You accepted this incident: another reviewer must verify it.", "marker": "Qzsecondreviewen"},
    "ar": {"reason": "اذكر سبب تغيير قاعدة الفريق.",
           "same": "أنت من قبل هذه الحادثة: يجب أن يتحقق منها مراجع آخر.", "marker": "Qzsecondreviewar"},
}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with running_site(tmp_path) as running:
        running.user("nour", Role.ADMIN)
        running.user("rana", Role.REVIEWER)
        running.user("sami", Role.REVIEWER)
        running.user("vera", Role.VIEWER)
        yield running


def _incident(site: Site, marker: str) -> int:
    incident = Incident(
        event_type="shelling", violations=["killing"], description=f"Shelling of the Douma market {marker}.",
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=3, count_max=3)],
        date=IncidentDate(edtf="2017-11-15"), confidentiality=Confidentiality.PUBLIC,
        location=Location(name="Douma", name_ar="دوما", admin1="Rif Dimashq", lat=33.57, lon=36.40,
                          precision=LocationPrecision.TOWN),
    )
    _, _, [iid] = repository.add_source_with_incidents(
        site.ws.db, Source(kind=SourceKind.TEXT, sha256="e" * 64, text=incident.description), [incident])
    return iid


def _as(browser: Browser, site: Site, username: str, lang: str) -> Page:
    return open_as(browser, site, username, lang=lang)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_second_reviewer_publishes(browser: Browser, site: Site, lang: str) -> None:
    expect = EXPECT[lang]
    marker = expect["marker"]
    iid = _incident(site, marker)
    admin = _as(browser, site, "nour", lang)
    seen = watch(admin)
    try:
        with admin.expect_navigation():
            admin.click('nav.main-nav a[href="/admin/settings"]')
        admin.get_by_test_id("second-review-on").check()
        admin.get_by_test_id("settings-comment").fill("   ")  # only spaces: refused, the box stays ticked
        admin.evaluate("document.querySelector('[data-testid=settings-comment]').removeAttribute('required')")
        with admin.expect_navigation():
            admin.get_by_test_id("settings-save").click()
        assert expect["reason"] in admin.get_by_test_id("settings-error").inner_text()
        assert admin.get_by_test_id("second-review-on").is_checked()
        admin.get_by_test_id("settings-comment").fill("two pairs of eyes / عينان قبل النشر")
        with admin.expect_navigation():
            admin.get_by_test_id("settings-save").click()
        assert admin.get_by_test_id("settings-done").is_visible()
        assert admin.get_by_test_id("settings-state").get_attribute("data-on") == "on"
        assert "nour" in admin.get_by_test_id("settings-history").inner_text()
        assert not seen.errors
    finally:
        admin.context.close()

    first = _as(browser, site, "rana", lang)
    try:
        first.goto(f"{site.url}/review/{iid}")
        with first.expect_navigation():
            first.get_by_test_id("accept").click()
        with first.expect_navigation():
            first.click('nav.main-nav a[href="/review/verify"]')
        row = first.locator(f'[data-testid="verify-row"][data-incident-id="{iid}"]')
        assert row.get_attribute("data-mine") == "1"
        with first.expect_navigation():
            row.get_by_test_id("verify-open").click()
        first.get_by_test_id("verify-comment").fill("checked it myself")
        with first.expect_navigation():
            first.get_by_test_id("verify").click()
        assert expect["same"] in first.get_by_test_id("form-error").inner_text()
        assert first.get_by_test_id("verify-comment").input_value() == "checked it myself"
    finally:
        first.context.close()

    viewer = _as(browser, site, "vera", lang)
    try:
        viewer.goto(f"{site.url}/incidents")
        assert marker not in viewer.content()
        assert viewer.goto(f"{site.url}/incidents/{iid}").status == 404  # type: ignore[union-attr]

        second = _as(browser, site, "sami", lang)
        try:
            with second.expect_navigation():
                second.click('nav.main-nav a[href="/review/verify"]')
            row = second.locator(f'[data-testid="verify-row"][data-incident-id="{iid}"]')
            assert row.get_attribute("data-mine") is None and "rana" in row.inner_text()
            with second.expect_navigation():
                row.get_by_test_id("verify-open").click()
            with second.expect_navigation():
                second.get_by_test_id("verify").click()
            assert f"/incidents/{iid}?done=verified" in second.url
        finally:
            second.context.close()

        viewer.goto(f"{site.url}/incidents")
        assert marker in viewer.content()
        viewer.goto(f"{site.url}/incidents/{iid}")
        assert marker in viewer.locator("main").inner_text()
    finally:
        viewer.context.close()
