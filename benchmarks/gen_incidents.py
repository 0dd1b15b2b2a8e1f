"""Build a large, realistic database for load tests: ``--count`` incidents with their sources.

    .venv/bin/python benchmarks/gen_incidents.py --count 100000 --db bench/incidents.db

Everything is drawn from the project's own vocabularies (event types,
violations, actors) and the shipped gazetteer, with a seeded RNG, so the
same command always builds the same records. Rows are written through the
store's own ``insert_source``/``insert_incident`` (the values, search index
and audit entries are exactly what ingest writes), many per transaction.

The records are synthetic and say so: every source is titled and marked
``synthetic`` in its metadata, so a benchmark database can never be mistaken
for documentation.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from tawthiq.domain import vocab
from tawthiq.domain.enums import (
    AgeGroup,
    ClaimField,
    Confidentiality,
    CountingUnit,
    DatePrecision,
    IncidentStatus,
    InvolvementDegree,
    InvolvementRole,
    Sex,
    SourceKind,
    VictimKind,
    VictimOutcome,
)
from tawthiq.domain.model import Claim, Incident, IncidentDate, Involvement, Location, Source, Span, VictimGroup
from tawthiq.extract.gazetteer import Gazetteer
from tawthiq.extract.places.mention import location_of
from tawthiq.services import init_workspace
from tawthiq.store import dialect, mapping
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings
from tawthiq.store.incidents import insert_incident
from tawthiq.store.sources import insert_source

FIRST_DAY = date(2011, 3, 15)
LAST_DAY = date(2024, 12, 31)
GENERATOR = "benchmarks/gen_incidents.py"

# Relative frequencies, roughly the shape of a Syrian documentation archive:
# remote violence and detention dominate, strategic developments are rare.
EVENT_WEIGHTS: dict[str, float] = {
    "air-drone-strike": 18, "shelling-artillery-missile-attack": 16, "armed-clash": 9, "attack": 10,
    "arrests": 9, "abduction-forced-disappearance": 7, "remote-explosive-landmine-ied": 5, "suicide-bomb": 1.5,
    "chemical-weapon": 0.4, "grenade": 0.8, "sexual-violence": 0.6, "excessive-force-against-protesters": 2.5,
    "peaceful-protest": 3, "looting-property-destruction": 3, "government-regains-territory": 1,
    "non-state-actor-overtakes-territory": 1, "other": 1,
}
EVENT_VIOLATIONS: dict[str, tuple[str, ...]] = {
    "air-drone-strike": ("killing", "indiscriminate-attack", "attack-on-protected-objects"),
    "shelling-artillery-missile-attack": ("killing", "indiscriminate-attack", "attack-on-protected-objects"),
    "attack": ("killing", "execution", "persecution"),
    "arrests": ("arbitrary-detention", "torture", "enforced-disappearance"),
    "abduction-forced-disappearance": ("enforced-disappearance", "hostage-taking", "torture"),
    "remote-explosive-landmine-ied": ("killing", "indiscriminate-attack"),
    "suicide-bomb": ("killing", "indiscriminate-attack"),
    "chemical-weapon": ("prohibited-weapons", "killing"),
    "sexual-violence": ("sexual-violence", "torture"),
    "excessive-force-against-protesters": ("killing", "arbitrary-detention"),
    "looting-property-destruction": ("pillage", "forced-displacement"),
    "non-state-actor-overtakes-territory": ("forced-displacement", "restriction-of-movement"),
    "government-regains-territory": ("forced-displacement", "pillage"),
}
EVENT_OUTCOMES: dict[str, tuple[VictimOutcome, ...]] = {
    "arrests": (VictimOutcome.DETAINED, VictimOutcome.TORTURED),
    "abduction-forced-disappearance": (VictimOutcome.ABDUCTED, VictimOutcome.DISAPPEARED),
    "sexual-violence": (VictimOutcome.OTHER,),
    "looting-property-destruction": (VictimOutcome.DISPLACED,),
}
ACTOR_WEIGHTS: dict[str, float] = {
    "syrian-government": 40, "russia": 12, "iran-backed": 5, "isis": 10, "hts": 6, "armed-opposition": 8,
    "sdf": 6, "coalition": 4, "turkey": 4, "israel": 1, "unknown": 10, "other": 2,
}
# Objects hit or places named, in both languages: they give search its variety.
OBJECTS: tuple[tuple[str, str], ...] = (
    ("market", "سوق"), ("school", "مدرسة"), ("hospital", "مشفى"), ("bakery", "فرن"), ("mosque", "مسجد"),
    ("residential building", "مبنى سكني"), ("checkpoint", "حاجز"), ("camp for displaced people", "مخيم للنازحين"),
    ("water station", "محطة مياه"), ("farm", "مزرعة"), ("main road", "الطريق الرئيسي"), ("civil defence centre", "مركز للدفاع المدني"),
)
OUTCOME_WORDS: dict[VictimOutcome, tuple[str, str]] = {
    VictimOutcome.KILLED: ("killed", "مقتل"), VictimOutcome.INJURED: ("injured", "إصابة"),
    VictimOutcome.DETAINED: ("detained", "اعتقال"), VictimOutcome.ABDUCTED: ("abducted", "اختطاف"),
    VictimOutcome.DISAPPEARED: ("disappeared", "إخفاء"), VictimOutcome.TORTURED: ("tortured", "تعذيب"),
    VictimOutcome.DISPLACED: ("displaced", "تهجير"), VictimOutcome.OTHER: ("harmed", "أذى"),
}
KIND_WORDS: dict[VictimKind, tuple[str, str]] = {
    VictimKind.CIVILIAN: ("civilians", "مدنيين"), VictimKind.COMBATANT: ("fighters", "مقاتلين"),
    VictimKind.UNKNOWN: ("people", "أشخاص"),
}
PUBLISHERS: tuple[str, ...] = ("Field monitor network", "Local coordination committee", "Medical relief desk",
                               "شبكة الرصد الميداني", "تنسيقية محلية", "مكتب الإغاثة الطبية")


@dataclass(frozen=True, slots=True)
class Pools:
    """What records are drawn from, loaded once."""

    events: list[str]
    event_weights: list[float]
    actors: list[str]
    actor_weights: list[float]
    places: list[Location]
    place_weights: list[float]


def load_pools() -> Pools:
    events = [code for code in EVENT_WEIGHTS if code in vocab.event_types()]
    actors = [code for code in ACTOR_WEIGHTS if code in vocab.actors()]
    gazetteer = Gazetteer.load()
    places: list[Location] = []
    weights: list[float] = []
    # Towns carry most records; coarser places are how vaguer reports read.
    level_weight = {"town": 6.0, "subdistrict": 2.0, "district": 1.5, "region": 1.5, "governorate": 1.0}
    for place in gazetteer.places:
        if place.level in level_weight and place.country == "SY":
            places.append(location_of(place, text=place.name_en))
            weights.append(level_weight[place.level])
    return Pools(events=events, event_weights=[EVENT_WEIGHTS[e] for e in events], actors=actors,
                 actor_weights=[ACTOR_WEIGHTS[a] for a in actors], places=places, place_weights=weights)


def pick_date(rng: random.Random) -> IncidentDate | None:
    """Mostly exact days; some months, years and approximate dates; a few unknown."""
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    roll = rng.random()
    if roll < 0.62:
        return IncidentDate(edtf=day.isoformat(), text=day.strftime("%d %B %Y"), precision=DatePrecision.DAY)
    if roll < 0.82:
        return IncidentDate(edtf=day.strftime("%Y-%m"), text=day.strftime("%B %Y"), precision=DatePrecision.MONTH)
    if roll < 0.90:
        return IncidentDate(edtf=str(day.year), text=str(day.year), precision=DatePrecision.YEAR)
    if roll < 0.97:
        return IncidentDate(edtf=day.strftime("%Y-%m~"), text=f"early {day.strftime('%B %Y')}",
                            precision=DatePrecision.APPROXIMATE)
    return None


def pick_victims(rng: random.Random, event_type: str) -> list[VictimGroup]:
    """Zero to two groups; counts exact or a min–max range, as reports give them."""
    outcomes = EVENT_OUTCOMES.get(event_type, (VictimOutcome.KILLED, VictimOutcome.INJURED))
    groups: list[VictimGroup] = []
    for outcome in rng.sample(outcomes, k=min(len(outcomes), rng.choice((0, 1, 1, 2)))):
        low = max(1, int(rng.paretovariate(1.3)))
        high = low if rng.random() < 0.7 else low + rng.randint(1, max(2, low))
        kind = rng.choices(list(VictimKind), weights=(7, 2, 1))[0]
        groups.append(VictimGroup(
            outcome=outcome, kind=kind, unit=CountingUnit.FAMILY if rng.random() < 0.05 else CountingUnit.INDIVIDUAL,
            count_min=low, count_max=high, sex=rng.choice(list(Sex)), age=rng.choice(list(AgeGroup)),
            text=f"{low}" if low == high else f"{low}-{high}",
        ))
    return groups


def describe(*, arabic: bool, event_type: str, actor: str, place: Location | None, victims: Sequence[VictimGroup],
             obj: tuple[str, str]) -> str:
    """A one-sentence report of the incident in the source's language."""
    term = vocab.event_types()[event_type]
    who = vocab.actors()[actor]
    if arabic:
        where = f" في {place.name_ar or place.name}" if place else ""
        harm = "، ".join(f"{OUTCOME_WORDS[v.outcome][1]} {v.text} من ال{KIND_WORDS[v.kind][1]}" for v in victims)
        sentence = f"{term.ar} نفذته {who.label_ar or who.label_en} قرب {obj[1]}{where}"
        return f"{sentence}، ما أدى إلى {harm}." if harm else f"{sentence}."
    where = f" in {place.name}" if place else ""
    harm = " and ".join(f"{v.text} {KIND_WORDS[v.kind][0]} {OUTCOME_WORDS[v.outcome][0]}" for v in victims)
    sentence = f"{term.en} by {who.label_en} near a {obj[0]}{where}"
    return f"{sentence}; {harm}." if harm else f"{sentence}."


