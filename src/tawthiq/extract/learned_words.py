"""What the learned models read of an act: its first evidence span, and that span's words.

The event-type model (:mod:`.learned`) and the learned written forms (:mod:`.learned_forms`) must
read a span the same way, word for word: a form learned under one reading and matched under
another would never be found again. A word is folded (:func:`fold_letters`), lower-cased and
stripped of one leading Arabic proclitic when at least three letters remain.
"""
from __future__ import annotations

import re

from ..domain import Incident, Span
from ..domain.arabic import fold_letters

__all__ = ["quoted_span", "stem", "tokens"]

_WORD = re.compile(r"[\w\u0600-\u06ff]+", re.UNICODE)
_PROCLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب")  # longest first: the first match strips


def quoted_span(incident: Incident) -> Span | None:
    """The act's first evidence span when it quotes text (the models have nothing to read otherwise)."""
    span = incident.evidence[0] if incident.evidence else None
    return span if span is not None and span.quote else None


def stem(word: str) -> str:
    for p in _PROCLITICS:
        if word.startswith(p) and len(word) - len(p) >= 3:
            return word[len(p):]
    return word


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of each word; folding keeps offsets (it maps letter to letter)."""
    hay = fold_letters(text).lower()
    return [(stem(m.group()), m.start(), m.end()) for m in _WORD.finditer(hay)]
