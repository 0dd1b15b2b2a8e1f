"""Tags: the vocabulary (added, renamed, retired, audited), tags on incidents and sources (withdrawn, never
deleted), the tag filter and facet, and who sees which tag. Real SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from tawthiq.domain import Confidentiality, Incident, IncidentDate, IncidentStatus, Location, Source, SourceKind
from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace, browse, reading, tags
from tawthiq.services.errors import NotFound, PermissionDenied, ServiceError
from tawthiq.services.tags import TagError, TagForm
from tawthiq.store import repository
from tawthiq.store.db import Database
from tawthiq.store.history import history
from tawthiq.store.tags import all_tags, links_for

from _users import ADMIN, DOCUMENTER, REVIEWER, VIEWER

CHEMICAL = TagForm(label_en="Chemical attack", label_ar="هجوم كيماوي", colour="red")
MARKER = TagForm(label_en="Qztagsecret", label_ar="قزوسمسري", colour="purple")
SHOWN = TagForm(label_en="Chemical attack", label_ar="هجوم كيماوي", colour="red", shown_to_viewers=True)


def _source(db: Database, sha: str, text: str = "Shelling hit the market in Douma.") -> int:
    sid, _ = repository.add_source(db, Source(kind=SourceKind.TEXT, sha256=sha * 64, text=text))
    return sid


def _incident(db: Database, conf: Confidentiality, place: str = "Ariha") -> int:
    return repository.add_incident(db, Incident(
        event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=conf,
        description=f"strike on {place}", location=Location(name=place, admin1="Idlib"),
        date=IncidentDate(edtf="2015-10-07")))


def test_an_admin_adds_renames_and_retires_a_tag_each_change_audited(ws: Workspace) -> None:
    made = tags.add_tag(ws, user=ADMIN, form=CHEMICAL, comment="for the Ghouta files")
    assert (made.label_en, made.label_ar, made.colour, made.retired) == ("Chemical attack", "هجوم كيماوي", "red", False)
    assert tags.edit_tag(ws, user=ADMIN, tag_id=made.id, form=TagForm(
        label_en="Chemical weapons", label_ar="أسلحة كيماوية", colour="orange"), comment="clearer") is True
    assert tags.edit_tag(ws, user=ADMIN, tag_id=made.id, form=TagForm(
        label_en="Chemical weapons", label_ar="أسلحة كيماوية", colour="orange"), comment="") is False
    with pytest.raises(TagError) as refused:
        tags.retire_tag(ws, user=ADMIN, tag_id=made.id, comment="  ")
    assert refused.value.key == "reason_missing"
    assert tags.retire_tag(ws, user=ADMIN, tag_id=made.id, comment="merged into another tag") is True
    (stored,) = all_tags(ws.db)
    assert stored.label_en == "Chemical weapons" and stored.retired  # never deleted
    entries = history(ws.db, entity="tag", entity_id=made.id)
    assert [(e.action, e.user, e.comment) for e in entries] == [
        ("add", "admin", "for the Ghouta files"), ("edit", "admin", "clearer"),
        ("retire", "admin", "merged into another tag")]
    assert entries[1].before == {"colour": "red", "label_ar": "هجوم كيماوي", "label_en": "Chemical attack"}
    with pytest.raises(TagError) as again:
        tags.edit_tag(ws, user=ADMIN, tag_id=made.id, form=CHEMICAL, comment="")
    assert again.value.key == "retired"
    with pytest.raises(NotFound):
        tags.edit_tag(ws, user=ADMIN, tag_id=999_999, form=CHEMICAL, comment="")


@pytest.mark.parametrize("user", [REVIEWER, DOCUMENTER, VIEWER])
def test_only_an_admin_changes_the_tags(ws: Workspace, user: object) -> None:
    with pytest.raises(PermissionDenied):
        tags.add_tag(ws, user=user, form=CHEMICAL, comment="")  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        tags.list_tags(ws, user=user)  # type: ignore[arg-type]
    assert all_tags(ws.db) == []


@pytest.mark.parametrize(("form", "key"), [
    (TagForm(label_en="chemical   ATTACK", label_ar="جديد"), "label_taken"),
    (TagForm(label_en="New", label_ar="هُجوم كِيماوي"), "label_taken"),  # short vowels do not make it new
    (TagForm(label_en="هجوم كيماوي", label_ar="جديد"), "label_taken"),  # nor the other language's field
    (TagForm(label_en="", label_ar="جديد"), "label_missing_en"),
    (TagForm(label_en="New", label_ar="   "), "label_missing_ar"),
    (TagForm(label_en="x" * 81, label_ar="جديد"), "label_too_long"),
    (TagForm(label_en="New\u202e", label_ar="جديد"), "label_control"),
    (TagForm(label_en="New", label_ar="جديد", colour="#ff0000"), "colour_unknown"),
])
def test_a_bad_or_duplicate_tag_is_refused_with_a_reason(ws: Workspace, form: TagForm, key: str) -> None:
    tags.add_tag(ws, user=ADMIN, form=CHEMICAL, comment="")
    with pytest.raises(TagError) as refused:
        tags.add_tag(ws, user=ADMIN, form=form, comment="")
    assert refused.value.key == key and "\n" not in str(refused.value)
    assert len(all_tags(ws.db)) == 1


def test_renaming_onto_another_tags_label_is_refused(ws: Workspace) -> None:
    tags.add_tag(ws, user=ADMIN, form=CHEMICAL, comment="")
    other = tags.add_tag(ws, user=ADMIN, form=TagForm(label_en="Siege", label_ar="حصار"), comment="")
    with pytest.raises(TagError) as refused:
        tags.edit_tag(ws, user=ADMIN, tag_id=other.id, form=TagForm(label_en="Siege", label_ar="هجوم كيماوي"),
                      comment="")
    assert refused.value.key == "label_taken"
    assert {t.label_ar for t in all_tags(ws.db)} == {"هجوم كيماوي", "حصار"}


def test_a_documenter_tags_an_incident_and_takes_it_off_as_a_recorded_withdrawal(ws: Workspace) -> None:
    tag = tags.add_tag(ws, user=ADMIN, form=SHOWN, comment="")
    incident = _incident(ws.db, Confidentiality.PUBLIC)
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=incident, tag_id=str(tag.id))
    with pytest.raises(TagError) as twice:
        tags.tag_incident(ws, user=DOCUMENTER, incident_id=incident, tag_id=tag.id)
    assert twice.value.key == "already"
    panel = tags.incident_panel(ws, user=DOCUMENTER, incident_id=incident)
    assert [(link.tag.id, link.created_by) for link in panel.current] == [(tag.id, "amal")] and panel.can_tag
    assert panel.choices == []  # the only tag is on it already
    assert reading.query_incidents(ws, user=VIEWER, filters=IncidentFilter(tag=(str(tag.id),))).total == 1

    tags.untag_incident(ws, user=DOCUMENTER, incident_id=incident, tag_id=tag.id)
    with pytest.raises(TagError) as gone:
        tags.untag_incident(ws, user=DOCUMENTER, incident_id=incident, tag_id=tag.id)
    assert gone.value.key == "not_on"
    panel = tags.incident_panel(ws, user=REVIEWER, incident_id=incident)
    assert panel.current == [] and [(w.withdrawn_by, w.withdrawn_at is not None) for w in panel.withdrawn] == [
        ("amal", True)]
    assert reading.query_incidents(ws, user=REVIEWER, filters=IncidentFilter(tag=(str(tag.id),))).total == 0
    actions = [(e.action, e.user, e.after or e.before) for e in history(ws.db, entity="incident", entity_id=incident)]
    assert actions[-2:] == [("tag", "amal", {"tag": "Chemical attack", "tag_ar": "هجوم كيماوي"}),
                            ("untag", "amal", {"tag": "Chemical attack", "tag_ar": "هجوم كيماوي"})]
    # Put back: a new link; the withdrawn one stays.
    tags.tag_incident(ws, user=REVIEWER, incident_id=incident, tag_id=tag.id)
    assert len(links_for(ws.db, target="incident", ids=[incident])[incident]) == 1
    assert len(links_for(ws.db, target="incident", ids=[incident], withdrawn=True)[incident]) == 1


def test_who_may_tag_what(ws: Workspace) -> None:
    tag = tags.add_tag(ws, user=ADMIN, form=CHEMICAL, comment="")
    public, secret = _incident(ws.db, Confidentiality.PUBLIC), _incident(ws.db, Confidentiality.CONFIDENTIAL)
    with pytest.raises(PermissionDenied):
        tags.tag_incident(ws, user=VIEWER, incident_id=public, tag_id=tag.id)
    with pytest.raises(NotFound):
        tags.tag_incident(ws, user=DOCUMENTER, incident_id=999_999, tag_id=tag.id)
    for bad in ("", "abc", "-1", "0", "1" * 40, "٣"):
        with pytest.raises(TagError) as refused:
            tags.tag_incident(ws, user=DOCUMENTER, incident_id=secret, tag_id=bad)
        assert refused.value.key == "choose", bad
    with pytest.raises(TagError):
        tags.tag_incident(ws, user=DOCUMENTER, incident_id=secret, tag_id=999_999)
    tags.retire_tag(ws, user=ADMIN, tag_id=tag.id, comment="old")
    with pytest.raises(TagError) as retired:
        tags.tag_incident(ws, user=DOCUMENTER, incident_id=secret, tag_id=tag.id)
    assert retired.value.key == "retired_choice"
    assert links_for(ws.db, target="incident", ids=[public, secret]) == {}


def test_a_viewer_never_learns_a_tag_used_only_on_confidential_incidents(ws: Workspace) -> None:
    shared = tags.add_tag(ws, user=ADMIN, form=SHOWN, comment="")
    marker = tags.add_tag(ws, user=ADMIN, form=MARKER, comment="")
    public, secret = _incident(ws.db, Confidentiality.PUBLIC), _incident(ws.db, Confidentiality.CONFIDENTIAL)
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=public, tag_id=shared.id)
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=secret, tag_id=marker.id)
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=secret, tag_id=shared.id)
    assert set(tags.tag_names(ws, user=VIEWER)) == {str(shared.id)}
    assert set(tags.tag_names(ws, user=DOCUMENTER)) == {str(shared.id), str(marker.id)}
    facet = dict(reading.facet_counts(ws, user=VIEWER, filters=IncidentFilter())["tag"])
    assert facet == {str(shared.id): 1}
    assert dict(reading.facet_counts(ws, user=REVIEWER, filters=IncidentFilter())["tag"]) == {
        str(shared.id): 2, str(marker.id): 1}
    assert reading.query_incidents(ws, user=VIEWER, filters=IncidentFilter(tag=(str(marker.id),))).total == 0
    listed = reading.list_page(ws, user=VIEWER, filters=IncidentFilter())
    assert {t.label_en for ts in listed.tags.values() for t in ts} == {"Chemical attack"}
    # The public incident's panel shows its tag to a viewer, without the documenter's name.
    panel = tags.incident_panel(ws, user=VIEWER, incident_id=public)
    assert [(link.tag.label_en, link.created_by) for link in panel.current] == [("Chemical attack", "")]
    assert not panel.can_tag and panel.withdrawn == [] and panel.choices == []
    with pytest.raises(NotFound):
        tags.incident_panel(ws, user=VIEWER, incident_id=secret)


def test_any_of_several_tags_and_the_facet_counts_under_the_other_filters(ws: Workspace) -> None:
    a = tags.add_tag(ws, user=ADMIN, form=CHEMICAL, comment="")
    b = tags.add_tag(ws, user=ADMIN, form=TagForm(label_en="Siege", label_ar="حصار", colour="blue"), comment="")
    one, two, three = (_incident(ws.db, Confidentiality.PUBLIC, p) for p in ("Ariha", "Douma", "Saraqib"))
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=one, tag_id=a.id)
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=two, tag_id=b.id)
    tags.tag_incident(ws, user=DOCUMENTER, incident_id=two, tag_id=a.id)
    either = IncidentFilter.from_params({"tag": [str(a.id), str(b.id)]})
    found = reading.query_incidents(ws, user=REVIEWER, filters=either)
    assert sorted(s.id for s in found.items) == [one, two] and three not in [s.id for s in found.items]
    only_b = IncidentFilter(tag=(str(b.id),))
    # The tag facet ignores its own choice: both tags stay offered with their counts.
    assert dict(reading.facet_counts(ws, user=REVIEWER, filters=only_b)["tag"]) == {str(a.id): 2, str(b.id): 1}
    assert only_b.to_params() == {"tag": str(b.id)} and either.to_params() == {"tag": [str(a.id), str(b.id)]}


@pytest.mark.parametrize("raw", ["x", "0", "-3", "1.5", "²", "9" * 30])
def test_a_malformed_tag_parameter_is_a_one_line_error(raw: str) -> None:
    with pytest.raises(ServiceError) as refused:
        reading.parse_filter({"tag": raw})
    assert "tag" in str(refused.value) and "\n" not in str(refused.value)


def test_sources_are_tagged_and_listed_by_tag_by_those_who_read_sources(ws: Workspace) -> None:
    tag = tags.add_tag(ws, user=ADMIN, form=CHEMICAL, comment="")
    first, second = _source(ws.db, "a"), _source(ws.db, "b", "Another report from Idlib.")
    tags.tag_source(ws, user=DOCUMENTER, source_id=second, tag_id=tag.id)
    listed = browse.source_list(ws, user=DOCUMENTER, page=1, per_page=50, tags=[tag.id])
    assert [s.id for s in listed.page.items] == [second] and [t.id for t in listed.page.items[0].tags] == [tag.id]
    assert [s.id for s in browse.source_page(ws, user=REVIEWER, page=1, per_page=50).items] == [second, first]
    for call in (lambda: tags.tag_source(ws, user=VIEWER, source_id=first, tag_id=tag.id),
                 lambda: tags.source_panel(ws, user=VIEWER, source_id=second)):
        with pytest.raises(NotFound):  # as the source page: no such source for a viewer
            call()
    with pytest.raises(PermissionDenied):
        browse.source_list(ws, user=VIEWER, page=1, per_page=50, tags=[tag.id])
    tags.untag_source(ws, user=REVIEWER, source_id=second, tag_id=tag.id)
    assert browse.source_list(ws, user=DOCUMENTER, page=1, per_page=50, tags=[tag.id]).page.items == []
    panel = tags.source_panel(ws, user=DOCUMENTER, source_id=second)
    assert panel.current == [] and [w.withdrawn_by for w in panel.withdrawn] == ["rana"]
    assert [e.action for e in history(ws.db, entity="source", entity_id=second)] == ["tag", "untag"]
