"""Act-first event typing: what happened names the incident, not the weapon or the setting it mentions.

Sentences written for this test (not taken from any evaluation set), in English
and Arabic: a capture backed by air strikes is a territory change, a defused
bomb is disrupted weapons use, an agreement that ends the shelling is an
agreement, a base at an airport is a base, a crowd beating a man is mob
violence; a trigger in a clause that only sets the scene ("after forces took
control") yields to the clause's own act; a call made after an act is told
does not erase the act.
"""
from __future__ import annotations

from datetime import date

import pytest

from tawthiq.extract.engine import RuleExtractor

CASES = [
    # territory change with its air or artillery support in the same sentence
    ("en", "Government troops, backed by intense Russian airstrikes, captured the village of Tell Sultan on Monday.",
     "government-regains-territory"),
    ("en", "Islamic State fighters seized the Jirah military airport after three days of heavy shelling.",
     "non-state-actor-overtakes-territory"),
    ("ar", "سيطرت قوات النظام على قرية الحويز بعد قصف مدفعي وجوي عنيف استمر يومين.", "government-regains-territory"),
    # taken without a fight
    ("en", "Army units entered the town of Tall Rifaat without a fight after the Kurdish forces pulled back.",
     "non-violent-transfer-of-territory"),
    # disrupted weapons use beats the weapon it names
    ("en", "An engineering unit of the police defused a roadside bomb planted near the bakery in Azaz.",
     "disrupted-weapons-use"),
    ("en", "Air defences intercepted four drones loaded with explosives over the Hmeimim base on Tuesday night.",
     "disrupted-weapons-use"),
    ("ar", "فككت فرق الهندسة عبوة ناسفة مزروعة قرب مدرسة في بلدة صوران صباح اليوم.", "disrupted-weapons-use"),
    ("en", "Security forces found a cache of weapons and rockets hidden in a farm outside Nawa.",
     "disrupted-weapons-use"),
    # agreements
    ("en", "Local notables and the army's negotiators reached an agreement to end the shelling of Tafas and "
     "hand over medium weapons.", "agreement"),
    ("ar", "توصلت فصائل المعارضة في بلدة الكسوة إلى اتفاق مع الجانب الروسي يقضي بوقف إطلاق النار.", "agreement"),
    # bases
    ("en", "Russian forces have turned a wing of the Tabqa airport into a helicopter base.",
     "headquarters-or-base-established"),
    ("ar", "أنشأت القوات التركية نقطة عسكرية جديدة على تلة قرب بلدة النيرب.", "headquarters-or-base-established"),
    # crowds
    ("en", "An angry crowd of villagers beat a man accused of theft until he lost consciousness in Sarmada.",
     "mob-violence"),
    ("en", "Protesters stormed the municipal building in Jasim and set fire to two police cars.",
     "violent-demonstration"),
    ("ar", "محتجون غاضبون يقتحمون مبنى البلدية في مدينة شهبا ويحرقون سيارة للشرطة.", "violent-demonstration"),
    # what a group does to itself
    ("en", "Three brigades of the Free Syrian Army in the Qalamoun announced their merger into a single corps.",
     "change-to-group-activity"),
    ("en", "A captain and nine soldiers defected from the regime army with their weapons near Jisr al-Shughur.",
     "change-to-group-activity"),
    ("ar", "أعلنت ثلاثة فصائل في ريف حماة الشمالي تشكيل غرفة عمليات موحدة.", "change-to-group-activity"),
    ("ar", "انشق ضابط برتبة عقيد عن جيش النظام مع ثمانية عناصر في ريف درعا.", "change-to-group-activity"),
    # the setting yields to the act
    ("en", "Militiamen looted shops in the town of Hamouriyah after government forces took control of it.",
     "looting-property-destruction"),
    # suicide bombers, however the sentence runs
    ("en", "A suicide bomber drove a truck packed with explosives into the gate of the police academy in Hasakah.",
     "suicide-bomb"),
    # a security branch is no aircraft
    ("en", "Air Force Intelligence personnel opened fire on the demonstrators in the main square of Inkhil.",
     "excessive-force-against-protesters"),
]


@pytest.mark.parametrize(("language", "text", "event_type"), CASES, ids=[c[1][:40] for c in CASES])
def test_the_act_names_the_incident(language: str, text: str, event_type: str) -> None:
    incidents = RuleExtractor().extract(text, language=language, published=date(2020, 3, 1))
    assert [i.event_type for i in incidents] == [event_type]


