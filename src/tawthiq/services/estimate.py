"""Estimating what was not documented: multiple systems estimation from a capture table or from linked lists.

Two ways in. :func:`estimate_capture_table` reads an aggregated table of
capture histories as published studies give them (a CSV with one 0/1 column
per list and a ``count`` column). :func:`estimate_memberships` takes linked
records — (person cluster, list, stratum) — so that the person store can be
plugged in: it builds the histories per stratum and estimates each. The
method is in :mod:`tawthiq.stats.mse`; README "Estimating the undocumented"
says how to read the result.

This module's top level stays light (the CLI builds its options from it), so
numpy and statsmodels load only when an estimate is made.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ServiceError

if TYPE_CHECKING:
    from ..stats.mse import Estimate  # (the CLI names it from here: edges do not import stats)
    from . import Workspace

__all__ = ["BY", "MAX_TABLE_BYTES", "MODELS", "StratumEstimate", "estimate_capture_table", "estimate_memberships",
           "estimate_record", "read_capture_table"]

MODELS = ("auto", "independence", "all-two-way")  # as tawthiq.stats.mse.MODELS (a test holds them equal)
BY = ("governorate", "perpetrator", "year")  # what linked lists can be stratified by
# A capture table over at most 10 lists has at most 1,023 rows: a megabyte is far more than any needs.
MAX_TABLE_BYTES = 1_000_000
MAX_COUNT = 10**12  # more people than have ever lived: a typo, not a count
WHOLE = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class StratumEstimate:
    """One stratum's estimate, or why there is none (too few people, lists that do not overlap…)."""

    stratum: str | None  # None when not stratified
    documented: int
    estimate: Estimate | None
    problem: str | None = None


def estimate_capture_table(*, path: Path, model: str = "auto", lists: Sequence[str] | None = None) -> Estimate:
    """Estimate from the capture table at ``path`` (see :func:`read_capture_table`).

    ``lists`` keeps only those list columns, summing over the others: people
    on none of the kept lists are then not documented and drop out.
    """
    from ..stats.mse import estimate

    _check_model(model)
    names, table = read_capture_table(path)
    if lists:
        names, table = _keep(names, table, lists, where=path.name)
    try:
        return estimate(table, lists=names, model=model)
    except ValueError as exc:  # NotEstimable included
        raise ServiceError(f"{path.name}: cannot estimate: {exc}") from None


def estimate_memberships(*, memberships: Iterable[tuple[Hashable, str, str | None]],
                         lists: Sequence[str] | None = None, by: str | None = None,
                         model: str = "auto") -> list[StratumEstimate]:
    """Estimates from linked records, one per stratum (one in all without ``by``).

    ``memberships`` gives each record's person cluster, list and stratum (the
    record's governorate, perpetrator or year, as ``by`` names; ignored
    without ``by``). ``lists`` are the systems (default: every list named, in
    alphabetical order). A stratum that cannot be estimated gets its
    ``problem`` and the others go on. How a person whose records disagree on
    the stratum is placed: :func:`tawthiq.stats.mse.histories_from_memberships`.
    """
    from ..stats.mse import estimate, histories_from_memberships

    _check_model(model)
    if by is not None and by not in BY:
        raise ServiceError(f"--by must be one of {', '.join(BY)}, not {by!r}")
    rows: Iterable[tuple[Hashable, str, str | None]] = memberships
    if not lists:
        rows = list(memberships)
        lists = sorted({str(list_name) for _, list_name, _ in rows})
    if len(set(lists)) != len(lists):
        raise ServiceError("a list is named twice in --lists")
    if by is None:
        rows = ((cluster, list_name, None) for cluster, list_name, _ in rows)
    tables = histories_from_memberships(rows, list(lists))
    found = []
    for stratum in sorted(tables, key=lambda s: (s is None, str(s))):
        table = tables[stratum]
        documented = sum(table.values())
        try:
            found.append(StratumEstimate(stratum, documented, estimate(table, lists=list(lists), model=model)))
        except ValueError as exc:  # NotEstimable included: this stratum has none, the others go on
            found.append(StratumEstimate(stratum, documented, None, str(exc)))
    return found


def estimate_record(ws: Workspace, *, lists: Sequence[str] | None = None, by: str | None = None,
                    model: str = "auto") -> list[StratumEstimate]:
    """Estimates from the linked person records of this database (``tawthiq estimate`` without a table).

    Each list is a system; a person is a person cluster (``tawthiq link persons``), so a person on
    two lists has both in their history. The persons reports name are not a list (many sources,
    no one's list) and count only when named in ``lists``. The stratum is the record's
    governorate, perpetrator, or the year of its date (of death, detention or disappearance).
    """
    from ..domain.persons import REPORTS_LIST
    from ..store.person_records import count_by_list, iter_records

    known = count_by_list(ws.db)
    chosen = list(lists) if lists else sorted(name for name in known if name != REPORTS_LIST)
    missing = [name for name in chosen if name not in known]
    if missing:
        raise ServiceError(f"no person list named {', '.join(missing)} (imported: {', '.join(sorted(known)) or 'none'})")
    if len(chosen) < 2:
        raise ServiceError(f"estimating needs two or more linked person lists, three for a trustworthy estimate "
                           f"({len(chosen)} given or imported: tawthiq persons import FILE --list NAME, then "
                           "tawthiq link persons)")

    def stratum(fields: dict[str, str]) -> str | None:
        if by == "year":
            found = re.match(r"\s*(\d{4})", fields.get("date", ""))
            return found.group(1) if found else None
        return (fields.get(by or "", "") or "").strip() or None

    memberships = ((r.cluster_id if r.cluster_id is not None else r.id, r.list_name, stratum(r.fields))
                   for r in iter_records(ws.db, lists=tuple(chosen)))
    return estimate_memberships(memberships=memberships, lists=chosen, by=by, model=model)


