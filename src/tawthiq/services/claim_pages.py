"""The claims of one suggestion, a page at a time.

A long report read by the extractor can leave thousands of claims on one
suggestion (a list of three thousand shellings, each with its date, place
and victims); listed whole, its review page was megabytes of HTML. The page
shows them a bounded number at a time, in the order the page lists the
fields (event type, violation, perpetrator, target, victims, location,
date, description), within a field the current ones before those a
correction replaced, then by id: so the pages together hold every claim
exactly once, and a page number always shows the same claims while none is
added or replaced.

The API sends an incident's claims the same bounded way, by offset
(:func:`claim_window`): a script follows ``next_offset`` to the end.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.enums import ClaimField
from ..domain.model import Claim
from .errors import ServiceError

__all__ = ["API_CLAIMS", "CLAIMS_PER_PAGE", "MAX_API_CLAIMS", "ClaimPage", "ClaimWindow", "claim_page",
           "claim_window", "in_order"]

CLAIMS_PER_PAGE = 50  # about 1.5 KB of HTML each: the page stays well under 200 KB
# Claims in one API answer unless asked for fewer or more: 3,000 sent whole made GET /api/incidents/{id} 1.2 MB
# (a claim is about 400 bytes of JSON, so 200 are about 80 KB and the most, 1,000, about 400 KB).
API_CLAIMS = 200
MAX_API_CLAIMS = 1000
FIELD_ORDER: tuple[str, ...] = tuple(str(f) for f in ClaimField)  # the order the page lists the fields in


@dataclass(frozen=True, slots=True)
class ClaimPage:
    """Page ``page`` of a suggestion's claims, grouped by field as the page shows them."""

    by_field: dict[str, list[Claim]]
    total: int  # the suggestion's claims, on every page
    page: int  # 1-based, within 1..pages (1 when there is none)
    pages: int
    first: int  # 1-based position of the first claim shown (0 when none is)
    last: int  # 1-based position of the last claim shown (0 when none is)
    elsewhere: dict[str, int] = field(default_factory=dict)  # per field: its claims on the other pages

    @property
    def paged(self) -> bool:
        """Whether the claims take more than one page (a page with all of them is shown as before)."""
        return self.pages > 1

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def _rank(name: str) -> int:
    return FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER)


def in_order(claims: Sequence[Claim]) -> list[Claim]:
    """``claims`` in the order the pages take them: field, current before replaced, id (then as given)."""
    indexed = list(enumerate(claims))
    indexed.sort(key=lambda pair: (_rank(str(pair[1].field)), not pair[1].current,
                                   pair[1].id if pair[1].id is not None else 0, pair[0]))
    return [c for _, c in indexed]


def claim_page(claims: Sequence[Claim], *, page: int = 1, per_page: int = CLAIMS_PER_PAGE) -> ClaimPage:
    """Page ``page`` (1-based; beyond the last: the last, below 1: the first) of ``claims``."""
    per_page = max(1, int(per_page))
    ordered = in_order(claims)
    total = len(ordered)
    pages = max(1, -(-total // per_page))
    page = min(max(1, int(page)), pages)
    shown = ordered[(page - 1) * per_page:page * per_page]
    by_field: dict[str, list[Claim]] = {}
    for claim in shown:
        by_field.setdefault(str(claim.field), []).append(claim)
    elsewhere: dict[str, int] = {}
    for claim in ordered:
        elsewhere[str(claim.field)] = elsewhere.get(str(claim.field), 0) + 1
    for name, here in by_field.items():
        elsewhere[name] -= len(here)
    first = (page - 1) * per_page + 1 if shown else 0
    return ClaimPage(by_field=by_field, total=total, page=page, pages=pages, first=first,
                     last=first + len(shown) - 1 if shown else 0,
                     elsewhere={k: n for k, n in elsewhere.items() if n})


@dataclass(frozen=True, slots=True)
class ClaimWindow:
    """The claims ``offset`` to ``offset + limit`` of an incident's, in the order given."""

    claims: list[Claim]
    total: int  # the incident's claims, in every window
    offset: int
    next_offset: int | None  # where the next window starts; None when this one reaches the end


def claim_window(claims: Sequence[Claim], *, offset: int = 0, limit: int = API_CLAIMS) -> ClaimWindow:
    """``limit`` (1 to MAX_API_CLAIMS) of ``claims`` from ``offset`` (0 to their number), in the order given: the
    windows followed by ``next_offset`` hold every claim exactly once. A bad number is a one-line ServiceError."""
    if not 1 <= int(limit) <= MAX_API_CLAIMS:
        raise ServiceError(f"claims_limit must be 1 to {MAX_API_CLAIMS}, not {limit}")
    if int(offset) < 0:
        raise ServiceError(f"claims_offset must be 0 or more, not {offset}")
    total = len(claims)
    if offset > total:
        raise ServiceError(f"claims_offset {offset} is past the end of the claims ({total})")
    end = min(total, int(offset) + int(limit))
    return ClaimWindow(claims=list(claims[offset:end]), total=total, offset=int(offset),
                       next_offset=end if end < total else None)
