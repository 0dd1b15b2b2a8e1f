"""CLI commands ``users``: accounts of the web app and the API.

The CLI acts as the machine's operator: whoever can run it against the
database can already read everything, so it may create the first admin.
"""
from __future__ import annotations

import sys

import click

from .context import workspace
from .output import say, say_fields

ROLES = click.Choice(["admin", "reviewer", "documenter", "viewer"])


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def register(cli: click.Group) -> None:
    @cli.group()
    def users() -> None:
        """Manage accounts: add, list, disable, enable, set-role, reset-password, unlock."""

    @users.command("add")
    @click.argument("username")
    @click.option("--role", type=ROLES, required=True)
    @click.option("--name", "display_name", default="", help="Name shown in the app and the history.")
    @click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
    @click.option("--one-time", is_flag=True, help="Generate a password to be changed at first login.")
    def add(username: str, role: str, display_name: str, password_stdin: bool, one_time: bool) -> None:
        """Create an account."""
        from ..services import accounts

        ws = workspace()
        password = accounts.one_time_password(username=username) if one_time else _read_password(password_stdin)
        user = accounts.create_user(ws, actor=None, username=username, password=password, role=role,
                                    display_name=display_name, must_change_password=one_time)
        say(f"created {user.username} ({user.role})")
        if one_time:
            say(f"one-time password: {password}")

    @users.command("list")
    def list_() -> None:
        """List accounts with their roles."""
        from ..services import accounts

        for user in accounts.list_users(workspace(), actor=None):
            state = "disabled" if user.disabled else "active"
            say_fields(user.username, user.role, state, user.display_name)

    @users.command("set-role")
    @click.argument("username")
    @click.argument("role", type=ROLES)
    @click.option("--comment", default="", help="Why (kept in the history).")
    def set_role(username: str, role: str, comment: str) -> None:
        """Change an account's role."""
        from ..services import accounts

        user = accounts.set_role(workspace(), actor=None, username=username, role=role, comment=comment)
        say(f"{user.username} is now {user.role}")

    @users.command("disable")
    @click.argument("username")
    @click.option("--comment", default="", help="Why (kept in the history).")
    def disable(username: str, comment: str) -> None:
        """Disable an account (it is kept, never deleted), end its sessions and revoke its API tokens."""
        from ..services import accounts

        user = accounts.set_disabled(workspace(), actor=None, username=username, disabled=True,
                                     comment=comment)
        say(f"{user.username} is disabled")

    @users.command("enable")
    @click.argument("username")
    def enable(username: str) -> None:
        """Enable a disabled account."""
        from ..services import accounts

        user = accounts.set_disabled(workspace(), actor=None, username=username, disabled=False)
        say(f"{user.username} is enabled")

    @users.command("reset-password")
    @click.argument("username")
    def reset_password(username: str) -> None:
        """Give an account a one-time password (to be changed at next login); ends its sessions and
        revokes its API tokens."""
        from ..services import accounts

        password = accounts.one_time_password(username=username)
        user = accounts.reset_password(workspace(), actor=None, username=username, password=password)
        say(f"one-time password for {user.username}: {password}")

    @users.command("unlock")
    @click.argument("username")
    @click.option("--comment", default="", help="Why (kept in the history).")
    def unlock(username: str, comment: str) -> None:
        """Let an account locked by failed sign-ins sign in again now, from every address."""
        from ..services import accounts

        cleared = accounts.unlock(workspace(), actor=None, username=username, comment=comment)
        say(f"{accounts.normalise_username(username)} is unlocked ({cleared} recent failed sign-ins set aside)")
