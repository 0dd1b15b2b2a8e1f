"""Where a report first came from, so that copies of one account count as one source.

Corroboration counts *independent* sources: a Telegram message forwarded to
three channels, or one article saved twice from two addresses, is one
account, not three. Each source gets an origin key when stored:

* a forwarded Telegram message: the chat it was forwarded from and its date
  there (``forwarded_from_id`` or ``forwarded_from`` plus ``date``), as the
  export gives them;
* otherwise its text, folded (whitespace, letter case, Arabic letter variants
  and marks) and hashed: two copies of one article, whatever the file or the
  address, have the same words; a short text (a few words) is not trusted to
  name an account, so it keeps the source's own hash;
* a source with no text (a photo, a video): its own bytes' hash.

The key is derived and stored beside the source; nothing about the source
itself is changed.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from .arabic import fold_letters, strip_vowel_marks

_SPACE = re.compile(r"\s+")
_MIN_WORDS = 12  # below this, two equal texts are too likely to be two accounts ("airstrike on Ariha")


def origin_key(*, sha256: str, record_key: str = "", text: str, metadata: Mapping[str, Any] | None) -> str:
    """The origin key of a source (see the module's rules)."""
    meta = metadata or {}
    forwarded = meta.get("forwarded_from_id") or meta.get("forwarded_from")
    if forwarded:
        return f"fwd:{forwarded}:{meta.get('date', '')}"
    folded = _SPACE.sub(" ", strip_vowel_marks(fold_letters(text or ""))).strip().casefold()
    if len(folded.split(" ")) >= _MIN_WORDS:
        return "text:" + hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]
    return f"sha:{sha256}" + (f":{record_key}" if record_key else "")  # rows of one batch file are not one account
