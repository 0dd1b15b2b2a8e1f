"""Who acted when the report says so only indirectly: unclaimed bombs and found bodies (unknown),
a weapon only one side fields (barrel bombs, helicopters), both sides of a clash or an
agreement, a force backed by another, and parties joined by "and". Sentences written for this test."""
from __future__ import annotations

import pytest

from tawthiq.domain.enums import InvolvementDegree
from tawthiq.extract.engine import RuleExtractor

_X = RuleExtractor()

PERPETRATORS = [
    # a bomb or grenade with nobody named: unknown, not empty
    ("A car bomb went off near the grain silos in Manbij, wounding four civilians.", {"unknown"}),
    ("A hand grenade was thrown at a grocery in the town of Nawa, injuring the owner.", {"unknown"}),
    ("انفجرت عبوة ناسفة بسيارة مدنية على طريق بلدة الحراك ما أدى إلى إصابة رجلين.", {"unknown"}),
    ("An unidentified person threw a grenade at a pharmacy in Inkhil, injuring two men.", {"unknown"}),
    # bodies found with no killer named
    ("The bodies of two shepherds were found near the village of Maadan with gunshot wounds.", {"unknown"}),
    ("عُثر على جثتي شابين مقتولين بالرصاص قرب قرية الكرك الشرقي.", {"unknown"}),
    # a weapon only the government fields in Syria
    ("A barrel bomb fell on a school yard in the town of Kafr Zita, killing three children.", {"syrian-government"}),
    ("ألقى الطيران المروحي برميلين متفجرين على بلدة الهبيط ما أدى إلى مقتل امرأة.", {"syrian-government"}),
    # ISIS's morality police
    ("جلد عناصر الحسبة رجلين في ساحة مدينة الميادين بتهمة التدخين.", {"isis"}),
    # both sides of a clash, with nothing added for a force only backing it
    ("Heavy clashes broke out between the SDF and tribal fighters near the town of Diban, amid coalition air support.",
     {"sdf", "other"}),
    ("دارت اشتباكات عنيفة بين مقاتلي الجيش الحر وقوات النظام على أطراف بلدة مورك.", {"armed-opposition", "syrian-government"}),
    # a force backed by another's air power: the force itself acted (its backer may be added, never alone)
    ("Regime forces, backed by Russian airstrikes, took control of the village of Abu Dali.", {"syrian-government"}),
    # two parties joined by "and" share the agent phrase
    ("قُتل ستة مدنيين جراء غارات شنتها طائرات حربية تابعة للنظام السوري وروسيا على بلدة كفرومة.",
     {"syrian-government", "russia"}),
    # a sniper "of" a force: the force fired
    ("قُتل طفل برصاص قناص من قوات النظام في حي جوبر.", {"syrian-government"}),
]

EMPTY = [
    # an old mine or a remnant had no author who acted at the time
    "A child was injured when a landmine left over from the battles exploded near Tal Abyad.",
    "أصيب طفلان بانفجار لغم من مخلفات الحرب في ريف الرقة الشرقي.",
]


@pytest.mark.parametrize("text,expected", PERPETRATORS)
def test_perpetrator(text: str, expected: set[str]) -> None:
    incidents = _X.extract(text)
    assert incidents
    assert {p.actor for p in incidents[0].perpetrators} == expected


@pytest.mark.parametrize("text", EMPTY)
def test_no_perpetrator(text: str) -> None:
    incidents = _X.extract(text)
    assert incidents
    assert not incidents[0].perpetrators


def test_implied_side_is_suggested_with_its_rule() -> None:
    incident = _X.extract("A helicopter dropped two barrels on the market of Kafr Nabl, killing five people.")[0]
    assert [(p.actor, p.degree) for p in incident.perpetrators] == [("syrian-government", InvolvementDegree.SUSPECTED)]
    assert any(c.method == "rule:actor/implied-weapon" for c in incident.claims)


