"""What every API module shares: the role a route needs, stated once for both the check and the docs."""
from __future__ import annotations

from typing import Any

from fastapi import Depends

from ...domain.access import Action, Role, allowed
from ..auth import current_user, require
from .schemas import ErrorOut

ACTION_EXTRA = "x-required-action"
ROLES_EXTRA = "x-roles"


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    words = {400: "invalid request",
             401: "not signed in, or the token is unknown, expired, revoked or its user disabled",
             403: "the role does not allow this, or the CSRF token is missing",
             404: "no such record, or the caller may not see it", 409: "the record's state forbids this"}
    return {code: {"model": ErrorOut, "description": words[code]} for code in codes}


def needs(action: Action | None, *, errors: tuple[int, ...] = ()) -> dict[str, Any]:
    """Route keyword arguments: the permission check and its documentation.

    ``None`` means any signed-in user. The roles listed in the OpenAPI
    document are derived from the same table the check reads, so the docs
    cannot drift from the rule.
    """
    roles = [r.value for r in Role if action is None or allowed(r, action)]
    check = current_user if action is None else require(action)
    codes = tuple(sorted({401, *((403,) if action is not None else ()), *errors}))
    return {
        "dependencies": [Depends(check)],
        "openapi_extra": {ACTION_EXTRA: action.value if action else "signed-in", ROLES_EXTRA: roles},
        "responses": _errors(*codes),
    }
