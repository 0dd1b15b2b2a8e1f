"""Arabic-Indic digits by choice (issue 12, part D2): the cookie, the pages it changes and what it never touches."""
from __future__ import annotations

import re
from pathlib import Path

from _client import client_for, form_token, make_user, signed_in
from _record_helpers import ingest_text
from fastapi.testclient import TestClient

from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace, reading
from tawthiq.web.digits import DIGITS_COOKIE, localise_page

# "123" is the report's own number: it must read "123" whatever the reader's digits.
REPORT = ("حلب، 12 آذار 2016: قتل خمسة مدنيين بينهم طفلان جراء قصف جوي لطائرات النظام على حي الشعار "
          "في مدينة حلب. رقم البلاغ 123.\n")
ARABIC_INDIC = re.compile("[٠-٩]")


def _choose(client: TestClient, digits: str, *, next_path: str = "/account") -> None:
    account = client.get("/account")
    response = client.post("/digits", data={"digits": digits, "next": next_path,
                                            "csrf_token": form_token(account.text)}, follow_redirects=False)
    assert response.status_code == 303, response.text


def _incident(ws: Workspace, tmp_path: Path) -> int:
    user = make_user(ws, "nour", "documenter")
    (source_id,) = ingest_text(ws, tmp_path, "aleppo.txt", REPORT)
    found = reading.query_incidents(ws, user=user, filters=IncidentFilter(source_id=source_id), sort="id")
    assert found.items, "the extractor found an incident in the test report"
    return found.items[0].id


# --- the page rewrite itself ---------------------------------------------------------------------------------

def test_interface_figures_turn_and_data_markup_and_attributes_do_not() -> None:
    page = ('<p title="12 of 30">3–5 victims, at least 7, page 2 of 10, 1,234.5 km, 2015-10-07, &#39;x&#39; '
            '&#8211; B2 SHA-256</p><bdi dir="auto">report 123</bdi><span data-user>user 45</span>'
            '<a href="/incidents/42?page=3">42</a><input value="2015-10-07"><code>id 99</code>'
            '<textarea name="t">typed 77</textarea><script>if (a<3) { b = "4"; }</script>'
            '<p lang="en">English 6</p><td data-digits="keep">(0–9)</td><svg><text x="10">2016</text></svg>')
    shown = localise_page(page)
    # The title is read as the text is: its figures turn too.
    assert '<p title="١٢ of ٣٠">٣–٥ victims, at least ٧, page ٢ of ١٠, ١٬٢٣٤٫٥ km, ٢٠١٥-١٠-٠٧, ' in shown
    assert "&#39;x&#39; &#8211; B2 SHA-256</p>" in shown  # references and codes joined to letters as written
    for kept in ('<bdi dir="auto">report 123</bdi>', "<span data-user>user 45</span>",
                 '<a href="/incidents/42?page=3">٤٢</a>', '<input value="2015-10-07">', "<code>id 99</code>",
                 "<textarea name=\"t\">typed 77</textarea>", '<script>if (a<3) { b = "4"; }</script>',
                 '<p lang="en">English 6</p>', '<td data-digits="keep">(0–9)</td>', '<text x="10">٢٠١٦</text>'):
        assert kept in shown, kept


