"""Writing a package for an accountability mechanism: a BagIt bag of originals, copies, metadata and custody.

The bag is made in a temporary folder beside the destination and renamed
into place only when it is whole, in the same transaction that records the
"exported" custody entries: a failure at any point leaves no half bag and no
entry for a package that does not exist.

Originals are copied streamed and re-hashed on the way: a stored file that
no longer matches its name stops the packaging (``tawthiq verify`` says
more), because a package must never carry bytes that are not the evidence.
"""
from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from . import bag_format as fmt
from .bag_signature import sign_bag
from .formats import incident_record

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ..domain import Incident, Person, Source
    from ..domain.originals import Derivative
    from ..store.db import Database
    from ..store.vault.blobs import BlobStore
    from .bag_profile import Audience

logging.getLogger("bagit").addHandler(logging.NullHandler())
logging.getLogger("bagit").propagate = False  # bagit logs every file at INFO and failures as tracebacks

_CHUNK = 1024 * 1024


class PackageError(Exception):
    """Packaging refused or failed; one line for the operator, nothing left behind."""


@dataclass(slots=True)
class PackageResult:
    path: Path
    package_id: str
    originals: int
    derivatives: int
    sources: int
    incidents: int
    entries: int  # this instance's ledger entries packaged
    imported: int  # entries from earlier instances packaged
    timestamped: bool
    key_fingerprint: str
    exported: list[int] = field(default_factory=list)  # ids of the custody entries recorded for it
    seals_head: str = ""  # "ID:HASH" of the record-seal chain when packaged (to publish), "" when none


@dataclass(slots=True)
class _Selection:
    incidents: list[Incident]
    sources: list[Source]
    originals: dict[str, str]  # sha256 -> extension
    derivatives: list[Derivative]
    persons: list[Person] = field(default_factory=list)
    withheld: list[int] = field(default_factory=list)  # sources the profile leaves out (ids only)