def read_capture_table(path: Path) -> tuple[list[str], dict[tuple[int, ...], int]]:
    """The list names and history counts of a capture-table CSV; a bad file is one :class:`ServiceError` line.

    The header names one column per list and a ``count`` column (any order,
    any case). Each row gives 0 or 1 per list and a whole number of people,
    0 or more. Histories not given count zero. Refused, with the row: a
    history on no list (nobody can be counted as seen on no list: that cell
    is what is estimated), a history given twice (summing would hide a pasted
    or mistyped row, so the table must say each history once), values other
    than 0/1, negative or fractional counts.
    """
    where = path.name
    try:
        size = path.stat().st_size
        if size > MAX_TABLE_BYTES:
            raise ServiceError(f"{where}: {size:,} bytes; a capture table is at most {MAX_TABLE_BYTES:,}")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(f"{where}: not UTF-8 text") from None
    except IsADirectoryError:
        raise ServiceError(f"{where}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise ServiceError(f"{where}: cannot read: {exc.strerror or exc}") from None
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise ServiceError(f"{where}: not a readable CSV: {exc}") from None
    if not rows:
        raise ServiceError(f"{where}: empty; a capture table has a header with one column per list and count")
    header = [cell.strip() for cell in rows[0]]
    counted = [i for i, name in enumerate(header) if name.lower() == "count"]
    if not counted:
        raise ServiceError(f"{where}: no count column; the header needs one column per list and a count column")
    if len(counted) > 1:
        raise ServiceError(f"{where}: two count columns")
    count_at = counted[0]
    names = [name for i, name in enumerate(header) if i != count_at]
    if any(not name for name in names):
        raise ServiceError(f"{where}: a list column has no name")
    if len(set(names)) != len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise ServiceError(f"{where}: list column {twice!r} is named twice")
    if len(names) < 2:
        raise ServiceError(f"{where}: {len(names)} list column(s); estimation needs at least two lists (three or more "
                           "to allow for lists that depend on each other)")
    from ..stats.mse import MAX_LISTS

    if len(names) > MAX_LISTS:
        raise ServiceError(f"{where}: {len(names)} list columns; at most {MAX_LISTS} can be estimated together")
    table: dict[tuple[int, ...], int] = {}
    first_row: dict[tuple[int, ...], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ServiceError(f"{where}: row {number} has {len(row)} cells, the header {len(header)}")
        cells = [cell.strip() for cell in row]
        history = []
        for i, cell in enumerate(cells):
            if i == count_at:
                continue
            if cell not in ("0", "1"):
                raise ServiceError(f"{where}: row {number}, list {header[i]!r}: {cell[:20]!r} is not 0 or 1")
            history.append(int(cell))
        count = cells[count_at]
        if count.startswith("-"):
            raise ServiceError(f"{where}: row {number}: negative count {count[:20]!r}")
        if not WHOLE.fullmatch(count) or int(count) > MAX_COUNT:
            raise ServiceError(f"{where}: row {number}: count {count[:20]!r} is not a whole number of people")
        key = tuple(history)
        if not any(key):
            raise ServiceError(f"{where}: row {number} is on no list; the people no list documented are what is "
                               "estimated: leave that row out")
        if key in table:
            raise ServiceError(f"{where}: rows {first_row[key]} and {number} give the same history "
                               f"{''.join(map(str, key))}: give each history once")
        table[key] = int(count)
        first_row[key] = number
    if sum(table.values()) == 0:
        raise ServiceError(f"{where}: no one is counted")
    return names, table


def _keep(names: list[str], table: dict[tuple[int, ...], int], lists: Sequence[str],
          *, where: str) -> tuple[list[str], dict[tuple[int, ...], int]]:
    """The table over only ``lists`` (in that order), summing over the others."""
    missing = [name for name in lists if name not in names]
    if missing:
        raise ServiceError(f"{where}: no list column {missing[0]!r} (columns: {', '.join(names)})")
    if len(set(lists)) != len(lists):
        raise ServiceError("a list is named twice in --lists")
    at = [names.index(name) for name in lists]
    kept: dict[tuple[int, ...], int] = {}
    for history, count in table.items():
        key = tuple(history[i] for i in at)
        if any(key):  # on none of the kept lists: not documented by them
            kept[key] = kept.get(key, 0) + count
    return list(lists), kept


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ServiceError(f"--model must be one of {', '.join(MODELS)}, not {model!r}")
