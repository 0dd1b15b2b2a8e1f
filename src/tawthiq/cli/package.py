"""CLI commands for evidence packages: ``package``, ``verify-package``, ``import-package``, ``key public``.

``verify-package`` opens no database and reads no settings: it is meant to
run wherever the bag is, with Tawthiq installed and nothing else.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..domain import IncidentStatus
from ..domain.ids import MAX_ID
from ..domain.profiles import PROFILES  # ids and limits the database can hold (64-bit)
from .context import CliError, cli_actor, parse_date, this_machine, workspace
from .output import say, say_text


def _read_pem(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


_key_option = click.option(
    "--key", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Public key (PEM from 'tawthiq key public') of the workspace that must have signed the package.")
_seals_head_option = click.option(
    "--seals-head", "seals_head", default=None, metavar="ID:HASH",
    help="The record-seal head published when the package was made (as 'tawthiq package' printed it; a bare "
         "HASH is taken too): the package must carry that one.")
_no_signature_option = click.option(
    "--no-signature-check", is_flag=True,
    help="Accept a package whose signature is missing or not checked (everything else is still checked).")


def register(cli: click.Group) -> None:
    @cli.group("key")
    def key_group() -> None:
        """The workspace's package-signing key (Ed25519, kept in the data folder, never printed)."""

    @key_group.command("public")
    @click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="File to write the public key to (must not exist); without it the PEM is printed.")
    def key_public(out: Path | None) -> None:
        """Give the public key recipients check packages with, and its fingerprint to compare by phone."""
        from ..services.packages import public_signing_key

        public = public_signing_key(workspace())
        if out is None:
            say_text(public.pem.decode("ascii").rstrip("\n"))
        else:
            try:
                with open(out, "xb") as handle:
                    handle.write(public.pem)
            except FileExistsError:
                raise CliError(f"{out} already exists; not written over") from None
            except OSError as exc:
                raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None
            say(f"public key written to {out}")
        # With the PEM on standard output the fingerprint goes to standard error, so '> key.pem' stays a key.
        say(f"fingerprint: {public.fingerprint}", err=out is None)

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
                  help="Also the named persons of these incidents (sensitive: never in an export; court only).")
    @click.option("--profile", "profile", type=click.Choice([p.name for p in PROFILES]), default="court",
                  show_default=True,
                  help="Audience (docs/packages.md): court (everything), partner (no names, authors or custody; "
                       "only shareable sources' texts) or public (public reviewed incidents only).")
    @click.option("--organization", default="", help="Source-Organization for bag-info.txt.")
    @click.option("--tsa-url", default=None, envvar="TAWTHIQ_TSA_URL", show_envvar=True,
                  help="RFC 3161 timestamp authority to date the manifest (the one network call).")
    @click.option("--tsa-cert", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  envvar="TAWTHIQ_TSA_CERT", show_envvar=True,
                  help="PEM with the TSA certificate and/or its chain, stored in the bag.")
    def package(out: Path, incident_ids: tuple[int, ...], source_ids: tuple[int, ...], event_type: str | None,
                status: str | None, place: str | None, date_from: str | None, date_to: str | None, reason: str,
                recipient: str, include_persons: bool, profile: str, organization: str, tsa_url: str | None,
                tsa_cert: Path | None) -> None:
        """Write a BagIt package of incidents and sources: originals, copies, metadata, custody, index.html.

        Each incident brings its sources, each source its incidents and working copies.
        """
        from ..domain.filters import IncidentFilter
        from ..services.packages import make_package

        ws = workspace()
        matching = None
        if any((event_type, status, place, date_from, date_to)):
            try:
                wanted = IncidentStatus(status) if status else None
            except ValueError:
                raise CliError(f"--status must be one of {', '.join(s.value for s in IncidentStatus)}") from None
            matching = IncidentFilter(event_type=event_type, status=wanted.value if wanted else None, place=place,
                                      date_from=parse_date(date_from, "--from"),
                                      date_to=parse_date(date_to, "--to-date"))
        result = make_package(ws, out=out, incident_ids=list(incident_ids), matching=matching,
                              source_ids=list(source_ids), actor=cli_actor(), machine=this_machine(), reason=reason,
                              to=recipient, organization=organization, tsa_url=tsa_url,
                              tsa_chain=_read_pem(tsa_cert), include_persons=include_persons,
                              profile=profile)
        say(f"package {result.package_id} ({profile} profile) written to {result.path}, signed by key "
            f"{result.key_fingerprint}")
        say(f"{result.originals} original(s), {result.derivatives} working cop(ies), {result.sources} "
                   f"source(s), {result.incidents} incident(s), {result.entries} custody entr(ies)"
                   f"{f', {result.imported} from earlier instances' if result.imported else ''}"
                   f"{'; manifest timestamped' if result.timestamped else ''}")
        if result.seals_head:
            say(f"record-seal head (publish it; readers check with verify-package --seals-head): {result.seals_head}")

    @cli.command("verify-package")
    @click.argument("bag", type=click.Path(path_type=Path))
    @click.option("--tsa-cert", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="PEM of the TSA certificate (or its root) to check the timestamp against.")
    @_key_option
    @_no_signature_option
    @_seals_head_option
    def verify_package(bag: Path, tsa_cert: Path | None, key: Path | None, no_signature_check: bool,
                       seals_head: str | None) -> None:
        """Check a package offline (no database): manifests, hashes, paths, custody chain, each source's
        text re-derived from its original, record-seal head, timestamp, signature.

        One line per problem, then a summary; exits 1 when anything is wrong.
        """
        from ..services.packages import verify_package as run

        report = run(bag, tsa_certificates=_read_pem(tsa_cert), public_key=_read_pem(key),
                     signature_check=not no_signature_check, seals_head=seals_head)
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
    @_key_option
    @_no_signature_option
    @_seals_head_option
    def import_package(bag: Path, reason: str, tsa_cert: Path | None, key: Path | None,
                       no_signature_check: bool, seals_head: str | None) -> None:
        """Check a package, then bring its originals, copies, records and custody into this instance."""
        from ..services.packages import import_package as run

        result = run(workspace(), path=bag, actor=cli_actor(), machine=this_machine(), reason=reason,
                     tsa_certificates=_read_pem(tsa_cert), public_key=_read_pem(key),
                     signature_check=not no_signature_check, seals_head=seals_head)
        say(f"package {result.package_id} from instance {result.origin} imported: "
                   f"{result.originals} new original(s), {result.derivatives} new working cop(ies), "
                   f"{result.sources} new source(s), {result.incidents} new incident(s), "
                   f"{result.entries} custody entr(ies) kept, {result.imported_entries} 'imported' entr(ies)")
