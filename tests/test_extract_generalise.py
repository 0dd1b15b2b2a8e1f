"""A private check of generalisation: report sentences in the styles the
extractor will meet (SNHR/SOHR/Enab Baladi reports, ACLED-style notes), in
English and Arabic, each with the facts a documenter would code.

Expected values: event type, perpetrator actor codes, and (outcome, total
lower count) of the victims; ``None`` skips a check.
"""
from __future__ import annotations

import pytest

from tawthiq.extract.contract import incident_to_contract
from tawthiq.extract.engine import RuleExtractor

CASES = [
    ("On 12 March 2018, regime forces shelled the town of Kafr Nabl, killing 3 civilians.",
     "shelling-artillery-missile-attack", {"syrian-government"}, ("killed", 3)),
    ("Syrian Democratic Forces arrested 15 young men in a raid and arrest campaign in the town of al-Busayrah "
     "in the eastern countryside of Deir Ezzor, to conscript them into their ranks.",
     "arrests", {"sdf"}, ("detained", 15)),
    ("A car bomb exploded near the vegetable market in the city of al-Bab, east of Aleppo, killing at least "
     "14 people and wounding dozens, mostly civilians.",
     "remote-explosive-landmine-ied", {"unknown"}, ("killed", 14)),  # nobody named: its author is unknown
    ("ISIS cells kidnapped two shepherds near the town of al-Sukhnah in the eastern countryside of Homs and "
     "demanded a ransom for their release.",
     "abduction-forced-disappearance", {"isis"}, ("abducted", 2)),
    ("Clashes broke out between Hayat Tahrir al-Sham and the National Front for Liberation in the town of "
     "Atarib, leaving four fighters dead.",
     "armed-clash", {"hts", "armed-opposition"}, ("killed", 4)),
    ("Hundreds of people took part in a demonstration in the city of Idlib on Friday against the regime offensive.",
     "peaceful-protest", set(), None),
    ("Members of the Military Police affiliated with the Syrian National Army looted shops in the town of "
     "Afrin and confiscated olive oil stored by farmers.",
     "looting-property-destruction", {"armed-opposition"}, None),
    ("An Israeli drone struck a car on the Damascus-Beirut highway, killing two members of Hezbollah.",
     "air-drone-strike", {"israel"}, ("killed", 2)),
    ("On 14 February 2019, a drone believed to belong to the international coalition targeted a motorcycle in "
     "the village of al-Shafaa in the eastern countryside of Deir Ezzor, killing two men.",
     "air-drone-strike", {"coalition"}, ("killed", 2)),
    ("On 8 April 2018, SAA and allied militias launched an offensive on Douma, accompanied by air strikes that "
     "killed at least 40 civilians.",
     "air-drone-strike", {"syrian-government", "iran-backed"}, ("killed", 40)),
    ("Turkish border guards (Jandarma) shot dead a young man as he tried to cross the border into Turkey near "
     "the town of Darkush, west of Idlib.",
     "attack", {"turkey"}, ("killed", 1)),
    ("SDF forces recruited four minors, including two girls, in the town of al-Shaddadi in the southern "
     "countryside of Hasakah.",
     "change-to-group-activity", {"sdf"}, None),
    ("On 15 June 2021, an IED exploded targeting a vehicle of Military Forces of Syria near Deir Ezzor city. "
     "3 soldiers were killed.",
     "remote-explosive-landmine-ied", {"unknown"}, ("killed", 3)),
    ("On 9 September 2019, unidentified gunmen shot and killed a former rebel commander in Tafas (Daraa).",
     "attack", {"unknown"}, ("killed", 1)),
    ("On 5 November 2020, Military Forces of Turkey established a new military point near Saraqib.",
     "headquarters-or-base-established", {"turkey"}, None),
    ("On 17 August 2020, Military Forces of Russia and the Syrian regime reached a reconciliation deal with "
     "local notables in Daraa al-Balad.",
     "agreement", {"russia", "syrian-government"}, None),
    ("قصفت قوات النظام بقذائف المدفعية بلدة كفرنبل في ريف إدلب الجنوبي، ما أدى إلى مقتل طفلين وإصابة أربعة مدنيين آخرين.",
     "shelling-artillery-missile-attack", {"syrian-government"}, ("killed", 2)),
    ("اعتقلت قوات النظام ثلاثة شبان من بلدة الصنمين في ريف درعا الشمالي، واقتادتهم إلى جهة مجهولة.",
     "arrests", {"syrian-government"}, ("detained", 3)),
    ("انفجرت عبوة ناسفة بسيارة مدنية في مدينة الباب شرق حلب، ما أسفر عن مقتل رجل وإصابة زوجته.",
     "remote-explosive-landmine-ied", {"unknown"}, ("killed", 1)),
    ("أعدم تنظيم داعش شاباً ذبحاً في مدينة الميادين بتهمة التعامل مع التحالف الدولي.",
     "attack", {"isis"}, ("killed", 1)),
    ("اغتال مسلحون مجهولون قيادياً سابقاً في فصائل المعارضة في بلدة طفس بريف درعا الغربي.",
     "attack", {"unknown"}, ("killed", 1)),
    ("سيطرت قوات النظام على مدينة خان شيخون بعد معارك عنيفة مع فصائل المعارضة.",
     "government-regains-territory", {"syrian-government"}, None),
    ("قُتل طفل وأصيبت والدته بجروح جراء قصف مدفعي لقوات النظام على قرية البارة في جبل الزاوية بريف إدلب الجنوبي.",
     "shelling-artillery-missile-attack", {"syrian-government"}, ("killed", 1)),
    ("أقدم عناصر من فرقة الحمزة على الاستيلاء على منازل المهجرين في مدينة عفرين وتحويلها إلى مقرات عسكرية.",
     "looting-property-destruction", {"armed-opposition"}, None),
    ("اندلعت اشتباكات عنيفة بين هيئة تحرير الشام وفصائل الجيش الوطني في ريف حلب الشمالي، أسفرت عن مقتل ستة عناصر من الطرفين.",
     "armed-clash", {"hts", "armed-opposition"}, ("killed", 6)),
    ("نفذت قوات التحالف الدولي عملية إنزال جوي في بلدة الشحيل واعتقلت ثلاثة أشخاص يشتبه بانتمائهم لتنظيم الدولة.",
     "arrests", {"coalition"}, ("detained", 3)),
    ("أطلقت قوات الأمن النار على المتظاهرين في مدينة السويداء، ما أدى إلى مقتل متظاهر وإصابة آخرين.",
     "excessive-force-against-protesters", {"syrian-government"}, ("killed", 1)),
    # "A series of" bombings measured as one of the deadliest attacks: one act, not a period.
    ("ISIS fighters launched a wave of suicide bombings in the town of Qahtaniyah on Tuesday, killing at least 50 "
     "people in one of the deadliest attacks on the town since the war began.",
     "suicide-bomb", {"isis"}, ("killed", 50)),
    # A running toll of one day's strikes ("so far"): one act, not a period.
    ("معرة النعمان | 14 شهيداً حتى الآن بغارات جوية روسية على السوق الشعبي في المدينة.",
     "air-drone-strike", {"russia"}, ("killed", 14)),
    # Tolls counted in the nouns for the dead and the wounded themselves ("27 martyrs", "ثلاثة جرحى").
    ("سقبا | 27 شهيداً بغارات جوية لقوات النظام على الأحياء السكنية في البلدة.",
     "air-drone-strike", {"syrian-government"}, ("killed", 27)),
    ("أريحا | ثلاثة جرحى بقصف مدفعي لقوات النظام على السوق الشعبي.",
     "shelling-artillery-missile-attack", {"syrian-government"}, ("injured", 3)),
]

