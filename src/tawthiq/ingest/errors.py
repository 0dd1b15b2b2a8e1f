"""The one error type ingest shows to people.

Report files are untrusted and often broken; a documenter running a batch
needs one line per bad file saying what is wrong, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class IngestError(Exception):
    """A bad input, with a one-line message meant for the person running ingest."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))

    @property
    def message(self) -> str:
        return str(self)


def one_line(message: str, *, limit: int = 300) -> str:
    """Collapse whitespace so a message from a library never spans lines."""
    flat = " ".join(str(message).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


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
        raise IngestError(f"malformed {what}: nested too deeply") from None
    except Exception as error:  # noqa: BLE001 - see docstring
        detail = one_line(str(error), limit=160)
        raise IngestError(f"malformed {what}: {type(error).__name__}" + (f": {detail}" if detail else "")) from None
