"""The one error type ingest shows to people, and a line that names its problem.

Report files are untrusted and often broken; a documenter running a batch
needs one line per bad file saying what is wrong, never a traceback. It lives
in the domain because the evidence store (on the store's floor) refuses bad
input with it too.

The line is English (what the CLI prints). A problem an interface says in its
own language also carries a stable ``kind`` and the ``values`` the sentence
needs (which file type, which message); the web says the kind's catalogue text
(``web/problems.py``), exactly as for a service's :class:`ServiceError` kind.
"""

from __future__ import annotations

from typing import Any, Self


class IngestError(Exception):
    """A bad input, with a one-line message meant for the person running ingest.

    ``kind`` ("ingest.unsupported_type", …) names the problem for an interface in
    another language, with ``values``; "" when it has no kind yet.
    """

    def __init__(self, message: str, *, kind: str = "", **values: Any) -> None:
        super().__init__(one_line(message))
        self.kind = kind
        self.values: dict[str, Any] = dict(values)

    @property
    def message(self) -> str:
        return str(self)


class ProblemLine(str):
    """One English line of an outcome (a failed file, a message's missing photo) that also names its problem.

    It is the line itself (a ``str``: printed, joined and compared as before), with
    ``kind`` and ``values`` for an interface that says it in its own language. A
    value may itself be a line or an error with a kind (the reason a photo was
    refused): it is said the same way.
    """

    kind: str
    values: dict[str, Any]

    def __new__(cls, text: str, *, kind: str = "", **values: Any) -> Self:
        line = super().__new__(cls, text)
        line.kind = kind
        line.values = dict(values)
        return line

    @classmethod
    def of(cls, error: BaseException | str, text: str | None = None) -> ProblemLine:
        """``error`` as a line (``text`` instead of its own words, when given), keeping its kind and values."""
        return cls(str(error) if text is None else text, kind=getattr(error, "kind", "") or "",
                   **(getattr(error, "values", None) or {}))

    def replaced(self, old: str, new: str) -> ProblemLine:
        """The line with ``old`` replaced by ``new`` in its text and its text values (a server path hidden)."""
        values = {name: value.replaced(old, new) if isinstance(value, ProblemLine)
                  else value.replace(old, new) if isinstance(value, str) else value
                  for name, value in self.values.items()}
        return ProblemLine(self.replace(old, new), kind=self.kind, **values)


def one_line(message: str, *, limit: int = 300) -> str:
    """Collapse whitespace so a message from a library never spans lines."""
    flat = " ".join(str(message).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
