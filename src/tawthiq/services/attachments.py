"""Attaching a source (a photo's region, a video's time range, a PDF's page, or the whole of it) to an incident
as evidence, withdrawing that, and what the incident and source pages show of it.

Who: attaching is editing the record (``Action.EDIT``) from material the
person may read (``Action.READ_SOURCES``): documenters, reviewers and admins.
A victim list's file is names, so only those who may read names
(``Action.READ_NAMES``) may attach it or see it attached. Viewers see
nothing of attachments: they are sources, which a viewer never reads, and
their reasons and authors are staff notes. An incident or a source the user
may not see is "not found", as everywhere else.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.access import (
    Action,
    User,
    allowed,
    sees_provenance,
    visible_confidentialities,
)
from ..domain.attachments import (
    MAX_PAGE,
    MAX_REASON,
    Attachment,
    AttachmentError,
    Part,
    TimeRange,
    format_clock,
    parse_clock,
    parse_region,
)
from ..domain.enums import DerivativeKind, SourceKind
from ..domain.model import Source
from ..domain.typed_numbers import typed_int
from ..store.source_panels import SourceRef
from . import Workspace
from .errors import NotFound, PermissionDenied, ServiceError
from .source_panels import DISPLAY_KINDS, display_copy, player_copy

__all__ = ["MAX_CHOICES", "AttachProblem", "AttachRequest", "AttachedMedia", "IncidentMedia", "attach",
           "attached_to_incidents", "attachment_incident", "incident_choices", "incident_media",
           "source_attachments", "withdraw"]

MAX_CHOICES = 200  # newest sources (or incidents) offered in a form's list; older ones are typed by number
# What each part may be taken from: a region of a still, a time range of something that plays, a page of a PDF.
PART_KINDS: dict[Part, frozenset[SourceKind]] = {
    Part.REGION: frozenset({SourceKind.IMAGE}),
    Part.TIME: frozenset({SourceKind.VIDEO, SourceKind.AUDIO}),
    Part.PAGE: frozenset({SourceKind.PDF}),
}


class AttachProblem(ServiceError):
    """A value of the attach or withdraw form that cannot be used; nothing was stored.

    ``key`` names the problem for an interface that says it in its own language
    (``evidence.problem.<key>``), with ``values``; the message itself is one English line.
    """

    def __init__(self, message: str, *, key: str, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True)
class AttachRequest:
    """The form's values as typed: a region "x,y,w,h" (fractions), times "mm:ss", a page number."""

    incident_id: int
    source_id: int
    reason: str
    region: str = ""
    start: str = ""
    end: str = ""
    page: str = ""


@dataclass(slots=True)
class AttachedMedia:
    """One attachment as a page shows it: the source, a still to draw and a copy to play when there are any."""

    attachment: Attachment
    source: SourceRef
    thumbnail_id: int | None = None
    player_id: int | None = None
    player_type: str = ""
    start: str = ""  # the time range as mm:ss
    end: str = ""
    region_percent: tuple[float, float, float, float] | None = None


@dataclass(slots=True)
class IncidentMedia:
    """The incident page's media panel: what is attached, what was withdrawn, and what may be attached."""

    attached: list[AttachedMedia] = field(default_factory=list)
    withdrawn: list[AttachedMedia] = field(default_factory=list)
    choices: list[SourceRef] = field(default_factory=list)
    choice_thumbnails: dict[int, int] = field(default_factory=dict)  # source id -> still to draw a region on
    can_attach: bool = False


def _may_attach(user: User) -> bool:
    return not user.disabled and allowed(user.role, Action.EDIT) and allowed(user.role, Action.READ_SOURCES)


def _excluded_kinds(user: User) -> tuple[str, ...]:
    return () if allowed(user.role, Action.READ_NAMES) else (SourceKind.PERSON_LIST.value,)


def _incident(ws: Workspace, user: User, incident_id: int) -> None:
    from ..store.judgements import confidentiality_of

    with ws.db.session() as session:  # the level alone: the incident page has read the incident already
        level = confidentiality_of(session, [int(incident_id)]).get(int(incident_id))
    if level is None or level not in visible_confidentialities(user.role):
        raise NotFound(f"no incident with id {incident_id}", kind="attach.no_incident", id=incident_id)


def _source(ws: Workspace, user: User, source_id: int) -> Source:
    from ..store.sources import get_source

    source = get_source(ws.db, int(source_id))
    if source is None or str(source.kind) in _excluded_kinds(user):
        raise NotFound(f"no source with id {source_id}")
    return source


def _pdf_pages(source: Source) -> int | None:
    pdf = (source.metadata or {}).get("pdf")
    pages = pdf.get("pages") if isinstance(pdf, dict) else None
    return pages if isinstance(pages, int) and not isinstance(pages, bool) and pages > 0 else None


def _duration(ws: Workspace, source: Source) -> float | None:
    from ..store.media import get_media

    media = get_media(ws.db, source.sha256)
    return media.duration_seconds if media is not None else None


