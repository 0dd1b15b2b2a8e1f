"""Every path a package names stays inside it, and names a file its manifest lists.

A package is attacker-controlled until checked: before any file is read
through a manifest, the bag's tree is walked without following links (a
symlink or device anywhere is refused) and every manifest line must name a
plain relative path inside the bag; the metadata's file paths must be
exactly ``<folder>/<sha256>[.<ext>]`` and listed in the manifest (a file
merely present on disk is not enough); index.html may link only to files of
the manifest. Each refusal is one line.
"""
from __future__ import annotations

import os
import stat
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

from . import bag_format as fmt


def safe_tree(root: Path, problems: list[str]) -> bool:
    """No symlinks, devices or other odd files anywhere in the bag (checked with lstat, never followed)."""
    ok = True
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            full = Path(folder) / name
            mode = os.lstat(full).st_mode
            rel = full.relative_to(root).as_posix()
            if stat.S_ISLNK(mode):
                problems.append(f"{rel}: symbolic link refused")
                ok = False
            elif not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                problems.append(f"{rel}: not a regular file")
                ok = False
    return ok


def safe_manifests(root: Path, problems: list[str]) -> bool:
    """Every manifest line names a relative path inside the bag; payload manifests only under data/."""
    ok = True
    if (root / "fetch.txt").exists():
        problems.append("fetch.txt: a package must carry its files, not point at remote ones")
        ok = False
    for manifest in sorted(root.glob("*manifest-*.txt")):
        payload = not manifest.name.startswith("tagmanifest-")
        try:
            lines = manifest.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            problems.append(f"{manifest.name}: not readable as UTF-8")
            ok = False
            continue
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split(None, 1)
            name = parts[1].strip().lstrip("*") if len(parts) == 2 else ""
            pure = PurePosixPath(name)
            bad = (not name or "\\" in name or pure.is_absolute() or ".." in pure.parts or name.startswith("~")
                   or (payload and pure.parts[:1] != ("data",)))
            if bad:
                problems.append(f"{manifest.name} line {number}: unsafe path {name[:120]!r} refused")
                ok = False
    return ok


def payload_path(rel: Any, folder: str, sha: Any, listed: set[str]) -> bool:
    """Exactly ``<folder>/<sha256>[.<ext>]`` under data/, named by its hash and listed in the manifest.

    Nothing absolute, no "..", no backslash, nothing outside its folder, and
    never a file merely present on disk: the manifest is what was sealed.
    """
    if not isinstance(rel, str) or "\\" in rel or rel.startswith("/"):
        return False
    parts = PurePosixPath(rel).parts
    return (len(parts) == 2 and parts[0] == folder and fmt.sha_of_name(parts[1]) == sha
            and f"data/{folder}/{parts[1]}" in listed)


def shown(value: Any) -> str:
    return repr(value)[:120]


class _Links(HTMLParser):
    """Every href/src/action/… value in a page (attribute names that load or link)."""

    NAMES = frozenset({"href", "src", "action", "data", "poster", "srcset", "formaction", "background", "cite",
                       "manifest", "xlink:href"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend(value or "" for name, value in attrs if name.lower() in self.NAMES)
        if tag.lower() == "meta" and any(n.lower() == "http-equiv" and (v or "").lower() == "refresh"
                                         for n, v in attrs):
            self.found.append("meta refresh")


def check_index(root: Path, problems: list[str], *, listed: set[str], max_size: int) -> None:
    """index.html links only to files of the bag's manifest, by plain relative paths (no scheme, no "..")."""
    path = root / fmt.INDEX
    if not path.is_file():
        return  # a missing index.html is already a manifest problem
    if path.stat().st_size > max_size:
        problems.append(f"{fmt.INDEX}: too large")
        return
    parser = _Links()
    try:
        with open(path, encoding="utf-8") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), ""):
                parser.feed(chunk)
        parser.close()
    except (OSError, UnicodeDecodeError):
        problems.append(f"{fmt.INDEX}: not readable as UTF-8")
        return
    for link in dict.fromkeys(parser.found):
        pure = PurePosixPath(link)
        if (not link or ":" in link or "\\" in link or link.startswith(("/", "#", "?")) or ".." in pure.parts
                or f"data/{pure.as_posix()}" not in listed):
            problems.append(f"{fmt.INDEX}: links to {shown(link)}, not a file of the bag's manifest: refused")
