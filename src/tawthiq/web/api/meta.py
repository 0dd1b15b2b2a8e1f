"""Who am I, and the API's own documentation: the OpenAPI document and an offline HTML page.

FastAPI's built-in documentation pages load Swagger from a CDN and run
inline scripts, which the CSP forbids and an offline deployment cannot
fetch; so the OpenAPI document is published behind sign-in and rendered by
our own template instead.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response

from ...domain.access import ROLE_ACTIONS, User
from ..auth import current_user
from ..cookies import SECURE_SESSION_COOKIE, SESSION_COOKIE
from ..templating import render
from .common import ACTION_EXTRA, ROLES_EXTRA, needs
from .schemas import MeOut

router = APIRouter()

_METHOD_ORDER = ("get", "post", "put", "patch", "delete")


@router.get("/me", response_model=MeOut, summary="The signed-in user and what their role allows",
            **needs(None))
async def me(request: Request) -> MeOut:
    user: User = await current_user(request)
    actions = sorted(a.value for a in ROLE_ACTIONS[user.role])
    return MeOut(id=user.id, username=user.username, display_name=user.display_name, role=user.role.value,
                 language=user.language, actions=actions, via_token=bool(request.state.via_token))


def openapi_document(request: Request) -> dict[str, Any]:
    """The OpenAPI document of the app's /api routes (built once per app)."""
    app = request.app
    cached = getattr(app.state, "api_openapi", None)
    if cached is not None:
        return cached
    # Built over all routes (FastAPI may keep included routers unexpanded in ``app.routes``),
    # then cut down to /api and the schemas those paths reach: page forms are no API.
    doc = get_openapi(
        title="Tawthiq API", version=app.version, routes=app.routes,
        description=("The JSON API of Tawthiq, with the same permissions as the web pages. Scripts send a "
                     "personal API token (create one on /account) as `Authorization: Bearer twq_…`. "
                     "Requests signed in with the browser session must send the session's CSRF token in "
                     "`X-CSRF-Token` for every POST, PATCH and DELETE. Errors are `{\"error\", \"status\"}`."),
    )
    doc["paths"] = {path: ops for path, ops in doc.get("paths", {}).items() if path.startswith("/api/")}
    for ops in doc["paths"].values():
        for op in ops.values():
            # Invalid input is answered 400 {"error", "status"} (web/errors.py), never FastAPI's 422.
            op.get("responses", {}).pop("422", None)
    schemas = doc.get("components", {}).get("schemas", {})
    doc["components"] = {"schemas": {name: schemas[name] for name in sorted(_reachable(doc["paths"], schemas))}}
    doc.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "a personal API token, twq_…"},
        "session": {"type": "apiKey", "in": "cookie", "name": SECURE_SESSION_COOKIE,
                    "description": f"the browser session ({SECURE_SESSION_COOKIE}: Secure, Path=/; named "
                                   f"{SESSION_COOKIE} only on plain http to another machine, see "
                                   "TAWTHIQ_COOKIE_SECURE); writes also need the X-CSRF-Token header"},
    }
    doc["security"] = [{"bearer": []}, {"session": []}]
    app.state.api_openapi = doc
    return doc


@router.get("/openapi.json", include_in_schema=False)
async def openapi_json(request: Request) -> Response:
    await current_user(request)
    return JSONResponse(openapi_document(request))


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref.rsplit("/", 1)[-1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _reachable(paths: dict[str, Any], schemas: dict[str, Any]) -> set[str]:
    seen: set[str] = set()
    todo = list(_refs(paths))
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo.extend(_refs(schemas[name]))
    return seen


def _resolve(schema: dict[str, Any] | None) -> str:
    """A schema's name when it is a reference, else its type in one word."""
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(_resolve(s) for s in schema[key])
    if schema.get("type") == "array":
        return f"list of {_resolve(schema.get('items'))}"
    if "enum" in schema:
        return " | ".join(json.dumps(v) for v in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"])
    return str(schema.get("type", "any"))


def _json_body(content: dict[str, Any] | None) -> str:
    if not content:
        return ""
    for media, spec in content.items():
        if media == "application/json":
            return _resolve(spec.get("schema"))
        return media
    return ""


def docs_context(doc: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document flattened into rows a template can print without logic."""
    endpoints = []
    for path, ops in doc.get("paths", {}).items():
        for method in _METHOD_ORDER:
            op = ops.get(method)
            if op is None:
                continue
            params = [{
                "name": p["name"], "where": p["in"], "required": bool(p.get("required")),
                "type": _resolve(p.get("schema")), "description": p.get("description", "")
                or (p.get("schema") or {}).get("description", ""),
            } for p in op.get("parameters", [])]
            responses = [{"status": code, "description": r.get("description", ""),
                          "schema": _json_body(r.get("content"))}
                         for code, r in sorted(op.get("responses", {}).items())]
            endpoints.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "action": op.get(ACTION_EXTRA, ""),
                "roles": op.get(ROLES_EXTRA, []), "params": params,
                "body": _json_body((op.get("requestBody") or {}).get("content")),
                "responses": responses, "anchor": f"{method}-{path}".replace("/", "-").replace("{", "")
                .replace("}", ""),
            })
    schemas = []
    for name, schema in sorted(doc.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [{"name": key, "type": _resolve(spec), "required": key in required,
                   "description": spec.get("description", "")}
                  for key, spec in schema.get("properties", {}).items()]
        schemas.append({"name": name, "description": schema.get("description", ""), "fields": fields})
    return {"endpoints": endpoints, "schemas": schemas}


@router.get("/docs", include_in_schema=False)
async def api_docs(request: Request) -> Response:
    await current_user(request)
    return render(request, "api_docs.html", docs_context(openapi_document(request)))
