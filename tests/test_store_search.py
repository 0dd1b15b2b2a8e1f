"""Full-text search in Arabic and English, on both engines, with hostile queries."""
from __future__ import annotations

import random

import pytest

from tawthiq.domain import Incident, Location, Source, SourceKind
from tawthiq.store import repository
from tawthiq.store.db import Database
from tawthiq.store.textnorm import index_text, light_stems, normalise, query_terms, snippet

REPORTS = {
    "aleppo": "قصف الطيران الحربي مدينة حلب صباح اليوم وقُتل خمسة مدنيين بينهم طفلان.",
    "hasakah": "اعتقلت دورية أمنية ثلاثة شبان في مدينة الحسكه وتم اقتيادهم إلى جهة مجهولة.",
    "kobani": "Unidentified gunmen shot a teacher in Kobanî on Tuesday; residents reported two strikes nearby.",
    "prefixed": "وصلت تعزيزات عسكرية بحلب ووحدات أخرى إلى وحلب الشرقية بالأمس.",
    "idlib": "Shelling hit the outskirts of Idlib city, injuring seven civilians including a child.",
}


@pytest.fixture
def sources(db: Database) -> dict[str, int]:
    out = {}
    for n, (key, text) in enumerate(REPORTS.items()):
        out[key], _ = repository.add_source(db, Source(kind=SourceKind.TEXT, sha256=f"{n:064d}", text=text,
                                                       title=key))
    return out


def _found(db: Database, query: str) -> set[tuple[str, int]]:
    return {(h.kind, h.id) for h in repository.search(db, query)}


def _sources(db: Database, query: str) -> set[int]:
    return {h.id for h in repository.search(db, query) if h.kind == "source"}


def test_arabic_word_found(db: Database, sources: dict[str, int]) -> None:
    assert _sources(db, "حلب") >= {sources["aleppo"]}
    assert _sources(db, "اعتقلت") == {sources["hasakah"]}


def test_arabic_normalisation_ta_marbuta_hamza_harakat(db: Database, sources: dict[str, int]) -> None:
    assert sources["aleppo"] in _sources(db, "مدينه")  # text has مدينة
    assert sources["hasakah"] in _sources(db, "الحسكة")  # text has الحسكه
    assert sources["hasakah"] in _sources(db, "إعتقلت")  # hamza on the alef
    assert sources["aleppo"] in _sources(db, "قتل")  # text has قُتل with damma
    assert sources["aleppo"] in _sources(db, "مدنـيين")  # tatweel in the query


def test_arabic_prefixes_match_the_bare_word(db: Database, sources: dict[str, int]) -> None:
    # بحلب, وحلب and حلب are the same place.
    assert _sources(db, "حلب") == {sources["aleppo"], sources["prefixed"]}
    assert sources["aleppo"] in _sources(db, "بحلب")
    assert sources["hasakah"] in _sources(db, "حسكة")


def test_english_case_accents_and_prefix(db: Database, sources: dict[str, int]) -> None:
    assert _sources(db, "Kobani") == {sources["kobani"]}
    assert _sources(db, "KOBANÎ") == {sources["kobani"]}
    assert _sources(db, "strike") == {sources["kobani"]}  # prefix: "strikes"
    assert _sources(db, "shelling idlib") == {sources["idlib"]}
    assert _sources(db, "shelling kobani") == set()  # every word must match


def test_incident_descriptions_are_searchable(db: Database, sources: dict[str, int]) -> None:
    incident = Incident(event_type="arrests", description="حملة اعتقالات في بلدة الميادين",
                        location=Location(name="Al Mayadin", name_ar="الميادين", admin1="Deir ez-Zor"))
    src = Source(kind=SourceKind.TEXT, sha256="9" * 64, text="unrelated text")
    _, _, [iid] = repository.add_source_with_incidents(db, src, [incident])
    hits = repository.search(db, "الميادين")
    assert [(h.kind, h.id) for h in hits] == [("incident", iid)]
    assert hits[0].title.startswith("Arrests") and "Al Mayadin" in hits[0].title
    assert ("incident", iid) in _found(db, "Deir ez-Zor")


def test_hits_carry_original_text_snippets_and_ranks(db: Database, sources: dict[str, int]) -> None:
    hits = repository.search(db, "Kobani")
    assert len(hits) == 1
    assert "Kobanî" in hits[0].snippet  # the original spelling, not the folded index form
    assert hits[0].title == "kobani"
    many = repository.search(db, "مدينه")
    assert [h.rank for h in many] == sorted((h.rank for h in many), reverse=True)


