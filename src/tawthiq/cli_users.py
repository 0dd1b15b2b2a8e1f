"""CLI commands for the web app: ``serve`` and ``users``.

The CLI acts as the machine's operator: whoever can run it against the
database can already read everything, so it may create the first admin.
"""
from __future__ import annotations

import sys
from typing import Any

import click

from .cli_output import say, say_fields

ROLES = click.Choice(["admin", "reviewer", "documenter", "viewer"])


def _cli() -> Any:
    from . import cli

    return cli


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def serve_app(settings: Any, *, host: str, port: int, workers: int = 1, trusted_proxies: str = "") -> None:
    """Run the web app until interrupted (shared with ``demo``).

    ``trusted_proxies``: addresses of a reverse proxy (TLS in front of the app) whose
    X-Forwarded-For is believed. Without it every client behind such a proxy has the proxy's
    address, and the sign-in limits per address would lock the whole team out together.
    """
    import uvicorn

    proxy = {"proxy_headers": bool(trusted_proxies), "forwarded_allow_ips": trusted_proxies or None}

    from .services import Workspace
    from .web.app import create_app

    if workers > 1:
        # Each worker process builds its own app from the environment.
        import os

        os.environ["TAWTHIQ_DATABASE_URL"] = settings.database_url
        os.environ["TAWTHIQ_DATA_DIR"] = str(settings.data_dir)
        Workspace.open(settings)  # fail here, in one line, if the database is not ready
        uvicorn.run("tawthiq.web.wsgi:app", host=host, port=port, workers=workers, log_level="warning",
                    access_log=False, server_header=False, **proxy)
        return
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False, **proxy)


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
    @click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
    @click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
                  help="Worker processes (a team server: about one per core).")
    @click.option("--trusted-proxy", "trusted_proxies", default="", metavar="ADDRESSES",
                  help="Comma-separated addresses of a reverse proxy whose X-Forwarded-For gives the client's "
                       "address (sign-in limits count per address). Default: trust none.")
    def serve(host: str, port: int, workers: int, trusted_proxies: str) -> None:
        """Run the web app for documenters (and the JSON API under /api)."""
        settings = _cli()._settings()
        _cli()._workspace(settings)  # a clear error before the server starts
        say(f"Tawthiq is running at http://{host}:{port}/ (Ctrl+C to stop)")
        serve_app(settings, host=host, port=port, workers=workers, trusted_proxies=trusted_proxies.strip())

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
        from .services import accounts

        ws = _cli()._workspace()
        password = accounts.one_time_password() if one_time else _read_password(password_stdin)
        user = accounts.create_user(ws, actor=None, username=username, password=password, role=role,
                                    display_name=display_name, must_change_password=one_time)
        say(f"created {user.username} ({user.role})")
        if one_time:
            say(f"one-time password: {password}")

    @users.command("list")
    def list_() -> None:
        """List accounts with their roles."""
        from .services import accounts

        for user in accounts.list_users(_cli()._workspace(), actor=None):
            state = "disabled" if user.disabled else "active"
            say_fields(user.username, user.role, state, user.display_name)

    @users.command("set-role")
    @click.argument("username")
    @click.argument("role", type=ROLES)
    @click.option("--comment", default="", help="Why (kept in the history).")
    def set_role(username: str, role: str, comment: str) -> None:
        """Change an account's role."""
        from .services import accounts

        user = accounts.set_role(_cli()._workspace(), actor=None, username=username, role=role, comment=comment)
        say(f"{user.username} is now {user.role}")

    @users.command("disable")
    @click.argument("username")
    @click.option("--comment", default="", help="Why (kept in the history).")
    def disable(username: str, comment: str) -> None:
        """Disable an account (it is kept, never deleted), end its sessions and revoke its API tokens."""
        from .services import accounts

        user = accounts.set_disabled(_cli()._workspace(), actor=None, username=username, disabled=True,
                                     comment=comment)
        say(f"{user.username} is disabled")

    @users.command("enable")
    @click.argument("username")
    def enable(username: str) -> None:
        """Enable a disabled account."""
        from .services import accounts

        user = accounts.set_disabled(_cli()._workspace(), actor=None, username=username, disabled=False)
        say(f"{user.username} is enabled")

    @users.command("reset-password")
    @click.argument("username")
    def reset_password(username: str) -> None:
        """Give an account a one-time password (to be changed at next login); ends its sessions and
        revokes its API tokens."""
        from .services import accounts

        password = accounts.one_time_password()
        user = accounts.reset_password(_cli()._workspace(), actor=None, username=username, password=password)
        say(f"one-time password for {user.username}: {password}")

    @users.command("unlock")
    @click.argument("username")
    @click.option("--comment", default="", help="Why (kept in the history).")
    def unlock(username: str, comment: str) -> None:
        """Let an account locked by failed sign-ins sign in again now, from every address."""
        from .services import accounts

        cleared = accounts.unlock(_cli()._workspace(), actor=None, username=username, comment=comment)
        say(f"{accounts.normalise_username(username)} is unlocked ({cleared} recent failed sign-ins set aside)")
