"""A second factor for signing in: an authenticator app's six-digit codes (TOTP, RFC 6238).

Setting it up: the user is shown a new secret (as text and as an ``otpauth://``
URI) and turns the factor on by typing a current code from their app; they are
then shown ten recovery codes, once, each usable once in place of a code. Only
Argon2 hashes of those are kept. The secret is never shown again and never
written to the audit log.

Signing in with it: a right password opens only a *pending* session (see
``store.accounts.pending_session_user``), which reaches no page; a right code
replaces it with a real session. Wrong codes are counted with wrong passwords
(``login_attempts``, purpose "code"), under the same limits.

The team setting ``second_factor_required`` (on unless an admin turns it off,
as the issue asks) sends an admin or reviewer without a second factor to set
one up right after the password, before any other page. It is read as on when
it was never set, so a new installation and an upgraded one both require it;
a group that does not want it turns it off on the settings page (audited), and
``./dev demo`` turns it off for its made-up accounts.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..domain.access import Action, Role, User, allowed
from ..store import accounts as account_store
from ..store import second_factor as store
from ..store.history import NotFoundError
from ..store.second_factor import SignIn
from ..store.vocabulary import get_setting, set_setting
from . import Workspace
from .accounts import RateLimited, attempt_limits, get_user
from .errors import NotFound, PermissionDenied, ServiceError

__all__ = ["CodeWrong", "REQUIRED_KEY", "Setup", "SignIn", "Status", "complete", "confirm", "disable",
           "must_set_up", "new_setup", "pending_user", "required", "reset", "resume_setup", "set_required", "sign_ins",
           "sign_ins_of", "start_pending", "status"]

REQUIRED_KEY = "second_factor_required"
REQUIRED_BY_DEFAULT = True  # the issue: "on" unless the team turns it off
REQUIRED_ROLES = frozenset({Role.ADMIN, Role.REVIEWER})
ISSUER = "Tawthiq"
RECOVERY_CODES = 10
PENDING_LIFETIME = timedelta(minutes=10)  # between the right password and the code
HISTORY_LENGTH = 20
# Recovery codes carry 50 random bits each, so Argon2 at the OWASP minimum is ample and ten of them
# are made or tried in a fraction of a second (passwords keep the library's heavier default).
_code_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


class CodeWrong(ServiceError):
    """A wrong, old or reused code (never says which)."""


@dataclass(frozen=True, slots=True)
class Setup:
    """A new secret, shown to its owner while they set the factor up (not yet stored)."""

    secret: str
    uri: str


@dataclass(frozen=True, slots=True)
class Status:
    on: bool
    codes_left: int


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _clean(code: str) -> str:
    # Arabic-Indic digits typed on an Arabic keyboard are the same code; spaces and dashes are layout.
    return "".join(code.translate(_DIGITS).split()).replace("-", "").lower()[:40]


def _step(totp: pyotp.TOTP, code: str) -> int | None:
    """The 30-second step ``code`` is right for (now, or one step either side for clock drift)."""
    if len(code) != 6 or not code.isdigit():
        return None
    current = totp.timecode(datetime.now(UTC))
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


# ------------------------------------------------------------------ setting up


def new_setup(*, user: User) -> Setup:
    secret = pyotp.random_base32()
    return Setup(secret=secret, uri=pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER))


def _totp(secret: str) -> pyotp.TOTP | None:
    """The generator for a secret as the set-up form sent it back, or None if it is not one we made."""
    secret = secret.strip().upper()
    if len(secret) != 32 or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in secret):
        return None
    return pyotp.TOTP(secret)


def resume_setup(*, user: User, secret: str) -> Setup | None:
    """The set-up again with the secret the user's app already holds (after a wrong code)."""
    totp = _totp(secret)
    if totp is None:
        return None
    return Setup(secret=totp.secret, uri=totp.provisioning_uri(name=user.username, issuer_name=ISSUER))


def _new_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def confirm(ws: Workspace, *, user: User, secret: str, code: str) -> list[str]:
    """Turn the factor on with ``secret`` once ``code`` is right for it; the recovery codes, to show once.

    Argon2 runs ten times: call it off the event loop.
    """
    totp = _totp(secret)
    if totp is None:  # a changed form
        raise ServiceError("the set-up form was changed; start again", kind="twofactor.setup_broken")
    secret = totp.secret
    step = _step(totp, _clean(code))
    if step is None:
        raise CodeWrong("the code is wrong or too old", kind="twofactor.code_wrong")
    codes = [_new_code() for _ in range(RECOVERY_CODES)]
    hashes = [_code_hasher.hash(c.replace("-", "")) for c in codes]
    if not store.enable(ws.db, user.id, secret=secret, step=step, code_hashes=hashes, by=user.username):
        raise ServiceError("a second factor is on already", kind="twofactor.already_on")
    return codes


def status(ws: Workspace, *, user: User) -> Status:
    on = store.secret_of(ws.db, user.id) is not None
    return Status(on=on, codes_left=store.codes_left(ws.db, user.id) if on else 0)


