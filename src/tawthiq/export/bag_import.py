"""Importing a package into another Tawthiq instance: same bytes, custody extended, not reset.

The bag is checked first (``bag_verify``) and refused whole if anything is
wrong. Then the originals and working copies go into their stores (they are
content-addressed, so the hashes are the same by construction and a second
import stores nothing), and in one transaction: the sources, the working
copies' rows, the incidents, every custody entry that came with the package
(kept as written, in ``imported_custody``, idempotent on the writing
instance and the entry's hash) and one local "imported" entry per item
that brought anything new.

Decisions:
- Incidents arrive as "suggested", or "rejected" when the sending instance
  rejected or merged them: a verification made elsewhere is recorded (in the
  incident's history, with the package and origin) but is not this team's
  verification. Claims and evidence spans come along.
- Sources get no "received"/"ingested" entries here; their history is the
  imported one, and the "imported" entry says from which package and
  instance (and that instance's ledger head when it packaged).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import bag_format as fmt
from .bag_verify import read_jsonl, verify_bag

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from ..domain import Incident, Person, Source
    from ..domain.originals import Derivative
    from ..store.db import Database
    from ..store.vault.blobs import BlobStore

_MAX_PROBLEMS_SHOWN = 5


class BagImportError(Exception):
    """The package was refused; nothing was imported. One line (or a few) for the operator."""


@dataclass(slots=True)
class ImportResult:
    package_id: str
    origin: str
    originals: int  # files newly stored
    derivatives: int
    sources: int  # rows newly created
    incidents: int
    entries: int  # foreign custody entries newly kept
    imported_entries: int  # local "imported" entries written


def import_package(db: Database, *, blobs: BlobStore, bag: Path, actor: str, machine: str, reason: str = "",
                   tsa_certificates: bytes | None = None, received_as: Path | None = None,
                   public_key: Ed25519PublicKey | None = None, signature_check: bool = True,
                   seals_head: tuple[int | None, str] | None = None) -> ImportResult:
    """Check the bag, refuse it whole if anything is wrong, else bring everything in (idempotently).

    ``received_as`` is what the custody entries name when ``bag`` is a scratch
    copy (the .zip it was unpacked from).
    """
    from ..store.derivatives import instance_id
    from ..store.vault.derived import derived_store

    report = verify_bag(bag, tsa_certificates=tsa_certificates, public_key=public_key,
                        signature_check=signature_check, seals_head=seals_head)
    if not report.ok:
        shown = "; ".join(report.problems[:_MAX_PROBLEMS_SHOWN])
        more = f"; and {len(report.problems) - _MAX_PROBLEMS_SHOWN} more" if len(report.problems) > \
            _MAX_PROBLEMS_SHOWN else ""
        raise BagImportError(f"package refused, nothing imported: {shown}{more}")
    if report.profile != "court":
        # A partner's or the public's cut has no custody and leaves sources out: not a record to continue.
        raise BagImportError(f"package refused, nothing imported: it was made for the {report.profile} profile; "
                             "only court packages (the whole record with its custody) are imported")
    root = Path(bag)
    package = report.package
    origin, package_id = str(package.get("instance") or ""), str(package.get("id") or "")
    if not origin or not package_id:
        raise BagImportError("package refused: package.json names no package id or instance")
    if origin == instance_id(db):
        raise BagImportError("package refused: it was written by this instance; its custody is already here")
    plan = _Plan.read(root, report)
    originals, derived = blobs, derived_store(blobs)
    new_files: set[str] = set()
    for sha, rel in plan.original_files.items():
        new_files |= _store_file(originals, root / "data" / rel, sha)
    for sha, rel in plan.derived_files.items():
        new_files |= _store_file(derived, root / "data" / rel, sha)
    counts = _write_rows(db, plan, package=package, origin=origin, package_id=package_id, actor=actor,
                         machine=machine, reason=reason, bag=Path(received_as or root))
    return ImportResult(package_id=package_id, origin=origin,
                        originals=len(new_files & set(plan.original_files)),
                        derivatives=len(new_files & set(plan.derived_files)), **counts)


def _store_file(store: Any, path: Path, sha: str) -> set[str]:
    """Put one file into a content-addressed store; {sha} when it was not there before."""
    if store.exists(sha) and store.verify(sha):
        return set()
    if store.put_file(path) != sha:  # checked by verify_bag; a change since then is an attack or a bad disk
        raise BagImportError(f"{path.name} changed while importing; nothing more imported")
    return {sha}


# ------------------------------------------------------------------ reading


@dataclass(slots=True)
class _Plan:
    sources: list[Source]
    source_origin_ids: list[int | None]
    derivatives: list[Derivative]
    incidents: list[tuple[dict[str, Any], Incident]]
    persons: dict[Any, list[Person]]  # origin incident id -> named persons (only when packaged on purpose)
    ledger: list[tuple[int, dict[str, Any]]]  # position, entry
    imported: list[dict[str, Any]]
    original_files: dict[str, str]  # sha256 -> path under data/
    derived_files: dict[str, str]

    @classmethod
    def read(cls, root: Path, report: Any) -> _Plan:
        """Parse all metadata before writing anything, so a malformed package imports nothing."""
        import json

        try:
            meta = json.loads((root / fmt.SOURCES_JSON).read_text(encoding="utf-8"))
            incident_records = json.loads((root / fmt.INCIDENTS_JSON).read_text(encoding="utf-8"))
            original_files = {o["sha256"]: _inside(o["file"], "originals") for o in meta["originals"]}
            derived_files = {d["sha256"]: _inside(d["file"], "derived") for d in meta["derivatives"]}
            sources, origin_ids = [], []
            for n, item in enumerate(meta["sources"], 1):
                sources.append(_where(f"sources.json source {n}", _source, item))
                origin_ids.append(item.get("id"))
                if item["sha256"] not in original_files:
                    raise BagImportError(f"sources.json source {n}: its original is not in the package")
            derivatives = [_where(f"sources.json derivative {n}", _derivative, d)
                           for n, d in enumerate(meta["derivatives"], 1)]
            incidents = [(rec, _where(f"incidents.json incident {n}", _incident, rec))
                         for n, rec in enumerate(incident_records, 1)]
            persons: dict[Any, list[Person]] = {}
            if (root / fmt.PERSONS_JSON).is_file():
                for n, item in enumerate(json.loads((root / fmt.PERSONS_JSON).read_text(encoding="utf-8")), 1):
                    persons.setdefault(item.get("incident_id"), []).append(
                        _where(f"persons.json person {n}", _person, item))
        except BagImportError:
            raise
        except (KeyError, TypeError, AttributeError, ValueError, OSError) as exc:
            raise BagImportError(f"package refused: its metadata is malformed ({type(exc).__name__}: "
                                 f"{str(exc)[:120]})") from None
        ledger = [(pos, data) for pos, (_, data) in enumerate(read_jsonl(root, fmt.LEDGER, report))]
        imported = [row for _, row in read_jsonl(root, fmt.IMPORTED, report)]
        return cls(sources=sources, source_origin_ids=origin_ids, derivatives=derivatives, incidents=incidents,
                   persons=persons, ledger=ledger, imported=imported, original_files=original_files, derived_files=derived_files)


def _inside(rel: Any, folder: str) -> str:
    """A metadata path the files are read from: ``<folder>/<sha256>[.<ext>]``, nothing else.

    verify_bag has refused any other already; this is said again where the
    path is opened, so that no change to the checks can make import follow one.
    """
    from pathlib import PurePosixPath

    parts = PurePosixPath(rel).parts if isinstance(rel, str) and "\\" not in rel else ()
    if len(parts) != 2 or parts[0] != folder or fmt.sha_of_name(parts[1]) is None:
        raise BagImportError(f"package refused: its metadata names {str(rel)[:120]!r}, outside data/{folder}/")
    return rel


def _where(where: str, parse: Any, value: Any) -> Any:
    try:
        return parse(value)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise BagImportError(f"package refused: {where} is malformed ({type(exc).__name__}: {str(exc)[:120]})") \
            from None


def _when(value: Any) -> datetime | None:
    if value is None:
        return None
    at = datetime.fromisoformat(str(value))
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _count(value: Any) -> int | None:
    """A breakdown count (children, women, men): a whole number 0 or more, or None (older bags have none)."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError(f"expected a count, got {value!r:.40}")
    return value


