"""The usual column headers of victim lists, Arabic and English, and the person field each names.

A table of data, read by the victim-list reader: a column whose header
(normalised by :func:`header_key`) is listed here maps to that field without
a ``--map``. Headers are compared after folding case, spaces, underscores,
hyphens and dots, Arabic harakat and tatweel, and the alef forms, ta marbuta
and alef maqsura (so "اسم الأم", "اسم الام" and "إسم الأم" are one header).

Choices that are not obvious:

- ``الكنية`` is the **family name**: in Syrian civil records and the lists made
  from them, "الكنية" is the surname (اسم العائلة), not the classical kunya
  ("أبو فلان"). ``اللقب`` is the **nickname**
  (laqab), the name a person is known by. (In the Maghreb "اللقب" is the
  surname; such a list maps it with ``--map family_name=اللقب``.)
- A bare ``الاسم`` / ``name`` is the **full name as written**. A list that
  splits names (الاسم، اسم الأب، الكنية) where "الاسم" is only the first name
  says so with ``--map given_name=الاسم``; "الاسم الأول" / "first name" map to
  ``given_name`` by themselves.
- A bare ``التاريخ`` / ``date`` is the date of the event the list records
  (death, detention, disappearance): that is what a victim list is dated by.
- ``الحالة`` / ``status`` is the **outcome** (killed, detained, disappeared…).
- ``الرقم`` / ``number`` are left out on purpose: they may be a serial
  number, a phone or an ID card number; the id column is named with
  ``--id-column`` (or a header "record_id" / "id" / "المعرف").
"""
from __future__ import annotations

import re

from .arabic import fold_letters, strip_vowel_marks

# field -> the headers that name it (any script, any case; compared by header_key).
PERSON_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "victim name", "name of victim", "person name", "victim",
             "الاسم", "اسم", "الاسم الكامل", "الاسم الثلاثي", "الاسم الرباعي", "اسم الضحية", "اسم الشهيد",
             "الضحية", "الشهيد", "الاسم والكنية"),
    "given_name": ("given name", "first name", "firstname", "forename", "الاسم الاول", "الاسم الأول"),
    "father_name": ("father name", "father's name", "fathers name", "father", "name of father",
                    "اسم الاب", "اسم الأب", "الأب", "الاب"),
    "grandfather_name": ("grandfather name", "grandfather's name", "grandfather", "اسم الجد", "الجد"),
    "family_name": ("family name", "surname", "last name", "lastname", "family",
                    "الكنية", "اسم العائلة", "العائلة", "الكنيه"),
    "mother_name": ("mother name", "mother's name", "mothers name", "mother", "name of mother",
                    "اسم الام", "اسم الأم", "الأم", "الام"),
    "nickname": ("nickname", "laqab", "alias", "known as", "اللقب", "لقب"),
    "sex": ("sex", "gender", "الجنس", "الجنس (ذكر/أنثى)", "النوع"),
    "age": ("age", "age at death", "العمر", "السن", "عمر"),
    "birth_date": ("birth date", "date of birth", "dob", "birthdate", "born", "تاريخ الميلاد", "تاريخ الولادة",
                   "المواليد"),
    "birth_year": ("birth year", "year of birth", "سنة الميلاد", "سنة الولادة", "عام الميلاد", "التولد"),
    "origin": ("origin", "hometown", "home town", "place of origin", "from", "birthplace", "place of birth",
               "مكان الولادة", "مكان الميلاد", "مكان القيد", "القيد", "محل القيد", "البلدة الأصلية", "الأصل",
               "من"),
    "governorate": ("governorate", "province", "muhafaza", "muhafazah", "المحافظة", "محافظة"),
    "date": ("date", "date of death", "death date", "date of detention", "date of arrest", "date of disappearance",
             "date of incident", "incident date", "تاريخ الوفاة", "تاريخ الاستشهاد", "تاريخ الاعتقال",
             "تاريخ الاختفاء", "تاريخ الحادثة", "التاريخ", "تاريخ", "تاريخ الحادث"),
    "place": ("place", "place of death", "location", "area", "place of detention", "place of incident",
              "مكان الوفاة", "مكان الاستشهاد", "مكان الاعتقال", "مكان الحادثة", "المكان", "مكان", "المنطقة",
              "المدينة", "البلدة"),
    "outcome": ("outcome", "status", "fate", "violation", "الحالة", "المصير", "الانتهاك", "نوع الانتهاك"),
    "cause": ("cause", "cause of death", "manner of death", "سبب الوفاة", "سبب الاستشهاد", "طريقة القتل",
              "السبب", "طريقة الوفاة"),
    "perpetrator": ("perpetrator", "responsible", "responsible party", "actor", "killed by", "الجهة المسؤولة",
                    "الجهة الفاعلة", "الفاعل", "الجاني", "الجهة"),
    "notes": ("notes", "note", "remarks", "comments", "details", "ملاحظات", "ملاحظة", "تفاصيل", "التفاصيل"),
}

# Headers that name the record's id in its list when no --id-column is given.
ID_HEADERS: tuple[str, ...] = ("record_id", "record id", "id", "المعرف", "معرف السجل")

_SEPARATORS = re.compile(r"[\s_\-.:/()\[\]'\u2019\u0640]+")


def header_key(header: str) -> str:
    """How a header is compared: case, separators, harakat, tatweel and letter forms folded."""
    text = strip_vowel_marks(header.strip().lstrip("\ufeff")).lower()
    return _SEPARATORS.sub(" ", fold_letters(text)).strip()


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for field_name, headers in PERSON_HEADERS.items():
        for header in (field_name, *headers):
            key = header_key(header)
            if key in index and index[key] != field_name:  # a header naming two fields is a bug in the table
                raise ValueError(f"person header {header!r} names both {index[key]} and {field_name}")
            index[key] = field_name
    return index


HEADER_FIELDS: dict[str, str] = _index()
"""header_key(header) -> person field, for every field name and every header of :data:`PERSON_HEADERS`."""
ID_HEADER_KEYS: frozenset[str] = frozenset(header_key(h) for h in ID_HEADERS)


def field_for_header(header: str) -> str | None:
    """The person field a column header names, or None (the column is kept as an extra attribute)."""
    return HEADER_FIELDS.get(header_key(header))
