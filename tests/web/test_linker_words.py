"""Every comparison and level either linker can report is said in Arabic on an Arabic page.

The linker writes its comparisons and levels in English (Splink's labels); a reviewer reading the Arabic
pair page must not meet them untranslated. The lists come from the models themselves, so a new level
without its Arabic text fails here.
"""
from __future__ import annotations

import re

import pytest

from tawthiq.link import incident_model, person_model
from tawthiq.web.linkage import comparison_label, level_label, weight_rows

ARABIC = re.compile(r"[\u0600-\u06FF]")


def _incident_levels() -> list[tuple[str, str]]:
    model = incident_model.prior_model(0.01)
    return [(c["output_column_name"], lv["label_for_charts"])
            for c in model["comparisons"] for lv in c["comparison_levels"]]


def _person_levels() -> list[tuple[str, str]]:
    out = []
    for comparison in person_model.comparisons(["id_number"]):
        spec = comparison.get_comparison("duckdb").as_dict()
        name = spec["output_column_name"]
        out += [(name, lv["label_for_charts"]) for lv in spec["comparison_levels"]]
    return out


@pytest.mark.parametrize("levels", [_incident_levels, _person_levels], ids=["incidents", "persons"])
def test_every_comparison_and_level_has_arabic_text(levels) -> None:
    pairs = levels()
    assert len(pairs) > 15
    untranslated = sorted({label for _, label in pairs if not ARABIC.search(level_label("ar", label))})
    assert untranslated == []
    # Person extras are named x0, x1… inside the model and "extra:COLUMN" in a judgement's weights.
    names = {name for name, _ in pairs if not re.fullmatch(r"x\d+", name)}
    assert sorted(n for n in names if not ARABIC.search(comparison_label("ar", n))) == []


def test_null_levels_and_extras_read_as_words() -> None:
    assert level_label("en", "by_lo_l IS NULL OR by_lo_r IS NULL") == level_label("en", "given is NULL")
    assert "silent" in level_label("en", "given is NULL")
    assert level_label("en", "a level no text knows yet") == "a level no text knows yet"
    rows = weight_rows("ar", {"extra:رقم الهوية": 3.2, "given": -1.0}, {"extra:رقم الهوية": "same"})
    assert rows[0].label == "صفة مشتركة: رقم الهوية" and rows[0].level == "متطابق"
    assert rows[1].label == "الاسم الأول" and rows[1].level == ""
