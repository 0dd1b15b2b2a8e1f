"""Map, timeline and dashboard data on SQLite and PostgreSQL: visibility, precision, ranges."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from tawthiq.domain.access import Role, User
from tawthiq.domain.enums import (
    Confidentiality,
    DatePrecision,
    IncidentStatus,
    LocationPrecision,
    VictimOutcome,
)
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location, VictimGroup
from tawthiq.services import Workspace, visuals
from tawthiq.services.errors import PermissionDenied
from tawthiq.services.reading import IncidentFilter
from tawthiq.settings import Settings
from tawthiq.stats import UNCERTAIN
from tawthiq.store import repository
from tawthiq.store.db import Database
from tawthiq.web.timeline_svg import MIN_MARK, render_timeline

VIEWER = User(id=1, username="v", role=Role.VIEWER)
STAFF = User(id=2, username="d", role=Role.DOCUMENTER)

P = LocationPrecision


def _inc(*, name: str, precision: P | None, gov: str = "Aleppo", edtf: str | None = "2015-03-04",
         conf: Confidentiality = Confidentiality.PUBLIC, status: IncidentStatus = IncidentStatus.CONFIRMED,
         event: str = "air-drone-strike", lat: float | None = 36.2, victims: tuple[VictimGroup, ...] = ()) -> Incident:
    return Incident(
        event_type=event, status=status, confidentiality=conf, victims=list(victims),
        involvements=[Involvement(actor="syrian-government")],
        date=IncidentDate(edtf=edtf, precision=DatePrecision.DAY) if edtf else None,
        location=None if precision is None else Location(
            name=name, name_ar=f"{name}-ar", admin1=gov, lat=lat, lon=37.1 if lat is not None else None,
            precision=precision),
    )


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    """The shared workspace holding incidents at every location precision (and some hidden ones)."""
    add, db = repository.add_incident, ws.db
    add(db, _inc(name="Town", precision=P.TOWN, victims=(VictimGroup(VictimOutcome.KILLED, count_min=5,
                                                                            count_max=None),)))
    add(db, _inc(name="Exact", precision=P.EXACT, edtf="2015-03", event="shelling-artillery-missile-attack"))
    add(db, _inc(name="District", precision=P.DISTRICT, edtf="2015"))
    add(db, _inc(name="Idlib", precision=P.GOVERNORATE, gov="Idlib", edtf="2015-02/2015-04", event="attack"))
    add(db, _inc(name="Syria", precision=P.COUNTRY, gov=""))  # drawn nowhere: counted as unmapped
    add(db, _inc(name="Nowhere", precision=None, edtf=None))
    add(db, _inc(name="Secret", precision=P.TOWN, conf=Confidentiality.CONFIDENTIAL, gov="Hama"))
    add(db, _inc(name="Rejected", precision=P.TOWN, status=IncidentStatus.REJECTED))
    return ws


def _by_place(fc: dict) -> dict[str, dict]:
    return {f["properties"]["place_en"]: f for f in fc["features"]}


def test_map_carries_precision_and_never_pins_a_vague_place(ws: Workspace) -> None:
    fc = visuals.map_features(ws, user=STAFF, filters=None)
    assert fc["type"] == "FeatureCollection" and fc["truncated"] is False
    places = _by_place(fc)
    assert set(places) == {"Town", "Exact", "District", "Idlib", "Secret"}
    assert fc["unmapped"] == 2  # the country-level one and the one without a place
    town = places["Town"]["properties"]
    assert (town["shape"], town["precision"], town["radius_m"]) == ("point", "town", 0)
    assert places["Exact"]["properties"]["shape"] == "point"
    district = places["District"]["properties"]
    assert district["shape"] == "area" and district["precision"] == "district" and district["radius_m"] >= 10_000
    idlib = places["Idlib"]["properties"]
    assert (idlib["shape"], idlib["pcode"], idlib["precision"]) == ("governorate", "SY07", "governorate")
    assert places["Town"]["geometry"] == {"type": "Point", "coordinates": [37.1, 36.2]}
    assert town["event_label_en"] == "Air/drone strike" and town["event_label_ar"] == "غارة جوية/بطائرة مسيّرة"
    assert town["group"] == "explosions-remote-violence"
    assert {g["group"] for g in fc["legend"]} >= {town["group"], idlib["group"]}
    json.dumps(fc)  # serialisable as is


def test_viewer_map_has_public_incidents_only(ws: Workspace) -> None:
    places = _by_place(visuals.map_features(ws, user=VIEWER, filters=None))
    assert "Secret" not in places and "Rejected" not in places and "Town" in places


def test_map_takes_the_list_filter(ws: Workspace) -> None:
    fc = visuals.map_features(ws, user=STAFF, filters=IncidentFilter(governorate="Idlib"))
    assert list(_by_place(fc)) == ["Idlib"]
    fc = visuals.map_features(ws, user=STAFF, filters=IncidentFilter(status="rejected"))
    assert list(_by_place(fc)) == ["Rejected"]


def test_map_cap_sets_truncated(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(visuals, "MAX_FEATURES", 2)
    fc = visuals.map_features(ws, user=STAFF, filters=None)
    assert fc["truncated"] is True and len(fc["features"]) == 2


def test_timeline_items_are_ranges_in_date_order(ws: Workspace) -> None:
    tl = visuals.timeline(ws, user=STAFF, filters=None)
    spans = {i.place_en: (i.start, i.end, i.exact) for i in tl.items}
    assert spans["Town"] == (date(2015, 3, 4), date(2015, 3, 4), True)
    assert spans["Exact"] == (date(2015, 3, 1), date(2015, 3, 31), False)
    assert spans["District"] == (date(2015, 1, 1), date(2015, 12, 31), False)
    assert spans["Idlib"] == (date(2015, 2, 1), date(2015, 4, 30), False)
    assert "Nowhere" not in spans  # no date: not on a time axis
    starts = [i.start for i in tl.items]
    assert starts == sorted(starts)
    assert tl.total == 6 and tl.truncated is False  # a country-level place still has a date
    bars = {b.month: b for b in tl.histogram.bars}
    assert (bars["2015-03"].day, bars["2015-03"].month_only, bars["2015-03"].range) == (3, 1, 2)
    assert (bars["2015-05"].day, bars["2015-05"].range) == (0, 1)  # only the year-long one may be in May
    limited = visuals.timeline(ws, user=VIEWER, filters=None, limit=2)
    assert limited.truncated and len(limited.items) == 2 and limited.total == 5
    assert all(i.place_en != "Secret" for i in limited.items)


def test_dashboard_rows_have_both_languages_and_open_ranges(ws: Workspace) -> None:
    d = visuals.dashboard(ws, user=VIEWER, filters=None)
    assert d.total.incidents == 6
    gov = {r.key: r for r in d.governorates}
    assert gov["Idlib"].label_ar == "إدلب" and "Hama" not in gov
    assert gov[""].label_en == "Governorate unknown"
    perp = d.perpetrators[0]
    assert (perp.key, perp.label_en, perp.label_ar) == ("syrian-government", "Syrian government forces",
                                                        perp.label_ar)
    assert perp.label_ar and perp.killed == "≥ 5"
    months = {r.key: r for r in d.months}
    assert months[UNCERTAIN].count.incidents == 2 and months[UNCERTAIN].label_ar
    data = json.loads(json.dumps(d.chart_data()))
    assert data["charts"]["perpetrator"]["killed"] == [[5, None]]
    assert data["charts"]["outcome"]["labels"] == [{"en": "Killed", "ar": "قتلى"}]
    assert len(data["histogram"]["months"]) == len(data["histogram"]["day"]) == len(data["histogram"]["range"])
    assert data["series"]["open"]["ar"]


def test_disabled_user_gets_nothing(ws: Workspace) -> None:
    gone = User(id=3, username="x", role=Role.ADMIN, disabled=True)
    for call in (visuals.map_features, visuals.timeline, visuals.dashboard):
        with pytest.raises(PermissionDenied):
            call(ws, user=gone, filters=None)  # type: ignore[operator]


def _svg_marks(svg: str) -> dict[str, tuple[float, float]]:
    """place in the tooltip -> (x, width) of its mark."""
    out = {}
    for m in re.finditer(r'<rect class="tl-mark[^"]*" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*><title>([^<]*)</title>',
                         svg):
        out[m.group(3).split(" · ")[1]] = (float(m.group(1)), float(m.group(2)))
    return out


def test_timeline_svg_draws_ranges_as_bars_and_days_as_ticks(ws: Workspace) -> None:
    svg = str(render_timeline(visuals.timeline(ws, user=STAFF, filters=None), lang="en"))
    marks = _svg_marks(svg)
    assert marks["Town"][1] <= MIN_MARK + 0.01  # an exact day: a tick
    assert marks["District"][1] > 20 * marks["Town"][1]  # "2015": a year-long bar, not 1 January
    assert marks["Idlib"][0] < marks["Town"][0] < marks["Idlib"][0] + marks["Idlib"][1]  # Feb–Apr spans 4 March
    assert 'href="/incidents/' in svg and "<script" not in svg and "style=" not in svg
    ar = _svg_marks(str(render_timeline(visuals.timeline(ws, user=STAFF, filters=None), lang="ar")))
    assert ar["Town-ar"][0] > ar["District-ar"][0] + ar["District-ar"][1] / 3  # time runs right to left


def test_timeline_svg_escapes_report_text(settings: Settings, db: Database) -> None:
    repository.add_incident(db, _inc(name='<script>alert("x")</script>&', precision=P.TOWN))
    svg = str(render_timeline(visuals.timeline(Workspace.open(settings, db=db), user=STAFF, filters=None)))
    assert "<script>" not in svg and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;" in svg


def test_timeline_svg_empty(settings: Settings, db: Database) -> None:
    assert str(render_timeline(visuals.timeline(Workspace.open(settings, db=db), user=STAFF))) == ""
