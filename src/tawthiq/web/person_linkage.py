"""How person linkage is said on the pages: verdicts, what was just decided, and person fields, in the page's
language. Comparison names and levels are the linker's, shown by :mod:`.linkage` (``link.comparison.*``,
``link.level.*``); a name or level the texts do not know is shown as the linker wrote it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .i18n import translate
from .linkage import _known, _number, _slug


def person_verdict_label(lang: str, verdict: Any) -> str:
    value = str(getattr(verdict, "value", verdict))
    return _known(lang, f"persons.verdict.{_slug(value)}", value)


def field_label(lang: str, name: str) -> str:
    """A person field ("given_name"…) or an extra attribute (shown as the list named its column)."""
    return _known(lang, f"persons.field.{_slug(name)}", name)


def person_notice(lang: str, params: Mapping[str, str]) -> str:
    """What was just decided (after a redirect: ``linked=same&a=1&b=2``, ``linked=undone&j=7``); empty if nothing."""
    linked = params.get("linked", "")
    a, b = _number(params.get("a")), _number(params.get("b"))
    if linked in ("same", "not-same", "unsure") and a and b:
        return translate(lang, f"persons.done.{_slug(linked)}", left=a, right=b)
    if linked == "undone" and _number(params.get("j")):
        return translate(lang, "link.done.undone", id=_number(params.get("j")))
    return ""
