"""CLI command ``redact``: a redacted working copy of a source, for sharing without endangering anyone."""
from __future__ import annotations

import click

from ..domain.ids import MAX_ID  # ids and limits the database can hold (64-bit)
from .context import cli_actor, workspace
from .output import say


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("source_id", type=click.IntRange(1, MAX_ID))
    @click.option("--box", "boxes", multiple=True, metavar="X,Y,W,H",
                  help="A rectangle to paint black, in pixels of the upright picture. Repeatable.")
    @click.option("--span", "spans", multiple=True, metavar="START:END",
                  help="Characters [START, END) of the source's extracted text to black out. Repeatable.")
    @click.option("--persons", is_flag=True,
                  help="Also black out every occurrence in the text of the persons named in the source's "
                       "incidents (literal matches: check the result).")
    @click.option("--format", "output", type=click.Choice(["auto", "png", "jpeg"]), default="auto",
                  show_default=True,
                  help="Image copies: auto keeps a lossless original lossless (PNG) and a photo a JPEG.")
    @click.option("--reason", required=True, help="Why this copy is made (kept in the custody ledger).")
    def redact(source_id: int, boxes: tuple[str, ...], spans: tuple[str, ...], persons: bool, output: str,
               reason: str) -> None:
        """Make a redacted working copy of SOURCE_ID; the original is never changed.

        Boxes paint over the picture (all metadata, GPS included, is dropped);
        spans black out text with "█", keeping every offset. The copy is
        listed with the source's other working copies, and its custody entry
        says who made it and why.
        """
        from ..services.redaction import redact_source, stored_path

        ws = workspace()
        copy = redact_source(ws, None, source_id=source_id, boxes=boxes, spans=spans, persons=persons,
                             output=output, reason=reason, actor=cli_actor())  # type: ignore[arg-type]
        hidden = (f"{len(copy.params.get('boxes', []))} box(es)" if "boxes" in copy.params
                  else f"{len(copy.params.get('spans', []))} span(s)")
        say(f"redacted copy {copy.id} of source {source_id} ({copy.media_type}, {copy.size} bytes, "
                   f"{hidden} hidden)")
        say(f"sha256 {copy.sha256}")
        say(f"stored {stored_path(ws, copy)}")
