"""Package services: make, check and import evidence packages (CLI now, web later).

``verify_package`` needs no workspace: a package is checked where no
Tawthiq database exists, so nothing from the store is imported on that path.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.access import Action, User, allowed
from ..domain.filters import IncidentFilter
from .errors import PermissionDenied, ServiceError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    from ..domain import Incident
    from ..domain.profiles import Profile
    from ..export.bag_import import ImportResult
    from ..export.bag_profile import Audience
    from ..export.bag_verify import BagReport
    from ..export.package import PackageResult
    from . import Workspace


def _require(user: User | None, *actions: Action) -> None:
    """The CLI (``user`` None) is the operator; a signed-in user needs every one of ``actions``."""
    if user is None:
        return
    for action in actions:
        if user.disabled or not allowed(user.role, action):
            raise PermissionDenied(f"your role ({user.role}) may not {action.value.replace('-', ' ')}")


def make_package(ws: Workspace, *, out: Path, actor: str, machine: str, incident_ids: list[int] | None = None,
                 matching: IncidentFilter | None = None, source_ids: list[int] | None = None, reason: str = "",
                 to: str = "", organization: str = "", tsa_url: str | None = None, tsa_chain: bytes | None = None,
                 include_persons: bool = False, user: User | None = None, profile: str = "court") -> PackageResult:
    """Write a BagIt package of these incidents and sources; records "exported" (or "transferred") custody.

    ``profile`` (:mod:`tawthiq.domain.profiles`) is the audience: court (everything, the default), partner
    or public; the package is cut to it (:mod:`tawthiq.export.bag_profile`) and records it.

    ``matching`` adds every incident it selects to ``incident_ids``; criteria
    that select none are an error rather than a package without them.
    A signed-in user may package, on their own, the profile their role may
    export; a wider one needs a reviewer's unexpired approval
    (:func:`.export_approvals.check_export`), which the custody entries name.
    Named persons (``include_persons``, court only) also need the right to read names.
    """
    from ..domain.profiles import profile_named
    from ..export.package import PackageError, build_package
    from . import list_incidents
    from .export_approvals import check_export

    try:
        chosen = profile_named(profile)
    except ValueError as exc:
        raise ServiceError(str(exc), kind="export.unknown_profile", value=str(profile)[:40]) from None
    approval = None if user is None else check_export(ws, user=user, profile=chosen.name)
    if include_persons:
        if not chosen.names:
            raise ServiceError(f"--include-persons and --profile {chosen.name} do not go together: that profile "
                               "gives no persons' names", kind="package.persons_not_in_profile")
        _require(user, Action.READ_NAMES)

    ids = list(incident_ids or [])
    if matching is not None:
        found = list_incidents(ws, filters=matching)
        if not found:
            raise ServiceError("no incident matches the filters given")
        ids += [i.id for i in found if i.id is not None]
    try:
        return build_package(ws.db, blobs=ws.blobs, out=out,
                             incident_ids=ids, source_ids=source_ids or [], actor=actor, machine=machine,
                             reason=reason, to=to, organization=organization, tsa_url=tsa_url,
                             tsa_chain=tsa_chain, include_persons=include_persons,
                             signing_key=_signing_key(ws),
                             audience=None if chosen.name == "court" else _audience(ws, chosen),
                             approval=None if approval is None else approval.entry_id)
    except PackageError as exc:
        raise ServiceError(str(exc)) from None


def _audience(ws: Workspace, profile: Profile) -> Audience:
    """What the package writer needs to cut a bag to ``profile``: its projection and its shareable sources."""
    from ..export.bag_profile import Audience
    from .public import project_incident
    from .publishing import gazetteer_point
    from .shareable import shareable_sources

    def admits(incidents: Sequence[Incident]) -> list[Incident]:
        from ..export.bag_profile import lets_through
        from ..store.conditions import visible_ids

        levels = tuple(sorted(c.value for c in profile.confidentialities))
        with ws.db.session() as session:
            seen = visible_ids(session, [i.id for i in incidents if i.id is not None], levels)
        return [i for i in incidents if i.id in seen and lets_through(profile, i)]

    return Audience(profile=profile, admits=admits,
                    project=lambda incident: project_incident(incident, profile=profile, places=gazetteer_point),
                    shares=lambda sources: shareable_sources(ws, profile=profile, sources=sources))


def _signing_key(ws: Workspace) -> Ed25519PrivateKey:
    from ..store.signing_key import SigningKeyError, signing_key

    try:
        return signing_key(data_dir=ws.settings.data_dir)
    except (SigningKeyError, OSError) as exc:
        raise ServiceError(str(exc) if isinstance(exc, SigningKeyError) else
                           f"cannot make the signing key: {exc.strerror or exc}") from None


@dataclass(slots=True, frozen=True)
class PublicKey:
    pem: bytes
    fingerprint: str


def public_signing_key(ws: Workspace) -> PublicKey:
    """The public half of the workspace's package-signing key (made on first need), for recipients to keep."""
    from ..export.bag_signature import fingerprint, public_pem

    key = _signing_key(ws)
    return PublicKey(pem=public_pem(key), fingerprint=fingerprint(key.public_key()))


