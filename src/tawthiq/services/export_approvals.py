"""Exports beyond a user's role: a reviewer's approval, with an expiry, kept in the custody ledger.

Each role may export, on its own, the profile that matches what it may read
(:data:`tawthiq.domain.profiles.ROLE_PROFILES`). A wider export (a documenter
asking for the court profile, a viewer for the partner one) needs a reviewer
(or an admin), other than the user, to approve that user and that profile
until a time, with a reason. The approval is an ``approved`` entry in the
custody ledger (append-only, hash-chained), its item the hash of the user and
the profile, so the newest approval of a pair is one indexed read; the export
it allows is an ``exported`` entry naming the approval. Withdrawing an
approval is a newer approval that ends now.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..domain.access import Action, User, allowed
from ..domain.profiles import Profile, profile_named, role_profile, wider
from . import Workspace
from .errors import PermissionDenied, ServiceError

__all__ = ["MAX_HOURS", "Approval", "approve_export", "approval_item", "check_export", "withdraw_export"]

MAX_HOURS = 24 * 7  # an approval is for a piece of work, not a standing right


@dataclass(frozen=True, slots=True)
class Approval:
    entry_id: int  # the ledger entry that records it
    username: str
    profile: str
    approved_by: str
    expires: datetime
    reason: str


def approval_item(*, username: str, profile: str) -> str:
    """The ledger item of the approvals of ``username`` for ``profile``: every such entry names it."""
    return hashlib.sha256(f"export-approval\0{username}\0{profile}".encode()).hexdigest()


def _profile(name: str) -> Profile:
    try:
        return profile_named(name)
    except ValueError as exc:
        raise ServiceError(str(exc), kind="export.unknown_profile", value=name[:40]) from None


def _record(ws: Workspace, *, reviewer: User, username: str, profile: Profile, expires: datetime, reason: str,
            machine: str, request: int | None = None, withdrawn: bool = False) -> Approval:
    from ..store.custody import record

    details: dict[str, object] = {"user": username, "profile": profile.name, "expires": expires.isoformat()}
    if request is not None:  # the user's request it answers (services/export_requests.py)
        details["request"] = request
    if withdrawn:  # history pages tell a withdrawal from a short approval by this, not by guessing
        details["withdrawn"] = True
    entry = record(ws.db, item_sha256=approval_item(username=username, profile=profile.name), event="approved",
                   actor=reviewer.username, machine=machine, reason=reason, details=details)
    return Approval(entry_id=entry.id, username=username, profile=profile.name, approved_by=reviewer.username,
                    expires=expires, reason=reason)


def _reviewer(ws: Workspace, reviewer: User, username: str) -> User:
    from .accounts import get_user

    if reviewer.disabled or not allowed(reviewer.role, Action.VERIFY):
        raise PermissionDenied(f"your role ({reviewer.role}) may not approve exports", kind="export.approve_role")
    if reviewer.username == username:
        raise PermissionDenied("an export beyond your own role needs another reviewer's approval",
                               kind="export.approve_self")
    return get_user(ws, actor=None, username=username)


def approve_export(ws: Workspace, *, reviewer: User, username: str, profile: str, hours: int, reason: str,
                   machine: str, now: datetime | None = None, request: int | None = None) -> Approval:
    """Let ``username`` export for ``profile`` for ``hours`` hours (1 to MAX_HOURS); ``reason`` is required."""
    chosen = _profile(profile)
    target = _reviewer(ws, reviewer, username)
    if not wider(chosen, role_profile(target.role)):
        raise ServiceError(f"{username} may export the {chosen.name} profile without an approval",
                           kind="export.approval_not_needed", value=chosen.name)
    try:
        hours = int(hours)
    except (TypeError, ValueError):
        raise ServiceError(f"an approval lasts 1 to {MAX_HOURS} hours", kind="export.approval_hours",
                           value=str(hours)[:10]) from None
    if not 1 <= hours <= MAX_HOURS:
        raise ServiceError(f"an approval lasts 1 to {MAX_HOURS} hours", kind="export.approval_hours",
                           value=str(hours)[:10])
    if not reason.strip():
        raise ServiceError("say why the export is approved", kind="export.approval_reason")
    expires = (now or datetime.now(UTC)) + timedelta(hours=int(hours))
    return _record(ws, reviewer=reviewer, username=target.username, profile=chosen, expires=expires,
                   reason=reason.strip(), machine=machine, request=request)


def withdraw_export(ws: Workspace, *, reviewer: User, username: str, profile: str, reason: str, machine: str,
                    now: datetime | None = None) -> Approval:
    """End ``username``'s approval for ``profile`` now (a newer approval that has already expired)."""
    chosen = _profile(profile)
    target = _reviewer(ws, reviewer, username)
    return _record(ws, reviewer=reviewer, username=target.username, profile=chosen,
                   expires=now or datetime.now(UTC), reason=reason.strip() or "withdrawn", machine=machine,
                   withdrawn=True)


def check_export(ws: Workspace, *, user: User, profile: str, now: datetime | None = None) -> Approval | None:
    """May ``user`` export for ``profile``? None when their role allows it on its own, the approval that allows
    it otherwise; PermissionDenied (naming what to ask for) when neither."""
    from ..store.custody import latest_for_item

    chosen = _profile(profile)
    if user.disabled or not allowed(user.role, Action.READ_PUBLIC):
        raise PermissionDenied(f"your role ({user.role}) may not export", kind="export.role")
    if not wider(chosen, role_profile(user.role)):
        return None
    entry = latest_for_item(ws.db, approval_item(username=user.username, profile=chosen.name), event="approved")
    if entry is not None:
        expires = datetime.fromisoformat(str(entry.details.get("expires", "")))
        if expires > (now or datetime.now(UTC)):
            return Approval(entry_id=entry.id, username=user.username, profile=chosen.name,
                            approved_by=entry.actor, expires=expires, reason=entry.reason)
    raise PermissionDenied(f"an export for the {chosen.name} profile needs a reviewer's approval",
                           kind="export.needs_approval", value=chosen.name)
