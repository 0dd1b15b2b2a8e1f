"""CLI commands for evidence packages: ``package``, ``verify-package``, ``import-package``.

``verify-package`` opens no database and reads no settings: it is meant to
run wherever the bag is, with Tawthiq installed and nothing else.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .cli_output import say
from .domain.ids import MAX_ID  # ids and limits the database can hold (64-bit)


def _cli() -> Any:
    from . import cli

    return cli


def _read_pem(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _cli().CliError(f"cannot read {path}: {exc.strerror or exc}") from None


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("-o", "--out", "out", required=True, type=click.Path(path_type=Path),
                  help="Folder to create for the bag (must not exist).")
    @click.option("--incident", "incident_ids", multiple=True, type=click.IntRange(1, MAX_ID),
                  help="Incident id (repeatable).")
    @click.option("--source", "source_ids", multiple=True, type=click.IntRange(1, MAX_ID),
                  help="Source id (repeatable).")
    @click.option("--event-type", default=None, help="Also every incident of this event type...")
    @click.option("--status", default=None, help="...with this status (suggested, confirmed, verified, ...)...")
    @click.option("--place", default=None, help="...at this place...")
    @click.option("--from", "date_from", default=None, help="...on or after this date (YYYY-MM-DD)...")
    @click.option("--to-date", "date_to", default=None, help="...and on or before this date.")
    @click.option("--reason", default="", help="Why the package is made (kept in the custody ledger).")
    @click.option("--to", "recipient", default="", help="Recipient: records a transfer, not only an export.")
    @click.option("--include-persons", is_flag=True,
                  help="Also the named persons of these incidents (sensitive: never in an export).")
    @click.option("--organization", default="", help="Source-Organization for bag-info.txt.")
    @click.option("--tsa-url", default=None, envvar="TAWTHIQ_TSA_URL", show_envvar=True,
                  help="RFC 3161 timestamp authority to date the manifest (the one network call).")
    @click.option("--tsa-cert", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  envvar="TAWTHIQ_TSA_CERT", show_envvar=True,
                  help="PEM with the TSA certificate and/or its chain, stored in the bag.")
    def package(out: Path, incident_ids: tuple[int, ...], source_ids: tuple[int, ...], event_type: str | None,
                status: str | None, place: str | None, date_from: str | None, date_to: str | None, reason: str,
                recipient: str, include_persons: bool, organization: str, tsa_url: str | None,
                tsa_cert: Path | None) -> None:
        """Write a BagIt package of incidents and sources: originals, copies, metadata, custody, index.html.

        Each incident brings its sources, each source its incidents and working copies.
        """
        from .domain import IncidentStatus
        from .domain.filters import IncidentFilter
        from .services import list_incidents
        from .services.packages import make_package
        from .store.custody import cli_actor, this_machine

        c = _cli()
        ws = c._workspace()
        ids = list(incident_ids)
        if any((event_type, status, place, date_from, date_to)):
            try:
                wanted = IncidentStatus(status) if status else None
            except ValueError:
                raise c.CliError(f"--status must be one of {', '.join(s.value for s in IncidentStatus)}") from None
            filters = IncidentFilter(event_type=event_type, status=wanted.value if wanted else None, place=place,
                                     date_from=c._parse_date(date_from, "--from"),
                                     date_to=c._parse_date(date_to, "--to-date"))
            found = list_incidents(ws, filters=filters)
            if not found:
                raise c.CliError("no incident matches the filters given")
            ids += [i.id for i in found if i.id is not None]
        result = make_package(ws, out=out, incident_ids=ids, source_ids=list(source_ids),
                              actor=cli_actor(), machine=this_machine(), reason=reason, to=recipient,
                              organization=organization, tsa_url=tsa_url, tsa_chain=_read_pem(tsa_cert),
                              include_persons=include_persons)
        say(f"package {result.package_id} written to {result.path}")
        say(f"{result.originals} original(s), {result.derivatives} working cop(ies), {result.sources} "
                   f"source(s), {result.incidents} incident(s), {result.entries} custody entr(ies)"
                   f"{f', {result.imported} from earlier instances' if result.imported else ''}"
                   f"{'; manifest timestamped' if result.timestamped else ''}")

    @cli.command("verify-package")
    @click.argument("bag", type=click.Path(path_type=Path))
    @click.option("--tsa-cert", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="PEM of the TSA certificate (or its root) to check the timestamp against.")
    def verify_package(bag: Path, tsa_cert: Path | None) -> None:
        """Check a package offline (no database): manifests, hashes, custody chain, timestamp.

        One line per problem, then a summary; exits 1 when anything is wrong.
        """
        from .services.packages import verify_package as run

        report = run(bag, tsa_certificates=_read_pem(tsa_cert))
        for problem in report.problems:
            say(problem)
        for note in report.notes:
            say(f"note: {note}")
        say(report.summary())
        sys.exit(0 if report.ok else 1)

    @cli.command("import-package")
    @click.argument("bag", type=click.Path(path_type=Path))
    @click.option("--reason", default="", help="Why it is imported (kept in the custody ledger).")
    @click.option("--tsa-cert", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="PEM of the TSA certificate (or its root) to check the timestamp against.")
    def import_package(bag: Path, reason: str, tsa_cert: Path | None) -> None:
        """Check a package, then bring its originals, copies, records and custody into this instance."""
        from .services.packages import import_package as run
        from .store.custody import cli_actor, this_machine

        ws = _cli()._workspace()
        result = run(ws, path=bag, actor=cli_actor(), machine=this_machine(), reason=reason,
                     tsa_certificates=_read_pem(tsa_cert))
        say(f"package {result.package_id} from instance {result.origin} imported: "
                   f"{result.originals} new original(s), {result.derivatives} new working cop(ies), "
                   f"{result.sources} new source(s), {result.incidents} new incident(s), "
                   f"{result.entries} custody entr(ies) kept, {result.imported_entries} 'imported' entr(ies)")