def test_the_attributes_a_person_reads_turn_and_the_others_and_data_do_not() -> None:
    page = ('<input type="text" name="date" value="2015-10-07" placeholder="2015-10-07" title="e.g. 2015-10-07" '
            'data-n="3"><nav aria-label="page 2 of 5"><a href="/x?page=2" title=\'page 2\'>2</a></nav>'
            '<img alt="chart of 12" src="/c/12.png"><textarea placeholder="at most 2000">7</textarea>'
            '<a href="/sources/4" data-user-title title="report 2016 #9">#4</a>'
            '<span data-user title="user 5" aria-label="user 6">7</span><code title="sha 1234">8</code>'
            '<div dir="auto"><input placeholder="quoted 9"></div><p title=&#39;a&#39;>1</p>')
    shown = localise_page(page)
    for turned in ('<input type="text" name="date" value="2015-10-07" placeholder="٢٠١٥-١٠-٠٧" '
                   'title="e.g. ٢٠١٥-١٠-٠٧" data-n="3">', '<nav aria-label="page ٢ of ٥">',
                   '<a href="/x?page=2" title=\'page ٢\'>٢</a>', '<img alt="chart of ١٢" src="/c/12.png">',
                   '<textarea placeholder="at most ٢٠٠٠">7</textarea>',
                   # A source's title is data; its number over it is the page's.
                   '<a href="/sources/4" data-user-title title="report 2016 #9">#٤</a>'):
        assert turned in shown, turned
    for kept in ('<span data-user title="user 5" aria-label="user 6">7</span>', '<code title="sha 1234">8</code>',
                 '<div dir="auto"><input placeholder="quoted 9"></div>', "<p title=&#39;a&#39;>١</p>"):
        assert kept in shown, kept


def test_data_inside_data_stays_and_an_unclosed_element_only_keeps_more() -> None:
    page = ('<div dir="auto"><p>quoted 1 <b>2</b></p> 3</div> 4 <tr><td dir="auto">kept 5<td>then 6</tr> 7'
            '<!-- 8 --><p lang="ar">9</p> <i>10 <td dir="auto">11')
    shown = localise_page(page)
    assert '<div dir="auto"><p>quoted 1 <b>2</b></p> 3</div> ٤ ' in shown
    # The cell left open (the browser would close it) is taken as holding the next: both kept, until </tr>.
    assert '<tr><td dir="auto">kept 5<td>then 6</tr> ٧<!-- 8 --><p lang="ar">٩</p>' in shown
    assert shown.endswith('<i>١٠ <td dir="auto">11')  # an end tag never comes: the rest is kept


# --- the choice, through the app --------------------------------------------------------------------------

def test_chosen_digits_show_counts_and_dates_in_arabic_indic_and_leave_report_text(ws: Workspace,
                                                                                   tmp_path: Path) -> None:
    incident_id = _incident(ws, tmp_path)
    client = signed_in(ws, "amal", "admin", lang="ar")
    before = client.get(f"/incidents/{incident_id}").text
    assert 'class="count">5</strong>' in before and not ARABIC_INDIC.search(re.sub(r"<[^>]*>", "", before)
                                                                            .replace("٢٠١٥-١٠-٠٧", ""))
    account = client.get("/account").text
    assert 'data-testid="account-digits"' in account and 'value="latn" data-testid="digits-latn" checked' in account

    _choose(client, "arab")
    assert client.cookies.get(DIGITS_COOKIE) == "arab"
    page = client.get(f"/incidents/{incident_id}").text
    assert 'class="count">٥</strong>' in page  # the victims count
    assert "١٢ آذار ٢٠١٦" in page  # the date in words
    assert "رقم البلاغ 123" in page and "١٢٣" not in page  # the report's own digits stay
    assert f'href="/incidents/{incident_id}' in page or f"/incidents/{incident_id}" in page  # ids in addresses
    listed = client.get("/incidents").text
    # One match is said in words ("حادثة واحدة مطابقة"); the date's figures are Arabic-Indic.
    assert "حادثة واحدة مطابقة" in listed and "١٢ آذار ٢٠١٦" in listed
    assert re.search(r"<option[^>]*>٢٥</option>", listed)  # page sizes, as figures of the page
    assert 'data-testid="digits-arab" checked' in client.get("/account").text

    # Downloads and the API are data: never rewritten.
    exported = client.get("/incidents/export", params={"format": "csv"})
    assert exported.status_code == 200 and "2016" in exported.text and not ARABIC_INDIC.search(exported.text)
    assert not ARABIC_INDIC.search(client.get(f"/api/incidents/{incident_id}").text)

    # The English interface always writes 0-9, whatever the choice.
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": form_token(page)})
    english = client.get(f"/incidents/{incident_id}").text
    assert 'class="count">5</strong>' in english and not ARABIC_INDIC.search(re.sub(r"<[^>]*>", "", english))

    client.post("/language", data={"lang": "ar", "next": "/", "csrf_token": form_token(english)})
    _choose(client, "latn")
    assert 'class="count">5</strong>' in client.get(f"/incidents/{incident_id}").text


