"""The published static site: an incident list, a map and the figures, in English and Arabic.

Built from the published database alone (:mod:`.publish_db`), never from the
record, so the site cannot show what the database does not hold. Plain files
that work from any web host and from the disk (file://): the data the map
needs is a script beside it rather than a file it would have to fetch, the
map library and its basemap are copied from the web app's own vendored
assets, and nothing is loaded from elsewhere. Texts come from
``publish_site.toml``; Arabic pages are ``*.ar.html`` with ``dir="rtl"``.
"""
from __future__ import annotations

import html
import json
import sqlite3
import tomllib
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..stats import format_range

__all__ = ["LANGUAGES", "PAGES", "text", "write_site"]

LANGUAGES = ("en", "ar")
PAGES = ("index", "map", "figures")
_DIMENSIONS = ("perpetrator", "violation", "governorate", "event_type", "month")


@cache
def _strings() -> dict[str, dict[str, str]]:
    raw = resources.files("tawthiq.export").joinpath("publish_site.toml").read_text(encoding="utf-8")
    out: dict[str, dict[str, str]] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        if "en" in node and "ar" in node:
            out[prefix] = {"en": node["en"], "ar": node["ar"]}
            return
        for key, value in node.items():
            walk(f"{prefix}.{key}" if prefix else key, value)

    walk("", tomllib.loads(raw))
    return out


def text(key: str, lang: str, **values: Any) -> str:
    """The text ``key`` in ``lang``, its ``{name}`` places filled (escaped for HTML)."""
    found = _strings()[key][lang]
    return html.escape(found.format(**{k: str(v) for k, v in values.items()}), quote=True)


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _page_name(page: str, lang: str) -> str:
    return f"{page}.html" if lang == "en" else f"{page}.ar.html"


def _head(lang: str, page: str, title: str, *, extra: str = "") -> str:
    other = "ar" if lang == "en" else "en"
    current = ' aria-current="page"'
    nav = " ".join(f'<a href="{_page_name(p, lang)}"{current if p == page else ""}>'
                   f'{text("nav.list" if p == "index" else f"nav.{p}", lang)}</a>' for p in PAGES)
    return (f'<!doctype html>\n<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">\n<head>\n'
            '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title} · {text('site.title', lang)}</title>\n"
            '<link rel="stylesheet" href="assets/fonts/fonts.css">\n<link rel="stylesheet" href="assets/site.css">\n'
            f"{extra}</head>\n<body>\n<header><h1>{text('site.title', lang)}</h1>\n"
            f'<nav>{nav} <a href="{_page_name(page, other)}" lang="{other}" hreflang="{other}">'
            f"{text('nav.other', lang)}</a></nav></header>\n<main>\n")


def _foot(lang: str, *, licence: str, published: str) -> str:
    return (f"</main>\n<footer><p>{text('footer.licence', lang, licence=licence, db='data/tawthiq.db')}</p>"
            f"<p>{text('footer.published', lang, date=published)}</p></footer>\n</body>\n</html>\n")


def _incident_rows(conn: sqlite3.Connection, lang: str) -> Iterator[str]:
    cursor = conn.execute(
        f"SELECT id, event, date_{lang}, date_edtf, place_{lang}, event_type_{lang}, perpetrators_{lang}, "
        "killed_min, killed_max, injured_min, injured_max, description FROM incidents ORDER BY date_edtf DESC, id")
    for (iid, event, date, edtf, place, kind, perps, kmin, kmax, imin, imax, desc) in cursor:
        killed = "" if kmin is None and kmax is None else format_range(kmin or 0, kmax, unknown="?")
        injured = "" if imin is None and imax is None else format_range(imin or 0, imax, unknown="?")
        yield (f'<tr id="incident-{_e(iid)}"><td>{_e(iid)}</td><td>{_e(event)}</td>'
               f'<td><time datetime="{_e(edtf)}">{_e(date or edtf)}</time></td><td>{_e(place)}</td>'
               f"<td>{_e(kind)}</td><td>{_e(perps.replace(';', '، ' if lang == 'ar' else ', '))}</td>"
               f"<td>{_e(killed)}</td><td>{_e(injured)}</td><td>{_e(desc)}</td></tr>\n")