HOSTILE = ['"', "*", "NEAR(", "' OR 1=1 --", '"حلب', "حلب*", "(", ")", "a AND", "OR OR", "NOT", "^", ":",
           "col:حلب", "\x00", "\\", "%", "_", "'; DROP TABLE sources; --", "a & b | !c", "<->", "{}", "-",
           "NEAR(a b, 3)", "😀", "\u200f", "ـــ", "x" * 5000, "حلب " * 500]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(db: Database, sources: dict[str, int], query: str) -> None:
    hits = repository.search(db, query)
    assert isinstance(hits, list)
    assert repository.count_sources(db) == len(REPORTS)


def test_operator_syntax_is_just_words(db: Database, sources: dict[str, int]) -> None:
    assert _sources(db, '"حلب') == _sources(db, "حلب")
    assert _sources(db, "Kobani OR Idlib") == set()  # "or" is a word that must occur, not an operator
    assert _sources(db, "حلب*") == _sources(db, "حلب")


def test_random_unicode_queries_never_raise(db: Database, sources: dict[str, int]) -> None:
    rng = random.Random(20261125)
    alphabet = [chr(c) for c in (*range(0x20, 0x7F), *range(0x600, 0x6FF), 0x200F, 0x640, 0xFEFB, 0x301)]
    for _ in range(200):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        assert isinstance(repository.search(db, query), list)


def test_empty_and_limit(db: Database, sources: dict[str, int]) -> None:
    assert repository.search(db, "") == []
    assert repository.search(db, "   ") == []
    assert len(repository.search(db, "مدينه", limit=1)) == 1
    assert repository.search(db, "مدينه", limit=0) == []


# --------------------------------------------------------- textnorm, no database


def test_normalise_folds_what_writers_vary() -> None:
    assert normalise("مدينة") == normalise("مدينه")
    assert normalise("أحمد") == normalise("احمد") == normalise("إحمد")
    assert normalise("مصطفى") == normalise("مصطفي")
    assert normalise("مُحَمَّد") == normalise("محمد")
    assert normalise("Kobanî") == "kobani"
    assert normalise("٢٠١٥") == "2015"


def test_light_stems() -> None:
    assert light_stems("بحلب") == ["حلب"]
    assert light_stems("وبالحسكه") == ["بالحسكه", "الحسكه", "حسكه"]
    assert "المدنيين" in light_stems("للمدنيين")
    assert light_stems("بيت") == []  # too short to strip
    assert light_stems("kobani") == []


def test_query_terms_are_safe_words() -> None:
    terms = query_terms('"حلب" NEAR( * \' OR 1=1 --')
    assert all(form.isalnum() for t in terms for form in t.forms)
    assert [t.forms[0] for t in terms] == ["حلب", "near", "or", "1"]


def test_index_text_adds_stems() -> None:
    assert index_text("وحلب").split() == ["وحلب", "حلب"]


def test_snippet_windows_the_original() -> None:
    text = "x " * 200 + "Kobanî was hit" + " y" * 200
    piece = snippet(text, query_terms("kobani"), width=60)
    assert "Kobanî was hit" in piece and piece.startswith("…") and piece.endswith("…")


def test_index_text_of_a_huge_report_is_the_index_of_its_beginning(monkeypatch) -> None:
    """Only the first MAX_INDEX_CHARS are indexed, so only the beginning is normalised (in windows
    cut at white space): the same tokens as normalising the whole text, without its cost."""
    from tawthiq.store import textnorm

    monkeypatch.setattr(textnorm, "_WINDOW", 37)  # many windows, each cut just before a word
    monkeypatch.setattr(textnorm, "MAX_INDEX_CHARS", 2_000)
    text = " ".join(["والمدنيين قتل", "Ariha's school,", "بالقصف\nDouma.", "e\u0301cole"] * 200)
    whole = [t for w in textnorm.words(text) for t in (w, *textnorm.light_stems(w))]
    expected, size = [], len("title") + 1
    for token in whole:
        size += len(token) + 1
        if size > 2_000:
            break
        expected.append(token)
    assert textnorm.index_text("title", text).split(" ")[1:] == expected
    assert textnorm.index_text("title", text).split(" ")[0] == "title"
