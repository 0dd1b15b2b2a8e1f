"""The caller's own API tokens: list, create (with a lifetime), revoke.

A token is made from a browser session (cookie and X-CSRF-Token), never with
another token: otherwise a leaked token could renew itself past its expiry.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from ...services import accounts
from ...services.accounts import ApiToken
from ..auth import current_user, workspace
from ..ids import PathId
from .common import needs
from .schemas import TokenCreatedOut, TokenIn, TokenOut

router = APIRouter()


def _out(token: ApiToken) -> dict[str, Any]:
    active = token.revoked_at is None and token.expires_at is not None and token.expires_at > datetime.now(UTC)
    return {"id": token.id, "name": token.name, "prefix": token.prefix, "created_at": token.created_at,
            "last_used_at": token.last_used_at, "expires_at": token.expires_at, "revoked_at": token.revoked_at,
            "active": active}


@router.get("/tokens", response_model=list[TokenOut], summary="My API tokens, newest last", **needs(None))
async def tokens_list(request: Request) -> list[dict[str, Any]]:
    user = await current_user(request)
    return [_out(t) for t in accounts.list_api_tokens(workspace(request), user=user)]


@router.post("/tokens", response_model=TokenCreatedOut, status_code=201,
             summary="Make an API token (from a browser session, not with a token)",
             description=f"The token works for `days` days ({accounts.TOKEN_DEFAULT_DAYS} unless given, at most "
                         f"{accounts.TOKEN_MAX_DAYS}); its secret is in this answer only. A request signed "
                         "with a token is refused (403).",
             **needs(None, errors=(400, 403)))
async def tokens_create(request: Request, body: TokenIn) -> dict[str, Any]:
    user = await current_user(request)
    new = accounts.create_api_token(workspace(request), user=user, name=body.name, days=body.days,
                                    via_token=bool(request.state.via_token))
    return {**_out(new.info), "token": new.token}


@router.post("/tokens/{token_id}/revoke", status_code=204, response_class=Response,
             summary="Revoke one of my API tokens", **needs(None, errors=(404,)))
async def tokens_revoke(request: Request, token_id: PathId) -> Response:
    user = await current_user(request)
    accounts.revoke_api_token(workspace(request), user=user, token_id=token_id)
    return Response(status_code=204)