def make_incident(rng: random.Random, pools: Pools, *, arabic: bool, offset: int,
                  description: str, event_type: str, actor: str, place: Location | None,
                  when: IncidentDate | None, victims: list[VictimGroup]) -> Incident:
    span = Span(start=offset, end=offset + len(description), quote=description)
    violations = list(EVENT_VIOLATIONS.get(event_type, ()))
    chosen = rng.sample(violations, k=rng.randint(min(1, len(violations)), min(2, len(violations))))
    degree = rng.choices((InvolvementDegree.CARRIED_OUT, InvolvementDegree.SUSPECTED, InvolvementDegree.CLAIMED,
                          InvolvementDegree.ATTRIBUTED), weights=(6, 3, 1, 1))[0]
    label = vocab.actors()[actor]
    involvements = [Involvement(actor=actor, role=InvolvementRole.PERPETRATOR, degree=degree,
                                text=label.label_ar if arabic else label.label_en)]
    if event_type == "armed-clash":
        other = rng.choices(pools.actors, weights=pools.actor_weights)[0]
        if other != actor:
            involvements.append(Involvement(actor=other, role=InvolvementRole.TARGET, text=vocab.actors()[other].label_en))
    claims = [Claim(field=ClaimField.EVENT_TYPE, value=event_type, span=span, method="benchmark:generated",
                    confidence=0.9)]
    return Incident(
        event_type=event_type, violations=chosen, involvements=involvements, victims=victims, location=place,
        date=when, description=description, evidence=[span], claims=claims,
        status=rng.choices(list(IncidentStatus)[:4], weights=(45, 30, 20, 5))[0],
        confidentiality=rng.choices(list(Confidentiality), weights=(50, 35, 15))[0],
        confidence=round(rng.uniform(0.3, 0.95), 2),
    )


