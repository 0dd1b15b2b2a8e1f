"""``tawthiq lock``: end every session and make a running server forget the workspace's key.

The lock reaches a server through a file it watches (``<data dir>/lock-request``,
written 0600): anyone at the keyboard can ask, without the passphrase (the
sessions live in the encrypted database, so the server, which holds the key,
ends them), with no signal or pid file to get wrong. On seeing it, the server
ends every session, drops every reference it holds to the key (settings,
store keys, database connections) and stops; the next start asks for the
passphrase again. A request no server took is honoured by the next server
start (its sessions are ended before it serves). Python cannot promise that no copy of the key's bytes is
left in freed memory; the process ending is what makes that sure.
"""
from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..domain.access import User
    from . import Workspace

LOCK_REQUEST = "lock-request"
POLL_SECONDS = 1.0


def lock_request_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_REQUEST


def request_lock(data_dir: Path, *, actor: str) -> Path:
    """Ask a running (or the next) server to end every session and forget the key."""
    from ..store.vault.private import write_private

    target = lock_request_path(data_dir)
    write_private(target, f"{datetime.now(UTC).isoformat()} {actor}\n".encode())
    return target


def end_sessions_if_asked(ws: Workspace) -> int:
    """At a server's start: a lock asked while none ran still ends every session. Returns how many."""
    from ..store.accounts import revoke_all_sessions

    target = lock_request_path(ws.settings.data_dir)
    if not target.exists():
        return 0
    ended = revoke_all_sessions(ws.db)
    target.unlink(missing_ok=True)
    return ended


def lock_now(ws: Workspace) -> int:
    """End every session and forget the key (the server's side of a lock); returns the sessions ended."""
    from ..store.accounts import revoke_all_sessions

    ended = revoke_all_sessions(ws.db)
    forget_key(ws)
    lock_request_path(ws.settings.data_dir).unlink(missing_ok=True)
    return ended


def lock_from_app(ws: Workspace, *, user: User) -> int:
    """The admin's "Lock now": every session ends at once, and the server is asked to forget the key."""
    from ..domain.access import Action, allowed
    from ..store.accounts import revoke_all_sessions
    from .errors import PermissionDenied

    if user.disabled or not allowed(user.role, Action.MANAGE_SETTINGS):
        raise PermissionDenied("only an administrator can lock the workspace")
    ended = revoke_all_sessions(ws.db)  # whether or not a server is watching for the request
    request_lock(ws.settings.data_dir, actor=user.username)
    return ended


def forget_key(ws: Workspace) -> None:
    """Overwrite the key and every key derived from it, and drop the references; nothing can be read after.

    The main key and its sub-keys are buffers shared by every holder (the app's settings, the stores, the
    database's connection hook), so overwriting them here reaches all of those copies at once.
    """
    from ..store.vault.keys import wipe

    ws.db.dispose()  # open SQLCipher connections hold the key inside SQLCipher
    if ws.blobs.keys is not None:
        ws.blobs.keys.wipe()
    ws.blobs.keys = None
    wipe(ws.settings.main_key)
    ws.settings = dataclasses.replace(ws.settings, main_key=None)


def watch(ws: Workspace, *, on_lock: Callable[[], None], poll: float = POLL_SECONDS) -> threading.Event:
    """Watch for a lock request in a daemon thread; on one, end the sessions, forget the key, call ``on_lock``.

    Returns an event that stops the watching when set.
    """
    stop = threading.Event()
    target = lock_request_path(ws.settings.data_dir)

    def run() -> None:
        while not stop.wait(poll):
            if target.exists():
                try:
                    lock_now(ws)
                finally:
                    on_lock()
                return

    threading.Thread(target=run, name="tawthiq-lock-watch", daemon=True).start()
    return stop


def wait_for(path: Path, *, timeout: float) -> bool:
    """Whether ``path`` is gone within ``timeout`` seconds (a server took the lock request)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not path.exists():
            return True
        time.sleep(0.1)
    return not path.exists()
