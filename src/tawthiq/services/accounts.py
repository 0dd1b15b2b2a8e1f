"""Accounts: who may sign in, with which role, and the sessions and tokens they hold.

The CLI acts as the machine's operator (``actor=None``): whoever can run
``tawthiq`` against the database file can already read it all, so the CLI
may create the first admin. In the app only an admin manages users.
"""
from __future__ import annotations

import getpass
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..domain.access import DIGIT_SYSTEMS, Action, Role, User, allowed
from ..domain.passwords import MIN_PASSWORD_LENGTH, Weakness, weakness
from ..store import accounts as store
from ..store.accounts import ApiToken
from ..store.history import NotFoundError
from ..store.mapping import now
from . import Workspace
from .errors import NotFound, PermissionDenied, ServiceError

SESSION_LIFETIME = timedelta(hours=12)
# A session in use is marked so at most this often, not on every request (each mark is a write).
SESSION_TOUCH_EVERY = timedelta(minutes=1)
# Limits on failed password checks (signing in, and the current password on the password page)
# within the window. One address guessing one account is stopped after a few tries without
# locking the account's owner out elsewhere; only guesses from many addresses together reach the
# larger per-account limit, which does lock the account until the window passes or an admin unlocks it.
LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_PAIR = 5  # one user name from one address
MAX_FAILURES_PER_ACCOUNT = 50  # one user name from all addresses together
MAX_FAILURES_PER_IP = 20  # one address, whatever the names
# API tokens: chosen at creation, within these bounds.
TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 365

_USERNAME = re.compile(r"^[\w.@-]{2,64}$")  # \w is Unicode: Arabic user names are fine
_hasher = PasswordHasher()
# Verified when the user name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class LoginFailed(ServiceError):
    """Wrong user name or password (never says which)."""


class RateLimited(ServiceError):
    """Too many failed password checks; the message says when to try again."""


