"""The admin's tags page: add a tag (English and Arabic labels, a colour, whether viewers are shown it),
rename it, retire it.

Every change goes through :mod:`tawthiq.services.tags`, which checks the role
again, validates, stores and audits it; a refused form comes back with a
one-line reason in the page's language and what was typed kept.
"""
from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import Action, User
from ...domain.tags import MAX_LABEL, PALETTE
from ...services import tags
from ..admin_forms import submit
from ..auth import current_user, require, workspace
from ..ids import PathId
from ..offload import run_blocking
from ..templating import render
from .tagging import tag_message

router = APIRouter(prefix="/admin/tags", dependencies=[Depends(require(Action.MANAGE_VOCABULARY))])

# One over the longest label, so "too long" is said rather than the form silently cut.
Label = Annotated[str, Form(max_length=4 * MAX_LABEL)]
Colour = Annotated[str, Form(max_length=40)]
Comment = Annotated[str, Form(max_length=2000)]
# A checkbox: sent ("1") when ticked, absent when not; anything sent counts as ticked.
Shown = Annotated[str, Form(max_length=10)]
_DONE = frozenset({"added", "edited", "unchanged", "retired"})


async def _page(request: Request, user: User, *, status_code: int = 200, **extra: Any) -> Response:
    found = await run_blocking("page", tags.list_tags, workspace(request), user=user)
    context: dict[str, Any] = {
        "tags": found, "palette": PALETTE, "max_label": MAX_LABEL, "error": "", "submitted": {},
        "done": request.query_params.get("done", "") if request.method == "GET" else "",
        "done_id": request.query_params.get("tag", "") if request.method == "GET" else "",
    }
    context.update(extra)
    # A notice names only a real outcome about a real tag: a crafted link cannot announce a change.
    named = {str(t.id): t for t in found}
    context["done_tag"] = named.get(context["done_id"])
    if context["done"] not in _DONE or context["done_tag"] is None:
        context["done"] = ""
    return render(request, "admin_tags.html", context, status_code=status_code)


def _after(done: str, tag_id: int) -> Response:
    return RedirectResponse(f"/admin/tags?done={done}&tag={tag_id}#tag-{tag_id}", status_code=303)


@router.get("")
async def tags_page(request: Request) -> Response:
    return await _page(request, await current_user(request))


@router.post("")
async def add_tag(request: Request, label_en: Label = "", label_ar: Label = "", colour: Colour = "",
                  shown_to_viewers: Shown = "", comment: Comment = "") -> Response:
    user = await current_user(request)
    shown = bool(shown_to_viewers)
    form = tags.TagForm(label_en=label_en, label_ar=label_ar, colour=colour, shown_to_viewers=shown)
    return await submit(
        request, user, partial(tags.add_tag, workspace(request), user=user, form=form, comment=comment),
        page=_page, message=tag_message, done=lambda added: _after("added", added.id),
        submitted={"form": "add", "label_en": label_en, "label_ar": label_ar, "colour": colour,
                   "shown_to_viewers": shown, "comment": comment})


@router.post("/{tag_id:int}/edit")
async def edit_tag(request: Request, tag_id: PathId, label_en: Label = "", label_ar: Label = "",
                   colour: Colour = "", shown_to_viewers: Shown = "", comment: Comment = "") -> Response:
    user = await current_user(request)
    shown = bool(shown_to_viewers)
    form = tags.TagForm(label_en=label_en, label_ar=label_ar, colour=colour, shown_to_viewers=shown)
    return await submit(
        request, user, partial(tags.edit_tag, workspace(request), user=user, tag_id=tag_id, form=form, comment=comment),
        page=_page, message=tag_message, done=lambda changed: _after("edited" if changed else "unchanged", tag_id),
        submitted={"form": "edit", "id": str(tag_id), "label_en": label_en, "label_ar": label_ar, "colour": colour,
                   "shown_to_viewers": shown, "comment": comment})


@router.post("/{tag_id:int}/retire")
async def retire_tag(request: Request, tag_id: PathId, comment: Comment = "") -> Response:
    user = await current_user(request)
    return await submit(
        request, user, partial(tags.retire_tag, workspace(request), user=user, tag_id=tag_id, comment=comment),
        page=_page, message=tag_message, done=lambda _: _after("retired", tag_id),
        submitted={"form": "retire", "id": str(tag_id), "comment": comment})
