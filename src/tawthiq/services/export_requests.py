"""Asking for an export beyond one's role, and the reviewers' view of the asking (issue 13 §5).

A user whose export needs a reviewer's approval (:mod:`.export_approvals`)
asks for it with a reason: a ``requested`` custody entry on the same ledger
item as the approvals of that user and profile. A reviewer (never the user)
answers it with an approval for some hours (``approved``, naming the request)
or a ``declined`` entry with a reason. Nothing is deleted: the state of each
request and approval is read back from the ledger's entries, newest first and
bounded (``_WINDOW``), so a page never walks the whole ledger.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from ..domain.access import Action, User, allowed
from ..domain.custody import CustodyEntry
from ..domain.profiles import PROFILES, Profile, role_profile, wider
from . import Workspace
from .errors import NotFound, PermissionDenied, ServiceError
from .export_approvals import Approval, _profile, _reviewer, approval_item, approve_export, withdraw_export

__all__ = ["ApprovalView", "Choice", "Overview", "RequestView", "approve_request", "decline_request",
           "export_choices", "overview", "request_export", "withdraw_approval"]

_WINDOW = 1000  # the newest request/approval/decline entries a page reads
_EXPORTS_WINDOW = 2000  # the newest export entries searched for the downloads an approval allowed
_EVENTS = ("requested", "approved", "declined")


@dataclass(slots=True)
class RequestView:
    entry_id: int
    username: str
    profile: str
    reason: str
    at: datetime
    status: str = "pending"  # pending, approved, declined
    decided_by: str = ""
    decided_at: datetime | None = None
    decision_reason: str = ""


@dataclass(slots=True)
class ApprovalView:
    entry_id: int
    username: str
    profile: str
    approved_by: str
    at: datetime
    expires: datetime
    reason: str
    request: int | None = None
    status: str = "active"  # active, expired, withdrawn, replaced
    withdrawn_by: str = ""
    withdrawn_at: datetime | None = None
    withdrawn_reason: str = ""
    downloads: list[CustodyEntry] = field(default_factory=list)


_View = TypeVar("_View", RequestView, ApprovalView)


@dataclass(frozen=True, slots=True)
class Choice:
    """One profile as the export page offers it to a user."""

    profile: Profile
    direct: bool  # their role allows it on its own
    approval: ApprovalView | None  # the active approval that allows it, if any
    pending: RequestView | None  # their newest request still waiting for a reviewer


@dataclass(frozen=True, slots=True)
class Overview:
    pending: list[RequestView]
    active: list[ApprovalView]
    history: list[RequestView | ApprovalView]  # decided requests and ended approvals, newest first


def _state(ws: Workspace, *, now: datetime, username: str | None = None
           ) -> tuple[list[RequestView], list[ApprovalView]]:
    """Every request and approval in the window (of ``username`` only, if given), oldest first."""
    from ..store.custody import recent_of_events

    entries = sorted(recent_of_events(ws.db, _EVENTS, limit=_WINDOW), key=lambda e: e.id)
    requests: dict[int, RequestView] = {}
    approvals: list[ApprovalView] = []
    current: dict[str, ApprovalView] = {}  # item -> its newest approval
    for e in entries:
        user, profile = str(e.details.get("user", "")), str(e.details.get("profile", ""))
        if username is not None and user != username:
            continue
        if e.event == "requested":
            requests[e.id] = RequestView(entry_id=e.id, username=user, profile=profile, reason=e.reason, at=e.at)
            continue
        asked = requests.get(int(e.details.get("request") or 0))
        if e.event == "declined":
            if asked is not None and asked.status == "pending":
                asked.status, asked.decided_by, asked.decided_at, asked.decision_reason = (
                    "declined", e.actor, e.at, e.reason)
            continue
        expires = datetime.fromisoformat(str(e.details.get("expires", "")))
        before = current.get(e.item_sha256)
        if e.details.get("withdrawn"):  # a withdrawal: a newer approval that ends now
            if before is not None and before.status == "active" and before.expires > e.at:
                before.status, before.withdrawn_by, before.withdrawn_at, before.withdrawn_reason = (
                    "withdrawn", e.actor, e.at, e.reason)
            continue
        if before is not None and before.status == "active":
            before.status = "replaced"
        made = ApprovalView(entry_id=e.id, username=user, profile=profile, approved_by=e.actor, at=e.at,
                            expires=expires, reason=e.reason, request=int(e.details.get("request") or 0) or None)
        approvals.append(made)
        current[e.item_sha256] = made
        # An approval answers every request of that user and profile still waiting.
        for r in requests.values():
            if r.status == "pending" and (r.username, r.profile) == (user, profile):
                r.status, r.decided_by, r.decided_at, r.decision_reason = "approved", e.actor, e.at, e.reason
    for a in approvals:
        if a.status == "active" and a.expires <= now:
            a.status = "expired"
    return list(requests.values()), approvals


def _with_downloads(ws: Workspace, approvals: list[ApprovalView]) -> None:
    from ..store.custody import recent_of_events

    by_id = {a.entry_id: a for a in approvals}
    for e in recent_of_events(ws.db, ("exported",), limit=_EXPORTS_WINDOW):
        filters = e.details.get("filters") or {}
        allowed_by = by_id.get(int(filters.get("approval") or 0)) if isinstance(filters, dict) else None
        if allowed_by is not None:
            allowed_by.downloads.append(e)


def request_export(ws: Workspace, *, user: User, profile: str, reason: str, machine: str) -> RequestView:
    """Ask a reviewer to let ``user`` export for ``profile``; ``reason`` is required."""
    from ..store.custody import record

    chosen = _profile(profile)
    if user.disabled or not allowed(user.role, Action.READ_PUBLIC):
        raise PermissionDenied(f"your role ({user.role}) may not export", kind="export.role")
    if not wider(chosen, role_profile(user.role)):
        raise ServiceError(f"you may export the {chosen.name} profile without an approval",
                           kind="export.request_not_needed", value=chosen.name)
    reason = reason.strip()
    if not reason:
        raise ServiceError("say why you need this export", kind="export.request_reason")
    entry = record(ws.db, item_sha256=approval_item(username=user.username, profile=chosen.name), event="requested",
                   actor=user.username, machine=machine, reason=reason[:2000],
                   details={"user": user.username, "profile": chosen.name})
    return RequestView(entry_id=entry.id, username=user.username, profile=chosen.name, reason=entry.reason,
                       at=entry.at)


def export_choices(ws: Workspace, *, user: User, now: datetime | None = None
                   ) -> tuple[list[Choice], list[RequestView]]:
    """Each profile as ``user`` may use it, and their own requests (newest first): never anyone else's."""
    requests, approvals = _state(ws, now=now or datetime.now(UTC), username=user.username)
    choices = []
    for profile in PROFILES:
        direct = not wider(profile, role_profile(user.role))
        active = next((a for a in reversed(approvals) if a.profile == profile.name and a.status == "active"), None)
        waiting = next((r for r in reversed(requests) if r.profile == profile.name and r.status == "pending"), None)
        choices.append(Choice(profile=profile, direct=direct, approval=None if direct else active,
                              pending=None if direct else waiting))
    return choices, list(reversed(requests))


