"""CLI command ``capture``: save a web page as evidence (the only command that uses the network)."""
from __future__ import annotations

from pathlib import Path

import click

from .context import CliError, cli_actor, workspace
from .output import say


def register(cli: click.Group) -> None:
    @cli.command()
    @click.argument("url")
    @click.option("--reason", default="", help="Why this page is captured; kept in the custody ledger.")
    @click.option("--ca-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Also trust this CA certificate (PEM), for a site with a private CA.")
    @click.option("--insecure", is_flag=True,
                  help="Do not verify the TLS certificate; the certificate is still kept, and this is recorded.")
    @click.option("--no-screenshot", is_flag=True, help="Do not take a chromium screenshot.")
    @click.option("--timeout", type=click.FloatRange(min=0.1, max=3600), default=60.0, show_default=True,
                  metavar="SECONDS", help="Time allowed for each response, and for the screenshot.")
    @click.option("--allow-private", is_flag=True,
                  help="Also reach loopback, private, link-local and other non-public addresses (page, redirects"
                       " and the screenshot's requests); refused by default.")
    @click.option("--allow-address", "allow_addresses", multiple=True, metavar="IP:PORT",
                  help="Reach this one non-public address and port (repeatable), everything else non-public"
                       " still refused; e.g. 10.0.0.5:80 for one intranet server.")
    def capture(url: str, reason: str, ca_file: Path | None, insecure: bool, no_screenshot: bool,
                timeout: float, allow_private: bool, allow_addresses: tuple[str, ...]) -> None:
        """Capture URL: its body as an original, plus WARC, headers, TLS certificate and screenshot."""
        from ..services.capture import CaptureError, CaptureOptions, parse_allowed
        from ..services.capture import capture as run_capture

        if ca_file is not None and insecure:
            raise CliError("use either --ca-file or --insecure, not both")
        try:
            allowed = parse_allowed(allow_addresses)
        except ValueError as error:
            raise CliError(str(error)) from None
        ws = workspace()
        options = CaptureOptions(reason=reason, ca_file=ca_file, insecure=insecure, screenshot=not no_screenshot,
                                 timeout=timeout, allow_private=allow_private, allowed_addresses=allowed)
        try:
            result = run_capture(ws, url, options=options, actor=cli_actor())
        except CaptureError as error:
            hint = " (--allow-private to capture it anyway)" if error.key == "refused_address" else ""
            raise CliError(f"{error}{hint}") from None
        hops = f", after {result.redirects} redirect(s)" if result.redirects else ""
        say(f"captured {result.final_url} (HTTP {result.http_status}{hops})")
        say(f"source {result.source_id} ({result.status}), sha256 {result.sha256}"
                   + (f", {result.incidents} suggested incident(s)" if result.incidents else ""))
        for line in result.stored:
            say(f"stored  {line}")
        for note in result.notes:
            say(f"note    {note}")