def _source(item: dict[str, Any]) -> Source:
    from ..domain.enums import Credibility, Reliability, SourceKind
    from ..domain.model import Source, SourceEvaluation

    sha = _text(item["sha256"])
    if not fmt.SHA_RE.match(sha):
        raise ValueError("sha256 is not a SHA-256")
    ev = item.get("evaluation") or {}
    metadata = item.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise TypeError("metadata is not an object")
    return Source(kind=SourceKind(item["kind"]), sha256=sha, text=_text(item.get("text")),
                  title=_text(item.get("title")), author=_text(item.get("author")), url=_text(item.get("url")),
                  language=_text(item.get("language")),
                  published=date.fromisoformat(item["published"]) if item.get("published") else None,
                  retrieved_at=_when(item.get("retrieved_at")), original_name=_text(item.get("original_name")),
                  media_type=_text(item.get("media_type")), size=int(item.get("size") or 0),
                  record_key=_text(item.get("record_key")), metadata=dict(metadata),
                  evaluation=SourceEvaluation(reliability=Reliability(ev.get("reliability", "F")),
                                              credibility=Credibility(ev.get("credibility", "6")),
                                              note=_text(ev.get("note")), graded_by=ev.get("graded_by"),
                                              graded_at=_when(ev.get("graded_at"))))


