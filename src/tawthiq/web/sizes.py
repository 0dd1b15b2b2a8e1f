"""A number of bytes in the reader's language ("1.5 MB", "1.5 ميغابايت")."""
from __future__ import annotations

from ..domain.printable import human_size
from .i18n import translate

_UNITS = ("bytes", "KB", "MB", "GB")  # the unit words human_size writes


def size_text(lang: str, size: int) -> str:
    """``size`` as :func:`human_size` writes it (a whole figure without ".0"), its unit in ``lang``."""
    number, unit = human_size(size, drop_zero_decimal=True).rsplit(" ", 1)
    return f"{number} {translate(lang, f'fixb.unit.{unit}')}" if unit in _UNITS else f"{number} {unit}"