def build_package(db: Database, *, blobs: BlobStore, out: Path, incident_ids: list[int], source_ids: list[int],
                  actor: str, machine: str, reason: str = "", to: str = "", organization: str = "",
                  tsa_url: str | None = None, tsa_chain: bytes | None = None, tsa_timeout: float = 30.0,
                  include_persons: bool = False, signing_key: Ed25519PrivateKey,
                  audience: Audience | None = None, approval: int | None = None) -> PackageResult:
    """Write the bag for these incidents and sources (and what they name) at ``out``; record the custody.

    ``signing_key`` (the workspace's) signs the final tag manifest, so a bag
    changed and resealed afterwards no longer verifies against its public key.

    Named persons travel only with ``include_persons``: they are the most
    sensitive part of the record and an export never carries them.

    ``audience`` (None: the court profile, everything) cuts the selection to
    what another profile gives (:mod:`.bag_profile`) before anything is written.
    ``approval`` is the ledger entry of the reviewer's approval that allowed a
    profile wider than the maker's role; the "exported" entries name it.
    """
    from .. import __version__
    from ..store.derivatives import instance_id
    from ..store.packages import (
        custody_for_items,
        imported_for_items,
        ledger_head,
        seals_head,
    )
    from ..store.vault.derived import derived_store

    out = Path(out)
    if out.exists() or out.is_symlink():
        raise PackageError(f"{out} already exists; packages are never written over")
    if not out.parent.is_dir():
        raise PackageError(f"{out.parent} is not a folder")
    if not incident_ids and not source_ids:
        raise PackageError("nothing selected: give --incident or --source")
    if tsa_chain is not None and not tsa_url:
        raise PackageError("--tsa-cert goes with --tsa-url (the certificate of the authority asked)")
    if tsa_chain is not None:
        from ..evidence.timestamp import TimestampError, load_certificates

        try:
            load_certificates(tsa_chain)
        except TimestampError as exc:
            raise PackageError(f"--tsa-cert: {exc}") from None
    if include_persons and audience is not None and not audience.profile.names:
        raise PackageError(f"--include-persons and --profile {audience.profile.name} do not go together: "
                           "that profile gives no persons' names")
    derived = derived_store(blobs)
    chosen = _select(db, incident_ids=incident_ids, source_ids=source_ids)
    if audience is not None:
        chosen = _for_audience(chosen, audience=audience, asked=source_ids)
    if include_persons:
        from ..store.incidents import persons_for_incident

        chosen.persons = [p for i in chosen.incidents if i.id is not None for p in persons_for_incident(db, i.id)]
    item_shas = set(chosen.originals) | {d.sha256 for d in chosen.derivatives}
    profile = "court" if audience is None else audience.profile.name
    custody = audience is None or audience.profile.custody
    entries = custody_for_items(db, shas=item_shas, source_ids=[s.id for s in chosen.sources if s.id is not None]) \
        if custody else []
    imported = imported_for_items(db, item_shas) if custody else []
    staff = audience is None or audience.profile.staff
    head, sealed = ledger_head(db), seals_head(db)
    package = {
        "format": fmt.FORMAT, "id": str(uuid.uuid4()), "instance": instance_id(db),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        # Who made it and where are staff and their machines: in the local ledger, not in a partner's copy.
        "actor": actor if staff else "", "machine": machine if staff else "",
        "reason": reason, "to": to, "profile": profile,
        # A narrower profile names what it holds, not what was asked (an asked id it cut is nobody's business).
        "selection": {"incidents": sorted(set(incident_ids)), "sources": sorted(set(source_ids))}
        if audience is None else {"incidents": [i.id for i in chosen.incidents],
                                  "sources": [s.id for s in chosen.sources]},
        "ledger_head": {"id": head[0], "hash": head[1]} if head else None,
        "persons": len(chosen.persons) if include_persons else None,
        # The record-seal chain's head now: published beside the package, it lets a reader check
        # (verify-package --seals-head) that the package came from the record as sealed then.
        "seals_head": {"id": sealed[0], "hash": sealed[1]} if sealed else None,
        # Which readers made the source texts the checker re-derives (a reader fixed later may differ).
        "tawthiq_version": __version__,
    }
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        if audience is not None:
            package["not_included"] = {"sources": chosen.withheld}
        files = _write_payload(tmp, chosen, originals=blobs, derived=derived)
        _write_metadata(tmp, chosen, package=package, files=files, entries=entries, imported=imported,
                        audience=audience)
        bag = _make_bag(tmp, package=package, organization=organization)
        if tsa_url:
            _timestamp(tmp, bag, url=tsa_url, chain=tsa_chain, timeout=tsa_timeout)
        # Last: the timestamp step rewrites the tag manifests, and the signature covers their final bytes.
        key_fingerprint = sign_bag(tmp, key=signing_key)
        for path in (tmp / "data" / "originals").iterdir():
            path.chmod(0o444)  # evidence: read-only in the bag as in the store
        exported = _commit(db, tmp, out, chosen, package=package, actor=actor, machine=machine, reason=reason,
                           to=to, profile=profile, approval=approval)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return PackageResult(path=out, package_id=package["id"], originals=len(chosen.originals),
                         derivatives=len({d.sha256 for d in chosen.derivatives}), sources=len(chosen.sources),
                         incidents=len(chosen.incidents), entries=len(entries), imported=len(imported),
                         timestamped=bool(tsa_url), key_fingerprint=key_fingerprint, exported=exported,
                         seals_head=f"{sealed[0]}:{sealed[1]}" if sealed else "")


# ------------------------------------------------------------------ select


def _select(db: Database, *, incident_ids: list[int], source_ids: list[int]) -> _Selection:
    """The incidents and sources asked for, each source's incidents and each incident's sources."""
    from ..store.derivatives import derivatives_of
    from ..store.incidents import incidents_by_ids, incidents_for_source
    from ..store.sources import get_source

    incidents = {i.id: i for i in incidents_by_ids(db, sorted(set(incident_ids)))}
    missing = sorted(set(incident_ids) - set(incidents))
    if missing:
        raise PackageError(f"no incident with id {', '.join(map(str, missing))}")
    wanted = set(source_ids)
    for incident in list(incidents.values()):
        wanted.update(sid for sid in [incident.source_id, *(c.source_id for c in incident.claims)] if sid)
    sources: dict[int, Source] = {}
    for sid in sorted(wanted):
        source = get_source(db, sid)
        if source is None:
            raise PackageError(f"no source with id {sid}")
        sources[sid] = source
    for sid in sorted(set(source_ids)):
        for incident in incidents_for_source(db, sid):
            incidents.setdefault(incident.id, incident)
    originals: dict[str, str] = {}
    for source in sources.values():
        originals.setdefault(source.sha256, PurePosixPath(source.original_name).suffix)
    derivatives = [d for sha in originals for d in derivatives_of(db, sha)]
    return _Selection(incidents=[incidents[k] for k in sorted(incidents)],
                      sources=[sources[k] for k in sorted(sources)], originals=originals, derivatives=derivatives)


