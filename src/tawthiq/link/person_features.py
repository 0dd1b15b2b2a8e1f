"""What the person linker compares: one row of derived columns per person record.

Every column is derived from the record as written (:mod:`tawthiq.link.names`
for the names) and used only for comparing; nothing here is stored. Ages and
years come in many shapes (``35``, ``30-35``, ``٣٥ سنة``, ``1980``,
``1980-1985``, a birth date), so a birth is compared as a range of years:
an age at an event is a birth range once the event's year is known.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

from tawthiq.domain.arabic import to_ascii_digits
from tawthiq.domain.persons import PersonRecord
from tawthiq.link.names import (
    has_arabic,
    name_symbols,
    normalise_arabic,
    normalise_latin,
    parse_name,
    part_key,
    skeleton,
)

__all__ = ["MAX_EXTRAS", "birth_range", "day_range", "extra_columns", "person_row", "place_key", "sex_key"]

MAX_EXTRAS = 10  # shared extra attributes compared, most often given first: each one is a comparison to train

_NAME_PARTS = ("given", "father", "grandfather", "family", "mother", "nickname")


def _year_span(text: str) -> tuple[int, int] | None:
    years = [int(y) for y in re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text)]
    if not years:
        return None
    return min(years), max(years)


def day_range(text: str) -> tuple[int, int] | None:
    """An EDTF date or interval (``2013-05-12``, ``2013-05``, ``2013``, ``2013-05-12/2013-05-14``, ``2013-05-XX``)
    or a written ``12/05/2013`` as a range of day ordinals; None when no date can be read."""
    text = to_ascii_digits(text).strip().replace("?", "").replace("~", "").replace("%", "")
    if not text:
        return None
    ends = [p for p in text.split("/") if p] if re.match(r"^\d{4}", text) else [text]
    lows: list[int] = []
    highs: list[int] = []
    for part in ends:
        span = _one_day_range(part)
        if span is None:
            return None
        lows.append(span[0])
        highs.append(span[1])
    return (min(lows), max(highs)) if lows else None


def _one_day_range(text: str) -> tuple[int, int] | None:
    m = re.match(r"^(\d{4})(?:-(\d\d|XX))?(?:-(\d\d|XX))?", text)
    if not m:
        m2 = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", text)
        if not m2:
            return None
        day, month, year = (int(g) for g in m2.groups())
        return _ordinal(year, month, day, day)
    year = int(m.group(1))
    month = m.group(2)
    day = m.group(3)
    if month is None or month == "XX":
        return _ordinal(year, 1, 1, 1, end=(year, 12, 31))
    if not 1 <= int(month) <= 12:
        return None
    if day is None or day == "XX":
        last = 31 if int(month) == 12 else (date(year, int(month) + 1, 1) - date(year, int(month), 1)).days
        return _ordinal(year, int(month), 1, last)
    return _ordinal(year, int(month), int(day), int(day))


def _ordinal(year: int, month: int, day: int, last_day: int, *, end: tuple[int, int, int] | None = None
             ) -> tuple[int, int] | None:
    try:
        lo = date(year, month, day).toordinal()
        hi = date(*end).toordinal() if end else date(year, month, last_day).toordinal()
    except ValueError:
        return None
    return lo, hi


def _birth_date(text: str) -> str | None:
    text = to_ascii_digits(text).strip()
    m = re.match(r"^(\d{4})-?(\d\d)-?(\d\d)$", text) or None
    if m:
        y, mo, d = m.groups()
    else:
        m = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", text)
        if not m:
            return None
        d, mo, y = m.groups()
    try:
        return date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


def birth_range(record: PersonRecord, event_year: int | None) -> tuple[int, int] | None:
    """The years a person can have been born in: from the birth date, the birth year (or range), or the age
    (or age range) at the event; an age at an unknown time says nothing of the birth year."""
    born = _birth_date(record.get("birth_date"))
    if born:
        return int(born[:4]), int(born[:4])
    for source in (record.get("birth_date"), record.get("birth_year")):
        span = _year_span(to_ascii_digits(source))
        if span:
            return span
    ages = [int(a) for a in re.findall(r"\d{1,3}", to_ascii_digits(record.get("age")))]
    ages = [a for a in ages if a <= 120]
    if ages and event_year is not None:
        # an age of 35 at an event in 2013: born 1977 (birthday after the event) to 1978
        return event_year - max(ages) - 1, event_year - min(ages)
    return None


_MALE = {"m", "male", "man", "boy", "ذكر", "رجل", "طفل", "شاب", "h", "homme"}
_FEMALE = {"f", "female", "woman", "girl", "انثي", "انثى", "امراه", "طفله", "فتاه", "سيده", "femme"}


def sex_key(text: str) -> str | None:
    value = normalise_arabic(text) if has_arabic(text) else normalise_latin(text)
    if value in _MALE:
        return "m"
    if value in _FEMALE:
        return "f"
    return None


# Governorates whose English names are not a transliteration of the Arabic one; the others
# (Homs, Hama, Idlib, Daraa…) meet their Arabic names through the skeleton.
_EXONYMS = {
    "aleppo": "حلب", "halab": "حلب", "damascus": "دمشق", "latakia": "اللاذقية", "lattakia": "اللاذقية",
    "latakiya": "اللاذقية", "rural damascus": "ريف دمشق", "damascus countryside": "ريف دمشق",
    "rif damascus": "ريف دمشق", "damascus suburbs": "ريف دمشق",
}


def place_key(text: str) -> str | None:
    """A governorate or town in either script as one comparable key (skeletons of its words)."""
    if not text.strip():
        return None
    latin = normalise_latin(text)
    if latin in _EXONYMS:
        text = _EXONYMS[latin]
    key = "".join(skeleton(part_key(word)) for word in text.replace("-", " ").split())
    return key or None


def _clean_extra(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    value = normalise_arabic(value) if has_arabic(value) else normalise_latin(to_ascii_digits(value))
    return value or None


def extra_columns(records: Sequence[PersonRecord]) -> list[str]:
    """The extra attributes worth comparing: those two lists share (any present when there is one list),
    most often given first, at most :data:`MAX_EXTRAS`."""
    lists_with: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for r in records:
        for key, value in r.extra.items():
            if value and value.strip():
                k = key.strip().lower()
                lists_with.setdefault(k, set()).add(r.list_name)
                counts[k] += 1
    n_lists = len({r.list_name for r in records})
    shared = [k for k in counts if len(lists_with[k]) >= min(2, n_lists)]
    shared.sort(key=lambda k: (-counts[k], k))
    return shared[:MAX_EXTRAS]


def _part(record: PersonRecord, field: str) -> str:
    return part_key(record.get(field)) if record.get(field).strip() else ""


def person_row(record: PersonRecord, extras: Sequence[str]) -> dict[str, object]:
    """The derived columns of one record (see :mod:`tawthiq.link.person_model` for how each is compared)."""
    if record.id is None:
        raise ValueError(f"person record {record.list_name}/{record.record_id} has no id: store it before linking")
    parsed = parse_name(record.get("name")) if record.get("name").strip() else None
    parts = {
        "given": _part(record, "given_name"), "father": _part(record, "father_name"),
        "grandfather": _part(record, "grandfather_name"), "family": _part(record, "family_name"),
        "mother": _part(record, "mother_name"), "nickname": _part(record, "nickname"),
    }
    words: list[str] = [parts[p] for p in ("given", "father", "grandfather", "family") if parts[p]]
    if parsed is not None:
        # The parts a list gives win; a full name fills in the rest (a list may give only the full name).
        for name in ("given", "father", "grandfather", "family", "nickname"):
            if not parts[name]:
                parts[name] = getattr(parsed, name)
        words += [w for w in parsed.words if not w.startswith(("abu", "ابو")) or w == parsed.family]
    row: dict[str, object] = {"unique_id": record.id}
    for name in _NAME_PARTS:
        key = parts[name]
        row[name] = key or None
        row[f"{name}_sk"] = skeleton(key) or None if key else None
        if name in ("given", "father", "family"):
            row[f"{name}_sym"] = name_symbols([key]) if key else []
    word_sks = sorted({skeleton(w) for w in words if skeleton(w)})
    row["words_sk"] = word_sks or None
    row["words_key"] = "|".join(word_sks) or None
    given_sk, family_sk = row["given_sk"], row["family_sk"]
    # The given and family name as an unordered pair, so a block finds a name written family first.
    row["name_pair"] = "|".join(sorted([given_sk, family_sk])) if given_sk and family_sk else None
    event = day_range(record.get("date"))
    row["d_lo"], row["d_hi"] = event if event else (None, None)
    event_year = date.fromordinal(event[0]).year if event and event[1] - event[0] < 366 else None
    row["d_year"] = event_year
    born = birth_range(record, event_year)
    row["by_lo"], row["by_hi"] = born if born else (None, None)
    row["dob"] = _birth_date(record.get("birth_date"))
    row["sex"] = sex_key(record.get("sex"))
    row["gov"] = place_key(record.get("governorate"))
    row["origin"] = place_key(record.get("origin"))
    row["place"] = place_key(record.get("place"))
    lowered = {k.strip().lower(): v for k, v in record.extra.items()}
    for i, key in enumerate(extras):
        row[f"x{i}"] = _clean_extra(lowered.get(key, ""))
    return row