def _write_index(conn: sqlite3.Connection, path: Path, lang: str, foot: str) -> None:
    (count,) = conn.execute("SELECT count(*) FROM incidents").fetchone()
    cols = ("id", "event", "date", "place", "type", "perpetrators", "killed", "injured", "description")
    with path.open("w", encoding="utf-8") as out:  # row by row: a record of 100,000 incidents stays small
        out.write(_head(lang, "index", text("nav.list", lang)))
        out.write(f"<p>{text('site.intro', lang)}</p>\n<p id=\"count\">{text('list.count', lang, n=count)}</p>\n"
                  f"<p>{text('list.event_note', lang)}</p>\n")
        out.write('<table id="incidents"><thead><tr>' + "".join(f"<th>{text(f'col.{c}', lang)}</th>" for c in cols)
                  + "</tr></thead>\n<tbody>\n")
        for row in _incident_rows(conn, lang):
            out.write(row)
        out.write("</tbody></table>\n" + foot)


def _range_cells(lo: int, hi: int | None) -> str:
    return f"<td>{_e(format_range(lo, hi, unknown='?'))}</td>"


def _write_figures(conn: sqlite3.Connection, path: Path, lang: str, foot: str) -> None:
    parts = [_head(lang, "figures", text("nav.figures", lang)), f"<p>{text('figures.note', lang)}</p>\n"]
    head = (f"<tr><th>{text('col.key', lang)}</th><th>{text('col.events', lang)}</th>"
            f"<th>{text('col.killed', lang)}</th><th>{text('col.injured', lang)}</th></tr>")
    for dimension in ("total", *_DIMENSIONS):
        title = text("figures.total" if dimension == "total" else f"dim.{dimension}", lang)
        parts.append(f'<section id="figures-{dimension}"><h2>{title}</h2><table><thead>{head}</thead><tbody>\n')
        for label, events, kmin, kmax, imin, imax in conn.execute(
                f"SELECT label_{lang}, events, killed_min, killed_max, injured_min, injured_max FROM figures "
                "WHERE dimension = ? ORDER BY rowid", (dimension,)):
            shown = title if dimension == "total" else label
            parts.append(f"<tr><td>{_e(shown)}</td><td>{_e(events)}</td>{_range_cells(kmin, kmax)}"
                         f"{_range_cells(imin, imax)}</tr>\n")
        parts.append("</tbody></table></section>\n")
    parts.append(f'<section id="figures-outcomes"><h2>{text("dim.outcomes", lang)}</h2><table><thead><tr>'
                 f"<th>{text('col.outcome', lang)}</th><th>{text('col.kind', lang)}</th>"
                 f"<th>{text('col.events', lang)}</th><th>{text('col.victims', lang)}</th></tr></thead><tbody>\n")
    for label, kind, events, vmin, vmax in conn.execute(
            f"SELECT label_{lang}, kind, events, victims_min, victims_max FROM outcomes ORDER BY rowid"):
        kind_label = text(f"kind.{kind}", lang) if f"kind.{kind}" in _strings() else _e(kind)
        parts.append(f"<tr><td>{_e(label)}</td><td>{kind_label}</td><td>{_e(events)}</td>"
                     f"{_range_cells(vmin, vmax)}</tr>\n")
    parts.append("</tbody></table></section>\n" + foot)
    path.write_text("".join(parts), encoding="utf-8")


def _write_map(conn: sqlite3.Connection, path: Path, lang: str, foot: str) -> None:
    (unmapped,) = conn.execute("SELECT count(*) FROM incidents WHERE lat IS NULL OR lon IS NULL").fetchone()
    extra = '<link rel="stylesheet" href="assets/leaflet/leaflet.css">\n'
    path.write_text(
        _head(lang, "map", text("nav.map", lang), extra=extra)
        + f"<p>{text('map.note', lang)}</p>\n<p id=\"unmapped\">{text('map.unmapped', lang, n=unmapped)}</p>\n"
        + f'<div id="map" data-lang="{lang}"></div>\n'
        + '<script src="assets/leaflet/leaflet.js"></script>\n<script src="assets/basemap.js"></script>\n'
        + '<script src="assets/incidents.js"></script>\n<script src="assets/map.js"></script>\n'
        + foot, encoding="utf-8")


def _js_data(name: str, value: Any) -> str:
    # "</" never closes anything in a .js file, but a host that inlines it stays safe as well.
    return f"window.{name} = " + json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/") \
        + ";\n"


