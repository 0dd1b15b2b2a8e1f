"""The app's routers, as explicit lists.

``PUBLIC_ROUTERS`` are reachable without signing in (only the sign-in page
and /health). Every router in ``PRIVATE_ROUTERS`` is mounted behind sign-in
and the CSRF check by ``app.create_app``.
"""
from __future__ import annotations

from fastapi import APIRouter

from .. import api
from . import (
    account,
    add,
    admin,
    evidence,
    exports,
    home,
    incident,
    incidents,
    intake,
    lock,
    login,
    pairs,
    person_pairs,
    persons,
    review,
    review_queue,
    searches,
    second_factor,
    source,
    sources,
    tagging,
    tags_admin,
    tokens,
    verify,
    visuals,
    vocab,
)

PUBLIC_ROUTERS: list[APIRouter] = [login.router, second_factor.public_router]  # /login/code: the code step
PRIVATE_ROUTERS: list[APIRouter] = [
    home.router,
    account.router,
    tokens.router,
    second_factor.router,  # /account/two-factor…, /admin/users/{name}/reset-two-factor, /admin/settings/second-factor
    admin.router,
    vocab.router,  # /admin/actors…
    tags_admin.router,  # /admin/tags…
    api.router,
    pairs.router,  # /review/pairs… (no clash with review's /review/{id:int})
    person_pairs.router,  # /review/persons…
    persons.router,  # /persons…
    review_queue.router,  # /review and /review/bulk, beside review's /review/{id:int}
    verify.router,  # /admin/settings, /review/verify (before review's /review/{id:int})
    lock.router,  # /admin/lock: an encrypted workspace's "Lock now"
    review.router,
    incidents.router,  # /incidents and /incidents/export, before /incidents/{id:int}
    exports.router,  # /exports/request and /exports/approvals
    searches.router,  # /searches…: saved searches of the incidents list
    incident.router,
    evidence.router,  # /incidents/{id}/media…, /sources/{id}/attach and /redact
    tagging.router,  # /incidents/{id}/tags…, /sources/{id}/tags…
    sources.router,
    add.router,
    intake.router,  # /add/telegram and /add/capture
    source.router,
    visuals.router,
]
