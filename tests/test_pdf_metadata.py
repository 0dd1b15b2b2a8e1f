"""PDF document info kept (scrubbed) in the source's metadata; a first-page PNG preview as a linked working copy."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from _pdf import one_page_pdf
from PIL import Image
from pypdf import PdfReader as PypdfReader
from pypdf import PdfWriter
from pypdf.generic import NumberObject

from tawthiq.domain import DerivativeKind
from tawthiq.ingest.errors import IngestError
from tawthiq.ingest.pdf_preview import MAX_SIDE, PdfPreviewDeriver
from tawthiq.ingest.readers.pdf import PdfReader
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store import custody, repository
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.vault.blobs import sha256_file
from tawthiq.store.vault.derived import derived_store


def _text_page() -> bytes:
    """A one-page PDF with a text layer and no document info, with a correct xref."""
    return one_page_pdf(b"BT /F1 24 Tf 72 700 Td (Douma, 3 March 2016: shelling killed six civilians.) Tj ET")


TEXT_PAGE = _text_page()


def _pdf(info: dict[str, str], *, password: str | None = None, pages: int = 1, mediabox: tuple[int, int] | None = None) -> bytes:
    """A text PDF rewritten by pypdf's writer with the given document info."""
    source = PypdfReader(io.BytesIO(TEXT_PAGE))
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_page(source.pages[0])
    if mediabox is not None:
        for page in writer.pages:
            page.mediabox.upper_right = (NumberObject(mediabox[0]), NumberObject(mediabox[1]))
    writer.add_metadata(info)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


INFO = {
    "/Title": "تقرير دوما",
    "/Author": "Syrian Civil Defence",
    "/Creator": "Microsoft Word",
    "/Producer": "macOS Quartz PDFContext",
    "/CreationDate": "D:20160304093000+02'00'",
    "/ModDate": "D:20160305100000Z",
}


def test_document_info_page_count_and_encryption_are_kept() -> None:
    (document,) = PdfReader().read(_pdf(INFO, pages=2), name="r.pdf").documents
    assert "shelling killed six civilians" in document.text
    assert document.metadata["pdf"] == {
        "pages": 2,
        "encrypted": False,
        "title": "تقرير دوما",
        "author": "Syrian Civil Defence",
        "creator": "Microsoft Word",
        "producer": "macOS Quartz PDFContext",
        "creation_date": "D:20160304093000+02'00'",
        "mod_date": "D:20160305100000Z",
        "creation_date_iso": "2016-03-04T09:30:00+02:00",
        "mod_date_iso": "2016-03-05T10:00:00+00:00",
    }
    assert document.title == "تقرير دوما" and document.author == "Syrian Civil Defence"


def test_an_empty_password_pdf_is_read_previewed_and_said_to_be_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(_pdf(INFO, password=""))
    (document,) = PdfReader().read(path.read_bytes(), name="r.pdf").documents
    assert document.metadata["pdf"]["encrypted"] is True and document.metadata["pdf"]["title"] == "تقرير دوما"
    (made,) = PdfPreviewDeriver().derive(path, repository_source(path))
    assert made.data is not None and made.data.startswith(b"\x89PNG")


def test_hostile_info_values_are_scrubbed() -> None:
    info = {
        "/Title": "Report\u202eFDP.exe\x00\x07 with\nnewlines",
        "/Author": "\u200fأحمد",  # an RLM as written is kept
        "/Producer": "x" * 5000,
        "/CreationDate": "D:20161399999999",  # not a real date: kept as written, no ISO reading
        "/ModDate": "yesterday",
    }
    facts = PdfReader().read(_pdf(info), name="r.pdf").documents[0].metadata["pdf"]
    assert facts["title"] == "ReportFDP.exe with newlines"
    assert facts["author"] == "\u200fأحمد"
    assert len(facts["producer"]) == 300
    assert facts["creation_date"] == "D:20161399999999" and "creation_date_iso" not in facts
    assert facts["mod_date"] == "yesterday" and "mod_date_iso" not in facts


def test_a_pdf_without_info_has_only_the_facts() -> None:
    facts = PdfReader().read(TEXT_PAGE, name="r.pdf").documents[0].metadata["pdf"]
    assert facts == {"pages": 1, "encrypted": False}


def test_the_preview_is_the_first_page_scaled_to_fit(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(_pdf(INFO, mediabox=(60000, 2000)))  # absurdly wide: still MAX_SIDE pixels
    source = repository_source(path)
    (made,) = PdfPreviewDeriver().derive(path, source)
    assert made.kind == DerivativeKind.PREVIEW and made.media_type == "image/png" and made.tool == "pypdfium2"
    assert made.data is not None
    image = Image.open(io.BytesIO(made.data))
    assert image.format == "PNG" and max(image.size) == MAX_SIDE == made.params["width"]
    assert made.params["page"] == 1 and made.tool_version
    assert PdfPreviewDeriver().derive(path, source)[0].data == made.data  # same bytes, same copy


def test_a_preview_of_a_broken_pdf_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    with pytest.raises(IngestError, match="^PDF preview failed: "):
        PdfPreviewDeriver().derive(path, repository_source(path))


def repository_source(path: Path):  # a Source as the pipeline would store it, for the deriver alone
    from tawthiq.domain import Source, SourceKind

    return Source(kind=SourceKind.PDF, sha256=sha256_file(path), text="x", original_name=path.name)


def test_ingesting_a_pdf_keeps_its_info_and_makes_text_and_preview_copies(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "douma.pdf"
    path.write_bytes(_pdf(INFO))
    (result,) = ingest_files(ws, [path], actor="cli:tester")
    assert result.status == "new", result.error
    source = repository.get_source(ws.db, result.source_ids[0])
    assert source is not None and source.metadata["pdf"]["producer"] == "macOS Quartz PDFContext"
    copies = {c.kind: c for c in derivatives_of(ws.db, sha256_file(path))}
    assert set(copies) == {DerivativeKind.TEXT, DerivativeKind.PREVIEW}
    preview = copies[DerivativeKind.PREVIEW]
    assert preview.source_id == source.id and preview.tool == "pypdfium2" and preview.params["page"] == 1
    png = derived_store(ws.blobs).get(preview.sha256)
    assert png.startswith(b"\x89PNG") and Image.open(io.BytesIO(png)).size == (preview.params["width"], preview.params["height"])
    derived = [e for e in custody.iter_entries(ws.db) if e.event == "derived"]
    assert {e.item_sha256 for e in derived} == {c.sha256 for c in copies.values()}
