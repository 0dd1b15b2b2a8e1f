"""What makes an actor an admin adds or edits acceptable: one rule set for the web, the API and the CLI.

An actor's aliases are what the extractor recognises in reports, so two
actors claiming one spelling would make every report naming it ambiguous:
an alias (or label) another current actor already has is refused, compared
the way the extractor compares (case, Arabic letter variants, short vowels
and spacing folded). A faction's coalition must exist, be current, and not
lead back to the actor itself (a loop would make "all factions of X" and the
contract's top-level actor undefined).

Pure functions only: the caller passes the vocabulary in.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from .arabic import fold_letters, strip_vowel_marks
from .model import Actor

ACTOR_KINDS = ("state-forces", "foreign-state", "armed-group", "militia", "coalition", "authority", "other")
MAX_LABEL = 200
MAX_ALIAS = 120
MAX_ALIASES = 60  # per language
_CODE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class ActorProblem(ValueError):
    """Why an actor was refused: ``key`` names the interface message, ``values`` fill it in."""

    def __init__(self, key: str, message: str, values: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.values = dict(values or {})


def alias_key(text: str) -> str:
    """A spelling as the extractor compares it: Arabic letters folded, marks dropped, case and spaces folded."""
    return " ".join(strip_vowel_marks(fold_letters(text)).lower().split())


def clean_aliases(raw: str | list[str]) -> list[str]:
    """Aliases from a form (one a line, or separated by commas or Arabic commas), trimmed, each once."""
    items = raw if isinstance(raw, list) else re.split(r"[\n,،؛;]+", raw or "")
    out: dict[str, str] = {}
    for item in items:
        text = " ".join(_CONTROL.sub(" ", item).split())
        if text and alias_key(text) not in out:
            out[alias_key(text)] = text
    return list(out.values())


def suggest_code(label_en: str) -> str:
    """A code from an English name: "Liwa al-Tahrir" → "liwa-al-tahrir"."""
    return "-".join(re.findall(r"[a-z0-9]+", label_en.lower()))[:60].strip("-")


def check_actor(actor: Actor, *, existing: Mapping[str, Actor], new: bool) -> None:
    """Raise :class:`ActorProblem` unless ``actor`` may be stored beside ``existing`` (the whole vocabulary)."""
    if not _CODE.fullmatch(actor.code or ""):
        raise ActorProblem("code_invalid", f"the code {actor.code[:60]!r} must be lower-case letters, digits and "
                           "hyphens (2-60)", {"code": actor.code[:60]})
    if new and actor.code in existing:
        raise ActorProblem("code_taken", f"the code {actor.code!r} is already used", {"code": actor.code})
    for language, label in (("en", actor.label_en), ("ar", actor.label_ar)):
        if not label.strip():
            raise ActorProblem(f"label_missing_{language}", f"the {language} name is needed")
        if len(label) > MAX_LABEL or _CONTROL.search(label):
            raise ActorProblem("label_invalid", f"a name must be one line of at most {MAX_LABEL} characters")
    for aliases in (actor.aliases_en, actor.aliases_ar):
        if len(aliases) > MAX_ALIASES:
            raise ActorProblem("too_many_aliases", f"at most {MAX_ALIASES} aliases per language",
                               {"n": str(MAX_ALIASES)})
        for alias in aliases:
            if len(alias) > MAX_ALIAS or len(alias_key(alias)) < 2:
                raise ActorProblem("alias_invalid", f"an alias must be 2 to {MAX_ALIAS} characters: {alias[:40]!r}",
                                   {"alias": alias[:40]})
    if actor.kind not in ACTOR_KINDS:
        raise ActorProblem("kind_unknown", "choose what kind of group it is")
    _check_aliases(actor, existing)
    _check_parent(actor, existing)


def _check_aliases(actor: Actor, existing: Mapping[str, Actor]) -> None:
    claimed: dict[str, Actor] = {}
    for other in existing.values():
        if other.code == actor.code or other.retired:
            continue  # a retired actor's spellings are free: a group renamed keeps its old name's reports apart
        for spelling in (other.label_en, other.label_ar, *other.aliases_en, *other.aliases_ar):
            if spelling:
                claimed.setdefault(alias_key(spelling), other)
    for spelling in (*actor.aliases_en, *actor.aliases_ar, actor.label_en, actor.label_ar):
        other = claimed.get(alias_key(spelling))
        if other is not None:
            raise ActorProblem("alias_taken", f"{spelling!r} already names {other.label_en} ({other.code})",
                               {"alias": spelling, "code": other.code})


def _check_parent(actor: Actor, existing: Mapping[str, Actor]) -> None:
    if not actor.parent:
        return
    parent = existing.get(actor.parent)
    if parent is None or parent.retired:
        raise ActorProblem("parent_unknown", f"no current actor {actor.parent[:60]!r} to belong to",
                           {"code": actor.parent[:60]})
    seen: set[str] = set()
    code: str | None = actor.parent
    while code and code not in seen:
        if code == actor.code:
            raise ActorProblem("parent_loop", f"{actor.parent!r} belongs to {actor.code!r}: a coalition cannot "
                               "belong to its own faction", {"code": actor.parent})
        seen.add(code)
        up = existing.get(code)
        code = up.parent if up is not None else None
