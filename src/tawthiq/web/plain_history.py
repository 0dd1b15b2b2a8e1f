"""An incident's history told in sentences ("Layla changed the number killed from 9 to 10").

The audit log keeps codes and plain dicts (``before``/``after``, see ``store.history``); readers
asked for sentences, in their language, with fields and values named as the vocabularies name them.
An action this module does not know still gets a sentence (who, what, the changed fields), so no
recorded decision is ever hidden from the page.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..domain.audit import AuditEntry
from .i18n import translate
from .plain_history_more import newer_sentences
from .plain_words import BREAKDOWN, count_words, field_words, value_words

SYSTEM_USERS = frozenset({"system", ""})  # the extractor's own entries
_STATUS_SENTENCE = {"confirmed", "verified", "rejected", "suggested", "merged"}
_VICTIM_KEYS = ("kind", "outcome", "unit", "sex", "age")
Sentence = tuple[str, str]  # (the recorded field it is about, or ""; the sentence)


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at_iso: str
    at_text: str
    user: str
    action: str
    sentences: list[Sentence]
    comment: str
    changed_fields: list[str] = field(default_factory=list)  # the recorded fields named, for tests and styling


def _who(lang: str, user: str) -> str:
    return translate(lang, "plain.history.machine") if user in SYSTEM_USERS else user


def _victim_counts(lang: str, who: str, before: Any, after: Any) -> list[str] | None:
    """Per-outcome sentences when only the counts changed ("changed the number killed from 9 to 10")."""
    if not (isinstance(before, list) and isinstance(after, list)) or len(before) != len(after) or not before:
        return None
    out: list[str] = []
    for old, new in zip(before, after):
        if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
            return None
        if any(old.get(k) != new.get(k) for k in (*_VICTIM_KEYS, *BREAKDOWN)):
            return None  # a changed kind or breakdown is said in full, where it shows
        if count_words(lang, old) == count_words(lang, new):
            continue
        outcome = str(new.get("outcome") or "other")
        what = translate(lang, f"plain.outcome_count.{outcome}")
        if what.startswith("plain."):
            what = outcome
        out.append(translate(lang, "plain.history.changed", who=who, field=what,
                             before=count_words(lang, old), after=count_words(lang, new)))
    return out or None


def _field_change(lang: str, who: str, name: str, before: Any, after: Any) -> list[str]:
    if name == "victims":
        counts = _victim_counts(lang, who, before, after)
        if counts is not None:
            return counts
    what = field_words(lang, name)
    empty = (None, "", [], {})
    if before in empty:
        return [translate(lang, "plain.history.set", who=who, field=what, after=value_words(lang, name, after))]
    if after in empty:
        return [translate(lang, "plain.history.cleared", who=who, field=what, before=value_words(lang, name, before))]
    return [translate(lang, "plain.history.changed", who=who, field=what,
                      before=value_words(lang, name, before), after=value_words(lang, name, after))]


def _changes(lang: str, who: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Sentence]:
    out: list[Sentence] = []
    for name in dict.fromkeys([*before, *after]):
        if before.get(name) != after.get(name):
            out.extend((name, text) for text in _field_change(lang, who, name, before.get(name), after.get(name)))
    return out


def sentences(lang: str, entry: AuditEntry) -> list[Sentence]:
    """What one recorded decision did, as (field changed or "", sentence) pairs in ``lang``."""
    return [s if isinstance(s, tuple) else ("", s) for s in _sentences(lang, entry)]


def _sentences(lang: str, entry: AuditEntry) -> list[Sentence | str]:
    who = _who(lang, entry.user)
    before, after = entry.before or {}, entry.after or {}
    action, here = entry.action, entry.entity_id
    if action == "create":
        if entry.user in SYSTEM_USERS and after.get("source_id"):
            return [translate(lang, "plain.history.created_from", who=who, source=after["source_id"])]
        return [translate(lang, "plain.history.created", who=who)]
    if action == "status":
        status = str(after.get("status", ""))
        key = f"plain.history.status.{status}" if status in _STATUS_SENTENCE else "plain.history.status.other"
        return [("status", translate(lang, key, who=who, status=value_words(lang, "status", status)))]
    if action == "merge":
        return [translate(lang, "plain.history.merge", who=who, id=here, into=after.get("merged_into_id", "?"))]
    if action == "merge-in":
        return [translate(lang, "plain.history.merge_in", who=who, id=after.get("merged_from_id", "?"), into=here,
                          n=after.get("claims_copied", 0))]
    if action == "unmerge":
        return [translate(lang, "plain.history.unmerge", who=who, id=here, into=before.get("merged_into_id", "?"))]
    if action == "unmerge-out":
        return [translate(lang, "plain.history.unmerge_out", who=who, id=after.get("unmerged_id", "?"), into=here)]
    if action == "claim":
        return [translate(lang, "plain.history.claim", who=who, field=field_words(lang, str(after.get("field", ""))))]
    if action == "import":
        return [translate(lang, "plain.history.import", who=who)]
    if action == "withdraw":
        return [*_changes(lang, who, before, after), translate(lang, "plain.history.withdrawn")]
    if action == "grade":
        return [translate(lang, "plain.history.grade", who=who,
                          code=f"{after.get('reliability', '?')}{after.get('credibility', '?')}")]
    newer = newer_sentences(lang, who, entry)
    if newer is not None:
        return newer
    changed = _changes(lang, who, before, after)
    if changed:
        return changed
    known = translate(lang, f"plain.action.{action}")
    return [translate(lang, "plain.history.other", who=who,
                      action=action if known.startswith("plain.") else known)]


def history_rows(lang: str, entries: list[AuditEntry]) -> list[HistoryRow]:
    """The history table's rows: when, who, and what happened in words."""
    rows: list[HistoryRow] = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        rows.append(HistoryRow(
            at_iso=entry.at.isoformat(), at_text=entry.at.strftime("%Y-%m-%d %H:%M"), user=entry.user,
            action=entry.action, sentences=sentences(lang, entry), comment=entry.comment,
            changed_fields=[k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)],
        ))
    return rows
