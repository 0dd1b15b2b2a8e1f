"""One full-text search hit: a source or an incident, with a snippet of its original text."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: Literal["source", "incident"]
    id: int
    title: str
    snippet: str  # from the original text, not the folded index form
    rank: float  # higher is better; only comparable within one result list
