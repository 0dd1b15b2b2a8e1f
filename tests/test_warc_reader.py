"""WARC and WACZ files: one document per archived page, everything else listed; broken archives refused in one line."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tawthiq.domain import DerivativeKind, SourceKind
from tawthiq.ingest.errors import IngestError
from tawthiq.ingest.readers import reader_for
from tawthiq.ingest.readers import warc as warc_module
from tawthiq.ingest.readers.warc import WaczReader, WarcReader
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.store import repository
from tawthiq.store.derivatives import derivatives_of
from tawthiq.store.vault.blobs import sha256_file
from tawthiq.store.vault.derived import derived_store

ALEPPO = """<html lang="ar"><head><meta charset="utf-8"><title>قصف حي الشعار</title><script>steal()</script></head>
<body><nav>الرئيسية</nav><article><p>حلب، 3 آذار 2016: قصف الطيران الحربي حي الشعار وقتل اثني عشر مدنياً بينهم أطفال،
بحسب الدفاع المدني السوري.</p></article></body></html>"""
RAQQA = """<html><head><title>Raqqa strike</title></head><body><article>
<p>Raqqa, 3 March 2015: an air strike on the al-Mashlab district killed four civilians, residents said.</p>
</article></body></html>"""


def _http(status: str = "200 OK", content_type: str = "text/html; charset=utf-8", **extra: str) -> StatusAndHeaders:
    headers = [("Content-Type", content_type)] + [(k.replace("_", "-"), v) for k, v in extra.items()]
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def _warc(records: list[tuple[str, bytes, StatusAndHeaders | None]], *, gzipped: bool = True, info: bool = True) -> bytes:
    """A WARC with a warcinfo record and one response per (uri, payload, http headers)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    if info:
        writer.write_record(writer.create_warcinfo_record("capture.warc.gz", {"software": "tawthiq-test 1.0"}))
    for uri, payload, http in records:
        record_type = "response" if http is not None else "resource"
        writer.write_record(
            writer.create_warc_record(uri, record_type, payload=io.BytesIO(payload), http_headers=http,
                                      warc_content_type="text/html" if http is None else None)
        )
    return buffer.getvalue()


