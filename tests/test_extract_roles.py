"""Who acted and who suffered: the agent/patient grammar of the rule extractor.

Each case is a sentence written for this test (not taken from any scored
set) in the style of SNHR/SOHR/ACLED reports, with the perpetrator codes a
documenter would code. They pin the general rules: the subject of a passive
verb is the patient; a demonym on counted people is the victims' side; a
name in parentheses or after a generic word shares the role of the name
before it; "positions/gathering/vehicle of X" is a target; "شنه X" is the
agent; a detention place names its operator.
"""
from __future__ import annotations

import pytest

from tawthiq.extract.contract import incident_to_contract
from tawthiq.extract.engine import RuleExtractor

PERPETRATORS = [
    # passive subject: the group named is the victims' side
    ("Three fighters of the Syrian National Army were wounded when a landmine exploded near the village of Kafr Janna.",
     set()),
    ("Two soldiers of the Turkish army were killed when an explosive device detonated near their patrol in Tal Abyad.",
     {"unknown"}),  # a device nobody is named for: unknown author, the soldiers its target
    # counted people of a nationality are the object, the subject acted
    ("Hayat Tahrir al-Sham gunmen shot dead three Syrian soldiers on the front line near Kafr Nabl.", {"hts"}),
    # Arabic: a parenthetical acronym shares the role; "شنه X" is the agent
    ("أصيب ثلاثة عناصر من الجيش الوطني السوري (الجيش الوطني) بجروح في بلدة جنديرس إثر هجوم شنه مسلحون من خلايا داعش.",
     {"isis"}),
    # Arabic: the owner of the vehicle/gathering/positions is the target
    ("فجر مجهولون عبوة ناسفة بآلية عسكرية تابعة لقوات سوريا الديمقراطية قرب بلدة الصور.", {"unknown"}),
    ("قصفت مسيرة تركية تجمعاً لعناصر من فصيل جيش الإسلام قرب مدينة الباب.", {"turkey"}),
    ("استهدفت طائرات حربية أمريكية مواقع لحزب الله العراقي في مدينة البوكمال.", {"coalition"}),
    ("قصفت إسرائيل مستودعات لميليشيات إيرانية في محيط مطار دمشق الدولي.", {"israel"}),
    # faction names and generic backed-by patterns
    ("Fighters of the Sultan Suleiman Shah Division looted the olive oil of farmers in the village of Sheikh Hadid.",
     {"armed-opposition"}),
    ("Iranian-backed militiamen looted shops in the town of al-Mayadin.", {"iran-backed"}),
    ("Members of the Asayish arrested two teachers in the city of al-Hasakah.", {"sdf"}),
    ("اعتقلت قوى الأمن الداخلي (الأسايش) ناشطاً في مدينة القامشلي.", {"sdf"}),
    ("اعتقلت عناصر من فرقة الحمزات ثلاثة مدنيين في قرية ميدانكي بريف عفرين.", {"armed-opposition"}),
    # a detention place names its operator; a strike on it does not
    ("A young man from Daraa died under torture at the Palestine Branch in Damascus.", {"syrian-government"}),
    ("توفي معتقل تحت التعذيب في سجن صيدنايا العسكري.", {"syrian-government"}),
    ("توفي شاب تحت التعذيب في أحد سجون النظام السوري.", {"syrian-government"}),
    # the owner of the thing hit is the target
    ("US warplanes struck Iranian militia weapons depots near the town of al-Bukamal.", {"coalition"}),
    ("A motorcycle belonging to a Hamza Division commander exploded in the town of al-Rai.", set()),
    ("قصفت المدفعية التركية مقرّاً لقوات سوريا الديمقراطية في بلدة عين عيسى.", {"turkey"}),
    # Arabic: members named after the first party are its object
    ("هاجمت خلايا داعش سيارة تقل عناصر من قوات سوريا الديمقراطية في بلدة ذيبان، ما أدى لمقتل أربعة منهم.", {"isis"}),
    # coordinated demonyms on one weapon; "X-backed Y" names Y
    ("Two women died in Syrian and Russian bombardment of the village of Maarzaf.", {"syrian-government", "russia"}),
    ("Russian-backed government troops seized the village of Kafr Sajna from opposition factions.",
     {"syrian-government"}),
    # a subject that is a checkpoint or positions acted
    ("A checkpoint of the Fourth Division opened fire on a minibus near the town of Kanaker, wounding three women.",
     {"syrian-government"}),
    ("Turkish border guard posts fired on a group of civilians near the village of Khirbet al-Joz, killing a boy.",
     {"turkey"}),
    # counted people of a nationality opening a sentence are its subject
    ("Three Turkish soldiers fired at a group of civilians near the village of Hamam, wounding a woman.", {"turkey"}),
    ("Turkish gendarmes shot dead two young men near the border village of Khirbet al-Joz.", {"turkey"}),
    # repelling an attack is a clash between both sides
    ("Regime troops repelled an assault by HTS fighters on their positions near the town of Kafr Nabl.",
     {"syrian-government", "hts"}),
]