NOT_INCIDENTS = [
    "The Syrian Network for Human Rights documented the killing of 1,006 civilians in the first half of 2020, "
    "including 200 children.",
    "Since the beginning of the year, 250 civilians have been killed in the province of Daraa.",
    "More than 500,000 people have been killed in the war, according to the monitor.",
    "Turkey threatened to launch a new military operation against the SDF in Manbij.",
    "Regime warplanes continue to bomb towns in southern Idlib.",
    "وثقت الشبكة السورية لحقوق الإنسان مقتل 120 مدنياً خلال شهر آذار 2019.",
    "تهدد تركيا بشن عملية عسكرية ضد قسد في منبج.",
    # "until now" after a period's start is a running total of the period, not one act's toll.
    "وثقت الشبكة مقتل 300 مدني في ريف إدلب منذ مطلع آذار حتى الآن جراء القصف.",
]


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


@pytest.mark.parametrize(("text", "event_type", "actors", "victims"), CASES, ids=[c[0][:40] for c in CASES])
def test_report_sentence(rules: RuleExtractor, text: str, event_type: str, actors: set[str],
                         victims: tuple[str, int] | None) -> None:
    found = [incident_to_contract(i) for i in rules.extract(text)]
    assert len(found) == 1, [d["evidence"][0]["quote"] for d in found]
    d = found[0]
    assert d["event_type"] == event_type
    assert {p["actor"] for p in d["perpetrators"]} == actors
    if victims is not None:
        outcome, count = victims
        total = sum(v["count_min"] or 0 for v in d["victims"] if v["outcome"] == outcome)
        assert total == count
        if outcome != "killed":
            assert not any(v["outcome"] == "killed" for v in d["victims"])


@pytest.mark.parametrize("text", NOT_INCIDENTS, ids=[t[:40] for t in NOT_INCIDENTS])
def test_not_an_incident(rules: RuleExtractor, text: str) -> None:
    assert rules.extract(text) == []
