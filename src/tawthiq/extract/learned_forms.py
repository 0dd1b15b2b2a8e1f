"""Written forms a team's corrections taught: a group's local name → its actor, a place's local name → the place.

The rules know the actors of ``domain/data/actors.toml`` and the places of the
gazetteer. A team's sources also say "Liwa al-Qaqaa fighters" for a group the
team codes as the armed opposition, or "Hayy al-Kasarat" for a quarter the
gazetteer does not list; each time, a reviewer corrects the suggestion. From
those corrections (:func:`learn_actor_forms`, :func:`learn_place_forms`) the
model keeps each form seen in at least ``min_corrections`` of them (one typo
must not teach), and at extraction (:func:`credit_forms`) credits the form:

* an actor only to an act the rules found **no** perpetrator for, and only when
  the form is in the act's evidence span;
* a place only to an act whose place the gazetteer did not find (none, or an
  unlisted name placed by the rules' guesses), again from the act's span.

Each credit is a claim naming the model and what was learned from how many
corrections; a reviewer decides, as for every machine suggestion. Nothing here
reads a database or a file.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..domain import Claim, ClaimField, Incident, Involvement, Location, Span
from ..domain.enums import InvolvementDegree, InvolvementRole, LocationPrecision
from .learned_words import quoted_span, tokens

__all__ = ["MIN_CORRECTIONS", "ActorExample", "PlaceExample", "credit_forms", "form_key", "gazetteer_found",
           "learn_actor_forms", "learn_place_forms", "match_form"]

MIN_CORRECTIONS = 2  # corrections a form needs before it is learned
MAX_WORDS = 3  # longest form mined from an evidence span
PRECISION = 0.9  # share of the reviewed acts a mined form appears in that the person gave this actor
_BREAK = re.compile(r"[,.;:!?()\[\]«»\"“”،؛\n]")
# Words that never begin or end a group's name (they would join any two words to a "form").
_STOP = frozenset("""a an the of in on at by near and or from to with for was were is are after before
said says its their his her al el""".split()) | frozenset(
    "في من على الى إلى عن مع قرب بعد قبل و أو او التي الذي كما قد".split())
_LOCATION_KEYS = ("name", "name_ar", "country", "admin1", "admin2", "admin3", "lat", "lon", "precision", "place_id")


def form_key(text: str) -> str:
    """A written form as it is learned and matched: its folded words, proclitics stripped."""
    return " ".join(t for t, _s, _e in tokens(text))


def _runs(text: str, masked: Sequence[tuple[int, int]]) -> list[list[tuple[str, int, int]]]:
    """Runs of words with no punctuation and no masked range (what the rules already explained) between them."""
    cuts = sorted({m.start() for m in _BREAK.finditer(text)})
    runs: list[list[tuple[str, int, int]]] = [[]]
    last_end = 0
    for tok in tokens(text):
        _w, start, end = tok
        if any(s < end and start < e for s, e in masked):
            runs.append([])
            last_end = end
            continue
        if any(last_end <= c < start for c in cuts):
            runs.append([])
        runs[-1].append(tok)
        last_end = end
    return [r for r in runs if r]


def _ngrams(text: str, masked: Sequence[tuple[int, int]] = ()) -> set[str]:
    """Candidate forms: up to ``MAX_WORDS`` words in a run, not starting or ending with a little word, no digits;
    in Latin script a group's name is a proper name, so one of its words is capitalised ("village" is not)."""
    out: set[str] = set()
    for run in _runs(text, masked):
        words = [w for w, _s, _e in run]
        capital = [text[s].isupper() and s > 0 for _w, s, _e in run]
        for n in range(1, MAX_WORDS + 1):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if gram[0] in _STOP or gram[-1] in _STOP or any(w.isdigit() for w in gram) \
                        or all(len(w) < 3 for w in gram):
                    continue
                if any(w.isascii() for w in gram) and not any(capital[i:i + n]):
                    continue
                out.add(" ".join(gram))
    return out