ROLES = [
    # a checkpoint or branch a force mans, where someone was stopped or taken: the force acted
    ("A university student was detained at the Air Force Intelligence checkpoint near Harasta.", {"syrian-government"}),
    ("A young man was arrested at a checkpoint of the Military Security on the road to Izraa.", {"syrian-government"}),
    ("اعتقل عناصر الحاجز التابع للفرقة الرابعة رجلين من أبناء بلدة الكسوة.", {"syrian-government"}),
    ("اعتقلوا ابن عمي عالحاجز تبع الأمن العسكري وهو راجع من الشغل.", {"syrian-government"}),
    # … but a checkpoint that was hit is the target, and one opening a sentence is its subject
    ("A car bomb exploded near an SDF checkpoint in the town of Shaddadi, wounding three fighters.", {"unknown"}),
    ("A checkpoint of the Republican Guard opened fire on a minibus near Qudsaya, killing its driver.",
     {"syrian-government"}),
    # demonyms the report only believes: "believed to be Russian", "يُعتقد أنها روسية"
    ("قصفت طائرات حربية يُعتقد أنها روسية مخبزاً في بلدة كفرسجنة ما أدى إلى مقتل ثلاثة مدنيين.", {"russia"}),
    ("استهدفت طائرات حربية، يرجّح ناشطون أنها روسية، مستوصفاً في قرية حزارين فقتل ممرض.", {"russia"}),
    ("Warplanes, believed by residents to be Russian, bombed a water station in Maarshourin, killing a guard.",
     {"russia"}),
    # the side that lost a take-over is no perpetrator of it
    ("أعلنت فصائل المعارضة السيطرة الكاملة على قرية الحويز بعد انهيار دفاعات قوات النظام فيها.", {"armed-opposition"}),
    ("تمكنت قوات النظام من السيطرة على بلدة الهبيط إثر انسحاب مقاتلي الجبهة الوطنية للتحرير منها.",
     {"syrian-government"}),
    ("Opposition factions took full control of the village of Tal Malah after the collapse of regime defences.",
     {"armed-opposition"}),
    ("Regime forces captured the town of Kafr Nabudah from rebel factions on Tuesday.", {"syrian-government"}),
    # the party that tells of the act is its source, not its author
    ("The SDF said a Turkish drone had struck one of its trucks near Tal Abyad, killing two of its fighters.", {"turkey"}),
    # the owner of the thing hit ("used by", "occupied by") is its target
    ("Israeli missiles struck an ammunition depot near Masyaf used by Iran-backed militias, killing four fighters.",
     {"israel"}),
]


def test_warning_about_any_act_is_no_attribution() -> None:
    """"held X responsible for any fire": a warning about acts to come names no author of this one."""
    text = ("Israeli tanks shelled a Syrian army post near Hader, wounding two soldiers. "
            "The Israeli army said it held the Syrian government responsible for any fire from its territory.")
    assert {p.actor for p in _X.extract(text)[0].perpetrators} == {"israel"}


@pytest.mark.parametrize("text,expected", [
    # the report names one side's aircraft: its later nameless air raid is that side's (suspected)
    ("Regime warplanes bombed the town of Kafr Zita at dawn. At noon, warplanes struck a market in Latamneh, "
     "killing four civilians.", "syrian-government"),
    ("قصف الطيران الحربي الروسي بلدة كفرنبل صباحاً. وفي المساء شنت طائرات حربية غارات على بلدة حيش "
     "ما أدى إلى مقتل طفلين.", "russia"),
])
def test_nameless_air_raid_of_the_one_air_force_named(text: str, expected: str) -> None:
    last = _X.extract(text)[-1]
    assert [(p.actor, p.degree) for p in last.perpetrators] == [(expected, InvolvementDegree.SUSPECTED)]
    assert any(c.method == "rule:actor/report-air-force" for c in last.claims)


@pytest.mark.parametrize("text", [
    # no side named, or two air forces named: nobody is guessed
    "Warplanes struck a market in the town of Saraqib, killing seven civilians.",
    "شن الطيران الحربي غارات على بلدة كفرنبل ما أدى إلى مقتل طفلين.",
    "Russian jets bombed Ariha in the morning while regime helicopters dropped barrels on Kansafra. "
    "Later, warplanes struck a school in Maarat Misrin, killing a teacher.",
])
def test_nameless_air_raid_stays_unattributed(text: str) -> None:
    assert not _X.extract(text)[-1].perpetrators


