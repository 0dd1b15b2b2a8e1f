"""CLI commands ``passphrase change`` and ``passphrase reset``: re-seal an encrypted workspace's main key."""
from __future__ import annotations

import click

from .context import NEW_PASSPHRASE_ENV, passphrase, settings
from .output import say


def register(cli: click.Group) -> None:
    @cli.group(name="passphrase")
    def group() -> None:
        """Change or reset the passphrase of an encrypted workspace (no data is re-encrypted)."""

    @group.command()
    def change() -> None:
        """Set a new passphrase (the current one from the prompt or TAWTHIQ_PASSPHRASE, the new one from the
        prompt or TAWTHIQ_NEW_PASSPHRASE)."""
        from ..services.encryption import change_passphrase

        current = settings(unlock=False)
        _require_encrypted(current)
        old = passphrase("Current passphrase")
        new = passphrase("New passphrase", env=NEW_PASSPHRASE_ENV, confirm=True)
        change_passphrase(current, old=old, new=new)
        say("passphrase changed")

    @group.command()
    @click.option("--recovery-key", "recovery_key", prompt="Recovery key", hide_input=True,
                  help="The recovery key printed by 'tawthiq init --encrypt' (asked for when not given).")
    def reset(recovery_key: str) -> None:
        """Set a new passphrase with the recovery key (the new one from the prompt or TAWTHIQ_NEW_PASSPHRASE)."""
        from ..services.encryption import reset_passphrase

        current = settings(unlock=False)
        _require_encrypted(current)
        new = passphrase("New passphrase", env=NEW_PASSPHRASE_ENV, confirm=True)
        reset_passphrase(current, recovery_key=recovery_key, new=new)
        say("passphrase reset: the recovery key still works")


def _require_encrypted(current: object) -> None:
    from ..services.encryption import is_encrypted
    from .context import CliError

    if not is_encrypted(current):  # type: ignore[arg-type]
        raise CliError("this workspace is not encrypted (no key file in its data folder)")


def register_lock(cli: click.Group) -> None:
    @cli.command()
    @click.option("--wait", "wait_seconds", default=5.0, show_default=True, type=click.FloatRange(0, 600),
                  help="Seconds to wait for a running server to take the lock.")
    def lock(wait_seconds: float) -> None:
        """Lock an encrypted workspace: a running server ends every session, forgets the key and stops
        (no passphrase needed; one not running ends the sessions when it next starts)."""
        from ..services.locking import request_lock, wait_for
        from .context import cli_actor

        current = settings(unlock=False)
        _require_encrypted(current)
        target = request_lock(current.data_dir, actor=cli_actor())
        if wait_for(target, timeout=wait_seconds):
            say("locked: the server ended every session, forgot the key and stopped")
        else:
            say("lock asked: no server took it yet; every session ends when the server next starts (or when a "
                "running one sees it)")