def test_bad_digit_values_are_ignored_never_an_error(ws: Workspace) -> None:
    client = signed_in(ws, "amal", "admin", lang="ar")
    _choose(client, "arab")
    for bad in ("", "ARAB", "hindi", "arab;", "<b>", "latn\narab", "x" * 5000):
        _choose(client, bad)
        assert client.cookies.get(DIGITS_COOKIE) == "arab", bad[:20]  # the choice stays as it was
    # Only a path on this site: the redirect never leaves it.
    account = client.get("/account")
    away = client.post("/digits", data={"digits": "latn", "next": "https://evil.example/",
                                        "csrf_token": form_token(account.text)}, follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/"
    # No CSRF token, no change.
    forged = client.post("/digits", data={"digits": "arab"}, follow_redirects=False)
    assert forged.status_code == 403 and client.cookies.get(DIGITS_COOKIE) == "latn"
    # A hand-made cookie with any other value reads as Western digits.
    client.cookies.set(DIGITS_COOKIE, "%3Cscript%3E")
    assert client.get("/account").status_code == 200
    assert 'data-testid="digits-latn" checked' in client.get("/account").text


def test_viewer_pages_follow_the_choice_and_show_no_report_text(ws: Workspace, tmp_path: Path) -> None:
    _incident(ws, tmp_path)
    viewer = signed_in(ws, "vera", "viewer", lang="ar")
    _choose(viewer, "arab")
    listed = viewer.get("/incidents").text
    assert re.search(r"<option[^>]*>٥٠</option>", listed)
    assert "رقم البلاغ" not in listed  # the restricted report is not a viewer's to read, in any digits
    assert 'data-testid="account-digits"' in viewer.get("/account").text


def test_signed_out_pages_keep_the_choice(ws: Workspace) -> None:
    client = signed_in(ws, "amal", "admin", lang="ar")
    _choose(client, "arab")
    client.post("/logout", data={"csrf_token": form_token(client.get("/").text)})
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "(٤٠٤)" in missing.text
    # Without the cookie (another browser), the same page writes 404.
    other = client_for(ws)
    other.cookies.set("tawthiq_lang", "ar")
    assert "(404)" in other.get("/no-such-page").text


def test_a_date_filter_that_is_no_day_says_so_in_the_page_language_and_keeps_what_was_typed(ws: Workspace) -> None:
    arabic = signed_in(ws, "amal", "admin", lang="ar")
    page = arabic.get("/incidents", params={"date_from": "٢٠١٥-٠٢-٣٠"})
    assert page.status_code == 400
    assert ('في خانة «من» ليس يوماً صحيحاً' in page.text and
            '<bdi dir="auto" data-user>٢٠١٥-٠٢-٣٠</bdi>' in page.text and "must be a date" not in page.text)
    assert re.search(r'name="date_from"[^>]*value="٢٠١٥-٠٢-٣٠"', page.text)
    hostile = arabic.get("/incidents", params={"date_to": '"><script>alert(1)</script>'})
    assert hostile.status_code == 400 and "<script>alert(1)" not in hostile.text
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in hostile.text or \
        'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in hostile.text
    english = signed_in(ws, "nour", "documenter")
    page = english.get("/incidents", params={"date_to": "2015-13-01"})
    assert page.status_code == 400 and "is not a real day written year-month-day" in page.text
    assert re.search(r'name="date_to"[^>]*value="2015-13-01"', page.text)
