"""Named victims in reports: the extractor takes names only in victim contexts, with their exact spans.

Cases of our own (the held-out set in tests/data/named_victims_heldout.yaml is
scored by benchmarks/named_victims_heldout.py, not here): names after list
openers, as objects of harm words and after victims' titles, in English and
Arabic, with age, sex and outcome; and look-alikes where nothing may come
out (places, armed groups, "Abu" + a place, a spokesman, a byline).
"""
from __future__ import annotations

import pytest

from tawthiq.domain import Incident
from tawthiq.domain.enums import Sex, VictimOutcome
from tawthiq.extract.contract import incident_to_contract
from tawthiq.extract.engine import RuleExtractor

EXTRACTOR = RuleExtractor()


def _named(text: str) -> list:
    incidents = EXTRACTOR.extract(text)
    assert incidents, "the report has an incident for the names to belong to"
    return [p for incident in incidents for p in incident.named]


def _names(text: str) -> list[str]:
    return [p.name for p in _named(text)]


POSITIVE = [
    # (report, [(name, age, sex, outcome)])
    ("Regime warplanes struck Khan Shaykhun on 2 May 2019, killing four civilians, among them Yasser al-Ahmad, 14, "
     "and his sister Huda.",
     [("Yasser al-Ahmad", 14, None, "killed"), ("Huda", None, "female", "killed")]),
    ("Government forces arrested Bilal Darwish and his brother Omar at a checkpoint in Hama on 1 June 2014.",
     [("Bilal Darwish", None, None, "detained"), ("Omar", None, "male", "detained")]),
    ("ISIS militants kidnapped the activist Hussam Mahmoud in al-Mayadin on 3 July 2015.",
     [("Hussam Mahmoud", None, None, "abducted")]),
    ("Russian jets bombed a market in Ariha on 12 May 2019, killing six civilians. Among the dead were Nour Hamdan "
     "and her 3-year-old daughter Rahaf.",
     [("Nour Hamdan", None, None, "killed"), ("Rahaf", 3, "female", "killed")]),
    ("Witnesses said Tarek Hamdan, aged 22, was shot dead by a sniper in Bustan al-Qasr on 3 May 2013.",
     [("Tarek Hamdan", 22, None, "killed")]),
    ("The body of Ahmad Khalil, 30, was found in Aleppo on 2 March 2014; he had been shot dead by regime snipers.",
     [("Ahmad Khalil", 30, None, "killed")]),
    ("قضى المعتقل علي حسن الأسعد، 38 عاماً، تحت التعذيب في سجن صيدنايا يوم 3 نيسان 2015.",
     [("علي حسن الأسعد", 38, "male", "killed")]),
    ("قتل أربعة مدنيين بقصف على بلدة كفرزيتا في 2 أيار 2019 بينهم الطفلة ريم خالد العمر (تسع سنوات) والشاب أنس محمد.",
     [("ريم خالد العمر", 9, "female", "killed"), ("أنس محمد", None, "male", "killed")]),
    ("اعتقلت قوات الأمن المواطن ماهر عبد الكريم الحسين في مدينة حماة يوم 5 آب 2012.",
     [("ماهر عبد الكريم الحسين", None, "male", "detained")]),
    ("استشهد الشاب عبد الله ياسين الأحمد برصاص قناص في حي جوبر بدمشق في 7 شباط 2013.",
     [("عبد الله ياسين الأحمد", None, "male", "killed")]),
    ("أعدم تنظيم داعش ثلاثة شبان في مدينة الميادين يوم 9 تموز 2015، وهم: سامر عيسى الحمد وعمار حسين العلي ووليد خلف.",
     [("سامر عيسى الحمد", None, None, "killed"), ("عمار حسين العلي", None, None, "killed"),
      ("وليد خلف", None, None, "killed")]),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE, ids=[f"positive-{i}" for i in range(len(POSITIVE))])
def test_names_in_victim_contexts(text: str, expected: list) -> None:
    named = _named(text)
    assert [p.name for p in named] == [e[0] for e in expected]
    for person, (name, age, sex, outcome) in zip(named, expected):
        assert person.span.quote == name == text[person.span.start:person.span.end]
        assert person.age == age
        assert person.sex == (Sex(sex) if sex else Sex.UNKNOWN)
        assert person.outcome == VictimOutcome(outcome)
        assert person.method.startswith("rule:named/")


