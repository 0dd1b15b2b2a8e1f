"""CLI commands that read the record: incidents, sources, search, export; and how a record prints."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..domain import Incident, IncidentStatus, Source
from ..domain.ids import MAX_ID  # ids and limits the database can hold (64-bit)
from ..domain.profiles import PROFILES
from .context import cli_actor, parse_date, this_machine, workspace
from .output import LIST_FORMATS, emit, say, say_json, say_text


def _victims_summary(incident: Incident) -> str:
    parts = []
    for v in incident.victims:
        if not v.count_min and v.count_max is None:
            parts.append(f"unknown number {v.kind} {v.outcome}")  # never "0+"
            continue
        lo = "?" if v.count_min is None else str(v.count_min)
        hi = "" if v.count_max == v.count_min else ("+" if v.count_max is None else f"-{v.count_max}")
        parts.append(f"{lo}{hi} {v.kind} {v.outcome}")
    return "; ".join(parts)


def incident_row(incident: Incident) -> dict[str, Any]:
    loc = incident.location
    return {
        "id": incident.id,
        "status": str(incident.status),
        "event_type": incident.event_type,
        "violations": ",".join(incident.violations),
        "perpetrators": ",".join(i.actor for i in incident.perpetrators),
        "date": incident.date.edtf if incident.date else "",
        "place": (loc.name or loc.text) if loc else "",
        "precision": str(loc.precision) if loc else "",
        "victims": _victims_summary(incident),
        "source_id": incident.source_id,
        "cluster_id": incident.cluster_id if incident.cluster_id is not None else incident.id,
        "independent_sources": incident.independent_sources,
    }


def source_row(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "kind": str(source.kind),
        "title": source.title,
        "language": source.language,
        "published": source.published.isoformat() if source.published else "",
        "original_name": source.original_name,
        "record_key": source.record_key,
        "sha256": source.sha256,
        "evaluation": f"{source.evaluation.reliability}{source.evaluation.credibility}",
    }


def print_incident(incident: Incident, corroboration: Any = None) -> None:
    """Human-readable incident, the corroboration matrix of its event (when given), every claim and its span."""
    row = incident_row(incident)
    say(f"Incident {incident.id}  [{row['status']}, {incident.confidentiality}]")
    say(f"  type:         {incident.event_type}")
    say(f"  violations:   {', '.join(incident.violations) or '-'}")
    say(f"  perpetrators: {', '.join(f'{i.actor} ({i.degree}) «{i.text}»' for i in incident.perpetrators) or '-'}")
    say(f"  victims:      {row['victims'] or '-'}")
    if incident.location:
        loc = incident.location
        where = ", ".join(x for x in (loc.name, loc.admin2, loc.admin1) if x)
        coords = f" ({loc.lat:.4f}, {loc.lon:.4f})" if loc.lat is not None and loc.lon is not None else ""
        say(f"  place:        {where}{coords}, precision {loc.precision}; as written «{loc.text}»")
    if incident.date:
        say(f"  date:         {incident.date.edtf} ({incident.date.precision}); as written «{incident.date.text}»")
    say(f"  source:       {incident.source_id}    confidence {incident.confidence:.2f}")
    if corroboration is not None:
        print_corroboration(corroboration)
    say("  evidence:")
    for span in incident.evidence:
        say(f"    [{span.start}:{span.end}] «{span.quote}»")
    # Current claims first; those a correction or a merge replaced apart, with who, when and why.
    for heading, shown in (("claims:", [c for c in incident.claims if c.current]),
                           ("replaced claims (kept for the record, not current):",
                            [c for c in incident.claims if not c.current])):
        if not shown and heading != "claims:":
            continue
        say(f"  {heading}")
        for claim in shown:
            where = f"[{claim.span.start}:{claim.span.end}] «{claim.span.quote}»" if claim.span else "(no span)"
            value = json.dumps(claim.value, ensure_ascii=False)
            say(f"    {claim.field}: {value}  by {claim.method}, confidence {claim.confidence:.2f}, "
                       f"source {claim.source_id} {where}")
            if not claim.current:
                when = claim.superseded_at.strftime("%Y-%m-%d %H:%M") if claim.superseded_at else "?"
                why = f": {claim.superseded_note}" if claim.superseded_note else ""
                say(f"      replaced by {claim.superseded_by or '?'} at {when}{why}")


def print_corroboration(found: Any) -> None:
    """The event's matrix: each field's values, who gives them (independent sources) and who contradicts them."""
    others = [m for m in found.members]
    say(f"  event: incidents {', '.join(str(m) for m in others)}; {len(found.sources)} source(s), "
        f"{found.independent_sources} independent")
    say("  corroboration (value: sources [independent] / contradicted by):")
    for row in found.rows:
        against = f" / contradicted by {', '.join(map(str, row.contradicted_by))}" if row.contradicted_by else ""
        say(f"    {row.field:<20} {row.value}: {', '.join(map(str, row.sources))} [{row.independent}]{against}")


def register(cli: click.Group) -> None:
    @cli.group()
    def incidents() -> None:
        """List and show incidents."""

    @incidents.command("list")
    @click.option("--type", "event_type", help="ACLED sub-event type code, e.g. air-drone-strike.")
    @click.option("--violation", help="Violation code, e.g. killing.")
    @click.option("--actor", help="Perpetrator actor code, e.g. isis.")
    @click.option("--place", help="Place name (Arabic or English), governorate or district.")
    @click.option("--from", "date_from", help="Earliest date, YYYY-MM-DD.")
    @click.option("--to", "date_to", help="Latest date, YYYY-MM-DD.")
    @click.option("--status", type=click.Choice([s.value for s in IncidentStatus]))
    @click.option("--limit", type=click.IntRange(1, MAX_ID), default=None)
    @click.option("--format", "fmt", type=LIST_FORMATS, default="table", show_default=True)
    def incidents_list(event_type: str | None, violation: str | None, actor: str | None, place: str | None,
                       date_from: str | None, date_to: str | None, status: str | None, limit: int | None,
                       fmt: str) -> None:
        """List incidents, filtered (merged ones only with --status merged)."""
        from .. import services
        from ..domain.filters import IncidentFilter

        filters = IncidentFilter(event_type=event_type, violation=violation, perpetrator=actor, place=place,
                                 date_from=parse_date(date_from, "--from"), date_to=parse_date(date_to, "--to"),
                                 status=status)
        found = services.list_incidents(workspace(), filters=filters, limit=limit)
        emit([incident_row(i) for i in found], fmt=fmt, title="incidents")

    @incidents.command("show")
    @click.argument("incident_id", type=click.IntRange(1, MAX_ID))
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    def incidents_show(incident_id: int, fmt: str) -> None:
        """Show one incident with its claims and their quoted spans."""
        from ..services.corroboration import matrix_record, shown_incident
        from ..services.formats import incident_record  # the export's and the API's JSON shape

        shown = shown_incident(workspace(), incident_id=incident_id)
        incident = shown.incident
        if fmt == "json":
            rec = incident_record(incident)
            rec["cluster_id"] = incident.cluster_id if incident.cluster_id is not None else incident.id
            rec["independent_sources"] = incident.independent_sources
            rec["corroboration"] = matrix_record(shown.corroboration)
            rec["claims"] = [
                {"field": str(c.field), "value": c.value, "method": c.method, "confidence": c.confidence,
                 "source_id": c.source_id, "created_by": c.created_by, "current": c.current,
                 "superseded_by": c.superseded_by or None, "superseded_at": c.superseded_at,
                 "superseded_note": c.superseded_note or None,
                 "span": None if c.span is None else {"start": c.span.start, "end": c.span.end, "quote": c.span.quote}}
                for c in incident.claims
            ]
            say_json(json.dumps(rec, ensure_ascii=False, indent=2, default=str))
        else:
            print_incident(incident, shown.corroboration)

    @cli.group()
    def sources() -> None:
        """List and show sources (the reports as received)."""

    @sources.command("list")
    @click.option("--limit", type=click.IntRange(1, MAX_ID), default=None)
    @click.option("--format", "fmt", type=LIST_FORMATS, default="table", show_default=True)
    def sources_list(limit: int | None, fmt: str) -> None:
        """List stored sources."""
        from .. import services

        emit([source_row(s) for s in services.list_sources(workspace(), limit=limit)], fmt=fmt, title="sources")

    @sources.command("show")
    @click.argument("source_id", type=click.IntRange(1, MAX_ID))
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    def sources_show(source_id: int, fmt: str) -> None:
        """Show one source, its text and the incidents extracted from it."""
        from .. import services

        source, found = services.get_source(workspace(), source_id)
        row = source_row(source)
        if fmt == "json":
            row.update(text=source.text, url=source.url, author=source.author, media_type=source.media_type,
                       size=source.size, metadata=source.metadata, incidents=[i.id for i in found])
            say_json(json.dumps(row, ensure_ascii=False, indent=2, default=str))
            return
        for key, value in row.items():
            say(f"{key + ':':<15}{value}")
        if source.url:
            say(f"{'url:':<15}{source.url}")
        say(f"{'incidents:':<15}{', '.join(str(i.id) for i in found) or '-'}")
        say("")
        say_text(source.text)

    @cli.command()
    @click.argument("query", nargs=-1, required=True)
    @click.option("--limit", type=click.IntRange(1, MAX_ID), default=50, show_default=True)
    @click.option("--format", "fmt", type=LIST_FORMATS, default="table", show_default=True)
    def search(query: tuple[str, ...], limit: int, fmt: str) -> None:
        """Full-text search over sources and incidents, in Arabic and English."""
        from .. import services

        hits = services.search(workspace(), " ".join(query), limit=limit)
        rows = [{"kind": h.kind, "id": h.id, "title": h.title, "snippet": h.snippet} for h in hits]
        emit(rows, fmt=fmt, title="matches")

    @cli.command()
    @click.option("--format", "fmt", type=click.Choice(["csv", "json", "geojson", "hxl"]), required=True)
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout).")
    @click.option("--type", "event_type", help="Only this event type.")
    @click.option("--status", type=click.Choice([s.value for s in IncidentStatus]))
    @click.option("--include-confidential", is_flag=True, help="Also export incidents marked confidential.")
    @click.option("--profile", type=click.Choice([p.name for p in PROFILES]), default=None,
                  help="Export for this audience (docs/publishing.md) instead of the operator's full export.")
    def export(fmt: str, output: Path | None, event_type: str | None, status: str | None,
               include_confidential: bool, profile: str | None) -> None:
        """Export incidents as CSV, JSON, GeoJSON or HXL (named persons are never exported).

        HXL (an HXL-tagged CSV, one row per event) has reviewed incidents only unless --status says otherwise.
        """
        from ..services.exports import write_export

        count = write_export(workspace(), out=sys.stdout if output is None else output, fmt=fmt, actor=cli_actor(),
                             machine=this_machine(), event_type=event_type,
                             status=IncidentStatus(status) if status else None,
                             include_confidential=include_confidential, profile=profile)
        if output is not None:
            say(f"wrote {count} incident(s) to {output}", err=True)
