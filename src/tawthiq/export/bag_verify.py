"""Checking a package offline, with no Tawthiq database and no settings.

A package arrives from outside and is attacker-controlled until checked, so
before any file is read through a manifest the bag's tree is walked without
following links (a symlink anywhere is refused) and every manifest line is
checked to name a plain relative path inside the bag. Then: BagIt validation
(every manifest, Payload-Oxum, no file missing or extra), payload names
against their hashes, every custody entry re-hashed and linked where ids
are consecutive, every path the metadata and index.html name (a file the
bag's manifest lists, in its own folder), each source's text re-derived
from its original (``bag_texts``), the record-seal head against one the
checker was given, the timestamp token when there is one, and the
signature of the workspace key against the public key the checker was given.

Nothing here imports from ``tawthiq.store``: this is the path a court's
expert runs on a laptop with only the bag.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from . import bag_format as fmt
from .bag_paths import check_index, payload_path, safe_manifests, safe_tree, shown
from .bag_signature import (
    SIGNATURE_FILE,
    SignatureError,
    check_signature,
    read_signature,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

logging.getLogger("bagit").addHandler(logging.NullHandler())
logging.getLogger("bagit").propagate = False

MAX_JSON = 512 * 1024 * 1024  # metadata files are read whole; beyond this a package is not one we wrote


@dataclass(slots=True)
class BagReport:
    """Problems make the bag fail; notes are information (gaps in a subset of a ledger, what a token says)."""

    path: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    package: dict[str, Any] = field(default_factory=dict)
    entries: int = 0
    imported: int = 0
    files: int = 0
    timestamp: str = ""
    signature: str = ""  # what is known of the signature, for the summary
    texts_checked: int = 0  # source texts re-derived from their originals and equal
    texts_unchecked: int = 0  # source texts that could not be re-derived here (a note each)
    profile: str = "court"  # the audience it was made for (package.json; packages before profiles are court's)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verdict = "OK" if self.ok else f"FAILED ({len(self.problems)} problem(s))"
        stamp = f", timestamp {self.timestamp}" if self.timestamp else ", no timestamp"
        signed = f", {self.signature}" if self.signature else ""
        unchecked = f" ({self.texts_unchecked} not checked)" if self.texts_unchecked else ""
        made_for = "" if self.profile == "court" else f"made for the {self.profile} profile, "
        return (f"package {self.package.get('id', '?')}: {verdict}; {made_for}{self.files} payload file(s), "
                f"{self.entries} ledger entr(ies), {self.imported} imported entr(ies), "
                f"{self.texts_checked} source text(s) re-derived{unchecked}{stamp}{signed}")


def verify_bag(path: Path, *, tsa_certificates: bytes | None = None, public_key: Ed25519PublicKey | None = None,
               signature_check: bool = True, seals_head: tuple[int | None, str] | None = None) -> BagReport:
    """Check everything a package claims; never raises for a bad bag, reports it.

    ``seals_head`` is a record-seal head (id or None, hash) the checker holds
    from elsewhere (published when the package was made): the package must
    carry that one.

    The signature must verify against ``public_key``; with no key, or no
    signature, the bag fails unless ``signature_check`` is False (then it is
    only a note): a bag without a checked signature can be rewritten and resealed.
    """
    report = BagReport(path=Path(path))
    root = Path(path)
    if root.is_symlink() or not root.is_dir():
        report.problems.append(f"{root}: not a bag (a folder with bagit.txt, or a .zip of one)")
        return report
    if not safe_tree(root, report.problems) or not safe_manifests(root, report.problems):
        return report
    bag = _bagit_validate(root, report)
    if bag is None:
        return report
    report.files = len([p for p in bag.entries if p.startswith("data/")])
    _check_names(bag, report)
    report.package = _load_json(root, fmt.PACKAGE_JSON, report) or {}
    if not isinstance(report.package, dict):
        report.problems.append(f"{fmt.PACKAGE_JSON}: not a JSON object")
        report.package = {}
    _check_identity(bag, report)
    _check_profile(report)
    covered = _check_ledger(root, report) | _check_imported(root, report)
    for rel in sorted(p for p in bag.entries if PurePosixPath(p).parent.as_posix() in (fmt.ORIGINALS, fmt.DERIVED)):
        if fmt.sha_of_name(PurePosixPath(rel).name) not in covered:
            report.notes.append(f"{rel}: no custody entry names it by its hash")
    listed = set(bag.entries)
    sources = _check_metadata(root, report, listed=listed)
    check_index(root, report.problems, listed=listed, max_size=MAX_JSON)
    if sources is not None:
        from .bag_texts import check_source_texts

        texts = check_source_texts(root, sources, packaged_by=str(report.package.get("tawthiq_version") or ""),
                                   problems=report.problems, notes=report.notes, profile=report.profile)
        report.texts_checked, report.texts_unchecked = texts.checked, texts.unchecked
    _check_seals_head(bag, report, given=seals_head)
    _check_timestamp(root, report, given=tsa_certificates)
    _check_signature(root, report, key=public_key, required=signature_check)
    return report


# -------------------------------------------------------------- structure


def _bagit_validate(root: Path, report: BagReport) -> Any:
    """The loaded bag (also when a file fails its hash: the other checks still run), or None."""
    import bagit

    bag = None
    try:
        bag = bagit.Bag(str(root))
        # Listed first, file by file: bagit's own check stops at the first failed count (Payload-Oxum).
        missing, extra = bag.compare_manifests_with_fs()
        report.problems.extend(f"{p}: listed in a manifest but missing" for p in sorted(missing))
        report.problems.extend(f"{p}: in the bag but in no manifest" for p in sorted(extra))
        try:
            bag.validate(processes=1)
        except bagit.BagValidationError as exc:
            if exc.details or "Payload-Oxum" not in bag.info:
                raise
            # The byte/file count is off: say so, then still name each file whose hashes differ.
            report.problems.append(f"bag: {exc.message}")
            del bag.info["Payload-Oxum"]
            bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        found = [_detail(d) for d in exc.details] if exc.details else [f"bag: {exc.message}"]
        report.problems.extend(p for p in found if p not in report.problems)
        return bag
    except (bagit.BagError, OSError, UnicodeDecodeError, ValueError) as exc:
        report.problems.append(f"bag: {' '.join(str(exc).split())[:300]}")
        return None
    if set(fmt.CHECKSUMS) - set(bag.algorithms):
        report.problems.append(f"bag: manifests for {', '.join(fmt.CHECKSUMS)} expected, found "
                               f"{', '.join(bag.algorithms) or 'none'}")
    if "Payload-Oxum" not in bag.info:
        report.problems.append("bag-info.txt: no Payload-Oxum")
    return bag


def _detail(detail: Any) -> str:
    import bagit

    if isinstance(detail, bagit.ChecksumMismatch):
        return f"{detail.path}: {detail.algorithm} is {detail.found}, manifest says {detail.expected}"
    if isinstance(detail, bagit.FileMissing):
        return f"{detail.path}: listed in a manifest but missing"
    if isinstance(detail, bagit.UnexpectedFile):
        return f"{detail.path}: in the bag but in no manifest"
    return str(detail)


def _check_names(bag: Any, report: BagReport) -> None:
    """Tag files are all listed; a payload file under originals/ or derived/ is named by its own SHA-256."""
    root = Path(bag.path)
    for full in sorted(root.rglob("*")):
        rel = full.relative_to(root).as_posix()
        if full.is_file() and rel.split("/")[0] != "data" and rel not in bag.entries \
                and not (len(full.parts) - len(root.parts) == 1
                         and (full.name.startswith("tagmanifest-") or full.name == SIGNATURE_FILE)):
            report.problems.append(f"{rel}: in the bag but in no tag manifest")
    for rel, hashes in sorted(bag.entries.items()):
        path = PurePosixPath(rel)
        if path.parent.as_posix() not in (fmt.ORIGINALS, fmt.DERIVED):
            continue
        claimed = fmt.sha_of_name(path.name)
        if claimed is None:
            report.problems.append(f"{rel}: name is not <sha256>[.<ext>]")
        elif hashes.get("sha256") != claimed:
            report.problems.append(f"{rel}: content's SHA-256 is {hashes.get('sha256')}, not its name")


# ---------------------------------------------------------------- custody


def _load_json(root: Path, rel: str, report: BagReport) -> Any:
    path = root / rel
    try:
        if path.stat().st_size > MAX_JSON:
            report.problems.append(f"{rel}: too large")
            return None
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        report.problems.append(f"{rel}: missing")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        report.problems.append(f"{rel}: not valid JSON ({' '.join(str(exc).split())[:120]})")
    return None


def read_jsonl(root: Path, rel: str, report: BagReport) -> list[tuple[int, Any]]:
    """(line number, value) per line; a bad line is a problem, the rest is still read."""
    path = root / rel
    out: list[tuple[int, Any]] = []
    try:
        if path.stat().st_size > MAX_JSON:
            report.problems.append(f"{rel}: too large")
            return out
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    out.append((number, json.loads(line)))
                except ValueError:
                    report.problems.append(f"{rel} line {number}: not valid JSON")
    except FileNotFoundError:
        report.problems.append(f"{rel}: missing")
    except (OSError, UnicodeDecodeError) as exc:
        report.problems.append(f"{rel}: not readable ({type(exc).__name__})")
    return out


def _check_identity(bag: Any, report: BagReport) -> None:
    """bag-info.txt and package.json name the same package and the same writing instance."""
    for tag, key in (("External-Identifier", "id"), ("Tawthiq-Instance", "instance"), ("Tawthiq-Profile", "profile")):
        if tag == "Tawthiq-Profile" and tag not in bag.info and key not in report.package:
            continue  # made before packages had profiles: a court package
        if str(bag.info.get(tag, "")) != str(report.package.get(key, "")):
            report.problems.append(f"bag-info.txt {tag} does not match {fmt.PACKAGE_JSON} {key}")


def _check_profile(report: BagReport) -> None:
    """The profile it was made for; what that profile left out is said once, as a note, never as a failure."""
    profile = report.package.get("profile", "court")
    from ..domain.profiles import PROFILES

    if profile not in {p.name for p in PROFILES}:
        report.problems.append(f"{fmt.PACKAGE_JSON}: profile is not a profile's name")
        return
    report.profile = profile
    if profile == "court":
        return
    left = report.package.get("not_included")
    withheld = left.get("sources") if isinstance(left, dict) else []
    if not isinstance(withheld, list):
        report.problems.append(f"{fmt.PACKAGE_JSON}: not_included is malformed")
        return
    report.notes.extend(f"source {str(sid)[:40]}: not included by the {profile} profile" for sid in withheld)


def _check_ledger(root: Path, report: BagReport) -> set[str]:
    """Re-hash each entry; where ids are consecutive, each must point at the one before. Returns the items named."""
    from ..domain.custody import GENESIS, hash_of

    items: set[str] = set()
    previous = None
    for number, data in read_jsonl(root, fmt.LEDGER, report):
        where = f"{fmt.LEDGER} line {number}"
        try:
            entry = fmt.entry_from_json(data)
        except ValueError as exc:
            report.problems.append(f"{where}: {exc}")
            previous = None
            continue
        report.entries += 1
        items.add(entry.item_sha256)
        if hash_of(entry) != entry.entry_hash:
            report.problems.append(f"{where}: entry #{entry.id} does not hash to its entry_hash (altered)")
        if entry.id == 1 and entry.prev_hash != GENESIS:
            report.problems.append(f"{where}: entry #1 does not start the chain")
        if previous is not None:
            if entry.id <= previous.id:
                report.problems.append(f"{where}: entry #{entry.id} is out of order (after #{previous.id})")
            elif entry.id == previous.id + 1 and entry.prev_hash != previous.entry_hash:
                report.problems.append(f"{where}: entry #{entry.id} does not link to #{previous.id}")
            elif entry.id > previous.id + 1:
                report.notes.append(f"entries #{previous.id + 1}-#{entry.id - 1} are about other items "
                                    "(not in this package)")
        previous = entry
    head = report.package.get("ledger_head") if report.package else None
    if isinstance(head, dict) and previous is not None and previous.id == head.get("id") \
            and previous.entry_hash != head.get("hash"):
        report.problems.append(f"{fmt.LEDGER}: last entry #{previous.id} is not the ledger head recorded "
                               "in package.json")
    return items


def _check_imported(root: Path, report: BagReport) -> set[str]:
    """Entries from earlier instances: each re-hashes to the hash it was kept under. Returns the items named."""
    from ..domain.custody import hash_of

    items: set[str] = set()
    by_origin: dict[str, dict[int, Any]] = {}
    for number, row in read_jsonl(root, fmt.IMPORTED, report):
        where = f"{fmt.IMPORTED} line {number}"
        if not isinstance(row, dict) or not isinstance(row.get("origin"), str) or not row.get("origin"):
            report.problems.append(f"{where}: no origin instance")
            continue
        try:
            entry = fmt.entry_from_json(row.get("entry"))
        except ValueError as exc:
            report.problems.append(f"{where}: {exc}")
            continue
        report.imported += 1
        items.add(entry.item_sha256)
        if hash_of(entry) != entry.entry_hash or row.get("entry_hash") != entry.entry_hash:
            report.problems.append(f"{where}: entry #{entry.id} of instance {row['origin'][:40]} "
                                   "does not hash to its entry_hash (altered)")
        by_origin.setdefault(row["origin"], {})[entry.id] = entry
    # Each origin's entries are a subset of its chain: where two ids are consecutive, they must link.
    for origin, entries in by_origin.items():
        for entry_id, entry in entries.items():
            before = entries.get(entry_id - 1)
            if before is not None and entry.prev_hash != before.entry_hash:
                report.problems.append(f"{fmt.IMPORTED}: entry #{entry_id} of instance {origin[:40]} does not "
                                       f"link to #{entry_id - 1}")
    return items


def _check_metadata(root: Path, report: BagReport, *, listed: set[str]) -> list[Any] | None:
    """The metadata names only files the bag's manifest lists, in their own folder, under the hash they have.

    Returns the packaged sources (for their texts to be re-derived), None when there are none to read.
    """
    data = _load_json(root, fmt.SOURCES_JSON, report)
    sources = None
    if isinstance(data, dict):
        files: dict[str, str] = {}
        originals = {o.get("sha256") for o in data.get("originals") or [] if isinstance(o, dict)} \
            if isinstance(data.get("originals"), list) else set()
        for key in ("originals", "derivatives"):
            folder = "originals" if key == "originals" else "derived"
            items = data.get(key) or []
            if not isinstance(items, list):
                report.problems.append(f"{fmt.SOURCES_JSON}: {key} is not a list")
                continue
            for item in items:
                rel = item.get("file") if isinstance(item, dict) else None
                sha = item.get("sha256") if isinstance(item, dict) else None
                if payload_path(rel, folder, sha, listed):
                    files[str(sha)] = str(rel)
                else:
                    report.problems.append(f"{fmt.SOURCES_JSON}: {key} entry {str(sha)[:64]} names no file in "
                                           f"the bag ({shown(rel)}): refused")
                if key == "derivatives" and isinstance(item, dict) and item.get("original_sha256") not in originals:
                    report.problems.append(f"{fmt.SOURCES_JSON}: derivative {str(sha)[:64]} names an original "
                                           "not in the package")
        sources = data.get("sources")
        for n, item in enumerate(sources if isinstance(sources, list) else [], 1):
            if not isinstance(item, dict):
                continue
            rel, sha = item.get("original"), item.get("sha256")
            # A source points at its original through the originals entry: the same path, nothing else.
            if rel is None or (str(sha) not in files and payload_path(rel, "originals", sha, listed)):
                continue  # no path, or its originals entry is already refused above
            if not payload_path(rel, "originals", sha, listed) or files.get(str(sha)) != rel:
                report.problems.append(f"{fmt.SOURCES_JSON}: source {str(item.get('id', n))[:40]} names "
                                       f"{shown(rel)} as its original, not its file in the bag: refused")
    elif data is not None:
        report.problems.append(f"{fmt.SOURCES_JSON}: not a JSON object")
    for rel in (fmt.INCIDENTS_JSON, fmt.PERSONS_JSON):
        if rel == fmt.PERSONS_JSON and not (root / rel).exists():
            continue  # named persons are packaged only on purpose
        value = _load_json(root, rel, report)
        if value is not None and not isinstance(value, list):
            report.problems.append(f"{rel}: not a JSON list")
    return sources


def _check_seals_head(bag: Any, report: BagReport, *, given: tuple[int | None, str] | None) -> None:
    """bag-info.txt and package.json carry the same record-seal head; it is the one given, when one is."""
    carried = report.package.get("seals_head")
    if carried is not None and not (isinstance(carried, dict) and isinstance(carried.get("id"), int)
                                    and isinstance(carried.get("hash"), str) and fmt.SHA_RE.match(carried["hash"])):
        report.problems.append(f"{fmt.PACKAGE_JSON}: seals_head is not an id and a SHA-256")
        return
    text = f"{carried['id']} {carried['hash']}" if carried else ""
    if str(bag.info.get("Tawthiq-Seals-Head", "")) != text:
        report.problems.append(f"bag-info.txt Tawthiq-Seals-Head does not match {fmt.PACKAGE_JSON} seals_head")
    if given is None:
        if carried:
            report.notes.append(f"record-seal head when packaged: {carried['id']}:{carried['hash']} (compare it "
                                "with the one published then: --seals-head)")
        return
    if not carried:
        report.problems.append("the package carries no record-seal head, but --seals-head was given")
    elif carried["hash"] != given[1] or (given[0] is not None and carried["id"] != given[0]):
        shown = f"{given[0]}:{given[1]}" if given[0] is not None else given[1]
        report.problems.append(f"record-seal head in the package ({carried['id']}:{carried['hash']}) is not the "
                               f"one given with --seals-head ({shown}): the package did not come from that record")


# -------------------------------------------------------------- timestamp


def _check_timestamp(root: Path, report: BagReport, *, given: bytes | None) -> None:
    from ..evidence.timestamp import TimestampError, load_certificates, verify_timestamp

    token = root / fmt.TOKEN
    if not token.is_file():
        if given is not None:
            report.problems.append("no timestamp token in the bag, but --tsa-cert was given")
        return
    info = _load_json(root, fmt.TOKEN_INFO, report)
    nonce = None
    if isinstance(info, dict):
        try:
            nonce = int(info.get("nonce"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            report.problems.append(f"{fmt.TOKEN_INFO}: no nonce")
    chain = root / fmt.TSA_CHAIN
    if given is None and not chain.is_file():
        report.problems.append("timestamp: no TSA certificate to check it against (give --tsa-cert)")
        return
    try:
        certificates = load_certificates(given if given is not None else chain.read_bytes())
        check = verify_timestamp(token.read_bytes(), message=(root / fmt.TIMESTAMPED).read_bytes(), nonce=nonce,
                                 certificates=certificates)
    except TimestampError as exc:
        report.problems.append(f"{fmt.TOKEN}: {exc}")
        return
    except OSError as exc:
        report.problems.append(f"{fmt.TOKEN}: not readable ({type(exc).__name__})")
        return
    report.timestamp = f"{check.gen_time.isoformat()} by {check.tsa}"
    if given is None:
        report.notes.append("timestamp checked against the certificate chain stored in the bag; give --tsa-cert "
                            "with the TSA's published certificate for an independent check")


# -------------------------------------------------------------- signature


def _check_signature(root: Path, report: BagReport, *, key: Ed25519PublicKey | None, required: bool) -> None:
    """Against the key given, never one from the bag; missing key or signature fails unless not required."""
    try:
        signature = read_signature(root)
    except SignatureError as exc:
        report.problems.append(str(exc))
        report.signature = "signature unreadable"
        return
    if signature is None:
        report.signature = "not signed"
        if key is not None:
            report.problems.append(f"{SIGNATURE_FILE}: missing, but --key was given (the package is not signed)")
        elif required:
            report.problems.append(f"{SIGNATURE_FILE}: missing; an unsigned package is refused "
                                   "(--no-signature-check to check the rest only)")
        return
    if key is None:
        report.signature = f"signed by key {signature.fingerprint}, not checked"
        if required:
            report.problems.append(f"signed by key {signature.fingerprint}, not checked: give --key with that "
                                   "workspace's public key (or --no-signature-check)")
        return
    wrong = check_signature(root, signature, key=key)
    if wrong:
        report.problems.append(wrong)
        report.signature = "signature NOT valid"
    else:
        report.signature = f"signed by key {signature.fingerprint}, checked"
