"""A tag is the team's own unless an admin marks it shown to viewers (migration 0021): viewers then see
only the marked tags, in rows, the incident's panel, the tag facet, the names and the tag filter; the
flag is changed like any tag change (who, when, why). Real SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from _users import ADMIN, DOCUMENTER, REVIEWER, VIEWER
from sqlalchemy import inspect, text

from tawthiq.domain import Confidentiality, Incident, IncidentDate, IncidentStatus, Location
from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace, incident_rows, reading, tags
from tawthiq.services.tags import TagForm
from tawthiq.store import repository
from tawthiq.store.history import history
from tawthiq.store.tags import all_tags

TEAM = TagForm(label_en="Needs follow-up", label_ar="يحتاج متابعة", colour="orange")  # default: not shown
OPEN = TagForm(label_en="Market", label_ar="سوق", colour="blue", shown_to_viewers=True)


def _incident(ws: Workspace, place: str, conf: Confidentiality = Confidentiality.PUBLIC) -> int:
    return repository.add_incident(ws.db, Incident(
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=conf,
        description=f"strike on {place}", location=Location(name=place, admin1="Idlib"),
        date=IncidentDate(edtf="2015-10-07")))


def _seen_by(ws: Workspace, user: object, incident: int) -> dict[str, object]:
    """Every way a reader meets an incident's tags, as label sets (ids for the facet and the names)."""
    listed = reading.list_page(ws, user=user, filters=IncidentFilter())  # type: ignore[arg-type]
    rows = incident_rows.incident_rows(ws, user=user, filters=IncidentFilter())  # type: ignore[arg-type]
    panel = tags.incident_panel(ws, user=user, incident_id=incident)  # type: ignore[arg-type]
    return {
        "list": {t.label_en for t in listed.tags.get(incident, [])},
        "api rows": {t.label_en for t in rows.tags_of(incident)},
        "panel": {link.tag.label_en for link in panel.current},
        "facet": dict(listed.facets["tag"]),
        "names": set(listed.tag_names),
    }


def test_a_new_tag_is_the_teams_own_and_viewers_see_only_the_shown_ones(ws: Workspace) -> None:
    team = tags.add_tag(ws, user=ADMIN, form=TEAM, comment="")
    shown = tags.add_tag(ws, user=ADMIN, form=OPEN, comment="")
    assert (team.shown_to_viewers, shown.shown_to_viewers) == (False, True)
    assert {t.label_en: t.shown_to_viewers for t in all_tags(ws.db)} == {"Needs follow-up": False, "Market": True}
    public, other = _incident(ws, "Ariha"), _incident(ws, "Douma")
    for tag in (team, shown):
        tags.tag_incident(ws, user=DOCUMENTER, incident_id=public, tag_id=tag.id)
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=other, tag_id=team.id)

    viewer = _seen_by(ws, VIEWER, public)
    assert viewer == {"list": {"Market"}, "api rows": {"Market"}, "panel": {"Market"},
                      "facet": {str(shown.id): 1}, "names": {str(shown.id)}}
    staff = _seen_by(ws, REVIEWER, public)
    assert staff == {"list": {"Market", "Needs follow-up"}, "api rows": {"Market", "Needs follow-up"},
                     "panel": {"Market", "Needs follow-up"}, "facet": {str(team.id): 2, str(shown.id): 1},
                     "names": {str(team.id), str(shown.id)}}
    # A hand-made filter on the team's tag tells a viewer nothing about which incidents carry it.
    by_team = IncidentFilter(tag=(str(team.id),))
    assert reading.query_incidents(ws, user=VIEWER, filters=by_team).total == 0
    assert reading.query_incidents(ws, user=REVIEWER, filters=by_team).total == 2
    assert reading.query_incidents(ws, user=VIEWER, filters=IncidentFilter(tag=(str(shown.id),))).total == 1
    # The other public incident carries only the team's tag: a viewer sees no tags on it at all.
    assert tags.incident_panel(ws, user=VIEWER, incident_id=other).current == []


