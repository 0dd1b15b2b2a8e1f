"""The ``tawthiq`` command line. Thin: every command calls a service function.

Errors are one line on stderr with a non-zero exit code; a traceback is a bug.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from .cli_output import say, say_json
from .domain.printable import escaped_line
from .settings import Settings

LIST_FORMATS = click.Choice(["table", "json", "csv"])


class CliError(click.ClickException):
    def show(self, file: Any = None) -> None:
        say(f"error: {self.format_message()}", err=True)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ValueError as exc:
        raise CliError(str(exc)) from exc


def _workspace(settings: Settings | None = None):
    from .services import Workspace

    return Workspace.open(settings or _settings())


def _parse_date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CliError(f"{name} must be a date like 2015-01-31, not {value!r}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tawthiq")
def cli() -> None:
    """Tawthiq: document human-rights violations from reports, in Arabic and English.

    The database comes from TAWTHIQ_DATABASE_URL (default sqlite:///tawthiq.db);
    stored originals go under TAWTHIQ_DATA_DIR (default: beside the database).
    """


@cli.command()
def init() -> None:
    """Create or upgrade the database and the originals store."""
    from .services import init_workspace

    settings = _settings()
    init_workspace(settings)
    say(f"database ready: {settings.database_url}")
    say(f"originals stored under: {settings.data_dir}")


def _parse_mapping(pairs: tuple[str, ...]):
    if not pairs:
        return None
    from .ingest.errors import IngestError
    from .ingest.records import ColumnMapping

    try:
        return ColumnMapping.parse(pairs)
    except IngestError as exc:
        raise CliError(str(exc)) from exc


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--map", "mapping", multiple=True, metavar="FIELD=COLUMN",
              help="Column mapping for CSV/JSON batches, e.g. --map text=body --map published=date.")
@click.option("--quiet", is_flag=True, help="Print only failures and the summary.")
@click.option("--reason", default="", help="Why these files are taken in; kept in each one's custody entry.")
def ingest(paths: tuple[Path, ...], mapping: tuple[str, ...], quiet: bool, reason: str) -> None:
    """Ingest report files or folders (recursively), extracting suggested incidents."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .ingest.pipeline import iter_input_files
    from .services.ingest import ingest_files as run_ingest
    from .store.custody import cli_actor

    ws = _workspace()
    column_mapping = _parse_mapping(mapping)
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    for p in missing:
        say(f"failed  {p}: no such file or folder", err=True)
    files = list(iter_input_files([p for p in paths if p not in missing]))
    counts = {"new": 0, "duplicate": 0, "failed": len(missing), "partial": 0}
    incidents = 0
    show_bar = len(files) > 20 and sys.stderr.isatty()
    progress = Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        disable=not show_bar, transient=True)

    with progress:
        task = progress.add_task("ingest", total=len(files))

        def report(result: Any) -> None:
            nonlocal incidents
            counts[result.status] = counts.get(result.status, 0) + 1
            incidents += result.incidents
            progress.advance(task)
            if result.error:
                failure = f"{result.status:<8}{result.path}: {result.error}"
                progress.console.print(escaped_line(failure), markup=False, highlight=False, style=None,
                                       stderr=True) if show_bar else say(failure, err=True)
            for note in getattr(result, "notes", []):
                say(f"note    {result.path}: {note}", err=True)
            if not result.error and not quiet:
                line = f"{result.status:<8}{result.path}"
                if result.status == "new":
                    line += f"  ({len(result.source_ids)} source(s), {result.incidents} suggested incident(s))"
                progress.console.print(escaped_line(line), markup=False, highlight=False) if show_bar else say(line)

        run_ingest(ws, files, mapping=column_mapping, on_result=report, actor=cli_actor(), reason=reason.strip())
    say(
        f"{counts['new']} new, {counts['duplicate']} already stored, "
        f"{counts['failed'] + counts.get('partial', 0)} failed; {incidents} suggested incident(s)"
    )
    if counts["failed"] or counts.get("partial"):
        sys.exit(1)


@cli.command()
@click.option("--jsonl", is_flag=True, help="Batch mode: JSON Lines reports on stdin, one result per line on stdout.")
@click.option("--language", type=click.Choice(["en", "ar"]), default=None, help="Language of FILES (default: detect).")
@click.option("--published", default=None, help="Publication date of FILES (YYYY-MM-DD), for relative dates.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
def extract(jsonl: bool, language: str | None, published: str | None, files: tuple[Path, ...]) -> None:
    """Extract incidents from report text, without storing anything.

    With --jsonl, follows the extraction contract (one JSON object per input
    line). Otherwise reads plain-text FILES (or stdin) and prints one JSON
    object per file.
    """
    from .extract.contract import default_extractor, incident_to_contract, run_jsonl

    if jsonl:
        failures = run_jsonl(sys.stdin, sys.stdout)
        sys.exit(1 if failures else 0)
    pub = _parse_date(published, "--published")
    extractor = default_extractor()
    inputs = [(str(f), f) for f in files] or [("-", None)]
    failed = 0
    for name, path in inputs:
        try:
            text = sys.stdin.read() if path is None else path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            say(f"error: {name}: cannot read as UTF-8 text ({type(exc).__name__})", err=True)
            failed += 1
            continue
        incidents = extractor.extract(text, language=language, published=pub)
        say_json(json.dumps({"id": name, "incidents": [incident_to_contract(i) for i in incidents]},
                            ensure_ascii=False))
    sys.exit(1 if failed else 0)


from . import cli_records  # noqa: E402  (registers incidents/sources/search/export/demo)

cli_records.register(cli)

from . import cli_users  # noqa: E402  (registers serve/users)

cli_users.register(cli)

from . import cli_evidence  # noqa: E402  (registers verify)

cli_evidence.register(cli)

from . import cli_package  # noqa: E402  (registers package/verify-package/import-package)

cli_package.register(cli)

from . import cli_telegram  # noqa: E402  (registers telegram)

cli_telegram.register(cli)

from . import cli_capture  # noqa: E402  (registers capture)

cli_capture.register(cli)

from . import cli_redact  # noqa: E402  (registers redact)

cli_redact.register(cli)


def main() -> None:
    from .services import ServiceError

    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        say("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ServiceError as exc:
        say(f"error: {exc}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        say("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # the promise is one line, never a traceback
        first = (str(exc).strip().splitlines() or [""])[0]
        say(f"error: {type(exc).__name__}: {first}", err=True)
        sys.exit(1)
