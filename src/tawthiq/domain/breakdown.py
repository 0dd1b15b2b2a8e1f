"""A victim group's breakdown: "of whom 3 children and 2 women".

The parts are apart from one another (a child is counted as a child whatever
its sex; women and men are the adults), so together they can never be more
than the group's largest possible count. A count given as a range keeps its
range; a breakdown only has to fit under its top. A group whose size is not
known (no maximum) takes any breakdown: "at least 5, of whom 2 children".
"""
from __future__ import annotations

from .model import VictimGroup

__all__ = ["PARTS", "breakdown", "breakdown_problem"]

PARTS = ("children", "women", "men")


def breakdown(group: VictimGroup) -> list[tuple[str, int]]:
    """The parts the source states, in order: [("children", 3), ("women", 2)]."""
    return [(part, n) for part in PARTS if (n := getattr(group, part)) is not None]


def breakdown_problem(group: VictimGroup) -> str | None:
    """Why the breakdown cannot be right ("negative", "over_total"), or None when it fits."""
    parts = breakdown(group)
    if any(n < 0 for _, n in parts):
        return "negative"
    if group.count_max is not None and sum(n for _, n in parts) > group.count_max:
        return "over_total"
    return None
