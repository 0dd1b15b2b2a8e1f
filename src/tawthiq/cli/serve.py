"""CLI command ``serve``: the web app and its JSON API. The only place the CLI reaches into ``web``.

The web package is imported inside :func:`serve_app`, when a server is
started (by ``serve``, or at the end of ``demo``), never when the CLI loads.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import click

from . import context
from .output import say

if TYPE_CHECKING:
    from ..settings import Settings


def serve_app(settings: Settings, *, host: str, port: int, workers: int = 1, trusted_proxies: str = "") -> None:
    """Run the web app until interrupted (shared with ``demo``).

    ``trusted_proxies``: addresses of a reverse proxy (TLS in front of the app) whose
    X-Forwarded-For is believed. Without it every client behind such a proxy has the proxy's
    address, and the sign-in limits per address would lock the whole team out together.
    """
    import uvicorn

    proxy = {"proxy_headers": bool(trusted_proxies), "forwarded_allow_ips": trusted_proxies or None}

    from ..services import Workspace
    from ..web.app import create_app

    if workers > 1 and settings.main_key is not None:
        # Each worker would build its app from the environment, and the key is never put there.
        from .context import CliError

        raise CliError("an encrypted workspace is served by one worker process: leave out --workers")
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
    if settings.main_key is not None:
        _watch_for_lock(app.state.ws)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False, **proxy)


def _watch_for_lock(ws: object) -> None:
    """An encrypted workspace's server: a lock asked while none ran ends the sessions now; one asked while
    it runs (``tawthiq lock``, the admin's button) ends them, makes it forget the key and stops it."""
    import os
    import signal

    from ..services.locking import end_sessions_if_asked, watch

    end_sessions_if_asked(ws)  # type: ignore[arg-type]
    # SIGINT is what Ctrl+C sends: uvicorn finishes the requests in flight and exits.
    watch(ws, on_lock=lambda: os.kill(os.getpid(), signal.SIGINT))  # type: ignore[arg-type]


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
        context.workspace()  # a clear error before the server starts
        if workers > 1 and context.settings().main_key is not None:
            raise context.CliError("an encrypted workspace is served by one worker process: leave out --workers")
        say(f"Tawthiq is running at http://{host}:{port}/ (Ctrl+C to stop)")
        serve_app(context.settings(), host=host, port=port, workers=workers, trusted_proxies=trusted_proxies.strip())
