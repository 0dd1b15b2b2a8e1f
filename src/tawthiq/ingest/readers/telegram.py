"""Telegram Desktop exports ("Export chat history", machine-readable JSON): one source per message.

Telegram Desktop writes a ``result.json`` either for one chat
(``{"name", "type", "id", "messages": [...]}``) or for the whole account
(``{"about", ..., "chats": {"list": [...]}, "left_chats": {"list": [...]}}``).
Each message of type ``"message"`` becomes a document keyed
``"<chat id>:<message id>"``, so importing the same export again finds the
same rows. Service messages (joins, pins, calls) are not reports and are
left out without being counted as problems. Media files are NOT read here: a
reader never follows references to other files; the Telegram import
(:mod:`tawthiq.ingest.telegram`) resolves them safely and links them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...domain import SourceKind
from ..errors import IngestError, reading
from ..metadata import detect_language, parse_published
from .base import ReadDocument, ReadResult
from .batches import parse_json

if TYPE_CHECKING:
    from .batches import ColumnMapping

CHAT_TYPES = (
    "personal_chat", "bot_chat", "private_group", "private_supergroup", "public_supergroup",
    "private_channel", "public_channel", "saved_messages", "replies", "verification_codes",
)
# What Telegram Desktop writes instead of a path when it did not save a file (export_output_json.cpp).
NOT_INCLUDED_PREFIXES = ("(File not included.", "(File exceeds maximum size.", "(File unavailable,")
MEDIA_FIELDS = ("photo", "file")
# Message fields kept as metadata, as the export wrote them (the text is the document itself).
_KEPT_FIELDS = (
    "date", "date_unixtime", "edited", "edited_unixtime", "from", "from_id", "author", "forwarded_from",
    "forwarded_from_id", "saved_from", "saved_from_id", "reply_to_message_id", "reply_to_peer_id", "via_bot",
    "media_type", "photo", "photo_file_size", "file", "file_name", "file_size", "thumbnail", "mime_type",
    "duration_seconds", "width", "height", "sticker_emoji", "performer", "title", "location_information",
    "live_location_period_seconds", "place_name", "address", "poll", "contact_information", "contact_vcard",
    "self_destruct_period_seconds", "game_title", "invoice_information",
)
_CHAT_TYPE_ALT = "|".join(CHAT_TYPES)
_JSON_STRING = r'"(?:[^"\\]|\\.)*"'
# Content sniffing must beat the ".json" extension (the file is always named result.json), so it is strict:
# the keys tdesktop writes first, in its order.
_SINGLE_CHAT_HEAD = re.compile(
    rf'^\{{\s*(?:"name":\s*(?:{_JSON_STRING}|null),\s*)?"type":\s*"(?:{_CHAT_TYPE_ALT})",\s*"id":\s*-?\d+\s*,')
_ACCOUNT_HEAD = re.compile(
    rf'^\{{\s*"about":\s*{_JSON_STRING},\s*"(?:personal_information|profile_pictures|contacts|frequent_contacts|'
    r'sessions|web_sessions|other_data|chats|left_chats|stories)":')
_USERNAME = re.compile(r"^@?([A-Za-z][A-Za-z0-9_]{3,31})$")


@dataclass(slots=True)
class TelegramChat:
    """One chat of an export; ``key`` prefixes its messages' record keys (see :func:`iter_chats`)."""

    key: str
    id: str
    name: str
    type: str
    username: str
    messages: list[Any]

    def label(self) -> str:
        """How a person names this chat in a message: its name, else its id."""
        return self.name or self.id


@dataclass(slots=True)
class TelegramMessage:
    chat: TelegramChat
    record_key: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return _scalar(self.data.get("id"))


def looks_like_export(head: bytes) -> bool:
    """True when these first bytes are a Telegram Desktop ``result.json``."""
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    return bool(_SINGLE_CHAT_HEAD.match(text) or _ACCOUNT_HEAD.match(text))


