"""Users, browser sessions, API tokens and login attempts.

Secrets never reach the database: sessions and API tokens are stored as the
SHA-256 of a random token and passwords as Argon2 hashes made by the caller,
so a stolen copy of the database cannot be used to sign in. Changes to an
account go to the same append-only history as every other decision.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain.access import Role, User
from . import dialect
from .db import Database
from .history import NotFoundError, record
from .mapping import now
from .tables import api_tokens, login_attempts, users, web_sessions


class DuplicateUser(ValueError):
    """A user with that name exists already."""


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime | None = None


def _user(row: Any) -> User:
    m = row._mapping
    return User(id=m["id"], username=m["username"], role=Role(m["role"]), display_name=m["display_name"],
                disabled=bool(m["disabled"]), must_change_password=bool(m["must_change_password"]),
                language=m["language"], digits=m["digits"], two_factor=m["totp_enabled_at"] is not None)


# -------------------------------------------------------------------- users


def create_user(db: Database, *, username: str, password_hash: str, role: Role, display_name: str = "",
                must_change_password: bool = False, by: str, comment: str = "") -> User:
    when = now()
    try:
        with db.session(write=True) as session:
            user_id = int(session.execute(
                users.insert().values(username=username, display_name=display_name, role=Role(role).value,
                                      password_hash=password_hash, disabled=False,
                                      must_change_password=must_change_password, language="en",
                                      created_at=when)
                .returning(users.c.id)
            ).scalar_one())
            record(session, user=by, entity="user", entity_id=user_id, action="create",
                   after={"username": username, "role": Role(role).value}, comment=comment, at=when)
    except IntegrityError:
        raise DuplicateUser(f"a user named {username!r} exists already") from None
    found = get_user(db, user_id)
    assert found is not None
    return found


def get_user(db: Database, user_id: int) -> User | None:
    with db.session() as session:
        row = session.execute(select(users).where(users.c.id == user_id)).first()
    return _user(row) if row else None


def find_user(db: Database, username: str) -> tuple[User, str] | None:
    """The user and their password hash, for signing in."""
    with db.session() as session:
        row = session.execute(select(users).where(users.c.username == username)).first()
    return (_user(row), row.password_hash) if row else None


def list_users(db: Database) -> list[User]:
    with db.session() as session:
        return [_user(r) for r in session.execute(select(users).order_by(users.c.username))]


_CHANGEABLE = ("role", "disabled", "display_name", "language", "digits", "must_change_password")


def update_user(db: Database, user_id: int, *, by: str, comment: str = "", password_hash: str | None = None,
                **changes: Any) -> User:
    """Change an account and record the change; the password itself is never logged."""
    unknown = set(changes) - set(_CHANGEABLE)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    with db.session(write=True) as session:
        row = session.execute(select(users).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFoundError(f"no user with id {user_id}")
        before = {k: row._mapping[k] for k in changes if row._mapping[k] != changes[k]}
        after = {k: changes[k] for k in before}
        values = dict(after)
        if password_hash is not None:
            values["password_hash"] = password_hash
            after["password"] = "changed"
        if not values:
            return _user(row)
        session.execute(update(users).where(users.c.id == user_id).values(**values))
        record(session, user=by, entity="user", entity_id=user_id, action="update",
               before=before or None, after=after, comment=comment)
        if after.get("disabled") or password_hash is not None:
            # A disabled account, or one whose password changed, keeps no open sessions and no API
            # tokens: re-enabling the account or resetting its password must not bring them back.
            session.execute(update(web_sessions).where(web_sessions.c.user_id == user_id,
                                                       web_sessions.c.revoked_at.is_(None))
                            .values(revoked_at=now()))
            _revoke_all_tokens(session, user_id=user_id, by=by,
                               reason="account disabled" if after.get("disabled") else "password changed")
    found = get_user(db, user_id)
    assert found is not None
    return found


def count_users(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(users)) or 0)


# ----------------------------------------------------------------- sessions


def create_session(db: Database, *, token_hash: str, user_id: int, csrf_token: str, lifetime: timedelta,
                   ip: str = "", user_agent: str = "", pending: bool = False) -> None:
    """``pending``: the password was right but the second factor is still to come (see
    :func:`pending_session_user`); such a session opens no page."""
    when = now()
    with db.session(write=True) as session:
        session.execute(web_sessions.insert().values(
            token_hash=token_hash, user_id=user_id, csrf_token=csrf_token, created_at=when,
            expires_at=when + lifetime, ip=ip[:100], user_agent=user_agent[:300], pending=pending))


def _live_session(token_hash: str, *, pending: bool) -> Any:
    return select(users, web_sessions.c.csrf_token).join(web_sessions, web_sessions.c.user_id == users.c.id).where(
        web_sessions.c.token_hash == token_hash, web_sessions.c.revoked_at.is_(None),
        web_sessions.c.expires_at > now(), users.c.disabled.is_(False), web_sessions.c.pending.is_(pending))


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A signed-in session as found: its user, CSRF token and when it was last used."""

    user: User
    csrf_token: str
    last_used_at: datetime  # created_at until first moved on


