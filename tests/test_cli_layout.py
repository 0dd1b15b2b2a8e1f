"""The CLI package's shape: thin commands over services, no import circle, web only to serve.

Read from the source (every ``import`` in every module of ``tawthiq.cli``,
lazy ones inside functions included), so a command that reaches below the
services, or a module that imports the root group back, fails here.
"""
from __future__ import annotations

import ast
from pathlib import Path

import tawthiq.cli

CLI_DIR = Path(tawthiq.cli.__file__).resolve().parent
SRC = CLI_DIR.parents[1]
# The floors a command may call: the services, the domain's types, the settings, and the CLI's own modules.
ALLOWED = ("tawthiq.services", "tawthiq.domain", "tawthiq.settings", "tawthiq.cli")
# What a module may import from lower floors, and why; nothing else may.
BELOW_SERVICES = {
    "serve": {"tawthiq.web.app"},  # starting the web server, the only way into web
}


def _is_module(name: str) -> bool:
    """Whether ``name`` is a module or package of the project (not a function or class in one)."""
    where = SRC.joinpath(*name.split("."))
    return where.with_suffix(".py").exists() or (where / "__init__.py").exists()


def _imports(path: Path) -> set[str]:
    """The project modules ``path`` imports, lazy imports inside functions included.

    ``from ..services import accounts`` imports the module ``tawthiq.services.accounts``;
    ``from ..services import ingest`` (a function) imports ``tawthiq.services``.
    """
    package = ["tawthiq", "cli"]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            for alias in node.names:
                found.add(f"{module}.{alias.name}" if _is_module(f"{module}.{alias.name}") else module)
    return {name for name in found if name.split(".")[0] == "tawthiq"}


def _modules() -> dict[str, set[str]]:
    return {path.stem: _imports(path) for path in sorted(CLI_DIR.glob("*.py"))}


def test_commands_call_services_not_the_floors_below() -> None:
    for module, names in _modules().items():
        below = {n for n in names if not n.startswith(ALLOWED)}
        assert below <= BELOW_SERVICES.get(module, set()), f"cli/{module}.py imports {sorted(below)}"


def test_only_serve_imports_web() -> None:
    for module, names in _modules().items():
        if module != "serve":
            assert not any(n.startswith("tawthiq.web") for n in names), f"cli/{module}.py imports web"


def test_no_module_imports_the_root_group_back() -> None:
    """Only the package's ``__init__`` imports main; command modules are imported by main, never the reverse."""
    for module, names in _modules().items():
        back = names & {"tawthiq.cli", "tawthiq.cli.main"}
        assert module == "__init__" or not back, f"cli/{module}.py imports {sorted(back)}"
