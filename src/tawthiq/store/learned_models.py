"""Files of models trained from a workspace's record, under ``<data dir>/models/``.

A model trained on a group's reviewed reports holds their words (its
features), so it is kept like the evidence: the owner's only (0600 in a 0700
folder), sealed with the workspace's file key in an encrypted workspace, and
never overwritten: each training writes a new file, named by its time, and
the team setting ``extract.type_model`` says which one is in use.
"""
from __future__ import annotations

import re
from pathlib import Path

from .vault.once import write_once
from .vault.private import private_dir
from .vault.sealed import SealError, iter_plain

__all__ = ["MODEL_DIR", "ModelFileError", "list_models", "read_model", "write_model"]

MODEL_DIR = "models"
_NAME = re.compile(r"event-type-(\d{8}T\d{6,12}Z)(?:-(\d+))?\.model(?:\.sealed)?")


class ModelFileError(ValueError):
    """A model file that is missing, not one of ours, or does not open with this workspace's key."""


def _folder(data_dir: Path) -> Path:
    return Path(data_dir) / MODEL_DIR


def write_model(data_dir: Path, *, stamp: str, data: bytes, files_key: bytes | None) -> str:
    """Write ``data`` as a new model file (atomically; sealed when ``files_key``); returns its name."""
    suffix = ".model.sealed" if files_key is not None else ".model"
    try:  # never replaces an earlier model
        path = write_once(private_dir(_folder(data_dir)), f"event-type-{stamp}", suffix, data, files_key=files_key,
                          mode=0o600)
    except FileExistsError:
        raise ModelFileError(f"no free model name for {stamp}") from None
    return path.name


def read_model(data_dir: Path, name: str, *, files_key: bytes | None) -> bytes:
    """The bytes of model ``name`` (decrypted when sealed)."""
    if not _NAME.fullmatch(name):
        raise ModelFileError(f"{name!r} is not a model file name")
    path = _folder(data_dir) / name
    try:
        with open(path, "rb") as handle:
            if name.endswith(".sealed"):
                if files_key is None:
                    raise ModelFileError(f"{name} is sealed and this workspace has no file key")
                return b"".join(iter_plain(handle, files_key=files_key))
            return handle.read()
    except FileNotFoundError:
        raise ModelFileError(f"model {name} is not in {_folder(data_dir)}") from None
    except SealError as exc:
        raise ModelFileError(f"model {name} does not open with this workspace's key: {exc}") from None


def list_models(data_dir: Path) -> list[str]:
    """Model file names, oldest first."""
    folder = _folder(data_dir)
    if not folder.is_dir():
        return []
    found = [(m.group(1), int(m.group(2) or 1), p.name) for p in folder.iterdir() if (m := _NAME.fullmatch(p.name))]
    return [name for *_order, name in sorted(found)]