def session_user(db: Database, token_hash: str) -> LiveSession | None:
    """The signed-in user of a live session (not waiting for its second factor). Read only: the
    caller decides whether the session has been idle too long (:func:`end_idle_session`) or is
    due to be marked used (:func:`touch_session`), off the event loop."""
    query = _live_session(token_hash, pending=False).add_columns(web_sessions.c.created_at.label("opened_at"),
                                                                 web_sessions.c.last_used_at)
    with db.session() as session:
        row = session.execute(query).first()
    if row is None:
        return None
    return LiveSession(user=_user(row), csrf_token=row.csrf_token, last_used_at=row.last_used_at or row.opened_at)


def touch_session(db: Database, token_hash: str, *, at: datetime, unless_since: datetime) -> None:
    """Mark the session used at ``at``, unless it was already marked at or after ``unless_since`` (so two
    requests at once make one write, and a busy session writes at most once a minute)."""
    with db.session(write=True) as session:
        session.execute(update(web_sessions).where(
            web_sessions.c.token_hash == token_hash, web_sessions.c.revoked_at.is_(None),
            func.coalesce(web_sessions.c.last_used_at, web_sessions.c.created_at) < unless_since,
        ).values(last_used_at=at))


def end_idle_session(db: Database, token_hash: str, *, idle_since: datetime) -> bool:
    """End (not delete) the session if it was last used before ``idle_since``; True if it was ended now.
    The row stays, with ``revoked_at`` set, so the account's sign-in history keeps it."""
    with db.session(write=True) as session:
        result = session.execute(update(web_sessions).where(
            web_sessions.c.token_hash == token_hash, web_sessions.c.revoked_at.is_(None),
            func.coalesce(web_sessions.c.last_used_at, web_sessions.c.created_at) < idle_since,
        ).values(revoked_at=now()))
    return bool(result.rowcount)


def pending_session_user(db: Database, token_hash: str) -> User | None:
    """The user of a live session whose password was right and whose second factor is still to come."""
    with db.session() as session:
        row = session.execute(_live_session(token_hash, pending=True)).first()
    return _user(row) if row else None


def revoke_session(db: Database, token_hash: str) -> None:
    with db.session(write=True) as session:
        session.execute(update(web_sessions).where(web_sessions.c.token_hash == token_hash,
                                                   web_sessions.c.revoked_at.is_(None))
                        .values(revoked_at=now()))


def revoke_all_sessions(db: Database) -> int:
    """End every open browser session (``tawthiq lock``); returns how many were open."""
    with db.session(write=True) as session:
        result = session.execute(update(web_sessions).where(web_sessions.c.revoked_at.is_(None))
                                 .values(revoked_at=now()))
    return int(result.rowcount or 0)


# --------------------------------------------------------------- API tokens


