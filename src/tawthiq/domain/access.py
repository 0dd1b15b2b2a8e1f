"""Who may do what: roles, actions and the visibility of confidential records.

One table of rules, read by the services that the web app, the API and the
CLI all call, so a permission cannot differ between the three.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .enums import Confidentiality


class Role(StrEnum):
    ADMIN = "admin"  # everything, including managing users
    REVIEWER = "reviewer"  # documents and verifies; may publish
    DOCUMENTER = "documenter"  # adds material, reviews suggestions; cannot verify
    VIEWER = "viewer"  # reads public incidents only


class Action(StrEnum):
    READ_PUBLIC = "read-public"  # public incidents, the map, the dashboard
    READ_RESTRICTED = "read-restricted"  # restricted and confidential incidents
    READ_SOURCES = "read-sources"  # source texts and originals (they may name people)
    INGEST = "ingest"  # paste or upload material
    EDIT = "edit"  # create, edit, accept (confirm), reject and merge incidents
    VERIFY = "verify"  # mark an incident verified against its sources
    PUBLISH = "publish"  # make an incident public
    READ_NAMES = "read-names"  # the person records of victim lists: names, and the list files they came from
    ASSIGN = "assign"  # give a suggestion to a team member to review (or take it back)
    MANAGE_USERS = "manage-users"
    MANAGE_VOCABULARY = "manage-vocabulary"  # add, edit and retire actors from the interface
    MANAGE_SETTINGS = "manage-settings"  # the team's choices, e.g. requiring a second reviewer


_DOCUMENTER = frozenset({Action.READ_PUBLIC, Action.READ_RESTRICTED, Action.READ_SOURCES,
                         Action.INGEST, Action.EDIT})
# Names of persons are the most sensitive part of the record: documenters add material but do not
# read victim lists; reviewers and admins do.
_REVIEWER = _DOCUMENTER | {Action.VERIFY, Action.PUBLISH, Action.READ_NAMES, Action.ASSIGN}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.READ_PUBLIC}),
    Role.DOCUMENTER: _DOCUMENTER,
    Role.REVIEWER: _REVIEWER,
    Role.ADMIN: _REVIEWER | {Action.MANAGE_USERS, Action.MANAGE_VOCABULARY, Action.MANAGE_SETTINGS},
}


# The digits the Arabic interface can write its own figures in, by their Unicode (CLDR) numbering system
# names: Western 0-9 ("latn") or Arabic-Indic ٠-٩ ("arab").
DIGIT_SYSTEMS = ("latn", "arab")


@dataclass(frozen=True, slots=True)
class User:
    """An account as the services see it (never carries the password hash)."""

    id: int
    username: str
    role: Role
    display_name: str = ""
    disabled: bool = False
    must_change_password: bool = False
    language: str = "en"  # "en" or "ar": the interface language they chose
    digits: str = ""  # one of DIGIT_SYSTEMS for the Arabic interface; "" when not chosen on the account
    two_factor: bool = False  # signs in with a second factor (an authenticator code) after the password

    @property
    def label(self) -> str:
        return self.display_name or self.username


def allowed(role: Role | str, action: Action) -> bool:
    return action in ROLE_ACTIONS[Role(role)]


def visible_confidentialities(role: Role | str) -> tuple[Confidentiality, ...]:
    """The confidentiality levels of incidents this role may see."""
    if allowed(role, Action.READ_RESTRICTED):
        return tuple(Confidentiality)
    return (Confidentiality.PUBLIC,)


# The team setting (``team_settings`` key, JSON true/false) that makes publication wait for a second
# person: an incident is shown to viewers only once a reviewer other than the one who accepted it
# verified it. Off unless an admin turns it on.
SECOND_REVIEW = "second_review"


def waits_for_second_review(visible: Iterable[Confidentiality | str]) -> bool:
    """Whether a reader who sees ``visible`` levels is shown public incidents only once verified, when
    the team requires a second reviewer: one who cannot see restricted incidents (a viewer, and
    whatever is exported for one). An accepted incident not yet verified is, to them, not published."""
    return Confidentiality.RESTRICTED not in {Confidentiality(c) for c in visible}


def can_see(role: Role | str, confidentiality: Confidentiality | str) -> bool:
    return Confidentiality(confidentiality) in visible_confidentialities(role)


# Least to most restricted: a record made of parts is as restricted as its strictest part.
_STRICTNESS = (Confidentiality.PUBLIC, Confidentiality.RESTRICTED, Confidentiality.CONFIDENTIAL)


def strictest(*levels: Confidentiality | str) -> Confidentiality:
    """The most restricted of ``levels`` (public < restricted < confidential)."""
    if not levels:
        raise ValueError("strictest() needs at least one confidentiality")
    return max((Confidentiality(level) for level in levels), key=_STRICTNESS.index)


def looser(level: Confidentiality | str, than: Confidentiality | str) -> bool:
    """Whether ``level`` shows a record to more people than ``than`` does."""
    return _STRICTNESS.index(Confidentiality(level)) < _STRICTNESS.index(Confidentiality(than))


def sees_provenance(role: Role | str) -> bool:
    """Whether this role may see where the record's values come from: claims with
    their quotes, the mentions as written, sources, history and the staff who
    made each decision. Viewers see only the current public values."""
    return allowed(role, Action.READ_SOURCES) and allowed(role, Action.READ_RESTRICTED)
