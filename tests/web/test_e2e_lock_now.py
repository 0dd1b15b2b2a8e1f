"""End to end in Chromium, in Arabic and English: the admin's "Lock now" on an encrypted workspace.

Declining the confirmation dialog locks nothing; accepting it ends every session, shows the locked page in
the reader's language, and the server (watching for the lock request as ``tawthiq serve`` does) forgets the
key and stops.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _e2e_helpers import START_TIMEOUT, Site, _free_port, open_as

from tawthiq.domain.access import Role
from tawthiq.services import second_factor
from tawthiq.services.encryption import init_encrypted
from tawthiq.services.locking import lock_request_path, watch
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog

pytestmark = pytest.mark.browser

FAST_KDF = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
LOCKED = {"en": "Workspace locked", "ar": "قُفلت مساحة العمل"}
ASKED = {"en": "Lock the workspace now?", "ar": "هل تريد قفل مساحة العمل الآن؟"}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    import uvicorn

    from tawthiq.web.app import create_app

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'e2e.db'}", data_dir=tmp_path / "data",
                        max_file_size=DEFAULT_MAX_FILE_SIZE)
    ws = init_encrypted(settings, passphrase="a passphrase for tests", kdf=FAST_KDF).workspace
    main_key = ws.settings.main_key
    second_factor.set_required(ws, user=None, on=False, comment="test accounts")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ws.settings, workspace=ws), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    stop_watching = watch(ws, on_lock=lambda: setattr(server, "should_exit", True), poll=0.2)
    thread = threading.Thread(target=server.run, name=f"e2e-lock-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
            time.sleep(0.02)
        running = Site(url=f"http://127.0.0.1:{port}", ws=ws, settings=ws.settings)
        running.user("admin1", Role.ADMIN)
        running.thread = thread  # type: ignore[attr-defined]
        running.main_key = main_key  # type: ignore[attr-defined]
        yield running
    finally:
        stop_watching.set()
        server.should_exit = True
        thread.join(timeout=10)
        ws.db.dispose()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_lock_now_asks_first_then_locks(browser: Browser, site: Site, lang: str) -> None:
    page = open_as(browser, site, "admin1", lang=lang)
    asked: list[str] = []
    accept = {"now": False}

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept["now"] else dialog.dismiss()

    page.on("dialog", answer)
    try:
        page.goto(f"{site.url}/admin/settings")
        button = page.get_by_test_id("lock-now")
        assert button.is_visible()

        # Declined: asked in the reader's language, nothing locked.
        button.click()
        page.wait_for_timeout(300)
        assert asked and asked[0].startswith(ASKED[lang]), asked
        assert not lock_request_path(site.settings.data_dir).exists() and site.ws.blobs.keys is not None
        assert page.url.endswith("/admin/settings")

        # Accepted: the locked page, then the server forgets the key and stops.
        accept["now"] = True
        with page.expect_navigation():
            button.click()
        assert page.get_by_test_id("locked").is_visible()
        assert LOCKED[lang] in page.content()
        site.thread.join(timeout=15)  # type: ignore[attr-defined]
        assert not site.thread.is_alive()  # type: ignore[attr-defined]
        assert site.ws.blobs.keys is None and site.ws.settings.main_key is None
        assert site.main_key == bytes(32)  # type: ignore[attr-defined]  # overwritten, for the app's settings too
        assert not lock_request_path(site.settings.data_dir).exists()  # taken by the server
    finally:
        page.context.close()
