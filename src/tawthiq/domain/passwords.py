"""Why a new password is too weak, if it is: the rules every place that sets a password applies.

Pure rules (no I/O beyond the packaged lists): the length floor, the common passwords shipped
in ``data/`` (SecLists' 10,000 most common and its Arabic speakers' list, MIT), alone or with
only digits and symbols around them, the account's own user name, one character or one
short piece repeated, and runs along a keyboard row, the alphabet or the digits. Everything is
compared case-insensitively and with Arabic-Indic digits read as ASCII ones, so ``١٢٣٤٥٦٧٨٩٠``
is as weak as ``1234567890``.
"""
from __future__ import annotations

import unicodedata
from enum import StrEnum
from functools import cache
from importlib import resources

from .arabic import to_ascii_digits

MIN_PASSWORD_LENGTH = 10
# A user name this short inside a password is chance more than weakness ("al" in "calendar").
_MIN_NAME_IN_PASSWORD = 3
# Rows a finger runs along (forward or back); the Arabic row is the same keys on an Arabic layout.
_RUNS = (
    "1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp", "azertyuiop", "qwertzuiop",
    "ضصثقفغعهخحجد", "شسيبلاتنمكط",
)
# Characters that pad a common word without strengthening it (Password2024!, 123qwerty).
_PADDING = "0123456789!@#$%^&*()-_=+.,;:?/\\|'\"`~[]{}<> "


class Weakness(StrEnum):
    """Why a password is refused; the value is the problem kind the pages translate."""

    SHORT = "account.password_short"
    COMMON = "account.password_common"
    USERNAME = "account.password_username"
    PATTERN = "account.password_pattern"


def fold(text: str) -> str:
    """The form passwords are compared in: NFKC, case-folded, Arabic-Indic digits as ASCII."""
    return to_ascii_digits(unicodedata.normalize("NFKC", text)).casefold()


# The shipped lists (``data/``), each with its source and licence in its opening comment lines.
COMMON_PASSWORD_LISTS = ("common_passwords.txt", "common_passwords_arabic.txt")


def _listed(name: str) -> set[str]:
    # Only the opening block is comment: a listed password may itself begin with "#".
    with resources.files("tawthiq.domain").joinpath("data", name).open("r", encoding="utf-8") as f:
        lines = [line.rstrip("\r\n") for line in f]
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return {fold(line) for line in lines if line.strip()}


@cache
def common_passwords() -> frozenset[str]:
    """Common passwords, folded: refused as they are, or with only digits or symbols around them.

    Read once per process (about 10,500 entries, a few MB as a set); a lookup is one hash."""
    listed: set[str] = set()
    for name in COMMON_PASSWORD_LISTS:
        listed |= _listed(name)
    return frozenset(listed)


def _repeated(text: str) -> bool:
    """One character, or one piece of up to a third of the text, said again and again."""
    for size in range(1, len(text) // 3 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return True
    return False


def _run(text: str) -> bool:
    """Along one row (or the alphabet, or the digits), forward or back; a run may wrap round
    (``7890123456``) since a finger that reaches the end of a row starts again."""
    for row in _RUNS:
        for line in (row, row[::-1]):
            if text in line * (len(text) // len(line) + 2):
                return True
    return False


def weakness(password: str, *, username: str = "") -> Weakness | None:
    """The first rule ``password`` breaks, or None when it may be used."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return Weakness.SHORT
    text = fold(password)
    if text in common_passwords():
        return Weakness.COMMON
    core = text.strip(_PADDING)
    listed = common_passwords()
    # Stripped at both ends, or at one: a listed password may itself end in a symbol (p@55w0rd!).
    if any(piece and piece in listed for piece in (core, text.lstrip(_PADDING), text.rstrip(_PADDING))):
        return Weakness.COMMON
    name = fold(username).strip()
    if len(name) >= _MIN_NAME_IN_PASSWORD and name in text:
        return Weakness.USERNAME
    squeezed = text.replace(" ", "")
    if _repeated(squeezed) or _run(squeezed) or (core and (_repeated(core) or _run(core))):
        return Weakness.PATTERN
    return None