def _public_key(pem: bytes | None) -> Ed25519PublicKey | None:
    from ..export.bag_signature import SignatureError, load_public_key

    if pem is None:
        return None
    try:
        return load_public_key(pem)
    except SignatureError as exc:
        raise ServiceError(f"--key: {exc}") from None


def _seals_head(text: str | None) -> tuple[int | None, str] | None:
    from ..export.bag_format import parse_seals_head

    if text is None:
        return None
    try:
        return parse_seals_head(text)
    except ValueError as exc:
        raise ServiceError(f"--seals-head: {exc}") from None


def verify_package(path: Path, *, tsa_certificates: bytes | None = None, public_key: bytes | None = None,
                   signature_check: bool = True, seals_head: str | None = None) -> BagReport:
    """Check a package offline; the report lists every problem (none means it holds).

    ``public_key`` is the PEM of the key the package must be signed by; without
    it (or unsigned) the package fails unless ``signature_check`` is False.
    ``seals_head`` (``ID:HASH`` or ``HASH``, as ``tawthiq package`` printed it) is
    the record-seal head the package must carry.
    """
    from ..export.bag_verify import verify_bag
    from ..export.bag_zip import BagZipError, is_zip, unpacked

    key, head = _public_key(public_key), _seals_head(seals_head)
    if not is_zip(path):
        return verify_bag(path, tsa_certificates=tsa_certificates, public_key=key, signature_check=signature_check,
                          seals_head=head)
    try:
        with unpacked(path) as bag:
            report = verify_bag(bag, tsa_certificates=tsa_certificates, public_key=key,
                                signature_check=signature_check, seals_head=head)
    except BagZipError as exc:
        raise ServiceError(str(exc)) from None
    report.path = Path(path)
    return report


def import_package(ws: Workspace, *, path: Path, actor: str, machine: str, reason: str = "",
                   tsa_certificates: bytes | None = None, public_key: bytes | None = None,
                   signature_check: bool = True, seals_head: str | None = None,
                   user: User | None = None) -> ImportResult:
    """Check, then import a package (a bag folder, or a .zip of one); nothing is imported from a bad one.

    The signature is checked as by :func:`verify_package`: against ``public_key``, required unless
    ``signature_check`` is False.
    """
    _require(user, Action.INGEST)
    key, head = _public_key(public_key), _seals_head(seals_head)
    from ..export.bag_import import BagImportError
    from ..export.bag_import import import_package as run_import
    from ..export.bag_zip import BagZipError, is_zip, unpacked

    def run(bag: Path) -> ImportResult:
        return run_import(ws.db, blobs=ws.blobs, bag=bag, actor=actor,
                          machine=machine, reason=reason, tsa_certificates=tsa_certificates, received_as=path,
                          public_key=key, signature_check=signature_check, seals_head=head)

    try:
        if not is_zip(path):
            return run(path)
        # Unpacked beside the stores (same disk, so a large package is not staged in a small /tmp).
        with unpacked(path, scratch=ws.settings.data_dir, max_file_size=ws.settings.max_file_size) as bag:
            return run(bag)
    except (BagImportError, BagZipError) as exc:
        raise ServiceError(str(exc)) from None