@dataclass(frozen=True, slots=True)
class SignInFailures:
    """An account's recent failed password checks, as the admin sees them."""

    total: int  # from all addresses, since the window began or the last unlock
    addresses: int  # how many addresses they came from
    locked_addresses: int  # addresses that reached the per-address limit for this account
    locked_everywhere: bool  # the per-account limit is reached: nobody can sign in as this user


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token as shown to its owner once; only its hash is stored."""

    token: str
    info: ApiToken


def _actor_name(actor: User | None) -> str:
    if actor is not None:
        return actor.username
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user database entry (containers)
        return "cli"


def _require_admin(actor: User | None) -> None:
    if actor is not None and not allowed(actor.role, Action.MANAGE_USERS):
        raise PermissionDenied("only an admin can manage users")


# One line each, in English for the CLI and the logs; the pages say the kind in the UI language.
_WEAKNESS_LINES = {
    Weakness.SHORT: f"a password needs at least {MIN_PASSWORD_LENGTH} characters",
    Weakness.COMMON: "that password is one of the most common ones (or one with digits added): choose another",
    Weakness.USERNAME: "a password may not contain the user name",
    Weakness.PATTERN: "a password may not be one character repeated or a run of keys (such as 1234567890 or qwertyuiop)",
}


def _check_password(password: str, *, username: str) -> None:
    found = weakness(password, username=username)
    if found is not None:
        raise ServiceError(_WEAKNESS_LINES[found], kind=found.value, n=MIN_PASSWORD_LENGTH)


def normalise_username(username: str) -> str:
    name = username.strip().casefold()
    if not _USERNAME.match(name):
        raise ServiceError("a user name is 2 to 64 letters, digits or . _ @ - (no spaces)", kind="account.username_invalid",
                           value=username.strip()[:64])
    return name


def _role(role: str | Role) -> Role:
    try:
        return Role(str(role).strip().lower())
    except ValueError:
        raise ServiceError(f"unknown role {role!r}; choose one of {', '.join(r.value for r in Role)}",
                           kind="account.role_unknown", value=str(role)[:40]) from None


def create_user(ws: Workspace, *, actor: User | None, username: str, password: str, role: str | Role,
                display_name: str = "", must_change_password: bool = False, comment: str = "") -> User:
    _require_admin(actor)
    name = normalise_username(username)
    _check_password(password, username=name)
    try:
        return store.create_user(ws.db, username=name, password_hash=_hasher.hash(password), role=_role(role),
                                 display_name=display_name.strip()[:200],
                                 must_change_password=must_change_password, by=_actor_name(actor),
                                 comment=comment)
    except store.DuplicateUser as exc:
        raise ServiceError(str(exc), kind="account.username_taken", value=name) from None


def one_time_password(*, username: str = "") -> str:
    """A strong random password for a new account, to be changed at first login.

    Drawn again in the rare case it breaks a rule (a short user name can turn up in 16 random
    characters), so making an account never fails on its own generated password."""
    while True:
        password = secrets.token_urlsafe(12)
        if weakness(password, username=username) is None:
            return password


def list_users(ws: Workspace, *, actor: User | None) -> list[User]:
    _require_admin(actor)
    return store.list_users(ws.db)


def get_user(ws: Workspace, *, actor: User | None, username: str) -> User:
    _require_admin(actor)
    found = store.find_user(ws.db, normalise_username(username))
    if found is None:
        raise NotFound(f"no user named {username!r}")
    return found[0]


def _update(ws: Workspace, *, actor: User | None, username: str, comment: str = "",
            password_hash: str | None = None, **changes: object) -> User:
    target = get_user(ws, actor=actor, username=username)
    try:
        return store.update_user(ws.db, target.id, by=_actor_name(actor), comment=comment,
                                 password_hash=password_hash, **changes)
    except NotFoundError as exc:
        raise NotFound(str(exc)) from None


def set_role(ws: Workspace, *, actor: User | None, username: str, role: str | Role, comment: str = "") -> User:
    new_role = _role(role)
    if actor is not None and normalise_username(username) == actor.username and new_role != Role.ADMIN:
        raise ServiceError("an admin cannot take away their own admin role", kind="account.own_admin_role")
    return _update(ws, actor=actor, username=username, comment=comment, role=new_role.value)


def set_disabled(ws: Workspace, *, actor: User | None, username: str, disabled: bool, comment: str = "") -> User:
    if actor is not None and disabled and normalise_username(username) == actor.username:
        raise ServiceError("you cannot disable your own account", kind="account.own_disable")
    return _update(ws, actor=actor, username=username, comment=comment, disabled=disabled)


def reset_password(ws: Workspace, *, actor: User | None, username: str, password: str,
                   comment: str = "") -> User:
    """An admin sets a new password, which its owner must change at next login."""
    _check_password(password, username=normalise_username(username))
    return _update(ws, actor=actor, username=username, comment=comment or "password reset",
                   password_hash=_hasher.hash(password), must_change_password=True)


def change_password(ws: Workspace, *, user: User, current: str, new: str, ip: str) -> User:
    """Replace one's own password; the current one is checked under the same limits as signing in.

    The change ends every session and revokes every API token of the account.
    """
    _check_password(new, username=user.username)  # before the check, so a too-short new password costs no attempt
    if _checked(ws, username=user.username, password=current, ip=ip, purpose="password") is None:
        raise ServiceError("the current password is wrong", kind="account.password_wrong")
    if new == current:
        raise ServiceError("choose a password different from the current one", kind="account.password_same")
    return store.update_user(ws.db, user.id, by=user.username, comment="password changed",
                             password_hash=_hasher.hash(new), must_change_password=False)


def set_language(ws: Workspace, *, user: User, language: str) -> User:
    if language not in ("en", "ar"):
        raise ServiceError("the interface is in English (en) or Arabic (ar)", kind="account.language_unknown")
    return store.update_user(ws.db, user.id, by=user.username, language=language)


def set_digits(ws: Workspace, *, user: User, digits: str) -> User:
    """The digits of the Arabic interface, kept on the account so they follow the user to every browser;
    the change is recorded in the account's history like the language's."""
    if digits not in DIGIT_SYSTEMS:
        raise ServiceError("the digits are Western (latn) or Arabic-Indic (arab)")
    return store.update_user(ws.db, user.id, by=user.username, digits=digits)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# ------------------------------------------------------- signing in and out


def attempt_limits() -> store.AttemptLimits:
    """The limits on failed checks (passwords and second-factor codes) within the window."""
    return store.AttemptLimits(since=now() - LOGIN_WINDOW, per_pair=MAX_FAILURES_PER_PAIR,
                               per_account=MAX_FAILURES_PER_ACCOUNT, per_address=MAX_FAILURES_PER_IP)


def _checked(ws: Workspace, *, username: str, password: str, ip: str, purpose: str,
             user_agent: str = "") -> tuple[User, str] | None:
    """Check a password within the limits: the user and hash if right, None if wrong.

    The attempt is recorded and counted before the password is checked (see
    :func:`store.begin_attempt`), so parallel guesses cannot slip past the count.
    """
    attempt = store.begin_attempt(ws.db, username=username, ip=ip, purpose=purpose, limits=attempt_limits(),
                                  user_agent=user_agent)
    if attempt is None:
        minutes = int(LOGIN_WINDOW.total_seconds() // 60)
        raise RateLimited(f"too many failed sign-ins; wait {minutes} minutes and try again")
    found = store.find_user(ws.db, username)
    ok = _verify(found[1] if found else _DUMMY_HASH, password) and found is not None and not found[0].disabled
    store.finish_attempt(ws.db, attempt, success=ok)
    return found if ok else None


def authenticate(ws: Workspace, *, username: str, password: str, ip: str, user_agent: str = "") -> User:
    """Check a password, with limits on failed attempts per name and address, per name, per address.
    ``user_agent`` is kept for the account's sign-in history."""
    name = username.strip().casefold()[:200]
    found = _checked(ws, username=name, password=password, ip=ip, purpose="login", user_agent=user_agent)
    if found is None:
        raise LoginFailed("wrong user name or password")
    return found[0]


