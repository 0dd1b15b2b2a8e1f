"""Read a form from a page as a browser would submit it, to resubmit a re-rendered form.

A form that comes back with an error must come back holding exactly what was
submitted: a person fixes the one field named and submits again, and nothing
else may change on the way. :func:`form_fields` reads a form's successful
controls the way a browser builds the request: text-like inputs and hidden
inputs with their value, checkboxes and radios only when checked, a
``<select>``'s selected options (and, like a browser, the *first* option of a
single select when none is marked selected: the case that turned a blank
"add a group" row into "killed"), textareas' text. Controls inside
``<template>`` are not part of the form; disabled controls are not sent;
buttons are sent only as the one pressed (:func:`submit`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

_SKIPPED_INPUTS = frozenset({"submit", "button", "image", "reset", "file"})


@dataclass
class _Select:
    name: str
    multiple: bool
    options: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class Form:
    """A form's action and its fields in document order, as (name, value) pairs."""

    action: str
    fields: list[tuple[str, str]]
    buttons: list[tuple[str, str]]  # (name, value) of its submit buttons

    def values(self, name: str) -> list[str]:
        return [v for n, v in self.fields if n == name]

    def value(self, name: str) -> str:
        found = self.values(name)
        assert len(found) == 1, f"{name!r} occurs {len(found)} times in the form for {self.action}"
        return found[0]

    def names(self) -> list[str]:
        return list(dict.fromkeys(n for n, _ in self.fields))

    def with_values(self, **changes: str | list[str]) -> list[tuple[str, str]]:
        """The fields with ``changes`` replacing every value of those names (a list for a repeated field)."""
        out = [(n, v) for n, v in self.fields if n not in changes]
        for name, value in changes.items():
            out.extend((name, v) for v in ([value] if isinstance(value, str) else value))
        return out


class _FormParser(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = action
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.template_depth = 0
        self.select: _Select | None = None
        self.option: dict[str, Any] | None = None
        self.textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "template":
            self.template_depth += 1
            return
        if self.template_depth:
            return
        if tag == "form":
            if a.get("action") == self.wanted and (a.get("method") or "get").lower() == "post":
                self.current = Form(action=a["action"], fields=[], buttons=[])
            return
        if self.current is None:
            return
        disabled = "disabled" in a
        if tag == "input" and not disabled and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "submit":
                self.current.buttons.append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.current.fields.append((a["name"], a.get("value", "on")))
            elif kind not in _SKIPPED_INPUTS:
                self.current.fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("name") and (a.get("type") or "submit").lower() == "submit":
            self.current.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select" and not disabled:
            self.select = _Select(name=a.get("name", ""), multiple="multiple" in a)
        elif tag == "option" and self.select is not None:
            self._end_option()
            self.option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and not disabled and a.get("name"):
            self.textarea = {"name": a["name"], "text": ""}

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def _end_option(self) -> None:
        if self.option is not None and self.select is not None:
            value = self.option["value"] if self.option["value"] is not None else self.option["text"].strip()
            self.select.options.append((value, self.option["selected"]))
        self.option = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.template_depth = max(0, self.template_depth - 1)
            return
        if self.template_depth or self.current is None:
            return
        if tag == "option":
            self._end_option()
        elif tag == "select" and self.select is not None:
            self._end_option()
            chosen = [v for v, selected in self.select.options if selected]
            if not self.select.multiple:
                # A browser submits the last option marked selected, or the first option when none is.
                chosen = chosen[-1:] or [v for v, _ in self.select.options[:1]]
            if self.select.name:
                self.current.fields.extend((self.select.name, v) for v in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"]
            # The HTML parser drops one newline right after <textarea>; so does a browser.
            self.current.fields.append((self.textarea["name"], text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "form":
            self.forms.append(self.current)
            self.current = None


def form_fields(html: str, action: str) -> Form:
    """The one POST form on ``html`` whose action is ``action``, as a browser would submit it."""
    parser = _FormParser(action)
    parser.feed(html)
    parser.close()
    assert len(parser.forms) == 1, f"{len(parser.forms)} POST forms with action {action!r} on the page"
    return parser.forms[0]


def submit(fields: list[tuple[str, str]], button: tuple[str, str] | None = None) -> list[tuple[str, str]]:
    """The request body of ``fields`` submitted with ``button`` pressed (its name=value is sent)."""
    return [*fields, button] if button is not None else list(fields)


def encoded(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    """``fields`` as the dict of lists the test client sends as a form (order kept per name)."""
    out: dict[str, list[str]] = {}
    for name, value in fields:
        out.setdefault(name, []).append(value)
    return out
