"""The account page: who I am, and my personal API tokens for scripts.

A new token is shown exactly once, on the page that created it; only its
hash is stored, so a lost token is revoked and replaced, never recovered.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...services import accounts, saved_searches, second_factor
from ...services.errors import ServiceError
from ..auth import current_user, workspace
from ..ids import PathId
from ..listing import whole_number
from ..problems import problem_html
from ..templating import render

router = APIRouter()


_DONE = frozenset({"digits", "search_deleted"})


def _done(request: Request) -> str:
    done = request.query_params.get("done", "") if request.method == "GET" else ""
    return done if done in _DONE else ""


def _page(request: Request, *, status_code: int = 200, **extra: Any) -> Response:
    user = request.state.user
    context: dict[str, Any] = {
        "tokens": accounts.list_api_tokens(workspace(request), user=user),
        "new_token": None, "error": "", "name": "",  # a refused name is shown again
        "revoked": request.method == "GET" and request.query_params.get("revoked") == "1",
        # What an action that came back here did (the digits saved, a saved search deleted): said, not silent.
        "done": _done(request),
        # Each token's expiry is shown against now; a new token's lifetime is chosen within these bounds.
        "now": datetime.now(UTC), "default_days": accounts.TOKEN_DEFAULT_DAYS, "max_days": accounts.TOKEN_MAX_DAYS,
        "days": accounts.TOKEN_DEFAULT_DAYS,
        # The user's saved searches, listed here too; deleting one comes back to this page.
        "saved_searches": saved_searches.list_searches(workspace(request), user=user), "saved_next": "/account",
        # The second factor's state, and the account's own recent sign-ins (never another's).
        "two_factor": second_factor.status(workspace(request), user=user),
        "sign_ins": second_factor.sign_ins(workspace(request), user=user),
    }
    context.update(extra)
    # The page showing a new token relies on the app-wide "Cache-Control: no-store".
    return render(request, "account.html", context, status_code=status_code)


@router.get("/account")
async def account_page(request: Request) -> Response:
    await current_user(request)
    return _page(request)


@router.post("/account/tokens")
async def create_token(request: Request, name: Annotated[str, Form(max_length=200)] = "",
                       days: Annotated[str, Form(max_length=40)] = "") -> Response:
    user = await current_user(request)
    # Typed in any digits ("٣٠" is 30); left blank, the default; not a number, 0, which the service refuses.
    lifetime = whole_number(days, 0 if days.strip() else accounts.TOKEN_DEFAULT_DAYS)
    try:
        new = accounts.create_api_token(workspace(request), user=user, name=name, days=lifetime)
    except ServiceError as exc:
        return _page(request, error=problem_html(request.state.lang, exc), status_code=400, name=name,
                     days=days)  # shown as typed
    return _page(request, new_token=new, status_code=201)


@router.post("/account/tokens/{token_id}/revoke")
async def revoke_token(request: Request, token_id: PathId) -> Response:
    user = await current_user(request)
    accounts.revoke_api_token(workspace(request), user=user, token_id=token_id)
    return RedirectResponse("/account?revoked=1", status_code=303)
