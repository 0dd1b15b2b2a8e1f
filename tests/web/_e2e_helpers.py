"""Shared pieces of the end-to-end browser tests (``test_e2e_*.py``).

The conftest's ``live_server`` is per test; the end-to-end modules instead
share one server and one ingest per module (``running_site``), so a module's
few browser tests do not each pay for a migration, an ingest and a server
start. Each test still gets its own browser context (``new_page``), so
cookies never leak from one test into the next.
"""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tawthiq.domain.access import Role, User
from tawthiq.domain.enums import IncidentStatus, SourceKind, VictimKind, VictimOutcome
from tawthiq.domain.model import Incident, Involvement, Source, VictimGroup
from tawthiq.services import Workspace, init_workspace
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, DEFAULT_SESSION_IDLE_MINUTES, Settings
from tawthiq.store import repository
from tawthiq.store.incidents import add_incident

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Locator, Page

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SEED = SAMPLES / "000_9032e6eeb26cf358.txt"
PASSWORD = "correct horse battery staple"
START_TIMEOUT = 15.0


@dataclass
class Site:
    """A running app on its own fresh database, and the workspace it serves."""

    url: str
    ws: Workspace
    settings: Settings
    users: dict[str, User] = field(default_factory=dict)

    def user(self, username: str, role: Role | str) -> User:
        """The account ``username`` (created on first use, with ``PASSWORD``)."""
        from tawthiq.services import accounts

        if username not in self.users:
            self.users[username] = accounts.create_user(self.ws, actor=None, username=username,
                                                        password=PASSWORD, role=role)
        return self.users[username]

    def ingest(self, *paths: Path) -> list[Any]:
        from tawthiq.services.ingest import ingest_files

        results = ingest_files(self.ws, list(paths))
        failed = [r for r in results if r.error]
        assert not failed, f"ingest failed: {failed}"
        return results


def add_market_sources(site: Site, *, text: str) -> dict[str, int]:
    """A text report on the strike on Saraqib's market and a photo of it without text, made directly in the store
    so a test knows exactly what the review and hand entry pages start from: ``{"text": id, "photo": id}``."""
    report, _ = repository.add_source(site.ws.db, Source(kind=SourceKind.TEXT, sha256="ab" * 32, text=text,
                                                         title="Saraqib market report"))
    photo, _ = repository.add_source(site.ws.db, Source(kind=SourceKind.IMAGE, sha256="cd" * 32, text="",
                                                        title="Photo of the market", media_type="image/jpeg"))
    return {"text": report, "photo": photo}


