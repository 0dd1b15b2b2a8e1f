"""Controlled vocabularies, loaded from the TOML data files beside this module.

They are data, not code, so a documentation team can add an alias or a label
without a release. Loading is cached: the files are read once per process.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

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
def actors() -> dict[str, Actor]:
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


def top_actor(code: str) -> str:
    """The top-level actor a faction belongs to (the contract's actor code)."""
    table = actors()
    seen: set[str] = set()
    while code in table and table[code].parent and code not in seen:
        seen.add(code)
        code = table[code].parent  # type: ignore[assignment]
    return code
