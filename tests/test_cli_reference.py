"""The README's CLI reference lists exactly the commands that exist, each with its options.

As Datasette's documentation tests do: the click group is walked and held
against the ``## CLI reference`` section of README.md. Each row of its
command table opens with one or more invocations in code spans
(`` `tawthiq incidents list [--type T] …` ``); every command, subcommand and
option must appear in such an invocation, and every command and option an
invocation names must exist. A command or option added without a line in
the README fails here.
"""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from tawthiq.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
SECTION = "## CLI reference"
CELL_BORDER = re.compile(r"(?<!\\)\|")  # "\|" inside a cell is a literal bar (en\|ar)
CODE_SPAN = re.compile(r"`([^`]+)`")
OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
WORD = re.compile(r"[a-z][a-z-]*")  # how a command's name looks; arguments are upper case


def cli_reference(readme: str) -> str:
    """The text of the CLI reference section, up to the next section of the same level."""
    start = readme.index(f"\n{SECTION}\n")
    end = readme.find("\n## ", start + len(SECTION) + 2)
    return readme[start:end if end != -1 else len(readme)]


def invocations(section: str) -> list[str]:
    """The code spans of each table row's first cell that start with ``tawthiq``."""
    found = []
    for line in section.splitlines():
        cells = CELL_BORDER.split(line.strip())
        if not line.lstrip().startswith("|") or len(cells) < 3:
            continue
        found += [span for span in CODE_SPAN.findall(cells[1]) if span.split()[0] == "tawthiq"]
    return found


def _names(option: click.Option) -> set[str]:
    return set(option.opts) | set(option.secondary_opts)


def reference_problems(group: click.Group, section: str) -> list[str]:
    """Every disagreement between ``group`` and the reference section, one line each (none: they agree)."""
    problems: list[str] = []
    mentioned: dict[tuple[str, ...], set[str]] = {}  # command path -> option names written for it
    for span in invocations(section):
        command: click.Command = group
        path: tuple[str, ...] = ()
        words = span.split()[1:]
        while words and isinstance(command, click.Group) and words[0] in command.commands:
            command = command.commands[words[0]]
            path += (words.pop(0),)
        default = getattr(command, "default_command", None)
        if isinstance(command, click.Group) and default and not (words and words[0] in command.commands):
            # `tawthiq extract --jsonl` is the group's default command (`extract read`), written without its name
            command = command.commands[default]
            path += (default,)
        if words and isinstance(command, click.Group) and WORD.fullmatch(words[0]):
            problems.append(f"README names `tawthiq {' '.join((*path, words[0]))}`, which is not a command")
            continue
        for prefix in range(len(path) + 1):  # a subcommand documents the groups above it
            mentioned.setdefault(path[:prefix], set())
        written = set(OPTION.findall(" ".join(words)))
        known = set().union(*(_names(p) for p in command.params if isinstance(p, click.Option)))
        problems += [f"README gives `tawthiq {' '.join(path)}` an option {name} it does not have"
                     for name in sorted(written - known)]
        mentioned[path] |= written

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        shown = "tawthiq " + " ".join(path) if path else "tawthiq"
        if path not in mentioned:
            problems.append(f"`{shown}` is not in the README's CLI reference")
            return
        for param in command.params:
            if isinstance(param, click.Option) and not _names(param) & mentioned[path]:
                problems.append(f"`{shown}`: option {'/'.join(param.opts)} is not in the README's CLI reference")
        if isinstance(command, click.Group):
            for name in sorted(command.commands):
                walk(command.commands[name], (*path, name))

    walk(group, ())
    return problems


@pytest.fixture(scope="module")
def section() -> str:
    return cli_reference(README.read_text(encoding="utf-8"))


def test_the_readme_documents_every_command_and_option_and_nothing_else(section: str) -> None:
    assert reference_problems(cli, section) == []
    assert len(invocations(section)) >= len(cli.commands)  # the table was found and read


def _with(*commands: click.Command) -> click.Group:
    """The real group with ``commands`` added or put in place of the ones of the same name."""
    return click.Group(name=cli.name, params=list(cli.params),
                       commands={**cli.commands, **{c.name: c for c in commands if c.name}})


def test_a_command_added_without_docs_is_caught(section: str) -> None:
    assert reference_problems(_with(click.Command("frobnicate")), section) == [
        "`tawthiq frobnicate` is not in the README's CLI reference"]
    users = cli.commands["users"]
    assert isinstance(users, click.Group)
    more_users = click.Group(name="users", commands={**users.commands, "rename": click.Command("rename")})
    assert reference_problems(_with(more_users), section) == [
        "`tawthiq users rename` is not in the README's CLI reference"]


def test_an_option_added_without_docs_is_caught(section: str) -> None:
    # init's own options (--encrypt) kept, so only the undocumented one is reported.
    init = click.Command("init", params=[*cli.commands["init"].params, click.Option(["--force"], is_flag=True)])
    assert reference_problems(_with(init), section) == [
        "`tawthiq init`: option --force is not in the README's CLI reference"]


def test_a_command_or_option_the_readme_invents_is_caught(section: str) -> None:
    invented = section + ("\n| `tawthiq frobnicate FILE` | no such command |"
                          "\n| `tawthiq users rename OLD NEW` | nor this one |"
                          "\n| `tawthiq init --force` | no such option |\n")
    assert reference_problems(cli, invented) == [
        "README names `tawthiq frobnicate`, which is not a command",
        "README names `tawthiq users rename`, which is not a command",
        "README gives `tawthiq init` an option --force it does not have",
    ]
