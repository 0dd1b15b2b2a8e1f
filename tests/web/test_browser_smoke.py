"""Smoke tests in a real browser: the app starts, answers, and signs a user in."""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from tawthiq.domain.access import Role
from tawthiq.web.cookies import SECURE_SESSION_COOKIE as SESSION  # https and 127.0.0.1: __Host-

if TYPE_CHECKING:  # imported lazily so a machine without Playwright skips instead of erroring
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_health_is_ok_in_chromium(page: Page, live_server: str) -> None:
    response = page.goto(f"{live_server}/health")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    assert json.loads(page.inner_text("body")) == {"status": "ok"}


def test_login_page_renders_a_form(page: Page, live_server: str) -> None:
    response = page.goto(f"{live_server}/login")
    assert response is not None and response.status == 200
    form = page.locator('form[action="/login"]')
    assert form.locator('input[name="username"]').is_visible()
    assert form.locator('input[name="password"]').get_attribute("type") == "password"
    assert form.locator('button[type="submit"]').is_visible()
    # The form carries its CSRF token, so the sign-in post is not forgeable.
    assert form.locator('input[type="hidden"][name="csrf_token"]').get_attribute("value")


def test_unknown_visitor_is_sent_to_login(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/login")


def test_sign_in_reaches_the_home_page(page: Page, live_server: str, make_user: Callable[..., Any],
                                       login: Callable[[Page, str, str, str], None]) -> None:
    make_user("huda.k", role=Role.REVIEWER, password="a long enough secret")
    login(page, live_server, "huda.k", "a long enough secret")
    assert page.url.rstrip("/") == live_server
    assert any(c["name"] == SESSION for c in page.context.cookies())


def test_wrong_password_stays_on_login(page: Page, live_server: str, make_user: Callable[..., Any]) -> None:
    make_user("omar", role=Role.VIEWER, password="a long enough secret")
    page.goto(f"{live_server}/login")
    page.fill('input[name="username"]', "omar")
    page.fill('input[name="password"]', "not the password")
    page.click('form[action="/login"] button[type="submit"]')
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server}/login")
    assert page.locator('[role="alert"]').is_visible()
    assert not any(c["name"] == SESSION for c in page.context.cookies())
