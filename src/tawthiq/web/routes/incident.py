"""The incident page: every field with the claims and sources behind it, and its history."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ...domain.access import User
from ...domain.audit import AuditEntry
from ...services import pair_review, reading, review
from ...services.errors import NotFound, PermissionDenied, ServiceError
from ..auth import current_user, workspace
from ..highlight import Segment, incident_highlights, segments
from ..ids import PathId
from ..linkage import linked_notice, matrix_field_label, verdict_label
from ..offload import run_blocking
from ..templating import render

router = APIRouter()

MAX_HISTORY_VALUE = 300  # characters of one before/after value shown in the table


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at_iso: str
    at_text: str
    user: str
    action: str
    changes: list[tuple[str, str, str]]
    comment: str


def _plain(value: Any) -> str:
    """A before/after value as readable text (Arabic kept as written, not \\u-escaped)."""
    if value is None:
        return "—"
    if isinstance(value, str):
        text = value
    elif isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        text = ", ".join(str(v) for v in value) or "—"
    elif isinstance(value, list):
        text = "; ".join(_plain(v) for v in value) or "—"
    elif isinstance(value, dict):
        text = ", ".join(f"{k}: {_plain(v)}" for k, v in value.items() if v not in (None, "", [], {}))
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_HISTORY_VALUE else text[:MAX_HISTORY_VALUE - 1] + "…"


def history_rows(entries: list[AuditEntry]) -> list[HistoryRow]:
    rows: list[HistoryRow] = []
    for entry in entries:
        before, after = entry.before or {}, entry.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        rows.append(HistoryRow(
            at_iso=entry.at.isoformat(), at_text=entry.at.strftime("%Y-%m-%d %H:%M"), user=entry.user,
            action=entry.action, comment=entry.comment,
            changes=[(key, _plain(before.get(key)), _plain(after.get(key))) for key in keys],
        ))
    return rows


def shown_source(view: reading.IncidentView, wanted: int | None) -> Any:
    """The source whose text a page shows: the one asked for, else the incident's first."""
    by_id = {s.id: s for s in view.sources}
    if wanted in by_id:
        return by_id[wanted]
    if view.incident.source_id in by_id:
        return by_id[view.incident.source_id]
    return view.sources[0] if view.sources else None


def source_segments(view: reading.IncidentView, source: Any) -> list[Segment]:
    if source is None:
        return []
    return segments(source.text, incident_highlights(view.incident, source_id=source.id))


def _map_data(view: reading.IncidentView) -> dict[str, Any] | None:
    loc = view.incident.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    return {"lat": loc.lat, "lon": loc.lon, "precision": str(loc.precision)}


def incident_page(request: Request, view: reading.IncidentView, *, status_code: int = 200,
                  error_for: str = "", error: str = "", values: dict[str, str] | None = None) -> Response:
    lang = request.state.lang
    # The "Same event" panel (cluster, judgements, corroboration): None for viewers.
    event = pair_review.same_event(workspace(request), user=request.state.user, incident_id=int(view.incident.id or 0),
                                   members=view.cluster, independent_sources=view.incident.independent_sources)
    return render(request, "incident.html", {
        "view": view, "incident": view.incident, "claims_by_field": view.claims_by_field,
        "history": history_rows(view.history), "map": _map_data(view),
        "error_for": error_for, "error": error, "values": values or {}, "candidates": [],
        "with_edit_link": True, "here": None, "done": done_notice(request),
        "event": event, "linked": linked_notice(lang, request.query_params),
        "field_label": lambda name: matrix_field_label(lang, name),
        "verdict_label": lambda v: verdict_label(lang, v),
        "source_titles": {int(s.id or 0): s.title or s.original_name for s in view.sources},
    }, status_code=status_code)


@router.get("/incidents/{incident_id:int}")
async def show_incident(request: Request, incident_id: PathId) -> Response:
    user: User = await current_user(request)
    return await run_blocking("page", _show_incident, request, user, incident_id)


def _show_incident(request: Request, user: User, incident_id: int) -> Response:
    view = reading.get_incident_view(workspace(request), user=user, incident_id=incident_id, attach_choices=True)
    return incident_page(request, view)


@router.post("/incidents/{incident_id:int}/verify")
async def verify_incident(request: Request, incident_id: PathId,
                          comment: Annotated[str, Form(max_length=2000)] = "") -> Response:
    user: User = await current_user(request)
    ws = workspace(request)
    try:
        review.verify(ws, user=user, incident_id=incident_id, comment=comment.strip())
    except (NotFound, PermissionDenied):
        raise
    except ServiceError as exc:
        view = reading.get_incident_view(ws, user=user, incident_id=incident_id, attach_choices=True)
        return incident_page(request, view, status_code=400, error_for="verify", error=str(exc),
                             values={"verify_comment": comment})
    return RedirectResponse(f"/incidents/{incident_id}?done=verified", status_code=303)


def done_notice(request: Request) -> str:
    done = request.query_params.get("done", "")
    return done if done in {"accepted", "edited", "rejected", "merged", "verified", "edited_held", "attached",
                            "withdrawn", "tagged", "untagged"} else ""


