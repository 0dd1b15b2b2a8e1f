"""A small database for API tests: two sample reports, one user per role, tokens and sessions.

Built once per test module and copied for each test (a file copy), so every
request in a permission matrix starts from the same state without paying
for extraction and Argon2 hashing again.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from _client import PASSWORD, client_for

from tawthiq.domain.access import User
from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace, accounts, init_workspace, reading, review
from tawthiq.services.ingest import ingest_files
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.web.cookies import SECURE_SESSION_COOKIE as SESSION  # https and 127.0.0.1: __Host-

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ROLES = ("admin", "reviewer", "documenter", "viewer")
# Scripts use tokens, browsers use sessions: both paths are exercised, half the roles each.
TOKEN_ROLES = frozenset({"admin", "documenter"})
client = client_for  # the name the API tests import


@dataclass
class Fixture:
    root: Path
    ids: dict[str, int] = field(default_factory=dict)  # P public, R and R2 restricted, S a source
    tokens: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)  # role -> (cookie, csrf)
    span: tuple[int, int] = (0, 0)  # "strikes hit" in source S


def settings_at(root: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{root / 'tawthiq.db'}", data_dir=root / "data",
                    max_file_size=DEFAULT_MAX_FILE_SIZE)


def build(root: Path) -> Fixture:
    ws = init_workspace(settings_at(root))
    try:
        return populate(ws, root)
    finally:
        ws.db.dispose()  # type: ignore[attr-defined]


def populate(ws: Workspace, root: Path) -> Fixture:
    """Two sample reports, one user per role with a token and a session; incident P made public."""
    ingest_files(ws, [SAMPLES / "01-ariha-air-strike.en.txt", SAMPLES / "02-douma-shelling.ar.txt"])
    users: dict[str, User] = {role: accounts.create_user(ws, actor=None, username=f"{role}1",
                                                          password=PASSWORD, role=role) for role in ROLES}
    fx = Fixture(root=root)
    for role, user in users.items():
        fx.tokens[role] = accounts.create_api_token(ws, user=user, name=f"{role} script").token
        fx.sessions[role] = accounts.start_session(ws, user=user)
    admin = users["admin"]
    listed = reading.query_incidents(ws, user=admin, filters=IncidentFilter(), sort="id").items
    ariha = [s for s in listed if s.loc_name == "Ariha"]
    douma = [s.id for s in listed if s.loc_name == "Douma"]
    assert ariha and len(douma) >= 2, [(s.id, s.loc_name) for s in listed]
    fx.ids = {"P": ariha[0].id, "R": douma[0], "R2": douma[1], "S": ariha[0].source_id or 0}
    review.update_incident(ws, user=admin, incident_id=fx.ids["P"],
                           changes=review.IncidentChanges(confidentiality="public"),
                           comment="cleared for publication")
    text = reading.get_source_view(ws, user=admin, source_id=fx.ids["S"]).source.text
    start = text.index("strikes hit")
    fx.span = (start, start + len("strikes hit"))
    return fx


def copy(fx: Fixture, dest: Path) -> Workspace:
    """A private copy of the fixture's database and stored originals."""
    shutil.copytree(fx.root, dest, dirs_exist_ok=True)
    return Workspace.open(settings_at(dest))


def credentials(fx: Fixture, role: str | None, *, write: bool) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, cookies) for a role; sessions send their CSRF token on writes."""
    if role is None:
        return {}, {}
    if role in TOKEN_ROLES:
        return {"Authorization": f"Bearer {fx.tokens[role]}"}, {}
    cookie, csrf = fx.sessions[role]
    return ({"X-CSRF-Token": csrf} if write else {}), {SESSION: cookie}
