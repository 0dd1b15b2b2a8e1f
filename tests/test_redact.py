"""Redacted working copies: black boxes on the upright picture with every piece of metadata gone, text spans
blacked out with offsets kept, who may make them, and a custody entry naming who and why."""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from _media import exif, jpeg, photo
from _users import ADMIN, DOCUMENTER, REVIEWER, VIEWER
from click.testing import CliRunner
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from tawthiq.cli import cli
from tawthiq.domain.enums import DerivativeKind
from tawthiq.domain.model import Person
from tawthiq.evidence.redact import (
    BLOCK,
    Box,
    RedactionError,
    Span,
    blacken,
    check_spans,
    redact_image,
)
from tawthiq.evidence.verify import verify
from tawthiq.services import NotFound, PermissionDenied, ServiceError, Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.services.redaction import redact_source, stored_path
from tawthiq.store.custody import entries_for_source
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.incidents import add_person, incidents_for_source
from tawthiq.store.sources import get_source

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
GPS = ("N", (36.0, 12.0, 30.5), "E", (36.0, 37.0, 12.25))


def _ingest(ws: Workspace, tmp_path: Path, name: str, data: bytes) -> int:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    (result,) = ingest_files(ws, [path])
    assert result.error is None and result.source_ids, result
    return result.source_ids[0]


def _png_with_text(size: tuple[int, int] = (80, 60)) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at the Ariha checkpoint by Abu Omar")
    info.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta xmlns:x="adobe:ns:meta/"><GPSLatitude>36</GPSLatitude>'
                                       "</x:xmpmeta>")
    out = io.BytesIO()
    photo(7, size).save(out, "PNG", pnginfo=info, exif=exif(gps=GPS))
    return out.getvalue()


def _no_metadata(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        assert len(image.getexif()) == 0
        assert not {"exif", "icc_profile", "comment", "xmp", "XML:com.adobe.xmp", "Comment"} & set(image.info)
        assert not getattr(image, "text", {})
    for marker in (b"GPS", b"Exif", b"<x:xmpmeta", b"http://ns.adobe.com/xap", b"Canon", b"Abu Omar", b"ICC_PROFILE",
                   b"tEXt", b"iTXt", b"zTXt", b"eXIf"):
        assert marker not in data, marker


# ------------------------------------------------------------------ images


def test_png_boxes_are_black_the_rest_unchanged_and_no_metadata_survives(ws: Workspace, tmp_path: Path) -> None:
    original = _png_with_text()
    assert b"GPS" in original or b"eXIf" in original  # the test input does carry metadata
    source_id = _ingest(ws, tmp_path, "checkpoint.png", original)
    copy = redact_source(ws, REVIEWER, source_id=source_id, boxes=[[10, 5, 20, 15], "50,40,30,20"],
                         reason="face of a detainee")
    assert copy.kind == DerivativeKind.REDACTED and copy.media_type == "image/png"
    data = stored_path(ws, copy).read_bytes()
    assert hashlib.sha256(data).hexdigest() == copy.sha256
    _no_metadata(data)
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(data)) as after:
        src, out = before.convert("RGB"), after.convert("RGB")
        assert out.size == src.size == (80, 60)
        inside = {(x, y) for x in range(10, 30) for y in range(5, 20)} | {(x, y) for x in range(50, 80)
                                                                           for y in range(40, 60)}
        for x in range(80):
            for y in range(60):
                if (x, y) in inside:
                    assert out.getpixel((x, y)) == (0, 0, 0), (x, y)
                else:
                    assert out.getpixel((x, y)) == src.getpixel((x, y)), (x, y)
    assert copy.params["boxes"] == [[10, 5, 20, 15], [50, 40, 30, 20]]
    assert copy.params["lossless"] is True and copy.params["format"] == "PNG"
    assert copy.params["metadata"].startswith("all stripped")
    assert copy.tool == "tawthiq redact" and "Pillow" in copy.tool_version