def _for_audience(chosen: _Selection, *, audience: Audience, asked: list[int]) -> _Selection:
    """The selection as ``audience``'s profile gives it (see :mod:`.bag_profile`)."""
    profile = audience.profile
    kept = audience.admits(chosen.incidents)
    if not kept and not (profile.sources and asked):
        raise PackageError(f"the {profile.name} profile gives none of the incidents selected (it takes "
                           f"{', '.join(sorted(c.value for c in profile.confidentialities))} incidents that are "
                           f"{' or '.join(sorted(s.value for s in profile.statuses))}); nothing written")
    if not profile.sources:
        return _Selection(incidents=[audience.project(i) for i in kept], sources=[], originals={}, derivatives=[])
    # The sources of the incidents it gives and those asked for by id, never those of an incident it cut.
    wanted = set(asked) | {sid for i in kept for sid in [i.source_id, *(c.source_id for c in i.claims)] if sid}
    candidates = [s for s in chosen.sources if s.id in wanted]
    sharing = audience.shares(candidates)
    sources = [s for s in candidates if s.id in sharing.texts]
    originals = {sha: ext for sha, ext in chosen.originals.items()
                 if sha in sharing.originals and any(s.sha256 == sha for s in sources)}
    return _Selection(incidents=[audience.project(i) for i in kept], sources=sources, originals=originals,
                      derivatives=[d for d in chosen.derivatives if d.original_sha256 in originals],
                      withheld=sorted(s.id for s in candidates if s.id is not None and s.id not in sharing.texts))


# ----------------------------------------------------------------- payload


def _copy_checked(store: Any, dest: Path, sha256: str) -> int:
    """Stream the stored file to ``dest`` hashing as it goes; refuse bytes that are not what their name says.

    Read through the store, so a sealed (encrypted) store gives its checked plaintext.
    """
    from ..store.vault.sealed import SealError

    digest, size = hashlib.sha256(), 0
    try:
        with open(dest, "xb") as target:
            for chunk in store.iter_chunks(sha256):
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
            target.flush()
            os.fsync(target.fileno())
    except FileNotFoundError:
        raise PackageError(f"stored file {sha256} is missing; run 'tawthiq verify'") from None
    except SealError:
        raise PackageError(f"stored file {sha256} fails its authentication check; run 'tawthiq verify'") from None
    if digest.hexdigest() != sha256:
        raise PackageError(f"stored file {sha256} no longer matches its hash; run 'tawthiq verify'")
    return size


def _write_payload(root: Path, chosen: _Selection, *, originals: Any, derived: Any) -> dict[str, dict[str, Any]]:
    """Copy originals and working copies; returns sha256 -> file facts for the metadata and index."""
    (root / "originals").mkdir()
    (root / "derived").mkdir()
    files: dict[str, dict[str, Any]] = {}
    for sha, ext in chosen.originals.items():
        name = fmt.file_name(sha, ext)
        size = _copy_checked(originals, root / "originals" / name, sha)
        files[sha] = {"file": f"originals/{name}", "role": "original", "size": size, "sha256": sha, "made_by": ""}
    for d in chosen.derivatives:
        if d.sha256 in files:
            continue
        name = fmt.file_name(d.sha256, mimetypes.guess_extension(d.media_type.split(";")[0].strip()) or ".bin")
        size = _copy_checked(derived, root / "derived" / name, d.sha256)
        files[d.sha256] = {"file": f"derived/{name}", "role": f"working copy ({d.kind})", "size": size,
                           "sha256": d.sha256, "made_by": f"{d.tool} {d.tool_version}".strip()}
    return files


def _source_json(source: Source, files: dict[str, dict[str, Any]], derivatives: list[Derivative],
                 audience: Audience | None = None) -> dict[str, Any]:
    ev = source.evaluation
    record = {
        "id": source.id, "kind": str(source.kind), "sha256": source.sha256, "record_key": source.record_key,
        "title": source.title, "author": source.author, "url": source.url, "language": source.language,
        "published": source.published.isoformat() if source.published else None,
        "retrieved_at": source.retrieved_at.isoformat() if source.retrieved_at else None,
        "original_name": source.original_name, "media_type": source.media_type, "size": source.size,
        "evaluation": {"reliability": str(ev.reliability), "credibility": str(ev.credibility), "note": ev.note,
                       "graded_by": ev.graded_by,
                       "graded_at": ev.graded_at.isoformat() if ev.graded_at else None},
        "metadata": source.metadata, "text": source.text,
        "original": files[source.sha256]["file"] if source.sha256 in files else None,
        "derivatives": [d.sha256 for d in derivatives if d.original_sha256 == source.sha256],
    }
    if audience is None:
        return record
    from .bag_profile import source_for_profile

    return source_for_profile(record, profile=audience.profile, original_included=source.sha256 in files)


