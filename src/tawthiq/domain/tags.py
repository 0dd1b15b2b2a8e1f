"""Tags: a team's own labels on incidents and sources, and the rules a tag's labels follow.

A tag is a vocabulary entry an admin makes (a label in English and in
Arabic, and optionally a colour from a fixed palette); documenters then put
it on incidents and sources. A tag is the team's own unless the admin marks
it shown to viewers: "needs follow-up" or "witness contacted" on a public
incident is working knowledge, not something published. Tags are never deleted: an admin retires one
(it stays on past records but is no longer offered), and taking a tag off a
record is a withdrawal that keeps who did it and when.

Two tags may not share a label, in either language, whatever the spelling:
labels are compared folded as search folds words (case, alef forms, short
vowels, tatweel), so "Chemical attack" and "chemical  ATTACK", or "هجوم
كيماوي" and "هُجوم كِيماوي", are the same label.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .arabic import fold_for_lookup
from .enums import Confidentiality

__all__ = ["MAX_LABEL", "PALETTE", "Tag", "TagLink", "TagProblem", "check_tag", "clean_label", "label_key",
           "team_only_tags_hidden"]

# A fixed palette: colours the stylesheet knows (list.css, .tag-<colour>), readable in both themes;
# "" is the plain grey chip.
PALETTE = ("red", "orange", "yellow", "green", "teal", "blue", "purple", "brown")
MAX_LABEL = 80  # characters: a tag is a word or three, not a sentence


@dataclass(frozen=True, slots=True)
class Tag:
    id: int
    label_en: str
    label_ar: str
    colour: str = ""  # one of PALETTE, or "" for none
    retired: bool = False
    shown_to_viewers: bool = False  # the team's own unless an admin says viewers may see it

    def label(self, lang: str) -> str:
        """The label in the page's language (the other one if that is somehow empty)."""
        if lang == "ar":
            return self.label_ar or self.label_en
        return self.label_en or self.label_ar


@dataclass(frozen=True, slots=True)
class TagLink:
    """A tag on one incident or source: who put it there and when, and who withdrew it and when."""

    id: int
    tag: Tag
    target_id: int  # the incident's or the source's id
    created_by: str
    created_at: datetime
    withdrawn_by: str = ""
    withdrawn_at: datetime | None = None


@dataclass(slots=True)
class TagProblem(ValueError):
    """Why a tag was refused: ``key`` names the interface's message (``tags.error.<key>``)."""

    key: str
    message: str
    values: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


def clean_label(text: str) -> str:
    """A label as stored: runs of whitespace as one space, ends trimmed."""
    return " ".join((text or "").split())


def label_key(text: str) -> str:
    """What two labels are compared by: folded as search folds words."""
    return " ".join(fold_for_lookup(clean_label(text)).casefold().split())


def _check_label(text: str, lang: str) -> None:
    if not text:
        raise TagProblem(f"label_missing_{lang}", f"the {'English' if lang == 'en' else 'Arabic'} label is missing")
    if len(text) > MAX_LABEL:
        raise TagProblem("label_too_long", f"a label has at most {MAX_LABEL} characters", {"n": str(MAX_LABEL)})
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200c\u200d" for ch in text):
        raise TagProblem("label_control", "a label may not hold control or invisible formatting characters")
    if not label_key(text):
        raise TagProblem(f"label_missing_{lang}", "a label needs letters or digits")


def check_tag(tag: Tag, *, others: Iterable[Tag]) -> None:
    """Refuse ``tag`` (a :class:`TagProblem`) if its labels are missing, too long, hold control
    characters, name an unknown colour, or are another tag's label in either language."""
    _check_label(tag.label_en, "en")
    _check_label(tag.label_ar, "ar")
    if tag.colour and tag.colour not in PALETTE:
        raise TagProblem("colour_unknown", f"unknown colour {tag.colour[:20]!r}")
    mine = {label_key(tag.label_en), label_key(tag.label_ar)}
    for other in others:
        if other.id == tag.id:
            continue
        if mine & {label_key(other.label_en), label_key(other.label_ar)}:
            state = " (retired)" if other.retired else ""
            raise TagProblem("label_taken", f"another tag is already called {other.label_en!r}{state}",
                             {"label": other.label_en, "label_ar": other.label_ar})


def team_only_tags_hidden(visible: Iterable[Confidentiality | str] | None) -> bool:
    """Whether a reader seeing ``visible`` confidentiality levels is shown only the tags marked shown
    to viewers: one who cannot see restricted incidents (a viewer, and whatever is exported for one).
    ``None`` is an unrestricted reader (staff, the CLI)."""
    return visible is not None and Confidentiality.RESTRICTED not in {Confidentiality(c) for c in visible}