def _derivative(item: dict[str, Any]) -> Derivative:
    from ..domain.enums import DerivativeKind
    from ..domain.originals import Derivative

    for key in ("sha256", "original_sha256"):
        if not fmt.SHA_RE.match(_text(item[key])):
            raise ValueError(f"{key} is not a SHA-256")
    params = item.get("params") or {}
    if not isinstance(params, dict):
        raise TypeError("params is not an object")
    return Derivative(original_sha256=item["original_sha256"], sha256=item["sha256"],
                      kind=DerivativeKind(item["kind"]), media_type=_text(item.get("media_type")),
                      size=int(item.get("size") or 0), tool=_text(item["tool"]),
                      tool_version=_text(item.get("tool_version")), params=params,
                      source_id=item.get("source_id"), created_by=_text(item.get("created_by")))


def _person(item: dict[str, Any]) -> Person:
    from ..domain import enums as e
    from ..domain.model import Person

    age = item.get("age")
    if age is not None and (not isinstance(age, int) or isinstance(age, bool)):
        raise TypeError("age is not a number")
    return Person(name=_text(item["name"]), name_alt=_text(item.get("name_alt")), sex=e.Sex(item.get("sex", "unknown")),
                  age=age, outcome=e.VictimOutcome(item["outcome"]) if item.get("outcome") else None,
                  confidentiality=e.Confidentiality(item.get("confidentiality", "confidential")))


def _incident(rec: dict[str, Any]) -> Incident:
    """The export record (contract vocabulary) back into an incident; a wrong code is a ValueError."""
    from ..domain import enums as e
    from ..domain.model import Claim, Incident, IncidentDate, Involvement, Location, Span, VictimGroup

    loc, when = rec.get("location"), rec.get("date")
    claims = []
    for c in rec.get("claims") or []:
        span = c.get("span")
        claims.append(Claim(field=e.ClaimField(c["field"]), value=c.get("value"), method=_text(c["method"]),
                            confidence=float(c.get("confidence", 1.0)), source_id=c.get("source_id"),
                            created_by=_text(c.get("created_by")) or "system", created_at=_when(c.get("created_at")),
                            note=_text(c.get("note")),
                            # Packages made before claims were marked say nothing: those are current.
                            superseded_at=None if c.get("current", True) else (
                                _when(c.get("superseded_at")) or _when(c.get("created_at"))),
                            superseded_by="" if c.get("current", True) else _text(c.get("superseded_by")),
                            superseded_note="" if c.get("current", True) else _text(c.get("superseded_note")),
                            span=None if not span else Span(start=int(span["start"]), end=int(span["end"]),
                                                            quote=_text(span.get("quote")))))
    return Incident(
        event_type=_text(rec["event_type"]), violations=[_text(v) for v in rec.get("violations") or []],
        involvements=[Involvement(actor=_text(p.get("faction") or p["actor"]),
                                  degree=e.InvolvementDegree(p.get("degree", "carried-out")),
                                  text=_text(p.get("text"))) for p in rec.get("perpetrators") or []],
        victims=[VictimGroup(outcome=e.VictimOutcome(v["outcome"]), kind=e.VictimKind(v.get("kind", "unknown")),
                             unit=e.CountingUnit(v.get("unit", "individual")), count_min=v.get("count_min"),
                             count_max=v.get("count_max"), sex=e.Sex(v.get("sex", "unknown")),
                             age=e.AgeGroup(v.get("age", "unknown")), text=_text(v.get("text")),
                             children=_count(v.get("children")), women=_count(v.get("women")),
                             men=_count(v.get("men")))
                 for v in rec.get("victims") or []],
        location=None if not loc else Location(
            name=_text(loc.get("name")), text=_text(loc.get("text")), name_ar=_text(loc.get("name_ar")),
            country=_text(loc.get("country")), admin1=_text(loc.get("admin1")), admin2=_text(loc.get("admin2")),
            admin3=_text(loc.get("admin3")), lat=loc.get("lat"), lon=loc.get("lon"),
            precision=e.LocationPrecision(loc.get("precision", "country")), place_id=_text(loc.get("place_id"))),
        date=None if not when else IncidentDate(edtf=_text(when["edtf"]), text=_text(when.get("text")),
                                                precision=e.DatePrecision(when.get("precision", "day"))),
        description=_text(rec.get("description")),
        confidentiality=e.Confidentiality(rec.get("confidentiality", "restricted")),
        evidence=[Span(start=int(s["start"]), end=int(s["end"]), quote=_text(s.get("quote")))
                  for s in rec.get("evidence") or []],
        confidence=float(rec.get("confidence", 0.5)), claims=claims,
    )