def _derivative_json(d: Derivative, files: dict[str, dict[str, Any]], *, staff: bool = True) -> dict[str, Any]:
    return {"sha256": d.sha256, "original_sha256": d.original_sha256, "kind": str(d.kind),
            "media_type": d.media_type, "size": d.size, "tool": d.tool, "tool_version": d.tool_version,
            "params": d.params, "source_id": d.source_id, "created_by": d.created_by if staff else "",
            "created_at": d.created_at.isoformat() if d.created_at else None, "file": files[d.sha256]["file"]}


def _incident_json(incident: Incident) -> dict[str, Any]:
    """The export's contract-vocabulary record plus the claims behind it (with their spans)."""
    record = incident_record(incident)
    record["merged_into_id"] = incident.merged_into_id
    record["claims"] = [
        {"field": str(c.field), "value": c.value, "method": c.method, "confidence": c.confidence,
         "source_id": c.source_id, "created_by": c.created_by,
         "created_at": c.created_at.isoformat() if c.created_at else None, "note": c.note,
         "span": None if c.span is None else {"start": c.span.start, "end": c.span.end, "quote": c.span.quote},
         # A replaced claim stays replaced where the package is imported.
         "current": c.current,
         **({} if c.current else {"superseded_at": c.superseded_at.isoformat() if c.superseded_at else None,
                                  "superseded_by": c.superseded_by, "superseded_note": c.superseded_note})}
        for c in incident.claims
    ]
    return record


def _dump(path: Path, value: Any) -> None:
    from ..store.dialect import (
        json_dumps,  # the same JSON form the database keeps (dates, enums, no NaN)
    )

    path.write_text(json_dumps(value) + "\n", encoding="utf-8")


def _write_metadata(root: Path, chosen: _Selection, *, package: dict[str, Any], files: dict[str, dict[str, Any]],
                    entries: list[Any], imported: list[dict[str, Any]], audience: Audience | None = None) -> None:
    (root / "metadata").mkdir()
    (root / "custody").mkdir()
    staff = audience is None or audience.profile.staff
    sources = [_source_json(s, files, chosen.derivatives, audience) for s in chosen.sources]
    originals = [{"sha256": sha, "file": files[sha]["file"], "size": files[sha]["size"],
                  "sources": [s.id for s in chosen.sources if s.sha256 == sha]} for sha in chosen.originals]
    derivatives = [_derivative_json(d, files, staff=staff) for d in chosen.derivatives]
    incidents = [_incident_json(i) for i in chosen.incidents]
    _dump(root / "metadata" / "package.json", package)
    _dump(root / "metadata" / "sources.json",
          {"sources": sources, "originals": originals, "derivatives": derivatives})
    _dump(root / "metadata" / "incidents.json", incidents)
    if package["persons"] is not None:
        _dump(root / "metadata" / "persons.json", [
            {"incident_id": p.incident_id, "name": p.name, "name_alt": p.name_alt, "sex": str(p.sex), "age": p.age,
             "outcome": str(p.outcome) if p.outcome is not None else None,
             "confidentiality": str(p.confidentiality)} for p in chosen.persons])
    ledger = [fmt.entry_to_json(e) for e in entries]
    with open(root / "custody" / "ledger.jsonl", "w", encoding="utf-8") as handle:
        for line in ledger:
            handle.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    with open(root / "custody" / "imported.jsonl", "w", encoding="utf-8") as handle:
        for row in imported:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    from .bag_index import render_index

    (root / "index.html").write_text(render_index(
        package=package, incidents=incidents, sources=sources, entries=ledger, imported=imported,
        files=sorted(files.values(), key=lambda f: (f["role"] != "original", f["file"]))), encoding="utf-8")