def test_jpeg_with_exif_and_gps_is_painted_on_the_upright_picture(ws: Workspace, tmp_path: Path) -> None:
    # Stored sideways (orientation 6: rotate 90° clockwise to view), as phones do.
    stored = photo(3, (120, 80))
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=90, exif=exif(gps=GPS, orientation=6, make="Canon"), comment=b"Abu Omar",
                icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
                xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://ns.adobe.com/xap/1.0/">'
                    b"GPS 36.2</rdf:RDF></x:xmpmeta>")
    original = out.getvalue()
    assert all(marker in original for marker in (b"<x:xmpmeta", b"ICC_PROFILE", b"Abu Omar", b"GPS"))
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # GPS really is in the input
    source_id = _ingest(ws, tmp_path, "street.jpg", original)
    with pytest.raises(ServiceError, match="not inside the 80 × 120 picture"):
        redact_source(ws, ADMIN, source_id=source_id, boxes=["0,0,100,10"], reason="faces")  # stored width
    copy = redact_source(ws, ADMIN, source_id=source_id, boxes=["0,0,80,30"], reason="faces of bystanders")
    assert copy.media_type == "image/jpeg" and copy.params["format"] == "JPEG"
    assert copy.params["width"] == 80 and copy.params["height"] == 120 and copy.params["lossless"] is False
    assert copy.params["colour"].startswith("converted from the embedded ICC profile to sRGB")
    data = stored_path(ws, copy).read_bytes()
    _no_metadata(data)
    assert data[2:4] != b"\xff\xe1"  # no APP1 (EXIF/XMP) segment after SOI
    with Image.open(io.BytesIO(data)) as out:
        assert out.size == (80, 120)  # upright, and nothing left to rotate it by
        rgb = out.convert("RGB")
        top = [rgb.getpixel((x, y)) for x in range(2, 78) for y in range(2, 28)]
        assert max(max(p) for p in top) <= 8  # black, give or take JPEG rounding at quality 95
        below = [rgb.getpixel((x, y)) for x in range(0, 80, 7) for y in range(40, 120, 7)]
        assert sum(sum(p) for p in below) / len(below) > 60  # the rest of the picture is still there


def test_same_inputs_give_the_same_copy_once(ws: Workspace, tmp_path: Path) -> None:
    source_id = _ingest(ws, tmp_path, "p.png", _png_with_text())
    first = redact_source(ws, ADMIN, source_id=source_id, boxes=["1,1,5,5", "20,20,4,4"], reason="a")
    again = redact_source(ws, REVIEWER, source_id=source_id, boxes=["20,20,4,4", "1,1,5,5"], reason="b")
    assert again.sha256 == first.sha256 and again.id == first.id
    redacted = [d for d in derivatives_of(ws.db, get_source(ws.db, source_id).sha256)  # type: ignore[union-attr,arg-type]
                if d.kind == DerivativeKind.REDACTED]
    assert len(redacted) == 1
    derived = [e for e in entries_for_source(ws.db, source_id) if e.item_sha256 == first.sha256]  # type: ignore[arg-type]
    assert [(e.event, e.actor, e.reason) for e in derived] == [("derived", "admin", "a")]


@pytest.mark.parametrize(("boxes", "message"), [
    ([], "not both and not neither"),
    (["1,2,3"], "X,Y,W,H"),
    (["-1,0,5,5"], "X,Y,W,H"),
    ([[0, 0, 0, 5]], "no area"),
    ([[70, 0, 20, 5]], "not inside"),
    ([[0, 0, 1, True]], r"\[x, y, width, height\]"),
])
def test_bad_boxes_are_refused_in_one_line(ws: Workspace, tmp_path: Path, boxes: list, message: str) -> None:
    source_id = _ingest(ws, tmp_path, "p.png", _png_with_text())
    with pytest.raises(ServiceError, match=message) as caught:
        redact_source(ws, ADMIN, source_id=source_id, boxes=boxes, reason="r")
    assert "\n" not in str(caught.value)


def test_a_picture_with_transparency_stays_png_and_the_boxes_are_opaque() -> None:
    image = Image.new("RGBA", (20, 20), (200, 30, 30, 0))  # fully transparent: colour hidden under alpha
    out = io.BytesIO()
    image.save(out, "PNG")
    made = redact_image(out.getvalue(), [Box(0, 0, 10, 20)])
    assert made.media_type == "image/png" and made.data is not None
    with Image.open(io.BytesIO(made.data)) as copy:
        assert copy.mode == "RGBA"
        assert copy.getpixel((3, 3)) == (0, 0, 0, 255) and copy.getpixel((15, 3)) == (200, 30, 30, 0)
    with pytest.raises(RedactionError, match="transparency"):
        redact_image(out.getvalue(), [Box(0, 0, 10, 20)], output="jpeg")


def test_corrupt_or_non_image_originals_are_refused() -> None:
    truncated = jpeg(photo(1, (64, 64)))[:300]
    with pytest.raises(RedactionError, match="corrupt or truncated|not a readable"):
        redact_image(truncated, [Box(0, 0, 5, 5)])
    with pytest.raises(RedactionError, match="not an image"):
        redact_image(b"plain words", [Box(0, 0, 5, 5)])


# ------------------------------------------------------------------- texts


