"""A new workspace made in an empty place, and taken away whole when making it fails.

``tawthiq backup restore`` and ``tawthiq encrypt`` both write a workspace into a folder that must be
missing or empty, and on any failure remove what they wrote, so a half-made workspace is never
mistaken for a whole one. Because the place was empty, all of what is in it is theirs to remove.
"""
from __future__ import annotations

import shutil
from pathlib import Path


def is_empty_place(to: Path) -> bool:
    """True when ``to`` is missing or an empty folder: the only places a new workspace is made in."""
    return not to.exists() or (to.is_dir() and not any(to.iterdir()))


def remove_made(to: Path, *, made_dir: bool) -> None:
    """Take away what a failed run wrote into ``to`` (all of it: the folder was empty; originals are
    read-only, hence rmtree's ignore_errors); ``made_dir`` says the run made the folder itself."""
    if not to.exists():
        return
    if made_dir:
        shutil.rmtree(to, ignore_errors=True)
        return
    for child in to.iterdir():
        if child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