@pytest.fixture(scope="module")
def rules() -> RuleExtractor:
    return RuleExtractor()


@pytest.mark.parametrize("text,actors", PERPETRATORS, ids=[t[:40] for t, _ in PERPETRATORS])
def test_perpetrator_role(rules: RuleExtractor, text: str, actors: set[str]) -> None:
    found = [incident_to_contract(i) for i in rules.extract(text)]
    assert found, text
    assert {p["actor"] for p in found[0]["perpetrators"]} == actors


# (text, event type of the first incident, perpetrator codes); event type None: no incident at all
EVENTS = [
    # territory taken, by whom decides the type; the side that lost it is no perpetrator
    ("Opposition fighters seized the strategic village of Tal Malah from regime forces on Sunday.",
     "non-state-actor-overtakes-territory", {"armed-opposition"}),
    ("The Syrian army recaptured the hilltop town of Kinsabba from rebel groups.",
     "government-regains-territory", {"syrian-government"}),
    ("سيطرت هيئة تحرير الشام على بلدة دارة عزة بعد انسحاب عناصر حركة نور الدين الزنكي منها.",
     "non-state-actor-overtakes-territory", {"hts"}),
    # destruction and looting
    ("ISIS fighters dynamited the shrine of Owais al-Qarani in the city of Raqqa.",
     "looting-property-destruction", {"isis"}),
    ("Members of the Fourth Division seized the wheat crops of farmers in the town of Muhassan.",
     "looting-property-destruction", {"syrian-government"}),
    ("فجّر عناصر تنظيم الدولة كنيسة السيدة العذراء في بلدة تل نصري.", "looting-property-destruction", {"isis"}),
    # protest broken up by force
    ("فضّت عناصر من الأمن العام التابع لهيئة تحرير الشام وقفة احتجاجية في مدينة إدلب.",
     "protest-with-intervention", {"hts"}),
    # suicide drones are drone strikes; rigged vehicles are IEDs
    ("A Turkish loitering munition hit a car near the town of Amuda, killing its driver.", "air-drone-strike", {"turkey"}),
    ("قتل مدنيان بقصف طائرة مسيرة انتحارية على سوق بلدة الأتارب.", "air-drone-strike", set()),
    ("A minibus packed with explosives blew up at the entrance of the town of Sarmada, killing four people.",
     "remote-explosive-landmine-ied", {"unknown"}),
    # period totals, monthly reports and trials are no incidents
    ("رصدت اللجنة مقتل ٦١ مدنياً بينهم ١٢ طفلاً في شهر تشرين الأول ٢٠٢٢.", None, set()),
    ("سجّل الفريق حصيلة اعتقال ٨٠ شخصاً على يد قوات النظام خلال الأسبوع الماضي.", None, set()),
    ("The network recorded the arrest of 212 people by all parties in March 2022.", None, set()),
    ("A French court convicted three former Syrian officials in absentia of complicity in the torture of detainees.",
     None, set()),
    ("حكمت محكمة سويدية على عنصر سابق في جيش النظام بالسجن المؤبد بتهمة قتل مدنيين.", None, set()),
]


@pytest.mark.parametrize("text,event_type,actors", EVENTS, ids=[t[:40] for t, _, _ in EVENTS])
def test_event_type(rules: RuleExtractor, text: str, event_type: str | None, actors: set[str]) -> None:
    found = [incident_to_contract(i) for i in rules.extract(text)]
    if event_type is None:
        assert found == []
        return
    assert found, text
    assert found[0]["event_type"] == event_type
    assert {p["actor"] for p in found[0]["perpetrators"]} == actors