def test_text_spans_keep_every_offset_and_line_break() -> None:
    text = "Witness: Abu Omar\r\nلقد شاهد أحمد الحادثة\nend"
    start = text.index("Abu")
    arabic = text.index("أحمد")
    spans = check_spans([Span(start, start + 12), Span(arabic, arabic + 4), Span(arabic + 1, arabic + 3)],
                        length=len(text))
    assert spans == [Span(start, start + 12), Span(arabic, arabic + 4)]  # the inner span merged away
    out = blacken(text, spans)
    assert len(out) == len(text) and out.splitlines() == [
        "Witness: " + BLOCK * 8, BLOCK * 2 + "د شاهد " + BLOCK * 4 + " الحادثة", "end"]
    assert out[start + 8:start + 10] == "\r\n"  # the line break inside the span is kept
    assert out[text.index("end"):] == "end"
    for bad in ([Span(5, 5)], [Span(3, 2)], [Span(0, len(text) + 1)], []):
        with pytest.raises(RedactionError):
            check_spans(bad, length=len(text))


def test_text_source_redaction_with_custody_and_original_untouched(ws: Workspace, tmp_path: Path) -> None:
    (result,) = ingest_files(ws, [SAMPLES / "01-ariha-air-strike.en.txt"])
    source_id = result.source_ids[0]
    source = get_source(ws.db, source_id)  # type: ignore[arg-type]
    assert source is not None
    original = ws.blobs.path(source.sha256)
    before = original.read_bytes()
    start = source.text.index("al-Basha")
    copy = redact_source(ws, REVIEWER, source_id=source_id, spans=[f"{start}:{start + 8}"],
                         reason="the neighbourhood identifies the witness")
    text = stored_path(ws, copy).read_text(encoding="utf-8")
    assert len(text) == len(source.text)
    assert text[start:start + 8] == BLOCK * 8 and "al-Basha" not in text[start - 5:start + 13]
    assert text[:start] == source.text[:start] and text[start + 8:] == source.text[start + 8:]
    assert copy.media_type == "text/plain; charset=utf-8" and copy.params["spans"] == [[start, start + 8]]

    assert original.read_bytes() == before and hashlib.sha256(before).hexdigest() == source.sha256
    entry = next(e for e in entries_for_source(ws.db, source_id) if e.item_sha256 == copy.sha256)  # type: ignore[arg-type]
    assert (entry.event, entry.actor, entry.reason) == ("derived", "rana", "the neighbourhood identifies the witness")
    assert entry.details["original_sha256"] == source.sha256 and entry.details["kind"] == "redacted"
    assert entry.details["params"]["spans"] == [[start, start + 8]]
    report = verify(ws.db, blobs=ws.blobs)  # type: ignore[arg-type]
    assert report.ok, report.problems


def test_persons_named_in_the_incidents_are_found_and_not_named_in_the_params(ws: Workspace) -> None:
    (result,) = ingest_files(ws, [SAMPLES / "01-ariha-air-strike.en.txt"])
    source_id = result.source_ids[0]
    with pytest.raises(ServiceError, match="no persons are linked"):
        redact_source(ws, ADMIN, source_id=source_id, persons=True, reason="names")
    incident = incidents_for_source(ws.db, source_id)[0]  # type: ignore[arg-type]
    person_id = add_person(ws.db, Person(name="AL-BASHA", name_alt="الباشا", incident_id=incident.id),  # type: ignore[arg-type]
                           user="test")
    copy = redact_source(ws, ADMIN, source_id=source_id, persons=True, reason="names of people")
    text = stored_path(ws, copy).read_text(encoding="utf-8")
    source_text = get_source(ws.db, source_id).text  # type: ignore[union-attr,arg-type]
    hits = [m.start() for m in re.finditer("al-Basha", source_text, re.IGNORECASE)]
    assert hits and "al-basha" not in text.lower()
    assert all(text[h:h + 8] == BLOCK * 8 for h in hits)
    assert copy.params["persons"] == [person_id] and copy.params["person_occurrences"] == len(hits)
    assert "BASHA" not in repr(copy.params).upper() and "الباشا" not in repr(copy.params)


# ------------------------------------------------------------ who and why


