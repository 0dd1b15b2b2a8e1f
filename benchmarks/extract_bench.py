#!/usr/bin/env python3
"""Extraction speed and peak memory over generated ~4 KB reports, on one core.

    .venv/bin/python benchmarks/extract_bench.py [--reports 1000] [--language en|ar] [--seed 1]
    .venv/bin/python benchmarks/extract_bench.py --corpus ../shared/eval/dev.yaml benchmarks/heldout/set-a/*.yaml

Reports are generated from sentence templates filled with actors, places,
numbers and dates drawn at random (seeded), padded with background prose to
about 4 KB, so that the extractor meets the mix of incident sentences and
filler it sees in real reports. Template text is kinder than real text, so
``--corpus`` builds the reports instead from real ones (the development set
and held-out sets, in the scorer's YAML format): reports of the chosen
language, drawn at random (seeded) and joined with blank lines until each is
about ``--size`` characters. Prints reports/second, KB/second, incidents
found and the process's peak resident memory (ru_maxrss).
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import time
from datetime import date

EN_INCIDENTS = [
    "On {day} {month} {year}, {actor} warplanes struck the town of {place}, killing {n} civilians, including {m} children.",
    "{actor_cap} shelled residential neighbourhoods of {place} with artillery, wounding {n} people on {weekday}.",
    "Unidentified gunmen kidnapped a {victim} in {place} and demanded a ransom of {money} dollars.",
    "{actor_cap} arrested {n} young men at a checkpoint near {place} during a raid on {weekday}.",
    "An improvised explosive device exploded in the market of {place}, killing {n} civilians and injuring {m} others.",
    "A landmine exploded near the village of {place}, killing a shepherd and injuring his son.",
    "Clashes broke out between {actor} and {actor2} on the outskirts of {place}, leaving {n} fighters dead.",
    "{actor_cap} looted the contents of houses in {place} after residents fled the fighting.",
    "Helicopters dropped barrel bombs on {place} on {day} {month}, killing {n} civilians.",
]
EN_FILLER = [
    "The humanitarian situation in the area has deteriorated in recent months, according to local activists.",
    "Residents said that prices of bread and fuel have risen sharply since the beginning of the year.",
    "The organisation documents violations committed by all parties to the conflict in a professional way.",
    "Local councils have appealed to international organisations to provide medical supplies to the hospitals.",
    "Communications in the region remain poor, and the information could not be independently verified.",
    "Many families have moved to the camps along the border, where conditions in winter are harsh.",
    "Schools in several villages have been closed for weeks, and teachers have not received their salaries.",
]
AR_INCIDENTS = [
    "قتل {n_ar} مدنيين وأصيب آخرون جراء غارة جوية لطائرة حربية {actor_ar} استهدفت بلدة {place_ar} يوم {weekday_ar}.",
    "اعتقلت {actor_ar_noun} {n_ar} شباب على حاجز في مدينة {place_ar}.",
    "اختطف مسلحون مجهولون طبيباً من بلدة {place_ar} وطالبوا ذويه بفدية مالية.",
    "سقط برميلان متفجران على حي في مدينة {place_ar}، ما أدى إلى مقتل {n_ar} مدنيين.",
]
AR_FILLER = [
    "وتشهد المنطقة أوضاعاً إنسانية صعبة في ظل ارتفاع الأسعار وانقطاع الكهرباء لساعات طويلة.",
    "ويوثق الفريق الانتهاكات التي ترتكبها جميع الأطراف بحق المدنيين بشكل مهني.",
    "وناشد المجلس المحلي المنظمات الدولية تقديم المساعدات الطبية للمشافي الميدانية.",
]
EN_ACTORS = ["Russian", "regime", "Turkish", "coalition", "government", "Syrian army"]
AR_ACTORS = ["روسية", "تابعة للنظام"]
AR_ACTOR_NOUNS = ["قوات النظام", "هيئة تحرير الشام", "قوات سوريا الديمقراطية"]
AR_NUMBERS = ["ثلاثة", "خمسة", "سبعة", "عشرة", "أربعة"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
AR_WEEKDAYS = ["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
VICTIMS = ["doctor", "pharmacist", "teacher", "media activist", "child"]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def place_names() -> tuple[list[str], list[str]]:
    """Town names from the shipped gazetteer, so generated reports name real places."""
    from tawthiq.extract.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    towns = [p for p in gaz.places if p.level in ("town", "subdistrict")]
    return [p.name_en for p in towns if p.name_en], [p.name_ar for p in towns if p.name_ar]


def make_report(rng: random.Random, *, language: str, places: tuple[list[str], list[str]], size: int) -> str:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        if rng.random() < 0.4:
            if language == "ar":
                parts.append(rng.choice(AR_INCIDENTS).format(
                    n_ar=rng.choice(AR_NUMBERS), actor_ar=rng.choice(AR_ACTORS),
                    actor_ar_noun=rng.choice(AR_ACTOR_NOUNS), place_ar=rng.choice(places[1]),
                    weekday_ar=rng.choice(AR_WEEKDAYS)))
            else:
                actor = rng.choice(EN_ACTORS)
                parts.append(rng.choice(EN_INCIDENTS).format(
                    actor=actor, actor_cap=actor[0].upper() + actor[1:] + " forces", actor2="opposition fighters",
                    place=rng.choice(places[0]), n=rng.randint(2, 40), m=rng.randint(1, 9),
                    day=rng.randint(1, 28), month=rng.choice(MONTHS), year=rng.randint(2012, 2023),
                    weekday=rng.choice(WEEKDAYS), victim=rng.choice(VICTIMS), money=rng.randint(5, 90) * 1000))
        else:
            parts.append(rng.choice(AR_FILLER if language == "ar" else EN_FILLER))
    return " ".join(parts)


def corpus_reports(paths: list[str], *, language: str, size: int, count: int, rng: random.Random) -> list[str]:
    """``count`` reports of about ``size`` characters, each real reports of ``language`` joined at random."""
    import yaml

    texts: list[str] = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            texts += [str(c["text"]) for c in yaml.safe_load(f)["cases"] if c.get("lang", language) == language]
    if not texts:
        raise SystemExit(f"no {language} report in {', '.join(paths)}")
    out: list[str] = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 2 for p in parts) < size:
            parts.append(rng.choice(texts))
        out.append("\n\n".join(parts))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--size", type=int, default=4096, help="approximate characters per report")
    ap.add_argument("--language", choices=["en", "ar"], default="en")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", nargs="+", default=None, metavar="CASES.yaml",
                    help="build the reports from these real reports (the scorer's YAML) instead of templates")
    args = ap.parse_args(argv)

    from tawthiq.extract.contract import default_extractor

    rng = random.Random(args.seed)
    if args.corpus:
        reports = corpus_reports(args.corpus, language=args.language, size=args.size, count=args.reports, rng=rng)
    else:
        places = place_names()
        reports = [make_report(rng, language=args.language, places=places, size=args.size)
                   for _ in range(args.reports)]
    total_bytes = sum(len(r.encode("utf-8")) for r in reports)

    extractor = default_extractor()
    extractor.extract(reports[0], language=args.language, published=date(2020, 1, 1))  # load lexicons once
    found = 0
    t0 = time.perf_counter()
    for report in reports:
        found += len(extractor.extract(report, language=args.language, published=date(2020, 1, 1)))
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"machine: {cpu_model()} ({platform.machine()}, {os.cpu_count()} cores), Python {platform.python_version()}")
    print(f"date: {date.today().isoformat()}")
    print(f"corpus: {'real reports joined: ' + ', '.join(args.corpus) if args.corpus else 'templates'}")
    print(f"reports: {len(reports)} ({args.language}), mean size {total_bytes / len(reports) / 1024:.1f} KB")
    print(f"incidents found: {found}")
    print(f"elapsed: {elapsed:.2f} s")
    print(f"reports/second: {len(reports) / elapsed:.1f}")
    print(f"KB/second: {total_bytes / 1024 / elapsed:.0f}")
    print(f"peak memory (RSS): {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