def make_report(rng: random.Random, pools: Pools, number: int, remaining: int) -> tuple[Source, list[Incident]]:
    """One synthetic report (a source) and the one to three incidents it describes."""
    arabic = rng.random() < 0.55
    how_many = min(remaining, rng.choices((1, 2, 3), weights=(6, 3, 1))[0])
    drafts: list[tuple[str, str, str, Location | None, IncidentDate | None, list[VictimGroup]]] = []
    for _ in range(how_many):
        event_type = rng.choices(pools.events, weights=pools.event_weights)[0]
        actor = rng.choices(pools.actors, weights=pools.actor_weights)[0]
        place = rng.choices(pools.places, weights=pools.place_weights)[0] if rng.random() < 0.93 else None
        victims = pick_victims(rng, event_type)
        text = describe(arabic=arabic, event_type=event_type, actor=actor, place=place, victims=victims,
                        obj=rng.choice(OBJECTS))
        drafts.append((text, event_type, actor, place, pick_date(rng), victims))
    header = f"تقرير رقم {number} (بيانات تجريبية)\n" if arabic else f"Report {number} (synthetic data)\n"
    text = header
    incidents: list[Incident] = []
    for description, event_type, actor, place, when, victims in drafts:
        offset = len(text)
        text += description + "\n"
        incidents.append(make_incident(rng, pools, arabic=arabic, offset=offset, description=description,
                                       event_type=event_type, actor=actor, place=place, when=when, victims=victims))
    published = next((i.date for i in incidents if i.date and i.date.precision is DatePrecision.DAY), None)
    raw = text.encode("utf-8")
    source = Source(
        kind=SourceKind.RECORD, sha256=hashlib.sha256(raw).hexdigest(), text=text,
        title=header.strip(), author=rng.choice(PUBLISHERS), language="ar" if arabic else "en",
        published=date.fromisoformat(published.edtf) if published else None, original_name="synthetic.jsonl",
        media_type="application/x-ndjson", size=len(raw), record_key=str(number),
        metadata={"synthetic": True, "generator": GENERATOR},
    )
    return source, incidents