def test_only_reviewers_and_admins_with_a_reason_may_redact(ws: Workspace, tmp_path: Path) -> None:
    source_id = _ingest(ws, tmp_path, "p.png", _png_with_text())
    with pytest.raises(PermissionDenied, match="documenter"):
        redact_source(ws, DOCUMENTER, source_id=source_id, boxes=["0,0,5,5"], reason="r")
    # A viewer may not read sources at all: the source is "not found", so ids cannot be probed.
    with pytest.raises(NotFound, match=f"no source with id {source_id}"):
        redact_source(ws, VIEWER, source_id=source_id, boxes=["0,0,5,5"], reason="r")
    with pytest.raises(NotFound):
        redact_source(ws, ADMIN, source_id=source_id + 1000, boxes=["0,0,5,5"], reason="r")
    for reason in ("", "   \n "):
        with pytest.raises(ServiceError, match="give the reason"):
            redact_source(ws, ADMIN, source_id=source_id, boxes=["0,0,5,5"], reason=reason)
    with pytest.raises(ServiceError, match="not both"):
        redact_source(ws, ADMIN, source_id=source_id, boxes=["0,0,5,5"], spans=["0:1"], reason="r")
    sha = get_source(ws.db, source_id).sha256  # type: ignore[union-attr,arg-type]
    assert not [d for d in derivatives_of(ws.db, sha) if d.kind == DerivativeKind.REDACTED]  # type: ignore[arg-type]


def test_a_viewer_cannot_see_a_source_behind_a_confidential_incident(ws: Workspace) -> None:
    (result,) = ingest_files(ws, [SAMPLES / "02-douma-shelling.ar.txt"])
    source_id = result.source_ids[0]
    assert {i.confidentiality for i in incidents_for_source(ws.db, source_id)} - {"public"}  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        redact_source(ws, VIEWER, source_id=source_id, spans=["0:3"], reason="r")
    copy = redact_source(ws, REVIEWER, source_id=source_id, spans=["0:3"], reason="r")
    assert stored_path(ws, copy).read_text(encoding="utf-8")[:3] == BLOCK * 3


def test_cli_redact_prints_hash_and_place_and_acts_as_the_operator(ws: Workspace, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    source_id = _ingest(ws, tmp_path, "p.png", _png_with_text())
    monkeypatch.setenv("TAWTHIQ_DATABASE_URL", ws.settings.database_url)
    monkeypatch.setenv("TAWTHIQ_DATA_DIR", str(ws.settings.data_dir))
    runner = CliRunner()
    done = runner.invoke(cli, ["redact", str(source_id), "--box", "0,0,8,8", "--reason", "child's face"])
    assert done.exit_code == 0, done.output
    sha = re.search(r"^sha256 ([0-9a-f]{64})$", done.output, re.MULTILINE)
    place = re.search(r"^stored (.+)$", done.output, re.MULTILINE)
    assert sha and place and Path(place.group(1)).is_file()
    assert hashlib.sha256(Path(place.group(1)).read_bytes()).hexdigest() == sha.group(1)
    assert "/derived/" in place.group(1)
    entry = next(e for e in entries_for_source(ws.db, source_id) if e.item_sha256 == sha.group(1))  # type: ignore[arg-type]
    assert entry.actor.startswith("cli:") and entry.reason == "child's face"
    for args, message in ((["--box", "0,0,8,8"], "--reason"), (["--box", "0,0,999,8", "--reason", "r"], "not inside"),
                          (["--span", "0:1", "--format", "png", "--reason", "r"], "pictures only")):
        bad = runner.invoke(cli, ["redact", str(source_id), *args])
        assert bad.exit_code != 0 and message in bad.output, bad.output
    done = runner.invoke(cli, ["verify"])
    assert done.exit_code == 0, done.output


def test_colour_profiles_cmyk_and_bombs() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    picture = photo(5, (32, 24))
    out = io.BytesIO()
    picture.save(out, "PNG", icc_profile=srgb)
    made = redact_image(out.getvalue(), [Box(0, 0, 4, 4)])
    assert made.params["colour"] == "embedded ICC profile dropped, pixel values kept exactly"
    assert made.data is not None and b"iCCP" not in made.data
    with Image.open(io.BytesIO(made.data)) as copy:
        assert copy.getpixel((20, 20)) == picture.getpixel((20, 20)) and "icc_profile" not in copy.info

    cmyk = io.BytesIO()
    Image.new("CMYK", (16, 16), (0, 255, 255, 0)).save(cmyk, "JPEG", quality=95)  # red ink on paper
    made = redact_image(cmyk.getvalue(), [Box(0, 0, 8, 16)])
    assert made.media_type == "image/jpeg" and made.params["original_mode"] == "CMYK"
    with Image.open(io.BytesIO(made.data or b"")) as copy:
        assert copy.mode == "RGB"
        red, green, blue = copy.getpixel((12, 8))
        assert red > 200 and green < 60 and blue < 60 and max(copy.getpixel((3, 8))) <= 8

    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, "PNG")  # 144 megapixels in a few kilobytes
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(RedactionError, match="decompression bomb"):
        redact_image(bomb.getvalue(), [Box(0, 0, 5, 5)])
