"""Interface text in English and Arabic.

Each file in ``web/i18n/`` holds one area's strings, every key with both
languages side by side (``[key] en = "…" ar = "…"``), so a missing
translation shows up in review and in ``tests/web/test_i18n.py``.
"""
from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("en", "ar")
RTL = frozenset({"ar"})


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """key -> {"en": …, "ar": …}, merged from every file; a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("tawthiq.web").joinpath("i18n")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        with entry.open("rb") as f:
            data = tomllib.load(f)
        for key, value in _flatten(data):
            if key in merged:
                raise ValueError(f"interface text {key!r} is defined twice (again in {entry.name})")
            merged[key] = value
    return merged


def _flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, dict[str, str]]]:
    out: list[tuple[str, dict[str, str]]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and "en" in value and not isinstance(value["en"], Mapping):
            out.append((name, {lang: str(value.get(lang, "")) for lang in LANGUAGES}))
            # A text may have texts under it ("add.given.reliability" and "add.given.reliability.A"):
            # without this they were silently dropped and the page showed their keys.
            out.extend(_flatten({k: v for k, v in value.items() if isinstance(v, Mapping)}, f"{name}."))
        elif isinstance(value, Mapping):
            out.extend(_flatten(value, f"{name}."))
    return out


def translate(lang: str, key: str, /, **values: Any) -> str:
    """The text for ``key``; English when the Arabic is missing, the key itself when both are."""
    entry = catalogue().get(key)
    text = (entry.get(lang) or entry.get("en")) if entry else None
    if not text:
        return key
    return text.format(**values) if values else text


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


def pick_language(*candidates: str | None, accept_language: str = "") -> str:
    """The first supported language among explicit choices, then the browser's header."""
    for lang in candidates:
        if lang in LANGUAGES:
            return lang
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"
