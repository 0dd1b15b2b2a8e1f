"""Weak passwords refused wherever a password is set: the rules, and the service and CLI refusals."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from tawthiq.domain.passwords import Weakness, common_passwords, weakness
from tawthiq.services import ServiceError, Workspace, accounts

STRONG = "correct horse battery"


@pytest.mark.parametrize(("password", "why"), [
    ("short1!", Weakness.SHORT),
    ("Manchester", Weakness.COMMON),  # listed as it is
    ("QWERTYUIOP", Weakness.COMMON),  # listed; compared case-insensitively
    ("Password2024!", Weakness.COMMON),  # a most-common core with digits and symbols around it
    ("123iloveyou456", Weakness.COMMON),
    ("١٢٣٤٥٦٧٨٩٠", Weakness.COMMON),  # Arabic-Indic digits read as ASCII: 1234567890
    ("paSSword١٢٣", Weakness.COMMON),
    ("aaaaaaaaaaaa", Weakness.PATTERN),
    ("abcabcabcabc", Weakness.PATTERN),
    ("0987654321", Weakness.PATTERN),  # a run backwards
    ("7890123456", Weakness.PATTERN),  # a run that wraps round the digit row
    ("asdfghjkl!!", Weakness.COMMON),  # a run, and listed among the 10,000: the list is said first
    ("ghjklasdf!!", Weakness.PATTERN),  # the same row wrapped round: no list has it
    ("zxcvbnm 123", Weakness.COMMON),  # a run, but listed too
    ("xcvbnmzx 987", Weakness.PATTERN),  # a run that wraps round the bottom row, listed nowhere
    ("ضصثقفغعهخح", Weakness.PATTERN),  # the Arabic keyboard's top row
    # Famous ones from the full list, as they are or padded.
    ("iloveyou", Weakness.SHORT),  # too short is said first
    ("superman123", Weakness.COMMON),
    ("Football2026!", Weakness.COMMON),
    ("!!letmein!!", Weakness.COMMON),
    ("starwars1999", Weakness.COMMON),
    ("2024 P@55w0rd!", Weakness.COMMON),  # a "clever" one from the Arabic speakers' list, padded
    ("abdullah123456", Weakness.COMMON),  # from the Arabic speakers' list, as it is
    ("Kalamahalsiru2017", Weakness.COMMON),
    ("mohammed١٢٣", Weakness.COMMON),  # Arabic-Indic digits around a listed one
    ("1q2w3e4r5t", Weakness.COMMON),  # listed among the 10,000 (a keyboard zig-zag)
])
def test_rules(password: str, why: Weakness) -> None:
    assert weakness(password) == why


def test_the_user_name_inside_and_strong_passwords_pass() -> None:
    assert weakness("Mariam-secret-77", username="mariam") == Weakness.USERNAME
    assert weakness("my name is سامي 2024", username="سامي") == Weakness.USERNAME
    assert weakness("calendar-on-the-wall", username="al") is None  # two letters inside is chance
    for fine in (STRONG, "Y7!vq2@Lm#p9", "correct horse battery staple", "قهوة الصباح مع الشاي"):
        assert weakness(fine, username="huda") is None, fine


def test_the_full_lists_are_shipped_folded_and_read_once() -> None:
    listed = common_passwords()
    # SecLists' 10,000 (a few are the same once folded) and the Arabic speakers' 487, less overlaps.
    assert 10_000 < len(listed) < 10_487 + 1
    assert {"password", "iloveyou", "eyphed", "abdullah", "muhammed2017", "p@55w0rd!"} <= listed
    assert all(p == p.casefold() and p.strip() == p for p in listed)
    assert common_passwords() is listed  # loaded once per process; a lookup is one hash


def test_long_passphrases_pass_even_with_listed_words_inside() -> None:
    for fine in ("dragon under the old olive tree", "the monkey drank seven coffees", "password manager of mona 99",
                 "أحب القهوة في الصباح الباكر"):
        assert weakness(fine, username="huda") is None, fine


def test_every_place_a_password_is_set_refuses_a_weak_one(ws: Workspace) -> None:
    with pytest.raises(ServiceError, match="most common") as refused:
        accounts.create_user(ws, actor=None, username="huda", password="Password2024!", role="viewer")
    assert refused.value.kind == "account.password_common"
    with pytest.raises(ServiceError, match="user name"):
        accounts.create_user(ws, actor=None, username="huda", password="huda-is-here-2024", role="viewer")
    user = accounts.create_user(ws, actor=None, username="huda", password=STRONG, role="viewer")
    with pytest.raises(ServiceError, match="run of keys"):
        accounts.reset_password(ws, actor=None, username="huda", password="1111111111")
    with pytest.raises(ServiceError, match="user name"):
        accounts.change_password(ws, user=user, current=STRONG, new="HUDA and more words", ip="10.0.0.1")
    # A refused new password costs no attempt and leaves the old one working.
    assert accounts.authenticate(ws, username="huda", password=STRONG, ip="10.0.0.1").username == "huda"
    changed = accounts.change_password(ws, user=user, current=STRONG, new="a much longer secret phrase",
                                       ip="10.0.0.1")
    assert not changed.must_change_password


def test_one_time_passwords_never_break_the_rules() -> None:
    for _ in range(200):
        assert weakness(accounts.one_time_password(username="ab1"), username="ab1") is None


def test_the_cli_refuses_in_one_line(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from tawthiq.cli import cli

    monkeypatch.setenv("TAWTHIQ_DATABASE_URL", ws.settings.database_url)
    monkeypatch.setenv("TAWTHIQ_DATA_DIR", str(ws.settings.data_dir))
    result = CliRunner().invoke(cli, ["users", "add", "sami", "--role", "viewer", "--password-stdin"],
                                input="qwertyuiop123\n")
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "most common" in lines[0] and "Traceback" not in result.output
