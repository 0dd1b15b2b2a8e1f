"""The actor vocabulary an admin extends from the interface, and the extractor that uses it at once.

Built-in actors come with the release (``domain/data/actors.toml``); an admin
adds a new armed group (names and aliases in English and Arabic, the
coalition it belongs to, its kind), edits it, or retires it (never deleted).
Each change is checked by :mod:`tawthiq.domain.actor_rules`, stored and
audited with who, when and why, and then merged into the process's
vocabulary (:func:`tawthiq.domain.vocab.use_recorded_actors`), so filters,
facets, forms, the API and exports name the new actor, and the next report
ingested is read with its aliases, without a restart.

Other processes (a second web worker, a CLI ingest) notice a change through
:func:`refresh`, which compares a cheap fingerprint of the stored actors.
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..domain import vocab
from ..domain.access import Action, User, allowed
from ..domain.actor_rules import ActorProblem, check_actor, clean_aliases
from ..domain.model import Actor
from . import Workspace
from .errors import NotFound, PermissionDenied, ServiceError

if TYPE_CHECKING:
    from ..extract.base import Extractor

REFRESH_SECONDS = 5.0  # how stale a page's vocabulary may be in another worker


class VocabularyError(ServiceError):
    """A refused actor: ``key`` names the interface's message (``vocab.error.<key>``), ``values`` fill it."""

    def __init__(self, problem: ActorProblem) -> None:
        super().__init__(str(problem))
        self.key = problem.key
        self.values = problem.values


@dataclass(frozen=True, slots=True)
class ActorForm:
    """What an admin typed for an actor (aliases one a line or comma separated)."""

    label_en: str = ""
    label_ar: str = ""
    aliases_en: str = ""
    aliases_ar: str = ""
    parent: str = ""
    kind: str = ""

    def actor(self, code: str) -> Actor:
        return Actor(code=code.strip(), label_en=" ".join(self.label_en.split()),
                     label_ar=" ".join(self.label_ar.split()), aliases_en=clean_aliases(self.aliases_en),
                     aliases_ar=clean_aliases(self.aliases_ar), parent=self.parent.strip() or None,
                     kind=self.kind.strip(), recorded=True)


class _State:
    """Per process: the fingerprint of the stored actors last merged, and when it was read."""

    stamp: tuple[str, tuple[int, str]] | None = None
    checked_at = 0.0


def _require(user: User) -> None:
    if user.disabled or not allowed(user.role, Action.MANAGE_VOCABULARY):
        raise PermissionDenied("only an admin can change the actor vocabulary")


def _db_key(ws: Workspace) -> str:
    return ws.db.engine.url.render_as_string(hide_password=True)


def refresh(ws: Workspace, *, max_age: float = 0.0) -> None:
    """Merge the stored actors into the vocabulary if they changed (read at most every ``max_age`` seconds)."""
    from ..store import vocabulary as store

    clock = time.monotonic()
    if max_age and clock - _State.checked_at < max_age and _State.stamp and _State.stamp[0] == _db_key(ws):
        return
    current = (_db_key(ws), store.stamp(ws.db))
    _State.checked_at = clock
    if current == _State.stamp:
        return
    vocab.use_recorded_actors(store.list_recorded(ws.db))
    _State.stamp = current


def _check(candidate: Actor, *, new: bool) -> Any:
    def check(recorded: list[Actor]) -> None:
        table = {**vocab.builtin_actors(), **{a.code: a for a in recorded}}
        if not new:
            table[candidate.code] = candidate
        try:
            check_actor(candidate, existing=table, new=new)
        except ActorProblem as problem:
            raise VocabularyError(problem) from None

    return check


def list_actors(ws: Workspace, *, user: User) -> list[Actor]:
    """Every actor, built in first then recorded, retired ones included (the admin's page)."""
    _require(user)
    refresh(ws)
    everything = vocab.actors()
    return sorted(everything.values(), key=lambda a: (a.recorded, a.retired, a.label_en.casefold()))


