"""End to end in Chromium, in English and in Arabic: a reviewer draws a region on a photo and attaches it to an
incident, attaches a video's time range, sees both on the incident page (the region outlined over the veiled
picture, the player starting at the range), is told in the page's language when a time range is wrong (the
typed values kept), and paints a box over a photo to make a redacted copy. No CSP violation, no script error."""
from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import Site, open_as, running_site, watch
from _media_helpers import add_copy, add_image, picture

from tawthiq.domain import Source, SourceKind
from tawthiq.domain.access import Role
from tawthiq.domain.enums import Confidentiality, DerivativeKind, IncidentStatus
from tawthiq.domain.model import Incident
from tawthiq.domain.originals import MediaInfo
from tawthiq.store import repository
from tawthiq.store.attachments import attachments_for_incident
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.media import add_media_source

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

TEXTS = {
    "en": {"done": "The source was attached to incident", "late": "The recording is only 02:00 long.",
           "order": "The end of the time range must come after its start.", "redacted": "The redacted copy was made"},
    "ar": {"done": "أُرفق المصدر بالحادثة", "late": "مدة التسجيل 02:00 فقط.",
           "order": "يجب أن تأتي نهاية المدى الزمني بعد بدايته.", "redacted": "صُنعت النسخة المنقّحة"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(Path(tmp_path_factory.mktemp("e2e-evidence"))) as running:
        for lang in TEXTS:
            running.user(f"rana.{lang}", Role.REVIEWER)
        yield running


def _photo(site: Site, name: str) -> int:
    colour = (zlib.crc32(name.encode()) % 200, 40, 90)  # distinct bytes for each photo (the same bytes are one source)
    source_id, sha = add_image(site.ws, picture(size=(200, 100), colour=colour), name=name)
    add_copy(site.ws, source_id=source_id, original_sha256=sha, data=picture(size=(200, 100), fmt="PNG"),
             media_type="image/png", params={"max_side": 200})
    return source_id


def _video(site: Site, name: str) -> int:
    data = b"\x00\x00\x00\x18ftypmp42" + name.encode() * 8
    sha = site.ws.blobs.put(data)
    source_id, _ = add_media_source(site.ws.db, Source(kind=SourceKind.VIDEO, sha256=sha, text="", original_name=name,
                                                       media_type="video/mp4", size=len(data)),
                                    MediaInfo(sha256=sha, kind="video", duration_seconds=120.0), actor="test")
    add_copy(site.ws, source_id=source_id, original_sha256=sha, data=b"copy " + name.encode(), media_type="video/mp4",
             kind=DerivativeKind.TRANSCODED)
    return source_id


def _open(browser: Browser, site: Site, lang: str) -> Page:
    return open_as(browser, site, f"rana.{lang}", lang=lang, locale="ar" if lang == "ar" else "en-GB")


def _drag(page: Page, frame: str, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Drag across the picture from one fraction of it to another, as a person draws a box."""
    page.wait_for_function(f"""() => {{ const i = document.querySelector('{frame} img');
                                        return i && i.complete && i.naturalWidth > 0; }}""")
    box = page.locator(f"{frame} img").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * start[0], box["y"] + box["height"] * start[1])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * (start[0] + end[0]) / 2, box["y"] + box["height"] * (start[1] + end[1]) / 2)
    page.mouse.move(box["x"] + box["width"] * end[0], box["y"] + box["height"] * end[1])
    page.mouse.up()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_attach_a_photo_region_and_a_video_range_then_see_them(browser: Browser, site: Site, lang: str) -> None:
    incident_id = repository.add_incident(site.ws.db, Incident(  # type: ignore[arg-type]
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.RESTRICTED,
        description=f"market strike {lang}"))
    photo_id, video_id = _photo(site, f"market-{lang}.jpg"), _video(site, f"strike-{lang}.mp4")
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/incidents/{incident_id}")
        page.click('[data-testid="attach-open"]')
        page.select_option('[data-testid="attach-source"]', str(photo_id))
        assert page.is_visible('[data-testid="part-region"]') and not page.is_visible('[data-testid="part-time"]')
        _drag(page, '[data-testid="part-region"] .draw-frame', (0.2, 0.2), (0.6, 0.7))
        region = [float(v) for v in page.input_value('[data-testid="attach-region"]').split(",")]
        assert region == pytest.approx([0.2, 0.2, 0.4, 0.5], abs=0.02)
        assert page.locator('[data-testid="part-region"] [data-testid="drawn-box"]').count() == 1
        page.fill('[data-testid="attach-reason"]', "the crater" if lang == "en" else "الحفرة")
        with page.expect_navigation():
            page.click('[data-testid="attach-submit"]')
        assert TEXTS[lang]["done"] in page.inner_text('[data-testid="done"]')

        # The error path: a time range past the end of the recording, said in the page's language.
        page.click('[data-testid="attach-open"]')
        page.select_option('[data-testid="attach-source"]', str(video_id))
        assert page.is_visible('[data-testid="part-time"]') and not page.is_visible('[data-testid="part-region"]')
        page.fill('[data-testid="attach-start"]', "01:00")
        page.fill('[data-testid="attach-end"]', "03:00")
        page.fill('[data-testid="attach-reason"]', "the strike")
        with page.expect_navigation():
            page.click('[data-testid="attach-submit"]')
        assert page.inner_text('[data-testid="form-error"]') == TEXTS[lang]["late"]
        assert page.input_value('[data-testid="attach-start"]') == "01:00"
        assert page.input_value('[data-testid="attach-source"]') == str(video_id)
        page.fill('[data-testid="attach-start"]', "00:05")
        page.fill('[data-testid="attach-end"]', "00:09")
        with page.expect_navigation():
            page.click('[data-testid="attach-submit"]')

        items = page.locator('[data-testid="attachment"]')
        assert items.count() == 2
        still = page.locator(f'[data-testid="attachment"][data-source-id="{photo_id}"]')
        assert "veiled" in (still.locator('[data-testid="attached-thumbnail"]').get_attribute("class") or "")
        rect = still.locator('[data-testid="region-box"]')
        assert float(rect.get_attribute("x") or 0) == pytest.approx(20, abs=2)
        # The outline is drawn over the picture, where it was drawn.
        img_box, rect_box = still.locator("img").bounding_box(), rect.bounding_box()
        assert img_box and rect_box and rect_box["x"] == pytest.approx(img_box["x"] + 0.2 * img_box["width"], abs=4)
        video = page.locator(f'[data-testid="attachment"][data-source-id="{video_id}"] video')
        assert (video.locator("source").get_attribute("src") or "").endswith("#t=5.0,9.0")
        assert video.get_attribute("data-start") == "5.0"
        assert "veiled" in (video.get_attribute("class") or "")
        parts = {a.part for a in attachments_for_incident(site.ws.db, incident_id)}
        assert parts == {"region", "time"}
        assert not seen.csp_reports() and not seen.errors and not seen.dialogs, (seen.console, seen.errors)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_redact_a_box_drawn_on_a_photo(browser: Browser, site: Site, lang: str) -> None:
    photo_id = _photo(site, f"faces-{lang}.jpg")
    page = _open(browser, site, lang)
    seen = watch(page)
    try:
        page.goto(f"{site.url}/sources/{photo_id}")
        page.click('[data-testid="redact-open"]')
        # Without a reason: refused in the page's language, the drawn box kept.
        _drag(page, '[data-testid="redact"] .draw-frame', (0.1, 0.1), (0.3, 0.5))
        drawn = page.input_value('[data-testid="redact-regions"]')
        assert re.fullmatch(r"[\d.]+,[\d.]+,[\d.]+,[\d.]+", drawn)
        page.fill('[data-testid="redact-reason"]', "   ")
        page.eval_on_selector('[data-testid="redact-reason"]', "el => el.removeAttribute('required')")
        with page.expect_navigation():
            page.click('[data-testid="redact-submit"]')
        assert page.inner_text('[data-testid="form-error"]') == (
            "Say why: the reason is kept with the record." if lang == "en" else "اذكر السبب: يُحفظ السبب مع السجل.")
        assert page.input_value('[data-testid="redact-regions"]') == drawn
        assert page.locator('[data-testid="redact"] [data-testid="drawn-box"]').count() == 1  # redrawn from the value
        page.fill('[data-testid="redact-reason"]', "a face" if lang == "en" else "وجه")
        with page.expect_navigation():
            page.click('[data-testid="redact-submit"]')
        assert TEXTS[lang]["redacted"] in page.inner_text('[data-testid="done"]')
        assert page.locator('[data-testid="working-copy"][data-kind="redacted"]').count() == 1
        source = repository.get_source(site.ws.db, photo_id)  # type: ignore[attr-defined]
        (copy,) = [d for d in derivatives_of(site.ws.db, source.sha256) if d.kind == DerivativeKind.REDACTED]
        x, y, w, h = copy.params["boxes"][0]
        assert (x, y) == (pytest.approx(20, abs=3), pytest.approx(10, abs=3))
        assert (w, h) == (pytest.approx(40, abs=4), pytest.approx(40, abs=4))
        assert copy.created_by == f"rana.{lang}"
        assert not seen.csp_reports() and not seen.errors and not seen.dialogs, (seen.console, seen.errors)
    finally:
        page.context.close()