def _page_warc(*, gzipped: bool = True) -> bytes:
    return _warc(
        [
            ("https://example.org/aleppo", ALEPPO.encode(), _http()),
            ("https://example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), _http(content_type="image/png")),
            ("https://example.org/old", b"", _http("301 Moved Permanently", location="https://example.org/aleppo")),
            ("https://example.org/raqqa", RAQQA.encode(), _http()),
        ],
        gzipped=gzipped,
    )


@pytest.mark.parametrize("gzipped", [True, False])
def test_each_html_response_becomes_a_document_and_the_rest_is_listed(gzipped: bool) -> None:
    data = _page_warc(gzipped=gzipped)
    reader = reader_for("capture.bin", data[:2048])  # sniffed from the content, gzipped or not
    assert isinstance(reader, WarcReader)
    result = reader.read(data, name="capture.bin")
    assert result.skipped == []
    aleppo, raqqa = result.documents
    assert aleppo.kind == SourceKind.WEB_ARCHIVE and aleppo.media_type == "application/warc"
    assert aleppo.url == "https://example.org/aleppo" and aleppo.title == "قصف حي الشعار"
    assert "حي الشعار" in aleppo.text and "steal()" not in aleppo.text and aleppo.language == "ar"
    assert aleppo.record_key.startswith("<urn:uuid:") and aleppo.record_key != raqqa.record_key
    warc = aleppo.metadata["warc"]
    assert warc["record_id"] == aleppo.record_key and warc["target_uri"] == aleppo.url
    assert warc["payload_digest"].startswith("sha1:") and aleppo.metadata["captured_at"] == warc["date"]
    assert aleppo.metadata["http"] == {"status": 200, "headers": {"content-type": "text/html; charset=utf-8"}}
    assert aleppo.metadata["page_sha256"] == hashlib.sha256(ALEPPO.encode()).hexdigest()
    contents = aleppo.metadata["warc_contents"]
    assert contents["records"] == {"warcinfo": 1, "response": 4}
    assert [(r["uri"], r.get("status"), r["content_type"]) for r in contents["not_ingested"]] == [
        ("https://example.org/logo.png", 200, "image/png"),
        ("https://example.org/old", 301, "text/html; charset=utf-8"),
    ]
    assert contents["warcinfo"]["software"] == "tawthiq-test 1.0"
    assert raqqa.url == "https://example.org/raqqa" and "al-Mashlab" in raqqa.text


def test_a_plain_text_resource_and_an_encoded_response_are_pages() -> None:
    compressed = gzip.compress(RAQQA.encode())
    data = _warc(
        [
            ("https://example.org/raqqa", compressed, _http(content_encoding="gzip")),
            ("urn:note", "حلب: قصف مدفعي على الحي.".encode(), None),
        ]
    )
    encoded, resource = WarcReader().read(data, name="x.warc.gz").documents
    assert "al-Mashlab" in encoded.text and encoded.metadata["page_sha256"] == hashlib.sha256(RAQQA.encode()).hexdigest()
    assert resource.text == "حلب: قصف مدفعي على الحي." and "http" not in resource.metadata


def test_a_warc_without_a_web_page_is_refused() -> None:
    data = _warc([("https://example.org/a.jpg", b"\xff\xd8\xff" + bytes(50), _http(content_type="image/jpeg"))])
    with pytest.raises(IngestError, match="^no web page found in the WARC$"):
        WarcReader().read(data, name="x.warc.gz")


def test_a_warc_whose_only_page_has_no_text_says_why() -> None:
    data = _warc([("https://example.org/", b"<html><body><script>x()</script></body></html>", _http())])
    with pytest.raises(IngestError, match="no readable web page in the WARC: record <urn:uuid:.*no readable text"):
        WarcReader().read(data, name="x.warc.gz")


def test_an_unreadable_page_is_skipped_and_the_others_kept() -> None:
    data = _warc([
        ("https://example.org/empty", b"<html><body></body></html>", _http()),
        ("https://example.org/raqqa", RAQQA.encode(), _http()),
    ])
    result = WarcReader().read(data, name="x.warc.gz")
    assert [d.url for d in result.documents] == ["https://example.org/raqqa"]
    assert len(result.skipped) == 1 and "https://example.org/empty" in result.skipped[0]


@pytest.mark.parametrize("gzipped", [True, False])
def test_a_truncated_warc_is_refused_in_one_line(gzipped: bool) -> None:
    data = _page_warc(gzipped=gzipped)
    cut = data[: len(data) - 120]
    with pytest.raises(IngestError, match="truncated WARC") as caught:
        WarcReader().read(cut, name="x.warc")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: banana\r\n\r\n<html>",
        b"WARC/1.0\r\n\x00\x01\x02 not headers at all" + bytes(300),
        gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n") + b"trailing junk",
        b"\x1f\x8b\x08\x00garbage that is not deflate",
    ],
)
def test_malformed_warcs_are_refused_in_one_line(data: bytes) -> None:
    with pytest.raises(IngestError) as caught:
        WarcReader().read(data, name="x.warc")
    message = str(caught.value)
    assert "\n" not in message and ("WARC" in message or "web page" in message)


def test_a_gzip_bomb_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warc_module, "MAX_INFLATED", 1024 * 1024)
    bomb = gzip.compress(b"WARC/1.0\r\n" + bytes(8 * 1024 * 1024), compresslevel=1)
    assert len(bomb) < 100_000
    with pytest.raises(IngestError, match="decompression bomb"):
        WarcReader().read(bomb, name="x.warc.gz")


def test_a_page_over_the_size_cap_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warc_module, "MAX_PAGE_BYTES", 1000)
    big = RAQQA.replace("</article>", "<p>" + "x " * 1000 + "</p></article>")
    data = _warc([("https://example.org/big", big.encode(), _http()), ("https://example.org/raqqa", RAQQA.encode(), _http())])
    result = WarcReader().read(data, name="x.warc.gz")
    assert [d.url for d in result.documents] == ["https://example.org/raqqa"]
    assert "page larger than 1000 bytes" in result.skipped[0]


