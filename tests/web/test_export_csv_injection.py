"""The web page's and the API's CSV exports never carry a spreadsheet formula (issue 9, D.10)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tawthiq.domain.csv_cells import FORMULA_STARTS
from tawthiq.services import Workspace
from tawthiq.services.ingest import ingest_files

from _client import signed_in

FORMULA = '=HYPERLINK("http://evil.example/","x")'
REPORT = f"{FORMULA} Warplanes struck the town of Saraqib in Idlib on Monday, killing three civilians.\n"


@pytest.mark.parametrize("path", ["/incidents/export", "/api/export"])
def test_csv_export_escapes_formulas(web_workspace: Workspace, tmp_path: Path, path: str) -> None:
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    ingest_files(web_workspace, [report])
    client = signed_in(web_workspace, "rana", "reviewer")
    response = client.get(path, params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    cells = [cell for row in csv.reader(io.StringIO(response.text)) for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []
    (row,) = csv.DictReader(io.StringIO(response.text))
    assert row["description"] == "'" + REPORT.strip()
    assert row["killed_min"] == "3" and float(row["lon"]) > 36  # numbers are not quoted