@pytest.mark.parametrize("text,expected", ROLES)
def test_role_of_named_party(text: str, expected: set[str]) -> None:
    incidents = _X.extract(text)
    assert incidents
    assert {p.actor for p in incidents[0].perpetrators} == expected


def test_post_struck_is_no_agent() -> None:
    """A shell on a checkpoint is not fired by its guards."""
    incidents = _X.extract("Regime artillery shelled a checkpoint of the opposition factions near Kafr Nabl.")
    assert incidents and {p.actor for p in incidents[0].perpetrators} == {"syrian-government"}


@pytest.mark.parametrize("text,expected", [
    # states named by their leaders are the parties to an agreement, even in a setting clause
    ("The Turkish and Russian presidents reached an agreement in Sochi on a ceasefire along the front lines.",
     {"turkey", "russia"}),
    ("ساد الهدوء جبهات ريف حماة بعد أن توصل الرئيسان الروسي والتركي إلى اتفاق يقضي بوقف الأعمال القتالية.",
     {"russia", "turkey"}),
    # the regime's security committee negotiates settlements
    ("The town's notables said an agreement was reached with the Russian side and the security committee, "
     "providing for a ceasefire.", {"russia", "syrian-government"}),
    # a statement's "we" is its issuer, named in its heading
    ("بيان صادر عن قيادة جيش الإسلام\nتوصلنا مساء أمس إلى اتفاق مع الجانب الروسي يقضي بخروج المقاتلين من دوما.",
     {"armed-opposition", "russia"}),
    ("Statement of the General Command of the Syrian Democratic Forces\nLast night we reached an agreement with the "
     "Syrian government to deploy army units along the border.", {"sdf", "syrian-government"}),
])
def test_agreement_parties_named_indirectly(text: str, expected: set[str]) -> None:
    agreements = [i for i in _X.extract(text) if i.event_type == "agreement"]
    assert agreements and {p.actor for p in agreements[0].perpetrators} == expected


@pytest.mark.parametrize("text", [
    # testimony: a kin object may come between the verb and its subject
    "اعتقلوا أخي عناصر من المخابرات الجوية من البيت بنص الليل.",
    "خطفوا ابن عمي عناصر من الفرقة الرابعة عالطريق لبيروت.",
])
def test_testimony_subject_after_kin_object(text: str) -> None:
    assert {p.actor for p in _X.extract(text)[0].perpetrators} == {"syrian-government"}


@pytest.mark.parametrize("text,expected", [
    # a crowd of no named group is "other" (ACLED's rioters)
    ("A crowd of villagers beat to death a man accused of stealing sheep in the town of Sarmin.", {"other"}),
    ("هاجمت حشود من الشبان الغاضبين مقر المجلس المحلي في بلدة الصنمين وأحرقوا محتوياته.", {"other"}),
    # fire coming from a side's positions or the area it holds is that side's
    ("سقطت أربع قذائف هاون على حي القصاع، مصدرها مواقع فصائل المعارضة في حي جوبر، ما أدى إلى مقتل امرأة.",
     {"armed-opposition"}),
    ("A sniper shot a boy in the neck from the buildings held by the regime in the old city of Daraa, killing him.",
     {"syrian-government"}),
])
def test_crowds_and_fire_from_held_positions(text: str, expected: set[str]) -> None:
    assert {p.actor for p in _X.extract(text)[0].perpetrators} == expected


@pytest.mark.parametrize("text,expected", [
    # nobody claimed it: one side accusing another names no author
    ("أصيب خمسة مدنيين بانفجار سيارة مفخخة في سوق مدينة الباب، ولم تتبن أي جهة التفجير، في حين اتهمت الحكومة "
     "التركية وحدات حماية الشعب بالوقوف وراءه.", {"unknown"}),
    ("A car bomb wounded six people in the market of Azaz; no group has claimed it, while Turkey accused the YPG.",
     {"unknown"}),
    # the accuser is never the author; a person "accused of" links is no accusation by the force that acted
    ("A car bomb killed four civilians in Jarablus. Turkey accused the YPG of carrying out the attack.", {"sdf"}),
    ("Regime forces arrested a man accused of links to ISIS in the town of Sanamayn.", {"syrian-government"}),
])
def test_accusations(text: str, expected: set[str]) -> None:
    assert {p.actor for p in _X.extract(text)[0].perpetrators} == expected


