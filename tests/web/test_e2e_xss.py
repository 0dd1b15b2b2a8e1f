"""End to end in Chromium: report text carrying scripts and event handlers stays inert on every page.

Report text is attacker-controlled. A pasted report and an uploaded HTML
file both carry payloads that, if any page let them through as markup,
would set ``window.__pwned`` or open a dialog. Every page that shows the
report is visited, and each must show the payload as plain text instead.
The strict CSP is a second wall; the test checks that it was never even
needed (no CSP violation in the console), so escaping alone held.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from _e2e_helpers import Site, Watch, new_page, running_site, sign_in, watch
from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

pytestmark = pytest.mark.browser

DOCUMENTER = "dana.documenter"
PASTED_TITLE = 'Aleppo report <img src=x onerror="window.__pwned=\'title\';alert(\'title\')">'
# The script sits inside the act's own sentence, so the incident's description (that sentence) carries it
# into the correction form's textarea as well.
PASTED = (
    "Airstrike on Aleppo <script>window.__pwned=1;alert(1)</script> killed 3 civilians on 4 March 2016. "
    '<img src=x onerror="window.__pwned=2;alert(2)"> '
    '<svg onload="window.__pwned=3;alert(3)"> '
    '<a href="javascript:window.__pwned=4">x</a> '
    '"><iframe srcdoc="<script>parent.__pwned=5</script>"></iframe>'
)
UPLOADED = b"""<!doctype html><html><head><title>Idlib <script>window.__pwned=6</script> shelling</title>
<script>window.__pwned=7;alert(7)</script></head>
<body onload="window.__pwned=8;alert(8)">
<p>Shelling on Idlib killed 2 civilians on 9 May 2019.</p>
<p>&lt;img src=x onerror="window.__pwned=9;alert(9)"&gt; was written in the report as text.</p>
<p><img src=x onerror="window.__pwned=10;alert(10)"><svg><script>window.__pwned=11</script></svg>
<a href="javascript:window.__pwned=12">click</a></p>
</body></html>"""
# What must be visible as text somewhere on the pages that show the pasted report.
VISIBLE = ["<script>window.__pwned=1;alert(1)</script>", '<img src=x onerror="window.__pwned=2;alert(2)">']


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-xss"))) as running:
        running.user(DOCUMENTER, Role.DOCUMENTER)
        yield running


def _assert_csp(response: Response | None, where: str) -> None:
    assert response is not None and response.status == 200, f"{where}: HTTP {response and response.status}"
    csp = response.headers.get("content-security-policy", "")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives.get("script-src") == "'self'", f"{where}: CSP {csp!r}"
    assert directives.get("object-src") == "'none'" and "unsafe-inline" not in csp and "unsafe-eval" not in csp


def _assert_inert(page: Page, seen: Watch, response: Response | None, where: str) -> None:
    """Nothing ran, nothing was refused by the CSP, no payload became markup, and the page came with the CSP.

    ``response`` is None when checking a page again after an interaction (no new load).
    """
    if response is not None:
        _assert_csp(response, where)
    assert page.evaluate("() => typeof window.__pwned") == "undefined", f"{where}: a payload ran"
    assert not seen.dialogs, f"{where}: dialogs {seen.dialogs}"
    assert not seen.csp_reports(), f"{where}: a payload reached the DOM and was stopped only by the CSP: " \
                                   f"{seen.csp_reports()}"
    assert not seen.errors, f"{where}: {seen.errors}"
    # Only the app's own script files and JSON data blocks are scripts; no element carries a handler.
    scripts = page.evaluate("""() => Array.from(document.scripts).map(s => s.src ? new URL(s.src).pathname
                                                                           : 'inline:' + s.type)""")
    assert all(s.startswith("/static/") or s == "inline:application/json" for s in scripts), f"{where}: {scripts}"
    handlers = page.evaluate("""() => Array.from(document.querySelectorAll('*')).flatMap(e =>
        Array.from(e.attributes).filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name))""")
    assert handlers == [], f"{where}: {handlers}"
    assert page.locator('a[href^="javascript:" i], iframe, svg[onload], img[src="x"]').count() == 0, where


def _visit(page: Page, seen: Watch, url: str) -> None:
    _assert_inert(page, seen, page.goto(url), url)


def test_pasted_report_with_scripts_is_shown_as_text_everywhere(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    seen = watch(page)
    try:
        sign_in(page, site, DOCUMENTER)
        _visit(page, seen, f"{site.url}/add")
        page.get_by_test_id("paste-title").fill(PASTED_TITLE)
        page.get_by_test_id("paste-text").fill(PASTED)
        with page.expect_navigation() as navigation:
            page.get_by_test_id("paste-submit").click()
        _assert_inert(page, seen, navigation.value, "the add result page")
        source_href = page.get_by_test_id("new-source").first.get_attribute("href") or ""
        assert re.fullmatch(r"/sources/\d+", source_href), source_href
        source_id = int(source_href.rsplit("/", 1)[1])
        from tawthiq.store import repository

        incident_ids = [i.id for i in repository.list_incidents(site.ws.db) if i.source_id == source_id]
        assert incident_ids, "the pasted report yielded no incident to review"

        _visit(page, seen, f"{site.url}{source_href}")
        source_text = page.get_by_test_id("source-text").inner_text()
        for payload in VISIBLE:
            assert payload in source_text, f"the source page does not show {payload!r} as text"
        assert "Aleppo report <img src=x onerror=" in page.locator("main h1").inner_text()  # the title, as text

        for incident_id in incident_ids:
            _visit(page, seen, f"{site.url}/review/{incident_id}")
            assert "<script>window.__pwned=1;alert(1)</script>" in page.get_by_test_id("source-text").inner_text()
            _visit(page, seen, f"{site.url}/incidents/{incident_id}")
            # The edit form re-shows the text in a textarea; opening it must not bring anything to life.
            _visit(page, seen, f"{site.url}/review/{incident_id}")
            # The correction form is open beside the source: nothing to unfold.
            assert "<script>window.__pwned=1" in page.get_by_test_id("edit-description").input_value()
            _assert_inert(page, seen, None, "the opened edit form")

        _visit(page, seen, f"{site.url}/review")
        _visit(page, seen, f"{site.url}/incidents")
        assert set(incident_ids) <= {int(r.get_attribute("data-incident-id") or "0")
                                     for r in page.get_by_test_id("result-row").all()}
        _visit(page, seen, f"{site.url}/sources")
        # Search results, with a payload in the query too (reflected back into the search box).
        query = 'Aleppo"><script>window.__pwned=20</script>'
        _visit(page, seen, f"{site.url}/incidents?q={quote(query)}")
        assert page.get_by_test_id("search-box").input_value() == query
        _visit(page, seen, f"{site.url}/incidents?q=Aleppo")
        found = {int(r.get_attribute("data-incident-id") or "0") for r in page.get_by_test_id("result-row").all()}
        assert found & set(incident_ids)
        page.get_by_test_id("search-box").fill("pwned")
        with page.expect_navigation() as navigation:
            page.get_by_test_id("search-box").press("Enter")
        _assert_inert(page, seen, navigation.value, "search for 'pwned'")
    finally:
        page.context.close()


def test_uploaded_html_report_with_scripts_stays_inert(browser: Browser, site: Site) -> None:
    page = new_page(browser)
    seen = watch(page)
    try:
        sign_in(page, site, DOCUMENTER)
        _visit(page, seen, f"{site.url}/add")
        page.get_by_test_id("upload-files").set_input_files(
            files=[{"name": "idlib<img src=x onerror=alert(13)>.html", "mimeType": "text/html", "buffer": UPLOADED}])
        with page.expect_navigation() as navigation:
            page.get_by_test_id("upload-submit").click()
        _assert_inert(page, seen, navigation.value, "the upload result page")
        assert "idlib<img src=x onerror=alert(13)>.html" in page.get_by_test_id("add-results").inner_text()
        source_href = page.get_by_test_id("new-source").first.get_attribute("href") or ""
        assert re.fullmatch(r"/sources/\d+", source_href), source_href

        _visit(page, seen, f"{site.url}{source_href}")
        text = page.get_by_test_id("source-text").inner_text()
        assert "Shelling on Idlib killed 2 civilians" in text
        # Markup written as text in the report (&lt;img …&gt;) is shown as those characters.
        assert '<img src=x onerror="window.__pwned=9;alert(9)"> was written in the report as text.' in text
        # The reader keeps an HTML page's text, not its scripts.
        assert "window.__pwned=7" not in text and "window.__pwned=11" not in text

        source_id = int(source_href.rsplit("/", 1)[1])
        from tawthiq.store import repository

        for incident in [i for i in repository.list_incidents(site.ws.db) if i.source_id == source_id]:
            _visit(page, seen, f"{site.url}/review/{incident.id}")
            _visit(page, seen, f"{site.url}/incidents/{incident.id}")
        _visit(page, seen, f"{site.url}/incidents?q=Idlib")

        # Downloading the original hands it over as an attachment, never rendered as a page of this site.
        response = page.request.get(f"{site.url}{source_href}/original")
        assert response.status == 200
        assert response.headers.get("content-disposition", "").startswith("attachment")
        assert not response.headers.get("content-type", "").startswith("text/html")
        assert response.body() == UPLOADED
    finally:
        page.context.close()