def create_api_token(db: Database, *, user_id: int, name: str, token_hash: str, prefix: str,
                     lifetime: timedelta) -> ApiToken:
    when = now()
    expires = when + lifetime
    with db.session(write=True) as session:
        token_id = int(session.execute(
            api_tokens.insert().values(user_id=user_id, name=name, token_hash=token_hash, prefix=prefix,
                                       created_at=when, expires_at=expires).returning(api_tokens.c.id)
        ).scalar_one())
        record(session, user=_username(session, user_id), entity="user", entity_id=user_id,
               action="api-token", after={"token_id": token_id, "name": name,
                                          "expires_at": expires.isoformat(timespec="seconds")}, at=when)
    return ApiToken(id=token_id, user_id=user_id, name=name, prefix=prefix, created_at=when,
                    last_used_at=None, revoked_at=None, expires_at=expires)


def _username(session: Any, user_id: int) -> str:
    return str(session.scalar(select(users.c.username).where(users.c.id == user_id)) or f"user:{user_id}")


def list_api_tokens(db: Database, user_id: int) -> list[ApiToken]:
    with db.session() as session:
        rows = session.execute(select(api_tokens).where(api_tokens.c.user_id == user_id)
                               .order_by(api_tokens.c.id))
        return [ApiToken(id=r.id, user_id=r.user_id, name=r.name, prefix=r.prefix, created_at=r.created_at,
                         last_used_at=r.last_used_at, revoked_at=r.revoked_at, expires_at=r.expires_at)
                for r in rows]


def _revoke_all_tokens(session: Session, *, user_id: int, by: str, reason: str) -> None:
    """Revoke every live token of ``user_id`` inside the caller's transaction, and say so in the history."""
    ids = [int(i) for i in session.scalars(select(api_tokens.c.id).where(api_tokens.c.user_id == user_id,
                                                                            api_tokens.c.revoked_at.is_(None)))]
    if not ids:
        return
    session.execute(update(api_tokens).where(api_tokens.c.id.in_(ids)).values(revoked_at=now()))
    record(session, user=by, entity="user", entity_id=user_id, action="api-token-revoke",
           after={"token_ids": ids}, comment=reason)


def revoke_api_token(db: Database, *, token_id: int, user_id: int) -> None:
    with db.session(write=True) as session:
        done = session.execute(update(api_tokens).where(api_tokens.c.id == token_id,
                                                        api_tokens.c.user_id == user_id,
                                                        api_tokens.c.revoked_at.is_(None))
                               .values(revoked_at=now())).rowcount
        if not done:
            raise NotFoundError(f"no active token with id {token_id}")
        record(session, user=_username(session, user_id), entity="user", entity_id=user_id,
               action="api-token-revoke", after={"token_id": token_id})


_TOUCH_EVERY = timedelta(minutes=5)  # last-use time is for people, not accounting: spare the writes


def token_user(db: Database, token_hash: str) -> User | None:
    with db.session() as session:
        row = session.execute(
            select(users, api_tokens.c.id.label("token_id"), api_tokens.c.last_used_at)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None),
                   api_tokens.c.expires_at > now(), users.c.disabled.is_(False))
        ).first()
    if row is None:
        return None
    when = now()
    if row.last_used_at is None or when - row.last_used_at > _TOUCH_EVERY:
        with db.session(write=True) as session:
            session.execute(update(api_tokens).where(api_tokens.c.id == row.token_id).values(last_used_at=when))
    return _user(row)


# ----------------------------------------------------------- login attempts


@dataclass(frozen=True, slots=True)
class AttemptLimits:
    """Most failed password checks allowed since ``since``: per (user name, address), per user name
    from all addresses together (distributed guessing), and per address over all names."""

    since: datetime
    per_pair: int
    per_account: int
    per_address: int


def _failed(since: datetime) -> Any:
    # A refused ("limited") attempt checked no password: it is kept for the record but not counted,
    # so an attacker who keeps knocking does not keep the lock going forever.
    return (login_attempts.c.success.is_(False) & login_attempts.c.limited.is_(False)
            & (login_attempts.c.at >= since))


