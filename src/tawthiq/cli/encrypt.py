"""CLI command ``encrypt``: make an encrypted copy of a workspace that began in the clear."""
from __future__ import annotations

from pathlib import Path

import click

from .context import cli_actor, passphrase, settings, this_machine
from .output import say


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--to", "to", required=True, type=click.Path(file_okay=False, path_type=Path),
                  help="A new or empty folder for the encrypted workspace (its database and data folder).")
    def encrypt(to: Path) -> None:
        """Copy this plain SQLite workspace into a new encrypted one at --to (passphrase asked for twice, or
        TAWTHIQ_PASSPHRASE; prints a recovery key once). The plain workspace is left as it is."""
        from ..services.encrypt_existing import check_convertible, encrypt_workspace

        current = settings(unlock=False)
        check_convertible(current, to=to)  # refused before a passphrase is asked for
        made = encrypt_workspace(current, to=to, passphrase=passphrase("New passphrase", confirm=True),
                                 actor=cli_actor(), machine=this_machine())
        say(f"encrypted workspace made: {made.originals} original(s) and {made.working_copies} working "
            f"cop{'y' if made.working_copies == 1 else 'ies'} sealed, "
            f"{sum(made.counts.values())} row(s) in {len(made.counts)} table(s)")
        say(f"verify: {made.verify_summary}")
        say(f"database (encrypted): {made.database_url}")
        say(f"data folder (encrypted): {made.data_dir}")
        say()
        say(f"Recovery key: {made.recovery_key}")
        say("Write it down and keep it apart from this computer. It is shown only this once; with it, "
            "'tawthiq passphrase reset --recovery-key' sets a new passphrase. Without passphrase or "
            "recovery key, nobody can read the encrypted workspace again.")
        say()
        say("Use the new workspace from now on:")
        say(f"  export TAWTHIQ_DATABASE_URL={made.database_url}")
        say("The plain workspace is left as it was. Once you have checked the new one, remove the plain one:")
        plain = made.plain_database
        say(f"  rm -rf {plain} {plain}-wal {plain}-shm {made.plain_data_dir}")
        say("Caveat: deleting files does not erase them everywhere. On SSDs and flash memory, journaling or "
            "copy-on-write file systems, snapshots and backups, copies of the plain workspace may stay "
            "recoverable. Full-disk encryption (LUKS, BitLocker, FileVault) is what protects against that; "
            "see docs/encryption.md.")
