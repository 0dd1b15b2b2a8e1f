"""The app's cookies: their names, and whether they are Secure (with the ``__Host-`` / ``__Secure-`` prefixes).

A ``__Host-`` cookie is Secure, for Path=/ and without a Domain: a browser refuses to let another site on
the network (a sibling subdomain, a plain-http page on the way) set or overwrite it, so a planted session
("cookie tossing") cannot be slipped under the real one. Browsers keep Secure cookies only from https pages
and from http://localhost or 127.0.0.1; a team trying the app over plain http on a LAN would never stay
signed in, so there the plain names are used instead.

``TAWTHIQ_COOKIE_SECURE`` (read once, in :mod:`tawthiq.settings`) decides: ``on``, ``off``, or ``auto``
(the default): Secure and prefixed unless the request came over plain http to an address that is not
the machine's own (the address asked for, or the one the server listens on: a TLS proxy on the same
machine forwards to 127.0.0.1). Behind a proxy on another machine, give ``--trusted-proxy`` so https is
seen, or set ``on``.
"""
from __future__ import annotations

import ipaddress

from starlette.requests import Request
from starlette.responses import Response

# The names as they are without the prefix (plain http on a LAN).
SESSION_COOKIE = "tawthiq_session"
LOGIN_CSRF_COOKIE = "tawthiq_login_csrf"  # double-submit token for the sign-in form (Path=/login)
# The cookie of a half-signed-in session (right password, code still to come): sent only to /login….
PENDING_COOKIE = "tawthiq_pending"
# Path=/ cookies get "__Host-"; those kept to /login can only be "__Secure-" (which allows a Path).
_HOST_PREFIXED = frozenset({SESSION_COOKIE})
_SECURE_PREFIXED = frozenset({LOGIN_CSRF_COOKIE, PENDING_COOKIE})
SECURE_SESSION_COOKIE = "__Host-" + SESSION_COOKIE


def is_loopback(host: str) -> bool:
    """``localhost``, ``*.localhost``, 127.0.0.0/8 or ::1: the addresses browsers trust over plain http."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def secure(request: Request) -> bool:
    """Whether this request's cookies are Secure (and prefixed); worked out once per request."""
    if "cookies_secure" in request.state._state:
        return bool(request.state.cookies_secure)
    mode = request.app.state.settings.cookie_secure
    if mode in ("on", "off"):
        decided = mode == "on"
    else:
        server = request.scope.get("server") or ("", None)
        decided = (request.url.scheme in ("https", "wss") or is_loopback(request.url.hostname or "")
                   or is_loopback(str(server[0] or "")))
    request.state.cookies_secure = decided
    return decided


def name(request: Request, base: str) -> str:
    """The cookie ``base`` as this request names it: prefixed when cookies are Secure."""
    if not secure(request):
        return base
    if base in _HOST_PREFIXED:
        return "__Host-" + base
    return "__Secure-" + base if base in _SECURE_PREFIXED else base


def read(request: Request, base: str) -> str:
    """The value of the cookie ``base`` under this request's name only: with Secure cookies, a plain
    ``tawthiq_session`` (which any page on the network could have set) is never read."""
    return request.cookies.get(name(request, base), "")


def put(response: Response, request: Request, base: str, value: str, *, path: str = "/", httponly: bool = True,
        samesite: str = "lax", max_age: int | None = None) -> None:
    """Set the cookie ``base``: Secure, prefixed and without a Domain whenever this request's cookies are."""
    response.set_cookie(name(request, base), value, path=path, httponly=httponly, samesite=samesite,  # type: ignore[arg-type]
                        secure=secure(request), max_age=max_age)


def drop(response: Response, request: Request, base: str, *, path: str = "/", httponly: bool = True,
         samesite: str = "lax") -> None:
    """Remove the cookie ``base``; a prefixed one is removed only by a Set-Cookie with Secure, as it was set."""
    response.delete_cookie(name(request, base), path=path, secure=secure(request), httponly=httponly,
                           samesite=samesite)  # type: ignore[arg-type]