def _part(ws: Workspace, source: Source, request: AttachRequest) -> Attachment:
    """The part the request names, checked against what the source is; one-line errors."""
    kind = SourceKind(source.kind)
    region = request.region.strip()
    start, end, page = request.start.strip(), request.end.strip(), request.page.strip()
    given = [p for p, v in ((Part.REGION, region), (Part.TIME, start or end), (Part.PAGE, page)) if v]
    if len(given) > 1:
        raise AttachProblem("give one part of the source: a region, a time range or a page", key="one_part")
    part = given[0] if given else Part.WHOLE
    if part is not Part.WHOLE and kind not in PART_KINDS[part]:
        raise AttachProblem({Part.REGION: "a region can be drawn on a photo only",
                             Part.TIME: "a time range applies to a video or a recording only",
                             Part.PAGE: "a page applies to a PDF only"}[part], key=f"wrong_kind_{part.value}")
    attachment = Attachment(incident_id=request.incident_id, source_id=int(source.id or 0), part=part,
                            reason="", created_by="")
    try:
        if part is Part.REGION:
            attachment.region = parse_region(region)
        elif part is Part.TIME:
            if not (start and end):
                raise AttachProblem("give both the start and the end of the time range, like 01:05 and 01:40",
                                    key="time_both")
            attachment.time = TimeRange(parse_clock(start), parse_clock(end))
            duration = _duration(ws, source)
            if duration is not None and attachment.time.start >= duration + 0.5:
                raise AttachProblem(f"the recording is only {format_clock(duration)} long", key="time_late",
                                    duration=format_clock(duration))
            if duration is not None and attachment.time.end > duration + 0.5:
                raise AttachProblem(f"the time range ends after the recording does ({format_clock(duration)})",
                                    key="time_late", duration=format_clock(duration))
        elif part is Part.PAGE:
            number = typed_int(page)  # "٣" is page 3
            if number is None or not 1 <= number <= MAX_PAGE:
                raise AttachProblem("a page is a whole number from 1", key="page_number")
            pages = _pdf_pages(source)
            if pages is not None and number > pages:
                raise AttachProblem(f"the PDF has {pages} pages", key="page_high", pages=pages)
            attachment.page = number
    except AttachmentError as error:
        raise AttachProblem(str(error), key=error.key, **error.values) from None
    return attachment


def _reason(text: str) -> str:
    why = (text or "").strip()
    if not why:
        raise AttachProblem("say why: the reason is kept with the attachment", key="reason")
    if len(why) > MAX_REASON:
        raise AttachProblem(f"the reason is over {MAX_REASON} characters", key="reason_long", n=MAX_REASON)
    return why


def _same(a: Attachment, b: Attachment) -> bool:
    return (a.source_id, a.part, a.region, a.time, a.page) == (b.source_id, b.part, b.region, b.time, b.page)


def attach(ws: Workspace, *, user: User, request: AttachRequest, machine: str) -> Attachment:
    """Attach the part of the source ``request`` names to its incident, recorded with who, when and why."""
    from ..store.attachments import (
        AttachmentConflict,
        add_attachment,
        attachments_for_incident,
    )

    if user.disabled or not allowed(user.role, Action.READ_SOURCES):
        raise NotFound(f"no incident with id {request.incident_id}")  # a viewer learns nothing of either record
    if not _may_attach(user):
        raise PermissionDenied(f"your role ({user.role}) may not attach evidence to incidents")
    _incident(ws, user, request.incident_id)
    source = _source(ws, user, request.source_id)
    attachment = _part(ws, source, request)
    attachment.reason = _reason(request.reason)
    attachment.created_by = user.username
    if any(_same(attachment, a) for a in attachments_for_incident(ws.db, request.incident_id)):
        raise AttachProblem("this part of the source is already attached to the incident", key="already")
    try:
        return add_attachment(ws.db, attachment, machine=machine)
    except AttachmentConflict as error:
        raise NotFound(str(error)) from None


def withdraw(ws: Workspace, *, user: User, attachment_id: int, reason: str, machine: str) -> Attachment:
    """Withdraw an attachment in force: kept, marked with who, when and why (never deleted)."""
    from ..store.attachments import (
        AttachmentConflict,
        get_attachment,
        withdraw_attachment,
    )

    if user.disabled or not allowed(user.role, Action.READ_SOURCES):
        raise NotFound(f"no attachment {attachment_id}")
    if not _may_attach(user):
        raise PermissionDenied(f"your role ({user.role}) may not withdraw evidence from incidents")
    found = get_attachment(ws.db, int(attachment_id))
    if found is None:
        raise NotFound(f"no attachment {attachment_id}")
    _incident(ws, user, found.incident_id)
    _source(ws, user, found.source_id)
    why = _reason(reason)
    try:
        return withdraw_attachment(ws.db, int(attachment_id), actor=user.username, reason=why, machine=machine)
    except AttachmentConflict:
        raise AttachProblem("this attachment was withdrawn already", key="withdrawn_already") from None


