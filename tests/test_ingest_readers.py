"""Readers: every format read, every kind of bad input refused with one clear line."""

from __future__ import annotations

import io
import json
from datetime import date
from email.message import EmailMessage

import pytest
from _pdf import one_page_pdf

from tawthiq.domain import SourceKind
from tawthiq.ingest.errors import IngestError
from tawthiq.ingest.readers import READERS, ColumnMapping, reader_for
from tawthiq.ingest.readers.base import Reader

ARABIC = (
    "قصف الطيران الحربي بلدة كفرنبل في ريف إدلب الجنوبي يوم الثلاثاء، "
    "ما أدى إلى مقتل خمسة مدنيين بينهم طفلان وإصابة عشرة آخرين."
)
ENGLISH = "Regime helicopters dropped two barrel bombs on the Bustan al-Qasr district of Aleppo, killing 4 civilians."


def minimal_pdf(lines: list[str], *, title: str = "") -> bytes:
    """A one-page PDF with a real text layer, written by hand so the test needs no PDF library."""
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    content = ("BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in escaped) + " ET").encode(
        "latin-1"
    )
    return one_page_pdf(content, info=b"<< /Title (%s) /CreationDate (D:20160214120000+02'00') >>"
                        % title.encode("latin-1"))


def read(name: str, data: bytes, mapping: ColumnMapping | None = None):
    return reader_for(name, data[:2048]).read(data, name=name, mapping=mapping)


def error_of(name: str, data: bytes, mapping: ColumnMapping | None = None) -> str:
    with pytest.raises(IngestError) as caught:
        read(name, data, mapping)
    message = str(caught.value)
    assert message and "\n" not in message and "Traceback" not in message
    return message


def test_registry_is_an_explicit_list_of_readers_with_distinct_extensions() -> None:
    seen: set[str] = set()
    for reader in READERS:
        # A Telegram export is always named result.json: that reader is chosen by content alone.
        assert isinstance(reader.name, str) and (reader.extensions or reader.name == "telegram")
        assert not (seen & set(reader.extensions))
        seen |= set(reader.extensions)
    assert {".txt", ".md", ".html", ".pdf", ".eml", ".csv", ".json", ".jsonl"} <= seen
    assert all(isinstance(r, Reader) for r in READERS)


# -- text ---------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256"])
def test_arabic_text_is_read_in_every_common_encoding(encoding: str) -> None:
    (doc,) = read("report.txt", ARABIC.encode(encoding)).documents
    assert doc.text == ARABIC
    assert doc.language == "ar"
    assert doc.kind is SourceKind.TEXT


def test_short_windows_1256_arabic_is_not_mistaken_for_an_east_asian_encoding() -> None:
    (doc,) = read("r.txt", "مقتل مدني في دوما".encode("cp1256")).documents
    assert doc.text == "مقتل مدني في دوما"
    assert doc.metadata["encoding"] == "cp1256"


def test_markdown_keeps_its_text_and_takes_its_heading_as_title() -> None:
    (doc,) = read("r.md", f"# Barrel bombs on Aleppo\n\n{ENGLISH}\n".encode()).documents
    assert doc.title == "Barrel bombs on Aleppo"
    assert ENGLISH in doc.text and doc.media_type == "text/markdown" and doc.language == "en"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (bytes(range(256)) * 8, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)) * 5, "not a readable PNG image"),  # signature wins
        (b"", "empty"),
        (b"   \n\t \n", "empty"),
        (ARABIC.encode("utf-8") + b"\n" + ARABIC.encode("cp1256"), "mixed text encodings"),
    ],
    ids=["junk", "png", "empty", "blank", "mixed"],
)
def test_bad_text_is_refused_with_one_line(data: bytes, expected: str) -> None:
    assert expected in error_of("report.txt", data)


def test_image_extension_with_junk_content_is_refused_not_stored_as_text() -> None:
    assert "not a readable JPEG image" in error_of(
        "photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 4
    )


# -- HTML ---------------------------------------------------------------

PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>Barrel bombs on Aleppo</title>
<meta name="author" content="Aleppo Media Centre"><meta property="article:published_time" content="2016-02-14">
<link rel="canonical" href="https://example.org/news/1"><script>var tracker = "SCRIPT-IN-HEAD";</script>
<style>.x { color: red }</style></head><body onload="alert('ONLOAD')">
<nav><a href="/">Home</a> | <a href="/about">About us</a></nav><!-- COMMENT-TEXT: editor's private note -->
<article><h1>Barrel bombs on Aleppo</h1><p>%s</p><script>document.write("SCRIPT-IN-BODY")</script>
<p>Civil Defence teams pulled three survivors from the rubble of a residential building.</p>
<noscript>NOSCRIPT-TEXT</noscript><a href="javascript:steal()">share</a></article>
<footer>Copyright 2016 Aleppo Media Centre. All rights reserved.</footer></body></html>""" % ENGLISH.encode()


def test_html_main_text_and_metadata_without_scripts_or_comments() -> None:
    (doc,) = read("page.html", PAGE).documents
    assert ENGLISH in doc.text
    for hidden in (
        "SCRIPT-IN-HEAD",
        "SCRIPT-IN-BODY",
        "ONLOAD",
        "COMMENT-TEXT",
        "NOSCRIPT-TEXT",
        "color: red",
        "steal",
    ):
        assert hidden not in doc.text
    assert doc.title == "Barrel bombs on Aleppo"
    assert doc.author == "Aleppo Media Centre"
    assert doc.url == "https://example.org/news/1"
    assert doc.published == date(2016, 2, 14)
    assert doc.language == "en" and doc.kind is SourceKind.HTML


def test_a_large_page_is_streamed_for_its_visible_text_with_a_note_and_no_scripts(monkeypatch) -> None:
    from tawthiq.ingest.readers import html

    monkeypatch.setattr(html, "LARGE_PAGE", 1024)
    monkeypatch.setattr(html, "_FEED", 100)  # pieces cut mid-character and mid-tag
    monkeypatch.setattr(html, "_FLUSH", 50)
    arabic = "<p>قصف مدفعي على دوما\r\nثلاثة قتلى</p>".encode()
    data = PAGE.replace(b"</article>", arabic * 20 + b"</article>")
    assert len(data) > 1024
    result = read("page.html", data)
    (doc,) = result.documents
    assert ENGLISH in doc.text and "قصف مدفعي على دوما\nثلاثة قتلى" in doc.text
    for hidden in ("SCRIPT-IN-HEAD", "SCRIPT-IN-BODY", "ONLOAD", "COMMENT-TEXT", "NOSCRIPT-TEXT", "color: red",
                   "steal", "\r"):
        assert hidden not in doc.text
    assert doc.title == "Barrel bombs on Aleppo" and doc.author == "Aleppo Media Centre"
    assert doc.url == "https://example.org/news/1" and doc.published == date(2016, 2, 14)
    assert "main text was not picked out" in doc.metadata["text_extraction"]
    assert result.skipped == [f"warning: {doc.metadata['text_extraction']}"]
    # The whole visible text, in order, one block a line (menus and footers included: nothing is picked out).
    lines = doc.text.split("\n")
    assert lines[0] == "Home | About us" and lines[-1].startswith("Copyright 2016")
    assert lines.index(ENGLISH) < lines.index("Civil Defence teams pulled three survivors from the rubble of a "
                                              "residential building.")


def test_a_large_page_stops_collecting_text_past_what_the_record_keeps(monkeypatch) -> None:
    from tawthiq.ingest.readers import html

    monkeypatch.setattr(html, "LARGE_PAGE", 1024)
    monkeypatch.setattr(html, "_FLUSH", 50)
    monkeypatch.setattr(html, "MAX_RECORD_TEXT", 500)
    data = PAGE.replace(b"</article>", b"".join(b"<p>line %d of a long dump</p>" % i for i in range(2000))
                        + b"</article>")
    (doc,) = read("page.html", data).documents
    # Bounded by the record's limit plus at most one tidied part, never the page's 2,000 lines.
    assert 500 < len(doc.text) <= 500 + 50 + 200
    assert "line 0 of a long dump" in doc.text or ENGLISH in doc.text
    assert "line 1999 of a long dump" not in doc.text


def test_a_large_page_in_windows_1256_is_still_read(monkeypatch) -> None:
    from tawthiq.ingest.readers import html

    monkeypatch.setattr(html, "LARGE_PAGE", 64)
    data = f'<html><head><meta charset="windows-1256"></head><body><p>{ARABIC}</p></body></html>'.encode("cp1256")
    (doc,) = read("page.html", data).documents
    assert ARABIC in doc.text and doc.metadata["encoding"] == "cp1256"


def test_html_is_recognised_by_content_when_the_name_says_nothing() -> None:
    assert reader_for("download", PAGE[:2048]).name == "html"


def test_short_and_malformed_html_gives_best_effort_text_without_scripts() -> None:
    data = "<div><p>قصف مدفعي على <b>دوما<script>evil('X-SCRIPT')</script> <table><tr><td>ثلاثة قتلى".encode()
    (doc,) = read("broken.html", data).documents
    assert "قصف مدفعي على" in doc.text and "ثلاثة قتلى" in doc.text
    assert "X-SCRIPT" not in doc.text and doc.language == "ar"


def test_windows_1256_html_declared_in_a_meta_tag() -> None:
    data = f'<html><head><meta charset="windows-1256"></head><body><p>{ARABIC}</p></body></html>'.encode("cp1256")
    (doc,) = read("ar.html", data).documents
    assert ARABIC in doc.text


@pytest.mark.parametrize(
    "data", [b"<html><head><script>only()</script></head><body> </body></html>", b"<!-- nothing -->", b"<<<>>>\x00\x01"]
)
def test_html_without_text_is_refused(data: bytes) -> None:
    error_of("empty.html", data)


# -- PDF ----------------------------------------------------------------


def test_pdf_text_layer_and_metadata() -> None:
    data = minimal_pdf(
        ["Shelling of Douma on 3 March 2016", "killed 6 civilians (two children)."], title="Douma report"
    )
    (doc,) = read("report.pdf", data).documents
    assert "Shelling of Douma on 3 March 2016" in doc.text and "killed 6 civilians (two children)." in doc.text
    assert doc.title == "Douma report" and doc.published is None and doc.metadata["created"] == "2016-02-14"
    assert doc.kind is SourceKind.PDF and doc.metadata["pages"] == 1


def test_pdf_is_recognised_by_its_header_whatever_its_name() -> None:
    assert reader_for("scan.txt", minimal_pdf(["x"])[:2048]).name == "pdf"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: minimal_pdf(["Shelling of Douma"])[:150], "malformed PDF"),
        (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 20, "malformed PDF"),
        (lambda: b"this is not a pdf at all", "not a PDF"),
        (lambda: b"", "empty"),
    ],
    ids=["truncated", "garbage-body", "no-header", "empty"],
)
def test_broken_pdf_gives_one_line(make, expected: str) -> None:
    assert expected in error_of("report.pdf", make())


def test_pdf_without_a_text_layer_is_refused() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    assert "no text layer" in error_of("scan.pdf", out.getvalue())


def test_password_protected_pdf_is_refused() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(minimal_pdf(["secret report"]))))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert "encrypted" in error_of("locked.pdf", out.getvalue())


# -- e-mail -------------------------------------------------------------


def make_email(*, html_only: bool = False, attachment: bool = False) -> bytes:
    message = EmailMessage()
    message["From"] = "Idlib field team <field@example.org>"
    message["To"] = "archive@example.org"
    message["Subject"] = "تقرير: قصف على كفرنبل"
    message["Date"] = "Tue, 16 Feb 2016 09:30:00 +0200"
    if html_only:
        message.set_content(
            f"<html><body><p>{ARABIC}</p><script>leak('EMAIL-SCRIPT')</script></body></html>", subtype="html"
        )
    else:
        message.set_content(ARABIC)
        message.add_alternative(f"<p>{ARABIC}</p>", subtype="html")
    if attachment:
        message.add_attachment(b"\xff\xd8\xff photo", maintype="image", subtype="jpeg", filename="strike.jpg")
    return bytes(message)


def test_email_plain_body_subject_sender_date_and_attachments() -> None:
    (doc,) = read("report.eml", make_email(attachment=True)).documents
    assert doc.text == ARABIC
    assert doc.title == "تقرير: قصف على كفرنبل"
    assert "field@example.org" in doc.author
    assert doc.published == date(2016, 2, 16)
    assert doc.metadata["attachments"] == [{"filename": "strike.jpg", "content_type": "image/jpeg", "size": 9}]
    assert doc.kind is SourceKind.EMAIL and doc.language == "ar"


def test_email_html_only_body_goes_through_the_html_reader() -> None:
    (doc,) = read("report.eml", make_email(html_only=True)).documents
    assert ARABIC in doc.text and "EMAIL-SCRIPT" not in doc.text


def test_email_is_recognised_by_its_headers() -> None:
    assert reader_for("message", make_email()[:2048]).name == "email"


def test_not_an_email_is_refused() -> None:
    assert "not an e-mail" in error_of("x.eml", b"\n\n<<< this is not mail >>>")


# -- CSV / JSON / JSON Lines --------------------------------------------


def test_csv_with_arabic_headers_is_mapped_automatically() -> None:
    data = (
        "المعرف,العنوان,النص,التاريخ,اللغة\n"
        f'r-1,قصف كفرنبل,"{ARABIC}",16/02/2016,ar\n'
        f'r-2,Aleppo,"{ENGLISH}",2016-02-14,\n'
    ).encode()
    result = read("log.csv", data)
    first, second = result.documents
    assert (first.record_key, first.text, first.title, first.published, first.language) == (
        "id:r-1",
        ARABIC,
        "قصف كفرنبل",
        date(2016, 2, 16),
        "ar",
    )
    assert (second.record_key, second.language, second.published) == ("id:r-2", "en", date(2016, 2, 14))
    assert first.kind is SourceKind.RECORD and not result.skipped


def test_csv_column_mapping_given_by_the_caller() -> None:
    data = f"when;what happened;where\n03/03/2016;{ENGLISH};Aleppo\n;;\n04/03/2016;;Douma\n".encode()
    mapping = ColumnMapping.parse(["text=what happened", "date=when"])
    result = read("log.csv", data, mapping)
    (doc,) = result.documents
    assert doc.text == ENGLISH and doc.published == date(2016, 3, 3)
    assert doc.record_key == "row:1" and doc.metadata["columns"] == {"where": "Aleppo"}
    assert result.skipped == ["line 4: empty report text"]


def test_csv_mapping_to_a_missing_column_names_the_columns() -> None:
    message = error_of("log.csv", b"a,b\n1,2\n", ColumnMapping(text="body"))
    assert "'body'" in message and "'a', 'b'" in message


def test_csv_without_a_text_column_is_refused() -> None:
    assert "no report text column" in error_of("log.csv", b"name,age\nAhmad,30\n")


@pytest.mark.parametrize(
    "data",
    [b'text,title\n"unterminated quote, never closed\n', b'text,title\n"a"b"c,d\n'],
    ids=["unclosed-quote", "stray-quote"],
)
def test_malformed_csv_gives_one_line(data: bytes) -> None:
    assert "malformed CSV" in error_of("bad.csv", data)


def test_csv_row_with_wrong_number_of_fields_is_skipped_and_the_rest_kept() -> None:
    data = b"id,text\n1,Barrel bombs on Aleppo killed 4\n2,too,many,fields\n3,Second report about Douma\n"
    result = read("log.csv", data)
    assert [d.record_key for d in result.documents] == ["id:1", "id:3"]
    assert len(result.skipped) == 1 and "4 fields" in result.skipped[0]


def test_json_array_and_wrapped_object() -> None:
    items = [
        {"id": 7, "body": ENGLISH, "headline": "Aleppo", "published": "Tue, 16 Feb 2016 09:30:00 +0200"},
        {"id": 8, "body": "", "headline": "empty"},
    ]
    for payload in (items, {"reports": items}):
        result = read("batch.json", json.dumps(payload).encode())
        (doc,) = result.documents
        assert (doc.record_key, doc.title, doc.published) == ("id:7", "Aleppo", date(2016, 2, 16))
        assert result.skipped == ["item 2: empty report text"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'[{"text": "x",}', "malformed JSON at line 1"),
        (b"[1, 2, 3]", "no report objects"),
        (b'"just a string"', "no report objects"),
    ],
)
def test_bad_json_gives_one_line(data: bytes, expected: str) -> None:
    assert expected in error_of("batch.json", data)


def test_json_lines_skips_a_bad_line_and_keeps_the_rest() -> None:
    data = b"\n".join(
        [
            json.dumps({"text": ENGLISH, "url": "https://example.org/1"}).encode(),
            b"{not json",
            json.dumps({"text": ARABIC, "language": "Arabic"}, ensure_ascii=False).encode(),
        ]
    )
    result = read("batch.jsonl", data)
    assert [d.record_key for d in result.documents] == ["row:1", "row:3"]
    assert result.documents[0].url == "https://example.org/1" and result.documents[1].language == "ar"
    assert result.skipped == ["line 2: not valid JSON"]


def test_json_lines_with_no_valid_line_is_refused() -> None:
    assert "malformed JSON Lines" in error_of("batch.jsonl", b"{bad\n{worse\n")


def test_repeated_ids_in_a_batch_keep_the_first_only() -> None:
    result = read("b.jsonl", b'{"id": "a", "text": "one"}\n{"id": "a", "text": "two"}\n')
    assert [d.text for d in result.documents] == ["one"] and "repeats id" in result.skipped[0]


def test_column_mapping_parse_refuses_unknown_fields() -> None:
    with pytest.raises(IngestError, match="bad column mapping"):
        ColumnMapping.parse(["colour=red"])


# -- hostile input --------------------------------------------------------


def _mutations(data: bytes, rng, n: int) -> list[bytes]:
    out = []
    for _ in range(n):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            if not mutated:
                break
            pos = rng.randrange(len(mutated))
            roll = rng.random()
            if roll < 0.4:
                mutated[pos] = rng.randrange(256)
            elif roll < 0.7:
                del mutated[pos : pos + rng.randint(1, 50)]
            else:
                mutated[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 10)))
        if rng.random() < 0.2:
            mutated = mutated[: rng.randrange(len(mutated) + 1)]
        out.append(bytes(mutated))
    return out


def test_corrupted_files_of_every_format_give_documents_or_one_line_errors_only() -> None:
    import random

    rng = random.Random(20261125)
    seeds = {
        "a.txt": ARABIC.encode("cp1256"),
        "b.html": PAGE,
        "c.pdf": minimal_pdf(["Shelling of Douma killed 6."]),
        "d.eml": make_email(attachment=True),
        "e.csv": f'id,text\n1,"{ENGLISH}"\n2,{ARABIC}\n'.encode(),
        "f.json": json.dumps([{"text": ENGLISH}, {"text": ARABIC}]).encode(),
        "g.jsonl": (json.dumps({"text": ENGLISH}) + "\n" + json.dumps({"text": ARABIC}) + "\n").encode(),
    }
    outcomes = {"read": 0, "refused": 0}
    for name, data in seeds.items():
        for mutated in _mutations(data, rng, 60):
            for reader in READERS:  # every reader on every format, as a misnamed file would be
                try:
                    result = reader.read(mutated, name=name)
                except IngestError as error:
                    assert str(error) and "\n" not in str(error)
                    outcomes["refused"] += 1
                else:
                    assert result.documents and all(d.text.strip() for d in result.documents)
                    outcomes["read"] += 1
    assert outcomes["read"] and outcomes["refused"]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-16", "\t"), ("utf-8-sig", ";"), ("cp1256", ",")],
    ids=["excel-unicode-text", "excel-csv-utf8", "old-arabic-windows"],
)
def test_spreadsheet_exports_with_arabic_headers(encoding: str, delimiter: str) -> None:
    data = (
        delimiter.join(["الرقم", "النص", "التاريخ"])
        + "\r\n"
        + delimiter.join(["17", ARABIC.replace(",", ""), "16/02/2016"])
        + "\r\n"
    )
    (doc,) = read("export.csv", data.encode(encoding)).documents
    assert (doc.record_key, doc.text, doc.published, doc.language) == (
        "id:17",
        ARABIC.replace(",", ""),
        date(2016, 2, 16),
        "ar",
    )


def test_email_with_a_wrong_declared_charset_is_still_read() -> None:
    raw = (
        b"From: field@example.org\r\nSubject: report\r\nDate: Tue, 16 Feb 2016 09:30:00 +0200\r\n"
        b"Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ) + ARABIC.encode("cp1256")
    (doc,) = read("r.eml", raw).documents
    assert doc.text == ARABIC
