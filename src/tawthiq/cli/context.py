"""What every command shares: settings and the workspace, one-line errors, who runs the command.

Settings are read from the environment here, at the edge, once per
command; the workspace is opened from them on first use, kept for the
rest of the command and closed with it. Both wait until asked for, so a
command that needs neither (``extract``, ``verify-package``) reads no
settings and imports nothing of the store.

A failure a service reports (:class:`~tawthiq.services.errors.ServiceError`)
or an input refused by ingest (:class:`~tawthiq.domain.errors.IngestError`)
becomes one ``error: …`` line on stderr and exit code 1, both through the
``tawthiq`` entry point and when the group is invoked in process.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from .output import say

if TYPE_CHECKING:
    from ..services import Workspace
    from ..settings import Settings


class CliError(click.ClickException):
    """A one-line failure: ``error: MESSAGE`` on stderr, exit code 1."""

    def show(self, file: Any = None) -> None:
        say(f"error: {self.format_message()}", err=True)


class CommandLine(click.Group):
    """The root group: turns a service's or ingest's refusal into a :class:`CliError`."""

    def invoke(self, ctx: click.Context) -> Any:
        # Imported when needed: the services package must not load for --help or verify-package.
        from ..domain.errors import IngestError

        try:
            return super().invoke(ctx)
        except IngestError as error:
            raise CliError(str(error)) from None
        except Exception as error:
            from ..services.errors import ServiceError

            if isinstance(error, ServiceError):
                raise CliError(str(error)) from None
            raise


@dataclass(slots=True)
class _Invocation:
    """What one command has opened so far."""

    settings: Settings | None = None
    workspace: Workspace | None = None


def _invocation() -> _Invocation:
    # click's ``meta`` is one dict shared by the contexts of one invocation (root group and command),
    # and a new one for the next invocation, so nothing outlives the command.
    meta = click.get_current_context().meta
    return meta.setdefault("tawthiq.invocation", _Invocation())  # type: ignore[no-any-return]


def settings(*, unlock: bool = True) -> Settings:
    """The settings from the environment, read once per command; a bad value is one line.

    For an encrypted workspace (its data folder has a key file) the
    passphrase is asked for here, once (or read from TAWTHIQ_PASSPHRASE), and
    the unwrapped main key travels inward in the settings. ``unlock=False``
    is for the commands that handle the key file themselves.
    """
    from ..settings import Settings

    current = _invocation()
    if current.settings is None:
        try:
            current.settings = Settings.from_env()
        except ValueError as exc:
            raise CliError(str(exc)) from exc
    if unlock and current.settings.main_key is None:
        from ..services.encryption import is_encrypted
        from ..services.encryption import unlock as unlock_with

        if is_encrypted(current.settings):
            current.settings = unlock_with(current.settings, passphrase=passphrase("Passphrase"))
    return current.settings


PASSPHRASE_ENV = "TAWTHIQ_PASSPHRASE"
NEW_PASSPHRASE_ENV = "TAWTHIQ_NEW_PASSPHRASE"


def passphrase(prompt: str, *, env: str = PASSPHRASE_ENV, confirm: bool = False) -> str:
    """A passphrase from ``env`` (scripts) or typed at the terminal, never echoed; none is one line."""
    import os
    import sys

    given = os.environ.get(env)
    if given:
        return given
    if not sys.stdin.isatty():
        raise CliError(f"this workspace needs a passphrase: type it at a terminal or set {env}")
    import getpass

    try:
        typed = getpass.getpass(f"{prompt}: ")
        if confirm and getpass.getpass(f"{prompt} (again): ") != typed:
            raise CliError("the two passphrases differ")
    except (EOFError, KeyboardInterrupt):
        raise CliError("no passphrase given") from None
    return typed


def workspace() -> Workspace:
    """The workspace of this command, opened once from :func:`settings`."""
    from ..services import Workspace

    current = _invocation()
    if current.workspace is None:
        current.workspace = opened = Workspace.open(settings())
        # The database's connections end with the command (they matter when it runs in process).
        click.get_current_context().find_root().call_on_close(opened.db.dispose)  # type: ignore[attr-defined]
    return current.workspace


def cli_actor() -> str:
    """Who runs the command, for the custody ledger: the operating-system account (no sign-in here)."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry (containers)
        return "cli:unknown"


def this_machine() -> str:
    """The host the command runs on, for the custody ledger."""
    from ..services.custody import this_machine as host  # lazily: the store brings SQLAlchemy

    return host()


def parse_date(value: str | None, name: str) -> date | None:
    """An ISO date option (``name`` is the option, for the message); empty means none."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"{name} must be a date like 2015-01-31, not {value!r}") from None
