"""Pairwise judgements: who said two incidents (or two person records) are the same, or not, and when.

Clusters are the connected components of the ``same`` judgements still in
force; a judgement is never deleted, only withdrawn (with who, when and why),
so every merge is reversible and the history shows every decision. A
judgement by a person outranks the linker's: the linker never overrides a
person's ``not-same`` and never proposes a pair a person has judged.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Verdict(enum.StrEnum):
    SAME = "same"
    NOT_SAME = "not-same"
    UNSURE = "unsure"


class Subject(enum.StrEnum):
    """What a judgement pairs."""

    INCIDENT = "incident"
    PERSON = "person"


def pair(a: int, b: int) -> tuple[int, int]:
    """A pair in its one stored order (lower id first); a record is never paired with itself."""
    if a == b:
        raise ValueError(f"a judgement pairs two different records, not {a} with itself")
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True, slots=True)
class Judgement:
    """One decision about a pair. ``actor`` is a user name, or ``linker`` with ``model_version`` set."""

    subject: Subject
    left_id: int  # the lower id of the pair
    right_id: int
    verdict: Verdict
    actor: str
    by_person: bool
    comment: str = ""
    probability: float | None = None  # the linker's match probability; None for a person
    model_version: str = ""  # the linker's model, so a decision can be traced to what made it
    # The linker's comparison, shown to a reviewer: per-field match weights and levels reached.
    weights: dict[str, float] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    id: int | None = None
    at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by: str = ""
    withdrawn_why: str = ""

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """A pair the linker compared: its match probability and each comparison's match weight (log2 Bayes factor).

    ``weights`` maps a comparison's name ("date", "place", "given_name"…) to its weight, and
    ``levels`` to the level the pair reached ("within 1 day", "exact"…), so a reviewer sees why.
    ``conflicts`` says why the pair must not be judged the same automatically whatever its
    probability (two incidents that contradict each other): such a pair goes to a person.
    """

    left_id: int
    right_id: int
    probability: float
    weights: dict[str, float] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    conflicts: tuple[str, ...] = ()
