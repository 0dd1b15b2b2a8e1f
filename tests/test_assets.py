"""Front-end assets come from npm into static/vendor/, and nothing is loaded from a CDN."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "src" / "tawthiq" / "web"
STATIC = WEB / "static"
VENDOR = STATIC / "vendor"

# An absolute URL (http, https or protocol-relative) where a page would fetch it:
# src attributes, <link href>, CSS url()/@import, JS fetch/import/XHR/EventSource.
# (An <a href> is a link the reader may follow, not a load: Leaflet's own
# attribution links to its home page.)
_FETCHED = re.compile(
    r"""(?:\bsrc\s*=\s*["']?\s*|<link\b[^>]*?\bhref\s*=\s*["']?\s*|url\(\s*["']?|@import\s+["']?|"""
    r"""\b(?:fetch|import|open|EventSource|Worker|importScripts)\s*\(\s*(?:["'][A-Z]+["']\s*,\s*)?["'`])"""
    r"""\s*(?:https?:)?//""",
    re.IGNORECASE,
)
_ANY_URL = re.compile(r"https?://", re.IGNORECASE)


def _remote(text: str) -> list[int]:
    """Offsets of remote URLs in a page or the project's own script/style: any
    http(s) URL at all, and protocol-relative ones where something is fetched.
    XML namespace names (``xmlns="http://www.w3.org/2000/svg"``) are identifiers,
    never fetched, so they are blanked out first (keeping the offsets)."""
    text = re.sub(r'xmlns(:\w+)?="[^"]*"', lambda m: " " * len(m.group(0)), text)
    # The same names passed to document.createElementNS("http://www.w3.org/2000/svg", …) in a script.
    text = re.sub(r"https?://www\.w3\.org/(?:2000/svg|1999/xhtml|1999/xlink)\b", lambda m: " " * len(m.group(0)), text)
    return sorted({m.start() for m in _ANY_URL.finditer(text)} | {m.start() for m in _FETCHED.finditer(text)})


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vendor_assets", ROOT / "scripts" / "vendor_assets.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _own_files() -> list[Path]:
    """Templates and the project's own static files (not the vendored libraries)."""
    files = [p for p in (WEB / "templates").rglob("*") if p.is_file()]
    files += [p for p in STATIC.rglob("*") if p.is_file() and VENDOR not in p.parents
              and p.suffix in {".js", ".css", ".html", ".svg", ".json", ".geojson"}]
    return files


def test_vendored_files_are_in_place() -> None:
    script = _script()
    if not VENDOR.is_dir():
        pytest.fail(f"{VENDOR} is missing: run ./dev setup (needs Node.js/npm)")
    expected = [VENDOR / dest for _, _, dest in script.FILES]
    missing = [str(p.relative_to(STATIC)) for p in expected if not p.is_file()]
    assert not missing, f"not vendored: {missing}; run ./dev setup"
    assert (VENDOR / "chart" / "chart.umd.min.js").stat().st_size > 100_000
    assert "L.MarkerClusterGroup" in (VENDOR / "markercluster" / "leaflet.markercluster.js").read_text("utf-8")
    assert list((VENDOR / "leaflet" / "images").glob("*.png"))


def test_fonts_css_points_at_vendored_woff2_files() -> None:
    css = (VENDOR / "fonts" / "fonts.css").read_text("utf-8")
    urls = re.findall(r"url\(\./([^)]+)\)", css)
    families = set(re.findall(r"font-family: '([^']+)'", css))
    assert families == {"Noto Naskh Arabic", "Noto Sans"}
    assert {w for w in re.findall(r"font-weight: (\d+)", css)} == {"400", "700"}
    assert any("arabic-400" in u for u in urls) and any("latin-700" in u for u in urls)
    for url in urls:
        assert url.endswith(".woff2") and (VENDOR / "fonts" / url).is_file(), url
    # The app's stylesheet names the same families, so the fonts are actually used.
    assert "Noto Naskh Arabic" in (STATIC / "css" / "app.css").read_text("utf-8")


def test_each_vendored_package_has_its_licence() -> None:
    for folder in ("leaflet", "markercluster", "chart", "fonts"):
        assert [p for p in (VENDOR / folder).iterdir() if p.name.upper().startswith("LICENSE")], folder


def test_lock_file_pins_exact_versions() -> None:
    package = json.loads((ROOT / "package.json").read_text("utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    wanted = {"leaflet", "leaflet.markercluster", "chart.js", "@fontsource/noto-naskh-arabic", "@fontsource/noto-sans"}
    assert set(package["dependencies"]) == wanted
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} {version} is not an exact version"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")


@pytest.mark.parametrize("line", [
    '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"></script>',
    "<link rel=stylesheet href='//unpkg.com/leaflet/dist/leaflet.css'>",
    "@import url(https://fonts.googleapis.com/css2?family=Noto+Sans);",
    "src: url('https://fonts.gstatic.com/x.woff2')",
    'fetch("https://tile.openstreetmap.org/1/1/1.png")',
    "L.tileLayer(`https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png`)",
])
def test_the_check_catches_cdn_references(line: str) -> None:
    assert _remote(line)


def test_the_check_ignores_xml_namespaces_only() -> None:
    assert not _remote('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>')
    assert not _remote('var ns = "http://www.w3.org/2000/svg"; document.createElementNS(ns, "rect");')
    assert _remote('<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.example/a.png"/></svg>')


def test_the_check_passes_local_assets() -> None:
    assert not _remote('<script src="/static/vendor/leaflet/leaflet.js"></script>'
                       '<link rel="stylesheet" href="/static/vendor/fonts/fonts.css"> url(./x.woff2)')


def test_no_template_or_own_static_file_references_a_remote_url() -> None:
    offenders = []
    for path in _own_files():
        text = path.read_text("utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, at) + 1}" for at in _remote(text)]
    assert not offenders, f"remote URLs in pages (assets must come from static/vendor): {offenders}"


def test_vendored_styles_and_scripts_fetch_nothing_remote() -> None:
    """Third-party files may mention their home page in a comment; they must not load from it."""
    offenders = []
    for path in VENDOR.rglob("*"):
        if path.suffix not in {".css", ".js"}:
            continue
        text = path.read_text("utf-8", errors="replace")
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)  # licence banners
        offenders += [f"{path.relative_to(VENDOR)}: {m.group(0)}" for m in _FETCHED.finditer(text)]
    assert not offenders, offenders
