"""The ``tawthiq`` root group and its entry point. Thin: every command parses, calls a service, renders.

Errors are one line on stderr with a non-zero exit code; a traceback is a bug.
"""
from __future__ import annotations

import sys
from collections.abc import Callable

import click

from . import (
    backup,
    capture,
    encrypt,
    estimate,
    evidence,
    extract,
    imports,
    ingest,
    link,
    package,
    passphrase,
    persons,
    publish,
    reading,
    redact,
    serve,
    start,
    telegram,
    users,
)
from .context import CommandLine
from .output import say


@click.group(cls=CommandLine, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tawthiq")
def cli() -> None:
    """Tawthiq: document human-rights violations from reports, in Arabic and English.

    The database comes from TAWTHIQ_DATABASE_URL (default sqlite:///tawthiq.db);
    stored originals go under TAWTHIQ_DATA_DIR (default: beside the database).
    """


# Every command group, each adding its commands to the root group. A new module of commands is
# listed here, and its commands in the README's CLI reference (tests/test_cli_reference.py checks).
COMMAND_GROUPS: tuple[Callable[[click.Group], None], ...] = (
    start.register,  # init, demo
    ingest.register,  # ingest
    imports.register,  # import acled
    extract.register,  # extract
    reading.register,  # incidents, sources, search, export
    evidence.register,  # verify, derive, fixity
    package.register,  # package, verify-package, import-package
    telegram.register,  # telegram
    capture.register,  # capture
    redact.register,  # redact
    link.register,  # link incidents, persons, review, decide, undo, history
    persons.register,  # persons import, export, list, show
    estimate.register,  # estimate
    serve.register,  # serve
    users.register,  # users
    backup.register,  # backup create, verify, restore
    publish.register,  # publish
    passphrase.register,  # passphrase change, reset
    passphrase.register_lock,  # lock
    encrypt.register,  # encrypt
)

for add_commands in COMMAND_GROUPS:
    add_commands(cli)


def main() -> None:
    """The ``tawthiq`` console script and ``python -m tawthiq``."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        say("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        say("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the promise is one line, never a traceback
        first = (str(exc).strip().splitlines() or [""])[0]
        say(f"error: {type(exc).__name__}: {first}", err=True)
        sys.exit(1)