def _write_points(conn: sqlite3.Connection, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("window.TAWTHIQ_INCIDENTS = [\n")
        for row in conn.execute(
                "SELECT id, lat, lon, event_type_en, event_type_ar, date_en, date_ar, place_en, place_ar, "
                "killed_min, killed_max FROM incidents WHERE lat IS NOT NULL AND lon IS NOT NULL ORDER BY id"):
            iid, lat, lon, ten, tar, den, dar, pen, par, kmin, kmax = row
            killed = "" if kmin is None and kmax is None else format_range(kmin or 0, kmax, unknown="?")
            item = {"id": iid, "lat": lat, "lon": lon, "type": {"en": ten, "ar": tar}, "date": {"en": den, "ar": dar},
                    "place": {"en": pen, "ar": par}, "killed": killed}
            out.write(json.dumps(item, ensure_ascii=False).replace("</", "<\\/") + ",\n")
        out.write("];\n")


_MAP_JS = """// The published map: the offline basemap and a dot per incident with a place (no tile server).
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var lang = el.dataset.lang === "ar" ? "ar" : "en";
  var map = L.map(el, { minZoom: 5, maxZoom: 13 }).setView([35.0, 38.5], 6);
  L.geoJSON(window.TAWTHIQ_BASEMAP || { type: "FeatureCollection", features: [] }, {
    style: function (f) {
      var own = f.properties.layer === "governorate";
      return { color: own ? "#555" : "#999", weight: own ? 1 : 0.5, fill: own, fillColor: "#f4f1ea", fillOpacity: 1 };
    },
    filter: function (f) { return f.geometry.type !== "Point"; }
  }).addTo(map);
  (window.TAWTHIQ_INCIDENTS || []).forEach(function (item) {
    var dot = L.circleMarker([item.lat, item.lon], { radius: 5, color: "#8b1a1a", weight: 1, fillOpacity: 0.7 });
    var box = document.createElement("div");
    [item.type[lang], item.date[lang], item.place[lang], item.killed ? "\\u2020 " + item.killed : ""]
      .forEach(function (line) {
        if (line) { var p = document.createElement("div"); p.textContent = line; box.appendChild(p); }
      });
    var link = document.createElement("a");
    link.href = (lang === "ar" ? "index.ar.html" : "index.html") + "#incident-" + item.id;
    link.textContent = "#" + item.id;
    box.appendChild(link);
    dot.bindPopup(box);
    dot.addTo(map);
  });
})();
"""

_CSS = """body { font-family: 'Noto Sans', 'Noto Naskh Arabic', sans-serif; margin: 0 auto; max-width: 80rem; padding: 1rem; }
html[lang="ar"] body { font-family: 'Noto Naskh Arabic', 'Noto Sans', sans-serif; }
nav a { margin-inline-end: 1rem; }
nav a[aria-current="page"] { font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin-block: 1rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: start; vertical-align: top; }
#map { height: 36rem; background: #dfe9f0; }
footer { margin-top: 2rem; color: #555; font-size: 0.9rem; }
"""


def _static(*parts: str) -> Any:
    # The web app's vendored files, read as package data (no import of the web layer).
    return resources.files("tawthiq").joinpath("web", "static", *parts)


def _copy_assets(assets: Path) -> None:
    (assets / "leaflet" / "images").mkdir(parents=True)
    (assets / "fonts").mkdir()
    leaflet = _static("vendor", "leaflet")
    for name in ("leaflet.js", "leaflet.css", "LICENSE"):
        (assets / "leaflet" / name).write_bytes(leaflet.joinpath(name).read_bytes())
    for item in leaflet.joinpath("images").iterdir():
        (assets / "leaflet" / "images" / item.name).write_bytes(item.read_bytes())
    for item in _static("vendor", "fonts").iterdir():
        if item.name.endswith((".css", ".woff2", ".txt")):
            (assets / "fonts" / item.name).write_bytes(item.read_bytes())
    basemap = json.loads(_static("geo", "basemap.geojson").read_text(encoding="utf-8"))
    (assets / "basemap.js").write_text(_js_data("TAWTHIQ_BASEMAP", basemap), encoding="utf-8")
    (assets / "map.js").write_text(_MAP_JS, encoding="utf-8")
    (assets / "site.css").write_text(_CSS, encoding="utf-8")


def write_site(site: Path, *, database: Path, licence: str, published: str) -> None:
    """Write the site into ``site`` (must not exist) from the published ``database``."""
    site.mkdir()
    _copy_assets(site / "assets")
    conn = sqlite3.connect(database)
    try:
        _write_points(conn, site / "assets" / "incidents.js")
        for lang in LANGUAGES:
            foot = _foot(lang, licence=licence, published=published)
            _write_index(conn, site / _page_name("index", lang), lang, foot)
            _write_map(conn, site / _page_name("map", lang), lang, foot)
            _write_figures(conn, site / _page_name("figures", lang), lang, foot)
    finally:
        conn.close()
