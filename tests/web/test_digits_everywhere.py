"""Every page in Arabic, for a reader who chose Arabic-Indic digits, writes its own figures in them.

The site is walked as test_arabic_everywhere.py walks it (the demo's reports ingested and linked, an admin
following every link from the home page, every GET route reached, the error pages), plus the states a walk
does not reach by itself: an event of two reports (the corroboration table), a filtered list (its chips),
a second page. On each page the interface text (visible text and the attributes a person reads: title,
placeholder, aria-label, alt) must hold no Western digit (0-9). Dropped, as the language check drops them:
data (``dir="auto"``, ``data-user``: a report's own "123" keeps its digits), text in another language, and
machine text (``<code>``, scripts). Ids in addresses and hidden form values are attributes nobody reads.

Allowed, and only these:

* a code joined to Latin letters, written the same in any language and kept by web/digits.py: the name of
  a standard ("SHA-256") and a source's grade on the Admiralty scale ("B2", "F6");
* the digits choice's own sample on the account page, "(0–9)", which shows what "Western digits" means.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from _client import client_for, make_user, sign_in
from _walk import ADMIN, demo_workspace, interface_texts, pages_to_reach, walk_site

from tawthiq.domain.filters import IncidentFilter
from tawthiq.services import Workspace, accounts, linking, reading, saved_searches

WESTERN = re.compile("[0-9]")
# A code joined to Latin letters (SHA-256, B2): web/digits.py keeps it whole, as the reader types it.
CODE = re.compile(r"[A-Za-z][A-Za-z-]*[0-9][\w-]*|[0-9][\w-]*[A-Za-z][\w-]*")
SAMPLES_OF_DIGITS = ("(0–9)",)  # the account page's choice, showing the Western digits themselves


def western_figures(html: str, lang: str) -> list[str]:
    """The interface texts of a page that still hold a Western digit, allowed codes and samples left out."""
    found = []
    for text in interface_texts(html, lang)[0]:
        rest = CODE.sub(" ", text)
        for sample in SAMPLES_OF_DIGITS:
            rest = rest.replace(sample, " ")
        if WESTERN.search(rest):
            found.append(text)
    return found


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    with demo_workspace(tmp_path_factory.mktemp("digits-everywhere")) as workspace:
        admin = make_user(workspace, ADMIN, "admin")
        accounts.set_digits(workspace, user=admin, digits="arab")  # the account's choice, in every browser
        saved_searches.save(workspace, user=admin, name="الرقة ٢٠١٥", params={"q": "Raqqa"})  # its page: a redirect
        yield workspace


def _event(ws: Workspace) -> int:
    """Two reports decided to be one event, so its page shows the corroboration table."""
    admin = accounts.get_user(ws, actor=None, username=ADMIN)
    first, second = reading.query_incidents(ws, user=admin, filters=IncidentFilter(), sort="id").items[:2]
    linking.decide(ws, user=admin, actor=ADMIN, a=int(first.id), b=int(second.id), verdict="same",
                   comment="one strike")
    return int(first.id)


def test_the_reader_catches_western_digits_and_lets_data_and_codes_be() -> None:
    page = ('<html lang="ar"><body><p>٣ حوادث</p><p title="صفحة 2">٢</p><bdi dir="auto">رقم البلاغ 123</bdi>'
            '<p>بصمة SHA-256</p><p>F6: غير مقيّم</p><input placeholder="2015-10-07"><code>id 9</code>'
            '<label>الأرقام الغربية (0–9)</label><p>عدد 7</p></body></html>')
    assert western_figures(page, "ar") == ["صفحة 2", "2015-10-07", "عدد 7"]


def test_every_page_writes_its_figures_in_the_chosen_arabic_indic_digits(ws: Workspace) -> None:
    incident_id = _event(ws)
    walk = walk_site(ws, ADMIN, "ar", check=western_figures)
    client = client_for(ws)
    assert sign_in(client, ADMIN).status_code == 303
    assert 'data-numerals="arab"' in client.get("/").text  # the account's choice and language hold
    extra = {}
    for url in (f"/incidents/{incident_id}", "/incidents?date_from=2010-01-01&date_to=2030-12-31&source_id=1",
                "/incidents?per_page=25&page=2", "/review?page=2&source_id=1", "/account", "/password",
                f"/review/{incident_id}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'data-testid="corroboration"' in response.text or url != f"/incidents/{incident_id}"
        found = western_figures(response.text, "ar")
        if found:
            extra[url] = found
    problems = {**walk.problems, **extra}
    assert not problems, f"{len(problems)} pages write Western digits:\n" + "\n".join(
        f"{url}:\n    " + "\n    ".join(found[:12]) for url, found in problems.items())
    # Every page was read, as the language check reads them (the API answers JSON, never rewritten).
    assert sorted(pages_to_reach(client.app) - set(walk.seen)) == []
