"""Reading victim lists (no database): formats, encodings, header mapping, ids, bad rows."""
from __future__ import annotations

import json

import pytest

from tawthiq.domain.errors import IngestError
from tawthiq.domain.person_headers import PERSON_HEADERS, field_for_header
from tawthiq.domain.persons import PERSON_FIELDS
from tawthiq.ingest.person_lists import parse_mapping, read_person_list

HEADER = "الرقم,الاسم,اسم الأب,اسم الأم,الكنية,الجنس,العمر,المحافظة,تاريخ الوفاة,الحي"
NAME = "مُحَمَّد خَالِد"  # with harakat: kept exactly as written
ROWS = [f"17,{NAME},أحمد,فاطمة,الخطيب,ذكر,34,حمص,2012-03-01,بابا عمرو", "18,علي حسن,,,,ذكر,,,2012,"]


def _csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1256"])
def test_csv_with_arabic_headers_in_each_encoding(encoding: str) -> None:
    listed = read_person_list(_csv(*ROWS).encode(encoding), name="homs.csv", id_column="الرقم")
    assert listed.encoding["encoding"] == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "cp1256": "cp1256"}[encoding]
    assert listed.field_columns == {"name": "الاسم", "father_name": "اسم الأب", "mother_name": "اسم الأم",
                                    "family_name": "الكنية", "sex": "الجنس", "age": "العمر",
                                    "governorate": "المحافظة", "date": "تاريخ الوفاة"}
    first, second = listed.iter_rows()
    assert first.record_id == "17" and first.fields["name"] == NAME
    assert first.fields["name"].encode("utf-8") == NAME.encode("utf-8")  # harakat and all, byte for byte
    assert first.extra == {"الحي": "بابا عمرو"}
    assert second.record_id == "18" and second.fields == {"name": "علي حسن", "sex": "ذكر", "date": "2012"}
    assert (listed.rows, listed.skipped) == (2, 0)


def test_english_headers_folded_and_map_overrides() -> None:
    data = "Record ID,First Name,Father's Name,SURNAME,Gender,Governorate,Date of death,Known As\n" \
           "a1, Omar ,Said,Haddad,male,Idlib,2013-05,Abu Ali\n"
    listed = read_person_list(data.encode(), name="l.csv", mapping={"nickname": "known as"})
    assert listed.id_column == "Record ID"
    (row,) = listed.iter_rows()
    assert row.record_id == "a1"
    assert row.fields == {"given_name": "Omar", "father_name": "Said", "family_name": "Haddad", "sex": "male",
                          "governorate": "Idlib", "date": "2013-05", "nickname": "Abu Ali"}
    assert row.extra == {}


def test_map_takes_a_column_from_its_usual_field_and_a_second_column_is_kept_as_extra() -> None:
    data = "الاسم,اسم الأب,الكنية,الاسم الكامل\nمحمد,أحمد,الخطيب,محمد أحمد الخطيب\n"
    listed = read_person_list(data.encode(), name="l.csv", mapping={"given_name": "الاسم"})
    (row,) = listed.iter_rows()
    assert row.fields == {"name": "محمد أحمد الخطيب", "given_name": "محمد", "father_name": "أحمد",
                          "family_name": "الخطيب"}
    plain = read_person_list(data.encode(), name="l.csv")
    (row,) = plain.iter_rows()
    assert row.fields["name"] == "محمد" and row.extra == {"الاسم الكامل": "محمد أحمد الخطيب"}
    assert any("الاسم الكامل" in note for note in plain.notes)


def test_header_vocabulary_folds_letters_and_marks() -> None:
    assert field_for_header("إسم الأمّ") == "mother_name"
    assert field_for_header(" Full_Name ") == "name"
    assert field_for_header("الكنية") == "family_name"  # Syrian usage: the surname
    assert field_for_header("اللقب") == "nickname"
    assert field_for_header("تاريخ الاستشهاد") == "date"
    assert field_for_header("رقم الهاتف") is None
    assert set(PERSON_HEADERS) == set(PERSON_FIELDS)


