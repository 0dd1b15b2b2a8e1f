"""A button's question before it acts (``data-confirm``, shown by static/js/app.js) is read by a person: its
figures follow the reader's digits as a title's do, while a name inside it (isolated between FSI and PDI by
``templating.isolated``) keeps the digits it was written in. The browser's own dialog is checked in
test_e2e_confirm_digits.py."""
from __future__ import annotations

import html
import re

from _client import form_token, signed_in

from tawthiq.domain.enums import Confidentiality, DatePrecision, IncidentStatus
from tawthiq.domain.model import Incident, IncidentDate, Involvement
from tawthiq.services import Workspace, accounts, linking, saved_searches
from tawthiq.store import repository
from tawthiq.web.digits import localise_page
from tawthiq.web.templating import isolated

CONFIRM = re.compile(r'data-confirm="([^"]*)"')


def test_a_confirmation_s_figures_turn_and_isolated_data_keeps_its_digits() -> None:
    page = ('<button data-confirm="Reject 12 suggestions?">x</button>'
            f'<button data-confirm="Delete &#8220;{isolated("Raqqa 2015")}&#8221; (3 filters)?">y</button>'
            '<button data-confirm=\'page 2\' data-n="4">z</button>'
            '<span dir="auto"><button data-confirm="7 in data">w</button></span>')
    shown = localise_page(page)
    assert 'data-confirm="Reject ١٢ suggestions?"' in shown
    # The name keeps "2015" as typed; the interface's "3" turns; references stay markup.
    assert 'data-confirm="Delete &#8220;\u2068Raqqa 2015\u2069&#8221; (٣ filters)?"' in shown
    assert "data-confirm='page ٢' data-n=\"4\"" in shown  # other data-* attributes are not read
    assert 'data-confirm="7 in data"' in shown  # inside data, as the element's text would be


def test_isolated_drops_isolates_inside_the_value() -> None:
    # A name carrying its own PDI could end the isolation early and let the rest of it be rewritten.
    assert isolated("a\u2069 12\u2068") == "\u2068a 12\u2069"
    assert localise_page(f'<b title="{isolated("a" + chr(0x2069) + " 12")} 5">x</b>') == (
        '<b title="\u2068a 12\u2069 ٥">x</b>')


def _pair(ws: Workspace) -> tuple[int, int]:
    def one(day: str) -> int:
        return repository.add_incident(ws.db, Incident(  # type: ignore[arg-type]
            event_type="air-drone-strike", status=IncidentStatus.CONFIRMED, confidentiality=Confidentiality.PUBLIC,
            violations=["killing"], involvements=[Involvement(actor="russia")],
            date=IncidentDate(edtf=day, text=day, precision=DatePrecision.DAY), description=f"Strike on {day}"))

    first, second = one("2016-03-12"), one("2016-03-13")
    linking.decide(ws, user=None, actor="tester", a=first, b=second, verdict="same", comment="one strike")
    return first, second


def test_the_undo_question_names_the_other_incident_in_the_reader_s_digits(ws: Workspace) -> None:
    first, second = _pair(ws)
    client = signed_in(ws, "nour", "documenter", lang="ar")
    latin = html.unescape(CONFIRM.findall(client.get(f"/incidents/{first}").text)[0])
    assert latin == f"هل تريد سحب الحكم بشأن الحادثة #{second}؟ ستتغير مجموعات الأحداث تبعاً لذلك."

    accounts.set_digits(ws, user=accounts.get_user(ws, actor=None, username="nour"), digits="arab")
    arab = html.unescape(CONFIRM.findall(client.get(f"/incidents/{first}").text)[0])
    eastern = str(second).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert f"#{eastern}؟" in arab and not re.search("[0-9]", arab), arab

    # English always writes 0-9, whatever the choice.
    page = client.get("/").text
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": form_token(page)})
    english = client.get(f"/incidents/{first}").text
    assert html.unescape(CONFIRM.findall(english)[0]) == (
        f"Withdraw the judgement on incident #{second}? The clusters follow.")


def test_a_saved_search_s_name_in_the_delete_question_keeps_its_digits(ws: Workspace) -> None:
    client = signed_in(ws, "amal", "documenter", lang="ar")
    user = accounts.get_user(ws, actor=None, username="amal")
    saved_searches.save(ws, user=user, name="Raqqa 2015", params={"q": "Raqqa"})
    accounts.set_digits(ws, user=user, digits="arab")
    asked = [html.unescape(c) for c in CONFIRM.findall(client.get("/account").text)]
    assert "هل تريد حذف البحث المحفوظ «\u2068Raqqa 2015\u2069»؟" in asked, asked