def test_an_admin_shows_and_hides_a_tag_each_change_audited(ws: Workspace) -> None:
    team = tags.add_tag(ws, user=ADMIN, form=TEAM, comment="working note")
    public = _incident(ws, "Saraqib")
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=public, tag_id=team.id)
    assert tags.tag_names(ws, user=VIEWER) == {}

    shown = TagForm(label_en=TEAM.label_en, label_ar=TEAM.label_ar, colour=TEAM.colour, shown_to_viewers=True)
    assert tags.edit_tag(ws, user=ADMIN, tag_id=team.id, form=shown, comment="the public may know") is True
    assert tags.edit_tag(ws, user=ADMIN, tag_id=team.id, form=shown, comment="") is False  # nothing changed
    assert set(tags.tag_names(ws, user=VIEWER)) == {str(team.id)}
    assert [link.tag.label_ar for link in tags.incident_panel(ws, user=VIEWER, incident_id=public).current] == [
        "يحتاج متابعة"]
    assert tags.edit_tag(ws, user=ADMIN, tag_id=team.id, form=TEAM, comment="a witness asked") is True
    assert tags.incident_panel(ws, user=VIEWER, incident_id=public).current == []
    assert reading.query_incidents(ws, user=VIEWER, filters=IncidentFilter(tag=(str(team.id),))).total == 0

    entries = history(ws.db, entity="tag", entity_id=team.id)
    assert [(e.action, e.user, e.comment, e.before, e.after) for e in entries] == [
        ("add", "admin", "working note", None, {"label_en": "Needs follow-up", "label_ar": "يحتاج متابعة",
                                                "colour": "orange", "retired": False, "shown_to_viewers": False}),
        ("edit", "admin", "the public may know", {"shown_to_viewers": False}, {"shown_to_viewers": True}),
        ("edit", "admin", "a witness asked", {"shown_to_viewers": True}, {"shown_to_viewers": False}),
    ]
    assert all(e.at is not None for e in entries)


def test_a_shown_tag_used_only_on_confidential_incidents_is_still_not_named(ws: Workspace) -> None:
    shown = tags.add_tag(ws, user=ADMIN, form=OPEN, comment="")
    secret = _incident(ws, "Idlib", Confidentiality.CONFIDENTIAL)
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=secret, tag_id=shown.id)
    assert tags.tag_names(ws, user=VIEWER) == {}
    assert dict(reading.facet_counts(ws, user=VIEWER, filters=IncidentFilter())["tag"]) == {}


def test_tags_made_before_the_upgrade_are_the_teams_own_and_the_downgrade_drops_the_flag(database_url: str) -> None:
    """A database at 0020 with a tag: after 0021 the tag is not shown to viewers; back at 0020 the
    column is gone and the tag kept."""
    from alembic import command

    from tawthiq.store import dialect
    from tawthiq.store.db import alembic_config, connect

    db = connect(database_url)
    try:
        cfg = alembic_config(db)

        def migrate(step: object, revision: str) -> None:
            with dialect.write_engine(db.engine).begin() as conn:
                cfg.attributes["connection"] = conn
                step(cfg, revision)  # type: ignore[operator]

        migrate(command.upgrade, "0020")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO tags (label_en, label_ar, key_en, key_ar, created_by, updated_by) "
                              "VALUES ('Old', 'قديم', 'old', 'قديم', 'admin', 'admin')"))
        migrate(command.upgrade, "0021")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT shown_to_viewers FROM tags WHERE label_en = 'Old'")).scalar_one() in (
                False, 0)
        (old,) = all_tags(db)
        assert old.label_en == "Old" and old.shown_to_viewers is False
        migrate(command.downgrade, "0020")
        with db.engine.connect() as conn:
            assert "shown_to_viewers" not in {c["name"] for c in inspect(conn).get_columns("tags")}
            assert conn.execute(text("SELECT count(*) FROM tags WHERE label_en = 'Old'")).scalar_one() == 1
    finally:
        db.dispose()


@pytest.mark.parametrize("flag", [False, True])
def test_the_flag_is_stored_as_chosen_when_the_tag_is_added(ws: Workspace, flag: bool) -> None:
    made = tags.add_tag(ws, user=ADMIN, form=TagForm(label_en="Siege", label_ar="حصار", shown_to_viewers=flag),
                        comment="")
    (stored,) = all_tags(ws.db)
    assert stored.id == made.id and stored.shown_to_viewers is flag
    assert history(ws.db, entity="tag", entity_id=made.id)[0].after["shown_to_viewers"] is flag  # type: ignore[index]
