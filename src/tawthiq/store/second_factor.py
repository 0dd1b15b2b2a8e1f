"""An account's second factor: its authenticator secret, recovery codes, and sign-in history.

The secret is read only to check a code; it is never written to the audit
log, whose entries say only that the factor was turned on, off or reset.
Recovery codes are stored as Argon2 hashes made by the caller and each is
used at most once (a conditional update, so two parallel uses cannot both win).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update

from .db import Database
from .history import NotFoundError, record
from .mapping import now
from .tables import login_attempts, recovery_codes, users, web_sessions


@dataclass(frozen=True, slots=True)
class SignIn:
    """One line of an account's sign-in history."""

    at: datetime
    purpose: str  # "login" (the password) or "code" (the second factor)
    success: bool
    limited: bool  # refused unchecked by the limit on failed attempts
    second_factor: str  # "totp" or "recovery" for a code check, else ""
    user_agent: str
    ip: str  # the address as the server saw it (the proxy's client, with --trusted-proxy)


def enable(db: Database, user_id: int, *, secret: str, step: int, code_hashes: list[str], by: str) -> bool:
    """Turn the second factor on with ``secret`` (a code for ``step`` was just accepted) and replace the
    recovery codes; False if it was on already (a second confirmation from another tab)."""
    when = now()
    with db.session(write=True) as session:
        done = session.execute(update(users).where(users.c.id == user_id, users.c.totp_enabled_at.is_(None))
                               .values(totp_secret=secret, totp_enabled_at=when, totp_last_step=step)).rowcount
        if not done:
            return False
        session.execute(delete(recovery_codes).where(recovery_codes.c.user_id == user_id))
        session.execute(recovery_codes.insert(), [{"user_id": user_id, "code_hash": h, "created_at": when}
                                                   for h in code_hashes])
        # The secret is not in the entry: the audit log is read by admins and exported.
        record(session, user=by, entity="user", entity_id=user_id, action="two-factor-on",
               after={"second_factor": "totp", "recovery_codes": len(code_hashes)}, at=when)
    return True


def disable(db: Database, user_id: int, *, by: str, action: str, comment: str = "") -> bool:
    """Turn the second factor off (``action``: "two-factor-off" by its owner, "two-factor-reset" by an
    admin); its secret and recovery codes are deleted. False if it was off."""
    when = now()
    with db.session(write=True) as session:
        done = session.execute(update(users).where(users.c.id == user_id, users.c.totp_enabled_at.is_not(None))
                               .values(totp_secret=None, totp_enabled_at=None, totp_last_step=None)).rowcount
        if not done:
            if session.scalar(select(users.c.id).where(users.c.id == user_id)) is None:
                raise NotFoundError(f"no user with id {user_id}")
            return False
        session.execute(delete(recovery_codes).where(recovery_codes.c.user_id == user_id))
        record(session, user=by, entity="user", entity_id=user_id, action=action,
               before={"second_factor": "totp"}, after={"second_factor": None}, comment=comment, at=when)
    return True


def secret_of(db: Database, user_id: int) -> tuple[str, int] | None:
    """The confirmed secret and the last step a code was accepted for, if the factor is on."""
    with db.session() as session:
        row = session.execute(select(users.c.totp_secret, users.c.totp_last_step)
                              .where(users.c.id == user_id, users.c.totp_enabled_at.is_not(None))).first()
    if row is None or not row.totp_secret:
        return None
    return str(row.totp_secret), int(row.totp_last_step or 0)


def accept_step(db: Database, user_id: int, step: int) -> bool:
    """Record that a code for ``step`` was used; False if that step (or a later one) was used already,
    so a code seen over someone's shoulder cannot be replayed within its 30 seconds."""
    with db.session(write=True) as session:
        return bool(session.execute(
            update(users).where(users.c.id == user_id, users.c.totp_enabled_at.is_not(None),
                                users.c.totp_last_step.is_(None) | (users.c.totp_last_step < step))
            .values(totp_last_step=step)).rowcount)


def unused_codes(db: Database, user_id: int) -> list[tuple[int, str]]:
    with db.session() as session:
        return [(int(r.id), str(r.code_hash)) for r in session.execute(
            select(recovery_codes.c.id, recovery_codes.c.code_hash)
            .where(recovery_codes.c.user_id == user_id, recovery_codes.c.used_at.is_(None))
            .order_by(recovery_codes.c.id))]


def use_code(db: Database, code_id: int, *, user_id: int, by: str) -> bool:
    """Mark a recovery code used (recorded in the account's history); False if it was used already."""
    when = now()
    with db.session(write=True) as session:
        done = session.execute(update(recovery_codes).where(recovery_codes.c.id == code_id,
                                                            recovery_codes.c.used_at.is_(None))
                               .values(used_at=when)).rowcount
        if done:
            left = session.scalar(select(func.count()).where(recovery_codes.c.user_id == user_id,
                                                             recovery_codes.c.used_at.is_(None)))
            record(session, user=by, entity="user", entity_id=user_id, action="recovery-code-used",
                   after={"recovery_codes_left": int(left or 0)}, at=when)
    return bool(done)


def codes_left(db: Database, user_id: int) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).where(recovery_codes.c.user_id == user_id,
                                                             recovery_codes.c.used_at.is_(None))) or 0)


def end_pending(db: Database, token_hash: str) -> None:
    """The half-signed-in session is over (its code was accepted and a full session replaces it)."""
    with db.session(write=True) as session:
        session.execute(update(web_sessions).where(web_sessions.c.token_hash == token_hash,
                                                   web_sessions.c.pending.is_(True),
                                                   web_sessions.c.revoked_at.is_(None))
                        .values(revoked_at=now()))


def sign_ins(db: Database, username: str, *, limit: int) -> list[SignIn]:
    """The newest sign-in checks (passwords and second-factor codes) for ``username``, newest first."""
    with db.session() as session:
        rows = session.execute(
            select(login_attempts).where(login_attempts.c.username == username,
                                         login_attempts.c.purpose.in_(("login", "code")))
            .order_by(login_attempts.c.at.desc(), login_attempts.c.id.desc()).limit(limit))
        return [SignIn(at=r.at, purpose=r.purpose, success=bool(r.success), limited=bool(r.limited),
                       second_factor=r.second_factor, user_agent=r.user_agent, ip=r.ip) for r in rows]