@dataclass(frozen=True, slots=True)
class ActorExample:
    """One reviewed act: its span, the actors a person kept and the ones the rules had found."""

    text: str
    actors: tuple[str, ...]  # what the record holds now
    machine: tuple[str, ...]  # what the rules said
    cited: tuple[tuple[str, str], ...] = ()  # (written form, actor) a person cited with a span
    masked: tuple[tuple[int, int], ...] = ()  # offsets in ``text`` the rules' own claims explain

    @property
    def corrected(self) -> bool:
        return set(self.actors) != set(self.machine)


@dataclass(frozen=True, slots=True)
class PlaceExample:
    """One reviewed act: its span, the place a person kept and what the rules had placed it at."""

    text: str
    location: dict[str, Any] | None  # what the record holds now (None: no place)
    machine: str  # the rules' place name ("" for none)
    machine_gazetteer: bool  # whether the rules' place came from the gazetteer
    form: str = ""  # the corrected place as written (the person's span, or the location's text)

    @property
    def corrected(self) -> bool:
        return (self.location or {}).get("name", "") != self.machine


def learn_actor_forms(examples: Iterable[ActorExample], *, min_corrections: int = MIN_CORRECTIONS
                      ) -> dict[str, dict[str, Any]]:
    """form → {"actor", "corrections", "written"} from the corrected acts; a form mined from a span must
    also point to that actor in ``PRECISION`` of every reviewed act it appears in."""
    examples = list(examples)
    support: dict[tuple[str, str], int] = Counter()
    written: dict[str, str] = {}
    cited: set[tuple[str, str]] = set()
    for e in examples:
        if not e.corrected:
            continue
        for form, actor in e.cited:
            key = form_key(form)
            if key and actor in e.actors:
                support[(key, actor)] += 1
                cited.add((key, actor))
                written.setdefault(key, form)
        if not e.machine and not e.cited:  # the rules found no one: the group's name is among the words
            for gram in _ngrams(e.text, e.masked):
                for actor in e.actors:
                    support[(gram, actor)] += 1
    seen_in: dict[str, int] = Counter()
    seen_with: dict[tuple[str, str], int] = Counter()
    for e in examples:
        for gram in _ngrams(e.text):
            seen_in[gram] += 1
            for actor in e.actors:
                seen_with[(gram, actor)] += 1
    best: dict[str, tuple[int, str]] = {}
    for (form, actor), n in support.items():
        if n < min_corrections:
            continue
        if (form, actor) not in cited and seen_with[(form, actor)] < PRECISION * seen_in[form]:
            continue
        if form not in best or n > best[form][0]:
            best[form] = (n, actor)
    for form in best:
        if form not in written:  # a mined form: as the first corrected span that holds it writes it
            for e in examples:
                if e.corrected and (hit := match_form(e.text, {form: None})):
                    written[form] = e.text[hit[1]:hit[2]]
                    break
    return {form: {"actor": actor, "corrections": n, "written": written.get(form, form)}
            for form, (n, actor) in sorted(best.items())}


def learn_place_forms(examples: Iterable[PlaceExample], *, min_corrections: int = MIN_CORRECTIONS,
                      in_gazetteer: Any = None) -> dict[str, dict[str, Any]]:
    """form → {"location", "corrections", "written"}: a written form the gazetteer does not know
    (``in_gazetteer(text)`` says whether it does) that reviewers placed at the same place each time."""
    votes: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    written: dict[str, str] = {}
    for e in examples:
        if not e.corrected or not e.location or not e.form.strip():
            continue
        key = form_key(e.form)
        if not key or (in_gazetteer is not None and in_gazetteer(e.form)):
            continue
        place = (str(e.location.get("name", "")), str(e.location.get("admin1", "")))
        votes[key][place] += 1
        chosen.setdefault(place, {k: e.location.get(k) for k in _LOCATION_KEYS})
        written.setdefault(key, e.form)
    out: dict[str, dict[str, Any]] = {}
    for key, counter in sorted(votes.items()):
        (place, n), *rest = counter.most_common()
        if n >= min_corrections and (not rest or rest[0][1] < n):
            out[key] = {"location": chosen[place], "corrections": n, "written": written[key]}
    return out


