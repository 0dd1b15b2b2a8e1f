"""The extraction contract: INCIDENT shape and JSON Lines batch mode."""
from __future__ import annotations

import io
import json
from datetime import date

from tawthiq.domain import Incident, IncidentDate, Involvement, Location, Span, VictimGroup, vocab
from tawthiq.domain.enums import LocationPrecision, VictimKind, VictimOutcome
from tawthiq.extract.contract import default_extractor, incident_to_contract, run_jsonl

EVENT_TYPES = set(vocab.event_types())
VIOLATIONS = set(vocab.violations())
TOP_ACTORS = {code for code, a in vocab.actors().items() if not a.parent}
KINDS = {"civilian", "combatant", "unknown"}
OUTCOMES = {o.value for o in VictimOutcome}
PRECISIONS = {p.value for p in LocationPrecision}


def check_incident(d: dict, text: str) -> None:
    assert set(d) == {"event_type", "violations", "perpetrators", "victims", "location", "date", "evidence",
                      "confidence"}
    assert d["event_type"] in EVENT_TYPES
    assert set(d["violations"]) <= VIOLATIONS
    for p in d["perpetrators"]:
        assert set(p) == {"actor", "text"} and p["actor"] in TOP_ACTORS
    for v in d["victims"]:
        assert set(v) == {"kind", "outcome", "count_min", "count_max", "text"}
        assert v["kind"] in KINDS and v["outcome"] in OUTCOMES
        for c in (v["count_min"], v["count_max"]):
            assert c is None or (isinstance(c, int) and c >= 0)
    if d["location"] is not None:
        assert set(d["location"]) == {"name", "text", "country", "admin1", "admin2", "lat", "lon", "precision"}
        assert d["location"]["precision"] in PRECISIONS
    if d["date"] is not None:
        assert set(d["date"]) == {"edtf", "text"}
    assert d["evidence"]
    for e in d["evidence"]:
        assert text[e["start"]:e["end"]] == e["quote"] and e["end"] - e["start"] <= 600
    assert 0 <= d["confidence"] <= 1


def test_faction_reported_under_its_top_level_actor() -> None:
    incident = Incident(
        event_type="attack", involvements=[Involvement(actor="syrian-government", text="regime forces")],
        victims=[VictimGroup(outcome=VictimOutcome.KILLED, kind=VictimKind.CIVILIAN, count_min=2, count_max=2,
                             text="two civilians")],
        location=Location(name="Douma", text="Douma", lat=33.57, lon=36.4, precision=LocationPrecision.TOWN),
        date=IncidentDate(edtf="2018-02-20", text="20 February 2018"),
        evidence=[Span.of("x" * 700, 0, 650), Span.of("abc", 0, 3)],
    )
    d = incident_to_contract(incident)
    assert d["perpetrators"] == [{"actor": "syrian-government", "text": "regime forces"}]
    assert d["victims"][0]["count_min"] == 2 and d["location"]["precision"] == "town"
    assert d["evidence"] == [{"start": 0, "end": 3, "quote": "abc"}]  # an over-long span is no evidence


def test_real_extraction_has_contract_shape() -> None:
    texts = [
        "Regime warplanes bombed a bakery in the town of Maarat al-Numan on 2 January 2020, killing 9 civilians.",
        "اعتقلت الشرطة العسكرية في مدينة عفرين ثلاثة مدنيين بينهم امرأة.",
    ]
    for text in texts:
        incidents = default_extractor().extract(text)
        assert incidents
        for i in incidents:
            check_incident(incident_to_contract(i), text)


def run(lines: list[str]) -> tuple[int, list[dict]]:
    out = io.StringIO()
    bad = run_jsonl(io.StringIO("\n".join(lines) + "\n"), out)
    return bad, [json.loads(line) for line in out.getvalue().splitlines()]


def test_jsonl_one_result_per_line_in_order() -> None:
    docs = [
        {"id": "a", "text": "Unknown gunmen shot dead a teacher in the town of Tafas.", "language": "en"},
        {"id": 2, "text": "قصفت قوات النظام بلدة كفرنبل ما أدى إلى مقتل مدنيين اثنين.", "published": "2019-05-16"},
        {"id": "c", "text": "Nothing happened today in the market."},
    ]
    bad, results = run([json.dumps(d, ensure_ascii=False) for d in docs])
    assert bad == 0
    assert [r["id"] for r in results] == ["a", 2, "c"]
    assert len(results[0]["incidents"]) == 1 and results[2]["incidents"] == []
    for doc, r in zip(docs, results):
        for d in r["incidents"]:
            check_incident(d, doc["text"])


def test_jsonl_bad_lines_are_reported_and_skipped() -> None:
    good = json.dumps({"id": "ok", "text": "Turkish drones struck a car near Qamishli, killing two fighters."})
    lines = [
        "{not json",
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "num-text", "text": 42}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "huge", "text": "x" * 1_000_001}),
        json.dumps({"id": "bad-date", "text": "Regime forces arrested five men in Douma.", "published": "soon"}),
        json.dumps({"id": {"nested": 1}, "text": "plain"}),
        good,
    ]
    bad, results = run(lines)
    assert bad == 5
    assert len(results) == len(lines)
    errors = [r for r in results if "error" in r]
    assert [r["id"] for r in errors] == [None, "no-text", "num-text", None, "huge"]
    assert all(r["incidents"] == [] and "\n" not in r["error"] for r in errors)
    assert results[5]["id"] == "bad-date" and results[5]["incidents"]  # a bad date costs only relative dates
    assert results[6]["id"] == "{'nested': 1}"
    assert results[-1]["id"] == "ok" and results[-1]["incidents"][0]["perpetrators"][0]["actor"] == "turkey"


class Exploding:
    name = "exploding"

    def extract(self, text: str, *, language: str | None = None, published: date | None = None) -> list:
        raise RuntimeError("boom\nsecond line")


def test_jsonl_extractor_failure_is_one_line_error() -> None:
    out = io.StringIO()
    bad = run_jsonl(io.StringIO('{"id": "x", "text": "t"}\n{"id": "y", "text": "u"}\n'), out, extractor=Exploding())
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert bad == 2
    assert [r["error"] for r in results] == ["RuntimeError: boom", "RuntimeError: boom"]


def test_jsonl_undecodable_bytes_and_lone_surrogates() -> None:
    raw = (b'{"id": "a", "text": "Regime forces shelled the town of Ariha, killing two civilians."}\n'
           b'\xff\xfe not utf-8\n'
           b'{"id": "s", "text": "Regime forces shelled Ariha \\ud800 killing 2 civilians."}\n')
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    out = io.StringIO()
    bad = run_jsonl(stdin, out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert bad == 1
    assert [r["id"] for r in results] == ["a", None, "s"]
    assert results[1]["error"] == "line is not valid UTF-8"
    assert results[2]["incidents"]  # written escaped, still one valid JSON line
    out.getvalue().encode("utf-8")
