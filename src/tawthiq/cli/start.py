"""CLI commands that make a workspace: ``init`` (the database and the originals store) and ``demo``."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .context import passphrase, settings
from .output import emit, say
from .reading import incident_row


def _command_name() -> str:
    """How the user can run this command again from the current folder."""
    exe = Path(sys.argv[0])
    if exe.name != "tawthiq":
        return "tawthiq"
    try:
        return str(exe.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(exe)


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--encrypt", is_flag=True,
                  help="Make a new workspace encrypted at rest under a passphrase (asked for, or TAWTHIQ_PASSPHRASE); "
                       "prints a recovery key once.")
    def init(encrypt: bool) -> None:
        """Create or upgrade the database and the originals store."""
        from ..services import init_workspace

        if encrypt:
            from ..services.encryption import init_encrypted

            made = init_encrypted(settings(unlock=False), passphrase=passphrase("New passphrase", confirm=True))
            current = made.workspace.settings
            made.workspace.db.dispose()
            say(f"database ready (encrypted): {current.database_url}")
            say(f"originals stored under (encrypted): {current.data_dir}")
            say()
            say(f"Recovery key: {made.recovery_key}")
            say("Write it down and keep it apart from this computer. It is shown only this once; with it, "
                "'tawthiq passphrase reset --recovery-key' sets a new passphrase. Without passphrase or "
                "recovery key, nobody can read this workspace again.")
            return
        current = settings()
        init_workspace(current).db.dispose()
        say(f"database ready: {current.database_url}")
        say(f"originals stored under: {current.data_dir}")

    @cli.command()
    @click.argument("samples", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.option("--dir", "workdir", type=click.Path(file_okay=False, path_type=Path), default=Path("demo"),
                  show_default=True, help="Folder for the demo database and originals (kept between runs).")
    @click.option("--fresh", is_flag=True, help="Start again: empty the demo folder and ingest the samples anew.")
    @click.option("--serve/--no-serve", default=True, show_default=True,
                  help="Start the web app on the demo data when done.")
    @click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
    def demo(samples: Path, workdir: Path, fresh: bool, serve: bool, port: int) -> None:
        """SQLite demo: ingest SAMPLES (or keep an earlier demo's work), print the incidents, open the web app."""
        from ..services.demo import make_demo

        made = make_demo(samples=samples, workdir=workdir, fresh=fresh,
                         passphrase=lambda: passphrase("Passphrase of the demo workspace"))
        say(f"Demo database: {made.database}")
        if made.kept:
            say("  kept the earlier demo's work (--fresh starts again from the samples)")
        for r in made.ingested:
            status = f"{r.status}: {r.error}" if r.error else f"{len(r.source_ids)} source(s), {r.incidents} incident(s)"
            say(f"  ingested {r.path.name}: {status}")
        found = made.incidents
        say()  # blank lines apart: say() escapes a line break inside a line (a file name could forge one)
        say(f"{len(found)} incident(s):" if made.kept else f"{len(found)} suggested incident(s):")
        say()
        compact = ("id", "event_type", "perpetrators", "place", "date", "victims", "source_id")
        emit([{k: row[k] for k in compact} for row in map(incident_row, found)], fmt="table", title="incidents")
        say()
        say(f"Explore it: TAWTHIQ_DATABASE_URL={made.settings.database_url} {_command_name()} "
            f"incidents show {found[0].id if found else 1}")
        say()
        if made.password:
            say(f"Web app: http://127.0.0.1:{port}/  user: {made.admin}  one-time password: {made.password}")
            say("(you will be asked to choose your own password at first sign-in)")
        else:
            say(f"Web app: http://127.0.0.1:{port}/  user: {made.admin}  (the password you chose)")
        if serve:
            from .serve import serve_app

            say("Press Ctrl+C to stop.")
            serve_app(made.settings, host="127.0.0.1", port=port)
