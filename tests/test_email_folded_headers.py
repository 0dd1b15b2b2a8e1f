"""E-mails as mail clients and Python write them: folded headers, Arabic encoded-words, MIME (issue 9, D.14).

A first header folded onto the next line ("From:" then an indented value)
is legal (RFC 5322) and is how long Arabic sender names are written; the
fixtures under tests/data/email follow Thunderbird, Outlook/Exchange and
Gmail's "Download message".
"""
from __future__ import annotations

from datetime import date
from email import policy
from email.message import EmailMessage, Message
from email.mime.text import MIMEText
from email.utils import formataddr
from pathlib import Path

import pytest

from tawthiq.ingest.readers import reader_for

DATA = Path(__file__).resolve().parent / "data" / "email"
SENDER = "مركز توثيق الانتهاكات، فريق الرصد الميداني في حلب وريفها الشرقي والشمالي"
SUBJECT = "اختطاف تاجر على يد مسلحين مجهولين في مدينة الباب بريف حلب الشرقي"
BODY = "اختطف مسلحون مجهولون تاجر مواد غذائية من أمام محله في مدينة الباب بريف حلب الشرقي."


def read(data: bytes, name: str = "report.eml"):
    reader = reader_for(name, data[:2048])
    assert reader.name == "email", (name, reader.name)
    (doc,) = reader.read(data, name=name).documents
    return doc


def _python_written(*, crlf: bool, strip_trailing_space: bool) -> bytes:
    """compat32 + formataddr, as scripts still write mail: "From: " then the encoded name on the next line."""
    message = Message()
    message["From"] = formataddr((SENDER, "field-team@example.org"))
    message["To"] = "archive@example.org"
    message["Subject"] = SUBJECT
    message["Date"] = "Mon, 21 Jan 2019 18:40:00 +0300"
    message.set_payload(BODY, "utf-8")
    data = message.as_bytes()
    assert data.startswith(b"From: \n ")  # the first header is folded
    if strip_trailing_space:  # editors, git and copy-paste drop it: "From:" + line break
        data = data.replace(b"From: \n", b"From:\n", 1)
    return data.replace(b"\n", b"\r\n") if crlf else data


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("strip", [False, True], ids=["as-written", "trailing-space-dropped"])
@pytest.mark.parametrize("name", ["report.eml", "report"], ids=["eml", "no-extension"])
def test_a_folded_first_header_from_pythons_writer_is_read(crlf: bool, strip: bool, name: str) -> None:
    doc = read(_python_written(crlf=crlf, strip_trailing_space=strip), name)
    assert doc.author == f"{SENDER} <field-team@example.org>"
    assert doc.title == SUBJECT and doc.text == BODY and doc.published == date(2019, 1, 21)


@pytest.mark.parametrize("pol", [policy.default, policy.SMTP], ids=["default", "smtp"])
def test_the_modern_writer_with_every_header_folded_is_read(pol: policy.Policy) -> None:
    message = EmailMessage(policy=pol)
    message["From"] = f'"{SENDER}" <field-team@example.org>'
    message["To"] = "archive@example.org"
    message["Subject"] = SUBJECT
    message["Date"] = "Mon, 21 Jan 2019 18:40:00 +0300"
    message.set_content(BODY)
    message.add_alternative(f"<p dir='rtl'>{BODY}</p>", subtype="html")
    data = message.as_bytes()
    assert b"\n =?utf-8?b?" in data  # the sender and subject are folded encoded-words
    doc = read(data)
    assert doc.author == f"{SENDER} <field-team@example.org>" and doc.title == SUBJECT and doc.text == BODY


def test_mime_text_written_by_the_stdlib_with_a_long_arabic_sender() -> None:
    part = MIMEText(BODY, "plain", "utf-8")
    part["From"] = formataddr((SENDER, "field-team@example.org"))
    part["Subject"] = SUBJECT
    doc = read(part.as_bytes())
    assert doc.author.startswith(SENDER) and doc.text == BODY


@pytest.mark.parametrize("name", ["thunderbird.eml", "thunderbird"])
def test_thunderbird_message_with_a_folded_from_first(name: str) -> None:
    data = (DATA / "thunderbird.eml").read_bytes()
    assert data.startswith(b"From:\n =?UTF-8?B?")
    doc = read(data, name)
    assert doc.author == ("مركز توثيق الانتهاكات في سوريا - فريق الرصد الميداني في حلب وريفها "
                          "<field-team@example.org>")  # encoded-words split inside words, joined again
    assert doc.title == SUBJECT and doc.published == date(2019, 1, 21)
    assert "اختطف مسلحون مجهولون يستقلون سيارة بيضاء" in doc.text and doc.language == "ar"
    assert doc.metadata["attachments"] == [{"filename": "تقرير الباب.pdf", "content_type": "application/pdf",
                                            "size": 45}]
    assert doc.metadata["encoding"] == "utf-8" and doc.metadata["encoding_reason"]


def test_outlook_message_in_windows_1256_quoted_printable() -> None:
    doc = read((DATA / "outlook.eml").read_bytes())
    assert doc.author == "فريق التوثيق - دوما <douma.team@example.org>"
    assert doc.title == "قصف مدفعي على مدينة دوما ومقتل خمسة مدنيين"
    assert doc.text.startswith("مقتل خمسة مدنيين بقصف مدفعي على مدينة دوما\n\nقُتل خمسة مدنيين، بينهم طفلان")
    assert "\r" not in doc.text and doc.published == date(2019, 2, 14)
    assert doc.metadata["attachments"] == [{"filename": "IMG_0412.jpg", "content_type": "image/jpeg", "size": 22}]
    assert doc.metadata["encoding"] == "windows-1256" and "declared" in doc.metadata["encoding_reason"]


@pytest.mark.parametrize("name", ["gmail.eml", "message"])
def test_gmail_download_with_long_folded_signatures_before_from(name: str) -> None:
    data = (DATA / "gmail.eml").read_bytes()
    doc = read(data, name)
    assert doc.author == "شبكة أخبار إدلب الميدانية <idlib.news.network@gmail.com>"
    assert doc.title == "Air strike on Ariha: غارة جوية على مدينة أريحا"
    assert "مقتل تسعة مدنيين" in doc.text and doc.published == date(2019, 9, 3)
    assert doc.metadata["body_type"] == "text/plain"


def test_an_mbox_separator_line_before_the_headers_is_read() -> None:
    data = b"From - Mon Jan 21 18:45:12 2019\nX-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\n" + \
        (DATA / "thunderbird.eml").read_bytes()
    assert read(data).title == SUBJECT


@pytest.mark.parametrize("data", [b"Dear team,\nFrom: the field\n\nreport", b"\n\njust text: no headers"])
def test_text_without_headers_is_still_not_an_email(data: bytes) -> None:
    reader = reader_for("notes", data[:2048])
    assert reader.name != "email"
