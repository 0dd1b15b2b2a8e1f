"""The JSON API under /api: one module per resource, all on the same services as the pages.

The router is mounted with the private routers, so sign-in (session or
``Authorization: Bearer`` token) and the CSRF check for cookie-signed writes
apply to every endpoint; each endpoint adds the action its role needs.
"""
from __future__ import annotations

from fastapi import APIRouter

from . import export, export_requests, incidents, link, meta, persons, redactions, review, search, sources, tokens

router = APIRouter(prefix="/api")
for _module in (meta, sources, redactions, incidents, review, link, persons, search, export, export_requests, tokens):
    router.include_router(_module.router)