# (text, outcome, total lower count of that outcome, kinds of its groups)
VICTIMS = [
    ("A father and his son were shot dead by unknown gunmen on the road between Daraa and Tafas.",
     "killed", 2, {"civilian"}),
    ("An elderly woman and her husband were wounded when a shell fell on their home in the town of Ariha.",
     "injured", 2, {"civilian"}),
    ("A young man and his three sisters were killed in a Russian air strike on the village of Kansafra.",
     "killed", 4, {"civilian"}),
    ("Six shepherds, including two children, were killed when a mine left by ISIS exploded in the Badia of Hama.",
     "killed", 6, {"civilian"}),
    ("Five olive harvesters, among them a girl, were wounded by Turkish artillery fire near the village of Tal Rifaat.",
     "injured", 5, {"civilian"}),
    ("He was detained by Air Force Intelligence at a checkpoint on the outskirts of Homs.", "detained", 1, {"civilian"}),
    ("قتل طفل وشقيقه بانفجار لغم أرضي في بلدة معرة النعمان.", "killed", 2, {"civilian"}),
]


@pytest.mark.parametrize("text,outcome,total,kinds", VICTIMS, ids=[t[:40] for t, *_ in VICTIMS])
def test_victim_count(rules: RuleExtractor, text: str, outcome: str, total: int, kinds: set[str]) -> None:
    found = [incident_to_contract(i) for i in rules.extract(text)]
    assert found, text
    groups = [v for v in found[0]["victims"] if v["outcome"] == outcome]
    assert sum(v["count_min"] or 0 for v in groups) == total
    assert {v["kind"] for v in groups} == kinds


def test_of_them_takes_the_kind_of_the_group_before(rules: RuleExtractor) -> None:
    text = ("Unknown gunmen opened fire on a group of former rebel fighters in the town of Jasim. "
            "Four of them were killed instantly.")
    found = [incident_to_contract(i) for i in rules.extract(text)]
    kinds = {v["kind"] for d in found for v in d["victims"] if v["count_min"] == 4}
    assert kinds == {"combatant"}


# (text, violations that must be there, violations that must not)
VIOLATIONS = [
    ("Government artillery shelled the town of Maarat al-Numan. Four civilians were killed.",
     {"killing", "indiscriminate-attack"}, set()),
    ("Russian warplanes bombed a market near a checkpoint in the town of Atarib, killing three civilians.",
     {"indiscriminate-attack"}, {"restriction-of-movement"}),
    ("Military Intelligence arrested two teachers at a checkpoint in the city of Daraa.", set(),
     {"restriction-of-movement"}),
    ("The SDF set up new checkpoints at the entrances of the town of Hajin.", {"restriction-of-movement"}, set()),
    ("نصبت قوات النظام حواجز جديدة على مداخل مدينة الصنمين.", {"restriction-of-movement"}, set()),
]


@pytest.mark.parametrize("text,must,must_not", VIOLATIONS, ids=[t[:40] for t, *_ in VIOLATIONS])
def test_violations(rules: RuleExtractor, text: str, must: set[str], must_not: set[str]) -> None:
    found = [incident_to_contract(i) for i in rules.extract(text)]
    assert found, text
    got = set(found[0]["violations"])
    assert must <= got and not (must_not & got), got


def _all(rules: RuleExtractor, text: str, published: str | None = None) -> list[dict]:
    from datetime import date

    pub = date.fromisoformat(published) if published else None
    return [incident_to_contract(i) for i in rules.extract(text, published=pub)]


def test_day_and_month_take_the_year_of_the_story(rules: RuleExtractor) -> None:
    text = ("On 12 March 2017, regime helicopters dropped barrel bombs on the town of al-Lataminah. "
            "On 30 March, a chemical attack hit the same town, injuring dozens of people.")
    found = _all(rules, text, published="2021-06-01")
    assert [d["date"]["edtf"] for d in found] == ["2017-03-12", "2017-03-30"]


def test_arabic_day_and_month_take_the_year_of_the_story(rules: RuleExtractor) -> None:
    text = "في ١٠ نيسان ٢٠١٨ قصفت قوات النظام مدينة دوما. وفي ١٤ نيسان شنت طائرات التحالف غارات على مدينة هجين."
    found = _all(rules, text, published="2022-01-01")
    assert [d["date"]["edtf"] for d in found] == ["2018-04-10", "2018-04-14"]


def test_the_next_day_is_the_day_after_the_act_before(rules: RuleExtractor) -> None:
    text = ("On 9 May 2020, unknown gunmen abducted a pharmacist in the town of Jasim. "
            "The following day, his body was found near the town of Nawa.")
    found = _all(rules, text)
    assert found[0]["date"]["edtf"] == "2020-05-09"
    assert found[-1]["date"]["edtf"] == "2020-05-10"


