"""The one error type ingest shows to people.

Report files are untrusted and often broken; a documenter running a batch
needs one line per bad file saying what is wrong, never a traceback. It lives
in the domain because the evidence store (on the store's floor) refuses bad
input with it too.
"""

from __future__ import annotations


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