def test_a_payload_altered_after_capture_is_flagged_by_its_digest() -> None:
    data = _warc([("https://example.org/raqqa", RAQQA.encode(), _http())], gzipped=False)
    altered = data.replace(b"four civilians", b"five civilians")  # same length: only the digest can tell
    (document,) = (result := WarcReader().read(altered, name="x.warc")).documents
    assert "five civilians" in document.text
    assert document.metadata["warc"]["digest_problems"]
    assert result.skipped and result.skipped[0].startswith("warning:") and "digest" in result.skipped[0]
    assert WarcReader().read(data, name="x.warc").skipped == []


def _wacz(warcs: dict[str, bytes], *, extra: dict[str, bytes] | None = None, hashes: dict[str, str] | None = None) -> bytes:
    members = dict(warcs) | (extra or {})
    resources = [
        {"name": Path(name).name, "path": name, "hash": "sha256:" + (hashes or {}).get(name, hashlib.sha256(data).hexdigest()),
         "bytes": len(data)}
        for name, data in members.items()
    ]
    package = {"profile": "data-package", "wacz_version": "1.1.1", "title": "حلب", "software": "test",
               "created": "2026-11-26T00:00:00Z", "resources": resources}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False))
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_wacz_is_read_through_its_warcs_with_hashes_checked() -> None:
    data = _wacz({"archive/data.warc.gz": _page_warc()}, extra={"pages/pages.jsonl": b'{"url": "x"}\n'})
    reader = reader_for("capture.zip", data[:2048])
    assert isinstance(reader, WaczReader)
    result = reader.read(data, name="capture.zip")
    assert result.skipped == []
    assert [d.url for d in result.documents] == ["https://example.org/aleppo", "https://example.org/raqqa"]
    first = result.documents[0]
    assert first.media_type == "application/wacz" and first.metadata["warc"]["member"] == "archive/data.warc.gz"
    assert first.metadata["wacz"] == {"title": "حلب", "created": "2026-11-26T00:00:00Z", "software": "test",
                                      "wacz_version": "1.1.1"}


def test_a_wacz_member_that_does_not_match_its_datapackage_hash_is_reported() -> None:
    data = _wacz({"archive/data.warc.gz": _page_warc()}, hashes={"archive/data.warc.gz": "0" * 64})
    result = WaczReader().read(data, name="x.wacz")
    assert len(result.documents) == 2
    assert result.skipped == ["archive/data.warc.gz: its sha256 does not match datapackage.json (altered or corrupt; pages kept)"]


def test_a_wacz_missing_a_listed_member_is_reported() -> None:
    good = _wacz({"archive/data.warc.gz": _page_warc(), "archive/gone.warc.gz": b"x"})
    with zipfile.ZipFile(io.BytesIO(good)) as source:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for name in ("datapackage.json", "archive/data.warc.gz"):
                target.writestr(name, source.read(name))
    result = WaczReader().read(buffer.getvalue(), name="x.wacz")
    assert len(result.documents) == 2 and result.skipped == ["datapackage.json lists 'archive/gone.warc.gz', which the WACZ lacks"]


def test_one_broken_warc_in_a_wacz_does_not_hide_the_others() -> None:
    data = _wacz({"archive/a.warc.gz": _page_warc()[:-100], "archive/b.warc": _page_warc(gzipped=False)})
    result = WaczReader().read(data, name="x.wacz")
    assert [d.metadata["warc"]["member"] for d in result.documents] == ["archive/b.warc"] * 2
    assert len(result.skipped) == 1 and result.skipped[0].startswith("archive/a.warc.gz: truncated WARC")


