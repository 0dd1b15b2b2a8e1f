"""The ingest service: pasted text and uploads, each checked against the user's role and recorded."""
from __future__ import annotations

from dataclasses import replace

import pytest
from _users import DOCUMENTER, VIEWER

from tawthiq.services import Workspace, ingest
from tawthiq.services import reading as rec
from tawthiq.services.errors import PermissionDenied, ServiceError
from tawthiq.store import repository


def test_ingest_text_records_who(ws: Workspace) -> None:
    with pytest.raises(PermissionDenied):
        ingest.ingest_text(ws, user=VIEWER, text="Shelling hit Douma.")
    with pytest.raises(ServiceError, match="paste some text"):
        ingest.ingest_text(ws, user=DOCUMENTER, text="   ")
    result = ingest.ingest_text(ws, user=DOCUMENTER, text="Shelling hit Douma on 3 May 2016, killing 4 civilians.",
                                title="Douma shelling")
    assert result.status == "new" and result.incidents >= 1
    [sid] = result.source_ids
    assert repository.get_source(ws.db, sid).title == "Douma shelling"
    [entry] = repository.history(ws.db, entity="source", entity_id=sid)
    assert entry.user == "amal" and entry.action == "upload" and entry.after["name"] == "pasted.txt"
    view = rec.get_source_view(ws, user=DOCUMENTER, source_id=sid)
    assert view.blob_path is not None and view.blob_path.read_bytes().startswith(b"Shelling hit Douma")
    assert view.incidents and view.incidents[0].status == "suggested"


def test_upload_size_limit_and_path_stripping(ws: Workspace) -> None:
    small = Workspace.open(replace(ws.settings, max_file_size=100), db=ws.db)
    with pytest.raises(ServiceError, match="over the size limit") as caught:
        ingest.ingest_upload(small, user=DOCUMENTER, filename="big.txt", data=b"x" * 101)
    assert "\n" not in str(caught.value)
    result = ingest.ingest_upload(ws, user=DOCUMENTER, filename="..\\..//etc/../report.txt",
                                  data="Aircraft struck Ariha on 1 June 2016.".encode())
    [sid] = result.source_ids
    assert repository.get_source(ws.db, sid).original_name == "report.txt"
    other = ingest.ingest_upload(ws, user=DOCUMENTER, filename="C:\\Users\\x\\bad\nname.txt",
                                 data="Aircraft struck Saraqib on 2 June 2016.".encode())
    assert repository.get_source(ws.db, other.source_ids[0]).original_name == "badname.txt"
    with pytest.raises(ServiceError, match="empty"):
        ingest.ingest_upload(ws, user=DOCUMENTER, filename="/tmp/", data=b"   ")
