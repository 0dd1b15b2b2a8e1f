"""Blocking work off the event loop, each kind with its own bound on how many run at once.

One event loop answers every request of a worker process; a handler that
hashes a password, reads a 50 MB upload or builds an export on it keeps
every other user (and ``/health``) waiting for as long as that takes. Such
work runs in a worker thread instead, through :func:`run_blocking`.

Each kind of work has its own limit, so a burst of one kind can neither
exhaust memory nor take every thread from the others:

- ``hash``: Argon2 (sign-in, password changes, new accounts). Each check
  uses 64 MiB and four threads (its parallelism) for a fraction of a second;
  40 bad sign-ins at once would need 2.5 GB if all ran together, so one runs
  at a time and the rest wait their turn (off the loop, which keeps
  answering; two at a time gave the loop no more room on two cores).
- ``ingest``: pasted text and uploads (reading, extraction, storing). Two
  at a time: a large file costs memory and a core for seconds.
- ``heavy``: exports and redactions, which read or write many records or a
  whole picture.
- ``read``: pages and answers that read a lot: a source's whole text with
  its evidence marked (the source page, the review item page, the API's
  source), and the views computed over every incident of a selection (the
  dashboard, the timeline, the map and its features), which take over a
  second uncached on 100,000 incidents. A kind of their own, so a run of
  exports cannot keep a reviewer from a source, nor a crowd of dashboards
  hold up exports. Four at a time: two cores cannot run more of this
  Python at once anyway (the GIL), and each can hold tens of MB (a long
  text, its highlights and the rendered page).

- ``page``: ordinary pages whose cost still grows with the archive: the
  incidents list and its search, an incident, the review queue, the sources
  list, the start page's counts (and the API's lists, search and incident).
  Usually a few milliseconds, but totals, facet counts and a search's
  ranking are computed over the whole archive whenever their cache is cold
  (90 to 240 ms on 100,000 incidents), and an incident can carry thousands
  of claims. Four at a time, apart from ``read``, so a crowd of dashboards
  never queues the list. Paired load runs on 20,000 incidents showed no
  cost for the hand-off (docs/web-benchmark.md).

What stays on the loop is bounded by a request, not by the archive: sign-in
checks and form parsing, single-row reads and writes (decisions, tokens,
accounts), and sending files: thumbnails, media and downloads are
FileResponse, which reads the file in chunks in a worker thread.

Together the kinds run at most 15 at once (1 + 2 + 4 + 4 + 4), the size of
SQLAlchemy's default connection pool (5, and 10 more on demand), so a
thread rarely waits for a connection; more threads than that would not run
faster on two cores either.

Waiting for a turn happens on the loop without holding a thread, so the
thread pool (anyio's default of 40) stays free for everything else.
"""
from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from functools import partial
from typing import Literal, TypeVar

import anyio
import anyio.to_thread

Kind = Literal["hash", "ingest", "heavy", "read", "page"]
LIMITS: dict[Kind, int] = {"hash": 1, "ingest": 2, "heavy": 4, "read": 4, "page": 4}

T = TypeVar("T")

# A limiter belongs to one event loop (the test client starts a loop per client).
_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Kind, anyio.CapacityLimiter]] = \
    weakref.WeakKeyDictionary()


def limiter(kind: Kind) -> anyio.CapacityLimiter:
    """The running loop's limiter for ``kind`` (made on first use)."""
    per_loop = _limiters.setdefault(asyncio.get_running_loop(), {})
    if kind not in per_loop:
        per_loop[kind] = anyio.CapacityLimiter(LIMITS[kind])
    return per_loop[kind]


async def run_blocking(kind: Kind, func: Callable[..., T], /, *args: object, **kwargs: object) -> T:
    """``func(*args, **kwargs)`` in a worker thread, at most ``LIMITS[kind]`` of that kind at once."""
    return await anyio.to_thread.run_sync(partial(func, *args, **kwargs), limiter=limiter(kind))