# ------------------------------------------------------------- checking codes


def _check(ws: Workspace, *, user: User, code: str, ip: str, user_agent: str) -> str | None:
    """Check a code within the limits on failed attempts: "totp" or "recovery" if right, else None."""
    attempt = account_store.begin_attempt(ws.db, username=user.username, ip=ip, purpose="code",
                                          limits=attempt_limits(), user_agent=user_agent)
    if attempt is None:
        raise RateLimited("too many failed attempts; wait and try again", kind="twofactor.rate_limited")
    found = store.secret_of(ws.db, user.id)
    cleaned = _clean(code)
    used = ""
    if found is not None:
        step = _step(pyotp.TOTP(found[0]), cleaned)
        if step is not None and store.accept_step(ws.db, user.id, step):
            used = "totp"
        elif len(cleaned) == 10:
            for code_id, code_hash in store.unused_codes(ws.db, user.id):
                try:
                    matched = _code_hasher.verify(code_hash, cleaned)
                except (VerificationError, InvalidHashError):
                    matched = False
                if matched and store.use_code(ws.db, code_id, user_id=user.id, by=user.username):
                    used = "recovery"
                    break
    account_store.finish_attempt(ws.db, attempt, success=bool(used), second_factor=used or "")
    return used or None


def start_pending(ws: Workspace, *, user: User, ip: str = "", user_agent: str = "") -> str:
    """A half-signed-in session (the password was right): its cookie token. It opens no page."""
    token = secrets.token_urlsafe(32)
    account_store.create_session(ws.db, token_hash=_digest(token), user_id=user.id,
                                 csrf_token=secrets.token_urlsafe(32), lifetime=PENDING_LIFETIME, ip=ip,
                                 user_agent=user_agent, pending=True)
    return token


def pending_user(ws: Workspace, token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    return account_store.pending_session_user(ws.db, _digest(token))


def complete(ws: Workspace, *, token: str, code: str, ip: str, user_agent: str) -> User | None:
    """Check the code of a half-signed-in session: the user (whose pending session is then over), or
    None when the session has expired. Raises :class:`CodeWrong` or ``RateLimited``.

    Argon2 may run (a recovery code): call it off the event loop.
    """
    user = pending_user(ws, token)
    if user is None:
        return None
    if _check(ws, user=user, code=code, ip=ip, user_agent=user_agent) is None:
        raise CodeWrong("the code is wrong or too old", kind="twofactor.code_wrong")
    store.end_pending(ws.db, _digest(token))
    return user


def disable(ws: Workspace, *, user: User, code: str, ip: str, user_agent: str = "") -> None:
    """Turn one's own factor off: only with a current code (or a recovery code)."""
    if _check(ws, user=user, code=code, ip=ip, user_agent=user_agent) is None:
        raise CodeWrong("the code is wrong or too old", kind="twofactor.code_wrong")
    store.disable(ws.db, user.id, by=user.username, action="two-factor-off")


def reset(ws: Workspace, *, actor: User, username: str, comment: str = "") -> bool:
    """An admin turns someone's factor off (a lost phone and lost codes); recorded with who and why.
    False if it was off."""
    target = get_user(ws, actor=actor, username=username)
    try:
        return store.disable(ws.db, target.id, by=actor.username, action="two-factor-reset",
                             comment=comment or "second factor reset")
    except NotFoundError as exc:
        raise NotFound(str(exc)) from None


def sign_ins(ws: Workspace, *, user: User) -> list[SignIn]:
    """The user's own recent sign-in checks, newest first: theirs alone, whatever the caller asks."""
    return store.sign_ins(ws.db, user.username, limit=HISTORY_LENGTH)


def sign_ins_of(ws: Workspace, *, actor: User | None, username: str) -> tuple[User, list[SignIn]]:
    """An admin's look at another account's recent sign-in checks (the account, and its checks)."""
    target = get_user(ws, actor=actor, username=username)  # admins only; NotFound for no such account
    return target, store.sign_ins(ws.db, target.username, limit=HISTORY_LENGTH)


# -------------------------------------------------------------- team setting


def required(ws: Workspace) -> bool:
    return bool(get_setting(ws.db, REQUIRED_KEY, REQUIRED_BY_DEFAULT))


def set_required(ws: Workspace, *, user: User | None, on: bool, comment: str) -> bool:
    """Turn the requirement on or off (``user`` None: the machine's operator, e.g. ``./dev demo``)."""
    if user is not None and (user.disabled or not allowed(user.role, Action.MANAGE_SETTINGS)):
        raise PermissionDenied("only an admin can change the team's settings")
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError("say why the team's rule changes", kind="twofactor.reason_missing")
    return set_setting(ws.db, REQUIRED_KEY, bool(on), user=user.username if user else "cli",
                       comment=comment, default=REQUIRED_BY_DEFAULT)


def must_set_up(ws: Workspace, user: User) -> bool:
    """Whether ``user`` must set up a second factor before reaching any other page."""
    return user.role in REQUIRED_ROLES and not user.two_factor and required(ws)
