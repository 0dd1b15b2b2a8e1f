"""Victim lists linked as a user does it: import two lists in two scripts, link persons, export, undo."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

VDC = """الرقم,الاسم,اسم الأب,الكنية,العمر,المحافظة,تاريخ الوفاة
1,محمد,أحمد,الحلبي,12,حلب,2016-03-05
2,عبد الرحمن,خالد,الأحمد,34,إدلب,2016-04-01
3,فاطمة,محمود,السيد,50,حمص,2016-05-02
"""
SNHR = """id,given name,father,family name,age,governorate,date of death
a1,Mohammed,Ahmad,al-Halabi,12,Aleppo,2016-03-05
a2,Abdulrahman,Khaled,Al Ahmad,35,Idlib,2016-04
a3,Omar,Yusuf,Haddad,20,Hama,2016-06-01
"""


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tawthiq", *args], capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    e = dict(os.environ)
    e["TAWTHIQ_DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    e["TAWTHIQ_DATA_DIR"] = str(tmp_path / "originals")
    assert run(["init"], e).returncode == 0
    (tmp_path / "vdc.csv").write_text(VDC, encoding="utf-8")
    (tmp_path / "snhr.csv").write_text(SNHR, encoding="utf-8")
    for name in ("vdc", "snhr"):
        extra = ["--map", "given_name=الاسم"] if name == "vdc" else []
        proc = run(["persons", "import", str(tmp_path / f"{name}.csv"), "--list", name, "--id-column",
                    "الرقم" if name == "vdc" else "id", *extra], e)
        assert proc.returncode == 0, proc.stderr
    return e


def _clusters(env: dict[str, str]) -> dict[tuple[str, str], str]:
    out = run(["persons", "export", "--format", "csv"], env)
    assert out.returncode == 0, out.stderr
    return {(r["list"], r["record_id"]): r["cluster_id"] for r in csv.DictReader(io.StringIO(out.stdout))}


def test_the_same_people_in_two_scripts_become_one_person_each(env: dict[str, str]) -> None:
    proc = run(["link", "persons"], env)
    assert proc.returncode == 0 and "2 new same" in proc.stdout, proc.stdout + proc.stderr
    c = _clusters(env)
    assert c[("vdc", "1")] == c[("snhr", "a1")]  # محمد أحمد الحلبي = Mohammed Ahmad al-Halabi
    assert c[("vdc", "2")] == c[("snhr", "a2")]  # عبد الرحمن = Abdulrahman, 34 vs 35, a day vs the month
    assert len({c[("vdc", "3")], c[("snhr", "a3")], c[("vdc", "1")]}) == 3  # Fatima and Omar stand alone
    # Undo one link: the two records part, and linking again leaves the person's decision alone.
    rid = c[("vdc", "1")]
    [same] = [j for j in json.loads(run(["link", "history", rid, "--persons", "--format", "json"], env).stdout)
              if j["in_force"]]
    assert run(["link", "undo", str(same["judgement"]), "--comment", "father's name differs"], env).returncode == 0
    again = run(["link", "persons"], env)
    assert "1 judged by people" in again.stdout
    c = _clusters(env)
    assert c[("vdc", "1")] != c[("snhr", "a1")] and c[("vdc", "2")] == c[("snhr", "a2")]
