"""Numbers as people type them into a form: Western, Arabic-Indic (٠-٩) or Persian (۰-۹) digits.

A browser's ``<input type=number>`` refuses Arabic-Indic digits: typed "٣" it sends "" and the count is lost
without a word. So the pages' number fields are text fields (``inputmode=numeric``), and every number a form
or a query string carries is read here before it is parsed, whether or not the page's script ran:

* :func:`ascii_number`: the text made ASCII. Direction marks a paste carries and spaces around go; ٠-٩ and
  ۰-۹ become 0-9; the Arabic decimal separator (٫) becomes "."; a thousands separator (the Arabic ٬, or ",")
  between groups of three digits goes ("١٬٢٣٤" is 1234).
* :func:`typed_int`: a whole number of at most ``most_digits`` digits, or None (never an error).
* :func:`typed_float`: a decimal number, or None.

Only digits in their own field are read here: a report's words and a person's comment keep the digits they
were written in. ``int()`` is never given anything but ASCII digits (``str.isdigit`` says yes to "²", which
``int`` refuses).
"""
from __future__ import annotations

import re

from .arabic import to_ascii_digits

__all__ = ["MAX_TYPED_NUMBER", "ascii_number", "typed_float", "typed_int"]

MAX_TYPED_NUMBER = 40  # a number field holds a few digits: anything longer is a paste accident, not a number
# Direction marks (LRM, RLM, ALM, embeddings, isolates) and spaces, a paste from a right-to-left page carries.
_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
# Groups of three after a separator, the Arabic one (٬) or a comma: only then is it a thousands separator.
_GROUPED = re.compile(r"\d{1,3}(?:([,\u066c])\d{3})(?:\1\d{3})*(?:\.\d+)?")
_WHOLE = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def ascii_number(text: str | None) -> str:
    """``text`` (a number as typed) with ASCII digits, "." for the decimal point and no thousands separators;
    anything else in it is left for the parser to refuse."""
    plain = to_ascii_digits(_MARKS.sub("", text or "")).strip().replace("\u066b", ".")
    if _GROUPED.fullmatch(plain):
        plain = plain.replace(",", "").replace("\u066c", "")
    return plain


def typed_int(text: str | None, *, most_digits: int = 9) -> int | None:
    """The whole number (0 or more) typed in ``text``, in any of the three digit sets; None when it is blank,
    longer than ``most_digits`` digits, or not a whole number (a sign, a fraction, a letter)."""
    if text is None or len(text) > MAX_TYPED_NUMBER:
        return None
    plain = ascii_number(text)
    if not _WHOLE.fullmatch(plain) or len(plain.lstrip("0")) > most_digits:
        return None
    return int(plain)


def typed_float(text: str | None) -> float | None:
    """The decimal number typed in ``text`` ("٠٫٢٥" is 0.25); None when it is blank or not one."""
    if text is None or len(text) > MAX_TYPED_NUMBER:
        return None
    plain = ascii_number(text)
    return float(plain) if _DECIMAL.fullmatch(plain) else None
