"""The package layout and the JSON form of custody entries, shared by writer, checker and importer.

Nothing here touches the database: ``verify-package`` must run on a machine
with no Tawthiq database at all.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from ..domain.custody import CustodyEntry, canonical_time

FORMAT = "tawthiq-package/1"
CHECKSUMS = ("sha256", "sha512")
ORIGINALS = "data/originals"
DERIVED = "data/derived"
PACKAGE_JSON = "data/metadata/package.json"
SOURCES_JSON = "data/metadata/sources.json"
INCIDENTS_JSON = "data/metadata/incidents.json"
PERSONS_JSON = "data/metadata/persons.json"  # only when named persons were packaged on purpose
LEDGER = "data/custody/ledger.jsonl"
IMPORTED = "data/custody/imported.jsonl"
INDEX = "data/index.html"
TIMESTAMP_DIR = "timestamps"
TOKEN = "timestamps/manifest-sha256.txt.tsr"
TOKEN_REQUEST = "timestamps/manifest-sha256.txt.tsq"
TOKEN_INFO = "timestamps/manifest-sha256.txt.json"
TSA_CHAIN = "timestamps/tsa-chain.pem"
TIMESTAMPED = "manifest-sha256.txt"

SHA_RE = re.compile(r"^[0-9a-f]{64}$")
# As ``tawthiq verify --head`` takes a ledger head: ID:HASH (or "ID HASH"); a bare HASH is taken too.
_HEAD_RE = re.compile(r"^\s*(?:(\d{1,18})(?:\s*:\s*|\s+))?([0-9a-fA-F]{64})\s*$")
_EXT_RE = re.compile(r"^\.[a-z0-9]{1,10}$")


def file_name(sha256: str, ext: str) -> str:
    """``<sha256><ext>``: the name says the content, the extension only helps a viewer open it."""
    ext = ext.lower()
    return sha256 + (ext if _EXT_RE.match(ext) else "")


def sha_of_name(name: str) -> str | None:
    """The SHA-256 a payload file's name claims, or None when the name is not ``<sha256>[.<ext>]``."""
    stem, dot, ext = name.partition(".")
    if not SHA_RE.match(stem) or (dot and not _EXT_RE.match("." + ext)):
        return None
    return stem


def parse_seals_head(text: str) -> tuple[int | None, str]:
    """``ID:HASH`` of a record-seal chain head as ``tawthiq package`` prints it, or the bare HASH.

    ValueError with one line for anything else.
    """
    match = _HEAD_RE.match(text or "")
    if not match or (match.group(1) is not None and int(match.group(1)) < 1):
        raise ValueError(f"expected ID:HASH (a seal id and its 64-hex-digit hash) or HASH, got {text[:100]!r}")
    return (int(match.group(1)) if match.group(1) else None), match.group(2).lower()


def entry_to_json(entry: CustodyEntry) -> dict[str, Any]:
    """Every field, the time in the canonical form the hash covers, so a checker can re-hash it."""
    return {"id": entry.id, "at": canonical_time(entry.at), "item_sha256": entry.item_sha256,
            "source_id": entry.source_id, "event": entry.event, "actor": entry.actor, "machine": entry.machine,
            "reason": entry.reason, "details": entry.details, "prev_hash": entry.prev_hash,
            "entry_hash": entry.entry_hash}


def entry_from_json(data: Any) -> CustodyEntry:
    """Parse one packaged entry; ValueError (one line) for anything malformed."""
    if not isinstance(data, dict):
        raise ValueError("an entry is not a JSON object")
    try:
        at = datetime.strptime(str(data["at"]), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        source_id = data["source_id"]
        if source_id is not None and (not isinstance(source_id, int) or isinstance(source_id, bool)):
            raise ValueError("source_id is not a number")
        entry = CustodyEntry(id=data["id"], at=at, item_sha256=data["item_sha256"], source_id=source_id,
                             event=data["event"], actor=data["actor"], machine=data["machine"],
                             reason=data["reason"], details=data["details"], prev_hash=data["prev_hash"],
                             entry_hash=data["entry_hash"])
    except KeyError as exc:
        raise ValueError(f"entry has no {exc.args[0]!r}") from None
    if not isinstance(entry.id, int) or isinstance(entry.id, bool) or entry.id < 1:
        raise ValueError("entry id is not a positive number")
    for name in ("item_sha256", "prev_hash", "entry_hash"):
        if not isinstance(getattr(entry, name), str) or not SHA_RE.match(getattr(entry, name)):
            raise ValueError(f"entry {name} is not a SHA-256")
    for name in ("event", "actor", "machine", "reason"):
        if not isinstance(getattr(entry, name), str):
            raise ValueError(f"entry {name} is not text")
    if not isinstance(entry.details, dict):
        raise ValueError("entry details is not an object")
    return entry