def test_json_array_and_json_lines() -> None:
    items = [{"id": 1, "name": "سَلْمى", "age": 7, "photo": {"url": "x"}},
             {"id": 2, "name": ["not", "text"]},
             "not an object",
             {"id": 3},
             {"id": 1, "name": "repeat"},
             {"id": 4, "name": "ليلى", "alive": True}]
    listed = read_person_list(json.dumps(items, ensure_ascii=False).encode(), name="l.json")
    rows = list(listed.iter_rows())
    assert [r.record_id for r in rows] == ["1", "4"]
    assert rows[0].fields == {"name": "سَلْمى", "age": "7"} and rows[0].extra == {"photo": '{"url": "x"}'}
    assert rows[1].extra == {"alive": "true"}
    assert listed.skipped == 4
    assert listed.reasons[0] == "item 2: name ('name') is a list, not text or a number"
    assert "item 3: text, not an object" in listed.reasons
    assert "item 4: no person field has a value" in listed.reasons
    assert any(r.startswith("item 5: repeats the id") for r in listed.reasons)
    assert not any("سَلْمى" in r or "repeat'" in r for r in listed.reasons)  # reasons never quote a name

    lines = '{"name": "أ"}\nnot json\n\n[1, 2]\n{"name": "ب"}\n'
    listed = read_person_list(lines.encode(), name="l.jsonl")
    assert [(r.record_id, r.fields["name"]) for r in listed.iter_rows()] == [("row-1", "أ"), ("row-4", "ب")]
    assert listed.reasons == ["line 2: not valid JSON", "line 4: a list, not an object"]


def test_without_an_id_column_the_record_id_is_the_row_position() -> None:
    data = "name,age\nA,1\n\nB,2\n,\nC\nD,4\n"
    listed = read_person_list(data.encode(), name="l.csv")
    assert listed.id_column is None
    assert [(r.record_id, r.fields["name"]) for r in listed.iter_rows()] == [("row-1", "A"), ("row-2", "B"),
                                                                              ("row-5", "D")]
    assert listed.reasons == ["line 5: empty row", "line 6: 1 fields where the header has 2"]


@pytest.mark.parametrize(("data", "name", "kwargs", "message"), [
    (b"", "l.csv", {}, "empty file"),
    (b"a,b\n1,2\n", "l.csv", {}, "no column names a person field"),
    (_csv(*ROWS).encode(), "l.csv", {"id_column": "nope"}, "--id-column 'nope': no such column"),
    (_csv(*ROWS).encode(), "l.csv", {"mapping": {"notes": "nope"}}, "--map notes=nope: no such column"),
    (b"[1, 2", "l.json", {}, "malformed JSON at line 1"),
    (b'{"a": 1}', "l.json", {}, "no column names a person field"),
    (b"name\n", "l.csv", {}, "no person rows in the list"),
    (b'name,"x\n"a', "l.csv", {}, "malformed CSV"),
    (b"name,name\nA,B\n", "l.csv", {}, "repeats a column name"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "l.csv", {}, "binary data"),
    (b"name\nA\n", "l.xlsx", {}, "a victim list is CSV, JSON or JSON Lines"),
])
def test_lists_that_cannot_be_read_are_one_line(data: bytes, name: str, kwargs: dict, message: str) -> None:
    with pytest.raises(IngestError) as caught:
        read_person_list(data, name=name, **kwargs)
    assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(("pairs", "message"), [
    (["nope=x"], "'nope' is not a person field"),
    (["name"], "use FIELD=COLUMN"),
    (["name="], "use FIELD=COLUMN"),
    (["name=a", "name=b"], "names the field name twice"),
])
def test_bad_map_options(pairs: list[str], message: str) -> None:
    with pytest.raises(IngestError, match=message):
        parse_mapping(pairs)


def test_values_keep_their_inner_spaces_and_lose_nuls_as_the_store_does() -> None:
    data = 'name,notes\n"  عبد  الله ",x\n'
    (row,) = read_person_list(data.encode(), name="l.csv").iter_rows()
    assert row.fields == {"name": "عبد  الله", "notes": "x"}
    # NUL bytes in a CSV make it binary (refused whole); a JSON "\u0000" is replaced as the store replaces it.
    (row,) = read_person_list(b'[{"name": "a\\u0000b"}]', name="l.json").iter_rows()
    assert row.fields == {"name": "a\ufffdb"}