@pytest.mark.parametrize("text,expected", [
    # a group's statement: "our artillery", "مدفعيتنا" is the issuer's, named in the heading
    ("Jaysh al-Islam – Media Office\nStatement on the fighting in Eastern Ghouta\nOur artillery shelled the "
     "gatherings of the regime militias in the town of Harasta, killing several of them.", {"armed-opposition"}),
    ("الإعلام الحربي لهيئة تحرير الشام\nاستهدفت مدفعيتنا تجمعات ميليشيات النظام في قرية جورين بعشرات القذائف.",
     {"hts"}),
])
def test_first_person_acts_of_a_statement_issuer(text: str, expected: set[str]) -> None:
    incidents = _X.extract(text)
    assert {p.actor for p in incidents[0].perpetrators} == expected
    assert any(c.method == "rule:actor/issuer/first-person" for c in incidents[0].claims)


def test_first_person_outside_a_statement_names_nobody() -> None:
    """A witness's "we" in a news report is no party."""
    text = ("Residents of Harasta told our correspondent that shells fell on their street at dawn. "
            "\"We ran to the basement,\" one said, after a shell hit a bakery and killed two workers.")
    assert all(p.actor not in {"armed-opposition", "hts"} for i in _X.extract(text) for p in i.perpetrators)


@pytest.mark.parametrize("text,expected", [
    # "the organization", "التنظيم" stand for the group last named by a name holding that noun, whatever
    # its role there, never for a state the report is about
    ("قصفت قوات النظام بلدة الصالحية بعد أشهر من سيطرة تنظيم الدولة الإسلامية عليها، وقال الجيش السوري إنه سيتقدم.\n"
     "وفي وقت لاحق، قُتل خمسة مدنيين بقذائف أطلقها عناصر التنظيم على حي الحميدية في مدينة الميادين.", {"isis"}),
    ("Regime forces shelled the town after months of control by the Islamic State organization, the Syrian army said.\n"
     "Later, four civilians were killed in the Hamidiya district when the organization shelled it with mortars.", {"isis"}),
    # a nameless generic "of the organization" is that group
    ("دير الزور: أعدم عناصر من تنظيم داعش شاباً في بلدة الشحيل.\n"
     "درعا: اشتباكات بين فصائل من الجيش الحر وقوات النظام في بلدة نوى.\n"
     "الرقة: اختطف مسلحون من التنظيم أربعة رعاة من قرية الكرامة واقتادوهم إلى جهة مجهولة.", {"isis"}),
])
def test_the_group_named_by_its_noun(text: str, expected: set[str]) -> None:
    last = _X.extract(text)[-1]
    assert {p.actor for p in last.perpetrators} == expected


@pytest.mark.parametrize("text,expected", [
    # cells "belonging to" a group right after the act verb are its subject; the post hit is the target's
    ("هاجمت خلايا تابعة لتنظيم داعش حاجزاً لقوات النظام قرب بلدة معدان، ما أدى إلى مقتل عنصرين.", {"isis"}),
    ("هاجمت خلايا تابعة لتنظيم داعش موقعاً لقوات سوريا الديمقراطية في بلدة ذيبان، ما أدى إلى مقتل عنصرين.", {"isis"}),
    # state media's names for Israel
    ("نفذ العدو الإسرائيلي عدواناً جوياً بالصواريخ على محيط مدينة القنيطرة.", {"israel"}),
    ("The Israeli enemy carried out an air aggression with missiles on the outskirts of Quneitra.", {"israel"}),
])
def test_cells_after_the_verb_and_israel_named_as_enemy(text: str, expected: set[str]) -> None:
    assert {p.actor for p in _X.extract(text)[0].perpetrators} == expected
