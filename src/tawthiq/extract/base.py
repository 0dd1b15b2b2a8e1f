"""The contract every incident extractor fulfils."""
from __future__ import annotations

from datetime import date
from typing import Protocol, runtime_checkable

from ..domain import Incident


@runtime_checkable
class Extractor(Protocol):
    """Turns one report's text into suggested incidents.

    An extractor must:
    - return one :class:`Incident` per act at one place and time (strikes on
      two villages are two incidents; a period total is none);
    - give every incident at least one evidence :class:`~tawthiq.domain.Span`
      into ``text`` (Python ``str`` offsets) and a claim, with its span and the
      rule or model that made it, for every field it fills;
    - work offline and on a CPU, and never raise on odd text: a report it
      cannot read yields an empty list;
    - resolve relative dates ("on Tuesday", أمس) against ``published`` when it
      is given, and leave them unresolved otherwise unless the text dates itself.

    ``language`` is "en", "ar" or None (detect it).
    """

    name: str

    def extract(self, text: str, *, language: str | None = None, published: date | None = None) -> list[Incident]:
        ...
