"""A learned second opinion on event types, trained from what reviewers accepted and corrected.

The rules decide every field; this model only re-ranks the event type among
the types the rules themselves found words for in the act's evidence span
(each trigger's type, its upgrades and its per-actor types), so it can move a
"shelling" to the "territory change" the same sentence also tells, but never
invent an act no word points to. It changes the rules' choice only when it is
confident (``threshold``), and the claim it leaves names the model, the rules'
own choice and the model's confidence.

The model is a conditional logit (a softmax over each act's candidate types)
over sparse features of the span: folded words and word pairs, the trigger
names found in it, the rules' choice and the language. It is small,
deterministic for the same examples, needs no library and trains in seconds
on thousands of reviewed incidents on one core.

Examples come from the reviewed record (see ``services/learning.py``); nothing
here reads a database or a file.
"""
from __future__ import annotations

import json
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..domain import Claim, ClaimField, Incident
from ..domain.arabic import fold_letters
from .learned_words import quoted_span, tokens
from .lexicon import Lexicon

__all__ = ["Example", "TypeModel", "candidate_types", "features", "retype", "train"]

FORMAT = "tawthiq-event-type-model/2"  # /2 adds the learned actor and place forms
_READS = (FORMAT, "tawthiq-event-type-model/1")  # a /1 file is an event-type model with no forms
DEFAULT_THRESHOLD = 0.75  # the model's probability needed to overrule the rules


@dataclass(frozen=True, slots=True)
class Example:
    """One reviewed act: the words it rests on and the type a person kept for it."""

    text: str
    language: str
    label: str
    rule_type: str  # what the rules said (the model learns when they are right)
    triggers: tuple[str, ...] = ()  # names of the triggers found in ``text``
    weight: float = 1.0  # a person's correction counts more than a confirmation
    candidates: tuple[str, ...] = ()  # the types the rules found words for (empty: every class competes)


