"""What reviewers' corrections of perpetrators and places teach, read from the reviewed record and measured.

A reviewed incident the rules had extracted is an example for both: the actors
a person kept against those the rules found (and the written form of the group
when the person cited one with a span), the place a person kept against the
rules' (and how the place is written there: the person's span, or the place's
own text when the act's span holds it). :mod:`tawthiq.extract.learned_forms`
learns the forms; this module reads the examples and scores the forms on the
held-out fifth (the same split as the event types, see ``learning.py``).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..domain import Claim, ClaimField, Incident

__all__ = ["form_examples", "learn_forms", "score_actors", "score_places"]

_MACHINE = ("rule:", "model:")


def _machine(claim: Claim) -> bool:
    return claim.method.startswith(_MACHINE)


def _location_dict(incident: Incident) -> dict[str, Any] | None:
    loc = incident.location
    if loc is None:
        return None
    return {"name": loc.name, "name_ar": loc.name_ar, "country": loc.country, "admin1": loc.admin1,
            "admin2": loc.admin2, "admin3": loc.admin3, "lat": loc.lat, "lon": loc.lon,
            "precision": str(loc.precision), "place_id": loc.place_id}


def _inside(claim: Claim, start: int, end: int) -> tuple[int, int] | None:
    """The claim's span as offsets in the evidence span, when it is a part of it (not the whole sentence)."""
    s = claim.span
    if s is None or s.start < start or s.end > end or (s.end - s.start) * 2 > end - start:
        return None
    return s.start - start, s.end - start


def form_examples(incidents: Iterable[Incident]) -> list[tuple[int, Any, Any]]:
    """(incident id, ActorExample, PlaceExample) for each reviewed incident the rules had extracted."""
    from ..domain.arabic import fold_letters
    from ..extract.learned_forms import ActorExample, PlaceExample, gazetteer_found

    out: list[tuple[int, Any, Any]] = []
    for incident in incidents:
        span = incident.evidence[0] if incident.evidence else None
        if incident.id is None or span is None or not span.quote.strip() \
                or not any(_machine(c) for c in incident.claims if c.field is ClaimField.EVENT_TYPE):
            continue  # entered by hand: no machine suggestion was corrected
        quote = span.quote
        machine_actors = tuple(dict.fromkeys(str(c.value) for c in incident.claims
                                             if c.field is ClaimField.PERPETRATOR and _machine(c)))
        people = [c for c in incident.claims if c.field is ClaimField.PERPETRATOR and not _machine(c) and c.current]
        cited = tuple((c.span.quote, str(c.value)) for c in people if c.span is not None and c.span.quote.strip())
        cited += tuple((i.text, i.actor) for i in incident.perpetrators
                       if i.text.strip() and fold_letters(i.text) in fold_letters(quote)
                       and i.actor not in machine_actors)
        masked = tuple(m for c in incident.claims if _machine(c) and c.field is not ClaimField.PERPETRATOR
                       and (m := _inside(c, span.start, span.end)) is not None)
        actors = ActorExample(text=quote, actors=tuple(dict.fromkeys(p.actor for p in incident.perpetrators)),
                              machine=machine_actors, cited=tuple(dict.fromkeys(cited)), masked=masked)
        rule_place = next((c for c in incident.claims if c.field is ClaimField.LOCATION and _machine(c)), None)
        person_place = next((c for c in incident.claims if c.field is ClaimField.LOCATION and not _machine(c)
                             and c.current), None)
        form = ""
        if person_place is not None and person_place.span is not None and person_place.span.quote.strip():
            form = person_place.span.quote
        elif incident.location is not None and incident.location.text.strip() \
                and fold_letters(incident.location.text) in fold_letters(quote):
            form = incident.location.text
        places = PlaceExample(text=quote, location=_location_dict(incident),
                              machine=str(rule_place.value) if rule_place is not None else "",
                              machine_gazetteer=rule_place is not None and gazetteer_found(rule_place.method),
                              form=form if person_place is not None else "")
        out.append((incident.id, actors, places))
    return out


def _in_gazetteer(text: str) -> bool:
    from ..extract.places import find_places

    return any(m.place is not None for m in find_places(text))


def learn_forms(examples: list[tuple[int, Any, Any]], *, min_corrections: int) -> dict[str, dict[str, Any]]:
    """The actor and place forms ``examples`` teach (as the model file keeps them)."""
    from ..extract.learned_forms import learn_actor_forms, learn_place_forms

    return {"actors": learn_actor_forms((a for _i, a, _p in examples), min_corrections=min_corrections),
            "places": learn_place_forms((p for _i, _a, p in examples), min_corrections=min_corrections,
                                        in_gazetteer=_in_gazetteer)}


def score_actors(forms: dict[str, Any], examples: list[Any]) -> tuple[int, int, int, int]:
    """(examples, rules right, rules+forms right, changed): the perpetrators as the person kept them."""
    from ..extract.learned_forms import match_form

    rules_right = model_right = changed = 0
    learned = forms.get("actors") or {}
    for e in examples:
        choice = set(e.machine)
        if not choice and (hit := match_form(e.text, learned)):
            choice = {learned[hit[0]]["actor"]}
            changed += 1
        rules_right += set(e.machine) == set(e.actors)
        model_right += choice == set(e.actors)
    return len(examples), rules_right, model_right, changed


def score_places(forms: dict[str, Any], examples: list[Any]) -> tuple[int, int, int, int]:
    """(examples, rules right, rules+forms right, changed): the place name as the person kept it."""
    from ..extract.learned_forms import match_form

    rules_right = model_right = changed = 0
    learned = forms.get("places") or {}
    for e in examples:
        kept = (e.location or {}).get("name", "")
        choice = e.machine
        if not e.machine_gazetteer and (hit := match_form(e.text, learned)):
            choice = learned[hit[0]]["location"]["name"]
            changed += choice != e.machine
        rules_right += e.machine == kept
        model_right += choice == kept
    return len(examples), rules_right, model_right, changed
