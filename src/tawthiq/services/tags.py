"""Tags: the vocabulary an admin keeps, and the tags documenters put on incidents and sources.

Who may do what:

* an admin adds a tag (labels in English and Arabic, a colour from the
  palette, whether viewers are shown it), renames it, or retires it (never
  deleted; a reason is needed); every change is audited with who, when and why;
* documenters and above put a current tag on an incident or a source and
  take it off (a withdrawal: the row stays with who and when);
* every role sees the tags on what it may see. A viewer sees only the tags
  an admin marked shown to viewers (the others are the team's working notes,
  "needs follow-up", "witness contacted"), on public incidents only, and is
  told the names of only those (a tag used only on confidential incidents is
  never named to a viewer, not even in a filter chip); sources and their tags
  are for roles that read sources.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..domain.access import Action, User, allowed, visible_confidentialities
from ..domain.enums import SourceKind
from ..domain.tags import PALETTE, Tag, TagLink, TagProblem, check_tag, clean_label, team_only_tags_hidden
from . import Workspace
from .errors import NotFound, PermissionDenied, ServiceError

__all__ = ["PALETTE", "TagError", "TagForm", "TagPanel", "add_tag", "edit_tag", "incident_panel", "list_tags",
           "retire_tag", "source_panel", "tag_history", "tag_incident", "tag_names", "tag_source",
           "tags_on_incidents", "tags_on_sources", "untag_incident", "untag_source"]


class TagError(ServiceError):
    """A refused tag or tagging: ``key`` names the interface's message (``tags.error.<key>``)."""

    def __init__(self, key: str, message: str, values: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.values = dict(values or {})

    @classmethod
    def of(cls, problem: TagProblem) -> TagError:
        return cls(problem.key, problem.message, problem.values)


@dataclass(frozen=True, slots=True)
class TagForm:
    """What an admin typed for a tag."""

    label_en: str = ""
    label_ar: str = ""
    colour: str = ""
    shown_to_viewers: bool = False  # unticked: the team's own

    def tag(self, tag_id: int = 0) -> Tag:
        return Tag(id=tag_id, label_en=clean_label(self.label_en), label_ar=clean_label(self.label_ar),
                   colour=self.colour.strip(), shown_to_viewers=bool(self.shown_to_viewers))


@dataclass(slots=True)
class TagPanel:
    """The tags of one incident or source as one user may see them."""

    current: list[TagLink]
    withdrawn: list[TagLink] = field(default_factory=list)  # staff only: who took which tag off, when
    choices: list[Tag] = field(default_factory=list)  # current tags not on it, for who may tag it
    can_tag: bool = False


def _require_admin(user: User) -> None:
    if user.disabled or not allowed(user.role, Action.MANAGE_VOCABULARY):
        raise PermissionDenied("only an admin can change the tags")


def _require(user: User, action: Action) -> None:
    if user.disabled or not allowed(user.role, action):
        raise PermissionDenied(f"your role ({user.role}) may not {action.value.replace('-', ' ')}")


def _hides_team_tags(user: User) -> bool:
    """Whether ``user`` is shown only the tags marked shown to viewers (as the lists' facets decide it)."""
    return team_only_tags_hidden(visible_confidentialities(user.role))


def _check(candidate: Tag) -> Any:
    def check(stored: list[Tag]) -> None:
        try:
            check_tag(candidate, others=stored)
        except TagProblem as problem:
            raise TagError.of(problem) from None

    return check


# ---------------------------------------------------------------- the vocabulary


def list_tags(ws: Workspace, *, user: User) -> list[Tag]:
    """Every tag for the admin's page: current ones first, then retired, each by English label."""
    from ..store import tags as store

    _require_admin(user)
    return sorted(store.all_tags(ws.db), key=lambda t: (t.retired, t.label_en.casefold()))


def add_tag(ws: Workspace, *, user: User, form: TagForm, comment: str) -> Tag:
    """Add a tag; refused with a :class:`TagError` whose message is one line."""
    from ..store import tags as store

    _require_admin(user)
    candidate = form.tag()
    try:
        check_tag(candidate, others=[])  # the labels themselves, before opening a write
        return store.add_tag(ws.db, candidate, user=user.username, comment=(comment or "").strip(),
                             check=_check(candidate))
    except TagProblem as problem:
        raise TagError.of(problem) from None
    except store.DuplicateTag:
        raise TagError("label_taken", f"another tag is already called {candidate.label_en!r}",
                       {"label": candidate.label_en, "label_ar": candidate.label_ar}) from None


def edit_tag(ws: Workspace, *, user: User, tag_id: int, form: TagForm, comment: str) -> bool:
    """Rename a tag, change its colour or whether viewers are shown it; returns whether anything
    changed. Records keep the tag (they name it by id), so a change shows everywhere at once."""
    from ..store import tags as store

    _require_admin(user)
    wanted = form.tag(tag_id)
    try:
        check_tag(wanted, others=[])
    except TagProblem as problem:
        raise TagError.of(problem) from None

    def change(old: Tag) -> Tag:
        if old.retired:
            raise TagError("retired", f"the tag {old.label_en!r} is retired", {"label": old.label_en})
        return replace(wanted, retired=old.retired)

    try:
        return store.change_tag(ws.db, tag_id, change=change, user=user.username, comment=(comment or "").strip(),
                                check=_check(wanted))
    except store.NotFoundError:
        raise NotFound(f"no tag {tag_id}") from None
    except store.DuplicateTag:
        raise TagError("label_taken", f"another tag is already called {wanted.label_en!r}",
                       {"label": wanted.label_en, "label_ar": wanted.label_ar}) from None


def retire_tag(ws: Workspace, *, user: User, tag_id: int, comment: str) -> bool:
    """Stop offering a tag (the records carrying it keep it); a reason is needed."""
    from ..store import tags as store

    _require_admin(user)
    comment = (comment or "").strip()
    if not comment:
        raise TagError("reason_missing", "say why the tag is retired")
    try:
        return store.change_tag(ws.db, tag_id, change=lambda old: replace(old, retired=True), user=user.username,
                                comment=comment, check=lambda _stored: None, action="retire")
    except store.NotFoundError:
        raise NotFound(f"no tag {tag_id}") from None


def tag_history(ws: Workspace, *, user: User, tag_id: int) -> list[Any]:
    """The audited changes to one tag, oldest first."""
    from ..store.history import history

    _require_admin(user)
    return history(ws.db, entity="tag", entity_id=tag_id)


# ---------------------------------------------------------------- who sees which names


def tag_names(ws: Workspace, *, user: User) -> dict[str, Tag]:
    """The tags this user may see named, by id as a query string spells it.

    Staff (who read every incident) may see every tag; a viewer only those
    shown to viewers and on some incident they may see, so a team's working
    tag, or a label used only on confidential records, never reaches them (a
    hand-made ``?tag=<id>`` shows a bare number)."""
    from ..store import tags as store

    _require(user, Action.READ_PUBLIC)
    everything = store.all_tags(ws.db)
    if not _hides_team_tags(user):
        return {str(t.id): t for t in everything}
    shown = store.tags_on_public(ws.db, confidentialities=[c.value for c in visible_confidentialities(user.role)])
    return {str(t.id): t for t in everything if t.id in shown and t.shown_to_viewers}


def _for(user: User, links: list[TagLink]) -> list[TagLink]:
    """The links whose tag ``user`` may see (a viewer: the tags shown to viewers)."""
    return [link for link in links if link.tag.shown_to_viewers] if _hides_team_tags(user) else links


def tags_on_incidents(ws: Workspace, *, user: User, ids: Sequence[int]) -> dict[int, list[Tag]]:
    """The current tags of incidents the caller already knows the user may see (a list page's rows),
    as ``user`` may see them: a viewer gets only the tags shown to viewers."""
    from ..store import tags as store

    found = store.links_for(ws.db, target="incident", ids=ids)
    return {i: [link.tag for link in shown] for i, links in found.items() if (shown := _for(user, links))}


def tags_on_sources(ws: Workspace, *, user: User, ids: Sequence[int]) -> dict[int, list[Tag]]:
    from ..store import tags as store

    _require(user, Action.READ_SOURCES)
    return {i: [link.tag for link in links] for i, links in store.links_for(ws.db, target="source", ids=ids).items()}


# ---------------------------------------------------------------- tagging incidents


def _visible_incident(ws: Workspace, user: User, incident_id: int) -> None:
    """Refuse an incident the user may not see, decided where every list decides it (their role's levels
    and the team's second-review rule); one light query, not the incident's summary with its parts."""
    from ..store.conditions import visible_ids

    _require(user, Action.READ_PUBLIC)
    seen = tuple(c.value for c in visible_confidentialities(user.role))
    with ws.db.session() as session:
        if int(incident_id) not in visible_ids(session, [int(incident_id)], seen):
            raise NotFound(f"no incident with id {incident_id}")


def _panel(ws: Workspace, user: User, target: Any, target_id: int) -> TagPanel:
    from ..store import tags as store

    current = store.links_for(ws.db, target=target, ids=[target_id]).get(target_id, [])
    if _hides_team_tags(user):
        # A viewer sees the tags of a public incident that are shown to viewers, not the staff who put them there.
        return TagPanel(current=[replace(link, created_by="") for link in _for(user, current)])
    can_tag = not user.disabled and allowed(user.role, Action.EDIT)
    on = {link.tag.id for link in current}
    choices = [t for t in sorted(store.all_tags(ws.db), key=lambda t: t.label_en.casefold())
               if not t.retired and t.id not in on] if can_tag else []
    withdrawn = store.links_for(ws.db, target=target, ids=[target_id], withdrawn=True).get(target_id, [])
    return TagPanel(current=current, withdrawn=withdrawn, choices=choices, can_tag=can_tag)


def incident_panel(ws: Workspace, *, user: User, incident_id: int) -> TagPanel:
    """An incident's tags for its page (the incident must be one the user may see)."""
    _visible_incident(ws, user, incident_id)
    return _panel(ws, user, "incident", int(incident_id))


def _tag_id(raw: str | int) -> int:
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9 or int(text) < 1:
        raise TagError("choose", "choose a tag from the list")
    return int(text)


def _put(ws: Workspace, user: User, target: Any, target_id: int, tag_id: str | int) -> None:
    from ..store import tags as store

    chosen = _tag_id(tag_id)
    try:
        made = store.add_link(ws.db, target=target, target_id=target_id, tag_id=chosen, user=user.username)
    except store.NotFoundError as exc:
        if str(exc).startswith("no tag "):
            raise TagError("choose", "choose a tag from the list") from None
        raise NotFound(str(exc)) from None
    except ValueError:
        raise TagError("retired_choice", "that tag is retired; choose a current one") from None
    if made is None:
        raise TagError("already", "the tag is on it already")


def _take(ws: Workspace, user: User, target: Any, target_id: int, tag_id: str | int) -> None:
    from ..store import tags as store

    if not store.withdraw_link(ws.db, target=target, target_id=target_id, tag_id=_tag_id(tag_id),
                               user=user.username):
        raise TagError("not_on", "that tag is not on it (someone may have taken it off already)")


def tag_incident(ws: Workspace, *, user: User, incident_id: int, tag_id: str | int) -> None:
    """Put a current tag on an incident (documenters and above)."""
    _require(user, Action.EDIT)
    _visible_incident(ws, user, incident_id)
    _put(ws, user, "incident", int(incident_id), tag_id)


def untag_incident(ws: Workspace, *, user: User, incident_id: int, tag_id: str | int) -> None:
    """Take a tag off an incident: recorded as a withdrawal with who and when."""
    _require(user, Action.EDIT)
    _visible_incident(ws, user, incident_id)
    _take(ws, user, "incident", int(incident_id), tag_id)


# ---------------------------------------------------------------- tagging sources


def _readable_source(ws: Workspace, user: User, source_id: int) -> None:
    """As the source page: no such source for a role that may not read it (a victim list: names)."""
    from sqlalchemy import select

    from ..store.tables import sources

    if user.disabled or not allowed(user.role, Action.READ_SOURCES):
        raise NotFound(f"no source with id {source_id}")
    with ws.db.session() as session:
        kind = session.scalar(select(sources.c.kind).where(sources.c.id == int(source_id)))
    if kind is None:
        raise NotFound(f"no source with id {source_id}")
    if kind == SourceKind.PERSON_LIST.value and not allowed(user.role, Action.READ_NAMES):
        raise NotFound(f"no source with id {source_id}")


def source_panel(ws: Workspace, *, user: User, source_id: int) -> TagPanel:
    _readable_source(ws, user, source_id)
    return _panel(ws, user, "source", int(source_id))


def tag_source(ws: Workspace, *, user: User, source_id: int, tag_id: str | int) -> None:
    _readable_source(ws, user, source_id)
    _require(user, Action.EDIT)
    _put(ws, user, "source", int(source_id), tag_id)


def untag_source(ws: Workspace, *, user: User, source_id: int, tag_id: str | int) -> None:
    _readable_source(ws, user, source_id)
    _require(user, Action.EDIT)
    _take(ws, user, "source", int(source_id), tag_id)
