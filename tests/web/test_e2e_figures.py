"""In Chromium, the walk of issue 9 A.1: correct the Ariha air strike's killed count, press "Save and
accept" without a comment, then add one and save. Exactly the corrected groups are stored: no phantom
"killed, no count" group from the blank "add a group" row, and the list gives killed and injured apart."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import SAMPLES, Site, new_page, running_site, sign_in, watch
from sqlalchemy import select

from tawthiq.domain.access import Role
from tawthiq.domain.enums import IncidentStatus
from tawthiq.store.incidents import get_incident
from tawthiq.store.tables import incidents

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator

pytestmark = pytest.mark.browser

DOCUMENTER = "nour.documenter"
ARIHA = SAMPLES / "01-ariha-air-strike.en.txt"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-figures"))) as running:
        running.ingest(ARIHA)
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


def _ariha(site: Site) -> int:
    with site.ws.db.session() as session:  # type: ignore[attr-defined]
        ids = list(session.scalars(select(incidents.c.id).order_by(incidents.c.id)))
    for incident_id in ids:
        incident = get_incident(site.ws.db, incident_id)  # type: ignore[arg-type]
        if incident is not None and {str(v.outcome) for v in incident.victims} == {"killed", "injured"}:
            return incident_id
    raise AssertionError("the Ariha sample gave no suggestion with killed and injured groups")


def _groups(site: Site, incident_id: int) -> list[tuple[str, str, int | None, int | None]]:
    incident = get_incident(site.ws.db, incident_id)  # type: ignore[arg-type]
    assert incident is not None
    return sorted((str(v.outcome), str(v.kind), v.count_min, v.count_max) for v in incident.victims)


def _outcomes(form: Locator) -> list[str]:
    return [s.input_value() for s in form.get_by_test_id("edit-victim-outcome").all()]


def test_correcting_the_killed_count_after_a_missing_comment_stores_exactly_the_correction(
        browser: Browser, site: Site) -> None:
    incident_id = _ariha(site)
    before = _groups(site, incident_id)
    assert before == [("injured", "civilian", 14, None), ("killed", "civilian", 6, 6)]
    page = new_page(browser)
    seen = watch(page)
    try:
        sign_in(page, site, DOCUMENTER)
        page.goto(f"{site.url}/review")
        row = page.locator(f'[data-testid="review-row"][data-incident-id="{incident_id}"]')
        assert "killed 6" in row.inner_text() and "≥ 20" not in row.inner_text()
        with page.expect_navigation():
            row.get_by_test_id("review-open").click()

        # The correction form is open beside the source: nothing to unfold.
        form = page.get_by_test_id("edit-form")
        assert _outcomes(form) == ["killed", "injured", ""]  # the two groups and the blank "add a group" row
        killed = form.locator('fieldset[data-testid="victim-row"]').nth(0)
        killed.get_by_test_id("edit-victim-min").fill("10")
        killed.get_by_test_id("edit-victim-max").fill("10")
        with page.expect_navigation():
            form.get_by_test_id("edit-accept").click()  # no comment: refused

        form = page.get_by_test_id("edit-form")
        assert form.is_visible()
        assert form.get_by_test_id("form-error").is_visible()
        assert _groups(site, incident_id) == before  # nothing stored yet
        # The form came back as it was sent: the blank row is blank, not "killed".
        assert _outcomes(form) == ["killed", "injured", ""]
        assert form.locator('fieldset[data-testid="victim-row"]').nth(0).get_by_test_id(
            "edit-victim-min").input_value() == "10"
        form.get_by_test_id("edit-comment").fill("The network's list names ten people killed.")
        with page.expect_navigation():
            form.get_by_test_id("edit-accept").click()
        assert page.get_by_test_id("done").get_attribute("data-done") == "accepted"

        assert _groups(site, incident_id) == [("injured", "civilian", 14, None), ("killed", "civilian", 10, 10)]
        incident = get_incident(site.ws.db, incident_id)  # type: ignore[arg-type]
        assert incident is not None and incident.status is IncidentStatus.CONFIRMED

        page.goto(f"{site.url}/incidents")
        listed = page.locator(f'tr:has(a[href="/incidents/{incident_id}"])').first.inner_text()
        assert "killed 10" in listed and "injured ≥ 14" in listed and "≥ 24" not in listed
        page.goto(f"{site.url}/incidents/{incident_id}")
        victims = page.get_by_test_id("field-victims")
        assert victims.get_by_test_id("victim-group").count() == 2
        # The machine's "six civilians" is folded away among the replaced claims.
        replaced = victims.get_by_test_id("superseded-claims")
        assert "six civilians" in (replaced.text_content() or "") and not replaced.locator("ul").is_visible()
        assert not seen.errors and not seen.csp_reports()
    finally:
        page.context.close()