def sign_in_failures(ws: Workspace, *, actor: User | None) -> dict[str, SignInFailures]:
    """Accounts with recent failed password checks, by user name (for the admin's list)."""
    _require_admin(actor)
    found = store.recent_failures(ws.db, since=now() - LOGIN_WINDOW)
    return {name: SignInFailures(total=sum(counts), addresses=len(counts),
                                 locked_addresses=sum(1 for n in counts if n >= MAX_FAILURES_PER_PAIR),
                                 locked_everywhere=sum(counts) >= MAX_FAILURES_PER_ACCOUNT)
            for name, counts in found.items()}
@dataclass(frozen=True, slots=True)
class AccountsOverview:
    """What the admin's accounts page shows: every account, and those with recent failed sign-ins."""

    users: list[User]
    failures: dict[str, SignInFailures]


def accounts_overview(ws: Workspace, *, actor: User | None) -> AccountsOverview:
    return AccountsOverview(users=list_users(ws, actor=actor), failures=sign_in_failures(ws, actor=actor))




def unlock(ws: Workspace, *, actor: User | None, username: str, comment: str = "") -> int:
    """Let an account be signed in again at once: its earlier failures stop counting, from every
    address. Recorded in the account's history; returns how many recent failures were set aside."""
    target = get_user(ws, actor=actor, username=username)
    try:
        return store.clear_failures(ws.db, target.id, by=_actor_name(actor), comment=comment,
                                    since=now() - LOGIN_WINDOW)
    except NotFoundError as exc:
        raise NotFound(str(exc)) from None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(ws: Workspace, *, user: User, ip: str = "", user_agent: str = "") -> tuple[str, str]:
    """A new session for ``user``: (cookie token, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    store.create_session(ws.db, token_hash=_digest(token), user_id=user.id, csrf_token=csrf,
                         lifetime=SESSION_LIFETIME, ip=ip, user_agent=user_agent)
    return token, csrf


@dataclass(frozen=True, slots=True)
class SessionCheck:
    """A live session as the web finds it, before anything is written.

    ``idle``: unused for longer than the idle limit, so it must end (see :func:`settle_session`);
    ``due``: in use, and last marked so more than :data:`SESSION_TOUCH_EVERY` ago."""

    user: User
    csrf_token: str
    idle: bool
    due: bool


def idle_limit(ws: Workspace) -> timedelta:
    return timedelta(minutes=ws.settings.session_idle_minutes)


def check_session(ws: Workspace, token: str) -> SessionCheck | None:
    """Read only (one indexed query, fit for the event loop): the session's user and whether it
    is idle or due to be marked used. None for no live session."""
    if not token or len(token) > 200:
        return None
    found = store.session_user(ws.db, _digest(token))
    if found is None:
        return None
    unused = now() - found.last_used_at
    return SessionCheck(user=found.user, csrf_token=found.csrf_token, idle=unused > idle_limit(ws),
                        due=unused >= SESSION_TOUCH_EVERY)


def settle_session(ws: Workspace, token: str, check: SessionCheck) -> None:
    """The write a check asked for: end an idle session (kept, marked ended), or mark a used one."""
    when = now()
    if check.idle:
        store.end_idle_session(ws.db, _digest(token), idle_since=when - idle_limit(ws))
    elif check.due:
        store.touch_session(ws.db, _digest(token), at=when, unless_since=when - SESSION_TOUCH_EVERY)


def session_user(ws: Workspace, token: str) -> tuple[User, str] | None:
    """The user and CSRF token of a live session, which is marked used; an idle one is ended and
    gives None. (The web splits this in two: :func:`check_session`, then :func:`settle_session`.)"""
    check = check_session(ws, token)
    if check is None:
        return None
    if check.idle or check.due:
        settle_session(ws, token, check)
    return None if check.idle else (check.user, check.csrf_token)


def end_session(ws: Workspace, token: str) -> None:
    if token:
        store.revoke_session(ws.db, _digest(token))


# --------------------------------------------------------------- API tokens

TOKEN_PREFIX = "twq_"


def create_api_token(ws: Workspace, *, user: User, name: str, days: int = TOKEN_DEFAULT_DAYS,
                     via_token: bool = False) -> NewToken:
    """A new token for ``user``'s scripts, valid for ``days`` (1 to TOKEN_MAX_DAYS).

    ``via_token``: the request was signed with a token, which may not make tokens (a leaked
    token could otherwise renew itself past its expiry and survive its own revocation).
    """
    if via_token:
        raise PermissionDenied("an API token cannot make tokens: sign in with your password to make one")
    label = " ".join(name.split())[:100]
    if not label:
        raise ServiceError("give the token a name, e.g. the script that will use it", kind="token.name_missing")
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise ServiceError(f"a token lasts from 1 to {TOKEN_MAX_DAYS} days", kind="token.days", n=TOKEN_MAX_DAYS)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    info = store.create_api_token(ws.db, user_id=user.id, name=label, token_hash=_digest(token),
                                  prefix=token[:len(TOKEN_PREFIX) + 6], lifetime=timedelta(days=days))
    return NewToken(token=token, info=info)


def list_api_tokens(ws: Workspace, *, user: User) -> list[ApiToken]:
    return store.list_api_tokens(ws.db, user.id)


def revoke_api_token(ws: Workspace, *, user: User, token_id: int) -> None:
    try:
        store.revoke_api_token(ws.db, token_id=token_id, user_id=user.id)
    except NotFoundError as exc:
        raise NotFound(str(exc)) from None


def token_user(ws: Workspace, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    return store.token_user(ws.db, _digest(token))
