"""The admin's "Lock now" on an encrypted workspace: every session ends, the lock request is written, en and ar."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _client import form_token, signed_in

from tawthiq.services import Workspace, accounts, second_factor
from tawthiq.services.encryption import init_encrypted
from tawthiq.services.locking import lock_request_path
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings

FAST_KDF = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def _settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'web.db'}", data_dir=tmp_path / "data",
                    max_file_size=DEFAULT_MAX_FILE_SIZE)


@pytest.fixture
def encrypted(tmp_path: Path) -> Iterator[Workspace]:
    ws = init_encrypted(_settings(tmp_path), passphrase="a passphrase for tests", kdf=FAST_KDF).workspace
    second_factor.set_required(ws, user=None, on=False, comment="test accounts")
    try:
        yield ws
    finally:
        ws.db.dispose()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_lock_now_ends_every_session_and_asks_the_server_to_forget_the_key(encrypted: Workspace, lang: str) -> None:
    other = signed_in(encrypted, "nour", "documenter")
    assert other.get("/incidents").status_code == 200
    admin = signed_in(encrypted, "admin1", "admin", lang=lang)
    page = admin.get("/admin/settings")
    assert page.status_code == 200 and 'data-testid="lock-now"' in page.text
    label = "اقفل الآن" if lang == "ar" else "Lock now"
    assert label in page.text and "data-confirm=" in page.text

    refused = admin.post("/admin/lock", data={"csrf_token": "not the token"}, follow_redirects=False)
    assert refused.status_code == 403 and not lock_request_path(encrypted.settings.data_dir).exists()
    denied = other.post("/admin/lock", data={"csrf_token": form_token(other.get("/incidents").text)},
                        follow_redirects=False)
    assert denied.status_code in (403, 404) and not lock_request_path(encrypted.settings.data_dir).exists()

    done = admin.post("/admin/lock", data={"csrf_token": form_token(page.text.split('id="lock-now"')[1])},
                      follow_redirects=False)
    assert done.status_code == 200 and 'data-testid="locked"' in done.text
    assert ("قُفلت مساحة العمل" if lang == "ar" else "Workspace locked") in done.text
    assert lock_request_path(encrypted.settings.data_dir).exists()
    for client in (admin, other):  # both signed out
        assert client.get("/incidents", follow_redirects=False).status_code in (303, 401)


def test_no_lock_on_a_plain_workspace(tmp_path: Path) -> None:
    from tawthiq.services import init_workspace

    ws = init_workspace(_settings(tmp_path))
    try:
        second_factor.set_required(ws, user=None, on=False, comment="test accounts")
        admin = signed_in(ws, "admin1", "admin")
        page = admin.get("/admin/settings")
        assert page.status_code == 200 and 'data-testid="lock-now"' not in page.text
        answer = admin.post("/admin/lock", data={"csrf_token": form_token(page.text)}, follow_redirects=False)
        assert answer.status_code == 404 and not lock_request_path(ws.settings.data_dir).exists()
        assert accounts.list_users(ws, actor=None)
    finally:
        ws.db.dispose()