def _must_review(user: User) -> None:
    if user.disabled or not allowed(user.role, Action.VERIFY):
        raise PermissionDenied(f"your role ({user.role}) may not approve exports", kind="export.approve_role")


def overview(ws: Workspace, *, reviewer: User, now: datetime | None = None) -> Overview:
    """What a reviewer's page lists: requests waiting, approvals in force, and what happened before."""
    _must_review(reviewer)
    requests, approvals = _state(ws, now=now or datetime.now(UTC))
    _with_downloads(ws, approvals)
    history: list[RequestView | ApprovalView] = [r for r in requests if r.status == "declined"]
    history += [a for a in approvals if a.status != "active"]
    history.sort(key=lambda x: x.entry_id, reverse=True)
    return Overview(pending=[r for r in reversed(requests) if r.status == "pending"],
                    active=[a for a in reversed(approvals) if a.status == "active"], history=history)


def _still(views: list[_View], entry_id: int, *, what: str, status: str, missing_kind: str, ended: str,
           ended_kind: str) -> _View:
    """The request or approval recorded as entry ``entry_id``, while it is still ``status``: a reviewer
    answers only a request still waiting and withdraws only an approval still in force."""
    found = next((v for v in views if v.entry_id == entry_id), None)
    if found is None:
        raise NotFound(f"no export {what} {entry_id}", kind=missing_kind, value=str(entry_id))
    if found.status != status:
        raise ServiceError(ended, kind=ended_kind)
    return found


def _pending_request(ws: Workspace, request_id: int) -> RequestView:
    requests, _ = _state(ws, now=datetime.now(UTC))
    return _still(requests, request_id, what="request", status="pending", missing_kind="export.request_missing",
                  ended="this request has already been answered", ended_kind="export.request_answered")


def approve_request(ws: Workspace, *, reviewer: User, request_id: int, hours: int, reason: str,
                    machine: str) -> Approval:
    """Approve a waiting request for ``hours`` hours (the reviewer never being its author)."""
    _must_review(reviewer)
    asked = _pending_request(ws, request_id)
    return approve_export(ws, reviewer=reviewer, username=asked.username, profile=asked.profile, hours=hours,
                          reason=reason, machine=machine, request=asked.entry_id)


def decline_request(ws: Workspace, *, reviewer: User, request_id: int, reason: str, machine: str) -> CustodyEntry:
    """Turn a waiting request down, saying why."""
    from ..store.custody import record

    _must_review(reviewer)
    asked = _pending_request(ws, request_id)
    _reviewer(ws, reviewer, asked.username)
    if not reason.strip():
        raise ServiceError("say why the request is declined", kind="export.decline_reason")
    return record(ws.db, item_sha256=approval_item(username=asked.username, profile=asked.profile), event="declined",
                  actor=reviewer.username, machine=machine, reason=reason.strip()[:2000],
                  details={"user": asked.username, "profile": asked.profile, "request": asked.entry_id})


def withdraw_approval(ws: Workspace, *, reviewer: User, approval_id: int, reason: str,
                      machine: str) -> Approval:
    """End the approval recorded as entry ``approval_id`` now, if it is still in force."""
    _must_review(reviewer)
    _, approvals = _state(ws, now=datetime.now(UTC))
    found = _still(approvals, approval_id, what="approval", status="active", missing_kind="export.approval_missing",
                   ended="this approval is no longer in force", ended_kind="export.approval_ended")
    if not reason.strip():
        raise ServiceError("say why the approval is withdrawn", kind="export.withdraw_reason")
    return withdraw_export(ws, reviewer=reviewer, username=found.username, profile=found.profile, reason=reason,
                           machine=machine)
