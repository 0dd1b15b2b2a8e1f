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
    home,
    incident,
    incidents,
    intake,
    login,
    pairs,
    person_pairs,
    persons,
    review,
    searches,
    source,
    sources,
    tokens,
    visuals,
    vocab,
)

PUBLIC_ROUTERS: list[APIRouter] = [login.router]
PRIVATE_ROUTERS: list[APIRouter] = [
    home.router,
    account.router,
    tokens.router,
    admin.router,
    vocab.router,  # /admin/actors…
    api.router,
    pairs.router,  # /review/pairs… (no clash with review's /review/{id:int})
    person_pairs.router,  # /review/persons…
    persons.router,  # /persons…
    review.router,
    incidents.router,  # /incidents and /incidents/export, before /incidents/{id:int}
    searches.router,  # /searches…: saved searches of the incidents list
    incident.router,
    evidence.router,  # /incidents/{id}/media…, /sources/{id}/attach and /redact
    sources.router,
    add.router,
    intake.router,  # /add/telegram and /add/capture
    source.router,
    visuals.router,
]
