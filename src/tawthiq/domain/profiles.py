"""Audiences: what each kind of export keeps of the record (issue 13 §5).

A profile is data, not code: the levels and statuses of incidents it lets
through, how finely it gives dates and places, and which of the sensitive
parts (persons' names, source authors and contacts, source texts, claims,
custody) it carries. The projection that builds a published record reads
a profile and copies only what it allows into new objects
(:func:`tawthiq.services.public.project_incident`), so a part a profile does
not name never leaves, whatever is added to the record later.

* ``court``: everything for an accountability mechanism, custody included;
* ``partner``: another documentation group: no persons' names, no source
  authors or contacts, source texts only where shareable (a source all of
  whose incidents are public);
* ``public``: anyone: public, reviewed incidents only, current values only,
  dates to the day, places to the town (village) or coarser, no names and no
  source texts.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .access import Role
from .enums import Confidentiality, DatePrecision, IncidentStatus, LocationPrecision
from .model import Incident

__all__ = ["PROFILES", "ROLE_PROFILES", "VIEWER_PAGES", "Profile", "SourceTexts", "finer_date", "finer_place", "profile_named",
           "role_profile", "source_shareable", "wider"]


class SourceTexts(StrEnum):
    ALL = "all"  # every source's text and original
    SHAREABLE = "shareable"  # only sources all of whose incidents the profile lets through as public
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Profile:
    """What one audience is given. Every flag is False (left out) unless set."""

    name: str
    title_en: str
    title_ar: str
    confidentialities: frozenset[Confidentiality]
    statuses: frozenset[IncidentStatus]  # review statuses of the incidents it lets through
    date_precision: DatePrecision  # the finest date it gives (a finer one is cut to it)
    place_precision: LocationPrecision  # the finest place it gives (a finer one is coarsened to it)
    names: bool = False  # named persons (victims, witnesses)
    authors: bool = False  # sources' authors, publishers and contact details
    source_texts: SourceTexts = SourceTexts.NONE
    claims: bool = False  # claims, evidence spans and the mentions as written: quotes of sources
    superseded: bool = False  # values a person replaced (kept on claims)
    custody: bool = False  # the ledger of who held and handed over each original
    sources: bool = False  # which source an incident came from, its cluster and corroboration
    staff: bool = False  # the user names of staff who made each decision
    place_text: bool = False  # the place's own words as stored (kept on the viewer's pages, see services/public.py)


_REVIEWED = frozenset({IncidentStatus.CONFIRMED, IncidentStatus.VERIFIED})

COURT = Profile(
    name="court", title_en="Court (accountability mechanism)", title_ar="محكمة (آلية مساءلة)",
    confidentialities=frozenset(Confidentiality), statuses=_REVIEWED,
    date_precision=DatePrecision.DAY, place_precision=LocationPrecision.EXACT,
    names=True, authors=True, source_texts=SourceTexts.ALL, claims=True, superseded=True, custody=True,
    sources=True, staff=True)

PARTNER = Profile(
    name="partner", title_en="Partner organisation", title_ar="منظمة شريكة",
    confidentialities=frozenset({Confidentiality.PUBLIC, Confidentiality.RESTRICTED}), statuses=_REVIEWED,
    date_precision=DatePrecision.DAY, place_precision=LocationPrecision.EXACT,
    source_texts=SourceTexts.SHAREABLE, claims=False, sources=True)

PUBLIC = Profile(
    name="public", title_en="Public", title_ar="عام",
    confidentialities=frozenset({Confidentiality.PUBLIC}), statuses=_REVIEWED,
    date_precision=DatePrecision.DAY, place_precision=LocationPrecision.TOWN)

# The registry: every profile an export, a package or a publication may name.
PROFILES: tuple[Profile, ...] = (COURT, PARTNER, PUBLIC)

# What the web pages and the API give a viewer of one public incident: the public profile with the place as
# recorded (the map and the lists show viewers the stored place; incidents a viewer may see are decided by the
# sight rules, not by this profile's statuses). Not an export's choice: it is no member of PROFILES.
VIEWER_PAGES = Profile(
    name="viewer-pages", title_en="Viewer's pages", title_ar="صفحات القارئ",
    confidentialities=frozenset({Confidentiality.PUBLIC}), statuses=frozenset(IncidentStatus),
    date_precision=DatePrecision.DAY, place_precision=LocationPrecision.EXACT, place_text=True)


# What each role may export without anyone's approval: what it may read. Documenters read restricted
# incidents and sources but not persons' names (the partner profile); viewers the public record.
ROLE_PROFILES: dict[Role, Profile] = {
    Role.VIEWER: PUBLIC, Role.DOCUMENTER: PARTNER, Role.REVIEWER: COURT, Role.ADMIN: COURT,
}
# Narrowest first: an export for a later profile gives more than one for an earlier.
_BREADTH = (PUBLIC, PARTNER, COURT)


def role_profile(role: Role | str) -> Profile:
    """The widest profile ``role`` may export on its own."""
    return ROLE_PROFILES[Role(role)]


def wider(profile: Profile, than: Profile) -> bool:
    """Whether an export for ``profile`` gives more than one for ``than``."""
    return _BREADTH.index(profile) > _BREADTH.index(than)


def profile_named(name: str) -> Profile:
    """The profile called ``name``; a ValueError naming the choices otherwise."""
    for profile in PROFILES:
        if profile.name == name:
            return profile
    raise ValueError(f"unknown profile {name!r}; choose one of {', '.join(p.name for p in PROFILES)}")


def source_shareable(profile: Profile, *, incidents: Iterable[Incident], names_people: bool) -> bool:
    """Whether ``profile`` gives a source's text (and original): the one rule of :class:`SourceTexts`.

    ``incidents`` are every incident the source is tied to (its own, those whose claims cite it, those it is
    attached to as evidence), not only the ones being exported: a source also behind a restricted incident
    would tell a reader of its text what the restricted record holds. ``names_people`` says the source is a
    victim list (person records, or read by the list importer): its original is names, so it is shared only
    with a profile that carries names. SHAREABLE asks for at least one incident, every one of them public and
    of a review status the profile lets through; a source no reviewed record rests on is not shareable.
    """
    if profile.source_texts is SourceTexts.ALL:
        return True
    if profile.source_texts is SourceTexts.NONE or (names_people and not profile.names):
        return False
    if Confidentiality.PUBLIC not in profile.confidentialities:
        return False
    seen = False
    for incident in incidents:
        seen = True
        if Confidentiality(incident.confidentiality) is not Confidentiality.PUBLIC \
                or IncidentStatus(incident.status) not in profile.statuses:
            return False
    return seen


_DATE_ORDER = (DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR)
_PLACE_ORDER = tuple(LocationPrecision)


def finer_place(precision: LocationPrecision | str, than: LocationPrecision | str) -> bool:
    """Whether ``precision`` is more precise than ``than`` (exact < neighbourhood < town < …)."""
    return _PLACE_ORDER.index(LocationPrecision(precision)) < _PLACE_ORDER.index(LocationPrecision(than))


def finer_date(precision: DatePrecision | str, than: DatePrecision | str) -> bool:
    """Whether a date of ``precision`` is more precise than ``than`` allows (approximate and unknown never are)."""
    p, t = DatePrecision(precision), DatePrecision(than)
    if p not in _DATE_ORDER or t not in _DATE_ORDER:
        return False
    return _DATE_ORDER.index(p) < _DATE_ORDER.index(t)
