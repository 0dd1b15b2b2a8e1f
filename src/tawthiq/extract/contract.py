"""The extraction contract (``eval/CONTRACT.md``): incidents as plain JSON, and JSON Lines batch mode.

``tawthiq extract --jsonl`` reads one report per line and writes one result
per line, in order, flushing each. A bad line (not JSON, no text, text too
long) gets ``{"id": …, "incidents": [], "error": "…"}`` and the batch goes on:
report text is attacker-controlled and one report must never stop the rest.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any, TextIO

from ..domain import Incident
from ..domain.vocab import top_actor
from .base import Extractor

MAX_LINE_TEXT = 1_000_000  # characters; a longer report is refused, not truncated
MAX_EVIDENCE = 600


@cache
def default_extractor() -> Extractor:
    """The extractor the CLI and the ingest pipeline use (built once per process)."""
    from .engine import RuleExtractor

    return RuleExtractor()


def incident_to_contract(incident: Incident) -> dict[str, Any]:
    """One incident in exactly the contract's INCIDENT shape."""
    loc = incident.location
    location = None
    if loc is not None:
        location = {
            "name": loc.name, "text": loc.text, "country": loc.country or None,
            "admin1": loc.admin1 or None, "admin2": loc.admin2 or None,
            "lat": loc.lat, "lon": loc.lon, "precision": str(loc.precision),
        }
    seen: set[str] = set()
    perpetrators = []
    for inv in incident.perpetrators:
        code = top_actor(inv.actor)
        if code in seen:
            continue
        seen.add(code)
        perpetrators.append({"actor": code, "text": inv.text})
    return {
        "event_type": incident.event_type,
        "violations": list(dict.fromkeys(incident.violations)),
        "perpetrators": perpetrators,
        "victims": [
            {"kind": str(v.kind), "outcome": str(v.outcome), "count_min": v.count_min, "count_max": v.count_max,
             "text": v.text}
            for v in incident.victims
        ],
        "location": location,
        "date": {"edtf": incident.date.edtf, "text": incident.date.text} if incident.date else None,
        "evidence": [
            {"start": s.start, "end": s.end, "quote": s.quote}
            for s in incident.evidence if 0 <= s.start < s.end and s.end - s.start <= MAX_EVIDENCE
        ],
        "confidence": round(float(incident.confidence), 3),
    }


class _BadLine(ValueError):
    pass


def _parse(line: str) -> tuple[Any, str, str | None, date | None]:
    try:
        doc = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        raise _BadLine("line is not valid JSON") from None
    if not isinstance(doc, dict):
        raise _BadLine("line is not a JSON object")
    ident = doc.get("id")
    text = doc.get("text")
    if not isinstance(text, str):
        raise _BadLineWithId(ident, "missing or non-string 'text'")
    if len(text) > MAX_LINE_TEXT:
        raise _BadLineWithId(ident, f"text longer than {MAX_LINE_TEXT} characters")
    language = doc.get("language")
    language = language if language in ("en", "ar") else None
    published = None
    raw = doc.get("published")
    if isinstance(raw, str) and raw:
        try:
            published = date.fromisoformat(raw[:10])
        except ValueError:
            published = None  # a bad date costs relative dates, not the report
    return ident, text, language, published


class _BadLineWithId(_BadLine):
    def __init__(self, ident: Any, message: str) -> None:
        super().__init__(message)
        self.ident = ident


def _safe_id(ident: Any) -> Any:
    return ident if isinstance(ident, (str, int, float)) or ident is None else str(ident)


def run_jsonl(stdin: TextIO, stdout: TextIO, *, extractor: Extractor | None = None) -> int:
    """Batch mode: one JSON result per input line, in order; returns the number of bad lines."""
    extractor = extractor or default_extractor()
    bad = 0
    for raw in _lines(stdin):
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                bad += 1
                stdout.write(_dump({"id": None, "incidents": [], "error": "line is not valid UTF-8"}) + "\n")
                stdout.flush()
                continue
        else:
            line = raw
        if not line.strip():
            continue
        ident: Any = None
        try:
            ident, text, language, published = _parse(line)
            incidents = extractor.extract(text, language=language, published=published)
            result: dict[str, Any] = {"id": _safe_id(ident), "incidents": [incident_to_contract(i) for i in incidents]}
        except _BadLineWithId as exc:
            bad += 1
            result = {"id": _safe_id(exc.ident), "incidents": [], "error": str(exc)}
        except _BadLine as exc:
            bad += 1
            result = {"id": None, "incidents": [], "error": str(exc)}
        except Exception as exc:  # never a traceback in batch mode
            bad += 1
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            result = {"id": _safe_id(ident), "incidents": [], "error": f"{type(exc).__name__}: {first}"}
        stdout.write(_dump(result) + "\n")
        stdout.flush()
    return bad


def _lines(stdin: TextIO) -> Iterator[str | bytes]:
    """Lines of the input; raw bytes where available, so one undecodable line costs only itself."""
    buffer = getattr(stdin, "buffer", None)
    return iter(buffer) if buffer is not None else iter(stdin)


def _dump(result: dict[str, Any]) -> str:
    """One JSON line; text with lone surrogates (valid JSON, not valid UTF-8) is written escaped."""
    line = json.dumps(result, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(result, ensure_ascii=True)
    return line
