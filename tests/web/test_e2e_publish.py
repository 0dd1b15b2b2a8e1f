"""The published static site opened from the disk (file://) in Chromium, in English and Arabic.

Every request that is not a file of the site is refused and recorded: the
pages must work with nothing from elsewhere (no CDN, no tile server). A
description holding markup shows as text and runs nothing.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import new_page, watch

from tawthiq.domain.enums import Confidentiality, IncidentStatus, LocationPrecision, VictimKind, VictimOutcome
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location, VictimGroup
from tawthiq.services import init_workspace
from tawthiq.services.publishing import publish
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.store.incidents import add_incident

if TYPE_CHECKING:
    from playwright.sync_api import Browser

HOSTILE = '<img src=x onerror="window.__pwned=1">Market shelled'


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("publish-e2e")
    ws = init_workspace(Settings(database_url=f"sqlite:///{root / 't.db'}", data_dir=root / "data",
                                 max_file_size=DEFAULT_MAX_FILE_SIZE))
    for event, place, lat, lon, killed, description in (
            ("shelling", "Saraqib", 35.8626, 36.8006, 4, HOSTILE),
            ("air-drone-strike", "Ariha", 35.8135, 36.6093, 2, "Air strike on a bakery")):
        add_incident(ws.db, Incident(
            event_type=event, involvements=[Involvement(actor="syrian-government")],
            victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=killed,
                                 count_max=killed)],
            location=Location(name=place, admin1="Idlib", lat=lat, lon=lon, precision=LocationPrecision.TOWN),
            date=IncidentDate(edtf="2018-03-03"), description=description, status=IncidentStatus.VERIFIED,
            confidentiality=Confidentiality.PUBLIC))
    publish(ws, profile="public", out=root / "pub", actor="tester", machine="test")
    ws.db.dispose()  # type: ignore[attr-defined]
    yield root / "pub" / "site"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_static_site_opens_from_the_disk_in_both_languages(browser: Browser, published: Path, lang: str) -> None:
    page = new_page(browser, locale="ar" if lang == "ar" else "en-GB")
    outside: list[str] = []

    def only_files(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith("file://"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", only_files)
    seen = watch(page)
    suffix = "" if lang == "en" else ".ar"
    try:
        page.goto((published / f"index{suffix}.html").as_uri())
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        rows = page.locator("#incidents tbody tr")
        assert rows.count() == 2
        assert page.locator("#incidents").inner_text().count("Market shelled") == 1
        assert page.locator("#incidents img").count() == 0 and page.evaluate("window.__pwned") is None
        heading = page.locator("h1").inner_text()
        assert heading == ("الحوادث الموثقة" if lang == "ar" else "Documented incidents")

        page.click(f'nav a[href="map{suffix}.html"]')
        page.wait_for_selector(".leaflet-interactive")
        assert page.locator("path.leaflet-interactive").count() >= 2  # the basemap's shapes and the two dots
        page.click(f'nav a[href="figures{suffix}.html"]')
        total = page.locator("#figures-total tbody tr td").all_inner_texts()
        assert total[1:3] == ["2", "6"]  # two events, six killed
        other = "index.html" if lang == "ar" else "index.ar.html"
        page.goto((published / f"index{suffix}.html").as_uri())
        page.click(f'nav a[href="{other}"]')
        assert page.locator("html").get_attribute("lang") == ("en" if lang == "ar" else "ar")
    finally:
        page.context.close()
    assert outside == [] and seen.errors == [] and seen.dialogs == []