def test_arabic_next_day(rules: RuleExtractor) -> None:
    text = ("في ٢ تموز ٢٠١٩ اعتقلت قوات النظام شاباً في مدينة الصنمين. "
            "وفي صباح اليوم التالي اعتقلت شقيقه في مدينة إنخل.")
    found = _all(rules, text)
    assert [d["date"]["edtf"] for d in found] == ["2019-07-02", "2019-07-03"]


def test_a_toll_in_the_next_sentence_joins_the_strike(rules: RuleExtractor) -> None:
    text = ("Government warplanes dropped several barrel bombs on the town of Kafr Zita on Tuesday. "
            "A local doctor said that three people, among them a child, were killed.")
    found = _all(rules, text, published="2016-02-05")
    assert len(found) == 1
    d = found[0]
    assert d["event_type"] == "air-drone-strike" and {p["actor"] for p in d["perpetrators"]} == {"syrian-government"}
    assert sum(v["count_min"] for v in d["victims"] if v["outcome"] == "killed") == 3
    assert len(d["evidence"]) == 2


def test_a_coordinated_subject_keeps_both_agents(rules: RuleExtractor) -> None:
    found = _all(rules, "Government troops and Liwa Fatemiyoun fighters shelled the village of al-Eis, "
                        "killing a woman.")
    assert {p["actor"] for p in found[0]["perpetrators"]} == {"syrian-government", "iran-backed"}
    found = _all(rules, "قصفت قوات النظام وحزب الله اللبناني بلدة مضايا ما أدى لمقتل طفل.")
    assert {p["actor"] for p in found[0]["perpetrators"]} == {"syrian-government", "iran-backed"}


def test_a_clash_in_a_subordinate_clause_is_an_act(rules: RuleExtractor) -> None:
    found = _all(rules, "Two men died following clashes with armed men who stormed a police station in the "
                        "town of Sanamayn.")
    assert found and found[0]["event_type"] == "armed-clash"


def test_a_title_line_repeating_the_body_is_one_incident(rules: RuleExtractor) -> None:
    text = ("Turkish drone strike kills two in Qamishli.\n\n"
            "A Turkish drone struck a car on the outskirts of the city of Qamishli on Friday, killing two men.")
    assert len(_all(rules, text)) == 1
    text = ("اعتقال ناشط على يد قوات النظام في الصنمين\n"
            "اعتقلت قوات النظام يوم الأحد ناشطاً إعلامياً في مدينة الصنمين بريف درعا.")
    assert len(_all(rules, text)) == 1


def test_a_title_about_another_place_stays(rules: RuleExtractor) -> None:
    text = ("Air strikes hit Ariha.\n\n"
            "Russian warplanes struck the town of Saraqib on Friday, killing two men.")
    assert len(_all(rules, text)) == 2


def test_zero_fatalities_is_no_victim_group(rules: RuleExtractor) -> None:
    found = _all(rules, "Unknown gunmen kidnapped a shepherd near the village of Jdeidet Kahil. Fatalities: 0.")
    assert [v["outcome"] for v in found[0]["victims"]] == ["abducted"]


def test_trials_by_armed_groups_are_still_acts(rules: RuleExtractor) -> None:
    """Only courts abroad trying past crimes are no incident; an armed group's
    'court' followed by an execution is one."""
    found = _all(rules, "A Sharia court of ISIS sentenced a young man to death for apostasy, and he was shot dead "
                        "in the main square of the town of al-Bukamal.")
    assert found and found[0]["event_type"] == "attack"
    found = _all(rules, "أعدمت هيئة تحرير الشام رجلاً في مدينة حارم بعد محاكمته أمام محكمة تابعة لها.")
    assert found and {p["actor"] for p in found[0]["perpetrators"]} == {"hts"}


def test_storming_a_town_sets_the_scene_of_the_act(rules: RuleExtractor) -> None:
    found = _all(rules, "داهمت عناصر من المخابرات الجوية قرية الكرك الشرقي واعتقلت ثلاثة شبان.")
    assert len(found) == 1
    d = found[0]
    assert d["event_type"] == "arrests" and {p["actor"] for p in d["perpetrators"]} == {"syrian-government"}
    assert d["location"] is not None
    found = _all(rules, "Members of the Military Intelligence raided homes in the town of Inkhil on Tuesday.")
    assert found == []  # a raid with no one harmed, taken or looted is not coded


def test_militiamen_who_acted_are_no_victims(rules: RuleExtractor) -> None:
    found = _all(rules, "Pro-regime militiamen stormed the village of Tal Jabin and set fire to several houses.")
    assert found and found[0]["victims"] == []


