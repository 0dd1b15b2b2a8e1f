"""Account actions say they were done, in the page's language: a password change on the sign-in page it
lands on, the digits saved and a saved search deleted on the account page. A crafted notice is not shown."""
from __future__ import annotations

import pytest
from _client import PASSWORD, form_token, make_user, sign_in, signed_in

from tawthiq.services import Workspace, saved_searches

NEW = "a much longer secret phrase"
SAID = {
    "en": {"password": "Your password was changed.", "digits": "Your choice of digits was saved.",
           "deleted": "The saved search was deleted."},
    "ar": {"password": "غُيّرت كلمة المرور.", "digits": "حُفظ اختيارك للأرقام.", "deleted": "حُذف البحث المحفوظ."},
}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_changed_password_is_confirmed_on_the_sign_in_page(ws: Workspace, lang: str) -> None:
    client = signed_in(ws, f"huda-{lang}", "documenter", lang=lang)
    page = client.get("/password")
    changed = client.post("/password", data={"current": PASSWORD, "new": NEW, "repeat": NEW,
                                             "csrf_token": form_token(page.text)}, follow_redirects=False)
    assert changed.status_code == 303 and changed.headers["location"] == "/login?password_changed=1"
    landed = client.get(changed.headers["location"])
    assert landed.status_code == 200 and 'data-testid="login-notice"' in landed.text
    assert SAID[lang]["password"] in landed.text and f'lang="{lang}"' in landed.text
    assert 'role="alert"' not in landed.text  # a confirmation, not an error
    # Signed out for real: the new password signs in, and the plain sign-in page says nothing.
    assert sign_in(client, f"huda-{lang}", NEW).status_code == 303
    client.post("/logout", data={"csrf_token": form_token(client.get("/").text)})
    assert 'data-testid="login-notice"' not in client.get("/login").text
    # A refused change is no confirmation.
    other = signed_in(ws, f"omar-{lang}", "viewer", lang=lang)
    page = other.get("/password")
    refused = other.post("/password", data={"current": "wrong password here", "new": NEW, "repeat": NEW,
                                            "csrf_token": form_token(page.text)}, follow_redirects=False)
    assert refused.status_code == 400 and SAID[lang]["password"] not in refused.text


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_digits_saved_and_a_search_deleted_are_said_on_the_account_page(ws: Workspace, lang: str) -> None:
    user = make_user(ws, f"rana-{lang}", "reviewer")
    client = signed_in(ws, user.username, lang=lang)
    account = client.get("/account")
    assert 'data-testid="account-done"' not in account.text
    saved = client.post("/digits", data={"digits": "arab", "next": "/account", "csrf_token": form_token(account.text)},
                        follow_redirects=False)
    assert saved.headers["location"] == "/account?done=digits"
    shown = client.get(saved.headers["location"]).text
    assert 'data-testid="account-done"' in shown and SAID[lang]["digits"] in shown
    # From another page the digits themselves show the change: back where the user was, no notice needed.
    elsewhere = client.post("/digits", data={"digits": "latn", "next": "/incidents",
                                             "csrf_token": form_token(account.text)}, follow_redirects=False)
    assert elsewhere.headers["location"] == "/incidents"
    ignored = client.post("/digits", data={"digits": "roman", "next": "/account",
                                           "csrf_token": form_token(account.text)}, follow_redirects=False)
    assert ignored.headers["location"] == "/account"  # nothing saved, nothing announced

    search = saved_searches.save(ws, user=user, name="Idlib strikes", params={"governorate": "Idlib"})
    gone = client.post(f"/searches/{search.id}/delete", data={"next": "/account",
                                                              "csrf_token": form_token(account.text)},
                       follow_redirects=False)
    assert gone.headers["location"] == "/account?done=search_deleted"
    shown = client.get(gone.headers["location"]).text
    assert SAID[lang]["deleted"] in shown and "Idlib strikes" not in shown
    # A notice about something that is not a known outcome is not shown.
    assert 'data-testid="account-done"' not in client.get("/account?done=<b>x</b>").text
