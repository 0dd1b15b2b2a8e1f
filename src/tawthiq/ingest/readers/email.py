"""E-mailed reports (.eml): subject, sender, date and the body text.

Field teams often send reports by e-mail. The plain-text body is preferred
because it is what the sender typed; an HTML-only body goes through the HTML
reader so its scripts are stripped. Attachments are listed, not opened: the
whole message is kept as the original, and each attachment can be ingested
on its own.
"""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import TYPE_CHECKING, Any

from ...domain import SourceKind
from ..decoding import decode_text
from ..errors import IngestError, one_line, reading
from ..metadata import detect_language, parse_published
from .base import ReadDocument, ReadResult
from .html import read_html

if TYPE_CHECKING:
    from .records import ColumnMapping

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]", re.MULTILINE)
_KNOWN_HEADERS = ("from", "to", "subject", "date", "message-id", "received", "mime-version", "return-path")


class EmailReader:
    name: str = "email"
    extensions: tuple[str, ...] = (".eml",)

    def sniff(self, head: bytes) -> bool:
        lines = head.split(b"\n", 8)[:8]
        known = sum(1 for line in lines if line.split(b":", 1)[0].strip().lower().decode("latin-1") in _KNOWN_HEADERS)
        return known >= 2 and bool(_HEADER_LINE.match(head))

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        if not data.strip():
            raise IngestError("empty file")
        if not _HEADER_LINE.match(data.lstrip(b"\r\n")):
            raise IngestError("not an e-mail message (no headers at the top)")
        try:
            message = BytesParser(policy=policy.default).parsebytes(data)
        except Exception as error:  # noqa: BLE001 - the parser is lenient, but headers can still break it
            raise IngestError(f"malformed e-mail: {type(error).__name__}: {one_line(str(error), limit=160)}") from None
        with reading("e-mail"):
            return ReadResult([_document(message)])  # type: ignore[arg-type]


def _document(message: EmailMessage) -> ReadDocument:
    subject = _header(message, "subject")
    sender = _header(message, "from")
    date_header = _header(message, "date")
    attachments = _attachments(message)
    body = _body_part(message)
    if body is None:
        raise IngestError("e-mail has no text body")
    text, html_meta = _body_text(body)
    if not text.strip():
        raise IngestError("e-mail has an empty text body")
    metadata: dict[str, Any] = {
        "to": _header(message, "to"),
        "message_id": _header(message, "message-id"),
        "date_header": date_header,
        "body_type": body.get_content_type(),
        "attachments": attachments,
    }
    metadata.update(html_meta)
    return ReadDocument(
        text=text,
        kind=SourceKind.EMAIL,
        media_type="message/rfc822",
        title=subject,
        author=sender,
        language=detect_language(text),
        published=parse_published(date_header),
        metadata=metadata,
    )


def _body_part(message: EmailMessage) -> EmailMessage | None:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 - broken MIME structure
        part = None
    if part is None and not message.is_multipart() and message.get_content_maintype() == "text":
        part = message
    return part  # type: ignore[return-value]


def _body_text(part: EmailMessage) -> tuple[str, dict[str, Any]]:
    raw = part.get_payload(decode=True)
    if not isinstance(raw, bytes):
        raw = b""
    charset = part.get_content_charset()
    if part.get_content_subtype() == "html":
        document = read_html(raw, declared_charset=charset)
        return document.text, {"html_title": document.title}
    text = _decode(raw, charset)
    return text.replace("\r\n", "\n").strip(), {}


def _decode(raw: bytes, charset: str | None) -> str:
    # The declared charset is often wrong (Arabic sent as "us-ascii"); trust it only when it decodes.
    if charset:
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(raw)[0]


def _attachments(message: EmailMessage) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    try:
        for part in message.iter_attachments():
            payload = part.get_payload(decode=True)
            found.append(
                {
                    "filename": one_line(part.get_filename() or "", limit=200),
                    "content_type": part.get_content_type(),
                    "size": len(payload) if isinstance(payload, bytes) else 0,
                }
            )
    except Exception:  # noqa: BLE001 - a broken attachment does not make the body unreadable
        pass
    return found


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - malformed encoded-words raise on access
        return ""
    return one_line(str(value), limit=300) if value is not None else ""
