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
from markupsafe import Markup, escape

from ..domain import vocab
from ..domain.access import Action, allowed
from ..domain.dates_shown import date_in_words
from ..domain.user_agents import short_user_agent
from ..services import places
from .digits import localise_page, wants_arabic_indic
from .i18n import catalogue, direction, translate
from .problems import problem_html, problem_text
from .return_to import page_to_return_to
from .wording import clause_separator, counted, list_separator


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


def user_text(value: Any) -> Markup:
    """A person's or a report's words inside interface text: isolated (``<bdi dir="auto">``) so their direction
    does not reorder the sentence around them, and marked as data (``data-user``) for the language checks."""
    return Markup('<bdi dir="auto" data-user>{}</bdi>').format(value)


_ISOLATES = str.maketrans("", "", "\u2066\u2067\u2068\u2069")


def isolated(value: Any) -> str:
    """A person's or a report's words inside a text that cannot hold markup (a button's ``data-confirm``
    question): between the bidi isolates FSI and PDI, so its direction does not reorder the sentence around
    it and the page's digits rewrite leaves its digits as written (``web/digits.py``). Isolates inside the
    value are dropped: they could end the isolation early."""
    return f"\u2068{str(value).translate(_ISOLATES)}\u2069"


def place_label(lang: str, name: str | None, name_ar: str | None = None, *, text: str | None = "",
                place_id: str | None = "", written: bool = True) -> str | Markup:
    """A place stored under its gazetteer (English) name, in the page language: both languages name the same
    (resolved) place (``services.places.place_names``); the report's words for a finer place inside it are
    shown apart ("Raqqa (as written: المشلب)") unless ``written`` is False. A name the gazetteer does not
    know is shown as stored."""
    names = places.place_names(name=name, name_ar=name_ar, text=text, place_id=place_id)
    if not names.en and not names.ar:
        return ""
    if not name:
        shown: str | Markup = user_text(names.ar)
    elif lang != "ar":
        shown = names.en
    else:
        # A name the gazetteer does not know is the report's own writing: shown as data, not as interface text.
        shown = names.ar if names.ar_known else user_text(names.ar)
    if not (written and names.written):
        return shown
    return Markup(escape(translate(lang, "fixc.place.as_written"))).format(
        place=shown, written=user_text(names.written))


def page_context(request: Request) -> dict[str, Any]:
    """What every page needs: the user, the language and the CSRF token."""
    lang = getattr(request.state, "lang", "en")
    user = getattr(request.state, "user", None)

    def t(key: str, /, **values: Any) -> str:
        if any(isinstance(v, Markup) for v in values.values()):
            # Some values are markup (user_text): escape the catalogue text, keep theirs, escape the rest.
            return Markup(escape(translate(lang, key))).format(**values)
        return translate(lang, key, **values)

    def term(prefix: str, code: Any) -> str | Markup:
        """A stored code in words (``prefix.code`` in the catalogue); a code with no text is shown as data."""
        if code is None or code == "":
            return ""
        key = f"{prefix}.{code}"
        return translate(lang, key) if key in catalogue() else user_text(code)

    def date_words(edtf: str | None) -> str | None:
        """An EDTF date in Arabic words for the Arabic pages ("7 تشرين الأول 2015"); None in English, where
        the stored form reads as it is, and for forms with no plain reading (intervals)."""
        return date_in_words(edtf, lang=lang) if edtf and lang == "ar" else None

    def who(name: str | None) -> str | Markup:
        """Who did something: the app's own work ("system") in words, a person's name as data."""
        if not name:
            return ""
        return translate(lang, "who.system") if name == "system" else user_text(name)

    def place_name(name: str | None, name_ar: str | None = None, text: str | None = "",
                   place_id: str | None = "") -> str | Markup:
        return place_label(lang, name, name_ar, text=text, place_id=place_id)

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
        "place_name": place_name,
        "user_text": user_text,
        "isolated": isolated,  # user_text for a text that holds no markup (an attribute)
        "who": who,
        "date_words": date_words,
        "short_user_agent": short_user_agent,  # a sign-in's browser in a few words
        "term": term,
        "digits": getattr(request.state, "digits", "latn"),
        # The digits the page's scripts draw numbers in (<body data-numerals>): "arab" only where the server
        # writes them too, so a figure drawn in the browser matches the ones around it.
        "numerals": "arab" if wants_arabic_indic(lang=lang, digits=getattr(request.state, "digits", "latn"))
                    else "latn",
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "path": request.url.path,
        "counted": lambda key, n, **values: counted(lang, key, n, **values),  # singular, dual, plural
        "sep": list_separator(lang),  # "، " on Arabic pages
        "clause_sep": clause_separator(lang),  # "؛ " on Arabic pages
        "problem": lambda exc: problem_text(lang, exc),  # a service's refusal in the page's language
        # The same for a line on its own: typed values and a file's words isolated as data (web/problems.py).
        "problem_html": lambda exc: problem_html(lang, exc),
        "return_to": page_to_return_to(request),  # where the language switch comes back to (never a POST address)
    }


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200) -> HTMLResponse:
    values = page_context(request)
    values.update(context or {})
    html = environment().get_template(template).render(values)
    if wants_arabic_indic(lang=values["lang"], digits=values["digits"]):
        html = localise_page(html)  # the one place the digits choice is applied (see web/digits.py)
    return HTMLResponse(html, status_code=status_code)
