"""Paths a package names that point outside it are refused, by verify-package and import-package alike.

Crafted bags: metadata and index.html naming absolute paths, ``..``, URLs
and files on disk that the manifest does not list; the same bags zipped;
and zips whose member names climb out (zip-slip) or are links. Each is
refused with one line, nothing is imported and nothing is written outside.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner, Result

from tawthiq.cli import cli
from tawthiq.services import init_workspace
from tawthiq.services.ingest import ingest_files
from tawthiq.services.packages import make_package
from tawthiq.settings import DEFAULT_MAX_FILE_SIZE, Settings

REPORT = "Aleppo, 12 March 2016: shelling by government forces killed two civilians in al-Shaar, residents said.\n"
PAGE = """<html><head><title>Raqqa</title></head><body><article>
<p>Raqqa, 3 March 2015: an air strike on the al-Mashlab district killed four civilians, residents said.</p>
</article></body></html>"""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("paths")
    ws = init_workspace(Settings(database_url=f"sqlite:///{folder / 'a.db'}", data_dir=folder / "data",
                                 max_file_size=DEFAULT_MAX_FILE_SIZE))
    (folder / "r1.txt").write_text(REPORT, encoding="utf-8")
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    results = ingest_files(ws, [folder / "r1.txt", folder / "page.html"], actor="cli:alice")
    make_package(ws, out=folder / "bag", source_ids=[r.source_ids[0] for r in results], actor="cli:alice",
                 machine="a-box")
    ws.db.dispose()  # type: ignore[attr-defined]
    yield folder / "bag"


@pytest.fixture
def bag(pristine: Path, tmp_path: Path) -> Path:
    out = tmp_path / "bag"
    shutil.copytree(pristine, out, symlinks=True)
    for path in out.rglob("*"):
        if path.is_file():
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return out


@pytest.fixture
def target(tmp_path: Path) -> dict[str, str]:
    """Another instance to import into (SQLite; the engine plays no part in refusing a path)."""
    env = {"TAWTHIQ_DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}", "TAWTHIQ_DATA_DIR": str(tmp_path / "b-data")}
    assert CliRunner().invoke(cli, ["init"], env=env).exit_code == 0
    return env


def _cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env or {})


def _edit_sources(bag: Path, change: Callable[[dict], None]) -> None:
    path = bag / "data/metadata/sources.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    change(meta)
    path.write_text(json.dumps(meta), encoding="utf-8")


def _reseal(bag: Path) -> None:
    (bag / "tawthiq-signature.txt").unlink()
    bagit.Bag(str(bag)).save(manifests=True)


def _reseal_leaving_out(bag: Path, folder: str) -> None:
    """Reseal, but keep the payload manifests' lines for ``folder`` as they were: a new file there stays unlisted."""
    kept = {a: [line for line in (bag / f"manifest-{a}.txt").read_text().splitlines() if f"  {folder}" in line]
            for a in ("sha256", "sha512")}
    (bag / "tawthiq-signature.txt").unlink()
    bagit.Bag(str(bag)).save(manifests=True)
    for algorithm, lines in kept.items():
        manifest = bag / f"manifest-{algorithm}.txt"
        rest = [line for line in manifest.read_text().splitlines() if f"  {folder}" not in line]
        manifest.write_text("\n".join(sorted(rest + lines)) + "\n")
    bagit.Bag(str(bag)).save(manifests=False)  # the tag manifests cover the payload manifests as now


def _sources_in(env: dict[str, str]) -> int:
    import sqlite3

    with sqlite3.connect(env["TAWTHIQ_DATABASE_URL"].removeprefix("sqlite:///")) as db:
        return int(db.execute("select count(*) from sources").fetchone()[0])


def _original(meta: dict) -> dict:
    return next(o for o in meta["originals"] if o["file"].endswith(".txt"))


def _escape_original(meta: dict, file: str) -> None:
    _original(meta)["file"] = file


CRAFTED: dict[str, Callable[[Path], str]] = {}


def crafted(name: str) -> Callable[[Callable[[Path], str]], Callable[[Path], str]]:
    def add(make: Callable[[Path], str]) -> Callable[[Path], str]:
        CRAFTED[name] = make
        return make
    return add


@crafted("absolute original")
def _absolute(bag: Path) -> str:
    _edit_sources(bag, lambda m: _escape_original(m, "/etc/hostname"))
    return "'/etc/hostname'"