def test_a_named_side_does_not_swallow_its_fighters_as_victims(rules: RuleExtractor) -> None:
    found = _all(rules, "Five ISIS fighters were killed in a coalition air strike near the town of al-Shaddadi.")
    assert found and {p["actor"] for p in found[0]["perpetrators"]} == {"coalition"}
    assert [(v["kind"], v["count_min"]) for v in found[0]["victims"]] == [("combatant", 5)]
    found = _all(rules, "قتل خمسة عناصر بينهم قيادي بهجوم لخلايا داعش على حاجز لقوات النظام، وكان ثلاثة منهم من المجندين.")
    assert sum(v["count_min"] or 0 for v in found[0]["victims"] if v["outcome"] == "killed") == 5


def test_death_under_torture_after_a_long_detention_is_an_act(rules: RuleExtractor) -> None:
    found = _all(rules, "توفي معتقل من أبناء مدينة دوما تحت التعذيب في أحد أفرع المخابرات بعد احتجازه منذ عام 2014.")
    assert found and found[0]["event_type"] == "attack"
    assert "torture" in found[0]["violations"]
    assert {p["actor"] for p in found[0]["perpetrators"]} == {"syrian-government"}
    found = _all(rules, "A man from Douma was tortured to death in Saydnaya prison, where he had been detained since 2014.")
    assert found and found[0]["event_type"] == "attack"
    assert {p["actor"] for p in found[0]["perpetrators"]} == {"syrian-government"}


def test_a_patrol_that_came_under_attack_is_the_target(rules: RuleExtractor) -> None:
    found = _all(rules, "تعرضت دورية لقوات سوريا الديمقراطية لهجوم بعبوة ناسفة قرب بلدة الشحيل.")
    assert found and [p["actor"] for p in found[0]["perpetrators"]] == ["unknown"]  # the bomb's author is not named


def test_a_toll_in_the_next_paragraph_joins_the_act(rules: RuleExtractor) -> None:
    text = ("Government helicopters dropped six barrel bombs on the town of Kafr Hamra on Monday 2 March 2015.\n\n"
            "A rescuer told our reporter that four people, among them a boy, were killed.")
    found = _all(rules, text)
    assert len(found) == 1 and found[0]["event_type"] == "air-drone-strike"
    assert sum(v["count_min"] for v in found[0]["victims"] if v["outcome"] == "killed") == 4
    text = ("ألقت مروحيات النظام براميل متفجرة على بلدة كفرزيتا يوم الاثنين ٢ آذار ٢٠١٥.\n\n"
            "وقال مسعف إن ثلاثة مدنيين قتلوا.")
    found = _all(rules, text)
    assert len(found) == 1 and {p["actor"] for p in found[0]["perpetrators"]} == {"syrian-government"}


def test_a_besieged_town_is_a_description_not_a_siege(rules: RuleExtractor) -> None:
    found = _all(rules, "Regime artillery shelled the besieged town of Madaya, killing two civilians.")
    assert "restriction-of-movement" not in found[0]["violations"]


def test_a_named_person_is_one_victim(rules: RuleExtractor) -> None:
    found = _all(rules, "Mahmoud al-Hariri, 41, died under torture in the Palestine Branch in Damascus.")
    assert [(v["kind"], v["outcome"], v["count_min"]) for v in found[0]["victims"]] == [("civilian", "killed", 1)]
    assert {p["actor"] for p in found[0]["perpetrators"]} == {"syrian-government"}


def test_a_named_armed_party_is_no_person(rules: RuleExtractor) -> None:
    found = _all(rules, "On Monday, Tiger Forces were ambushed near the town of Kafr Zita, and several were killed.")
    assert all(v["kind"] != "civilian" for d in found for v in d["victims"])


def test_by_a_sniper_of_x_names_x(rules: RuleExtractor) -> None:
    found = _all(rules, "A boy was shot dead by a sniper belonging to the Syrian army in the town of Jasim.")
    assert {p["actor"] for p in found[0]["perpetrators"]} == {"syrian-government"}


def test_a_first_line_act_on_another_day_is_its_own_incident(rules: RuleExtractor) -> None:
    text = ("On 4 May 2019, regime forces shelled the town of Kafr Nabl, killing three civilians.\n"
            "On 6 May 2019, regime forces shelled the town of Kafr Nabl again, killing two civilians.")
    assert len(_all(rules, text)) == 2