# ------------------------------------------------------------------ writing


def _write_rows(db: Database, plan: _Plan, *, package: dict[str, Any], origin: str, package_id: str, actor: str,
                machine: str, reason: str, bag: Path) -> dict[str, int]:
    from ..domain.enums import IncidentStatus
    from ..store.custody import append
    from ..store.derivatives import insert_derivative
    from ..store.incidents import insert_incident
    from ..store.packages import (
        imported_incident,
        insert_imported,
        insert_imported_source,
        insert_person,
        mark_imported_incident,
    )

    now = datetime.now(UTC)
    touched: dict[str, int | None] = {}  # item sha256 -> local source id, for items that brought anything new
    counts = {"sources": 0, "incidents": 0, "entries": 0, "imported_entries": 0}
    with db.session(write=True) as session:
        local: dict[int, int] = {}  # origin source id -> local source id
        for source, origin_id in zip(plan.sources, plan.source_origin_ids, strict=True):
            source.metadata.setdefault("package_import", {"package": package_id, "origin": origin,
                                                          "origin_source_id": origin_id,
                                                          "origin_received_via":
                                                              source.metadata.get("received_via", "")})
            source.metadata["received_via"] = "package import"
            source_id, created = insert_imported_source(session, source)
            if isinstance(origin_id, int):
                local[origin_id] = source_id
            if created:
                counts["sources"] += 1
                touched[source.sha256] = source_id
        by_sha = {s.sha256: local.get(o) for s, o in zip(plan.sources, plan.source_origin_ids, strict=True)}
        for d in plan.derivatives:
            d.source_id = local.get(d.source_id) if isinstance(d.source_id, int) else None
            d.created_by = d.created_by or f"instance {origin}"
            if insert_derivative(session, d)[1]:
                touched.setdefault(d.sha256, d.source_id)
        for position, data in plan.ledger:
            if insert_imported(session, package=package_id, origin=origin, position=position,
                               item_sha256=data["item_sha256"], entry=data, entry_hash=data["entry_hash"], at=now):
                counts["entries"] += 1
                touched.setdefault(data["item_sha256"], by_sha.get(data["item_sha256"]))
        for row in plan.imported:
            entry = row["entry"]
            if insert_imported(session, package=str(row.get("package") or package_id), origin=row["origin"],
                               position=int(row.get("position") or 0), item_sha256=entry["item_sha256"],
                               entry=entry, entry_hash=entry["entry_hash"], at=now):
                counts["entries"] += 1
                touched.setdefault(entry["item_sha256"], by_sha.get(entry["item_sha256"]))
        for rec, incident in plan.incidents:
            key = f"{origin}:incident:{rec.get('id')}"
            if imported_incident(session, key) is not None:
                continue
            origin_status = str(rec.get("status", ""))
            incident.status = IncidentStatus.REJECTED if origin_status in ("rejected", "merged") \
                else IncidentStatus.SUGGESTED
            source_id = local.get(rec.get("source_id")) if isinstance(rec.get("source_id"), int) else None
            incident.source_id = source_id
            for claim in incident.claims:
                claim.source_id = local.get(claim.source_id) if isinstance(claim.source_id, int) else None
            new_id = insert_incident(session, incident, source_id=source_id, user=actor)
            mark_imported_incident(session, incident_id=new_id, key=key, user=actor, after={
                "package": package_id, "origin": origin, "origin_incident_id": rec.get("id"),
                "origin_status": origin_status, "origin_source_id": rec.get("source_id")})
            counts["incidents"] += 1
            for person in plan.persons.get(rec.get("id"), []):
                person.incident_id = new_id
                insert_person(session, person, user=actor)
        known = set(plan.original_files) | set(plan.derived_files)
        details = {"package": package_id, "origin": origin, "origin_head": package.get("ledger_head"),
                   "bag": str(bag.resolve())}
        for sha in sorted(sha for sha in touched if sha in known):
            append(session, item_sha256=sha, source_id=touched[sha], event="imported", actor=actor,
                   machine=machine, reason=reason, details=details)
            counts["imported_entries"] += 1
    return counts
