"""End to end in Chromium, in English and Arabic: الرقة finds a town's incident, a multi-choice facet
with its chips, and a saved search saved, reopened and deleted (issue 12, part G)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _e2e_helpers import Site, open_as, running_site

from tawthiq.domain.access import Role
from tawthiq.domain.enums import Confidentiality, IncidentStatus
from tawthiq.domain.model import Incident, Involvement, Location
from tawthiq.store import repository

pytestmark = pytest.mark.browser

DOCUMENTER = "rana.documenter"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    directory = Path(tmp_path_factory.mktemp("e2e-search-places"))
    with running_site(directory) as running:
        def add(**fields: object) -> int:
            values: dict[str, object] = {"event_type": "air-drone-strike", "status": IncidentStatus.CONFIRMED,
                                         "confidentiality": Confidentiality.PUBLIC}
            values.update(fields)
            return repository.add_incident(running.ws.db, Incident(**values))  # type: ignore[arg-type]

        running.ids = {  # type: ignore[attr-defined]
            "tabqa": add(location=Location(name="Tabqa", name_ar="الطبقة", text="Tabqa", admin1="Raqqa",
                                           admin2="Al-Thawrah", place_id="gn:172374"),
                         involvements=[Involvement(actor="russia")], description="Shelling of the dam road"),
            "ain_issa": add(location=Location(name="Ein Issa", text="Ein Issa",
                                              place_id="sy-raqqa-tell-abyad-ein-issa"),
                            involvements=[Involvement(actor="syrian-government")], description="Camp raid"),
            "aleppo": add(location=Location(name="Aleppo", name_ar="حلب", text="Aleppo", admin1="Aleppo"),
                          involvements=[Involvement(actor="coalition")], description="Market strike"),
        }
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


def _ids(page: object) -> set[int]:
    rows = page.get_by_test_id("result-row")  # type: ignore[attr-defined]
    return {int(rows.nth(i).get_attribute("data-incident-id")) for i in range(rows.count())}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_raqqa_facets_chips_and_a_saved_search(browser: object, site: Site, lang: str) -> None:
    ids = site.ids  # type: ignore[attr-defined]
    # The delete button asks first.
    page = open_as(browser, site, DOCUMENTER, lang=lang, accept_dialogs=True)  # type: ignore[arg-type]
    try:
        # الرقة from the header box: the town of Tabqa and the sub-district of Ein Issa, never Aleppo.
        page.get_by_test_id("header-search-box").fill("الرقة")
        with page.expect_navigation():
            page.get_by_test_id("header-search-go").click()
        assert _ids(page) == {ids["tabqa"], ids["ain_issa"]}
        # Two perpetrators ticked: either matches; each is a chip.
        for actor in ("russia", "syrian-government"):
            box = page.locator(f'input[name="perpetrator"][value="{actor}"]')
            with page.expect_navigation():
                box.check()
        assert page.locator('input[name="perpetrator"]:checked').count() == 2
        assert _ids(page) == {ids["tabqa"], ids["ain_issa"]}
        chips = page.locator('[data-testid="chip"][data-filter="perpetrator"]')
        assert chips.count() == 2
        # Save it, with a name in the page's language.
        name = "الرقة: روسيا أو الحكومة" if lang == "ar" else "Raqqa: Russia or government"
        page.get_by_test_id("save-search-name").fill(name)
        with page.expect_navigation():
            page.get_by_test_id("save-search-button").click()
        assert page.get_by_test_id("search-saved").is_visible()
        # Removing one chip leaves the other perpetrator.
        with page.expect_navigation():
            chips.first.get_by_test_id("chip-remove").click()
        assert page.locator('input[name="perpetrator"]:checked').count() == 1
        assert len(_ids(page)) == 1
        # An empty name is refused in the page's language, the list kept.
        page.get_by_test_id("save-search-name").fill(" ")
        page.get_by_test_id("save-search-name").evaluate("el => el.removeAttribute('required')")
        with page.expect_navigation():
            page.get_by_test_id("save-search-button").click()
        error = page.get_by_test_id("save-search-error").inner_text()
        assert error == ("أعطِ البحث اسماً." if lang == "ar" else "Give the search a name.")
        # Reopen the saved search: both perpetrators again.
        saved = page.locator('[data-testid="saved-search"]', has_text=name)
        with page.expect_navigation():
            saved.get_by_test_id("saved-search-open").click()
        assert page.locator('input[name="perpetrator"]:checked').count() == 2
        assert _ids(page) == {ids["tabqa"], ids["ain_issa"]}
        # Delete it from the account page.
        page.goto(f"{site.url}/account")
        row = page.locator('[data-testid="saved-search"]', has_text=name)
        with page.expect_navigation():
            row.get_by_test_id("saved-search-delete").click()
        assert page.locator('[data-testid="saved-search"]', has_text=name).count() == 0
    finally:
        page.context.close()
