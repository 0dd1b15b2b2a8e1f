"""Everything the source page shows about one source, read in one go, its visit recorded first.

Opening a source is a custody event, recorded before the ledger is read so
the page shows this visit too. A plain-text original that differs from the
extracted text (a decoding repaired, a batch row cut out) is shown beside
it, so a reviewer can compare what was received with what was read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.access import User
from . import (
    Workspace,
    attachments,
    browse,
    custody,
    reading,
    source_panels,
    tags,
    text_window,
)
from .errors import NotFound, ServiceError
from .tags import TagPanel

__all__ = ["MAX_PLAIN_ORIGINAL", "MAX_TEXT_PAGE", "TEXT_PAGE", "OriginalFile", "SourceDetail", "SourcePage",
           "download_original", "open_source", "source_detail"]

MAX_PLAIN_ORIGINAL = 512 * 1024  # bytes of a plain-text original shown on the page
# Characters of a source's text in one API answer, unless asked for fewer or more (a pasted text runs to two
# million characters: whole, one answer was megabytes of JSON), and the most one answer holds.
TEXT_PAGE = 100_000
MAX_TEXT_PAGE = 1_000_000


@dataclass(slots=True)
class SourcePage:
    view: reading.SourceView
    marks: list[browse.EvidenceMark]  # every visible incident's claim spans and evidence sentences in the text
    plain_original: str | None  # a small plain-text original that is not the text itself; else None
    custody: list[custody.CustodyEntry]  # the ledger, oldest first
    evidence: source_panels.SourceEvidence
    attached: list[attachments.AttachedMedia] = field(default_factory=list)  # the parts attached to incidents
    incident_choices: list[tuple[int, str]] = field(default_factory=list)  # (id, event type) to attach it to
    tags: TagPanel | None = None  # its tags, and what the user may add
    # The page of the text shown (the whole text when short): a text runs to millions of characters.
    window: text_window.TextWindow = field(default_factory=lambda: text_window.whole(0))
    first_marks: dict[int, int] = field(default_factory=dict)  # incident id -> where its first mark starts


def open_source(ws: Workspace, *, user: User, source_id: int, machine: str, at: int = 0,
                incidents_page: int = 1) -> SourcePage:
    """The source page of ``source_id`` for ``user`` at ``machine``, whose visit it records; of a long
    text, the page holding character ``at``; of its incidents, page ``incidents_page``."""
    view = reading.get_source_view(ws, user=user, source_id=source_id, incidents_page=incidents_page)
    source_panels.record_view(ws, user=user, source_id=source_id, machine=machine)
    marks = browse.source_evidence(ws, user=user, source_id=source_id)
    first: dict[int, int] = {}
    for mark in marks:
        first[mark.incident_id] = min(mark.start, first.get(mark.incident_id, mark.start))
    return SourcePage(
        view=view,
        window=text_window.page_at(view.source.text, at),
        first_marks=first,
        marks=marks,
        plain_original=_plain_original(view),
        custody=custody.source_custody(ws, user=user, source_id=source_id, sha256=view.source.sha256),
        evidence=source_panels.source_evidence(ws, user=user, source_id=source_id),
        attached=attachments.source_attachments(ws, user=user, source_id=source_id),
        incident_choices=attachments.incident_choices(ws, user=user),
        tags=tags.source_panel(ws, user=user, source_id=source_id),
    )


@dataclass(slots=True)
class SourceDetail:
    """A source as the API gives it: the record, a page of its text, its incidents, and its evidence panels."""

    view: reading.SourceView
    evidence: source_panels.SourceEvidence
    text: str = ""  # characters text_offset .. text_offset + len(text) of the whole text
    text_offset: int = 0
    text_length: int = 0  # of the whole text
    next_text_offset: int | None = None  # where the next page starts; None when this one reaches the end


def source_detail(ws: Workspace, *, user: User, source_id: int, text_offset: int = 0,
                  text_limit: int = TEXT_PAGE) -> SourceDetail:
    """What the API answers for one source (reading it through the API is not a recorded visit), with the
    characters ``text_offset`` to ``text_offset + text_limit`` of its text.

    The page is cut at exactly those characters (Python ``str`` indices), so the
    pages joined are the text, and every evidence span keeps its offsets into
    the whole text. An offset past the end is refused, after the permission
    check: the text's length is told only to those who may read it.
    """
    if not 1 <= int(text_limit) <= MAX_TEXT_PAGE:
        raise ServiceError(f"text_limit must be 1 to {MAX_TEXT_PAGE} characters, not {text_limit}")
    if int(text_offset) < 0:
        raise ServiceError(f"text_offset must be 0 or more, not {text_offset}")
    view = reading.get_source_view(ws, user=user, source_id=source_id)
    whole = view.source.text
    if text_offset > len(whole):
        raise ServiceError(f"text_offset {text_offset} is past the end of the text ({len(whole)} characters)")
    end = min(len(whole), int(text_offset) + int(text_limit))
    return SourceDetail(view=view, evidence=source_panels.source_evidence(ws, user=user, source_id=source_id),
                        text=whole[text_offset:end], text_offset=int(text_offset), text_length=len(whole),
                        next_text_offset=end if end < len(whole) else None)


@dataclass(frozen=True, slots=True)
class OriginalFile:
    path: Path
    original_name: str
    sha256: str
    store: Any = None  # the store to stream it from when it is sealed (``path`` then holds ciphertext)


def download_original(ws: Workspace, *, user: User, source_id: int, machine: str) -> OriginalFile:
    """The original's file to send, after a "downloaded" custody entry naming its bytes and who took them."""
    view = reading.get_source_view(ws, user=user, source_id=source_id)
    if view.blob_path is None:
        raise NotFound(f"the original of source {source_id} is not in the evidence store")
    custody.record_download(ws, user=user, source_id=source_id, sha256=view.source.sha256, machine=machine)
    return OriginalFile(path=view.blob_path, original_name=view.source.original_name, sha256=view.source.sha256,
                        store=view.store)


def _plain_original(view: reading.SourceView) -> str | None:
    """A small plain-text original as text (the page shows it escaped); None for anything else."""
    media = (view.source.media_type or "").split(";")[0].strip().lower()
    if view.blob_path is None or media != "text/plain" or view.source.size > MAX_PLAIN_ORIGINAL:
        return None
    try:
        if view.store is not None and view.store.encrypted:
            with view.store.open(view.source.sha256) as handle:
                data = handle.read(MAX_PLAIN_ORIGINAL)
        else:
            data = view.blob_path.read_bytes()[:MAX_PLAIN_ORIGINAL]
    except (OSError, ValueError):  # ValueError: a sealed file that fails its check
        return None
    text = data.decode("utf-8", errors="replace")
    return None if text == view.source.text else text