TRAPS = [
    "Shelling hit Abu Kamal on 3 March 2018, killing 7 civilians, including women from Hajin.",
    "Activist Ahmad Primo said 12 people were killed when jets struck Kafr Batna on 4 January 2018.",
    "Hayat Tahrir al-Sham arrested Free Syrian Army fighters in Atarib on 5 May 2018.",
    "By Anne Barnard. Government helicopters dropped barrel bombs on Daraya on 1 June 2015, killing 10 civilians, "
    "including Mohammed's two sons.",
    "Air strikes killed 9 people in Saraqib on 6 June 2016, among them Idlib Health Directorate staff.",
    "An air strike killed 5 civilians in Maarat al-Numan on 2 March 2017, among them people displaced from Abu al-Duhur.",
    "Shelling killed 3 civilians in Damascus on 3 May 2015, including Jamal Pasha Street residents.",
    "Regime shelling on Douma on 3 May 2015 killed 3 civilians, a killing mourned by many, including Dr. Rami Haddad.",
    "قتل 5 مدنيين بينهم 3 أطفال في قصف على مدينة البوكمال في 3 آذار 2018.",
    "أفاد الناشط الإعلامي محمد الشامي بمقتل 4 مدنيين في قصف على بلدة كفرنبل يوم 2 نيسان 2017.",
    "اعتقلت هيئة تحرير الشام عناصر من الجيش الحر في ريف حلب الغربي يوم 5 أيار 2018.",
    "قتل مدنيان بينهم امرأة من أهالي بلدة معرة النعمان في 3 شباط 2016.",
    "قصفت قوات النظام بلدة أبو الظهور في 20 كانون الثاني 2018 ما أدى إلى مقتل 3 مدنيين بينهم أبو الظهور.",
]


@pytest.mark.parametrize("text", TRAPS, ids=[f"trap-{i}" for i in range(len(TRAPS))])
def test_look_alikes_give_no_name(text: str) -> None:
    assert _names(text) == []


def test_a_name_is_kept_exactly_as_written_marks_and_all() -> None:
    text = "استشهد الطفل مُحمّد أحمد العلي (١٢ عاماً) في قصف على مدينة دوما يوم 3 آذار 2015."
    (person,) = _named(text)
    assert person.name == "مُحمّد أحمد العلي"
    assert person.age == 12  # Arabic-Indic digits read, the name's marks untouched


def test_ages_in_their_usual_shapes() -> None:
    text = ("Government shelling killed five civilians in Douma on 2 February 2015, among them Samer Khalil, aged 40, "
            "Hiba Nasser (8) and the 15-year-old boy Ziad Omar.")
    assert [(p.name, p.age) for p in _named(text)] == [("Samer Khalil", 40), ("Hiba Nasser", 8), ("Ziad Omar", 15)]
    arabic = "قتل ثلاثة مدنيين بقصف على مدينة إدلب في 4 آذار 2016 بينهم المسنة خديجة علي البكري البالغة من العمر 70 عاماً."
    (person,) = _named(arabic)
    assert (person.name, person.age, person.sex) == ("خديجة علي البكري", 70, Sex.FEMALE)


def test_the_body_of_a_detainee_is_a_death() -> None:
    text = "تم التعرف على جثة المعتقل عمار أحمد الشيخ الذي قضى تحت التعذيب في فرع الأمن العسكري بدمشق في أيار 2014."
    (person,) = _named(text)
    assert person.name == "عمار أحمد الشيخ" and person.outcome is VictimOutcome.KILLED


def test_a_list_stops_at_a_speaker() -> None:
    text = ("A barrel bomb killed 6 civilians in Tafas on 5 May 2016, among them two children and Yasser Omar, "
            "said Dr. Bashar Hamdan, who treated the wounded.")
    assert _names(text) == ["Yasser Omar"]


def test_a_name_without_an_act_is_not_recorded() -> None:
    # no incident to belong to: the report tells of no act
    assert EXTRACTOR.extract("Among them were Yasser Omar and Hiba Nasser.") == []


def test_the_contract_output_has_no_names() -> None:
    text = POSITIVE[0][0]
    (incident,) = EXTRACTOR.extract(text)
    assert incident.named
    shape = incident_to_contract(incident)
    bare = incident_to_contract(Incident(event_type=incident.event_type))
    assert set(shape) == set(bare)  # the contract's fields, and no field for names
    assert "named" not in shape and "persons" not in shape