def add_actor(ws: Workspace, *, user: User, code: str, form: ActorForm, comment: str) -> Actor:
    """Add an actor; refused with a :class:`VocabularyError` whose message is one line."""
    from ..store import vocabulary as store

    _require(user)
    actor = form.actor(code)
    if actor.code in vocab.builtin_actors():
        raise VocabularyError(ActorProblem("code_taken", f"the code {actor.code!r} is already used",
                                           {"code": actor.code}))
    try:
        store.add_actor(ws.db, actor, user=user.username, comment=(comment or "").strip(),
                        check=_check(actor, new=True))
    except store.DuplicateActor:
        raise VocabularyError(ActorProblem("code_taken", f"the code {actor.code!r} is already used",
                                           {"code": actor.code})) from None
    refresh(ws)
    return vocab.actors()[actor.code]


def edit_actor(ws: Workspace, *, user: User, code: str, form: ActorForm, comment: str) -> bool:
    """Change a recorded actor's names, aliases, coalition or kind; returns whether anything changed."""
    from ..store import vocabulary as store

    _require(user)
    if code in vocab.builtin_actors():
        raise ServiceError("a built-in actor is part of the release and cannot be edited here",
                           kind="vocab.builtin_edit")
    wanted = form.actor(code)

    def change(old: Actor) -> Actor:
        if old.retired:
            raise VocabularyError(ActorProblem("retired", f"{code!r} is retired", {"code": code}))
        return replace(wanted, retired=old.retired)

    try:
        changed = store.change_actor(ws.db, code, change=change, user=user.username,
                                     comment=(comment or "").strip(), check=_check(wanted, new=False))
    except store.NotFoundError:
        raise NotFound(f"no actor {code[:60]!r} added from the interface") from None
    refresh(ws)
    return changed


def retire_actor(ws: Workspace, *, user: User, code: str, comment: str) -> bool:
    """Stop offering and recognising a recorded actor (past records keep it); a reason is needed."""
    from ..store import vocabulary as store

    _require(user)
    comment = (comment or "").strip()
    if code in vocab.builtin_actors():
        raise ServiceError("a built-in actor is part of the release and cannot be retired here",
                           kind="vocab.builtin_retire")
    if not comment:
        raise VocabularyError(ActorProblem("reason_missing", "say why the actor is retired"))
    factions = [a.code for a in vocab.active_actors().values() if a.parent == code]
    if factions:
        raise VocabularyError(ActorProblem("has_factions", f"{code!r} still has current factions: "
                                           f"{', '.join(factions[:5])}", {"codes": ", ".join(factions[:5])}))
    try:
        changed = store.change_actor(ws.db, code, change=lambda old: replace(old, retired=True),
                                     user=user.username, comment=comment, check=lambda _recorded: None,
                                     action="retire")
    except store.NotFoundError:
        raise NotFound(f"no actor {code[:60]!r} added from the interface") from None
    refresh(ws)
    return changed


def actor_history(ws: Workspace, *, user: User, code: str) -> list[Any]:
    """The audited changes to a recorded actor, oldest first."""
    from ..store import vocabulary as store
    from ..store.history import history

    _require(user)
    found = store.actor_id(ws.db, code)
    return [] if found is None else history(ws.db, entity="actor", entity_id=found)


def choosable_actors() -> Mapping[str, Actor]:
    """The actors a correction or entry form offers: every current one."""
    return vocab.active_actors()


# ----------------------------------------------------------------- extractor


def extractor(ws: Workspace) -> Extractor:
    """The rule extractor with the current vocabulary and the event-type model the team chose (rebuilt only
    when the stored actors or the chosen model changed)."""
    from .learning import SHIPPED, current_model, load_type_model

    refresh(ws)
    name = current_model(ws)
    key = (vocab.actors_revision(), name, str(ws.settings.data_dir))
    if _Built.key != key or _Built.extractor is None:
        model = load_type_model(ws) if name != SHIPPED else None
        _Built.extractor = _extractor_for(model)
        _Built.key = key
    return _Built.extractor


def _extractor_for(model: object | None) -> Extractor:
    from ..extract.contract import default_extractor
    from ..extract.engine import RuleExtractor

    if model is None and not any(a.recorded for a in vocab.actors().values()):
        return default_extractor()
    return RuleExtractor(actors=vocab.active_actors(), type_model=model)  # type: ignore[arg-type]


class _Built:
    key: tuple[int, str, str] | None = None
    extractor: Extractor | None = None
