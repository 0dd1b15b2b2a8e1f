"""End to end in Chromium, in English and Arabic: an admin ticks "shown to viewers" on a tag in the tags
page's form, and only then does a viewer see it on a public incident; the team's own tag on the same
incident never reaches the viewer's page."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _e2e_helpers import Site, open_as, running_site, watch

from tawthiq.domain import Confidentiality, Incident, IncidentDate, IncidentStatus, Location
from tawthiq.domain.access import Role
from tawthiq.services import tags
from tawthiq.services.tags import TagForm
from tawthiq.store import repository

pytestmark = pytest.mark.browser

LABELS = {"en": ("Flagged siege", "حصار معلَن", "Flagged siege", "Qzteamnote", "قزملاحظةفريق"),
          "ar": ("Announced strike", "ضربة معلنة", "ضربة معلنة", "Qzteamnotear", "قزملاحظةعربية")}
SHOWN = {"en": "Shown to viewers", "ar": "يظهر للمطّلعين"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-tag-viewers"))) as running:
        for lang in ("en", "ar"):
            running.user(f"admin-{lang}", Role.ADMIN)
            running.user(f"viewer-{lang}", Role.VIEWER)
        yield running


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_admin_shows_a_tag_to_viewers_from_the_form(browser: object, site: Site, lang: str) -> None:
    label_en, label_ar, label_here, team_en, team_ar = LABELS[lang]
    admin_user = site.users[f"admin-{lang}"]
    flagged = tags.add_tag(site.ws, user=admin_user, form=TagForm(label_en=label_en, label_ar=label_ar), comment="")
    team = tags.add_tag(site.ws, user=admin_user, form=TagForm(label_en=team_en, label_ar=team_ar), comment="")
    incident = repository.add_incident(site.ws.db, Incident(
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC,
        description=f"strike on Ariha {lang}", location=Location(name="Ariha", admin1="Idlib"),
        date=IncidentDate(edtf="2015-10-07")))
    for tag in (flagged, team):
        tags.tag_incident(site.ws, user=admin_user, incident_id=incident, tag_id=tag.id)

    viewer = open_as(browser, site, f"viewer-{lang}", lang=lang)  # type: ignore[arg-type]
    try:
        viewer.goto(f"{site.url}/incidents/{incident}")
        body = viewer.locator("body").inner_text()
        assert label_here not in body and team_en not in body and team_ar not in body  # neither shown yet
    finally:
        viewer.context.close()

    admin = open_as(browser, site, f"admin-{lang}", lang=lang)  # type: ignore[arg-type]
    seen = watch(admin)
    try:
        admin.goto(f"{site.url}/admin/tags")
        row = admin.locator(f"#tag-{flagged.id}")
        assert row.get_by_test_id("tag-team-only").is_visible()
        row.get_by_test_id("tag-edit-open").click()
        box = row.get_by_test_id(f"edit-{flagged.id}-shown")
        assert not box.is_checked()
        assert SHOWN[lang] in row.get_by_test_id("tag-edit-form").inner_text()
        box.check()
        row.get_by_test_id("tag-edit-form").locator('input[name="comment"]').fill("for the public page")
        with admin.expect_navigation():
            row.get_by_test_id("tag-save").click()
        assert admin.get_by_test_id("tags-done").is_visible()
        row = admin.locator(f"#tag-{flagged.id}")
        assert row.get_by_test_id("tag-shown").inner_text().strip() == SHOWN[lang]
        assert admin.locator(f"#tag-{team.id}").get_by_test_id("tag-team-only").is_visible()
        assert not seen.errors
    finally:
        admin.context.close()

    viewer = open_as(browser, site, f"viewer-{lang}", lang=lang)  # type: ignore[arg-type]
    try:
        viewer.goto(f"{site.url}/incidents/{incident}")
        current = viewer.get_by_test_id("current-tags")
        assert current.is_visible() and label_here in current.inner_text()
        body = viewer.content()
        assert team_en not in body and team_ar not in body
    finally:
        viewer.context.close()
