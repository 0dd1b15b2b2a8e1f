"""End to end in Chromium: a graphic image (or video) on its source page is veiled until the reviewer asks.

The thumbnail is drawn blurred and greyscale; the Show button (mouse or
keyboard) lifts the veil and the same button puts it back. All of it runs
under the app's CSP with no violation: the behaviour lives in a static
script and CSS classes, never inline.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, new_page, running_site, sign_in, watch
from _media_helpers import add_copy, add_image, picture

from tawthiq.domain.access import Role

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

REVIEWER = "rana.reviewer"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-media"))) as running:
        running.user(REVIEWER, Role.REVIEWER)
        yield running


@pytest.fixture(scope="module")
def image_source(site: Site) -> int:
    """An image original and its PNG thumbnail, stored as ingest and the derive stage store them."""
    source_id, sha = add_image(site.ws, picture(size=(320, 200)), name="graphic.jpg")
    add_copy(site.ws, source_id=source_id, original_sha256=sha, data=picture(size=(160, 100), fmt="PNG"),
             media_type="image/png", params={"max_side": 160})
    return source_id


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    opened = new_page(browser)
    try:
        yield opened
    finally:
        opened.context.close()


def _filter(page: Page) -> str:
    return str(page.eval_on_selector('[data-testid="thumbnail"]', "img => getComputedStyle(img).filter"))


def _assert_veiled(page: Page) -> None:
    value = _filter(page)
    assert "blur(" in value and "grayscale(" in value, value
    assert page.get_attribute('[data-testid="graphic-toggle"]', "aria-pressed") == "false"


def test_thumbnail_is_veiled_until_shown_by_mouse_or_keyboard(page: Page, site: Site, image_source: int) -> None:
    seen = watch(page)
    sign_in(page, site, REVIEWER)
    response = page.goto(f"{site.url}/sources/{image_source}")
    assert response is not None and response.status == 200
    # The thumbnail really loaded from its route (a broken image would also be "blurred").
    page.wait_for_function("""() => { const i = document.querySelector('[data-testid="thumbnail"]');
                                      return i && i.complete && i.naturalWidth === 160; }""")
    _assert_veiled(page)
    toggle = page.locator('[data-testid="graphic-toggle"]')
    assert toggle.inner_text() == "Show"

    toggle.click()
    assert _filter(page) == "none"
    assert toggle.get_attribute("aria-pressed") == "true" and toggle.inner_text() == "Hide"
    toggle.click()
    _assert_veiled(page)
    assert toggle.inner_text() == "Show"

    # Keyboard only: a real button takes focus and answers Enter and Space.
    toggle.focus()
    page.keyboard.press("Enter")
    assert _filter(page) == "none"
    page.keyboard.press("Space")
    _assert_veiled(page)

    assert not seen.csp_reports(), seen.csp_reports()
    assert not seen.errors and not seen.dialogs, (seen.errors, seen.dialogs)


def test_arabic_page_has_the_same_veil(browser: Browser, site: Site, image_source: int) -> None:
    page = new_page(browser, locale="ar")
    try:
        seen = watch(page)
        sign_in(page, site, REVIEWER)
        page.goto(f"{site.url}/sources/{image_source}")
        home_lang = page.get_attribute("html", "lang")
        if home_lang != "ar":  # the account's language wins over the browser's; switch as a person would
            with page.expect_navigation():
                page.click('form[action="/language"] button[name="lang"]')
        assert page.get_attribute("html", "dir") == "rtl"
        _assert_veiled(page)
        toggle = page.locator('[data-testid="graphic-toggle"]')
        assert toggle.inner_text() == "اعرض"
        toggle.click()
        assert _filter(page) == "none" and toggle.inner_text() == "احجب"
        assert not seen.csp_reports() and not seen.errors
    finally:
        page.context.close()


def _photo_with_exif() -> bytes:
    """A JPEG as a phone writes it: camera, local capture time and GPS in its EXIF."""
    import io

    from PIL import Image

    image = Image.new("RGB", (300, 200), (150, 10, 10))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "EOS 5D"
    exif[0x8769] = {0x9003: "2016:03:12 09:41:07"}  # DateTimeOriginal
    exif[0x8825] = {1: "N", 2: (36.0, 12.0, 7.56), 3: "E", 4: (37.0, 8.0, 3.48)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_uploaded_photo_gets_a_veiled_thumbnail_and_its_facts(browser: Browser, site: Site) -> None:
    from tawthiq.store import custody

    page = new_page(browser)
    try:
        seen = watch(page)
        sign_in(page, site, REVIEWER)
        page.goto(f"{site.url}/add")
        page.get_by_test_id("upload-files").set_input_files(
            files=[{"name": "حلب.jpg", "mimeType": "image/jpeg", "buffer": _photo_with_exif()}])
        with page.expect_navigation():
            page.get_by_test_id("upload-submit").click()
        href = page.get_by_test_id("new-source").first.get_attribute("href") or ""
        with page.expect_navigation():
            page.get_by_test_id("new-source").first.click()
        assert page.get_by_test_id("source-kind").get_attribute("data-kind") == "image"
        page.wait_for_function("""() => { const i = document.querySelector('[data-testid="thumbnail"]');
                                          return i && i.complete && i.naturalWidth > 0; }""")
        _assert_veiled(page)
        facts = page.get_by_test_id("media-facts").inner_text()
        # "px" or "بكسل": the reviewer's language may have been switched by another test of this module
        assert "300 × 200" in facts and "Canon EOS 5D" in facts and "36.202100, 37.134300" in facts
        assert "2016-03-12T09:41:07" in facts
        page.get_by_test_id("graphic-toggle").click()
        assert _filter(page) == "none"
        # The upload's own ledger: received, ingested, the thumbnail derived, and this visit.
        events = [row.get_attribute("data-event") for row in page.get_by_test_id("custody-entry").all()]
        assert events[:2] == ["received", "ingested"] and "derived" in events and events[-1] == "viewed"
        source_id = int(href.rsplit("/", 1)[1])
        last = custody.entries_for_source(site.ws.db, source_id)[-1]
        assert (last.event, last.actor) == ("viewed", REVIEWER)
        assert not seen.csp_reports() and not seen.errors, (seen.csp_reports(), seen.errors)
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def video_source(site: Site, tmp_path_factory: pytest.TempPathFactory) -> int:
    """An AVI in MPEG-4 Part 2 (which no browser plays) through the real ingest: it gets a transcoded copy."""
    from _media import photo, video

    path = Path(tmp_path_factory.mktemp("e2e-video")) / "clip.avi"
    path.write_bytes(video([photo(i, (320, 240)) for i in range(20)], fps=10, codec="mpeg4", container="avi"))
    (result,) = site.ingest(path)
    return int(result.source_ids[0])


def test_the_transcoded_video_is_veiled_then_plays_its_metadata(page: Page, site: Site, video_source: int) -> None:
    seen = watch(page)
    streamed: list[tuple[int, str]] = []
    page.on("response", lambda r: streamed.append((r.status, r.headers.get("content-range", "")))
            if "/media/" in r.url else None)
    sign_in(page, site, REVIEWER)
    response = page.goto(f"{site.url}/sources/{video_source}")
    assert response is not None and response.status == 200
    player = page.get_by_test_id("player")
    assert player.evaluate("v => v.tagName") == "VIDEO"
    veil = player.evaluate("v => getComputedStyle(v).filter")
    assert "blur(" in veil and "grayscale(" in veil, veil
    toggle = page.get_by_test_id("player-toggle")
    # The label is the account's language (an earlier test may have switched it to Arabic).
    assert toggle.get_attribute("aria-pressed") == "false"
    assert toggle.inner_text() == toggle.get_attribute("data-label-show")

    toggle.click()
    assert player.evaluate("v => getComputedStyle(v).filter") == "none"
    assert toggle.get_attribute("aria-pressed") == "true"
    assert toggle.inner_text() == toggle.get_attribute("data-label-hide")
    # Chromium read our copy's header through the range-serving route: it knows its size and length.
    page.wait_for_function("""() => { const v = document.querySelector('[data-testid="player"]');
                                      return v && v.readyState >= 1; }""", timeout=10_000)
    facts = player.evaluate("v => [v.videoWidth, v.videoHeight, v.duration, v.error && v.error.code]")
    assert facts[:2] == [320, 240] and 1.5 <= facts[2] <= 2.5 and facts[3] is None, facts
    assert any(status == 206 and crange.startswith("bytes 0-") for status, crange in streamed), streamed
    toggle.click()
    assert "blur(" in player.evaluate("v => getComputedStyle(v).filter")
    assert not seen.csp_reports(), seen.csp_reports()
    assert not seen.errors and not seen.dialogs, (seen.errors, seen.dialogs)