def test_a_call_after_the_act_leaves_the_act() -> None:
    text = ("About 300 residents of Binnish demonstrated on Friday against the bombardment and called on the "
            "United Nations to protect civilians.")
    incidents = RuleExtractor().extract(text, language="en", published=date(2020, 3, 1))
    assert [i.event_type for i in incidents] == ["peaceful-protest"]


def test_a_condemnation_of_an_act_told_elsewhere_is_no_new_act() -> None:
    text = "The local council condemned the continued bombardment of residential areas by regime forces."
    assert RuleExtractor().extract(text, language="en", published=date(2020, 3, 1)) == []


def test_a_capture_of_people_is_no_capture_of_territory() -> None:
    text = "Regime forces captured two opposition fighters near the village of Kafr Nabouda."
    incidents = RuleExtractor().extract(text, language="en", published=date(2020, 3, 1))
    assert all(i.event_type not in ("government-regains-territory", "non-state-actor-overtakes-territory")
               for i in incidents)


def test_talk_of_defections_in_general_is_no_act() -> None:
    text = "Analysts say the defections have weakened the group's morale in recent weeks."
    assert RuleExtractor().extract(text, language="en", published=date(2020, 3, 1)) == []


def test_a_toll_line_after_the_act_is_its_toll() -> None:
    text = ("On 3 May 2016, regime helicopters dropped two barrel bombs on the market of Kafr Hamra. "
            "Rescuers searched the rubble of the shops until night. Fatalities: 4.")
    incidents = RuleExtractor().extract(text, language="en", published=date(2016, 5, 4))
    assert len(incidents) == 1 and incidents[0].event_type == "air-drone-strike"


def test_arrests_of_a_protest_s_people_are_its_dispersal() -> None:
    text = ("Dozens of women held a sit-in in front of the court in Salqin on Sunday demanding news of their sons. "
            "Security men arrested four of the participants.")
    incidents = RuleExtractor().extract(text, language="en", published=date(2019, 6, 3))
    assert [i.event_type for i in incidents] == ["protest-with-intervention"]
    text_ar = ("نظم العشرات وقفة احتجاجية أمام مبنى المحافظة في مدينة الحسكة صباح اليوم. "
               "واعتقلت الدورية خمسة من المشاركين.")
    incidents = RuleExtractor().extract(text_ar, language="ar", published=date(2019, 6, 3))
    assert [i.event_type for i in incidents] == ["protest-with-intervention"]


@pytest.mark.parametrize(("language", "text"), [
    ("en", "On the ninth anniversary of the sarin attack on Khan Shaykhun, survivors gathered to remember the dead."),
    ("ar", "في مثل هذا اليوم قبل ثماني سنوات، قصفت قوات النظام مدينة خان شيخون بغاز السارين."),
    ("en", "Two Mi-17 helicopters were seen over the town of Tell Abyad on Monday afternoon."),
    ("ar", "وتنفي الحكومة استخدام أي أسلحة كيماوية في المنطقة."),
    ("en", "Guards of the camp fired into the air to keep order as aid was handed out."),
], ids=["anniversary-en", "anniversary-ar", "helicopters-seen", "denial-ar", "air-fire"])
def test_no_act_is_told(language: str, text: str) -> None:
    assert RuleExtractor().extract(text, language=language, published=date(2021, 4, 4)) == []


@pytest.mark.parametrize(("language", "text", "label"), [
    ("en", "IDLIB - Regime artillery shelled the town of Maarat al-Numan, wounding four civilians.",
     "Idlib"),
    ("ar", "حمص: قصفت قوات النظام مدينة تلبيسة بقذائف الهاون، ما أدى إلى إصابة ثلاثة مدنيين.", "Homs"),
], ids=["dateline-en", "label-ar"])
def test_a_label_or_dateline_gives_way_to_the_place_in_the_sentence(language: str, text: str, label: str) -> None:
    incidents = RuleExtractor().extract(text, language=language, published=date(2016, 5, 4))
    assert len(incidents) == 1 and incidents[0].location is not None
    # the town in the sentence, inside the labelled governorate
    assert incidents[0].location.name != label and incidents[0].location.admin1 == label
    assert incidents[0].location.precision.value == "town"
