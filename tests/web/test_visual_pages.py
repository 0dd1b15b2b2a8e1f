"""The map, timeline and dashboard pages through the app (TestClient, real database).

What is checked: the DOM hooks the scripts and the browser tests rely on, that
the filter reaches the data, that a viewer never gets a restricted incident,
that uncertain dates are drawn as ranges, that Arabic pages carry Arabic labels
and that no page needs an inline script or style (the CSP forbids them).
"""
from __future__ import annotations

import gzip
import json
import re
from html import unescape
from html.parser import HTMLParser

import httpx
import pytest
from fastapi.testclient import TestClient

from tawthiq.domain.enums import (
    Confidentiality,
    DatePrecision,
    IncidentStatus,
    LocationPrecision,
    VictimKind,
    VictimOutcome,
)
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location, VictimGroup
from tawthiq.services import Workspace
from tawthiq.store import repository

from _client import client_for, signed_in, with_users

P = LocationPrecision
PAGES = ("/map", "/timeline", "/dashboard")


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    return with_users(ws, doc="documenter", viewer="viewer")


def add(ws: Workspace, *, place: str, place_ar: str, governorate: str, precision: P | None, edtf: str | None,
        date_precision: DatePrecision = DatePrecision.DAY, text: str = "", actor: str = "russia",
        event: str = "air-drone-strike", violation: str = "indiscriminate-attack",
        conf: Confidentiality = Confidentiality.PUBLIC, status: IncidentStatus = IncidentStatus.CONFIRMED,
        killed: tuple[int, int | None] | None = None, lat: float | None = 36.2) -> int:
    victims = [] if killed is None else [VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN,
                                                     count_min=killed[0], count_max=killed[1])]
    incident = Incident(
        event_type=event, status=status, confidentiality=conf, violations=[violation],
        involvements=[Involvement(actor=actor)], victims=victims,
        date=IncidentDate(edtf=edtf, text=text, precision=date_precision) if edtf else None,
        location=None if precision is None else Location(
            name=place, name_ar=place_ar, text=place, admin1=governorate, lat=lat,
            lon=37.1 if lat is not None else None, precision=precision),
        description=f"Incident in {place}",
    )
    return repository.add_incident(ws.db, incident)  # type: ignore[arg-type]


@pytest.fixture
def five(ws: Workspace) -> dict[str, int]:
    """Two public incidents (one exact day in a town, one month in a governorate), one restricted,
    one confidential without coordinates, one rejected."""
    return {
        "aleppo": add(ws, place="Aleppo", place_ar="حلب", governorate="Aleppo", precision=P.TOWN,
                      edtf="2016-09-23", text="23 September 2016", killed=(3, 5)),
        "douma": add(ws, place="Rif Dimashq", place_ar="ريف دمشق", governorate="Rif Dimashq",
                     precision=P.GOVERNORATE, edtf="2018-02", date_precision=DatePrecision.MONTH,
                     text="February 2018", actor="syrian-government", violation="killing",
                     event="shelling-artillery-missile-attack", killed=(12, None)),
        "idlib": add(ws, place="Idlib", place_ar="إدلب", governorate="Idlib", precision=P.TOWN,
                     edtf="2019-05-02", actor="hts", event="arrests", violation="arbitrary-detention",
                     conf=Confidentiality.RESTRICTED),
        "secret": add(ws, place="Nowhere", place_ar="لا مكان", governorate="Hama", precision=P.TOWN,
                      edtf="2017", date_precision=DatePrecision.YEAR, lat=None,
                      conf=Confidentiality.CONFIDENTIAL),
        "rejected": add(ws, place="Homs", place_ar="حمص", governorate="Homs", precision=P.TOWN,
                        edtf="2015-01-01", status=IncidentStatus.REJECTED),
    }


def features(client: TestClient, **params: str) -> dict:
    response = client.get("/map/features.geojson", params=params)
    assert response.status_code == 200, response.text
    return json.loads(response.content)


def feature_ids(collection: dict) -> set[int]:
    return {f["properties"]["id"] for f in collection["features"]}


