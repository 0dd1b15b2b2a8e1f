"""The digits choice saved on the account: it follows the user to a browser that never chose, wins over
that browser's cookie, is recorded in the account's history, and leaves English pages alone."""
from __future__ import annotations

import re

from _client import client_for, form_token, make_user, sign_in, signed_in
from fastapi.testclient import TestClient

from tawthiq.services import Workspace
from tawthiq.store import repository
from tawthiq.store.accounts import find_user
from tawthiq.web.digits import DIGITS_COOKIE

ARABIC_INDIC = re.compile("[٠-٩]")


def _choose(client: TestClient, digits: str) -> None:
    account = client.get("/account")
    response = client.post("/digits", data={"digits": digits, "next": "/account",
                                            "csrf_token": form_token(account.text)}, follow_redirects=False)
    assert response.status_code == 303, response.text


def _user_id(ws: Workspace, username: str) -> int:
    found = find_user(ws.db, username)
    assert found is not None
    return found[0].id


def _page_size_options(html: str) -> list[str]:
    return re.findall(r"<option[^>]*>([0-9٠-٩]+)</option>", html)


def test_a_choice_made_in_one_browser_holds_in_another_that_never_chose(ws: Workspace) -> None:
    first = signed_in(ws, "amal", "documenter", lang="ar")
    assert 'data-testid="digits-account-note"' in first.get("/account").text
    _choose(first, "arab")

    fresh = client_for(ws)  # another browser: no cookie at all
    response = sign_in(fresh, "amal")
    assert response.status_code == 303
    assert fresh.cookies.get(DIGITS_COOKIE) == "arab"  # the account's choice, given to this browser too
    fresh.cookies.delete(DIGITS_COOKIE)  # even without it, the account decides while signed in
    listed = fresh.get("/incidents").text
    assert 'lang="ar"' in listed and 'data-numerals="arab"' in listed
    assert "٢٥" in _page_size_options(listed) and "25" not in _page_size_options(listed)
    assert 'data-testid="digits-arab" checked' in fresh.get("/account").text

    # The English interface always writes 0-9, whatever the account says.
    page = fresh.get("/")
    fresh.post("/language", data={"lang": "en", "next": "/", "csrf_token": form_token(page.text)})
    english = fresh.get("/incidents").text
    assert 'lang="en"' in english and 'data-numerals="latn"' in english
    assert "25" in _page_size_options(english) and not ARABIC_INDIC.search(re.sub(r"<[^>]*>", "", english))

    # Each choice is in the account's history, by the user who made it.
    user_id = _user_id(ws, "amal")
    changes = [e.after for e in repository.history(ws.db, entity="user", entity_id=user_id)
               if e.after and "digits" in e.after]
    assert changes == [{"digits": "arab"}]


def test_the_account_wins_over_the_cookie_and_a_user_who_never_chose_keeps_the_cookie(ws: Workspace) -> None:
    chooser = signed_in(ws, "nour", "reviewer", lang="ar")
    _choose(chooser, "latn")
    chooser.cookies.set(DIGITS_COOKIE, "arab")  # an older choice of this browser
    assert 'data-numerals="latn"' in chooser.get("/incidents").text

    make_user(ws, "sami", "viewer")  # has never saved a choice on the account
    other = signed_in(ws, "sami", lang="ar")
    other.cookies.set(DIGITS_COOKIE, "arab")
    assert 'data-numerals="arab"' in other.get("/incidents").text  # the browser's cookie, as before
    other.cookies.set(DIGITS_COOKIE, "latn")
    assert 'data-numerals="latn"' in other.get("/incidents").text


def test_bad_values_change_neither_the_account_nor_the_cookie(ws: Workspace) -> None:
    client = signed_in(ws, "huda", "viewer", lang="ar")
    _choose(client, "arab")
    for bad in ("", "ARAB", "hindi", "<b>", "x" * 5000):
        _choose(client, bad)
    user_id = _user_id(ws, "huda")
    changes = [e.after for e in repository.history(ws.db, entity="user", entity_id=user_id)
               if e.after and "digits" in e.after]
    assert changes == [{"digits": "arab"}] and client.cookies.get(DIGITS_COOKIE) == "arab"
    # A forged request (no CSRF token) changes nothing either.
    forged = client.post("/digits", data={"digits": "latn"}, follow_redirects=False)
    assert forged.status_code == 403
    fresh = client_for(ws)
    assert sign_in(fresh, "huda").status_code == 303
    assert 'data-numerals="arab"' in fresh.get("/incidents").text  # the account's language and digits
