"""The admin's actor vocabulary page: add an armed group, edit its names and aliases, retire it.

Every change goes through :mod:`tawthiq.services.vocabulary`, which checks the
role again, validates, stores and audits it; a refused form comes back with a
one-line reason in the page's language and what was typed kept.
"""
from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import Action, User
from ...domain.actor_rules import ACTOR_KINDS, suggest_code
from ...services import vocabulary
from ...services.errors import ServiceError
from ..admin_forms import submit
from ..auth import current_user, require, workspace
from ..i18n import translate
from ..offload import run_blocking
from ..problems import problem_html, problem_key, unkinded
from ..templating import render

router = APIRouter(prefix="/admin/actors", dependencies=[Depends(require(Action.MANAGE_VOCABULARY))])

Text = Annotated[str, Form(max_length=400)]
Aliases = Annotated[str, Form(max_length=20_000)]
Comment = Annotated[str, Form(max_length=2000)]
_DONE = frozenset({"added", "edited", "unchanged", "retired"})


def _message(request: Request, exc: ServiceError) -> str:
    lang = getattr(request.state, "lang", "en")
    if isinstance(exc, vocabulary.VocabularyError):
        return translate(lang, f"vocab.error.{exc.key}", **exc.values)
    if problem_key(exc) is not None:  # a refusal with a kind: its own sentence in the page's language
        return problem_html(lang, exc)
    return unkinded(lang, "vocab.error.other", exc)


async def _page(request: Request, user: User, *, status_code: int = 200, **extra: Any) -> Response:
    actors = await run_blocking("page", vocabulary.list_actors, workspace(request), user=user)
    context: dict[str, Any] = {
        "actors": actors,
        "current": [a for a in actors if not a.retired],
        "kinds": ACTOR_KINDS,
        "error": "", "submitted": {},
        "done": request.query_params.get("done", "") if request.method == "GET" else "",
        "done_code": request.query_params.get("code", "") if request.method == "GET" else "",
    }
    context.update(extra)
    # A notice names only a real outcome about a real actor: a crafted link cannot announce a change.
    if context["done"] not in _DONE or context["done_code"] not in {a.code for a in actors}:
        context["done"] = ""
    return render(request, "admin_actors.html", context, status_code=status_code)


def _typed(*, which: str, code: str, form: vocabulary.ActorForm, comment: str) -> dict[str, str]:
    """The add or edit form as typed (the code as typed too, not the suggested one), to show again."""
    return {"form": which, "code": code, "label_en": form.label_en, "label_ar": form.label_ar,
            "aliases_en": form.aliases_en, "aliases_ar": form.aliases_ar, "parent": form.parent, "kind": form.kind,
            "comment": comment}


def _after(done: str, code: str) -> Response:
    return RedirectResponse(f"/admin/actors?{urlencode({'done': done, 'code': code})}#actor-{code}",
                            status_code=303)


@router.get("")
async def actors_page(request: Request) -> Response:
    return await _page(request, await current_user(request))


@router.post("")
async def add_actor(request: Request, label_en: Text = "", label_ar: Text = "", code: Text = "",
                    aliases_en: Aliases = "", aliases_ar: Aliases = "", parent: Text = "", kind: Text = "",
                    comment: Comment = "") -> Response:
    user = await current_user(request)
    form = vocabulary.ActorForm(label_en=label_en, label_ar=label_ar, aliases_en=aliases_en, aliases_ar=aliases_ar,
                                parent=parent, kind=kind)
    chosen = code.strip() or suggest_code(label_en)
    return await submit(
        request, user, partial(vocabulary.add_actor, workspace(request), user=user, code=chosen, form=form,
                               comment=comment),
        page=_page, message=_message, done=lambda added: _after("added", added.code),
        submitted=_typed(which="add", code=code, form=form, comment=comment))


@router.post("/{code}/edit")
async def edit_actor(request: Request, code: str, label_en: Text = "", label_ar: Text = "",
                     aliases_en: Aliases = "", aliases_ar: Aliases = "", parent: Text = "", kind: Text = "",
                     comment: Comment = "") -> Response:
    user = await current_user(request)
    form = vocabulary.ActorForm(label_en=label_en, label_ar=label_ar, aliases_en=aliases_en, aliases_ar=aliases_ar,
                                parent=parent, kind=kind)
    return await submit(
        request, user, partial(vocabulary.edit_actor, workspace(request), user=user, code=code, form=form,
                               comment=comment),
        page=_page, message=_message, done=lambda changed: _after("edited" if changed else "unchanged", code),
        submitted=_typed(which="edit", code=code, form=form, comment=comment))


@router.post("/{code}/retire")
async def retire_actor(request: Request, code: str, comment: Comment = "") -> Response:
    user = await current_user(request)
    return await submit(
        request, user, partial(vocabulary.retire_actor, workspace(request), user=user, code=code, comment=comment),
        page=_page, message=_message, done=lambda _: _after("retired", code),
        submitted={"form": "retire", "code": code, "comment": comment})
