"""The person linker end to end: two scripts, namesakes, the small-input fallback, training, Spark."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tawthiq.domain.persons import PersonRecord
from tawthiq.link.persons import MIN_RECORDS_TO_TRAIN, link_persons

ROOT = Path(__file__).resolve().parent.parent


def _rec(rid: int, list_name: str, extra: dict[str, str] | None = None, **fields: str) -> PersonRecord:
    return PersonRecord(list_name=list_name, record_id=str(rid), fields=fields, extra=extra or {}, id=rid)


def _small_lists() -> list[PersonRecord]:
    return [
        _rec(1, "vdc", given_name="محمد", father_name="أحمد", family_name="الحلبي", age="35", sex="ذكر",
             governorate="حلب", date="2013-05-12"),
        _rec(2, "english", name="HALABI, Mohammed Ahmad", age="34-36", sex="Male", governorate="Aleppo",
             date="2013-05-12"),
        # namesakes: same common given and family name, another father, age, place and date
        _rec(3, "vdc", given_name="محمد", father_name="خالد", family_name="الحلبي", age="70", sex="ذكر",
             governorate="حمص", date="2016-02-01"),
        _rec(4, "english", name="Mohammad Yousef al-Omar", age="22", sex="Male", governorate="Idlib",
             date="2014-08-30"),
        _rec(5, "vdc", name="عبد الرحمن خالد الشامي", age="٢٨", sex="ذكر", governorate="دمشق", date="2012-11-03"),
        _rec(6, "english", name="Abdul Rahman Khaled ash-Shami", age="28", sex="M", governorate="Damascus",
             date="2012-11-03"),
    ]


def _probability(result, a: int, b: int) -> float:
    return next((p.probability for p in result.pairs if {p.left_id, p.right_id} == {a, b}), 0.0)


def test_same_person_in_two_scripts_scores_high_and_namesakes_low() -> None:
    result = link_persons(_small_lists(), min_probability=0.0)
    assert _probability(result, 1, 2) > 0.95
    assert _probability(result, 5, 6) > 0.95
    assert _probability(result, 1, 3) < 0.05  # same given and family name, a different person
    assert _probability(result, 2, 3) < 0.05
    assert _probability(result, 1, 4) < 0.05


def test_a_pair_says_why_comparison_by_comparison() -> None:
    result = link_persons(_small_lists(), min_probability=0.5)
    pair = next(p for p in result.pairs if (p.left_id, p.right_id) == (1, 2))
    assert pair.levels["given"] == "same name (rigour symbol)"  # محمد / Mohammed
    assert pair.levels["family"] in {"same name (rigour symbol)", "same skeleton (transliteration)"}
    assert pair.levels["governorate"] == "same"  # حلب / Aleppo
    assert pair.levels["birth"] == "birth years agree"  # 35 and 34-36 in 2013
    assert pair.weights["given"] > 0 and pair.weights["family"] > 0
    assert all(p.probability >= 0.5 for p in result.pairs)


def test_small_input_falls_back_to_priors_and_says_so() -> None:
    records = _small_lists()
    assert len(records) < MIN_RECORDS_TO_TRAIN
    result = link_persons(records)
    assert result.trained is False
    assert any("too few to train" in note for note in result.notes)
    assert result.model_version.startswith("persons-v1-")
    assert link_persons(_small_lists()).model_version == result.model_version  # same input, same model


def test_missing_fields_and_single_records() -> None:
    sparse = [_rec(1, "a", name="محمد"), _rec(2, "b", given_name="Mohammed"), _rec(3, "b", family_name="Halabi")]
    result = link_persons(sparse, min_probability=0.0)
    assert all(p.left_id < p.right_id for p in result.pairs)
    assert link_persons([_rec(1, "a", name="محمد")]).pairs == []
    assert link_persons([]).pairs == []


def test_shared_extra_attributes_are_compared() -> None:
    records = _small_lists()
    records[0].extra = {"National ID": "0123456"}
    records[1].extra = {"national id": "0123456"}
    records[2].extra = {"National ID": "0999999"}
    result = link_persons(records, min_probability=0.0)
    pair = next(p for p in result.pairs if (p.left_id, p.right_id) == (1, 2))
    assert pair.levels["extra:national id"] == "same"
    assert pair.weights["extra:national id"] > 0


def test_unreadable_dates_and_ages_are_missing_not_errors() -> None:
    from tawthiq.link.person_features import birth_range, day_range

    for text in ("2013-13", "2013-02-30", "0000-01-01", "/", "31/02/2013", "أمس"):
        assert day_range(text) is None
    assert day_range("٢٠١٣-٠٥-١٢") == day_range("2013-05-12")
    assert birth_range(PersonRecord("a", "1", {"age": "999999"}), 2013) is None
    assert birth_range(PersonRecord("a", "1", {"age": "30-35"}), 2013) == (1977, 1983)
    assert birth_range(PersonRecord("a", "1", {"birth_year": "١٩٨٥"}), None) == (1985, 1985)
    records = [_rec(1, "a", name="محمد أحمد", date="2013-13-45", age="abc"), _rec(2, "b", name="Mohammed Ahmad",
                                                                                  birth_date="not a date")]
    assert link_persons(records).notes


def test_records_need_ids_and_a_known_backend() -> None:
    with pytest.raises(ValueError, match="no id"):
        link_persons([PersonRecord(list_name="a", record_id="1", fields={"name": "x"}),
                      PersonRecord(list_name="a", record_id="2", fields={"name": "y"})])
    with pytest.raises(ValueError, match="unknown linkage backend"):
        link_persons(_small_lists(), backend="nope")


def _generator():
    spec = importlib.util.spec_from_file_location("gen_syrian_lists", ROOT / "benchmarks" / "gen_syrian_lists.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_trained_model_links_generated_lists(tmp_path: Path) -> None:
    import subprocess
    import sys

    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_syrian_lists.py"), str(tmp_path), "--size", "600",
                    "--population", "900", "--seed", "3"], check=True, capture_output=True)
    spec = importlib.util.spec_from_file_location("syrian_link", ROOT / "benchmarks" / "syrian_link.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    records = bench.read_lists(tmp_path)
    result = link_persons(records, min_probability=0.5)
    assert result.trained is True
    truth = bench.true_pairs(tmp_path, records)
    found = {frozenset((p.left_id, p.right_id)) for p in result.pairs}
    precision = len(found & truth) / len(found)
    recall = len(found & truth) / len(truth)
    assert precision > 0.9 and recall > 0.85, (precision, recall)


def test_spark_backend_scores_like_duckdb(spark) -> None:  # type: ignore[no-untyped-def]
    on_spark = link_persons(_small_lists(), backend="spark", spark=spark, min_probability=0.0)
    on_duckdb = link_persons(_small_lists(), min_probability=0.0)
    assert on_spark.model_version == on_duckdb.model_version
    assert {(p.left_id, p.right_id): round(p.probability, 6) for p in on_spark.pairs} == \
        {(p.left_id, p.right_id): round(p.probability, 6) for p in on_duckdb.pairs}
    assert _probability(on_spark, 1, 2) > 0.95
