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
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from typing import TYPE_CHECKING, Any

from ...domain import SourceKind
from ..decoding import decode
from ..errors import IngestError, one_line, reading
from ..metadata import detect_language, parse_published
from .base import ReadDocument, ReadResult
from .html import read_html

if TYPE_CHECKING:
    from .batches import ColumnMapping

# A header field's name and its colon (RFC 5322: printable ASCII but the colon). What follows may be a
# space, the value itself, or a line break and an indented continuation: "From:" then " =?utf-8?b?...?="
# on the next line is how Python's e-mail writer and mail clients fold a long Arabic sender name.
# An mbox separator line ("From sender date", Thunderbird and Google Takeout) may come first.
_HEADER_LINE = re.compile(rb"^(?:From [^\r\n]*\r?\n)?[!-9;-~]{1,76}:")
_FOLD = re.compile(r"\r?\n(?=[ \t])")  # unfolding removes the line break, keeps the indentation
_KNOWN_HEADERS = frozenset({
    "from", "to", "cc", "subject", "date", "message-id", "received", "mime-version", "return-path",
    "delivered-to", "reply-to", "in-reply-to", "references", "content-type", "content-transfer-encoding",
    "x-received", "received-spf", "authentication-results", "dkim-signature", "arc-seal", "user-agent",
    "x-mailer", "thread-topic", "thread-index", "x-mozilla-status", "x-gm-thrid", "x-gmail-labels",
})


class EmailReader:
    name: str = "email"
    extensions: tuple[str, ...] = (".eml",)
    content_decides: bool = False

    def sniff(self, head: bytes) -> bool:
        return len(_header_names(head) & _KNOWN_HEADERS) >= 2 and bool(_HEADER_LINE.match(head))

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


def _header_names(head: bytes, *, most: int = 60) -> set[str]:
    """The header names in the first lines of ``head``, continuation lines (folded values) skipped."""
    names: set[str] = set()
    for number, line in enumerate(head.split(b"\n", most)[:most]):
        if not line.strip():
            break  # the blank line that ends the header block
        if line[:1] in (b" ", b"\t") or (number == 0 and line.startswith(b"From ")):
            continue  # a folded value's continuation, or the mbox separator
        name, colon, _ = line.partition(b":")
        if colon:
            names.add(name.strip().lower().decode("latin-1"))
    return names


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
        decoding = {k: v for k, v in document.metadata.items() if k.startswith(("encoding", "invalid_bytes"))}
        return document.text, {"html_title": document.title, **decoding}
    text, decoding = _decode(raw, charset)
    return text.replace("\r\n", "\n").strip(), decoding


def _decode(raw: bytes, charset: str | None) -> tuple[str, dict[str, Any]]:
    """The body's text and what the source's metadata keeps about its encoding (which, and why)."""
    # The declared charset is often wrong (Arabic sent as "us-ascii"); trust it only when it decodes.
    if charset:
        try:
            return raw.decode(charset), {"encoding": charset, "encoding_reason": f"declared by the message "
                                                                                  f"(charset={charset})"}
        except (LookupError, UnicodeDecodeError):
            pass
    decoded = decode(raw)
    return decoded.text, decoded.metadata()


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
    """A header's text: folded lines unfolded, RFC 2047 encoded-words decoded.

    Encoded-words are decoded from the raw value with ``decode_header``:
    clients split a long Arabic name into several encoded-words, often inside
    a word, and the whitespace between adjacent ones is not part of the text
    (RFC 2047, 6.2); the parsed address header keeps it ("الم يدانية").
    """
    raw = next((str(value) for key, value in message.raw_items() if key.lower() == name), None)
    if raw is None:
        return ""
    text = None
    if "=?" in raw:
        try:
            text = str(make_header(decode_header(_FOLD.sub("", raw))))
        except Exception:  # noqa: BLE001 - malformed encoded-words: the parser's own reading below
            text = None
    if text is None:
        try:
            text = str(message.get(name) or "")
        except Exception:  # noqa: BLE001 - malformed encoded-words raise on access
            return ""
    return one_line(text, limit=300)
