"""CLI commands ``backup create | verify | restore``: encrypted backups (services.backups).

Secrets never come from argv (other users can read it in ps): a passphrase
is read from the environment variable named by --passphrase-env, an age
identity from a file.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .context import CliError, cli_actor, this_machine, workspace
from .output import say

_PASSPHRASE_HELP = "Name of the environment variable holding the passphrase (never the passphrase itself)."


def _passphrase(variable: str | None) -> str | None:
    if variable is None:
        return None
    value = os.environ.get(variable, "")
    if not value:
        raise CliError(f"the environment variable {variable} is not set or empty")
    return value


def register(cli: click.Group) -> None:
    @cli.group()
    def backup() -> None:
        """Encrypted backups of the whole workspace: the record, the originals, the working copies."""

    @backup.command("create")
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="The backup file to write (must not exist yet).")
    @click.option("--recipient", "recipients", multiple=True, metavar="AGE1…",
                  help="An age X25519 public key to encrypt to. Repeatable.")
    @click.option("--passphrase-env", metavar="VAR", default=None, help=_PASSPHRASE_HELP)
    @click.option("--incremental-from", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
                  help="An earlier backup: the originals it (or its chain) holds are left out.")
    @click.option("--identity", "identities", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="An age identity file to open the --incremental-from backup with.")
    def create(output: Path, recipients: tuple[str, ...], passphrase_env: str | None,
               incremental_from: Path | None, identities: tuple[Path, ...]) -> None:
        """Write one encrypted file holding the database, the originals, the working copies and a manifest."""
        from ..services import backups

        if not recipients and passphrase_env is None:
            raise CliError("give at least one --recipient or --passphrase-env: a backup is never written in clear")
        secret = _passphrase(passphrase_env)
        keys = backups.keys(recipients=recipients, passphrase=secret)
        opener = backups.keys(identity_files=identities, passphrase=secret)
        made = backups.create(workspace(), output=output, keys=keys, actor=cli_actor(), machine=this_machine(),
                              previous=incremental_from, previous_keys=opener)
        manifest = made.manifest
        rows = sum(manifest["tables"].values())
        say(f"backup {manifest['backup_id']} written to {made.path}: {rows} rows in {len(manifest['tables'])} "
            f"tables, {len(manifest['blobs']) - made.left_out} file(s) stored, {made.left_out} left to the "
            f"earlier backup(s)")

    @backup.command("verify")
    @click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
    @click.option("--identity", "identities", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="An age identity file (AGE-SECRET-KEY-1…). Repeatable.")
    @click.option("--passphrase-env", metavar="VAR", default=None, help=_PASSPHRASE_HELP)
    def verify(file: Path, identities: tuple[Path, ...], passphrase_env: str | None) -> None:
        """Decrypt FILE as a stream and check every member against its manifest, writing nothing."""
        from ..services import backups

        result = backups.verify(file, keys=backups.keys(identity_files=identities,
                                                        passphrase=_passphrase(passphrase_env)))
        say(f"OK: backup {result.header['backup_id']} of {result.header['created_at']}, "
            f"{sum(result.rows.values())} rows, {result.blobs} file(s), every hash matches the manifest")

    @backup.command("restore")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
    @click.option("--to", "target", required=True, type=click.Path(file_okay=False, path_type=Path),
                  help="An empty (or new) directory to restore into.")
    @click.option("--identity", "identities", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="An age identity file (AGE-SECRET-KEY-1…). Repeatable.")
    @click.option("--passphrase-env", metavar="VAR", default=None, help=_PASSPHRASE_HELP)
    @click.option("--database-url", default=None,
                  help="Restore the record into this (empty) database instead of a SQLite file in --to.")
    def restore(files: tuple[Path, ...], target: Path, identities: tuple[Path, ...], passphrase_env: str | None,
                database_url: str | None) -> None:
        """Restore FILES (a full backup, then its incrementals, oldest first) and run the checks of verify."""
        from ..services import backups

        keys = backups.keys(identity_files=identities, passphrase=_passphrase(passphrase_env))
        result = backups.restore(list(files), to=target, keys=keys, database_url=database_url)
        for problem in result.count_problems() + result.report.problems:
            say(problem)
        say(f"restored backup {result.manifest['backup_id']}: database {result.database_url}, "
            f"originals under {result.data_dir}")
        say(result.report.summary())
        sys.exit(0 if result.ok else 1)
