"""Turning a parsing library's failure on hostile bytes into ingest's one-line error.

Report files are untrusted and often broken; a documenter running a batch
needs one line per bad file saying what is wrong, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..domain.errors import IngestError, one_line

__all__ = ["IngestError", "one_line", "reading"]


@contextmanager
def reading(what: str) -> Iterator[None]:
    """Turn any failure of a parsing library on hostile bytes into a one-line ``malformed <what>``.

    Parsers for HTML, PDF, e-mail and CSV raise many exception types on
    broken input; a reader must raise only :class:`IngestError`.
    """
    try:
        yield
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(f"malformed {what}: nested too deeply", kind="ingest.malformed", format=what) from None
    except Exception as error:  # noqa: BLE001 - see docstring
        detail = one_line(str(error), limit=160)
        raise IngestError(f"malformed {what}: {type(error).__name__}" + (f": {detail}" if detail else ""),
                          kind="ingest.malformed", format=what) from None
