"""Sentences for the history's newer actions: media attached and withdrawn, tags, assignments, linkage
judgements, and the vocabulary, tag and setting records.

Their entries keep plain dicts (``{"attachment": 4, "source_id": 14, "part": "region", ...}``); without
these sentences the page read them as field dumps ("docu set attachment to 1. docu set source id to 14").
An action not named here returns None and :mod:`.plain_history` says it its own way.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..domain.audit import AuditEntry
from .i18n import translate
from .plain_words import clip, setting_label, value_words

_VERDICTS = {"same", "not-same", "unsure"}


def _t(lang: str, key: str, **values: Any) -> str:
    return translate(lang, key, **values)


def _seconds(value: Any) -> str:
    """12.5 -> "0:12", 3725 -> "1:02:05": a time in a recording as a player shows it."""
    try:
        total = int(float(value))
    except (TypeError, ValueError):
        return str(value)
    hours, rest = divmod(max(total, 0), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def part_words(lang: str, described: Mapping[str, Any]) -> str:
    """Which part of a source backs the incident, in words ("a region of the picture", "from 0:12 to 0:40")."""
    part = str(described.get("part") or "whole")
    time = described.get("time")
    if part == "time" and isinstance(time, (list, tuple)) and len(time) == 2:
        return _t(lang, "fixc.history.part.time", start=_seconds(time[0]), end=_seconds(time[1]))
    if part == "page" and described.get("page") is not None:
        return _t(lang, "fixc.history.part.page", page=described["page"])
    key = f"fixc.history.part.{part}"
    text = _t(lang, key)
    return part if text == key else text


def _media(lang: str, who: str, key: str, described: Mapping[str, Any]) -> list[str]:
    return [_t(lang, key, who=who, source=described.get("source_id", "?"), part=part_words(lang, described))]


def _tag(lang: str, who: str, key: str, values: Mapping[str, Any]) -> list[str]:
    name = values.get("tag_ar") if lang == "ar" and values.get("tag_ar") else values.get("tag")
    return [_t(lang, key, who=who, tag=clip(str(name or "?"), 120))]


def _judgement(lang: str, who: str, values: Mapping[str, Any], *, withdrawn: bool) -> list[str]:
    verdict = str(values.get("verdict") or "")
    verdict = verdict if verdict in _VERDICTS else "other"
    key = f"fixc.history.{'unjudged' if withdrawn else 'judged'}.{verdict}"
    return [_t(lang, key, who=who, other=values.get("other", "?"), verdict=values.get("verdict", ""))]


def _label(lang: str, values: Mapping[str, Any]) -> str:
    name = values.get("label_ar") if lang == "ar" and values.get("label_ar") else values.get("label_en")
    return clip(str(name or values.get("code") or "?"), 120)


def _record_changes(lang: str, who: str, before: Mapping[str, Any], after: Mapping[str, Any],
                    name_of: Callable[[str], str]) -> list[str]:
    """An actor's, a tag's or a setting's changed fields, each named in words."""
    out: list[str] = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key == "retired":
            out.append(_t(lang, "fixc.history.record.retired" if new else "fixc.history.record.restored", who=who))
            continue
        if key == "shown_to_viewers":  # a tag's flag: said as what it means, not "changed from False to True"
            out.append(_t(lang, "walk.history.tag_shown" if new else "walk.history.tag_hidden", who=who))
            continue
        out.append(_t(lang, "plain.history.changed", who=who, field=name_of(key),
                      before=value_words(lang, key, old), after=value_words(lang, key, new)))
    return out


def _field_name(lang: str, key: str) -> str:
    text = _t(lang, f"fixc.history.field.{key}")
    return key.replace("_", " ") if text == f"fixc.history.field.{key}" else text


def newer_sentences(lang: str, who: str, entry: AuditEntry) -> list[Any] | None:
    """The sentences for one of the newer actions, or None when ``entry`` is not one of them."""
    before, after, action = entry.before or {}, entry.after or {}, entry.action
    if action == "attach-media":
        return _media(lang, who, "fixc.history.attached", after)
    if action == "withdraw-media":
        return _media(lang, who, "fixc.history.detached", before)
    if action == "tag":
        return _tag(lang, who, "fixc.history.tagged", after)
    if action == "untag":
        return _tag(lang, who, "fixc.history.untagged", before)
    if action == "assign":
        return [_t(lang, "fixc.history.assigned", who=who, assignee=clip(str(after.get("assignee") or "?"), 80))]
    if action == "unassign":
        return [_t(lang, "fixc.history.unassigned", who=who, assignee=clip(str(before.get("assignee") or "?"), 80))]
    if action == "judgement":
        return _judgement(lang, who, after, withdrawn=False)
    if action == "judgement-withdrawn":
        return _judgement(lang, who, before, withdrawn=True)
    if entry.entity in ("actor", "tag") and action == "add":
        return [_t(lang, f"fixc.history.{entry.entity}_added", who=who, name=_label(lang, after))]
    if entry.entity in ("actor", "tag") and action in ("edit", "retire"):
        return _record_changes(lang, who, before, after, lambda key: _field_name(lang, key)) or None
    if entry.entity == "setting" and action == "set":
        return _record_changes(lang, who, before, after, lambda key: setting_label(lang, key)) or None
    return None
