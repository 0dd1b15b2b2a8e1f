"""The demo ends with an admin's one-time password; ``tawthiq users`` manages accounts."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


from tawthiq.services import Workspace
from tawthiq.settings import Settings

from _client import client_for, sign_in

ROOT = Path(__file__).resolve().parents[2]


def tawthiq(*args: str, env: dict[str, str], stdin: str | None = None, cwd: Path | None = None):
    return subprocess.run([sys.executable, "-m", "tawthiq", *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, **env}, cwd=cwd, timeout=300)


def test_demo_prints_a_working_one_time_password(tmp_path: Path) -> None:
    done = tawthiq("demo", str(ROOT / "samples"), "--dir", str(tmp_path / "demo"), "--no-serve", "--port", "8123",
                   env={}, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    match = re.search(r"Web app: http://127\.0\.0\.1:8123/\s+user: admin\s+one-time password: (\S+)", done.stdout)
    assert match, done.stdout[-500:]
    assert "\\n" not in done.stdout  # blank lines are blank lines, not an escaped line break
    assert re.search(r"^Explore it: TAWTHIQ_DATABASE_URL=", done.stdout, re.M)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo' / 'tawthiq.db'}",
                        data_dir=tmp_path / "demo" / "originals", max_file_size=10**7)
    ws = Workspace.open(settings)
    with client_for(ws, raise_server_exceptions=True) as client:
        response = sign_in(client, "admin", match.group(1))
        assert response.status_code == 303 and response.headers["location"] == "/password"
    ws.db.dispose()


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine", encoding="utf-8")
    refused = tawthiq("demo", str(ROOT / "samples"), "--dir", str(mine), "--no-serve", env={}, cwd=tmp_path)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr == f"error: {mine} exists and is not a Tawthiq demo folder; choose another --dir\n"
    assert [p.name for p in mine.iterdir()] == ["keep.txt"]


def test_users_commands(tmp_path: Path) -> None:
    env = {"TAWTHIQ_DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}"}
    assert tawthiq("init", env=env).returncode == 0
    added = tawthiq("users", "add", "Huda", "--role", "reviewer", "--password-stdin", env=env,
                    stdin="a long enough password\n")
    assert added.returncode == 0 and "created huda (reviewer)" in added.stdout
    again = tawthiq("users", "add", "huda", "--role", "viewer", "--password-stdin", env=env,
                    stdin="a long enough password\n")
    assert again.returncode == 1 and again.stderr.startswith("error:") and "Traceback" not in again.stderr
    weak = tawthiq("users", "add", "sami", "--role", "viewer", "--password-stdin", env=env, stdin="short\n")
    assert weak.returncode == 1 and "at least 10 characters" in weak.stderr
    one_time = tawthiq("users", "add", "sami", "--role", "viewer", "--one-time", env=env)
    assert one_time.returncode == 0 and "one-time password:" in one_time.stdout
    assert tawthiq("users", "set-role", "sami", "documenter", env=env).returncode == 0
    assert tawthiq("users", "disable", "sami", "--comment", "left", env=env).returncode == 0
    listing = tawthiq("users", "list", env=env).stdout.splitlines()
    assert listing == ["huda\treviewer\tactive\t", "sami\tdocumenter\tdisabled\t"]
    missing = tawthiq("users", "disable", "nobody", env=env)
    assert missing.returncode == 1 and "no user named" in missing.stderr
    uninitialised = tawthiq("users", "list", env={"TAWTHIQ_DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"})
    assert uninitialised.returncode == 1 and "tawthiq init" in uninitialised.stderr


def test_a_second_demo_keeps_the_work_and_fresh_starts_again(tmp_path: Path) -> None:
    args = ("demo", str(ROOT / "samples"), "--dir", str(tmp_path / "demo"), "--no-serve", "--port", "8123")
    first = tawthiq(*args, env={}, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'demo' / 'tawthiq.db'}",
                        data_dir=tmp_path / "demo" / "originals", max_file_size=10**7)
    ws = Workspace.open(settings)
    from tawthiq.services import accounts, list_incidents
    from tawthiq.services.review import reject

    before = list_incidents(ws)
    admin = accounts.get_user(ws, actor=None, username="admin")
    reject(ws, user=admin, incident_id=before[0].id, comment="a planted reviewer's decision")
    ws.db.dispose()

    # Run again: the decision is still there, nothing was ingested twice, and the admin (who never signed in)
    # gets a new one-time password that works.
    again = tawthiq(*args, env={}, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "kept the earlier demo's work" in again.stdout and "ingested" not in again.stdout
    password = re.search(r"one-time password: (\S+)", again.stdout).group(1)
    ws = Workspace.open(settings)
    kept = list_incidents(ws)
    assert [i.id for i in kept] == [i.id for i in before]
    assert next(i for i in kept if i.id == before[0].id).status.value == "rejected"
    with client_for(ws, raise_server_exceptions=True) as client:
        assert sign_in(client, "admin", password).headers["location"] == "/password"
    ws.db.dispose()

    # --fresh starts again from the samples: the decision is gone.
    fresh = tawthiq(*args, "--fresh", env={}, cwd=tmp_path)
    assert fresh.returncode == 0, fresh.stderr
    assert "kept the earlier" not in fresh.stdout and "ingested" in fresh.stdout
    ws = Workspace.open(settings)
    assert all(i.status.value == "suggested" for i in list_incidents(ws))
    ws.db.dispose()


def test_the_demo_folder_is_private_whatever_the_umask(tmp_path: Path) -> None:
    """Like ``init``: the folder 0700, every folder in it 0700 and every file 0600 (originals 0400)."""
    import stat

    from tawthiq.services.demo import make_demo

    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "report.txt").write_text("On 3 March 2016 an airstrike hit the market in Douma, killing 12 civilians.\n",
                                        encoding="utf-8")
    workdir = tmp_path / "demo"
    previous = os.umask(0o022)
    try:
        made = make_demo(samples=samples, workdir=workdir)
        assert [r.status for r in made.ingested] == ["new"]
        made_paths = [workdir, *workdir.rglob("*")]
        modes = {p: stat.S_IMODE(p.stat().st_mode) for p in made_paths}
        assert modes[workdir] == 0o700 and len(modes) > 3, modes
        wrong = {str(p): oct(m) for p, m in modes.items()
                 if (m != 0o700 if p.is_dir() else m not in (0o600, 0o400))}
        assert wrong == {}
        # A demo folder made before it was private is tightened when the demo is run again.
        os.chmod(workdir, 0o755)
        os.chmod(workdir / ".tawthiq-demo", 0o644)
        again = make_demo(samples=samples, workdir=workdir)
        assert again.kept and stat.S_IMODE(workdir.stat().st_mode) == 0o700
        assert stat.S_IMODE((workdir / ".tawthiq-demo").stat().st_mode) == 0o600
    finally:
        os.umask(previous)
