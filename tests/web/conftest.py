"""Fixtures for the web tests: a live app on a fresh database, and Debian's Chromium.

The browser is the system package at /usr/bin/chromium driven by the
``playwright`` Python package; ``playwright install`` is never run (no
browser downloads). Browser tests skip with a reason when Chromium or
Playwright is missing, except under CI (``CI`` set), where a silent skip
would hide the whole browser suite, so they fail instead.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from tawthiq.domain.access import Role, User
from tawthiq.services import Workspace, init_workspace
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings

from _client import PASSWORD as DEFAULT_PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path(os.environ.get("TAWTHIQ_CHROMIUM", "/usr/bin/chromium"))
SERVER_START_TIMEOUT = 15.0  # seconds; a cold import of the app takes about one

UserFactory = Callable[..., User]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that asks for a browser page is a browser test (``-m browser`` / ``-m 'not browser'``)."""
    for item in items:
        if {"browser", "page", "signed_in_page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str) -> NoReturn:
    """Skip locally; fail under CI, so a missing browser cannot pass unnoticed."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so browser tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    """Settings for a fresh, migrated SQLite database and data directory.

    ``cookie_secure`` stays "auto", as in production: on http://127.0.0.1 the session cookie is
    ``__Host-tawthiq_session`` and Secure, which Chromium keeps there (a secure context).
    """
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'web.db'}", data_dir=tmp_path / "data",
                        max_file_size=DEFAULT_MAX_FILE_SIZE)
    init_workspace(settings).db.dispose()
    return settings


@pytest.fixture
def web_workspace(web_settings: Settings) -> Iterator[Workspace]:
    """One open workspace, shared by the live app and the test's own set-up."""
    ws = Workspace.open(web_settings)
    try:
        yield ws
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_server(web_settings: Settings, web_workspace: Workspace) -> Iterator[str]:
    """The app served by uvicorn in a background thread; yields its base URL."""
    import uvicorn

    from tawthiq.web.app import create_app

    app = create_app(web_settings, workspace=web_workspace)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while not server.started:
        if not thread.is_alive():
            pytest.fail("the test server stopped while starting (see the log above)", pytrace=False)
        if time.monotonic() > deadline:
            server.should_exit = True
            pytest.fail(f"the test server did not start within {SERVER_START_TIMEOUT:.0f} s", pytrace=False)
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def make_user(web_workspace: Workspace) -> UserFactory:
    """Create an account directly through the accounts service (as the CLI operator)."""
    from tawthiq.services import accounts

    def create(username: str, *, role: Role | str = Role.DOCUMENTER, password: str = DEFAULT_PASSWORD,
               display_name: str = "") -> User:
        return accounts.create_user(web_workspace, actor=None, username=username, password=password,
                                    role=role, display_name=display_name)

    return create


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium for the whole session (starting it costs about a second)."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium (sudo apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing: pip install -e '.[test]'")
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context (no cookies) and page per test; English unless a test asks otherwise."""
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def login(page: Page, base_url: str, username: str, password: str) -> None:
    """Sign in through the form on /login and wait for the redirect to the home page."""
    page.goto(f"{base_url}/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.click('form[action="/login"] button[type="submit"]')
    if not page.url.rstrip("/") == base_url:
        raise AssertionError(f"sign-in as {username!r} ended at {page.url}, not the home page")


@pytest.fixture
def signed_in_page(page: Page, live_server: str, make_user: UserFactory) -> Page:
    """A page signed in as a fresh documenter named ``documenter``."""
    make_user("documenter", role=Role.DOCUMENTER)
    login(page, live_server, "documenter", DEFAULT_PASSWORD)
    return page


@pytest.fixture(name="login")
def login_fixture() -> Callable[[Any, str, str, str], None]:
    """``login(page, base_url, username, password)`` for tests (conftest helpers are not importable)."""
    return login
