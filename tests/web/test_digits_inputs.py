"""Numbers and dates typed with Arabic-Indic (٠-٩) or Persian (۰-۹) digits, through the app without a browser
(a form sent with no script runs the same): the server reads them (domain/typed_numbers.py) and stores ASCII;
the number fields are text fields a browser cannot empty; and the figures the pages write (the corroboration
table, the filter chips, the date fields' examples) follow the reader's digits while data keeps its own."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from _client import form_token, signed_in, with_users
from _forms import encoded, form_fields
from _link_helpers import MARKERS, plant
from _record_helpers import text_of
from fastapi.testclient import TestClient

from tawthiq.domain.enums import Confidentiality, IncidentStatus, SourceKind, VictimKind, VictimOutcome
from tawthiq.domain.model import Incident, Involvement, Location, Source, VictimGroup
from tawthiq.services import Workspace, accounts
from tawthiq.store import repository
from tawthiq.store.incidents import add_incident, get_incident
from tawthiq.web.digits import DIGITS_COOKIE

TEXT = "On 2 March 2017 a barrel bomb hit the market in Saraqib, killing twelve civilians."
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
WESTERN = re.compile("[0-9]")


def _east(value: object) -> str:
    return str(value).translate(EASTERN)


@pytest.fixture
def ws(ws: Workspace) -> Workspace:
    # The language is kept on the account: "doc" reads Arabic, "eve" English.
    return with_users(ws, doc="documenter", eve="documenter", vera="viewer")


@pytest.fixture
def text_source(ws: Workspace) -> int:
    sid, _ = repository.add_source(ws.db, Source(kind=SourceKind.TEXT, sha256="ab" * 32, text=TEXT,
                                                 title="Saraqib market report"))
    return sid


def _suggestion(ws: Workspace, source_id: int) -> int:
    return add_incident(ws.db, Incident(
        event_type="air-drone-strike", involvements=[Involvement(actor="syrian-government")],
        location=Location(name="Saraqib", admin1="Idlib"),
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=12, count_max=12)],
        description="A barrel bomb on the market", status=IncidentStatus.SUGGESTED,
        confidentiality=Confidentiality.RESTRICTED, source_id=source_id))


def _arabic_indic(ws: Workspace, name: str) -> TestClient:
    client = signed_in(ws, name, lang="ar")
    client.cookies.set(DIGITS_COOKIE, "arab")
    return client


def _error(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert found, f"no {testid} in the page"
    return text_of(found.group(1)).strip()


# --- what the server reads ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_correction_form_stores_counts_and_a_date_typed_in_arabic_indic_digits(
        ws: Workspace, text_source: int, lang: str) -> None:
    incident_id = _suggestion(ws, text_source)
    client = _arabic_indic(ws, "doc") if lang == "ar" else signed_in(ws, "eve")
    page = client.get(f"/review/{incident_id}").text
    fields = form_fields(page, f"/review/{incident_id}/edit").with_values(**{
        "victims-0-count_min": "٣", "victims-0-count_max": "\u200f١٢\u200f", "victims-0-children": "۲",
        "date": "٢٠١٧-٠٣-٠٢", "comment": "the report counts them"})
    done = client.post(f"/review/{incident_id}/edit", data=encoded([*fields, ("then", "save")]),
                       follow_redirects=False)
    assert done.status_code == 303, done.text[:400]
    stored = get_incident(ws.db, incident_id)
    assert stored is not None and stored.date is not None and stored.date.edtf == "2017-03-02"
    [group] = stored.victims
    assert (group.count_min, group.count_max, group.children) == (3, 12, 2)
    shown = client.get(f"/incidents/{incident_id}").text
    if lang == "ar":  # the page writes the stored numbers in the reader's digits
        assert 'class="count">٣–١٢</strong>' in shown and "٢ آذار ٢٠١٧" in shown
    else:
        assert 'class="count">3–12</strong>' in shown and "2 March 2017" in text_of(shown)
    # Shown again in the form as stored (form values are not rewritten): a second save changes nothing.
    again = form_fields(client.get(f"/review/{incident_id}").text, f"/review/{incident_id}/edit")
    assert (again.value("victims-0-count_min"), again.value("victims-0-count_max")) == ("3", "12")


def test_hand_entry_takes_a_source_number_counts_and_a_date_in_any_digits(ws: Workspace, text_source: int) -> None:
    client = _arabic_indic(ws, "doc")
    page = client.get(f"/add/incident?source_id={text_source}").text
    done = client.post("/add/incident", data={
        "csrf_token": form_token(page), "source_id": f"#{_east(text_source)}", "quote": "a barrel bomb",
        "event_type": "air-drone-strike", "victims-0-outcome": "killed",
        "victims-0-count_min": str(10).translate(PERSIAN), "victims-0-count_max": "١٢",
        "victims-0-women": "٢", "date": "٢٠١٧-٠٣-٠٢"}, follow_redirects=False)
    assert done.status_code == 303, done.text[:600]
    incident = get_incident(ws.db, int(done.headers["location"].rsplit("/", 1)[1]))
    assert incident is not None and incident.source_id == text_source
    assert [(v.count_min, v.count_max, v.women) for v in incident.victims] == [(10, 12, 2)]
    assert incident.date is not None and incident.date.edtf == "2017-03-02"


@pytest.mark.parametrize("bad", ["²", "٣٫٥", "١٢ طفلاً", "-٣", "١" * 10])
def test_a_count_that_is_no_whole_number_is_refused_in_one_line_never_a_server_error(
        ws: Workspace, text_source: int, bad: str) -> None:
    incident_id = _suggestion(ws, text_source)
    client = _arabic_indic(ws, "doc")
    fields = form_fields(client.get(f"/review/{incident_id}").text, f"/review/{incident_id}/edit").with_values(
        **{"victims-0-men": bad, "comment": "men"})
    refused = client.post(f"/review/{incident_id}/edit", data=encoded(fields), follow_redirects=False)
    assert refused.status_code == 400
    said = _error(refused.text, "form-error")
    assert "أعداداً صحيحة من ٠ فأكثر" in said and "\n" not in said
    assert form_fields(refused.text, f"/review/{incident_id}/edit").value("victims-0-men") == bad  # as typed
    assert get_incident(ws.db, incident_id).victims[0].men is None  # type: ignore[union-attr]


def test_a_token_lifetime_typed_in_arabic_indic_digits(ws: Workspace) -> None:
    client = _arabic_indic(ws, "vera")
    page = client.get("/account").text
    made = client.post("/account/tokens", data={"name": "سكربت", "days": "٣٠", "csrf_token": form_token(page)})
    assert made.status_code == 201, made.text[:400]
    [token] = accounts.list_api_tokens(ws, user=accounts.get_user(ws, actor=None, username="vera"))
    assert token.expires_at is not None
    assert abs(token.expires_at - token.created_at - timedelta(days=30)) < timedelta(minutes=1)
    refused = client.post("/account/tokens", data={"name": "سكربت", "days": "ثلاثون", "csrf_token": form_token(page)})
    assert refused.status_code == 400 and "بين يوم واحد و٣٦٥ يوماً" in text_of(refused.text)


def test_ids_typed_in_arabic_indic_digits_link_two_incidents_and_filter_the_queue(ws: Workspace) -> None:
    linked = plant(ws)
    client = _arabic_indic(ws, "doc")
    page = client.get(f"/incidents/{linked.en}").text
    done = client.post(f"/incidents/{linked.en}/same-event", follow_redirects=False, data={
        "csrf_token": form_token(page), "other_id": _east(linked.ar), "verdict": "same", "comment": ""})
    assert done.status_code == 303, done.text[:400]
    panel = client.get(f"/incidents/{linked.en}").text
    assert re.findall(r'data-testid="cluster-member" data-incident-id="(\d+)"', panel) == [str(linked.ar)]
    # The queue's source filter, a page number and a page size, typed in Arabic-Indic or Persian digits.
    source = linked.sources[linked.other]
    queue = client.get("/review", params={"source_id": _east(source), "page": "١"})
    assert queue.status_code == 200
    assert set(re.findall(r'data-testid="queue-source" data-source-id="(\d+)"', queue.text)) <= {str(source)}
    listed = client.get("/incidents", params={"per_page": "۲۵", "page": "١"})
    assert listed.status_code == 200 and re.search(r'<option value="25" selected>٢٥</option>', listed.text)


@pytest.mark.parametrize("path", ["/incidents", "/map", "/timeline", "/dashboard", "/review"])
def test_date_filters_typed_in_arabic_indic_digits_are_understood_everywhere(ws: Workspace, path: str) -> None:
    plant(ws)
    client = _arabic_indic(ws, "doc")
    asked = {"date_from": "٢٠١٥-١٠-٠١", "date_to": "۲۰۱۵-۱۰-۳۱"}
    if path == "/review":
        asked = {"received_from": "٢٠٠٠-٠١-٠١", "received_to": "٢٠٩٩-١٢-٣١"}
    page = client.get(path, params=asked)
    assert page.status_code == 200, text_of(page.text)[:400]
    assert 'data-testid="filter-error"' not in page.text
    if path == "/incidents":  # the two strikes of 7 October 2015, not the shelling of 2017
        assert page.text.count('data-testid="result-row"') == 2


# --- what the pages write -------------------------------------------------------------------------------------

def test_no_number_field_is_one_a_browser_empties(ws: Workspace, text_source: int) -> None:
    """<input type=number> sends "" for "٣": every number field is a text field with a numeric keyboard."""
    linked = plant(ws)
    incident_id = _suggestion(ws, text_source)
    client = signed_in(ws, "doc", lang="ar")
    for path in (f"/review/{incident_id}", f"/incidents/{linked.en}", f"/add/incident?source_id={text_source}",
                 "/review", "/account"):
        page = client.get(path).text
        assert 'type="number"' not in page, path
        fields = re.findall(r"<input [^>]*data-number[^>]*>", page)
        assert fields, path
        assert all('type="text"' in f and 'inputmode="numeric"' in f for f in fields), path


def test_date_fields_show_their_example_in_the_reader_s_digits(ws: Workspace, text_source: int) -> None:
    incident_id = _suggestion(ws, text_source)
    eastern, western, english = _arabic_indic(ws, "doc"), signed_in(ws, "doc", lang="ar"), signed_in(ws, "eve")
    for path in ("/incidents", f"/review/{incident_id}"):
        assert 'placeholder="٢٠١٥-١٠-٠٧"' in eastern.get(path).text, path
        assert 'placeholder="2015-10-07"' in western.get(path).text, path
        assert 'placeholder="2015-10-07"' in english.get(path).text, path
    listed = eastern.get("/incidents").text
    assert 'title="السنة-الشهر-اليوم، مثل ٢٠١٥-١٠-٠٧، بالأرقام الغربية أو المشرقية"' in listed
    assert 'title="Year-month-day, e.g. 2015-10-07"' in english.get("/incidents").text


def test_filter_chips_write_dates_and_record_numbers_in_the_reader_s_digits_and_keep_typed_words(
        ws: Workspace) -> None:
    linked = plant(ws)
    source = linked.sources[linked.en]
    asked = {"date_from": "2015-10-01", "date_to": "2015-10-31", "source_id": str(source), "q": "Ariha 7"}
    chips = re.findall(r'<bdi([^>]*)data-testid="chip-value">([^<]*)</bdi>',
                       _arabic_indic(ws, "doc").get("/incidents", params=asked).text)
    shown = {text: 'dir="auto"' in attributes for attributes, text in chips}
    assert shown == {"١ تشرين الأول ٢٠١٥": False, "٣١ تشرين الأول ٢٠١٥": False, f"#{_east(source)}": False,
                     "Ariha 7": True}  # the words typed are data: their digits as typed
    english = re.findall(r'data-testid="chip-value">([^<]*)</bdi>', signed_in(ws, "eve").get(
        "/incidents", params=asked).text)
    assert sorted(english) == sorted(["2015-10-01", "2015-10-31", f"#{source}", "Ariha 7"])


def test_the_corroboration_table_is_in_the_reader_s_digits_and_keeps_source_titles_as_data(ws: Workspace) -> None:
    linked = plant(ws, confidentiality=Confidentiality.PUBLIC)
    client = _arabic_indic(ws, "doc")
    page = client.get(f"/incidents/{linked.en}").text
    client.post(f"/incidents/{linked.en}/same-event", data={"csrf_token": form_token(page),
                                                            "other_id": str(linked.ar), "verdict": "same"})
    html = client.get(f"/incidents/{linked.en}").text
    table = html[html.index('data-testid="corroboration"'):]
    table = table[:table.index("</table>")]
    shown = text_of(table)
    assert not WESTERN.search(shown), shown  # counts, source numbers, independent sources, the date
    assert "٧ تشرين الأول ٢٠١٥" in shown and "٦ على الأقل" in shown and "٥" in shown
    # Each source's number in the reader's digits; the title over it (the report's) is data, as written.
    links = re.findall(r'<a href="/sources/(\d+)" data-testid="matrix-(?:source|contradiction)"([^>]*)>([^<]*)</a>',
                       table)
    assert {source for source, _, _ in links} == {str(linked.sources[linked.en]), str(linked.sources[linked.ar])}
    assert all(shown == f"#{_east(source)}" for source, _, shown in links), links
    assert ' data-user-title title="Qztitleen activists&#39; report"' in {attributes for _, attributes, _ in links}
    summary = re.search(r'data-testid="matrix-summary">([^<]*)<', html)
    assert summary and not WESTERN.search(summary.group(1))
    # In English the same table, as before: figures 0-9, the count as the incident's fields write it.
    english = signed_in(ws, "eve").get(f"/incidents/{linked.en}").text
    table_en = text_of(english[english.index('data-testid="corroboration"'):english.index("</table>",
                       english.index('data-testid="corroboration"'))])
    assert "7 October 2015" in table_en and "≥ 6" in table_en and not re.search("[٠-٩]", table_en)
    # Viewers get no table, and none of the sources' titles.
    viewer = signed_in(ws, "vera", lang="ar").get(f"/incidents/{linked.en}")
    assert viewer.status_code == 200 and 'data-testid="corroboration"' not in viewer.text
    assert not any(m in viewer.text for m in MARKERS if m.startswith("Qztitle"))  # a public event's text is theirs