@crafted("dot-dot original")
def _dotdot(bag: Path) -> str:
    _edit_sources(bag, lambda m: _escape_original(m, "originals/../../../../etc/hostname"))
    return "'originals/../../../../etc/hostname'"


@crafted("dot-dot derivative")
def _dotdot_derived(bag: Path) -> str:
    def change(meta: dict) -> None:
        meta["derivatives"][0]["file"] = "derived/../metadata/package.json"
    _edit_sources(bag, change)
    return "'derived/../metadata/package.json'"


@crafted("source pointing elsewhere")
def _source_elsewhere(bag: Path) -> str:
    def change(meta: dict) -> None:
        meta["sources"][0]["original"] = "../../../etc/passwd"
    _edit_sources(bag, change)
    return "'../../../etc/passwd' as its original"


@crafted("file on disk not in the manifest")
def _unlisted(bag: Path) -> str:
    holder: dict[str, str] = {}

    def change(meta: dict) -> None:
        original = _original(meta)
        unlisted = original["file"].removesuffix(".txt") + ".md"
        shutil.copy(bag / "data" / original["file"], bag / "data" / unlisted)
        original["file"] = holder["file"] = unlisted
    _edit_sources(bag, change)
    return repr(holder["file"])


@crafted("index links outside")
def _index(bag: Path) -> str:
    index = bag / "data/index.html"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "</body>", '<a href="../../../etc/passwd">x</a><img src="file:///etc/shadow"></body>'), encoding="utf-8")
    return "'../../../etc/passwd'"


@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_paths_outside_the_package_are_refused(bag: Path, target: dict[str, str], tmp_path: Path, case: str,
                                               zipped: bool) -> None:
    shown = CRAFTED[case](bag)
    if case == "file on disk not in the manifest":
        _reseal_leaving_out(bag, "data/originals/")
    else:
        _reseal(bag)
    checked = Path(shutil.make_archive(str(tmp_path / "crafted"), "zip", bag)) if zipped else bag
    done = _cli("verify-package", str(checked), "--no-signature-check")
    assert done.exit_code == 1, done.output
    refused = [line for line in done.output.splitlines() if shown in line]
    assert refused and all(line.endswith("refused") for line in refused), done.output
    imported = _cli("import-package", str(checked), "--no-signature-check", env=target)
    assert imported.exit_code == 1 and "Traceback" not in imported.output
    (line,) = imported.output.strip().splitlines()
    assert line.startswith("error: package refused, nothing imported:") and shown in line
    assert _sources_in(target) == 0 and not list((tmp_path / "b-data").rglob("*.txt"))  # nothing stored


def _zip_with(bag: Path, out: Path, extra: dict[str, bytes], *, link: str | None = None) -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(bag.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(bag).as_posix())
        for name, data in extra.items():
            archive.writestr(name, data)
        if link is not None:  # a symbolic link member (Unix mode in the high bits of external_attr)
            info = zipfile.ZipInfo(link)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return out


@pytest.mark.parametrize(("extra", "link"), [
    ({"../escaped.txt": b"x"}, None),
    ({"data/../../escaped.txt": b"x"}, None),
    ({"/tmp/escaped-abs.txt": b"x"}, None),
    ({"data\\..\\..\\escaped.txt": b"x"}, None),
    ({}, "data/originals/escaped-link"),
], ids=["dot-dot", "nested-dot-dot", "absolute", "backslashes", "symlink"])
def test_zip_slip_members_are_refused_whole(bag: Path, target: dict[str, str], tmp_path: Path,
                                             extra: dict[str, bytes], link: str | None) -> None:
    zipped = _zip_with(bag, tmp_path / "evil.zip", extra, link=link)
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    for args, env in ((["verify-package", str(zipped), "--no-signature-check"], None),
                      (["import-package", str(zipped), "--no-signature-check"], target)):
        done = _cli(*args, env=env)
        assert done.exit_code != 0 and "Traceback" not in done.output, done.output
        (line,) = done.output.strip().splitlines()
        assert line.startswith("error: evil.zip:"), line
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/escaped-abs.txt").exists()
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
    assert not list((tmp_path / "b-data").glob(".package-unzip-*"))
    assert _sources_in(target) == 0 and not list((tmp_path / "b-data").rglob("*.txt"))
