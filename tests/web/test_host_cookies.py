"""The session cookie is "__Host-tawthiq_session" (Secure, Path=/, no Domain) over https and on the machine's
own address, and the sign-in CSRF and half-signed-in cookies "__Secure-…"; on plain http to another machine
the plain names without Secure (a browser would drop Secure ones there); TAWTHIQ_COOKIE_SECURE overrides."""
from __future__ import annotations

import dataclasses
from http.cookies import SimpleCookie

import pytest
from _client import PASSWORD, form_token, make_user
from fastapi.testclient import TestClient

from tawthiq.services import Workspace, accounts
from tawthiq.settings import Settings
from tawthiq.web.app import create_app
from tawthiq.web.cookies import SECURE_SESSION_COOKIE, is_loopback

PLAIN = "tawthiq_session"


def _client(ws: Workspace, base_url: str, mode: str = "auto") -> TestClient:
    settings = dataclasses.replace(ws.settings, cookie_secure=mode)
    return TestClient(create_app(settings, workspace=ws), base_url=base_url, raise_server_exceptions=False)


def _set_cookies(response: object) -> dict[str, str]:
    """Each Set-Cookie header by cookie name (the whole header, attributes included)."""
    headers = response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    return {header.split("=", 1)[0]: header for header in headers}


def _attributes(header: str) -> dict[str, str]:
    parsed = SimpleCookie()
    parsed.load(header)
    (morsel,) = parsed.values()
    return {key: str(value) for key, value in morsel.items() if value}


def _value(header: str) -> str:
    return header.split("=", 1)[1].split(";", 1)[0]


def _sign_in(client: TestClient, username: str) -> tuple[object, object]:
    """Through the form, carrying its cookie by hand: like a browser (and unlike the test client, which keeps
    Secure cookies to https), Chromium and Firefox send Secure cookies back to http://127.0.0.1 and localhost."""
    form = client.get("/login")
    (csrf,) = [h for name, h in _set_cookies(form).items() if name.endswith("tawthiq_login_csrf")]
    name = csrf.split("=", 1)[0]
    client.cookies.clear()
    done = client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrf_token": form_token(form.text)}, follow_redirects=False,
                       headers={"Cookie": f"{name}={_value(csrf)}"})
    return form, done


@pytest.mark.parametrize("base_url", ["https://tawthiq.example.org", "http://127.0.0.1:8000", "http://localhost:8000",
                                      "http://[::1]:8000"])
def test_over_https_or_on_this_machine_the_session_cookie_is_host_prefixed(ws: Workspace, base_url: str) -> None:
    make_user(ws, "huda")
    client = _client(ws, base_url)
    form, done = _sign_in(client, "huda")
    csrf = _set_cookies(form)["__Secure-tawthiq_login_csrf"]
    assert {"secure", "httponly"} <= set(_attributes(csrf)) and _attributes(csrf)["path"] == "/login"
    assert done.status_code == 303  # type: ignore[attr-defined]
    session = _set_cookies(done)[SECURE_SESSION_COOKIE]
    attributes = _attributes(session)
    # What "__Host-" demands of the cookie, or a browser refuses it: Secure, Path=/, no Domain.
    assert {"secure", "httponly"} <= set(attributes) and attributes["path"] == "/" and "domain" not in attributes
    assert attributes["samesite"].lower() == "lax" and int(attributes["max-age"]) > 0
    assert PLAIN not in _set_cookies(done)
    cookie = {"Cookie": f"{SECURE_SESSION_COOKIE}={_value(session)}"}
    client.cookies.clear()
    home = client.get("/", headers=cookie)
    assert "huda" in home.text  # signed in with it
    out = client.post("/logout", data={"csrf_token": form_token(home.text)}, follow_redirects=False, headers=cookie)
    gone = _attributes(_set_cookies(out)[SECURE_SESSION_COOKIE])
    assert "secure" in gone and gone["path"] == "/" and int(gone["max-age"]) == 0  # removed as it was set


def test_on_plain_http_to_another_machine_the_plain_names_are_used(ws: Workspace) -> None:
    make_user(ws, "sami")
    client = _client(ws, "http://192.168.1.20:8000")
    form, done = _sign_in(client, "sami")
    assert "tawthiq_login_csrf" in _set_cookies(form)
    session = _set_cookies(done)[PLAIN]
    assert "secure" not in _attributes(session) and "httponly" in _attributes(session)
    assert SECURE_SESSION_COOKIE not in _set_cookies(done)
    assert "sami" in client.get("/").text  # the browser keeps and sends it: signed in over plain http


def test_the_setting_forces_either_way(ws: Workspace) -> None:
    make_user(ws, "rana")
    _, done = _sign_in(_client(ws, "http://192.168.1.20:8000", mode="on"), "rana")
    assert "secure" in _attributes(_set_cookies(done)[SECURE_SESSION_COOKIE])
    _, done = _sign_in(_client(ws, "https://tawthiq.example.org", mode="off"), "rana")
    assert "secure" not in _attributes(_set_cookies(done)[PLAIN])


def test_a_plain_cookie_is_never_read_where_the_prefixed_one_is_expected(ws: Workspace) -> None:
    """A cookie another page on the network tossed in as "tawthiq_session" opens nothing over https."""
    user = make_user(ws, "omar")
    token, _ = accounts.start_session(ws, user=user)
    tossed = _client(ws, "https://tawthiq.example.org")
    tossed.cookies.set(PLAIN, token)
    assert tossed.get("/", follow_redirects=False).status_code == 303
    real = _client(ws, "https://tawthiq.example.org")
    real.cookies.set(SECURE_SESSION_COOKIE, token)
    assert real.get("/", follow_redirects=False).status_code == 200


def test_the_setting_is_read_once_and_refused_when_unknown() -> None:
    env = {"TAWTHIQ_DATABASE_URL": "sqlite:///x.db"}
    assert Settings.from_env(env).cookie_secure == "auto"
    for raw, mode in (("on", "on"), ("1", "on"), ("OFF", "off"), ("0", "off"), ("false", "off"), ("auto", "auto")):
        assert Settings.from_env({**env, "TAWTHIQ_COOKIE_SECURE": raw}).cookie_secure == mode
    with pytest.raises(ValueError, match="auto, on or off"):
        Settings.from_env({**env, "TAWTHIQ_COOKIE_SECURE": "sometimes"})


def test_loopback_addresses() -> None:
    assert all(is_loopback(h) for h in ("localhost", "app.localhost", "127.0.0.1", "127.8.9.1", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("", "192.168.1.20", "10.0.0.1", "example.org", "localhost.example.org",
                                            "0.0.0.0"))