@pytest.mark.parametrize(
    ("members", "match"),
    [
        ({"datapackage.json": b"{}", "archive/../../evil.warc": b"WARC/1.0"}, r"'\.\.' path component"),
        ({"datapackage.json": b"{}", "pages/pages.jsonl": b"{}"}, "no WARC in the WACZ"),
        ({"datapackage.json": b"[1, 2]", "archive/a.warc": b"WARC/1.0"}, "not a JSON object"),
    ],
)
def test_bad_waczs_are_refused_in_one_line(members: dict[str, bytes], match: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(IngestError, match=match):
        WaczReader().read(buffer.getvalue(), name="x.wacz")


def test_ingesting_a_warc_stores_each_page_as_a_source_with_its_text_copy(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "page.warc"
    path.write_bytes(_page_warc(gzipped=False))
    (result,) = ingest_files(ws, [path], actor="cli:tester")
    assert result.status == "new", result.error
    sources = [repository.get_source(ws.db, source_id) for source_id in result.source_ids]
    assert [(s.url, s.kind) for s in sources if s] == [
        ("https://example.org/aleppo", SourceKind.WEB_ARCHIVE),
        ("https://example.org/raqqa", SourceKind.WEB_ARCHIVE),
    ]
    assert all(s and s.sha256 == sha256_file(path) and s.metadata["reader"] == "warc" for s in sources)
    copies = derivatives_of(ws.db, sha256_file(path))
    assert sorted((c.kind, c.source_id) for c in copies) == [(DerivativeKind.TEXT, sid) for sid in sorted(result.source_ids)]
    by_source = {c.source_id: c for c in copies}
    for source in sources:
        assert source is not None and source.id is not None
        copy = by_source[source.id]
        assert copy.params == {"reader": "warc", "record_key": source.record_key}
        assert derived_store(ws.blobs).get(copy.sha256).decode() == source.text
    again = ingest_files(ws, [path], actor="cli:tester")[0]
    assert again.status == "duplicate" and sorted(again.source_ids) == sorted(result.source_ids)
    assert len(derivatives_of(ws.db, sha256_file(path))) == 2


def test_a_batch_of_archives_goes_on_past_hostile_ones_and_stores_nothing_of_them(ws: Workspace, tmp_path: Path) -> None:
    good = tmp_path / "a_site.wacz"
    good.write_bytes(_wacz({"archive/data.warc.gz": _page_warc()}))
    evil = tmp_path / "b_evil.wacz"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("datapackage.json", b"{}")
        archive.writestr("../../outside.warc", _page_warc(gzipped=False))
    evil.write_bytes(buffer.getvalue())
    cut = tmp_path / "c_cut.warc.gz"
    cut.write_bytes(_page_warc()[:-200])
    results = ingest_files(ws, [tmp_path], actor="cli:tester")
    assert [(r.path.name, r.status) for r in results] == [("a_site.wacz", "new"), ("b_evil.wacz", "failed"), ("c_cut.warc.gz", "failed")]
    assert results[1].error == "archive member '../../outside.warc' has an empty, '.' or '..' path component"
    assert results[2].error == "truncated WARC: a gzip member ends early"
    sources = [repository.get_source(ws.db, i) for i in results[0].source_ids]
    assert [(s.url, s.media_type, s.metadata["reader"]) for s in sources if s] == [
        ("https://example.org/aleppo", "application/wacz", "wacz"), ("https://example.org/raqqa", "application/wacz", "wacz"),
    ]
    stored = set(ws.blobs.iter_shas())
    assert sha256_file(good) in stored and not {sha256_file(evil), sha256_file(cut)} & stored
    assert not (tmp_path.parent / "outside.warc").exists()


def test_a_page_whose_compressed_body_breaks_off_is_not_read_cut_short() -> None:
    filler = " ".join(hashlib.sha256(b"%d" % i).hexdigest() for i in range(2000))  # barely compressible
    body = gzip.compress(RAQQA.replace("</article>", f"<p>{filler}</p></article>").encode())
    # Junk from 30,000 bytes on: past warcio's first 16 KiB block, which it would take for "not gzip at all".
    broken = body[:30_000] + b"\xfe" * (len(body) - 30_000)  # an invalid deflate block type
    data = _warc([("https://example.org/broken", broken, _http(content_encoding="gzip")),
                  ("https://example.org/raqqa", RAQQA.encode(), _http())])
    result = WarcReader().read(data, name="x.warc.gz")
    assert [d.url for d in result.documents] == ["https://example.org/raqqa"]
    assert len(result.skipped) == 1 and "compressed body is corrupt" in result.skipped[0]


def test_pages_past_the_per_file_limit_are_counted_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warc_module, "MAX_PAGES", 1)
    result = WarcReader().read(_page_warc(), name="x.warc.gz")
    assert [d.url for d in result.documents] == ["https://example.org/aleppo"]
    assert result.documents[0].metadata["warc_contents"]["pages_over_limit"] == 1
    assert result.skipped == [result.skipped[0]] and "more than 1 pages in one WARC" in result.skipped[0]


def test_a_warc_written_by_tawthiq_capture_reads_back_as_its_page() -> None:
    from datetime import UTC, datetime

    from tawthiq.ingest.capture.http import Hop
    from tawthiq.ingest.capture.record import warc_bytes

    # The capture keeps the body as it came off the wire, chunk framing included; the reader undoes it.
    chunked = f"{len(RAQQA.encode()):x}\r\n{RAQQA}\r\n0\r\n\r\n".encode()
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n"
    hops = [
        Hop(url="http://127.0.0.1:8000/old", request=b"GET /old HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            started_at=datetime(2026, 11, 26, 1, 0, tzinfo=UTC), http_version="HTTP/1.1", status=302,
            raw_head=b"HTTP/1.1 302 Found\r\nLocation: /raqqa\r\nContent-Length: 0\r\n\r\n",
            headers=[("Location", "/raqqa"), ("Content-Length", "0")]),
        Hop(url="http://127.0.0.1:8000/raqqa", request=b"GET /raqqa HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            started_at=datetime(2026, 11, 26, 1, 0, 1, tzinfo=UTC), peer="127.0.0.1:8000", http_version="HTTP/1.1",
            status=200, raw_head=head, raw_body=chunked,
            headers=[("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")]),
    ]
    data = warc_bytes(hops, software="tawthiq test", captured_at="2026-11-26T01:00:01Z", reason="test")
    result = WarcReader().read(data, name="capture.warc.gz")
    (page,) = result.documents
    assert result.skipped == [] and page.url == "http://127.0.0.1:8000/raqqa" and "al-Mashlab" in page.text
    assert page.metadata["warc"]["ip_address"] == "127.0.0.1"
    contents = page.metadata["warc_contents"]
    assert contents["records"] == {"warcinfo": 1, "request": 2, "response": 2}
    assert [(r["uri"], r["status"]) for r in contents["not_ingested"]] == [("http://127.0.0.1:8000/old", 302)]


def test_a_digest_warning_is_a_note_not_a_failure(ws: Workspace, tmp_path: Path) -> None:
    data = _warc([("https://example.org/raqqa", RAQQA.encode(), _http())], gzipped=False)
    path = tmp_path / "altered.warc"
    path.write_bytes(data.replace(b"four civilians", b"five civilians"))
    (result,) = ingest_files(ws, [path])
    # The page is stored whole; the mismatch is said, and the file does not count as failed or partial.
    assert result.status == "new" and result.error is None
    assert len(result.notes) == 1 and "digest" in result.notes[0]


def test_each_page_of_an_archive_lists_only_its_own_text_copy(ws: Workspace, tmp_path: Path) -> None:
    from tawthiq.domain.access import Role, User
    from tawthiq.services.source_panels import source_evidence

    path = tmp_path / "two.warc"
    path.write_bytes(_page_warc(gzipped=False))
    (result,) = ingest_files(ws, [path])
    reviewer = User(id=1, username="rima", role=Role.REVIEWER)
    seen = []
    for source_id in result.source_ids:
        source = repository.get_source(ws.db, source_id)
        assert source is not None
        copies = source_evidence(ws, user=reviewer, source_id=source_id).derivatives
        assert [c.params.get("record_key") for c in copies] == [source.record_key]
        seen.append(copies[0].sha256)
    assert len(set(seen)) == 2  # both pages share the original, each has its own text