def _shown(ws: Workspace, user: User, items: list[Attachment]) -> list[AttachedMedia]:
    """Each attachment with its source and its copies to draw or play, leaving out sources the user may not read."""
    from ..store.derivatives import copies_of
    from ..store.source_panels import source_refs

    refs = source_refs(ws.db, [a.source_id for a in items])
    excluded = _excluded_kinds(user)
    refs = {i: r for i, r in refs.items() if r.kind not in excluded}
    copies = copies_of(ws.db, [r.sha256 for r in refs.values()], kinds=[*DISPLAY_KINDS, DerivativeKind.TRANSCODED])
    out: list[AttachedMedia] = []
    for item in items:
        ref = refs.get(item.source_id)
        if ref is None:
            continue
        own = [d for d in copies if d.original_sha256 == ref.sha256 and not d.params.get("record_key")]
        still, player = display_copy(own), player_copy(own)
        shown = AttachedMedia(attachment=item, source=ref, thumbnail_id=still.id if still else None,
                              player_id=player.id if player else None,
                              player_type=player.media_type.split(";")[0].strip().lower() if player else "",
                              region_percent=item.region.percent() if item.region else None)
        if item.time is not None:
            shown.start, shown.end = format_clock(item.time.start), format_clock(item.time.end)
        out.append(shown)
    return out


def incident_media(ws: Workspace, *, user: User, incident_id: int, choices: bool = False) -> IncidentMedia:
    """The media panel of an incident page for ``user``: empty for anyone who may not read sources;
    ``choices``: with the newest sources they may attach (the incident page's form)."""
    from ..store.attachments import attachments_for_incident, recent_sources
    from ..store.derivatives import copies_of

    if user.disabled or not sees_provenance(user.role):
        return IncidentMedia()
    _incident(ws, user, incident_id)
    items = attachments_for_incident(ws.db, int(incident_id), withdrawn=True)
    shown = _shown(ws, user, items)
    panel = IncidentMedia(attached=[m for m in shown if not m.attachment.withdrawn],
                          withdrawn=[m for m in shown if m.attachment.withdrawn], can_attach=_may_attach(user))
    if panel.can_attach and choices:
        panel.choices = recent_sources(ws.db, limit=MAX_CHOICES, exclude_kinds=_excluded_kinds(user))
        images = [c for c in panel.choices if c.kind == SourceKind.IMAGE.value]
        stills = copies_of(ws.db, [c.sha256 for c in images], kinds=DISPLAY_KINDS)
        for choice in images:
            still = display_copy([d for d in stills if d.original_sha256 == choice.sha256
                                  and not d.params.get("record_key")])
            if still is not None and still.id is not None:
                panel.choice_thumbnails[choice.id] = still.id
    return panel


def attached_to_incidents(ws: Workspace, *, user: User, ids: list[int]) -> dict[int, list[AttachedMedia]]:
    """Per incident id: its attachments in force as ``user`` may see them, for a list of rows (the API's).

    One query for all the rows, never one per row. The rule is the incident
    page's: nothing for a role that may not read sources (a viewer), and no
    victim list's file for one that may not read names — left out in SQL, so
    neither its id nor its title is read for them. Only roles that see every
    confidentiality get anything, so no incident's attachments reach someone
    who may not see the incident; the rows carry no copies to draw or play."""
    from ..store.attachments import attachments_for_incidents

    if user.disabled or not sees_provenance(user.role) or not ids:
        return {}
    found = attachments_for_incidents(ws.db, ids, exclude_kinds=_excluded_kinds(user))
    return {incident_id: [AttachedMedia(attachment=a, source=ref) for a, ref in items]
            for incident_id, items in found.items()}


def source_attachments(ws: Workspace, *, user: User, source_id: int) -> list[AttachedMedia]:
    """The attachments in force of one source to incidents ``user`` may see (the source page's list)."""
    from ..store.attachments import attachments_for_source
    from ..store.queries import summaries_for_ids

    if user.disabled or not sees_provenance(user.role):
        return []
    items = attachments_for_source(ws.db, int(source_id))
    levels = {c.value for c in visible_confidentialities(user.role)}
    visible = {s.id for s in summaries_for_ids(ws.db, sorted({a.incident_id for a in items}))
               if s.confidentiality in levels}
    return _shown(ws, user, [a for a in items if a.incident_id in visible])


def incident_choices(ws: Workspace, *, user: User) -> list[tuple[int, str]]:
    """(id, event type) of the newest incidents the user may see, to attach a source to from its page."""
    from ..domain.filters import IncidentFilter
    from .reading import query_incidents

    if not _may_attach(user):
        return []
    page = query_incidents(ws, user=user, filters=IncidentFilter(), sort="-id", per_page=MAX_CHOICES)
    return [(int(s.id), str(s.event_type)) for s in page.items]




def attachment_incident(ws: Workspace, *, user: User, attachment_id: int) -> int:
    """The incident an attachment belongs to, if the user may know of it (else NotFound)."""
    from ..store.attachments import get_attachment

    found = get_attachment(ws.db, int(attachment_id)) if sees_provenance(user.role) else None
    if found is None:
        raise NotFound(f"no attachment {attachment_id}")
    return found.incident_id
