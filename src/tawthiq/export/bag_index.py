"""The human-readable page inside a package: what is in it, in a browser, offline.

Everything shown is attacker-influenced text (report titles, file names,
custody reasons), so the page is rendered with autoescaping, has no
scripts, and loads nothing from outside the bag. Files are linked only when
a browser shows them passively (text, images, PDF, audio, video): an
original web page or SVG opened from the bag would run its own scripts.
"""
from __future__ import annotations

from typing import Any

from jinja2 import Environment, select_autoescape

_TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Tawthiq package {{ package.id }}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;line-height:1.4}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}
th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:start;vertical-align:top}
code{font-size:.8rem;word-break:break-all}
</style>
</head>
<body>
<h1>Tawthiq evidence package</h1>
<dl>
<dt>Package</dt><dd><code>{{ package.id }}</code></dd>
<dt>Made</dt><dd>{{ package.created }}{% if package.actor %} by {{ package.actor }}{% endif %}{% if package.machine %} on {{ package.machine }}{% endif %}</dd>
<dt>Profile</dt><dd>{{ package.profile or "court" }}{% if package.not_included and package.not_included.sources %}
(sources not included by it: {{ package.not_included.sources|join(", ") }}){% endif %}</dd>
<dt>Instance</dt><dd><code>{{ package.instance }}</code></dd>
{% if package.reason %}<dt>Reason</dt><dd>{{ package.reason }}</dd>{% endif %}
{% if package.to %}<dt>Transferred to</dt><dd>{{ package.to }}</dd>{% endif %}
{% if package.persons is not none %}<dt>Named persons</dt><dd>{{ package.persons }} (in metadata/persons.json;
sensitive)</dd>{% endif %}
<dt>Ledger head when packaged</dt><dd>{% if package.ledger_head %}#{{ package.ledger_head.id }}
<code>{{ package.ledger_head.hash }}</code>{% else %}(empty){% endif %}</dd>
</dl>
<p>Check this package with <code>tawthiq verify-package</code> (no database needed) or any BagIt validator;
every file below is named by its SHA-256.</p>

<h2>Incidents ({{ incidents|length }})</h2>
<table>
<tr><th>id</th><th>status</th><th>event</th><th>date</th><th>place</th><th>violations</th><th>description</th></tr>
{% for i in incidents %}
<tr><td>{{ i.id }}</td><td>{{ i.status }}</td><td>{{ i.event_type }}</td>
<td>{{ (i.date or {}).get("edtf", "") }}</td><td>{{ (i.location or {}).get("name", "") }}</td>
<td>{{ i.violations|join(", ") }}</td><td dir="auto">{{ i.description }}</td></tr>
{% endfor %}
</table>

<h2>Sources ({{ sources|length }})</h2>
<table>
<tr><th>id</th><th>kind</th><th>title</th><th>received as</th><th>original</th></tr>
{% for s in sources %}
<tr><td>{{ s.id }}</td><td>{{ s.kind }}</td><td dir="auto">{{ s.title }}</td><td dir="auto">{{ s.original_name }}</td>
<td>{% if s.original|passive %}<a href="{{ s.original }}"><code>{{ s.sha256 }}</code></a>{% else %}<code>{{ s.sha256 }}</code>{% endif %}</td></tr>
{% endfor %}
</table>

<h2>Files ({{ files|length }})</h2>
<table>
<tr><th>file</th><th>role</th><th>size</th><th>SHA-256</th><th>made by</th></tr>
{% for f in files %}
{% set short = f.file.split("/")[0] ~ "/…" ~ (("." ~ f.file.rsplit(".", 1)[1]) if "." in f.file else "") %}
<tr><td>{% if f.file|passive %}<a href="{{ f.file }}">{{ short }}</a>{% else %}{{ short }}{% endif %}</td><td>{{ f.role }}</td><td>{{ f.size }}</td>
<td><code>{{ f.sha256 }}</code></td><td>{{ f.made_by }}</td></tr>
{% endfor %}
</table>

<h2>Custody ({{ entries|length }} entries{% if imported %}, {{ imported|length }} from earlier instances{% endif %})</h2>
<table>
<tr><th>#</th><th>when (UTC)</th><th>event</th><th>item</th><th>source</th><th>who</th><th>where</th><th>reason</th>
<th>entry hash</th></tr>
{% for e in entries %}
<tr><td>{{ e.id }}</td><td>{{ e.at }}</td><td>{{ e.event }}</td><td><code>{{ e.item_sha256[:16] }}…</code></td>
<td>{{ e.source_id if e.source_id is not none else "" }}</td><td>{{ e.actor }}</td><td>{{ e.machine }}</td>
<td dir="auto">{{ e.reason }}</td><td><code>{{ e.entry_hash[:16] }}…</code></td></tr>
{% endfor %}
</table>
{% if imported %}
<h3>From earlier instances</h3>
<table>
<tr><th>origin</th><th>#</th><th>when (UTC)</th><th>event</th><th>item</th><th>who</th><th>reason</th></tr>
{% for r in imported %}
<tr><td><code>{{ r.origin }}</code></td><td>{{ r.entry.id }}</td><td>{{ r.entry.at }}</td><td>{{ r.entry.event }}</td>
<td><code>{{ r.entry.item_sha256[:16] }}…</code></td><td>{{ r.entry.actor }}</td>
<td dir="auto">{{ r.entry.reason }}</td></tr>
{% endfor %}
</table>
{% endif %}
</body>
</html>
"""

PASSIVE = frozenset({".txt", ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp3", ".wav", ".ogg", ".oga",
                     ".mp4", ".m4v", ".webm", ".json"})

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_env.filters["passive"] = lambda name: any(str(name).lower().endswith(ext) for ext in PASSIVE)


def render_index(*, package: dict[str, Any], incidents: list[dict[str, Any]], sources: list[dict[str, Any]],
                 files: list[dict[str, Any]], entries: list[dict[str, Any]],
                 imported: list[dict[str, Any]]) -> str:
    return _env.from_string(_TEMPLATE).render(package=package, incidents=incidents, sources=sources, files=files,
                                              entries=entries, imported=imported)
