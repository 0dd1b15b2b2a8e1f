"""Redacted working copies of a source, made by a named person for a stated reason.

Hiding a face or a name is a decision about evidence, so it is held to the
same bar as verifying an incident: reviewers and admins (``Action.VERIFY``;
documenters add and edit material but do not make the copies that leave
the team). The original is never touched; the copy is stored beside the
other working copies, and its "derived" custody entry names who made it and
why. A source the user may not read is "not found", as everywhere else.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.access import Action, User, allowed
from ..domain.model import Source
from ..domain.originals import Derivative
from ..evidence.redact import MAX_BOXES, MAX_SPANS
from . import Workspace
from .errors import NotFound, PermissionDenied, ServiceError

if TYPE_CHECKING:
    from ..evidence.redact import OutputFormat
    from ..store.vault.blobs import BlobStore

__all__ = ["MAX_BOXES", "MAX_REASON", "MAX_SPANS", "REDACT_ACTION", "RedactProblem", "redact_from_page",
           "redact_source", "stored_path"]

# Reused rather than a new action: exactly the roles that may verify (reviewer, admin) may redact.
REDACT_ACTION = Action.VERIFY
MAX_REASON = 2000


def _source(ws: Workspace, user: User | None, source_id: int) -> Source:
    from ..store.sources import get_source

    if user is not None and (user.disabled or not allowed(user.role, Action.READ_SOURCES)):
        raise NotFound(f"no source with id {source_id}")
    source = get_source(ws.db, int(source_id))
    if source is None:
        raise NotFound(f"no source with id {source_id}")
    if user is not None and not allowed(user.role, REDACT_ACTION):
        raise PermissionDenied(f"your role ({user.role}) may not make redacted copies (reviewers and admins may)")
    return source


def _person_names(ws: Workspace, source: Source) -> tuple[list[str], list[int]]:
    """Names (as written and in the other script) of the persons of every incident from or citing the source."""
    from ..domain.filters import IncidentFilter
    from ..store import queries
    from ..store.incidents import persons_for_incident

    names: list[str] = []
    ids: list[int] = []
    # visible=None: every confidentiality
    for incident_id in queries.matching_ids(ws.db, filters=IncidentFilter(source_id=source.id), sort="id"):
        for person in persons_for_incident(ws.db, incident_id):
            names += [person.name, person.name_alt]
            ids.append(int(person.id or 0))
    return names, sorted(set(ids))


def redact_source(ws: Workspace, user: User | None, *, source_id: int, reason: str,
                  boxes: Sequence[Sequence[object] | str] = (), spans: Sequence[Sequence[object] | str] = (),
                  persons: bool = False, output: OutputFormat = "auto", actor: str = "") -> Derivative:
    """Make and store a redacted copy of the source's original (``boxes``) or of its text (``spans``/``persons``).

    Boxes and spans come as "X,Y,W,H" / "START:END" strings (the CLI) or
    number lists (the API). ``user`` None is the CLI's operator, named by
    ``actor``. Making the same copy again stores nothing new and returns it.
    """
    from ..evidence import redact
    from ..store.vault.derived import derived_store, store_derivative

    source = _source(ws, user, source_id)
    who = user.username if user is not None else actor
    if not who:
        raise ServiceError("a redaction needs the name of the person making it")
    why = (reason or "").strip()  # kept as written, lines and all
    if not why:
        raise ServiceError("give the reason for this redaction: it is kept in the custody ledger",
                           kind="redact.reason_missing")
    if len(why) > MAX_REASON:
        raise ServiceError(f"the reason is over {MAX_REASON} characters", kind="redact.reason_long", n=MAX_REASON)
    if bool(boxes) == bool(spans or persons):
        raise ServiceError("give boxes (to paint over the picture) or spans (of the text), not both and not neither",
                           kind="redact.choose")

    if output != "auto" and not boxes:
        raise ServiceError("an output format applies to pictures only; a text copy is always UTF-8 text")
    try:
        if boxes:
            chosen_boxes = [redact.Box.parse(b) if isinstance(b, str) else redact.Box.of(b) for b in boxes]
            with _original(ws.blobs, source) as original:
                made = redact.redact_image(original, chosen_boxes, output=output)
        else:
            chosen = [redact.Span.parse(s) if isinstance(s, str) else redact.Span.of(s) for s in spans]
            extra: dict[str, object] = {}
            if persons:
                names, person_ids = _person_names(ws, source)
                found = redact.name_spans(source.text, names)
                if not found and not chosen:
                    raise ServiceError("no person linked to this source's incidents is named in its text"
                                       if person_ids else "no persons are linked to this source's incidents")
                chosen += found
                # Ids, never names: the copy's parameters travel with it and must not name anyone.
                extra = {"persons": person_ids, "person_occurrences": len(found)}
            if source.record_key:  # which row of a shared original the text is
                extra["record_key"] = source.record_key
            made = redact.redact_text(source.text, chosen, extra=extra)
    except redact.RedactionError as error:
        raise ServiceError(str(error), kind=error.kind, **error.values) from None
    return store_derivative(ws.db, derived=derived_store(ws.blobs), original_sha256=source.sha256, made=made,
                            source_id=source.id, actor=who, reason=why)


class RedactProblem(ServiceError):
    """A value of the redaction form that cannot be used; ``key`` names it for the page's language."""

    def __init__(self, message: str, *, key: str, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


_SEPARATORS = re.compile(r"[;\n\r]+")


def _pieces(text: str) -> list[str]:
    return [p.strip() for p in _SEPARATORS.split(text or "") if p.strip()]


def redact_from_page(ws: Workspace, user: User, *, source_id: int, reason: str, regions: str = "",
                     spans: str = "") -> Derivative:
    """:func:`redact_source` from the source page's form: boxes drawn on the picture as fractions of it
    ("x,y,w,h" separated by ";"), or spans of the text ("start:end" separated by ";" or lines).

    A box becomes the whole pixels of the upright original it covers, rounded outwards, so what
    was drawn over is always inside what is painted.
    """
    from ..domain.attachments import AttachmentError, parse_region
    from ..evidence import redact

    source = _source(ws, user, source_id)  # who may, first: a refusal is not a form problem
    why = (reason or "").strip()
    if not why:
        raise RedactProblem("give the reason for this redaction: it is kept in the custody ledger", key="reason")
    if len(why) > MAX_REASON:
        raise RedactProblem(f"the reason is over {MAX_REASON} characters", key="reason_long", n=MAX_REASON)
    drawn, chosen = _pieces(regions), _pieces(spans)
    if bool(drawn) == bool(chosen):
        raise RedactProblem("draw boxes on the picture or choose spans of the text, not both and not neither",
                            key="redact_choose")
    if len(drawn) > MAX_BOXES or len(chosen) > MAX_SPANS:
        raise RedactProblem("too many boxes or spans in one redaction", key="redact_many")
    if chosen:
        try:
            parsed = [redact.Span.parse(text) for text in chosen]
            redact.check_spans(parsed, length=len(source.text))
        except redact.RedactionError:
            raise RedactProblem("a span is not inside the text", key="redact_span") from None
        return redact_source(ws, user, source_id=source_id, reason=why, spans=[[s.start, s.end] for s in parsed])
    try:
        fractions = [parse_region(text) for text in drawn]
    except AttachmentError:
        raise RedactProblem("a box is not inside the picture", key="redact_box") from None
    try:
        with _original(ws.blobs, source) as original:
            width, height = redact.upright_size(original)
    except redact.RedactionError:
        raise RedactProblem("the original is not a picture that can be redacted", key="redact_not_image") from None
    boxes: list[list[int]] = []
    for r in fractions:
        left, top = math.floor(r.x * width), math.floor(r.y * height)
        right, bottom = min(width, math.ceil((r.x + r.w) * width)), min(height, math.ceil((r.y + r.h) * height))
        boxes.append([left, top, max(1, right - left), max(1, bottom - top)])
    return redact_source(ws, user, source_id=source_id, reason=why, boxes=boxes)


@contextmanager
def _original(blobs: BlobStore, source: Source) -> Iterator[Path]:
    """A path to the original's bytes (a decrypted copy outside the workspace when the store is sealed)."""
    try:
        present = blobs.exists(source.sha256)
    except Exception:  # noqa: BLE001 - a malformed hash on an old row means no file
        present = False
    if not present:
        raise ServiceError(f"the original of source {source.id} is not in the evidence store",
                           kind="redact.original_missing", id=source.id)
    with blobs.local_path(source.sha256) as path:
        yield path


def stored_path(ws: Workspace, derivative: Derivative) -> Path:
    """Where the copy's bytes are, in the derived store (never the originals store)."""
    from ..store.vault.derived import derived_store

    return derived_store(ws.blobs).path(derivative.sha256)