def add_market_suggestion(site: Site, *, source_id: int, violations: tuple[str, ...] = ()) -> int:
    """A suggestion read from the market report: the government's barrel bomb, twelve civilians killed."""
    return add_incident(site.ws.db, Incident(
        event_type="air-drone-strike", violations=list(violations),
        involvements=[Involvement(actor="syrian-government")],
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=12, count_max=12)],
        description="A barrel bomb on the market", status=IncidentStatus.SUGGESTED, source_id=source_id))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_site(directory: Path, *, capture_private: bool = False,
                 session_idle_minutes: int = DEFAULT_SESSION_IDLE_MINUTES) -> Iterator[Site]:
    """Migrate a SQLite database under ``directory`` and serve the app on a free port.

    ``capture_private`` lets the app's web captures reach a local test page server (never the default).
    """
    import uvicorn

    from tawthiq.web.app import create_app

    settings = Settings(database_url=f"sqlite:///{directory / 'e2e.db'}", data_dir=directory / "data",
                        max_file_size=DEFAULT_MAX_FILE_SIZE, capture_private=capture_private,
                        session_idle_minutes=session_idle_minutes)
    init_workspace(settings).db.dispose()  # type: ignore[attr-defined]
    ws = Workspace.open(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, workspace=ws), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name=f"e2e-uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the end-to-end test server did not start (see the log above)")
            time.sleep(0.02)
        yield Site(url=f"http://127.0.0.1:{port}", ws=ws, settings=settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        ws.db.dispose()  # type: ignore[attr-defined]


def new_page(browser: Browser, *, locale: str = "en-GB") -> Page:
    """A page in a fresh context (no cookies); close it with ``page.context.close()``."""
    context = browser.new_context(locale=locale)
    context.set_default_timeout(10_000)
    return context.new_page()


def sign_in(page: Page, site: Site, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form on /login, as a person would, and land on the home page."""
    page.goto(f"{site.url}/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', password)
    with page.expect_navigation():
        page.click('form[action="/login"] button[type="submit"]')
    assert page.url.rstrip("/") == site.url, f"sign-in as {username!r} ended at {page.url}"


def switch_language(page: Page, lang: str) -> None:
    """Put the interface in ``lang`` with the header's language button, when it is not in it already.

    The choice is kept on the account, so a module's second test may find it made.
    """
    if page.locator("html").get_attribute("lang") != lang:
        with page.expect_navigation():
            page.click('form[action="/language"] button[name="lang"]')
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")


def open_as(browser: Browser, site: Site, username: str, *, lang: str, accept_dialogs: bool = False,
            viewport: dict[str, int] | None = None, cookies: list[dict[str, str]] | None = None,
            locale: str = "en-GB") -> Page:
    """A fresh page signed in as ``username``, in ``lang``; close it with ``page.context.close()``.

    ``accept_dialogs`` for pages whose buttons ask first (reject, merge, undo) when the test means it;
    ``cookies`` are set before signing in; ``locale`` is the browser's own language (the account's wins).
    """
    page = new_page(browser, locale=locale)
    if viewport:
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
    if cookies:
        page.context.add_cookies(cookies)  # type: ignore[arg-type]
    if accept_dialogs:
        page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, site, username)
    switch_language(page, lang)
    return page


@contextmanager
def opened_as(browser: Browser, site: Site, username: str, *, lang: str, accept_dialogs: bool = False,
              viewport: dict[str, int] | None = None, cookies: list[dict[str, str]] | None = None,
              locale: str = "en-GB") -> Iterator[Page]:
    """``open_as``, with the page's context closed when the block ends, whether its assertions hold or not."""
    page = open_as(browser, site, username, lang=lang, accept_dialogs=accept_dialogs, viewport=viewport,
                   cookies=cookies, locale=locale)
    try:
        yield page
    finally:
        page.context.close()


def open_hand_entry(page: Page, site: Site, *, source_id: int) -> Locator:
    """The hand entry form for ``source_id``, reached as a person reaches it: /add/incident, pick the source, open."""
    page.goto(f"{site.url}/add/incident")
    page.get_by_test_id("hand-source").select_option(str(source_id))
    with page.expect_navigation():
        page.get_by_test_id("hand-open").click()
    return page.get_by_test_id("hand-form")


def review_row_ids(page: Page) -> list[int]:
    """The incident ids of the review queue's rows, in the order shown."""
    rows = page.get_by_test_id("review-queue").get_by_test_id("review-row")
    return [int(rows.nth(i).get_attribute("data-incident-id") or "0") for i in range(rows.count())]


@dataclass
class Watch:
    """What a page did that a test must notice: dialogs, uncaught errors and console output."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def csp_reports(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "Content-Security-Policy" in m]


def watch(page: Page, *, accept_dialogs: bool = False) -> Watch:
    """Record dialogs, errors and console lines.

    Dialogs are dismissed, so a payload cannot hang the test; ``accept_dialogs`` accepts them instead,
    for a confirmation (Undo asks first) the test means to give.
    """
    seen = Watch()

    def on_dialog(dialog: Dialog) -> None:
        seen.dialogs.append(f"{dialog.type}: {dialog.message}")
        if accept_dialogs:
            dialog.accept()
        else:
            dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        seen.console.append(f"{message.type}: {message.text}")

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: seen.errors.append(str(exc)))
    page.on("console", on_console)
    return seen
