"""A witness tells an act by people it does not name there — a passive ("he was taken at the checkpoint") or,
in Arabic, a verb of "they" — and names them in the next sentence, or named them just before. Sentences
written for this test."""
from __future__ import annotations

import pytest

from tawthiq.extract.engine import RuleExtractor

_X = RuleExtractor()


def _actors(text: str, language: str) -> set[str]:
    incidents = _X.extract(text, language=language)
    assert incidents, text
    return {p.actor for p in incidents[0].perpetrators}


@pytest.mark.parametrize("text,language,expected", [
    ("My brother Samer was arrested at the Qutayfah checkpoint on his way to work. The officers of Air Force "
     "Intelligence at the post told us he was wanted.", "en", {"syrian-government"}),
    ("بأول الشهر اعتقلوا ابني عالحاجز عند مدخل الضيعة. الحاجز تبع المخابرات الجوية، وما خبرونا وين أخدوه.",
     "ar", {"syrian-government"}),
    # "they" named in the sentence before, as members of a faction
    ("بالربيع إجا عناصر من فرقة الحمزة على أرضنا وقالوا الأرض إلنا. سرقوا المحصول كلو وأخدوا الجرار.",
     "ar", {"armed-opposition"}),
    # the next sentence says nobody knew who they were
    ("بالليل قوصوا جارنا قدام بيتو. اللي قوصوه كانوا مسلحين ملثمين، وما حدا عرف مين هني.",
     "ar", {"unknown"}),
])
def test_they_are_named_nearby(text: str, language: str, expected: set[str]) -> None:
    assert _actors(text, language) == expected


def test_a_shelling_is_not_given_the_next_sentences_party() -> None:
    # only acts people do by hand look to the next sentence; a shell's firer is not read from a later speaker
    text = ("Two shells fell on the market of Kafr Takharim at noon, wounding four people. "
            "The SDF later denied any presence in the area.")
    assert "sdf" not in _actors(text, "en")
