"""Identical suggestions from one source, folded into one row of the review queue.

A report that repeats one account (a pasted file holding the same text two
hundred times) gives as many suggestions saying the same thing. The queue
shows them as one row with their number, and a bulk decision may be taken
on all of them; each is still decided, and recorded, on its own.

What "identical" means is :func:`identity`, and only it: two suggestions are
identical when their identities are equal. The queue finds the candidates
in the database (one grouped pass over the incident rows, no report text
read; :mod:`..store.queue_folds`) and compares the candidates' identities here.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..domain.filters import IncidentFilter
from ..store.queue_folds import Candidate, Parts

__all__ = ["IDENTITY_COLUMNS", "FoldPlan", "Said", "copies", "identity", "plan", "step_from"]

# The incident row's columns identity compares (the parts are compared beside them). The description is
# among them: two acts told in two sentences with the same facts (two strikes on one town the same day, each
# killing two) are two rows, so nothing distinct is folded away; a repeated text repeats its sentence.
IDENTITY_COLUMNS = ("source_id", "event_type", "date_edtf", "has_location", "loc_place_id", "loc_name", "loc_text",
                    "loc_admin1", "loc_admin2", "loc_admin3", "description", "confidentiality")


@dataclass(frozen=True, slots=True)
class Said:
    """What one suggestion says, as identity compares it: the row's values of IDENTITY_COLUMNS and its parts."""

    row: tuple[Any, ...]
    parts: Parts
    incident_id: int = 0  # only to keep a suggestion without a source apart from every other


def identity(said: Said) -> tuple[Any, ...]:
    """What makes two suggestions identical (equal identities): the same source, event type, date (EDTF),
    place (gazetteer id, names, the words written, the governorate and districts), description and
    confidentiality; the same people involved (actor, role, degree), the same violation codes, the same
    victim groups (outcome, kind, unit, counts, sex, age, breakdown) and the same named persons.

    A suggestion without a source is identical to none (there is no report it repeats).
    """
    values = dict(zip(IDENTITY_COLUMNS, said.row))
    if values.get("source_id") is None:
        return ("alone", said.incident_id)
    return (said.row, said.parts.involvements, said.parts.violations, said.parts.victims, said.parts.persons)


# The queue's orders (store names): the key that puts a fold's first member first, as the queue sorts.
_ORDER = {"-id": lambda c: -c.id, "id": lambda c: c.id, "confidence": lambda c: (c.confidence, c.id),
          "source": lambda c: c.id}


@dataclass(frozen=True, slots=True)
class FoldPlan:
    """The queue's folds in one order: each fold's members, the row shown (its first in the queue) first."""

    folds: tuple[tuple[int, ...], ...] = ()
    hidden: frozenset[int] = frozenset()  # every member but the first: left out of the queue's rows
    _of: dict[int, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)

    def others(self, incident_id: int) -> int:
        """How many identical suggestions the row of ``incident_id`` stands for besides itself."""
        return len(self._of.get(int(incident_id), ())) - 1 if int(incident_id) in self._of else 0

    def fold_of(self, incident_id: int) -> tuple[int, ...]:
        """The members of the fold holding ``incident_id`` (itself alone when it is in none)."""
        return self._of.get(int(incident_id), (int(incident_id),))

    @property
    def suggestions_hidden(self) -> int:
        return len(self.hidden)


def folds_of(candidates: Sequence[Candidate], parts: dict[int, Parts]) -> list[list[Candidate]]:
    """The candidates grouped by :func:`identity`, groups of two or more only, lowest id first."""
    groups: dict[tuple[Any, ...], list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(identity(Said(row=c.row, parts=parts.get(c.id, Parts()), incident_id=c.id)), []).append(c)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0].id)


def arranged(folds: Iterable[Sequence[Candidate]], sort: str) -> FoldPlan:
    """``folds`` in the queue order ``sort``: each fold's first member is the row the queue shows."""
    key = _ORDER.get(sort, _ORDER["-id"])
    ordered = tuple(tuple(c.id for c in sorted(f, key=key)) for f in folds)
    return FoldPlan(folds=ordered, hidden=frozenset(i for f in ordered for i in f[1:]),
                    _of={i: f for f in ordered for i in f})


def plan(db: Any, *, filters: IncidentFilter, visible: tuple[str, ...], sort: str) -> FoldPlan:
    """The folds of the queue ``filters`` selects (already the queue's filter: suggestions only, places
    resolved) as ``visible`` sees it, in the order ``sort``.

    Computed once per data version (every decision is a new one), as the
    queue's total is: a fold must never hide a suggestion whose row was decided.
    """
    from ..store import queue_folds
    from ..store.queries import cached

    def compute() -> tuple[tuple[Candidate, ...], ...]:
        found = queue_folds.sharing(db, filters=filters, visible=visible, columns=IDENTITY_COLUMNS)
        if not found:
            return ()
        parts = queue_folds.parts_of(db, [c.id for c in found])
        return tuple(tuple(f) for f in folds_of(found, parts))

    with db.session() as session:
        folds = cached(db, session, ("queue-folds", filters, visible), compute)
    return arranged(folds, sort)


def copies(db: Any, *, incident_id: int, filters: IncidentFilter, visible: tuple[str, ...],
           folds: FoldPlan) -> frozenset[int]:
    """The suggestions of the queue ``filters`` selects identical to ``incident_id``, itself left out.

    Within the queue they are its fold's other members. A suggestion decided a
    moment ago has left the queue, and its fold with it, while its copies wait
    there still: they are found by comparing its identity with theirs (one
    look-up by its source, its copies' parts read beside), as the folds do.
    """
    members = folds.fold_of(incident_id)
    if len(members) > 1:
        return frozenset(members) - {int(incident_id)}
    from ..store import queue_folds

    own, found = queue_folds.alike(db, incident_id=incident_id, filters=filters, visible=visible,
                                   columns=IDENTITY_COLUMNS)
    if own is None or not found:
        return frozenset()
    parts = queue_folds.parts_of(db, [own.id, *(c.id for c in found)])
    wanted = identity(Said(row=own.row, parts=parts.get(own.id, Parts()), incident_id=own.id))
    return frozenset(c.id for c in found
                     if identity(Said(row=c.row, parts=parts.get(c.id, Parts()), incident_id=c.id)) == wanted)


def step_from(db: Any, *, incident_id: int, filters: IncidentFilter, visible: tuple[str, ...],
              sort: str) -> tuple[int, frozenset[int]]:
    """Where next and previous step from ``incident_id`` in the folded queue, and what they step over.

    A suggestion folded into a row stands where its row does (the row's first
    member, the one the queue shows). Stepped over: the copies folded into
    every row but their first (the queue does not show them), and the copies
    of ``incident_id`` itself (the row the person is on, or the suggestion
    they have just decided), so a step lands on the next distinct suggestion.
    """
    folds = plan(db, filters=filters, visible=visible, sort=sort)
    skip = folds.hidden | copies(db, incident_id=incident_id, filters=filters, visible=visible, folds=folds)
    return folds.fold_of(incident_id)[0], skip
