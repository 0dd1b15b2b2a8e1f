"""Event typing by the ACLED codebook: what met a protest, a bomber's own belt, rockets that choke, a past deal.

Sentences written for this test (not taken from any evaluation set), in English and Arabic: a protest broken
up with arrests or tear gas is a protest with intervention; deadly fire on protesters is excessive force even
when arrests follow; a bomber who detonates his belt is a suicide bombing, not a disposal team; rockets after
which people choke carried a chemical agent; a settlement the detainees "had signed" years ago is their past,
the arrest is the act.
"""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor

CASES = [
    # arrests that break up a protest
    ("en", "Police in Manbij dispersed a sit-in outside the education directorate and arrested four teachers.",
     "protest-with-intervention"),
    ("en", "Security men detained six of the demonstrators during a rally in front of the courthouse in Salqin.",
     "protest-with-intervention"),
    ("ar", "فضّت قوات الأمن وقفة احتجاجية أمام مبنى المحافظة في مدينة السويداء واعتقلت خمسة من المشاركين فيها.",
     "protest-with-intervention"),
    ("ar", "أطلقت الشرطة قنابل مسيلة للدموع واعتقلت عشرة طلاب أمام الجامعة في مدينة إدلب.",
     "protest-with-intervention"),
    ("en", "Riot police beat the protesters with clubs outside the bakery in Atarib.",
     "protest-with-intervention"),
    # deadly force outranks the arrests and the protest
    ("en", "Soldiers opened live fire on the marchers in Tafas, killing two, and arrested twenty others.",
     "excessive-force-against-protesters"),
    ("ar", "فتحت عناصر الحاجز النار على المتظاهرين في بلدة الجيزة ما أدى إلى مقتل شاب وإصابة ثلاثة.",
     "excessive-force-against-protesters"),
    ("en", "Guards shot into a crowd of demonstrators near the oil field in Shuhayl, wounding three men.",
     "excessive-force-against-protesters"),
    # a bomber's own belt is no disposal
    ("en", "A bomber detonated his explosive vest among worshippers at a mosque in Tadamon.", "suicide-bomb"),
    ("en", "Engineers detonated two landmines found beside the road to Tabqa in a controlled blast.",
     "disrupted-weapons-use"),
    # rockets that leave people choking
    ("ar", "سقطت ثلاثة صواريخ على بلدة اللطامنة وسُجّلت عشرات حالات الاختناق بين المدنيين.", "chemical-weapon"),
    ("en", "Two rockets hit the village of Kafr Zita and doctors treated 40 people for symptoms of suffocation.",
     "chemical-weapon"),
    # a past deal in a relative clause is no agreement
    ("en", "Military Intelligence arrested nine men in Nawa, including three who had signed reconciliation "
     "deals in 2018.", "arrests"),
]


@pytest.mark.parametrize(("language", "text", "event_type"), CASES, ids=[c[1][:40] for c in CASES])
def test_the_codebook_types_the_act(language: str, text: str, event_type: str) -> None:
    incidents = RuleExtractor().extract(text, language=language, published=date(2021, 5, 1))
    assert [i.event_type for i in incidents] == [event_type]


def test_a_protest_without_force_stays_peaceful() -> None:
    text = "Hundreds protested in Suwayda on Friday against the rise in fuel prices and demanded the governor resign."
    incidents = RuleExtractor().extract(text, language="en", published=date(2021, 5, 1))
    assert [i.event_type for i in incidents] == ["peaceful-protest"]


def test_an_arrest_for_an_old_protest_is_an_arrest() -> None:
    text = "Air Force Intelligence arrested a young man in Daraa for taking part in demonstrations in 2011."
    incidents = RuleExtractor().extract(text, language="en", published=date(2021, 5, 1))
    assert [i.event_type for i in incidents] == ["arrests"]


def test_shelling_with_smoke_is_still_shelling() -> None:
    text = "Regime artillery shelled the town of Kansafra, killing a woman and wounding her two sons."
    incidents = RuleExtractor().extract(text, language="en", published=date(2021, 5, 1))
    assert [i.event_type for i in incidents] == ["shelling-artillery-missile-attack"]


def test_clashes_until_a_truce_are_two_acts() -> None:
    text = ("Heavy fighting raged in the Sheikh Maqsoud district between the two sides on Monday and went on "
            "until a ceasefire brokered by Russia took effect on Thursday.")
    incidents = RuleExtractor().extract(text, language="en", published=date(2021, 5, 1))
    assert [i.event_type for i in incidents] == ["armed-clash", "agreement"]


@pytest.mark.parametrize(("language", "text", "event_type"), [
    ("en", "A powerful explosion hit an army ammunition depot near Masyaf at dawn, and flames were seen for hours.",
     "other"),
    ("ar", "دوّى انفجار عنيف في مستودع ذخيرة تابع لقوات النظام قرب مدينة مصياف فجر اليوم.", "other"),
    ("en", "Israeli warplanes struck an ammunition depot near Masyaf at dawn, causing a huge explosion.",
     "air-drone-strike"),
], ids=["en-depot", "ar-depot", "en-strike-on-depot"])
def test_a_depot_that_blows_up_is_other(language: str, text: str, event_type: str) -> None:
    incidents = RuleExtractor().extract(text, language=language, published=date(2021, 5, 1))
    assert [i.event_type for i in incidents] == [event_type]