def begin_attempt(db: Database, *, username: str, ip: str, purpose: str, limits: AttemptLimits,
                  user_agent: str = "") -> int | None:
    """Record a password check as failed *before* it is made, then count; the attempt's id, or None if
    a limit is reached (the row is then marked refused).

    The insert and the counts run in one transaction under a lock (BEGIN IMMEDIATE on SQLite, an
    advisory lock on PostgreSQL), so parallel guesses from several worker processes are counted one
    after another and at most the limit get through. A check that never finishes (a crash) stays a
    failure.
    """
    with db.session(write=True) as session:
        dialect.lock_login_attempts(session)
        attempt_id = int(session.execute(
            login_attempts.insert().values(at=now(), username=username[:200], ip=ip[:100], success=False,
                                           purpose=purpose, limited=False, user_agent=user_agent[:300])
            .returning(login_attempts.c.id)
        ).scalar_one())
        cleared = session.scalar(select(users.c.failures_cleared_at).where(users.c.username == username))
        account_since = max(limits.since, cleared) if cleared is not None else limits.since
        # The pair's count starts again after a correct password from that address.
        last_ok = session.scalar(select(func.max(login_attempts.c.at)).where(
            login_attempts.c.username == username, login_attempts.c.ip == ip,
            login_attempts.c.success.is_(True), login_attempts.c.at >= account_since))
        pair_since = max(account_since, last_ok) if last_ok is not None else account_since
        by_pair = session.scalar(select(func.count()).where(
            _failed(pair_since), login_attempts.c.username == username, login_attempts.c.ip == ip))
        by_account = session.scalar(select(func.count()).where(
            _failed(account_since), login_attempts.c.username == username))
        # An admin's unlock of this account lifts its address's lock for it too: failures for other
        # names from a shared address (an office, a proxy) must not keep its owner out after that.
        by_address = session.scalar(select(func.count()).where(_failed(account_since), login_attempts.c.ip == ip))
        if (int(by_pair or 0) > limits.per_pair or int(by_account or 0) > limits.per_account
                or int(by_address or 0) > limits.per_address):
            session.execute(update(login_attempts).where(login_attempts.c.id == attempt_id).values(limited=True))
            return None
    return attempt_id


def finish_attempt(db: Database, attempt_id: int, *, success: bool, second_factor: str = "") -> None:
    """The outcome of a check begun with :func:`begin_attempt` (it was recorded as failed);
    ``second_factor``: which one a code check used ("totp" or "recovery")."""
    values: dict[str, Any] = {"success": True} if success else {}
    if second_factor:
        values["second_factor"] = second_factor
    if values:
        with db.session(write=True) as session:
            session.execute(update(login_attempts).where(login_attempts.c.id == attempt_id).values(**values))


def recent_failures(db: Database, *, since: datetime) -> dict[str, list[int]]:
    """Per existing user name, its failures since ``since`` (or its last unlock, if later), one count
    per address."""
    with db.session() as session:
        rows = session.execute(
            select(login_attempts.c.username, func.count().label("n"))
            .join(users, users.c.username == login_attempts.c.username)
            .where(_failed(since),
                   users.c.failures_cleared_at.is_(None) | (login_attempts.c.at >= users.c.failures_cleared_at))
            .group_by(login_attempts.c.username, login_attempts.c.ip))
        per_name: dict[str, list[int]] = {}
        for row in rows:
            per_name.setdefault(row.username, []).append(int(row.n))
    return per_name


def clear_failures(db: Database, user_id: int, *, by: str, comment: str, since: datetime) -> int:
    """Unlock an account: failures before now no longer count. Recorded with who, when and why;
    the attempts themselves are kept. Returns how many recent failures were set aside."""
    when = now()
    with db.session(write=True) as session:
        row = session.execute(select(users.c.username, users.c.failures_cleared_at)
                              .where(users.c.id == user_id)).first()
        if row is None:
            raise NotFoundError(f"no user with id {user_id}")
        start = max(since, row.failures_cleared_at) if row.failures_cleared_at is not None else since
        failures = int(session.scalar(select(func.count()).where(
            _failed(start), login_attempts.c.username == row.username)) or 0)
        session.execute(update(users).where(users.c.id == user_id).values(failures_cleared_at=when))
        record(session, user=by, entity="user", entity_id=user_id, action="unlock",
               before={"failed_sign_ins": failures}, after={"failed_sign_ins": 0}, comment=comment, at=when)
    return failures
