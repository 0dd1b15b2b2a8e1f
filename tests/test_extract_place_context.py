"""Where an act is when its village is missing from the gazetteer and its sentence names no known place
(issue 14): the known place the report gives around it, never "somewhere in Syria" under an Arabic name."""
from __future__ import annotations

import pytest

from tawthiq.domain.enums import LocationPrecision as P
from tawthiq.extract.engine import RuleExtractor
from tawthiq.extract.places import best_location, find_places

_X = RuleExtractor()


def _only_location(text: str, lang: str):  # noqa: ANN202 - a test helper
    incidents = _X.extract(text, language=lang)
    assert len(incidents) == 1
    return incidents[0].location


@pytest.mark.parametrize(("text", "lang", "admin1"), [
    ("وثّق فريقنا خلال الأسبوع الماضي عدة انتهاكات، وشهدت مدينة معرة النعمان نزوحاً واسعاً للأهالي.\n\n"
     "وفي صباح الخميس، قصفت قوات النظام قرية الزهيرات بالمدفعية الثقيلة، ما أدى إلى مقتل امرأتين وطفل.",
     "ar", "Idlib"),
    ("تقرير من الحسكة\nزار فريقنا المنطقة الأسبوع الماضي والتقى بعدد من الأهالي.\n\n"
     "وأمس الأحد، أعدم عناصر التنظيم رجلين في الساحة العامة لقرية المضيبيع بتهمة التعامل مع التحالف.",
     "ar", "Al-Hasakah"),
    ("Our team spent last week in Nawa and spoke to dozens of families.\n\n"
     "On Friday regime artillery shelled the village of Umm Zaytuna, killing two farmers.",
     "en", "Daraa"),
])
def test_unlocated_village_is_placed_in_the_reports_area(text: str, lang: str, admin1: str) -> None:
    loc = _only_location(text, lang)
    assert loc is not None
    assert loc.precision != P.COUNTRY
    assert loc.admin1 == admin1 and loc.lat is not None
    assert loc.name.isascii()  # the contract's name is Latin script; the village keeps its own as text
    assert loc.text and loc.text in text


@pytest.mark.parametrize(("text", "admin1", "name"), [
    ("Israeli drones dropped leaflets over Hadar in the countryside of Quneitra on Monday.", "Quneitra", "Hadar"),
    ("QUNEITRA: Israeli drones dropped leaflets over Hadar on Monday.", "Quneitra", "Hadar"),
    ("Turkish drones struck al-Suwaydiyah in Hasakah province.", "Al-Hasakah", "al-Suwaydiyah"),
    ("قصف الطيران الحربي بلدة تل حميس بريف الرقة صباح اليوم.", "Raqqa", None),
])
def test_same_name_in_another_governorate_follows_the_area_the_text_gives(text: str, admin1: str,
                                                                           name: str | None) -> None:
    best = best_location(find_places(text))
    assert best is not None and best.rule.startswith("unlisted-same-name-in-")
    assert best.location.admin1 == admin1 and best.location.lat is not None
    assert best.location.name.isascii() and (name is None or best.location.name == name)


@pytest.mark.parametrize("text", [
    "ALEPPO: Regime jets struck Hadar on Monday.",  # the gazetteer's Hadar is in Aleppo
    "Clashes erupted in Daraa and Quneitra.",  # two governorates side by side: neither contains the other
    "السويداء: اعتقلت قوات الأمن شاباً في درعا.",  # a line's label does not move a place spelled as listed
])
def test_a_place_in_its_own_governorate_or_beside_another_stays(text: str) -> None:
    assert not any(m.rule.startswith("unlisted-same-name") for m in find_places(text))
