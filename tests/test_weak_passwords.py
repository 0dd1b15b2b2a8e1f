"""Weak passwords refused wherever a password is set: the rules, and the service and CLI refusals."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from tawthiq.domain.passwords import MIN_PASSWORD_LENGTH, Weakness, common_cores, common_passwords, weakness
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
    ("asdfghjkl!!", Weakness.PATTERN),
    ("zxcvbnm 123", Weakness.PATTERN),
    ("ضصثقفغعهخح", Weakness.PATTERN),  # the Arabic keyboard's top row
])
def test_rules(password: str, why: Weakness) -> None:
    assert weakness(password) == why


def test_the_user_name_inside_and_strong_passwords_pass() -> None:
    assert weakness("Mariam-secret-77", username="mariam") == Weakness.USERNAME
    assert weakness("my name is سامي 2024", username="سامي") == Weakness.USERNAME
    assert weakness("calendar-on-the-wall", username="al") is None  # two letters inside is chance
    for fine in (STRONG, "Y7!vq2@Lm#p9", "correct horse battery staple", "قهوة الصباح مع الشاي"):
        assert weakness(fine, username="huda") is None, fine


def test_the_lists_are_shipped_folded_and_long_enough_to_matter() -> None:
    listed = common_passwords()
    assert len(listed) > 40 and all(len(p) >= MIN_PASSWORD_LENGTH for p in listed)
    assert "password" in common_cores() and "iloveyou" in common_cores()
    assert all(p == p.casefold() for p in listed | common_cores())


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