@dataclass(slots=True)
class TypeModel:
    """Weights: feature -> {event type: weight}; ``meta`` says how it was made."""

    weights: dict[str, dict[str, float]]
    classes: tuple[str, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    threshold: float = DEFAULT_THRESHOLD
    # Written forms reviewers' corrections taught (learned_forms.py): {"actors": {...}, "places": {...}}.
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)

    def probabilities(self, feats: Sequence[str], candidates: Sequence[str]) -> dict[str, float]:
        """A softmax over the candidates' scores (only the candidates compete). Each feature counts
        1/sqrt(n) of an act with n features, so a long span is not more certain than a short one."""
        totals = dict.fromkeys(candidates, 0.0)
        value = _value(feats)
        for f in feats:
            row = self.weights.get(f)
            if row:
                for c in candidates:
                    totals[c] += row.get(c, 0.0) * value
        top = max(totals.values(), default=0.0)
        exp = {c: math.exp(max(-50.0, s - top)) for c, s in totals.items()}
        norm = sum(exp.values()) or 1.0
        return {c: v / norm for c, v in exp.items()}

    def to_bytes(self) -> bytes:
        body = {"format": FORMAT, "classes": list(self.classes), "threshold": self.threshold, "meta": self.meta,
                "forms": self.forms,
                "weights": {f: {c: round(w, 4) for c, w in row.items() if abs(w) >= 1e-4}
                            for f, row in sorted(self.weights.items())}}
        return zlib.compress(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8"), 9)

    @classmethod
    def from_bytes(cls, data: bytes) -> TypeModel:
        """Read a model written by :meth:`to_bytes`; ValueError on anything else."""
        try:
            body = json.loads(zlib.decompress(data))
        except (zlib.error, ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"not an event-type model ({type(exc).__name__})") from None
        if not isinstance(body, dict) or body.get("format") not in _READS:
            raise ValueError("not an event-type model of this version")
        weights = {str(f): {str(c): float(w) for c, w in row.items()} for f, row in body["weights"].items()}
        return cls(weights=weights, classes=tuple(body["classes"]), meta=dict(body.get("meta") or {}),
                   threshold=float(body.get("threshold", DEFAULT_THRESHOLD)),
                   forms={str(k): dict(v) for k, v in (body.get("forms") or {}).items()})


def _value(feats: Sequence[str]) -> float:
    return 1.0 / math.sqrt(len(feats)) if feats else 0.0


def features(text: str, *, language: str, rule_type: str, triggers: Sequence[str]) -> list[str]:
    """Sparse features of one act: folded words and pairs, trigger names, the rules' choice, the language."""
    words = [w for w, _s, _e in tokens(text)]
    out = ["bias", f"lang={language}", f"rule={rule_type}"]
    out += [f"w={w}" for w in dict.fromkeys(words)]
    out += [f"p={a}_{b}" for a, b in dict.fromkeys(zip(words, words[1:]))]
    out += [f"t={t}" for t in dict.fromkeys(triggers)]
    out += [f"t={t}|rule={rule_type}" for t in dict.fromkeys(triggers)]
    return out


def train(examples: Sequence[Example], *, classes: Sequence[str], epochs: int = 20, seed: int = 7,
          rate: float = 0.5, l2: float = 1e-4, meta: dict[str, Any] | None = None,
          threshold: float = DEFAULT_THRESHOLD) -> TypeModel:
    """Fit a conditional logit by stochastic gradient descent: for each example the softmax runs over its own
    candidate types (as :func:`retype` will), so the probabilities it learns are the ones it is asked for.
    The order of examples is shuffled the same way for the same ``seed``."""
    import random

    weights: dict[str, dict[str, float]] = {}
    prepared = []
    for e in examples:
        if e.label not in classes:
            continue
        candidates = tuple(dict.fromkeys([e.label, e.rule_type, *e.candidates])) if e.candidates \
            else tuple(classes)
        prepared.append((features(e.text, language=e.language, rule_type=e.rule_type, triggers=e.triggers),
                         e.label, e.weight, candidates))
    rng = random.Random(seed)
    scorer = TypeModel(weights=weights, classes=tuple(classes))  # reads the weights as they are updated
    for epoch in range(epochs):
        rng.shuffle(prepared)
        step = rate / (1.0 + epoch)
        for feats, label, weight, candidates in prepared:
            if len(candidates) < 2:
                continue
            probs = scorer.probabilities(feats, candidates)
            value = _value(feats)
            for c in candidates:
                gradient = ((1.0 if c == label else 0.0) - probs[c]) * weight * step * value
                if abs(gradient) < 1e-7:
                    continue
                for f in feats:
                    row = weights.setdefault(f, {})
                    row[c] = row.get(c, 0.0) * (1.0 - step * l2) + gradient
    return TypeModel(weights=weights, classes=tuple(classes), meta=dict(meta or {}), threshold=threshold)


def candidate_types(lex: Lexicon, hay: str) -> tuple[list[str], list[str]]:
    """The trigger names found in ``hay`` (folded text) and every event type they may give."""
    names: list[str] = []
    types: list[str] = []
    for entry, _m in lex.trigger_scan.finditer(hay):
        trigger = lex.triggers[lex.trigger_of[entry]]
        names.append(trigger.name)
        types.append(trigger.event_type)
        types.extend(u.event_type for u in trigger.upgrades)
        types.extend(trigger.actor_event_type.values())
    return list(dict.fromkeys(names)), list(dict.fromkeys(types))


def retype(incidents: list[Incident], *, lex: Lexicon, language: str, model: TypeModel) -> list[Incident]:
    """Each incident with the model's event type where it is confident and differs from the rules'."""
    out: list[Incident] = []
    for incident in incidents:
        span = quoted_span(incident)
        if span is None:
            out.append(incident)
            continue
        names, types = candidate_types(lex, fold_letters(span.quote))
        rule_type = incident.event_type
        candidates = list(dict.fromkeys([rule_type, *types]))
        if len(candidates) < 2:
            out.append(incident)
            continue
        probs = model.probabilities(features(span.quote, language=language, rule_type=rule_type, triggers=names),
                                    candidates)
        best = max(candidates, key=lambda c: (probs[c], c == rule_type))
        if best == rule_type or probs[best] < model.threshold:
            out.append(incident)
            continue
        rule_claim = next((c for c in incident.claims if c.field is ClaimField.EVENT_TYPE), None)
        note = (f"the rules said {rule_type} ({rule_claim.method if rule_claim else 'rule'}); "
                f"model {model.meta.get('id', '?')} gives {best} {probs[best]:.2f}")
        claims = [c for c in incident.claims if c.field is not ClaimField.EVENT_TYPE]
        claims.append(Claim(ClaimField.EVENT_TYPE, best, rule_claim.span if rule_claim else span,
                            f"model:event-type/{model.meta.get('id', 'workspace')}", confidence=round(probs[best], 2),
                            note=note))
        out.append(replace(incident, event_type=best, claims=claims))
    return out
