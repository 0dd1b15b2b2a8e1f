"""The floors of the house: which package may import which.

Read from the source (every ``import`` and ``from … import``, including ones
inside functions and under ``TYPE_CHECKING``, since a lazy import is still a
dependency), so a new module that climbs a floor fails here.

Lowest first. A package may import itself, the packages on lower floors and
the shared top-level modules; never one on its own floor or above. The edges
(``web``, ``cli``) talk only to ``services`` and the plain ``domain`` types:
that is what keeps them thin.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
ROOT = SRC / "tawthiq"

FLOORS: dict[str, int] = {
    "domain": 0,
    "extract": 1,
    "store": 1,
    "ingest": 2,
    "evidence": 3,
    "link": 3,
    "stats": 3,
    "export": 4,
    "services": 5,
    "web": 6,
    "cli": 6,
}
# Top-level modules any floor may use: the version, and the settings read at the edge and passed inward.
SHARED = {"tawthiq", "tawthiq.settings"}
# The edges reach the house through the services only (and the plain types of the domain).
EDGE_MAY_IMPORT = {"domain", "services"}
# Declared exceptions, each with its reason.
ALLOWED: dict[tuple[str, str], str] = {
    ("tawthiq.cli.serve", "tawthiq.web"): "`tawthiq serve` starts the web app (imported inside the command)",
    ("tawthiq.__main__", "tawthiq.cli"): "`python -m tawthiq` runs the command line",
}


def _module(path: Path, src: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(src).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def _imports(path: Path, src: Path = SRC) -> list[tuple[int, str]]:
    module, is_package = _module(path, src)
    package = module.split(".") if is_package else module.split(".")[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from tawthiq import web`` imports a floor, not the top-level package
            if target == "tawthiq":
                found.extend((node.lineno, f"tawthiq.{alias.name}") for alias in node.names if alias.name in FLOORS)
            found.append((node.lineno, target))
    return [(line, target) for line, target in found if target == "tawthiq" or target.startswith("tawthiq.")]


def _floor_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FLOORS else None


def _allowed(importer: str, imported: str) -> bool:
    for who, what in ALLOWED:
        if (importer == who or importer.startswith(who + ".")) and (imported == what or imported.startswith(what + ".")):
            return True
    return False


def violations(src: Path = SRC) -> list[str]:
    problems: list[str] = []
    for path in sorted((src / "tawthiq").rglob("*.py")):
        importer, _ = _module(path, src)
        if ".migrations." in importer + ".":
            continue  # Alembic's scripts, run by Alembic
        mine = _floor_of(importer)
        for line, imported in _imports(path, src):
            if imported in SHARED or _allowed(importer, imported):
                continue
            theirs = _floor_of(imported)
            where = f"{path.relative_to(src)}:{line}: {importer} imports {imported}"
            if theirs is None or mine is None:
                problems.append(f"{where} (a top-level module outside the floors: give it a floor)")
            elif theirs == mine:
                continue
            elif mine in ("web", "cli"):
                if theirs not in EDGE_MAY_IMPORT:
                    problems.append(f"{where} (an edge calls services, not {theirs})")
            elif FLOORS[theirs] >= FLOORS[mine]:
                problems.append(f"{where} ({mine} is on floor {FLOORS[mine]}, {theirs} on floor {FLOORS[theirs]})")
    return problems


def test_every_package_has_a_floor() -> None:
    packages = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= set(FLOORS), f"packages without a floor: {sorted(packages - set(FLOORS))}"


def test_no_floor_imports_a_floor_above_it() -> None:
    problems = violations()
    assert not problems, "\n".join(problems)


def test_domain_imports_nothing_of_the_project() -> None:
    for path in (ROOT / "domain").rglob("*.py"):
        outside = [t for _, t in _imports(path) if not t.startswith("tawthiq.domain")]
        assert not outside, f"{path}: {outside}"


@pytest.mark.parametrize(("source", "expected"), [
    ("from ..services import Workspace\n", "store is on floor 1, services on floor 5"),
    ("def f():\n    from ..web.app import create_app\n", "store is on floor 1, web on floor 6"),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..evidence.verify import verify\n",
     "store is on floor 1, evidence on floor 3"),
])
def test_the_check_sees_a_climbing_import(tmp_path: Path, source: str, expected: str) -> None:
    """The checker itself: a store module importing upward, at top level, lazily or for typing, is caught."""
    fake_src = tmp_path / "src"
    (fake_src / "tawthiq" / "store").mkdir(parents=True)
    for name in ("tawthiq/__init__.py", "tawthiq/store/__init__.py"):
        (fake_src / name).write_text("")
    (fake_src / "tawthiq" / "store" / "climb.py").write_text(source)
    found = violations(fake_src)
    assert len(found) == 1 and expected in found[0], found

