"""The incidents list (facets, search, sort, paging, export) and the sources list, through the app."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from html import unescape

import pytest

from tawthiq.domain.enums import Confidentiality, IncidentStatus, VictimKind, VictimOutcome
from tawthiq.domain.model import Incident, IncidentDate, Involvement, Location, Source, VictimGroup
from tawthiq.domain.enums import SourceKind
from tawthiq.services import Workspace
from tawthiq.store import repository

from _client import client_for, form_token, make_user, signed_in, with_users


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    return with_users(ws, doc="documenter", viewer="viewer")


def row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="result-row" data-incident-id="(\d+)"', html)]


def add(ws: Workspace, **fields: object) -> int:
    values: dict[str, object] = {"event_type": "air-drone-strike", "status": IncidentStatus.CONFIRMED,
                                 "confidentiality": Confidentiality.RESTRICTED}
    values.update(fields)
    return repository.add_incident(ws.db, Incident(**values))  # type: ignore[arg-type]


def place(name: str, name_ar: str, governorate: str) -> Location:
    return Location(name=name, name_ar=name_ar, text=name, admin1=governorate, lat=36.2, lon=37.1)


@pytest.fixture
def four(ws: Workspace) -> dict[str, int]:
    """Four incidents differing in every facet; only 'aleppo' is public."""
    return {
        "aleppo": add(ws, event_type="air-drone-strike", violations=["indiscriminate-attack"],
                      involvements=[Involvement(actor="russia")],
                      victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN,
                                           count_min=3, count_max=5)],
                      location=place("Aleppo", "حلب", "Aleppo"),
                      date=IncidentDate(edtf="2016-09-23", text="23 September 2016"),
                      description="غارة جوية على حي سكني في حلب", confidentiality=Confidentiality.PUBLIC),
        "douma": add(ws, event_type="shelling-artillery-missile-attack", violations=["killing"],
                     involvements=[Involvement(actor="syrian-government")],
                     victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=12)],
                     location=place("Douma", "دوما", "Rif Dimashq"),
                     date=IncidentDate(edtf="2018-02-20", text="20 February 2018"),
                     description="Shelling of a market in Douma killed at least twelve people"),
        "idlib": add(ws, event_type="arrests", violations=["arbitrary-detention"],
                     involvements=[Involvement(actor="hts")],
                     victims=[VictimGroup(outcome=VictimOutcome.DETAINED, kind=VictimKind.COMBATANT,
                                          count_min=2, count_max=2)],
                     location=place("Idlib", "إدلب", "Idlib"), status=IncidentStatus.SUGGESTED,
                     date=IncidentDate(edtf="2019-05", text="May 2019"), description="Arrests at a checkpoint"),
        "raqqa": add(ws, event_type="air-drone-strike", violations=["indiscriminate-attack"],
                     involvements=[Involvement(actor="coalition")], location=place("Raqqa", "الرقة", "Ar-Raqqa"),
                     date=IncidentDate(edtf="2017-06-10", text="10 June 2017"), description="Strike on a bakery",
                     confidentiality=Confidentiality.CONFIDENTIAL),
    }


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"aleppo", "douma", "idlib", "raqqa"}),
    ({"event_type": "air-drone-strike"}, {"aleppo", "raqqa"}),
    ({"violation": "arbitrary-detention"}, {"idlib"}),
    ({"perpetrator": "syrian-government"}, {"douma"}),
    ({"victim_kind": "combatant"}, {"idlib"}),
    ({"governorate": "Rif Dimashq"}, {"douma"}),
    ({"date_from": "2017-01-01", "date_to": "2018-12-31"}, {"douma", "raqqa"}),
    ({"status": "suggested"}, {"idlib"}),
    ({"confidentiality": "confidential"}, {"raqqa"}),
    ({"q": "حلب"}, {"aleppo"}),
    ({"q": "market"}, {"douma"}),
    ({"q": "bakery", "event_type": "arrests"}, set()),
    ({"place": "إدلب"}, {"idlib"}),  # the CLI's --place, the same filter
    ({"place": "DOUMA", "status": "confirmed"}, {"douma"}),
])
def test_each_filter_narrows_the_list(ws: Workspace, four: dict[str, int], params: dict[str, str],
                                      expected: set[str]) -> None:
    page = signed_in(ws, "doc").get("/incidents", params=params)
    assert page.status_code == 200
    assert set(row_ids(page.text)) == {four[name] for name in expected}
    assert f'data-total="{len(expected)}"' in page.text


def test_a_place_filter_survives_the_form(ws: Workspace, four: dict[str, int]) -> None:
    page = signed_in(ws, "doc").get("/incidents", params={"place": "Douma"})
    assert set(row_ids(page.text)) == {four["douma"]}
    assert '<input type="hidden" name="place" value="Douma">' in page.text
    assert "place=Douma" in unescape(page.text)  # the export links keep it too


def test_facets_show_counts_and_labels_in_the_page_language(ws: Workspace, four: dict[str, int]) -> None:
    doc = signed_in(ws, "doc")
    page = doc.get("/incidents").text
    facet = re.search(r'data-testid="facet-event_type".*?</fieldset>', page, re.S).group(0)
    assert re.search(r'value="air-drone-strike"[^>]*>\s*<span dir="auto">[^<]+</span> <bdi class="muted">\(2\)', facet)
    assert re.search(r'value="arrests"[^>]*>\s*<span dir="auto">[^<]+</span> <bdi class="muted">\(1\)', facet)
    # The chosen facet value stays ticked; other facets count within it.
    chosen = doc.get("/incidents", params={"event_type": "air-drone-strike"}).text
    assert re.search(r'value="air-drone-strike" data-autosubmit\s+data-testid="facet-event_type-option" checked>', chosen)
    status = re.search(r'data-testid="facet-status".*?</fieldset>', chosen, re.S).group(0)
    assert "suggested" not in status and re.search(r'value="confirmed"[^>]*>\s*<span dir="auto">[^<]+</span> <bdi class="muted">\(2\)', status)
    # Arabic: vocabulary labels and the governorate's Arabic name.
    doc.post("/language", data={"lang": "ar", "next": "/incidents", "csrf_token": form_token(page)})
    arabic = doc.get("/incidents").text
    assert 'dir="rtl"' in arabic
    governorates = re.search(r'data-testid="facet-governorate".*?</fieldset>', arabic, re.S).group(0)
    assert re.search(r'value="Aleppo"[^>]*>\s*<span dir="auto">حلب</span> <bdi class="muted">\(1\)', governorates)
    assert "اشتباك" in arabic or "غارة" in arabic or "ضربة" in arabic
    row = re.search(rf'data-incident-id="{four["douma"]}".*?</tr>', arabic, re.S).group(0)
    assert "دوما" in row and "Douma<" not in row


def test_results_table_shows_dates_places_victims_and_badges(ws: Workspace, four: dict[str, int]) -> None:
    page = signed_in(ws, "doc").get("/incidents").text
    douma = re.search(rf'data-incident-id="{four["douma"]}".*?</tr>', page, re.S).group(0)
    assert f'href="/incidents/{four["douma"]}"' in douma
    assert 'data-edtf="2018-02-20">20 February 2018<' in douma  # the date in words, the code kept aside
    assert "≥ 12" in unescape(douma) and "Douma" in douma
    assert 'class="badge confirmed"' in douma and 'class="badge restricted"' in douma
    aleppo = re.search(rf'data-incident-id="{four["aleppo"]}".*?</tr>', page, re.S).group(0)
    assert "3–5" in unescape(aleppo)
    assert '<div class="muted description" dir="auto">غارة جوية' in aleppo


def test_report_text_is_escaped(ws: Workspace) -> None:
    add(ws, description='<script>alert("x")</script> in Homs', location=place("Homs", "حمص", "Homs"))
    page = signed_in(ws, "doc").get("/incidents").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_sort_orders(ws: Workspace, four: dict[str, int]) -> None:
    doc = signed_in(ws, "doc")
    by_date = [four[n] for n in ("idlib", "douma", "raqqa", "aleppo")]
    assert row_ids(doc.get("/incidents").text) == by_date  # newest first by default
    assert row_ids(doc.get("/incidents", params={"sort": "date"}).text) == by_date[::-1]
    assert row_ids(doc.get("/incidents", params={"sort": "-id"}).text) == sorted(four.values(), reverse=True)
    assert row_ids(doc.get("/incidents", params={"sort": "id"}).text) == sorted(four.values())


def test_paging_keeps_the_filter(ws: Workspace) -> None:
    ids = [add(ws, event_type="arrests", date=IncidentDate(edtf=f"2019-01-{d:02d}")) for d in range(1, 29)]
    add(ws, event_type="air-drone-strike", date=IncidentDate(edtf="2019-01-15"))
    doc = signed_in(ws, "doc")
    first = doc.get("/incidents", params={"event_type": "arrests", "per_page": "25", "sort": "id"})
    assert row_ids(first.text) == ids[:25]
    assert "Page 1 of 2" in first.text
    link = unescape(re.search(r'data-testid="pager-next" href="([^"]+)"', first.text).group(1))
    assert "event_type=arrests" in link and "per_page=25" in link and "sort=id" in link and "page=2" in link
    second = doc.get("/incidents" + link)
    assert row_ids(second.text) == ids[25:]
    back = unescape(re.search(r'data-testid="pager-prev" href="([^"]+)"', second.text).group(1))
    assert "event_type=arrests" in back and "page=1" in back
    # The export links carry the same filter.
    export = unescape(re.search(r'href="([^"]+)" data-testid="export-csv"', first.text).group(1))
    assert export.startswith("/incidents/export?format=csv&") and "event_type=arrests" in export


def test_bad_filter_values_give_a_message_not_an_error(ws: Workspace, four: dict[str, int]) -> None:
    doc = signed_in(ws, "doc")
    for params in ({"date_from": "yesterday"}, {"status": "bogus"}, {"sort": "nonsense"},
                   {"victim_kind": "<b>x</b>"}):
        page = doc.get("/incidents", params=params)
        assert page.status_code == 400, params
        message = re.search(r'data-testid="filter-error"[^>]*>(.*?)</p>', page.text, re.S).group(1)
        assert "\n" not in message.strip() and "<b>" not in message
        assert set(row_ids(page.text)) == set(four.values())  # the unfiltered list, still usable
    assert doc.get("/incidents", params={"page": "abc"}).status_code == 200


def test_viewer_sees_only_public_incidents_in_list_and_export(ws: Workspace, four: dict[str, int]) -> None:
    viewer = signed_in(ws, "viewer")
    page = viewer.get("/incidents")
    assert row_ids(page.text) == [four["aleppo"]]
    assert "facet-confidentiality" in page.text and "confidential (" not in page.text
    assert row_ids(viewer.get("/incidents", params={"confidentiality": "confidential"}).text) == []
    body = viewer.get("/incidents/export", params={"format": "json"}).json()
    items = body if isinstance(body, list) else body.get("incidents", body.get("items"))
    assert [i["id"] for i in items] == [four["aleppo"]]
    geo = viewer.get("/incidents/export", params={"format": "geojson"}).json()
    assert [f["properties"]["id"] for f in geo["features"]] == [four["aleppo"]]


def test_export_formats(ws: Workspace, four: dict[str, int]) -> None:
    doc = signed_in(ws, "doc")
    got = doc.get("/incidents/export", params={"format": "csv", "event_type": "air-drone-strike"})
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/csv")
    assert got.headers["content-disposition"].startswith("attachment;") and ".csv" in got.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert sorted(int(r["id"]) for r in rows) == sorted([four["aleppo"], four["raqqa"]])
    as_json = doc.get("/incidents/export", params={"format": "json", "q": "حلب"})
    assert as_json.headers["content-type"].startswith("application/json")
    body = json.loads(as_json.content)
    items = body if isinstance(body, list) else body.get("incidents", body.get("items"))
    assert [i["id"] for i in items] == [four["aleppo"]]
    assert "حلب" in as_json.content.decode("utf-8")
    geo = doc.get("/incidents/export", params={"format": "geojson", "violation": "killing"})
    assert geo.headers["content-type"].startswith("application/geo+json")
    features = geo.json()["features"]
    assert [f["properties"]["id"] for f in features] == [four["douma"]]
    assert features[0]["geometry"]["type"] == "Point"
    assert doc.get("/incidents/export", params={"format": "xlsx"}).status_code == 400
    assert doc.get("/incidents/export", params={"date_to": "soon"}).status_code == 400


def test_list_needs_sign_in(ws: Workspace) -> None:
    client = client_for(ws, raise_server_exceptions=True)
    response = client.get("/incidents/export?format=csv", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_sources_list(ws: Workspace) -> None:
    ids = []
    for n in range(3):
        sid, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256=f"{n:064x}", text=f"report {n}",
                                                     title=f"تقرير {n}" if n else "", original_name=f"r{n}.txt",
                                                     language="ar", published=date(2020, 1, n + 1)))
        ids.append(sid)
    add(ws, source_id=ids[1])
    add(ws, source_id=ids[1], status=IncidentStatus.SUGGESTED)
    page = signed_in(ws, "doc").get("/sources")
    assert page.status_code == 200
    assert [int(i) for i in re.findall(r'data-testid="source-row" data-source-id="(\d+)"', page.text)] == ids[::-1]
    row = re.search(rf'data-source-id="{ids[1]}".*?</tr>', page.text, re.S).group(0)
    assert "تقرير 1" in row and "r1.txt" in row and "2020-01-02" in row and f"{1:064x}"[:12] in row
    assert re.search(r'data-testid="source-incidents">2<', row)
    assert f"/add/incident?source_id={ids[1]}" in row
    assert f'href="/sources/{ids[1]}"' in row
    untitled = re.search(rf'data-source-id="{ids[0]}".*?</tr>', page.text, re.S).group(0)
    assert "r0.txt" in untitled and 'data-testid="source-incidents"' not in untitled
    assert signed_in(ws, "viewer").get("/sources").status_code == 403


def test_sources_list_pages(ws: Workspace) -> None:
    for n in range(53):
        repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256=f"{n:064x}", text=f"r {n}",
                                            original_name=f"s{n}.txt"))
    doc = signed_in(ws, "doc")
    first = doc.get("/sources").text
    assert len(re.findall(r'data-testid="source-row"', first)) == 50 and "s52.txt" in first
    second = doc.get("/sources?page=2").text
    assert re.findall(r'data-testid="source-row" data-source-id="(\d+)"', second) == ["3", "2", "1"]
    assert doc.get("/sources?page=99").status_code == 200


def test_sources_list_words_filter_and_paging_keeps_them(ws: Workspace) -> None:
    for n in range(55):
        text = f"report {n}: قصف على أريحا" if n % 2 else f"report {n}"
        repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256=f"{n:064x}", text=text,
                                            original_name=f"s{n}.txt"))
    doc = signed_in(ws, "doc")
    first = doc.get("/sources", params={"q": "اريحا"})  # hamza folded
    assert first.status_code == 200
    shown = [int(i) for i in re.findall(r'data-testid="source-row" data-source-id="(\d+)"', first.text)]
    assert len(shown) == 27 and re.search(r'data-total="27"', first.text)
    assert 'data-testid="pager"' not in first.text
    everything = doc.get("/sources").text
    assert re.search(r'data-total="55"', everything) and "q=" not in everything.split('data-testid="pager"')[1][:400]
    assert doc.get("/sources", params={"q": "!!!"}).status_code == 200
    assert 'data-total="0"' in doc.get("/sources", params={"q": "!!!"}).text
    many = doc.get("/sources", params={"q": "report", "page": "2"}).text
    assert 'data-total="55"' in many and 'href="?q=report&amp;page=1"' in many
    assert len(re.findall(r'data-testid="source-row"', many)) == 5


def test_sources_page_searches_and_shows_excerpts(ws: Workspace) -> None:
    from tawthiq.services import ingest

    doc_user = make_user(ws, "srcdoc", "documenter")
    ingest.ingest_text(ws, user=doc_user, text="قصف على حلب أدى إلى مقتل ثلاثة مدنيين", title="حلب")
    ingest.ingest_text(ws, user=doc_user, text="Shelling of Idlib market killed two", title="Idlib")
    client = signed_in(ws, "srcdoc")
    page = client.get("/sources")
    assert page.status_code == 200 and 'data-testid="source-excerpt"' in page.text and "Shelling of Idlib" in page.text
    found = client.get("/sources", params={"q": "حلب"})
    assert found.text.count('data-testid="source-row"') == 1 and "قصف على حلب" in found.text
    # A search that finds nothing says so, in words about the search, not "no sources yet".
    none = client.get("/sources", params={"q": "Qzabsent"})
    assert 'data-testid="sources-no-match"' in none.text and "Qzabsent" in none.text
    assert 'data-testid="sources-empty"' not in none.text and 'href="/sources"' in none.text
