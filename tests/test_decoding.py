"""Invalid UTF-8 is never silently turned into mojibake (issue 9, D.13).

Certain encodings are used (BOM, valid UTF-8, a declaration the bytes obey);
a legacy one only on a confident detection (Windows-1256 Arabic stays
readable); a damaged UTF-8 file is read with its bad bytes replaced and a
warning; every source records which encoding was used and why.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tawthiq.ingest.decoding import decode
from tawthiq.ingest.errors import IngestError
from tawthiq.ingest.readers import reader_for

ROOT = Path(__file__).resolve().parents[1]
ARABIC = "قصف الطيران الحربي بلدة كفرنبل في ريف إدلب الجنوبي يوم الثلاثاء، ما أدى إلى مقتل خمسة مدنيين."
ENGLISH = "Warplanes struck the town of Saraqib in Idlib on Monday, killing three civilians."


def test_the_windows_1256_sample_is_still_arabic() -> None:
    decoded = decode((ROOT / "samples" / "02-douma-shelling.ar.txt").read_bytes())
    assert decoded.encoding == "cp1256" and "Windows-1256" in decoded.reason and not decoded.warning
    assert "مقتل خمسة مدنيين" in decoded.text and "\ufffd" not in decoded.text


@pytest.mark.parametrize(("data", "encoding", "reason"), [
    (ENGLISH.encode(), "utf-8", "valid UTF-8"),
    (ARABIC.encode("utf-8-sig"), "utf-8-sig", "byte-order mark"),
    (ARABIC.encode("utf-16"), "utf-16", "byte-order mark"),
    ("مقتل مدني في دوما".encode("cp1256"), "cp1256", "Windows-1256"),
])
def test_certain_encodings_say_why_and_warn_of_nothing(data: bytes, encoding: str, reason: str) -> None:
    decoded = decode(data)
    assert (decoded.encoding, decoded.warning, decoded.replaced) == (encoding, "", 0)
    assert reason in decoded.reason and decoded.metadata() == {"encoding": encoding, "encoding_reason": decoded.reason}


@pytest.mark.parametrize("data", [
    ENGLISH.encode() + b"\xff\n",                      # one stray byte: was "ے" (Windows-1256)
    "The café in Ariha was hit.".encode("latin-1"),    # one Latin-1 byte: too few to tell
    b"Saraqib \xe2\x80 struck. " + ENGLISH.encode() * 2,  # a truncated UTF-8 sequence: was Mac Icelandic
    ARABIC.encode()[:-2] + b" " + ARABIC.encode(),     # UTF-8 Arabic with one character cut in half
    ('He said “we were hit” at dawn; two civilians were killed in Ariha on Monday.').encode("cp1252"),
])
def test_invalid_utf8_is_replaced_and_said_never_guessed_from_a_few_bytes(data: bytes) -> None:
    decoded = decode(data)
    assert decoded.encoding == "utf-8" and decoded.replaced >= 1
    assert decoded.text.count("\ufffd") == decoded.replaced
    assert "not valid UTF-8" in decoded.warning and "U+FFFD" in decoded.warning
    meta = decoded.metadata()
    assert meta["encoding_warning"] == decoded.warning and meta["invalid_bytes_replaced"] == decoded.replaced
    assert meta["encoding_reason"]


def test_damaged_utf8_files_never_become_another_encoding() -> None:
    rng = random.Random(9013)
    for base in (ENGLISH * 3, ARABIC, f"{ENGLISH} {ARABIC}"):
        data = base.encode()
        for _ in range(60):
            damaged = bytearray(data)
            for _ in range(rng.randint(1, 2)):
                damaged[rng.randrange(len(damaged))] = rng.choice([0x80, 0xA0, 0xC3, 0xE2, 0xF0, 0xFF])
            try:
                bytes(damaged).decode("utf-8")
                continue  # the damage happened to spell valid UTF-8: nothing can tell
            except UnicodeDecodeError:
                pass
            try:
                decoded = decode(bytes(damaged))
            except IngestError:
                continue  # refusing is allowed; a silent guess is not
            assert decoded.encoding == "utf-8" and decoded.replaced and decoded.warning, decoded


def test_a_confident_legacy_detection_is_used_and_said_to_be_a_guess() -> None:
    french = "Le bombardement a tué des civils à Alep; les hôpitaux sont détruits. " * 6
    decoded = decode(french.encode("latin-1"))
    assert decoded.text == french and decoded.encoding in ("cp1252", "latin_1", "iso8859_15", "cp1250")
    assert decoded.reason.startswith("detected") and "detection" in decoded.warning


def test_two_encodings_pasted_together_are_refused() -> None:
    with pytest.raises(IngestError, match="mixed text encodings"):
        decode(ARABIC.encode() + b"\n" + ARABIC.encode("cp1256"))


def test_html_declared_utf8_with_a_bad_byte_is_replaced_and_declared_1256_is_used() -> None:
    page = f'<html><head><meta charset="utf-8"><title>t</title></head><body><p>{ENGLISH}</p></body></html>'
    (doc,) = reader_for("p.html", page.encode()[:20]).read(page.encode().replace(b"Saraqib", b"Sar\xe2qib"),
                                                           name="p.html").documents
    assert doc.metadata["encoding"] == "utf-8" and doc.metadata["invalid_bytes_replaced"] == 1
    assert "Sar\ufffdqib" in doc.text
    legacy = f'<html><head><meta charset="windows-1256"></head><body><p>{ARABIC}</p></body></html>'
    (doc,) = reader_for("p.html", b"<html>").read(legacy.encode("cp1256"), name="p.html").documents
    assert doc.text == ARABIC and doc.metadata["encoding"] == "cp1256"
    assert "declared" in doc.metadata["encoding_reason"] and "encoding_warning" not in doc.metadata


def test_ingest_says_so_on_the_files_line_and_in_the_sources_metadata(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TAWTHIQ_DATABASE_URL=f"sqlite:///{tmp_path / 'd.db'}",
               TAWTHIQ_DATA_DIR=str(tmp_path / "originals"))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                              timeout=300)

    (tmp_path / "bad.txt").write_bytes(ENGLISH.encode() + b"\xff\n")
    (tmp_path / "rows.csv").write_bytes(b'id,text\n1,"' + ENGLISH.encode() + b'\xff"\n2,"' + ENGLISH.encode() + b'"\n')
    assert run("init").returncode == 0
    proc = run("ingest", str(tmp_path / "bad.txt"), str(tmp_path / "rows.csv"),
               str(ROOT / "samples" / "02-douma-shelling.ar.txt"))
    assert proc.returncode == 0, proc.stderr
    notes = [line for line in proc.stderr.splitlines() if line.startswith("note ")]
    assert len(notes) == 2 and all("not valid UTF-8" in line for line in notes), proc.stderr  # one per file
    assert any(line.startswith("new ") and line.split()[1].endswith("bad.txt") for line in proc.stdout.splitlines())
    sources = json.loads(run("sources", "list", "--format", "json").stdout)
    for source in sources:
        meta = json.loads(run("sources", "show", str(source["id"]), "--format", "json").stdout)["metadata"]
        assert meta["encoding"] and meta["encoding_reason"]  # always which encoding, and why
        if source["original_name"].endswith("02-douma-shelling.ar.txt"):
            assert meta["encoding"] == "cp1256" and "encoding_warning" not in meta
        else:
            # every row of the batch: the file as a whole was decoded with a byte replaced
            assert meta["encoding"] == "utf-8" and "not valid UTF-8" in meta["encoding_warning"]
