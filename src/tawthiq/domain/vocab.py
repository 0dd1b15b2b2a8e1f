"""Controlled vocabularies, loaded from the TOML data files beside this module.

They are data, not code, so a documentation team can add an alias or a label
without a release. Loading is cached: the files are read once per process.

Actors may also be added by an admin from the interface (a new armed group);
those are stored in the database, and the services hand them to
:func:`use_recorded_actors` when a workspace opens and after every change, so
:func:`actors` is the built-in vocabulary merged with the recorded one. The
revision number lets a cache built from the vocabulary (the extractor's actor
patterns) notice the change without a restart.
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import ClassVar

from .model import Actor


@dataclass(frozen=True, slots=True)
class Term:
    code: str
    en: str
    ar: str
    group: str = ""


def _load(name: str) -> dict:
    with resources.files("tawthiq.domain").joinpath("data", name).open("rb") as f:
        return tomllib.load(f)


@cache
def event_types() -> dict[str, Term]:
    return {code: Term(code, v["en"], v["ar"], v.get("group", "")) for code, v in _load("event_types.toml").items()}


@cache
def violations() -> dict[str, Term]:
    return {code: Term(code, v["en"], v["ar"]) for code, v in _load("violations.toml").items()}


@cache
def builtin_actors() -> dict[str, Actor]:
    """The actors of ``data/actors.toml`` (part of the release)."""
    out: dict[str, Actor] = {}
    for code, v in _load("actors.toml").items():
        out[code] = Actor(
            code=code,
            label_en=v["en"],
            label_ar=v.get("ar", ""),
            aliases_en=list(v.get("aliases_en", [])),
            aliases_ar=list(v.get("aliases_ar", [])),
            parent=v.get("parent"),
            description=v.get("description", ""),
        )
    return out


class _Recorded:
    """The actors recorded in the open database; one per process (the web app and CLI open one database)."""

    actors: ClassVar[dict[str, Actor]] = {}
    revision = 0
    merged: dict[str, Actor] | None = None


def use_recorded_actors(recorded: Iterable[Actor]) -> None:
    """Replace the recorded actors merged into :func:`actors` (a built-in code is never shadowed)."""
    builtin = builtin_actors()
    fresh = {a.code: a for a in recorded if a.code not in builtin}
    if fresh == _Recorded.actors:
        return  # nothing changed: caches built from the vocabulary stay valid
    _Recorded.actors = fresh
    _Recorded.merged = None
    _Recorded.revision += 1


def actors_revision() -> int:
    """A number that changes whenever the recorded actors do."""
    return _Recorded.revision


def actors() -> dict[str, Actor]:
    """Every actor, built in and recorded, retired ones included (past records still name them)."""
    if _Recorded.merged is None:
        _Recorded.merged = {**builtin_actors(), **_Recorded.actors}
    return _Recorded.merged


def active_actors() -> dict[str, Actor]:
    """The actors a person may choose and the extractor recognises: all but the retired ones."""
    return {code: a for code, a in actors().items() if not a.retired}


def top_actor(code: str) -> str:
    """The top-level actor a faction belongs to (the contract's actor code)."""
    table = actors()
    seen: set[str] = set()
    while code in table and table[code].parent and code not in seen:
        seen.add(code)
        code = table[code].parent  # type: ignore[assignment]
    return code
