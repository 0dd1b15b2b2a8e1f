"""Synthetic reports of incidents told several times, in English and Arabic, with near misses: linkage ground truth.

    .venv/bin/python benchmarks/incident_reports.py --events 300 --seed 7 --out /tmp/reports.jsonl

Each *event* (a strike, a shelling, an explosion, a wave of arrests) happens
at a town of the shipped gazetteer on a day between 2012 and 2020, and is
told by 1-4 sources, each in English or Arabic, each in its own words: one
of several templates per language (different verbs and word order), a count
that differs between sources ("at least 12", "14", "nearly 15", or none),
a date given to the day or only as part of a month ("early March 2016"), a
place named as the town or only as its governorate's countryside.

Near misses are events of their own: the same type at the same town on
another day (2-30 days apart), or on the same day at another town of the
same governorate. Every report carries its event's id: two reports are the
same event exactly when their ids are equal.

The templates were written from how Syrian monitoring groups phrase such
reports, before the linker was measured and without looking at its
comparisons; they must not be tuned to the linker's results.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from tawthiq.extract.gazetteer import Gazetteer, Place

FIRST_DAY = date(2012, 1, 1)
LAST_DAY = date(2020, 12, 31)

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
MONTHS_AR = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
             "تشرين الثاني", "كانون الأول"]

# kind -> (actors it is told of, with an English and an Arabic phrase for each)
ACTORS: dict[str, list[tuple[str, str]]] = {
    "air": [("Syrian regime warplanes", "طيران النظام الحربي"), ("Russian warplanes", "الطائرات الحربية الروسية"),
            ("government helicopters", "مروحيات النظام")],
    "shelling": [("regime forces", "قوات النظام"), ("government artillery", "مدفعية قوات الأسد"),
                 ("Turkish artillery", "المدفعية التركية")],
    "ied": [("ISIS", "تنظيم داعش"), ("unknown gunmen", "مجهولون")],
    "arrest": [("regime security forces", "الأجهزة الأمنية التابعة للنظام"),
               ("the Syrian Democratic Forces", "قوات سوريا الديمقراطية")],
}


@dataclass
class Event:
    id: int
    kind: str  # air, shelling, ied, arrest
    town: str  # gazetteer id
    day: str  # ISO date
    actor: int  # index into ACTORS[kind]
    count: int
    near_miss_of: int | None = None


@dataclass
class Report:
    event_id: int
    language: str
    text: str
    date_precision: str  # day or month
    place_precision: str  # town or governorate


def towns(gazetteer: Gazetteer) -> list[Place]:
    """Towns with an English and an Arabic name, a governorate, and enough people to be reported on."""
    chosen = [p for p in gazetteer.places if p.level == "town" and p.name_ar and p.name_en and p.governorate
              and p.population >= 10000 and p.governorate_id not in ("sy-damascus",)]
    return sorted(chosen, key=lambda p: p.id)


def make_events(rng: random.Random, places: list[Place], n: int, *, near_miss_share: float) -> list[Event]:
    by_gov: dict[str, list[Place]] = {}
    for p in places:
        by_gov.setdefault(p.governorate_id, []).append(p)
    events: list[Event] = []
    span = (LAST_DAY - FIRST_DAY).days
    kinds = ["air"] * 4 + ["shelling"] * 3 + ["ied"] + ["arrest"] * 2
    while len(events) < n:
        place = rng.choice(places)
        kind = rng.choice(kinds)
        day = FIRST_DAY + timedelta(days=rng.randrange(span))
        ev = Event(id=len(events) + 1, kind=kind, town=place.id, day=day.isoformat(),
                   actor=rng.randrange(len(ACTORS[kind])), count=_count(rng, kind))
        events.append(ev)
        if rng.random() < near_miss_share and len(events) < n:
            if rng.random() < 0.5:  # the same town, another day
                other_day = day + timedelta(days=rng.choice([-1, 1]) * rng.randint(2, 30))
                twin = Event(id=len(events) + 1, kind=kind, town=place.id, day=other_day.isoformat(),
                             actor=rng.randrange(len(ACTORS[kind])), count=_count(rng, kind), near_miss_of=ev.id)
            else:  # the same day, another town of the governorate
                others = [p for p in by_gov[place.governorate_id] if p.id != place.id]
                if not others:
                    continue
                twin = Event(id=len(events) + 1, kind=kind, town=rng.choice(others).id, day=day.isoformat(),
                             actor=rng.randrange(len(ACTORS[kind])), count=_count(rng, kind), near_miss_of=ev.id)
            events.append(twin)
    return events


def _count(rng: random.Random, kind: str) -> int:
    return rng.randint(3, 60) if kind == "arrest" else rng.choice([rng.randint(1, 9), rng.randint(2, 40)])


def reported_count(rng: random.Random, true: int) -> tuple[str, int | None, str]:
    """How one source gives the count: (form, number, qualifier)."""
    roll = rng.random()
    if roll < 0.1:
        return "none", None, ""
    if roll < 0.5:
        return "exact", true, ""
    if roll < 0.7:
        return "at_least", max(1, true - rng.randint(0, max(1, true // 4))), "at least"
    if roll < 0.85:
        return "exact", max(1, true + rng.choice([-2, -1, 1, 2, 3])), ""
    return "about", true + rng.randint(0, 2), "nearly"


def date_phrase(rng: random.Random, day: date, language: str) -> tuple[str, str]:
    if rng.random() < 0.8:
        if language == "en":
            form = rng.choice([f"on {day.day} {MONTHS_EN[day.month - 1]} {day.year}",
                               f"on {MONTHS_EN[day.month - 1]} {day.day}, {day.year}",
                               f"on {day.day}/{day.month}/{day.year}"])
        else:
            form = rng.choice([f"يوم {day.day} {MONTHS_AR[day.month - 1]} {day.year}",
                               f"بتاريخ {day.day}/{day.month}/{day.year}",
                               f"في {day.day} {MONTHS_AR[day.month - 1]} من عام {day.year}"])
        return form, "day"
    part = "early" if day.day <= 10 else "mid" if day.day <= 20 else "late"
    if language == "en":
        form = rng.choice([f"in {part} {MONTHS_EN[day.month - 1]} {day.year}",
                           f"in {MONTHS_EN[day.month - 1]} {day.year}"])
    else:
        word = {"early": "مطلع", "mid": "منتصف", "late": "أواخر"}[part]
        form = rng.choice([f"في {word} شهر {MONTHS_AR[day.month - 1]} {day.year}",
                           f"خلال شهر {MONTHS_AR[day.month - 1]} {day.year}"])
    return form, "month"


def place_phrase(rng: random.Random, town: Place, gov: Place, language: str) -> tuple[str, str]:
    if rng.random() < 0.8:
        if language == "en":
            return rng.choice([f"{town.name_en}", f"the town of {town.name_en}",
                               f"{town.name_en} in {town.governorate} countryside"]), "town"
        return rng.choice([f"مدينة {town.name_ar}", f"بلدة {town.name_ar}",
                           f"{town.name_ar} بريف {gov.name_ar}"]), "town"
    if language == "en":
        return rng.choice([f"the {gov.name_en} countryside", f"rural {gov.name_en}"]), "governorate"
    return f"ريف {gov.name_ar}", "governorate"


def victims_phrase(form: str, n: int | None, qual: str, kind: str, language: str, rng: random.Random) -> str:
    if language == "en":
        who = "people" if kind == "arrest" else rng.choice(["civilians", "civilians, among them children", "people"])
        if form == "none":
            return "several " + ("young men" if kind == "arrest" else "civilians")
        return f"{qual + ' ' if qual else ''}{n} {who}"
    who = "أشخاص" if kind == "arrest" else rng.choice(["مدنيين", "مدنيين بينهم أطفال", "مدنياً"])
    if form == "none":
        return "عدد من " + ("الشبان" if kind == "arrest" else "المدنيين")
    qual_ar = {"at least": "ما لا يقل عن", "nearly": "نحو", "": ""}[qual]
    return f"{qual_ar + ' ' if qual_ar else ''}{n} {who}"


def report_text(rng: random.Random, ev: Event, language: str, gazetteer: Gazetteer) -> Report:
    town = gazetteer.get(ev.town)
    assert town is not None
    gov = gazetteer.get(town.governorate_id)
    assert gov is not None
    day = date.fromisoformat(ev.day)
    when, dprec = date_phrase(rng, day, language)
    where, pprec = place_phrase(rng, town, gov, language)
    form, n, qual = reported_count(rng, ev.count)
    victims = victims_phrase(form, n, qual, ev.kind, language, rng)
    actor_en, actor_ar = ACTORS[ev.kind][ev.actor]
    t = _templates(ev.kind, language)
    actor = actor_en if language == "en" else actor_ar
    text = rng.choice(t).format(when=when, where=where, victims=victims, actor=actor)
    text = text[0].upper() + text[1:]
    return Report(event_id=ev.id, language=language, text=text, date_precision=dprec, place_precision=pprec)


def _templates(kind: str, language: str) -> list[str]:
    en = {
        "air": [
            "{actor} carried out air strikes on {where} {when}, killing {victims}.",
            "{when}, {victims} were killed when {actor} bombed a residential neighbourhood in {where}.",
            "An air raid by {actor} on a market in {where} {when} left {victims} dead, local activists said.",
            "Local sources reported that {victims} died {when} after {actor} targeted {where} with missiles.",
            "{victims} lost their lives in an airstrike by {actor} that hit {where} {when}.",
        ],
        "shelling": [
            "{actor} shelled {where} {when}, killing {victims}.",
            "{when}, artillery shelling by {actor} on {where} killed {victims}.",
            "{victims} were killed by rocket fire from {actor} that struck {where} {when}.",
            "Activists documented the death of {victims} in {where} {when} as {actor} pounded the area with mortars.",
        ],
        "ied": [
            "A car bomb exploded in {where} {when}, killing {victims}; {actor} was behind it.",
            "{when}, an explosive device planted by {actor} went off in {where}, killing {victims}.",
            "{victims} were killed {when} when an IED detonated near a mosque in {where}.",
        ],
        "arrest": [
            "{actor} arrested {victims} in a raid on {where} {when}.",
            "{when}, {actor} detained {victims} at checkpoints around {where}.",
            "A campaign of arrests by {actor} in {where} {when} led to the detention of {victims}.",
        ],
    }
    ar = {
        "air": [
            "قتل {victims} جراء غارات جوية شنها {actor} على {where} {when}.",
            "{when} استهدف {actor} {where} بالصواريخ، ما أدى إلى مقتل {victims}.",
            "ارتقى {victims} في قصف جوي نفذه {actor} على سوق شعبي في {where} {when}.",
            "أفاد ناشطون بمقتل {victims} {when} بغارة جوية من {actor} استهدفت {where}.",
            "سقط {victims} قتلى إثر غارة لـ{actor} على حي سكني في {where} {when}.",
        ],
        "shelling": [
            "قتل {victims} بقصف مدفعي لـ{actor} على {where} {when}.",
            "{when} قصفت {actor} {where} بقذائف الهاون، ما أسفر عن مقتل {victims}.",
            "وثق ناشطون مقتل {victims} جراء قصف صاروخي من {actor} طال {where} {when}.",
            "استشهد {victims} {when} إثر قصف بالمدفعية نفذته {actor} على {where}.",
        ],
        "ied": [
            "انفجرت سيارة مفخخة في {where} {when}، ما أدى إلى مقتل {victims}.",
            "{when} قتل {victims} بانفجار عبوة ناسفة زرعتها {actor} في {where}.",
            "لقي {victims} حتفهم بانفجار عبوة ناسفة قرب مسجد في {where} {when}.",
        ],
        "arrest": [
            "اعتقلت {actor} {victims} خلال حملة مداهمات في {where} {when}.",
            "{when} شنت {actor} حملة اعتقالات في {where} طالت {victims}.",
            "اعتقال {victims} على يد {actor} عند حواجز {where} {when}.",
        ],
    }
    return (en if language == "en" else ar)[kind]


def generate(*, events: int, seed: int, near_miss_share: float = 0.3) -> tuple[list[Event], list[Report]]:
    rng = random.Random(seed)
    gazetteer = Gazetteer.load()
    evs = make_events(rng, towns(gazetteer), events, near_miss_share=near_miss_share)
    reports: list[Report] = []
    for ev in evs:
        for _ in range(rng.choice([1, 2, 2, 3, 3, 4])):
            reports.append(report_text(rng, ev, rng.choice(["en", "ar"]), gazetteer))
    rng.shuffle(reports)
    return evs, reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    evs, reports = generate(events=args.events, seed=args.seed)
    with args.out.open("w", encoding="utf-8") as f:
        for r in reports:
            f.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")
    print(f"{len(evs)} events ({sum(e.near_miss_of is not None for e in evs)} near misses), "
          f"{len(reports)} reports -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
