"""The seed report (``samples/000_*.txt``) holds at least six incidents; each must come out.

The seed is the project's founding example, kept byte-for-byte in
``samples/``; reading it from there keeps the test honest: the text is not
copied into the test and the engine has no rule for it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tawthiq.extract.contract import incident_to_contract
from tawthiq.extract.engine import RuleExtractor

SEEDS = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def seed() -> tuple[str, list[dict]]:
    files = sorted(SEEDS.glob("000_*.txt"))
    assert files, "the seed report is missing from samples/"
    text = files[0].read_text(encoding="utf-8")
    return text, [incident_to_contract(i) for i in RuleExtractor().extract(text, language="en")]


def find(text: str, incidents: list[dict], phrase: str) -> dict:
    """The incident whose evidence covers ``phrase`` (which must occur once)."""
    at = text.find(phrase)
    assert at >= 0 and text.find(phrase, at + 1) < 0, phrase
    hits = [d for d in incidents if any(e["start"] <= at and at + len(phrase) <= e["end"] for e in d["evidence"])]
    assert hits, f"no incident for {phrase!r}"
    return hits[0]


def actors(d: dict) -> set[str]:
    return {p["actor"] for p in d["perpetrators"]}


def test_checkpoints_across_raqqa(seed: tuple[str, list[dict]]) -> None:
    text, incidents = seed
    d = find(text, incidents, "erected barriers and checkpoints")
    assert "restriction-of-movement" in d["violations"]
    assert actors(d) == {"isis"}
    assert d["location"] and "raqq" in d["location"]["name"].lower()


def test_execution_of_the_hostage(seed: tuple[str, list[dict]]) -> None:
    text, incidents = seed
    d = find(text, incidents, "execution clip of Japanese hostage")
    assert "execution" in d["violations"]
    assert actors(d) == {"isis"}
    assert [(v["kind"], v["outcome"], v["count_min"]) for v in d["victims"]] == [("civilian", "killed", 1)]


def test_bodies_found_near_kobani(seed: tuple[str, list[dict]]) -> None:
    text, incidents = seed
    d = find(text, incidents, "finding nearly 200 bodies of ISIS members")
    assert d["event_type"] == "other"
    killed = [v for v in d["victims"] if v["outcome"] == "killed"]
    assert [v["kind"] for v in killed] == ["combatant"]
    assert 150 <= killed[0]["count_min"] <= 200
    assert d["location"] and d["location"]["lat"] and abs(d["location"]["lat"] - 36.89) < 0.3


def test_defectors_killed_by_iraqi_fighters(seed: tuple[str, list[dict]]) -> None:
    text, incidents = seed
    d = find(text, incidents, "the Iraqi fighters have killed them")
    assert d["event_type"] in ("attack", "armed-clash")
    assert actors(d) == {"isis"}
    assert {v["kind"] for v in d["victims"]} == {"combatant"}


def test_four_isis_members_assassinated(seed: tuple[str, list[dict]]) -> None:
    text, incidents = seed
    d = find(text, incidents, "assassinated four members of ISIS group in al-Rumaila")
    assert actors(d) == {"unknown"}  # ISIS is the victims' side here
    assert [(v["kind"], v["count_min"]) for v in d["victims"]] == [("combatant", 4)]
    assert "rumaila" in d["location"]["name"].lower()


def test_two_tunisian_families_assassinated(seed: tuple[str, list[dict]]) -> None:
    text, incidents = seed
    d = find(text, incidents, "assassination of two Tunisian families in Eddekhar")
    assert actors(d) == {"unknown"}
    assert "killing" in d["violations"]
    assert [(v["kind"], v["count_min"]) for v in d["victims"]] == [("civilian", 2)]
    four = find(text, incidents, "assassinated four members of ISIS group in al-Rumaila")
    assert d is not four and d["location"]["name"] != four["location"]["name"]


def test_boilerplate_after_the_article_is_ignored(seed: tuple[str, list[dict]]) -> None:
    text, incidents = seed
    cut = text.find("About The Author")
    assert cut > 0
    assert all(e["end"] <= cut for d in incidents for e in d["evidence"])
    assert all(e["end"] - e["start"] <= 600 for d in incidents for e in d["evidence"])