def reports(rng: random.Random, pools: Pools, count: int) -> Iterator[tuple[Source, list[Incident]]]:
    made = 0
    number = 0
    while made < count:
        number += 1
        source, incidents = make_report(rng, pools, number, count - made)
        made += len(incidents)
        yield source, incidents


@contextmanager
def memoised_edtf_ranges() -> Iterator[None]:
    """Parse each distinct EDTF string once while generating.

    The parser takes ~10 ms a call and would dominate the run, while a
    benchmark has only a few thousand distinct dates. The function is pure,
    so the rows are the same; the original is put back afterwards.
    """
    original = mapping.date_range
    mapping.date_range = cache(original)  # type: ignore[assignment]
    try:
        yield
    finally:
        mapping.date_range = original  # type: ignore[assignment]


def write_batch(session: Session, stream: Iterator[tuple[Source, list[Incident]]], *, batch: int) -> tuple[int, int]:
    """Write reports from ``stream`` until ``batch`` incidents are written; (incidents, sources)."""
    written = stored = 0
    for source, incidents in stream:
        source_id, created = insert_source(session, source)
        if not created:
            raise SystemExit(f"error: source {source.record_key} is already stored: generate into a new database")
        for incident in incidents:
            insert_incident(session, incident, source_id=source_id, user="benchmark")
        stored += 1
        written += len(incidents)
        if written >= batch:
            break
    return written, stored


def generate(*, database_url: str, data_dir: Path, count: int, seed: int, batch: int) -> tuple[int, int, float]:
    """Write ``count`` incidents; (incidents, sources, seconds)."""
    ws = init_workspace(Settings(database_url=database_url, data_dir=data_dir, max_file_size=DEFAULT_MAX_FILE_SIZE))
    db = ws.db
    stream = reports(random.Random(seed), load_pools(), count)
    written = stored = 0
    analysed = 500  # incidents written at the last ANALYZE (PostgreSQL)
    started = time.perf_counter()
    try:
        with memoised_edtf_ranges():
            while written < count:
                with db.session(write=True) as session:  # type: ignore[attr-defined]
                    n_incidents, n_sources = write_batch(session, stream, batch=batch)
                written += n_incidents
                stored += n_sources
                if written >= 2 * analysed and db.engine.dialect.name == "postgresql":  # type: ignore[attr-defined]
                    # Statistics as the tables grow: planned against the empty tables the migrations
                    # analysed, each foreign-key check scanned the whole incidents table (its cached
                    # plan a sequential scan), and writing slowed from 300 to 30 incidents a second.
                    with db.engine.begin() as conn:  # type: ignore[attr-defined]
                        dialect.analyze(conn)
                    analysed = written
                rate = written / (time.perf_counter() - started)
                print(f"\r{written:>9,} incidents  {rate:>8,.0f}/s", end="", file=sys.stderr, flush=True)
        # The migrations analysed an empty database: statistics for the real
        # sizes let the planner pick the right index (as after any bulk load).
        with db.engine.begin() as conn:  # type: ignore[attr-defined]
            dialect.analyze(conn)
        if db.engine.dialect.name == "postgresql":  # type: ignore[attr-defined]
            # As autovacuum would after a bulk load: the visibility map lets counts read indexes alone.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:  # type: ignore[attr-defined]
                conn.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(dialect.ANALYSED_TABLES)}")
    finally:
        print(file=sys.stderr)
        db.dispose()  # type: ignore[attr-defined]
    return written, stored, time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="incidents to write (default 100000)")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--db", type=Path, help="a new SQLite file to create")
    where.add_argument("--database-url", help="an empty database (e.g. PostgreSQL) instead of --db")
    parser.add_argument("--seed", type=int, default=20111503, help="RNG seed: the same seed gives the same records")
    parser.add_argument("--batch", type=int, default=5000, help="incidents per transaction")
    args = parser.parse_args(argv)
    if args.count < 1 or args.batch < 1:
        parser.error("--count and --batch must be positive")
    if args.db is not None:
        if args.db.exists():
            parser.error(f"{args.db} exists: generate into a new file (records are never mixed into a real database)")
        args.db.parent.mkdir(parents=True, exist_ok=True)
        url, data_dir = f"sqlite:///{args.db}", args.db.parent / f"{args.db.stem}-data"
    else:
        url, data_dir = args.database_url, Path("tawthiq-bench-data")
    incidents, sources, seconds = generate(database_url=url, data_dir=data_dir, count=args.count, seed=args.seed,
                                           batch=args.batch)
    print(f"wrote {incidents:,} incidents from {sources:,} sources in {seconds:.1f} s "
          f"({incidents / seconds:,.0f} incidents/s) to {url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