def _make_bag(root: Path, *, package: dict[str, Any], organization: str) -> Any:
    import bagit

    info = {
        "Source-Organization": organization or "Tawthiq",
        "External-Description": "Tawthiq evidence package: originals, working copies, metadata and custody ledger"
                                + (f" ({package['reason']})" if package["reason"] else ""),
        "External-Identifier": package["id"],
        "Bagging-Date": package["created"][:10],
        "Tawthiq-Instance": package["instance"],
        "Tawthiq-Package-Format": fmt.FORMAT,
        "Tawthiq-Profile": package["profile"],
    }
    if package["ledger_head"]:
        info["Tawthiq-Ledger-Head"] = f"{package['ledger_head']['id']} {package['ledger_head']['hash']}"
    if package["seals_head"]:
        info["Tawthiq-Seals-Head"] = f"{package['seals_head']['id']} {package['seals_head']['hash']}"
    info = {k: " ".join(str(v).split()) for k, v in info.items()}  # one line each: bag-info is line-based
    try:
        return bagit.make_bag(str(root), bag_info=info, checksums=list(fmt.CHECKSUMS))
    except (bagit.BagError, OSError, RuntimeError) as exc:
        raise PackageError(f"cannot write the bag: {exc}") from None


def _timestamp(root: Path, bag: Any, *, url: str, chain: bytes | None, timeout: float) -> None:
    """Ask the TSA for a token over manifest-sha256.txt and keep it (and the chain) as tag files."""
    import bagit

    from ..evidence.timestamp import TimestampError, request_timestamp

    manifest = (root / fmt.TIMESTAMPED).read_bytes()
    try:
        stamp = request_timestamp(manifest, url=url, timeout=timeout)
    except TimestampError as exc:
        raise PackageError(str(exc)) from None
    (root / fmt.TIMESTAMP_DIR).mkdir()
    (root / fmt.TOKEN).write_bytes(stamp.response)
    (root / fmt.TOKEN_REQUEST).write_bytes(stamp.request)
    (root / fmt.TOKEN_INFO).write_text(json.dumps({
        "covers": fmt.TIMESTAMPED, "hash": "sha256", "nonce": str(stamp.nonce), "tsa_url": url,
        "gen_time": stamp.gen_time.isoformat(),
    }, indent=1) + "\n", encoding="utf-8")
    if chain:
        (root / fmt.TSA_CHAIN).write_bytes(chain)
    try:
        bag.save(manifests=False)  # rewrites the tag manifests so they list the timestamp files
    except (bagit.BagError, OSError) as exc:
        raise PackageError(f"cannot write the bag: {exc}") from None


# ------------------------------------------------------------------ commit


def _commit(db: Database, tmp: Path, out: Path, chosen: _Selection, *, package: dict[str, Any], actor: str,
            machine: str, reason: str, to: str, profile: str, approval: int | None) -> list[int]:
    """One custody entry per item, and the rename, in one transaction: both happen or neither does.

    A package for a narrower profile also gets one entry for the whole bag (its item the hash of the
    payload manifest), since it may carry no original at all and still took incidents out.
    """
    from ..store.custody import append

    event = "transferred" if to else "exported"
    details: dict[str, Any] = {"package": package["id"], "bag": str(out.resolve()), "profile": profile}
    if to:
        details["to"] = to
    if approval is not None:
        details["approval"] = approval
    source_of: dict[str, int | None] = {}
    for sha in chosen.originals:
        ids = [s.id for s in chosen.sources if s.sha256 == sha]
        source_of[sha] = ids[0] if len(ids) == 1 else None
    for d in chosen.derivatives:
        source_of.setdefault(d.sha256, d.source_id)
    ids: list[int] = []
    try:
        with db.session(write=True) as session:
            for sha, source_id in source_of.items():
                ids.append(append(session, item_sha256=sha, source_id=source_id, event=event, actor=actor,
                                  machine=machine, reason=reason, details=details).id)
            if profile != "court":
                manifest = hashlib.sha256((tmp / fmt.TIMESTAMPED).read_bytes()).hexdigest()
                ids.append(append(session, item_sha256=manifest, source_id=None, event=event, actor=actor,
                                  machine=machine, reason=reason,
                                  details={**details, "incidents": len(chosen.incidents),
                                           "sources": len(chosen.sources)}).id)
            if out.exists() or out.is_symlink():
                raise PackageError(f"{out} appeared while packaging; nothing written")
            os.rename(tmp, out)
    except BaseException:
        if out.exists() and not tmp.exists():  # renamed, then the commit failed: take the bag back
            shutil.rmtree(out, ignore_errors=True)
        raise
    return ids