def match_form(text: str, forms: dict[str, Any]) -> tuple[str, int, int] | None:
    """The longest learned form in ``text`` (then the earliest): (form, start, end), or None."""
    if not forms:
        return None
    toks = tokens(text)
    for n in range(MAX_WORDS + 2, 0, -1):  # a cited form may be a little longer than a mined one
        for i in range(len(toks) - n + 1):
            key = " ".join(w for w, _s, _e in toks[i:i + n])
            if key in forms:
                return key, toks[i][1], toks[i + n - 1][2]
    return None


def gazetteer_found(method: str) -> bool:
    """Whether a place claim's rule is a gazetteer match (not an unlisted name the rules placed)."""
    return "gazetteer:" in method


def _location(data: dict[str, Any], text: str) -> Location:
    fields = {k: data[k] for k in _LOCATION_KEYS if data.get(k) is not None}
    try:
        fields["precision"] = LocationPrecision(fields.get("precision", "town"))
    except ValueError:
        fields["precision"] = LocationPrecision.TOWN
    return Location(text=text, **fields)


def credit_forms(incidents: list[Incident], *, forms: dict[str, Any], model_id: str) -> list[Incident]:
    """Each incident with a learned actor where the rules found none, and a learned place where the
    gazetteer found none, when the form is in its evidence span."""
    actors, places = forms.get("actors") or {}, forms.get("places") or {}
    if not actors and not places:
        return incidents
    out: list[Incident] = []
    for incident in incidents:
        span = quoted_span(incident)
        if span is None:
            out.append(incident)
            continue
        if actors and not incident.perpetrators and (hit := match_form(span.quote, actors)):
            incident = _credit_actor(incident, span, hit, actors[hit[0]], model_id)
        place_claim = next((c for c in incident.claims if c.field is ClaimField.LOCATION and c.current), None)
        if places and (incident.location is None or place_claim is None or not gazetteer_found(place_claim.method)) \
                and (hit := match_form(span.quote, places)):
            incident = _credit_place(incident, span, hit, places[hit[0]], place_claim, model_id)
        out.append(incident)
    return out


def _credit_actor(incident: Incident, span: Span, hit: tuple[str, int, int], learned: dict[str, Any],
                  model_id: str) -> Incident:
    _key, start, end = hit
    cited = Span(start=span.start + start, end=span.start + end, quote=span.quote[start:end])
    actor = str(learned["actor"])
    note = (f"learned from {learned['corrections']} corrections: reviewers gave {learned['written']!r} "
            f"to {actor}; the rules found no perpetrator")
    involvement = Involvement(actor=actor, role=InvolvementRole.PERPETRATOR, degree=InvolvementDegree.CARRIED_OUT,
                              text=cited.quote)
    claim = Claim(ClaimField.PERPETRATOR, actor, cited, f"model:actor/{model_id}", confidence=0.7, note=note)
    return replace(incident, involvements=[involvement, *incident.involvements], claims=[*incident.claims, claim])


def _credit_place(incident: Incident, span: Span, hit: tuple[str, int, int], learned: dict[str, Any],
                  rule_claim: Claim | None, model_id: str) -> Incident:
    _key, start, end = hit
    cited = Span(start=span.start + start, end=span.start + end, quote=span.quote[start:end])
    location = _location(learned["location"], cited.quote)
    said = f"the rules said {rule_claim.value} ({rule_claim.method})" if rule_claim else "the rules found no place"
    note = (f"learned from {learned['corrections']} corrections: reviewers placed {learned['written']!r} at "
            f"{location.name}; {said}")
    claims = [c for c in incident.claims if c.field is not ClaimField.LOCATION]
    claims.append(Claim(ClaimField.LOCATION, location.name, cited, f"model:place/{model_id}", confidence=0.7,
                        note=note))
    return replace(incident, location=location, claims=claims)
