"""docs/threat-model.md says which module stops which attack: every path it cites must still exist.

A module renamed or removed would otherwise leave the threat model citing
protection that is no longer where it says, with nothing to notice.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "threat-model.md"
_CITED = re.compile(r"`((?:src|tests)/[^`\s]+)`")


def cited_paths(text: str) -> list[str]:
    return sorted(set(_CITED.findall(text)))


def test_every_module_the_threat_model_cites_exists() -> None:
    cited = cited_paths(DOC.read_text(encoding="utf-8"))
    assert len(cited) >= 20  # the doc cites modules throughout; a parser that finds none proves nothing
    missing = [path for path in cited if not (ROOT / path).is_file()]
    assert missing == [], f"docs/threat-model.md cites paths that do not exist: {missing}"


def test_the_check_sees_a_missing_path() -> None:
    cited = cited_paths("stopped by `src/tawthiq/web/security.py` and `src/tawthiq/nowhere.py`, not src/x.py")
    assert cited == ["src/tawthiq/nowhere.py", "src/tawthiq/web/security.py"]
    assert not (ROOT / cited[0]).is_file()


def test_security_policy_is_at_the_root_and_linked() -> None:
    policy = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "privately" in policy.lower() and "docs/threat-model.md" in policy
    assert "SECURITY.md" in DOC.read_text(encoding="utf-8")
