"""Rendering pages: one Jinja2 environment, autoescaping everything.

Report text is attacker-controlled, so autoescape is on for every template
and nothing in a template may use ``|safe`` on data; highlighted evidence is
built by :func:`highlight_segments` as plain pieces that the template escapes.
"""
from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..domain import vocab
from ..domain.access import Action, allowed
from .i18n import direction, translate


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tawthiq.web", "templates"),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(urlencode=urlencode, Action=Action)
    return env


def term_label(lang: str, kind: str, code: str | None) -> str:
    """The label of a vocabulary code in the page language; the code itself if unknown."""
    if not code:
        return ""
    if kind == "actor":
        actor = vocab.actors().get(code)
        if actor is None:
            return code
        return (actor.label_ar if lang == "ar" else actor.label_en) or actor.label_en
    table = vocab.event_types() if kind == "event_type" else vocab.violations()
    term = table.get(code)
    if term is None:
        return code
    return (term.ar if lang == "ar" else term.en) or term.en


def page_context(request: Request) -> dict[str, Any]:
    """What every page needs: the user, the language and the CSRF token."""
    lang = getattr(request.state, "lang", "en")
    user = getattr(request.state, "user", None)

    def t(key: str, /, **values: Any) -> str:
        return translate(lang, key, **values)

    def can(action: Action) -> bool:
        return user is not None and allowed(user.role, action)

    def label(kind: str, code: str | None) -> str:
        return term_label(lang, kind, code)

    # Imported here, not at the top: the plain helpers use term_label from this module.
    from .plain import Plain

    return {
        "request": request,
        "user": user,
        "lang": lang,
        "dir": direction(lang),
        "t": t,
        "can": can,
        "label": label,
        "plain": Plain(lang, show_names=can(Action.READ_RESTRICTED)),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "path": request.url.path,
    }


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200) -> HTMLResponse:
    values = page_context(request)
    values.update(context or {})
    html = environment().get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code)
