"""CLI command ``publish``: the record for an audience as a Datasette-ready database and a static site."""
from __future__ import annotations

from pathlib import Path

import click

from .context import cli_actor, this_machine, workspace
from .output import say


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--profile", default="public", show_default=True,
                  help="The audience (a profile of docs/publishing.md); only 'public' may be published.")
    @click.option("-o", "--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
                  help="Folder to create (must be new or empty unless --force).")
    @click.option("--licence", default="CC BY 4.0", show_default=True, help="Licence of the published data.")
    @click.option("--title", default="", help="Title of the publication (metadata.json).")
    @click.option("--source", default="", help="Who publishes it (metadata.json's source).")
    @click.option("--source-url", default="", help="Where the group can be found (metadata.json's source_url).")
    @click.option("--force", is_flag=True, help="Replace a folder that is not empty.")
    def publish(profile: str, out: Path, licence: str, title: str, source: str, source_url: str,
                force: bool) -> None:
        """Publish public, reviewed incidents: DIR/data/tawthiq.db, DIR/data/metadata.json and DIR/site/."""
        from ..services.publishing import publish as run

        result = run(workspace(), profile=profile, out=out, actor=cli_actor(), machine=this_machine(),
                     licence=licence, title=title, source=source, source_url=source_url, force=force)
        say(f"published {result.incidents} incident(s) to {result.folder} (database sha256 {result.sha256})")
