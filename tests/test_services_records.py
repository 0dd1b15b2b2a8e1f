"""Reading services: what each role sees in lists, facets, pages and exports."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from _users import ADMIN, DOCUMENTER, VIEWER

from tawthiq.domain import (
    Claim,
    ClaimField,
    Confidentiality,
    Incident,
    IncidentDate,
    IncidentStatus,
    Involvement,
    Location,
    Source,
    SourceKind,
    Span,
    VictimGroup,
    VictimKind,
    VictimOutcome,
)
from tawthiq.services import Workspace
from tawthiq.services import reading as rec
from tawthiq.services.errors import NotFound, PermissionDenied, ServiceError
from tawthiq.store import repository
from tawthiq.store.db import Database

REPORT = "قصف الطيران الروسي بحلب يوم 7 تشرين الأول 2015 وقتل 5 مدنيين. Shelling hit Douma in January 2015."


def _incident(event_type: str, *, conf: Confidentiality, description: str = "", edtf: str | None = None,
              place: Location | None = None, actor: str | None = None, quote: Span | None = None,
              victims: list[VictimGroup] | None = None) -> Incident:
    return Incident(
        event_type=event_type, description=description, confidentiality=conf,
        date=IncidentDate(edtf=edtf) if edtf else None, location=place,
        involvements=[Involvement(actor=actor)] if actor else [], victims=victims or [],
        evidence=[quote] if quote else [],
        claims=[Claim(field=ClaimField.EVENT_TYPE, value=event_type, span=quote, method="rule:test",
                      confidence=0.7)],
    )


@pytest.fixture
def ids(db: Database) -> dict[str, int]:
    span = Span.of(REPORT, 0, 26)
    named = {
        "aleppo": _incident("air-drone-strike", conf=Confidentiality.PUBLIC, description=REPORT[:50],
                            edtf="2015-10-07", actor="russia", quote=span,
                            place=Location(name="Aleppo", name_ar="حلب", text="بحلب", admin1="Aleppo"),
                            victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN,
                                                 count_min=5, count_max=5)]),
        "douma": _incident("shelling-artillery-missile-attack", conf=Confidentiality.RESTRICTED,
                           description="Shelling hit Douma", edtf="2015-01", actor="syrian-government",
                           place=Location(name="Douma", name_ar="دوما", admin1="Rif Dimashq")),
        "secret": _incident("arrest-detention", conf=Confidentiality.CONFIDENTIAL, description="A secret arrest",
                            edtf="2016"),
        "public-old": _incident("attack", conf=Confidentiality.PUBLIC, description="An older attack",
                                edtf="2013-05-02", place=Location(name="Homs", admin1="Homs")),
    }
    source = Source(kind=SourceKind.TEXT, sha256="1" * 64, text=REPORT, title="Report")
    _, _, new = repository.add_source_with_incidents(db, source, list(named.values()))
    return dict(zip(named, new, strict=True))


def _ids(page: rec.Page[rec.IncidentSummary]) -> set[int]:
    return {s.id for s in page.items}


def test_viewer_sees_only_public(ws: Workspace, ids: dict[str, int]) -> None:
    viewer = rec.query_incidents(ws, user=VIEWER, filters=rec.IncidentFilter())
    assert _ids(viewer) == {ids["aleppo"], ids["public-old"]} and viewer.total == 2
    staff = rec.query_incidents(ws, user=DOCUMENTER, filters=rec.IncidentFilter())
    assert _ids(staff) == set(ids.values())
    # Asking for restricted incidents by filter does not get around the role.
    asked = rec.query_incidents(ws, user=VIEWER, filters=rec.IncidentFilter(confidentiality="confidential"))
    assert asked.total == 0 and asked.items == []


def test_summary_fields(ws: Workspace, ids: dict[str, int]) -> None:
    page = rec.query_incidents(ws, user=ADMIN, filters=rec.IncidentFilter(governorate="Aleppo"))
    [row] = page.items
    assert row.id == ids["aleppo"] and row.perpetrators == ["russia"] and row.loc_name_ar == "حلب"
    assert (row.killed_min, row.killed_max) == (5, 5) and row.outcomes == [("killed", 5, 5)]
    assert row.date_start == date(2015, 10, 7) and row.description == REPORT[:50]


def test_sort_paging_and_limits(ws: Workspace, ids: dict[str, int]) -> None:
    page1 = rec.query_incidents(ws, user=ADMIN, filters=rec.IncidentFilter(), sort="-date", page=1, per_page=2)
    page2 = rec.query_incidents(ws, user=ADMIN, filters=rec.IncidentFilter(), sort="-date", page=2, per_page=2)
    assert [s.id for s in page1.items + page2.items] == [ids["secret"], ids["aleppo"], ids["douma"],
                                                         ids["public-old"]]
    assert (page1.total, page1.pages) == (4, 2)
    assert rec.query_incidents(ws, user=ADMIN, filters=rec.IncidentFilter(), per_page=10_000).per_page == 200
    with pytest.raises(ServiceError, match="unknown sort"):
        rec.query_incidents(ws, user=ADMIN, filters=rec.IncidentFilter(), sort="name; DROP TABLE incidents")


def test_filters_from_query_string(ws: Workspace, ids: dict[str, int]) -> None:
    flt = rec.IncidentFilter.from_params({"date_from": "2015-01-15", "date_to": " 2015-12-31 ", "perpetrator": "",
                                          "unknown": "x"})
    assert flt.date_from == date(2015, 1, 15) and flt.perpetrator == ()  # an empty choice is no choice
    assert _ids(rec.query_incidents(ws, user=ADMIN, filters=flt)) == {ids["aleppo"], ids["douma"]}
    assert rec.IncidentFilter.from_params(flt.to_params()) == flt
    assert flt.to_params() == {"date_from": "2015-01-15", "date_to": "2015-12-31"}
    with pytest.raises(ServiceError, match="date_from must be a date"):
        rec.parse_filter({"date_from": "7 Oct"})
    with pytest.raises(ServiceError, match="date_from is after date_to"):
        rec.parse_filter({"date_from": "2016-01-01", "date_to": "2015-01-01"})
    with pytest.raises(ServiceError, match="unknown status"):
        rec.parse_filter({"status": "gone"})
    by_actor = rec.IncidentFilter.from_params({"perpetrator": "syrian-government", "victim_kind": "civilian"})
    assert rec.query_incidents(ws, user=ADMIN, filters=by_actor).total == 0
    assert _ids(rec.query_incidents(ws, user=ADMIN, filters=rec.IncidentFilter(perpetrator="syrian-government"))) \
        == {ids["douma"]}
    assert _ids(rec.query_incidents(ws, user=ADMIN, filters=rec.IncidentFilter(victim_kind="civilian"))) \
        == {ids["aleppo"]}


def test_arabic_full_text(ws: Workspace, ids: dict[str, int]) -> None:
    found = rec.query_incidents(ws, user=VIEWER, filters=rec.IncidentFilter(q="حلب"), sort="relevance")
    assert _ids(found) == {ids["aleppo"]}  # stored as "بحلب"
    assert _ids(rec.query_incidents(ws, user=DOCUMENTER, filters=rec.IncidentFilter(q="douma"))) == {ids["douma"]}
    assert rec.query_incidents(ws, user=VIEWER, filters=rec.IncidentFilter(q="douma")).total == 0
    assert rec.query_incidents(ws, user=VIEWER, filters=rec.IncidentFilter(q='"*)')).total == 0


def test_merged_hidden_unless_asked(ws: Workspace, db: Database, ids: dict[str, int]) -> None:
    from tawthiq.services import review

    review.merge(ws, user=DOCUMENTER, incident_id=ids["public-old"], into_id=ids["aleppo"], comment="same")
    assert ids["public-old"] not in _ids(rec.query_incidents(ws, user=ADMIN, filters=rec.IncidentFilter()))
    merged = rec.query_incidents(ws, user=ADMIN, filters=rec.IncidentFilter(status="merged"))
    assert _ids(merged) == {ids["public-old"]}


def test_facets_respect_visibility(ws: Workspace, ids: dict[str, int]) -> None:
    viewer = rec.facet_counts(ws, user=VIEWER, filters=rec.IncidentFilter())
    assert dict(viewer["confidentiality"]) == {"public": 2}
    assert dict(viewer["governorate"]) == {"Aleppo": 1, "Homs": 1}
    assert dict(viewer["perpetrator"]) == {"russia": 1}
    staff = rec.facet_counts(ws, user=ADMIN, filters=rec.IncidentFilter(governorate="Homs"))
    # The governorate facet ignores its own filter; the others apply it.
    assert dict(staff["governorate"]) == {"Aleppo": 1, "Homs": 1, "Rif Dimashq": 1}
    assert dict(staff["event_type"]) == {"attack": 1}
    assert set(staff) == {"event_type", "violation", "perpetrator", "victim_kind", "governorate", "status",
                          "confidentiality", "tag"}


def test_export_respects_visibility(ws: Workspace, ids: dict[str, int]) -> None:
    body, media, name = rec.export_incidents(ws, user=VIEWER, filters=rec.IncidentFilter(), fmt="csv")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert {int(r["id"]) for r in rows} == {ids["aleppo"], ids["public-old"]}
    assert media.startswith("text/csv") and name.endswith(".csv")
    body, _, _ = rec.export_incidents(ws, user=VIEWER, filters=rec.IncidentFilter(), fmt="json")
    records = json.loads(body)
    assert all(r["evidence"] == [] for r in records)  # quotes of source text need READ_SOURCES
    body, media, _ = rec.export_incidents(ws, user=ADMIN, filters=rec.IncidentFilter(q="حلب"), fmt="geojson")
    features = json.loads(body)["features"]
    assert [f["id"] for f in features] == [ids["aleppo"]] and media == "application/geo+json"
    assert features[0]["properties"]["evidence"][0]["quote"] == REPORT[:26]
    with pytest.raises(ServiceError, match="unknown export format"):
        rec.export_incidents(ws, user=ADMIN, filters=rec.IncidentFilter(), fmt="xlsx")


def test_incident_view_per_role(ws: Workspace, ids: dict[str, int]) -> None:
    for hidden in ("douma", "secret"):
        with pytest.raises(NotFound):
            rec.get_incident_view(ws, user=VIEWER, incident_id=ids[hidden])
    with pytest.raises(NotFound):
        rec.get_incident_view(ws, user=ADMIN, incident_id=999_999)
    public = rec.get_incident_view(ws, user=VIEWER, incident_id=ids["aleppo"])
    assert public.sources == [] and public.history == [] and public.persons == []
    assert public.incident.evidence == [] and public.incident.source_id is None
    assert public.claims_by_field == {} and public.incident.claims == []  # claims quote sources, name staff
    staff = rec.get_incident_view(ws, user=DOCUMENTER, incident_id=ids["aleppo"])
    assert [s.title for s in staff.sources] == ["Report"]
    assert staff.claims_by_field["event_type"][0].span == Span.of(REPORT, 0, 26)
    assert [h.action for h in staff.history] == ["create"]
    assert rec.get_incident_view(ws, user=VIEWER, incident_id=ids["public-old"]).merged_into is None


def test_source_view(ws: Workspace, ids: dict[str, int]) -> None:
    with pytest.raises(PermissionDenied):
        rec.get_source_view(ws, user=VIEWER, source_id=1)
    view = rec.get_source_view(ws, user=DOCUMENTER, source_id=repository.list_sources(ws.db)[0].id or 0)
    assert {s.id for s in view.incidents} == set(ids.values())
    assert view.blob_path is None  # added straight to the store: no original kept
    with pytest.raises(NotFound):
        rec.get_source_view(ws, user=DOCUMENTER, source_id=424242)


def test_review_queue(ws: Workspace, ids: dict[str, int]) -> None:
    with pytest.raises(PermissionDenied):
        rec.review_queue(ws, user=VIEWER)
    repository.set_incident_status(ws.db, ids["douma"], status=IncidentStatus.CONFIRMED, user="x", comment="")
    queue = rec.review_queue(ws, user=DOCUMENTER, sort="id", per_page=2).page
    assert [r.summary.id for r in queue.items] == [ids["aleppo"], ids["secret"]] and queue.total == 3
    newest = rec.review_queue(ws, user=DOCUMENTER, per_page=3).page  # the default: new material on top
    assert [r.summary.id for r in newest.items] == sorted((r.summary.id for r in newest.items), reverse=True)
    with pytest.raises(ServiceError):
        rec.review_queue(ws, user=DOCUMENTER, sort="date")


@pytest.mark.parametrize(("prefix", "name", "name_ar"), [
    ("حلب", "Aleppo", "حلب"), ("alep", "Aleppo", "حلب"), ("ALEPPO", "Aleppo", "حلب"),
    ("رقة", "Raqqa", "الرقة"), ("الرقه", "Raqqa", "الرقة"), ("Raqq", "Raqqa", "الرقة"), ("إدلب", "Idlib", "إدلب"),
])
def test_place_suggestions(prefix: str, name: str, name_ar: str) -> None:
    found = rec.place_suggestions(prefix, limit=5)
    assert found and (found[0]["name"], found[0]["name_ar"]) == (name, name_ar)
    assert found[0]["lat"] is not None and found[0]["place_id"] and found[0]["admin1"]
    assert len(rec.place_suggestions("a", limit=3)) == 3
    assert rec.place_suggestions("   ") == [] and rec.place_suggestions("zzzzqqq") == []
