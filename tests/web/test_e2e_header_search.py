"""End to end in Chromium, in English and Arabic: the search box in every page's header finds incidents."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from _e2e_helpers import SEED, Site, open_as, running_site

from tawthiq.domain.access import Role

pytestmark = pytest.mark.browser

DOCUMENTER = "huda.documenter"
ARIHA = "Ariha, 12 May 2019: Russian jets struck a bakery in Ariha, killing two civilians, a witness said.\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    directory = Path(tmp_path_factory.mktemp("e2e-header-search"))
    with running_site(directory) as running:
        other = directory / "ariha.txt"
        other.write_text(ARIHA, encoding="utf-8")
        assert all(r.status == "new" for r in running.ingest(SEED, other))
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_header_search_box_finds_incidents_from_any_page(browser: object, site: Site, lang: str) -> None:
    page = open_as(browser, site, DOCUMENTER, lang=lang)  # type: ignore[arg-type]
    try:
        for path in ("/map", "/sources", "/dashboard"):
            page.goto(f"{site.url}{path}")
            assert page.get_by_test_id("header-search-box").is_visible(), path
        page.get_by_test_id("header-search-box").fill("bakery")
        with page.expect_navigation():
            page.get_by_test_id("header-search-go").click()
        assert urlsplit(page.url).path == "/incidents" and parse_qs(urlsplit(page.url).query)["q"] == ["bakery"]
        total = int(page.get_by_test_id("result-count").get_attribute("data-total") or "-1")
        assert total >= 1
        assert page.get_by_test_id("header-search-box").input_value() == "bakery"  # the box says what was sought
        # A word nothing holds: no incident, and the page says so rather than failing.
        page.get_by_test_id("header-search-box").fill("Qzabsentword")
        with page.expect_navigation() as nav:
            page.get_by_test_id("header-search-go").click()
        assert nav.value is not None and nav.value.status == 200
        assert page.get_by_test_id("result-count").get_attribute("data-total") == "0"
    finally:
        page.context.close()
