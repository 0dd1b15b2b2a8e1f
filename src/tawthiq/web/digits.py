"""Arabic-Indic digits (٠-٩) in the Arabic interface, for those who choose them.

The choice is a cookie (``tawthiq_digits``), like the language's, so it holds on the sign-in page too, and,
once saved on the account page, the user's own (``users.digits``), which wins over the cookie for a
signed-in user as their language does (``web/auth.py``); it only ever applies to Arabic pages. It is applied in one place, to a page once rendered
(:func:`localise_page`), so every figure the interface writes follows it (counts, ranges, page numbers,
dates in words, "at least" texts, table figures, the server-drawn chart axes) without each template
remembering to. What must keep its digits is left alone:

* report and user data, which templates already mark (``dir="auto"``, ``data-user``) for the language
  checks, and text in another language (``lang``);
* machine text and raw text (``<script>``, ``<style>``, ``<code>``, ``<kbd>``, ``<samp>``, ``<pre>``,
  ``<textarea>``, ``<template>``), and anything marked ``data-digits="keep"``;
* every attribute but the five a person reads (``placeholder``, ``title``, ``aria-label``, ``alt``: a date
  field's example, a pager's "page 2 of 5"; ``data-confirm``: the question a button asks before it acts,
  which ``static/js/app.js`` shows as it is): ids in addresses, form values (shown as typed or stored),
  ``datetime`` and other ``data-*`` values stay as they are. An element whose ``title`` alone is data (a
  source's title over its number) says so with ``data-user-title``;
* data inside a text a person reads where no element can mark it (a name in a confirmation's question: an
  attribute holds no markup), which templates isolate between U+2068 and U+2069 (FSI … PDI, the bidi
  isolates, which also keep a Latin name from reordering the Arabic sentence around it);
* character references (``&#39;``), which are markup, not text.

CSV, JSON and the API never pass through here. A number between two digits keeps together right to left:
the decimal point becomes the Arabic decimal separator (٫) and a thousands comma the Arabic one (٬), which
Unicode's bidi algorithm keeps inside the number; a range ("٣–٥") reads from the right as the page does.
"""
from __future__ import annotations

import re

from ..domain.access import DIGIT_SYSTEMS
from ..domain.dates_shown import localise_digits

__all__ = ["DIGITS", "DIGITS_COOKIE", "localise_page", "localise_text", "pick_digits", "wants_arabic_indic"]

DIGITS_COOKIE = "tawthiq_digits"
# The Unicode numbering systems' own names (CLDR "latn", "arab"): Western 0-9 or Arabic-Indic ٠-٩.
DIGITS = DIGIT_SYSTEMS

# Jinja's autoescape turns every "<" and ">" in data and attributes into references, so outside raw-text
# elements a "<" always opens a tag (or a comment) and the next ">" closes it.
_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>", re.DOTALL)
_RAW = frozenset({"script", "style", "textarea", "template"})  # their bodies are skipped whole
_KEEP = frozenset({"code", "kbd", "samp", "pre"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})
# Data (dir="auto", data-user), text in another language than the page's (a lang other than Arabic), and
# anything a template marks to keep.
_KEEP_ATTRIBUTE = re.compile(r"""(?:^|\s)(?:dir\s*=\s*["']?auto\b|data-user(?![\w-])|lang\s*=\s*(?!["']?ar\b)"""
                             r"""|data-digits\s*=\s*["']?keep\b)""", re.IGNORECASE)
# A character reference is kept whole, and so is isolated data (FSI … PDI; to the text's end if never
# closed). A number's separators between two digits take their Arabic form. A number joined to a Latin word
# is a code ("SHA-256", a source's grade "B2") and keeps its digits.
_TEXT_PIECE = re.compile(r"&#?\w+;|\u2068[^\u2069]*\u2069?"
                         r"|(?<![A-Za-z\d])(?<![A-Za-z]-)(?:\d[\d.,]*\d|\d)(?![\w-]*[A-Za-z])")
_SEPARATORS = str.maketrans({".": "\u066b", ",": "\u066c"})
# The attributes a person reads (a hint, a tooltip, what a screen reader says, a button's question before
# it acts), with their quoted value.
_READ_ATTRIBUTE = re.compile(r"""(\s(placeholder|title|aria-label|alt|data-confirm)\s*=\s*)"""
                             r"""("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)
_USER_TITLE = re.compile(r"(?:^|\s)data-user-title\b", re.IGNORECASE)


def pick_digits(value: str | None) -> str:
    """The digits asked for; Western for anything else (a bad cookie is ignored, never an error)."""
    return value if value in DIGITS else "latn"


def wants_arabic_indic(*, lang: str, digits: str) -> bool:
    """Arabic-Indic digits only on Arabic pages: the English interface always writes 0-9."""
    return lang == "ar" and digits == "arab"


def _localise_text(text: str) -> str:
    def piece(found: re.Match[str]) -> str:
        word = found[0]
        if word.startswith("&") or not word[0].isdigit():
            return word
        return localise_digits(word.translate(_SEPARATORS), arabic_indic=True)
    return _TEXT_PIECE.sub(piece, text)


def _localise_attributes(attributes: str) -> str:
    """A start tag's attributes with the figures of those a person reads localised; a data title kept."""
    data_title = bool(_USER_TITLE.search(attributes))

    def one(found: re.Match[str]) -> str:
        if data_title and found[2].lower() == "title":
            return found[0]
        return found[1] + _localise_text(found[3])
    return _READ_ATTRIBUTE.sub(one, attributes)


def localise_text(text: str) -> str:
    """Plain interface text (no markup) as :func:`localise_page` writes a text of the page, for a text a
    script shows: a script's body is never rewritten."""
    return _localise_text(text)


def localise_page(html: str) -> str:
    """``html`` with the interface's own figures in Arabic-Indic digits, in its text and the attributes a person
    reads; data, markup and other attributes as they were. Mis-nested markup can only make it leave more as it
    was, never change data."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, kept) of each open element
    position = 0
    while True:
        found = _TAG.search(html, position)
        end = found.start() if found else len(html)
        text = html[position:end]
        kept = bool(stack) and stack[-1][1]
        out.append(text if kept else _localise_text(text))
        if found is None:
            break
        position = found.end()
        closing, name = found[1], (found[2] or "").lower()
        if not name:  # a comment
            out.append(found[0])
            continue
        if closing:
            out.append(found[0])
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == name:
                    del stack[depth:]
                    break
            continue
        attributes = found[3] or ""
        # An element's read attributes go as its text does: kept in data, machine text or another language.
        own_kept = kept or name in _KEEP or bool(_KEEP_ATTRIBUTE.search(attributes))
        out.append(found[0] if own_kept else f"<{found[2]}{_localise_attributes(attributes)}>")
        if name in _RAW:
            # The body is raw text (a script may hold "<"): copy it up to its own end tag.
            close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(html, position)
            stop = close.end() if close else len(html)
            out.append(html[position:stop])
            position = stop
            continue
        if name in _VOID or attributes.rstrip().endswith("/"):
            continue
        stack.append((name, own_kept))
    return "".join(out)