class _Tags(HTMLParser):
    """Every start tag with its real attributes (escaped report text inside values or text is not a tag)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_bodies: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self.script_bodies.append((self._in_script, data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None


def assert_no_inline_code(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    assert parser.tags, "nothing parsed"
    for tag, attrs in parser.tags:
        assert tag != "style", "a <style> element"
        assert "style" not in attrs, (tag, attrs)
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag == "script":
            assert "src" in attrs or attrs.get("type") == "application/json", attrs
    for attrs, body in parser.script_bodies:
        assert "src" not in attrs or not body.strip()
    # Belt and braces on the raw text: no tag in the page source has these attributes.
    assert not re.search(r"<[a-z][^<>]*\s(style|on[a-z]+)\s*=", html, re.I)


# ----------------------------------------------------------------- all pages


@pytest.mark.parametrize("path", PAGES)
def test_pages_need_sign_in(ws: Workspace, path: str) -> None:
    client = client_for(ws, raise_server_exceptions=True)
    response = client.get(path, follow_redirects=False)
    assert response.status_code in (302, 303, 401)
    assert client.get("/map/features.geojson", follow_redirects=False).status_code in (302, 303, 401)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pages_render_without_inline_script_or_style(ws: Workspace, five: dict[str, int], lang: str) -> None:
    # Report text is attacker-controlled: a place name and a date as written carrying markup.
    add(ws, place='<img src=x onerror="alert(1)">', place_ar='<script>alert(2)</script>', governorate="Hama",
        precision=P.TOWN, edtf="2016-10-01", text='<b style="color:red" onclick="x()">1 Oct</b>')
    client = signed_in(ws, "doc", lang=lang)
    for path in PAGES:
        page = client.get(path)
        assert page.status_code == 200, (path, page.text[:500])
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page.text
        assert_no_inline_code(page.text)
        assert 'data-testid="viz-filters"' in page.text and 'data-testid="counted"' in page.text
        assert "<img" not in page.text and "<script>alert" not in page.text
    q = client.get("/timeline", params={"q": '"><script>alert(3)</script>'})
    assert_no_inline_code(q.text)
    assert "&#34;&gt;&lt;script&gt;" in q.text or "&quot;&gt;&lt;script&gt;" in q.text


def test_filter_form_keeps_the_filter_and_links_to_the_list(ws: Workspace, five: dict[str, int]) -> None:
    doc = signed_in(ws, "doc")
    page = doc.get("/dashboard", params={"perpetrator": "russia", "victim_kind": "civilian"}).text
    form = re.search(r'<form method="get" action="/dashboard".*?</form>', page, re.S).group(0)
    assert re.search(r'<option value="russia" selected>', form)
    assert '<input type="hidden" name="victim_kind" value="civilian">' in form  # no field for it: kept
    # The list shows every status unless told: the link asks for the reviewed incidents these views count.
    assert 'href="/incidents?perpetrator=russia&amp;victim_kind=civilian&amp;status=reviewed"' in form
    # status and confidentiality for staff only: a viewer sees public incidents whatever they pick.
    assert 'name="confidentiality"' in form and 'name="status"' in form
    viewer_form = signed_in(ws, "viewer").get("/dashboard").text
    assert 'name="confidentiality"' not in viewer_form and 'name="status"' not in viewer_form
    assert "Only public incidents" in viewer_form and "Only public incidents" not in page


def test_filter_form_keeps_a_place_filter(ws: Workspace, five: dict[str, int]) -> None:
    page = signed_in(ws, "doc").get("/map", params={"place": "Aleppo"}).text
    form = re.search(r'<form method="get" action="/map".*?</form>', page, re.S).group(0)
    assert '<input type="hidden" name="place" value="Aleppo">' in form  # no field for it: kept
    assert "/map/features.geojson?place=Aleppo" in page


def test_bad_filter_is_a_one_line_message(ws: Workspace, five: dict[str, int]) -> None:
    doc = signed_in(ws, "doc")
    for path in PAGES:
        page = doc.get(path, params={"date_from": "last tuesday"})
        assert page.status_code == 400
        assert 'data-testid="filter-error"' in page.text and "Traceback" not in page.text
    bad = doc.get("/map/features.geojson", params={"status": "nonsense"})
    assert bad.status_code == 400 and "Traceback" not in bad.text


# ----------------------------------------------------------------------- map


def test_map_page_has_the_script_contract(ws: Workspace, five: dict[str, int]) -> None:
    page = signed_in(ws, "doc").get("/map", params={"event_type": "air-drone-strike", "q": "حلب"}).text
    div = re.search(r'<div id="map"[^>]*>', page).group(0)
    assert 'data-testid="map"' in div and 'class="map"' in div
    url = unescape(re.search(r'data-features-url="([^"]+)"', div).group(1))
    assert url.startswith("/map/features.geojson?") and "event_type=air-drone-strike" in url
    assert 'data-basemap-url="/static/geo/basemap.geojson"' in div
    assert 'data-incident-url="/incidents/"' in div and 'data-list-url="/incidents"' in div
    assert re.search(r'<p id="map-status" role="status" data-testid="map-status"', page)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts[-4:] == ["/static/vendor/leaflet/leaflet.js",
                            "/static/vendor/markercluster/leaflet.markercluster.js", "/static/js/basemap.js",
                            "/static/js/map.js"]
    for css in ("/static/vendor/leaflet/leaflet.css", "/static/vendor/markercluster/MarkerCluster.css",
                "/static/vendor/markercluster/MarkerCluster.Default.css", "/static/css/viz.css"):
        assert f'href="{css}"' in page
    # The URL the page hands the script returns the filtered features.
    doc = signed_in(ws, "doc")
    response = doc.get(url)
    assert response.status_code == 200
    assert feature_ids(response.json()) == {five["aleppo"]}


def test_page_assets_exist(ws: Workspace) -> None:
    client = client_for(ws, raise_server_exceptions=True)
    for path in ("/static/vendor/leaflet/leaflet.js", "/static/vendor/markercluster/leaflet.markercluster.js",
                 "/static/vendor/chart/chart.umd.min.js", "/static/js/map.js", "/static/js/dashboard.js",
                 "/static/css/viz.css", "/static/css/viz-pages.css", "/static/geo/governorates.geojson",
                 "/static/geo/basemap.geojson", "/static/js/basemap.js", "/static/css/basemap.css"):
        assert client.get(path).status_code == 200, path


def test_features_honour_visibility_filters_and_precision(ws: Workspace, five: dict[str, int]) -> None:
    doc, viewer = signed_in(ws, "doc"), signed_in(ws, "viewer")
    everything = features(doc)
    assert everything["type"] == "FeatureCollection"
    # The rejected incident is left out; the confidential one has no coordinates: counted, not drawn.
    assert feature_ids(everything) == {five["aleppo"], five["douma"], five["idlib"]}
    assert everything["unmapped"] == 1 and everything["truncated"] is False
    shapes = {f["properties"]["id"]: f["properties"]["shape"] for f in everything["features"]}
    assert shapes[five["aleppo"]] == "point" and shapes[five["douma"]] == "governorate"
    assert {g["group"] for g in everything["legend"]} >= {"battles", "other"}
    # A viewer gets public incidents only, even when asking for the others by name.
    public = features(viewer)
    assert feature_ids(public) == {five["aleppo"], five["douma"]} and public["unmapped"] == 0
    assert features(viewer, confidentiality="restricted")["features"] == []
    assert features(viewer, perpetrator="hts")["features"] == []
    # Filters narrow the staff view.
    assert feature_ids(features(doc, perpetrator="hts")) == {five["idlib"]}
    assert feature_ids(features(doc, governorate="Rif Dimashq")) == {five["douma"]}
    assert feature_ids(features(doc, date_from="2018-01-01", date_to="2018-12-31")) == {five["douma"]}
    assert feature_ids(features(doc, status="rejected")) == {five["rejected"]}


def test_features_are_gzipped_when_accepted(ws: Workspace, five: dict[str, int]) -> None:
    for i in range(12):  # enough features to pass the size below which compressing is pointless
        add(ws, place=f"Town {i}", place_ar=f"بلدة {i}", governorate="Aleppo", precision=P.TOWN,
            edtf=f"2016-10-{i + 1:02d}")
    doc = signed_in(ws, "doc")
    url = "https://testserver/map/features.geojson"
    # Read the raw bytes (httpx would otherwise decode them for us).
    with doc.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "gzip"
        assert "accept-encoding" in response.headers["vary"].lower()
    collection = json.loads(gzip.decompress(raw))
    assert len(collection["features"]) == 15
    with doc.stream("GET", url, headers={"Accept-Encoding": "identity"}) as plain:
        body = b"".join(plain.iter_raw())
        assert "content-encoding" not in plain.headers
    assert json.loads(body) == collection
    refused = doc.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in refused.headers
    # Pages are never compressed (BREACH): only this endpoint.
    with doc.stream("GET", "https://testserver/map", headers={"Accept-Encoding": "gzip"}) as page:
        assert "content-encoding" not in page.headers
    assert isinstance(refused, httpx.Response)


# ------------------------------------------------------------------ timeline


def test_timeline_draws_ranges_and_ticks_with_a_table(ws: Workspace, five: dict[str, int]) -> None:
    page = signed_in(ws, "doc").get("/timeline").text
    assert 'data-testid="timeline"' in page
    svg = re.search(r'<svg class="timeline-svg".*?</svg>', page, re.S).group(0)
    marks = {int(m.group(1)): m.group(2) for m in re.finditer(
        r'<a href="/incidents/(\d+)"[^>]*><rect class="([^"]+)"', svg)}
    assert "tl-exact" in marks[five["aleppo"]]  # a day: a tick
    assert "tl-range" in marks[five["douma"]]  # "February 2018": a bar over the month
    assert "tl-range" in marks[five["secret"]]  # "2017": a year-long bar, not 1 January
    assert five["rejected"] not in marks
    assert "tl-hist-day" in svg and "tl-hist-month" in svg  # the monthly histogram's exact/uncertain series
    table = re.search(r'<table[^>]*data-testid="timeline-table".*?</table>', page, re.S).group(0)
    douma = re.search(rf'data-incident-id="{five["douma"]}".*?</tr>', table, re.S).group(0)
    assert 'data-exact="false"' in douma and "February 2018" in douma and 'data-edtf="2018-02">February 2018<' in douma
    assert ">2018-02-01</bdi> – <bdi dir=\"ltr\">2018-02-28<" in douma
    aleppo = re.search(rf'data-incident-id="{five["aleppo"]}".*?</tr>', table, re.S).group(0)
    assert 'data-exact="true"' in aleppo and "23 September 2016" in aleppo
    assert 'data-total="4"' in page


def test_timeline_viewer_and_arabic(ws: Workspace, five: dict[str, int]) -> None:
    page = signed_in(ws, "viewer", lang="ar").get("/timeline").text
    assert 'dir="rtl"' in page
    ids = {int(i) for i in re.findall(r'data-testid="timeline-row" data-incident-id="(\d+)"', page)}
    assert ids == {five["aleppo"], five["douma"]}
    table = re.search(r'data-testid="timeline-table".*?</table>', page, re.S).group(0)
    assert "التاريخ كما ورد" in table and "<bdi>ريف دمشق</bdi>" in table  # report text isolated
    assert "حلب" in page and ">Aleppo<" not in table
    assert "الحوادث عبر الزمن" in page  # the SVG's description in Arabic


def test_timeline_empty_selection(ws: Workspace, five: dict[str, int]) -> None:
    page = signed_in(ws, "doc").get("/timeline", params={"q": "nothing-matches-this"}).text
    assert 'data-testid="timeline-empty"' in page and "<svg" not in page
    assert 'data-testid="timeline-table"' not in page


# ----------------------------------------------------------------- dashboard


def table_rows(page: str, name: str) -> dict[str, tuple[int, str]]:
    table = re.search(rf'<table[^>]*data-testid="table-{name}".*?</table>', page, re.S)
    assert table, f"no table-{name}"
    return {m.group(1): (int(m.group(2)), unescape(m.group(3))) for m in re.finditer(
        rf'<tr data-testid="row-{name}" data-key="([^"]*)" data-incidents="(\d+)" data-(?:killed|civilian)="([^"]*)"',
        table.group(0))}


def test_dashboard_has_charts_and_tables_with_counts(ws: Workspace, five: dict[str, int]) -> None:
    page = signed_in(ws, "doc").get("/dashboard").text
    assert 'data-testid="dashboard"' in page
    for kind in ("perpetrator", "violation", "governorate", "event_type", "outcome", "month", "histogram"):
        assert re.search(rf'<canvas data-chart="{kind}" data-measure="(incidents|victims|killed)"', page), kind
    for kind in ("perpetrator", "violation", "governorate", "event_type", "outcome", "month", "histogram"):
        assert f'data-testid="chart-{kind}"' in page, kind  # the browser tests' handle on each chart
    assert 'data-testid="chart-perpetrator-killed"' in page
    assert 'data-measure="victims"' not in page.replace('data-chart="outcome" data-measure="victims"', "")
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts[-2:] == ["/static/vendor/chart/chart.umd.min.js", "/static/js/dashboard.js"]
    data = json.loads(unescape(re.search(
        r'<script type="application/json" id="dashboard-data">(.*?)</script>', page, re.S).group(1)))
    assert data["total"]["incidents"] == 4  # the rejected one is not counted
    # Tables: incidents and killed ranges, "≥ N" when a count has no upper bound.
    perpetrators = table_rows(page, "perpetrator")
    assert perpetrators["russia"][0] == 2 and perpetrators["syrian-government"] == (1, "≥ 12")
    assert perpetrators["hts"][0] == 1
    assert table_rows(page, "governorate")["Rif Dimashq"] == (1, "≥ 12")
    assert table_rows(page, "violation")["arbitrary-detention"][0] == 1
    months = table_rows(page, "month")
    assert months["2016-09"][0] == 1 and months["2018-02"][0] == 1 and months["uncertain"][0] == 1
    assert 'data-testid="total-killed-civilian" data-value="≥ 15"' in page
    assert 'data-testid="total-victims"' not in page
    assert 'href="/incidents?status=reviewed&amp;perpetrator=russia"' in page  # the same incidents in the list
    assert "merged and rejected incidents are left out" in page


def test_dashboard_viewer_counts_public_only(ws: Workspace, five: dict[str, int]) -> None:
    page = signed_in(ws, "viewer").get("/dashboard").text
    assert 'data-testid="total-incidents" data-value="2"' in page
    assert "hts" not in table_rows(page, "perpetrator")
    assert set(table_rows(page, "governorate")) == {"Aleppo", "Rif Dimashq"}


def test_dashboard_filter_and_arabic_labels(ws: Workspace, five: dict[str, int]) -> None:
    page = signed_in(ws, "doc", lang="ar").get("/dashboard", params={"perpetrator": "syrian-government"}).text
    assert 'dir="rtl"' in page and 'data-testid="total-incidents" data-value="1"' in page
    governorate = re.search(r'data-testid="table-governorate".*?</table>', page, re.S).group(0)
    assert "ريف دمشق" in governorate and ">Rif Dimashq<" not in governorate
    perpetrator = re.search(r'data-testid="table-perpetrator".*?</table>', page, re.S).group(0)
    assert re.search(r"[\u0600-\u06FF]", re.sub(r"<[^>]+>", "", perpetrator))
    assert "الجهة المنفّذة" in page and "<bdi>ريف دمشق</bdi>" in governorate


def test_timeline_says_when_it_shows_only_the_newest(ws: Workspace, five: dict[str, int],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from tawthiq.web.routes import visuals as routes

    monkeypatch.setattr(routes, "TIMELINE_LIMIT", 2)
    page = signed_in(ws, "doc").get("/timeline").text
    assert 'data-total="4" data-shown="2"' in page and "The newest 2 of 4" in page
    ids = {int(i) for i in re.findall(r'data-testid="timeline-row" data-incident-id="(\d+)"', page)}
    assert ids == {five["douma"], five["idlib"]}  # 2018-02 and 2019-05: the two latest