def load_export(data: bytes) -> dict[str, Any]:
    """The parsed ``result.json``, or :class:`IngestError` saying why it is not a Telegram export."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IngestError("a Telegram export is UTF-8; this file is not") from None
    parsed = parse_json(text)
    if not isinstance(parsed, dict) or not _is_export(parsed):
        raise IngestError("not a Telegram Desktop export (no chat with a \"messages\" list)")
    return parsed


def _is_export(parsed: dict[str, Any]) -> bool:
    if isinstance(parsed.get("messages"), list) and ("type" in parsed or "id" in parsed):
        return True
    return any(isinstance(parsed.get(key), dict) and isinstance(parsed[key].get("list"), list)
               for key in ("chats", "left_chats"))


def iter_chats(export: dict[str, Any]) -> Iterator[TelegramChat]:
    """Every chat in a single-chat or whole-account export, in file order.

    User, group and channel ids are separate number spaces, so two chats of
    an account export can share an id; the second gets a key suffixed
    ``/2`` (and so on), which the same file always gives it again.
    """
    if isinstance(export.get("messages"), list):
        raw_chats: list[Any] = [export]
    else:
        raw_chats = []
        for key in ("chats", "left_chats"):
            section = export.get(key)
            if isinstance(section, dict) and isinstance(section.get("list"), list):
                raw_chats.extend(section["list"])
    seen: dict[str, int] = {}
    for raw in raw_chats:
        if not isinstance(raw, dict) or not isinstance(raw.get("messages"), list):
            continue
        chat_id = _scalar(raw.get("id"))
        seen[chat_id] = seen.get(chat_id, 0) + 1
        key = chat_id if seen[chat_id] == 1 else f"{chat_id}/{seen[chat_id]}"
        username = _USERNAME.match(str(raw.get("username") or ""))
        yield TelegramChat(key=key, id=chat_id, name=_text(raw.get("name")), type=_text(raw.get("type")),
                           username=username.group(1) if username else "", messages=raw["messages"])


def iter_messages(export: dict[str, Any], *, skipped: list[str] | None = None,
                  counts: dict[str, int] | None = None) -> Iterator[TelegramMessage]:
    """Every message of type ``"message"``; service messages are counted in ``counts["service"]``.

    Entries that are not messages (no id, a repeated id) are described in
    ``skipped``; they are the file's problems, unlike service messages.
    """
    counts = counts if counts is not None else {}
    for chat in iter_chats(export):
        ids: set[str] = set()
        for position, raw in enumerate(chat.messages, start=1):
            if not isinstance(raw, dict):
                _note(skipped, f"chat {chat.label()}: entry {position} is not a message object")
                continue
            kind = raw.get("type", "message")
            if kind == "service":
                counts["service"] = counts.get("service", 0) + 1
                continue
            if kind != "message":  # "unsupported": Telegram Desktop could not export it
                counts["unsupported"] = counts.get("unsupported", 0) + 1
                continue
            message_id = _scalar(raw.get("id"))
            if not message_id:
                _note(skipped, f"chat {chat.label()}: entry {position} has no message id")
                continue
            if message_id in ids:
                _note(skipped, f"chat {chat.label()}: message {message_id} appears twice; the first is kept")
                continue
            ids.add(message_id)
            yield TelegramMessage(chat=chat, record_key=f"{chat.key}:{message_id}", data=raw)


def _note(skipped: list[str] | None, line: str) -> None:
    if skipped is not None:
        skipped.append(line)


def message_text(message: dict[str, Any]) -> str:
    """The message text as written: plain strings and entity texts joined, nothing added or dropped.

    ``text`` is a string, or a list mixing strings and entity objects
    (``{"type": "bold", "text": "..."}``); newer exports also give
    ``text_entities``, used only when ``text`` is absent.
    """
    text = message.get("text")
    if text is None:
        text = message.get("text_entities")
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(part if isinstance(part, str) else _text(part.get("text")) if isinstance(part, dict) else ""
                       for part in text)
    return ""


def entities(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The formatted parts of the text (links with their targets, mentions, hashtags), as exported."""
    text = message.get("text")
    parts = text if isinstance(text, list) else message.get("text_entities")
    if not isinstance(parts, list):
        return []
    return [part for part in parts if isinstance(part, dict) and part.get("type") not in (None, "plain")]


def is_not_included(value: object) -> bool:
    """True for the placeholder Telegram Desktop writes instead of a path for a file it did not save."""
    return isinstance(value, str) and value.startswith(NOT_INCLUDED_PREFIXES)


def message_metadata(message: TelegramMessage) -> dict[str, Any]:
    """The ``telegram`` metadata of a message's source (and of its media's sources)."""
    chat = message.chat
    meta: dict[str, Any] = {"chat_name": chat.name, "chat_id": chat.id, "chat_type": chat.type,
                            "message_id": message.id}
    if chat.username:
        meta["chat_username"] = chat.username
    for field in _KEPT_FIELDS:
        value = message.data.get(field)
        if value not in (None, "", [], {}):
            meta[field] = value
    found = entities(message.data)
    if found:
        meta["entities"] = found
    return meta


def message_url(message: TelegramMessage) -> str:
    """``https://t.me/<username>/<id>`` when the export names the chat's public username, else ""."""
    if not message.chat.username or not message.id.isdigit():
        return ""
    return f"https://t.me/{message.chat.username}/{message.id}"


class TelegramReader:
    """Reads a Telegram Desktop ``result.json`` into one document per message."""

    name: str = "telegram"
    extensions: tuple[str, ...] = ()  # always "result.json": chosen by content
    content_decides: bool = True  # an export's first keys are unambiguous; it is named result.json

    def sniff(self, head: bytes) -> bool:
        return looks_like_export(head)

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        with reading("Telegram export"):
            return self._read(data)

    def _read(self, data: bytes) -> ReadResult:
        export = load_export(data)
        skipped: list[str] = []
        documents = [_document(message) for message in iter_messages(export, skipped=skipped)]
        if not documents:
            raise IngestError("this Telegram export has no messages (only service messages or none at all)")
        return ReadResult(documents, skipped)


def _document(message: TelegramMessage) -> ReadDocument:
    text = message_text(message.data)
    data = message.data
    return ReadDocument(
        text=text,
        kind=SourceKind.TELEGRAM,
        media_type="application/json",
        title=message.chat.name,
        # A channel post signed by its author names the person; "from" is then the channel.
        author=_text(data.get("author")) or _text(data.get("from")),
        url=message_url(message),
        language=detect_language(text),
        published=parse_published(data.get("date")),
        record_key=message.record_key,
        metadata={"telegram": message_metadata(message)},
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _scalar(value: object) -> str:
    """An id as text: exports write numbers, some tools strings; anything else is no id."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return ""
