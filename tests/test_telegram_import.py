"""Importing a Telegram Desktop export: messages as sources, media as linked evidence, hostile paths refused."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from tawthiq.domain import SourceKind
from tawthiq.evidence.verify import verify
from tawthiq.ingest.readers import reader_for
from tawthiq.ingest.readers.telegram import TelegramReader
from tawthiq.ingest.telegram import TelegramImport, import_export
from tawthiq.services import Workspace
from tawthiq.services.ingest import import_telegram
from tawthiq.store import custody, repository
from tawthiq.store.derivatives import links_of
from tawthiq.store.vault.blobs import sha256_bytes

CHAT_ID = 1098765432
CHAT = "شبكة أخبار حلب"
NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"
ARABIC_PARTS: list[Any] = [
    "حلب، 12 آذار 2016: ",
    {"type": "bold", "text": "غارة جوية"},
    " على حي الشعار أدت إلى مقتل خمسة مدنيين. ",
    {"type": "hashtag", "text": "#حلب"},
    "\nالمصدر: ",
    {"type": "text_link", "text": "تقرير الدفاع المدني", "href": "https://example.org/report"},
]
ARABIC_TEXT = ("حلب، 12 آذار 2016: غارة جوية على حي الشعار أدت إلى مقتل خمسة مدنيين. #حلب\n"
               "المصدر: تقرير الدفاع المدني")


def _jpeg(colour: tuple[int, int, int], size: tuple[int, int] = (48, 32)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 4):  # some structure, so the image is not a flat colour
        image.putpixel((x, x % size[1]), (255 - colour[0], 0, 0))
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _mp4() -> bytes:
    """A one-second 64×48 MPEG-4 video made with PyAV, a moving bar so its keyframes differ."""
    import av
    import numpy as np

    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(10):
            frame = np.zeros((48, 64, 3), dtype=np.uint8)
            frame[:, : i * 6] = 200
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def _message(message_id: int, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": message_id, "type": "message", "date": f"2016-03-12T10:{message_id:02d}:00",
        "date_unixtime": str(1457777000 + message_id * 60), "from": CHAT, "from_id": f"channel{CHAT_ID}",
        "text": "", "text_entities": [],
    }
    base.update(fields)
    return base


@dataclass
class Export:
    root: Path
    photo: bytes
    second_photo: bytes
    video: bytes
    outside: bytes


def _write_export(root: Path, *, hostile: bool = True) -> Export:
    """A channel export as Telegram Desktop writes it, plus (``hostile``) the paths an attacker would plant."""
    (root / "photos").mkdir(parents=True)
    (root / "files").mkdir()
    (root / "video_files").mkdir()
    video = _mp4()
    (root / "video_files" / "strike.mp4").write_bytes(video)
    (root / "video_files" / "strike.mp4_thumb.jpg").write_bytes(_jpeg((0, 0, 0), (32, 24)))
    photo, second_photo = _jpeg((200, 30, 30)), _jpeg((30, 30, 200))
    (root / "photos" / "photo_1@12-03-2016_10-04-00.jpg").write_bytes(photo)
    (root / "photos" / "photo_2@12-03-2016_10-09-00.jpg").write_bytes(second_photo)
    outside = b"secret outside the export\n"
    messages: list[dict[str, Any]] = [
        {"id": 1, "type": "service", "date": "2016-03-12T10:01:00", "date_unixtime": "1457777060",
         "actor": CHAT, "actor_id": f"channel{CHAT_ID}", "action": "create_channel", "title": CHAT, "text": "",
         "text_entities": []},
        _message(2, text=ARABIC_PARTS, author="أبو محمد"),
        _message(3, text="Aleppo: shelling reported in al-Shaar this morning.",
                 forwarded_from="Syrian Civil Defence", reply_to_message_id=2,
                 edited="2016-03-12T11:00:00", edited_unixtime="1457780400"),
        _message(4, photo="photos/photo_1@12-03-2016_10-04-00.jpg", width=48, height=32,
                 text="صورة من موقع القصف"),
        _message(5, photo="photos/photo_5@12-03-2016_10-05-00.jpg", width=48, height=32, text="مفقودة"),
        _message(6, file=NOT_INCLUDED, thumbnail=NOT_INCLUDED, media_type="video_file", mime_type="video/mp4",
                 duration_seconds=12, width=640, height=360, text=""),
        _message(8, file="video_files/strike.mp4", thumbnail="video_files/strike.mp4_thumb.jpg",
                 media_type="video_file", mime_type="video/mp4", duration_seconds=1, width=64, height=48,
                 text=["فيديو ", {"type": "italic", "text": "القصف"}]),
        {"id": 7, "type": "service", "date": "2016-03-12T10:07:00", "actor": CHAT, "action": "pin_message",
         "message_id": 2, "text": ""},
        _message(9, photo="photos/photo_2@12-03-2016_10-09-00.jpg", width=48, height=32),  # media only
    ]
    if hostile:
        (root.parent / "outside.jpg").write_bytes(outside)
        (root / "photos" / "linked.jpg").symlink_to(root.parent / "outside.jpg")
        (root / "linked_folder").symlink_to(root.parent, target_is_directory=True)
        messages += [
            _message(10, photo="../outside.jpg", text="traversal"),
            _message(11, photo="photos/linked.jpg", text="symlink"),
            _message(12, photo=str(root.parent / "outside.jpg"), text="absolute"),
            _message(13, file="linked_folder/outside.jpg", media_type="video_file", text="linked folder"),
        ]
    export = {"name": CHAT, "type": "public_channel", "id": CHAT_ID, "messages": messages}
    (root / "result.json").write_text(json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")
    return Export(root=root, photo=photo, second_photo=second_photo, video=video, outside=outside)


def _run(ws: Workspace, path: Path, *, reason: str = "") -> TelegramImport:
    return import_telegram(ws, path, actor="cli:tester", reason=reason)


def _by_key(ws: Workspace) -> dict[str, Any]:
    return {s.record_key: s for s in repository.list_sources(ws.db) if s.kind == SourceKind.TELEGRAM}


def _source_with_sha(ws: Workspace, sha: str) -> Any:
    (found,) = [s for s in repository.list_sources(ws.db) if s.sha256 == sha]
    return found


# -- the reader ------------------------------------------------------------


def test_reader_is_chosen_by_content_and_flattens_entities(tmp_path: Path) -> None:
    export = _write_export(tmp_path / "export", hostile=False)
    data = (export.root / "result.json").read_bytes()
    assert reader_for("result.json", data[:2048]).name == "telegram"
    assert reader_for("reports.json", json.dumps([{"text": "a report"}]).encode()).name == "json"
    read = TelegramReader().read(data, name="result.json")
    assert read.skipped == []  # service messages are not problems
    docs = {d.record_key: d for d in read.documents}
    assert sorted(docs) == [f"{CHAT_ID}:{n}" for n in (2, 3, 4, 5, 6, 8, 9)]
    arabic = docs[f"{CHAT_ID}:2"]
    assert arabic.text == ARABIC_TEXT and arabic.language == "ar"
    assert arabic.author == "أبو محمد" and arabic.title == CHAT and arabic.url == ""
    assert str(arabic.published) == "2016-03-12"
    assert {"type": "text_link", "text": "تقرير الدفاع المدني", "href": "https://example.org/report"} in \
        arabic.metadata["telegram"]["entities"]
    assert docs[f"{CHAT_ID}:9"].text == "" and docs[f"{CHAT_ID}:9"].author == CHAT


def test_account_export_keeps_chats_apart_and_links_public_usernames() -> None:
    """A user and a channel can share a bare id; their messages must not collide on one record key."""
    export = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 5, "first_name": "A"},
        "chats": {"about": "", "list": [
            {"name": "Alice", "type": "personal_chat", "id": 777, "messages": [_message(1, text="hello")]},
            {"name": "Ch", "type": "public_channel", "id": 777, "username": "aleppo_news",
             "messages": [_message(1, text="news")]},
        ]},
        "left_chats": {"about": "", "list": [
            {"name": "Old", "type": "private_supergroup", "id": 42, "messages": [_message(3, text="left")]},
        ]},
    }
    data = json.dumps(export, indent=1).encode()
    assert reader_for("result.json", data[:2048]).name == "telegram"
    docs = TelegramReader().read(data, name="result.json").documents
    assert [(d.record_key, d.text, d.url) for d in docs] == [
        ("777:1", "hello", ""), ("777/2:1", "news", "https://t.me/aleppo_news/1"), ("42:3", "left", "")]


# -- the import --------------------------------------------------------------


def test_import_stores_messages_media_links_and_custody(ws: Workspace, tmp_path: Path) -> None:
    export = _write_export(tmp_path / "export")
    outcome = _run(ws, export.root, reason="case 12: Aleppo March 2016")

    assert outcome.messages == 11 and outcome.service_skipped == 2
    assert outcome.new_sources == 11 and outcome.duplicates == 0
    assert (outcome.media_stored, outcome.media_missing, outcome.media_not_included) == (3, 1, 1)
    assert outcome.media_refused == 4
    problems = "\n".join(outcome.problems)
    assert outcome.problems[0] == (
        f"message 5 (chat {CHAT}): photos/photo_5@12-03-2016_10-05-00.jpg is missing from the export")
    assert f"message 10 (chat {CHAT}): ../outside.jpg climbs out of the export folder" in problems
    assert f"message 11 (chat {CHAT}): photos/linked.jpg is a symbolic link" in problems
    assert f"message 12 (chat {CHAT}): {tmp_path / 'outside.jpg'} is an absolute path" in problems
    assert (f"message 13 (chat {CHAT}): linked_folder/outside.jpg passes through linked_folder, "
            "which is a symbolic link") in problems
    assert len(outcome.problems) == 5
    assert outcome.notes == [f"message 6 (chat {CHAT}): file not included in the export {NOT_INCLUDED}"]

    blobs = ws.blobs
    assert not blobs.exists(sha256_bytes(export.outside))  # nothing outside the export was read

    messages = _by_key(ws)
    assert len(messages) == 11
    arabic = messages[f"{CHAT_ID}:2"]
    assert arabic.text == ARABIC_TEXT and arabic.author == "أبو محمد" and str(arabic.published) == "2016-03-12"
    meta = arabic.metadata["telegram"]
    assert (meta["chat_name"], meta["chat_id"], meta["chat_type"], meta["message_id"]) == (
        CHAT, str(CHAT_ID), "public_channel", "2")
    assert meta["date"] == "2016-03-12T10:02:00" and meta["date_unixtime"] == "1457777120"
    assert meta["from_id"] == f"channel{CHAT_ID}" and arabic.metadata["received_reason"] == "case 12: Aleppo March 2016"
    received = [e for e in custody.entries_for_source(ws.db, arabic.id) if e.event == "received"]
    assert [e.reason for e in received] == ["case 12: Aleppo March 2016"]  # the ledger's "why"
    forwarded = messages[f"{CHAT_ID}:3"].metadata["telegram"]
    assert forwarded["forwarded_from"] == "Syrian Civil Defence" and forwarded["reply_to_message_id"] == 2
    assert forwarded["edited"] == "2016-03-12T11:00:00"
    assert messages[f"{CHAT_ID}:6"].metadata["telegram"]["file"] == NOT_INCLUDED
    assert messages[f"{CHAT_ID}:9"].text == ""

    photo = _source_with_sha(ws, sha256_bytes(export.photo))
    assert blobs.verify(photo.sha256) and photo.record_key == ""
    photo_meta = photo.metadata["telegram"]
    assert (photo_meta["message_id"], photo_meta["chat_id"], photo_meta["attachment_field"]) == ("4", str(CHAT_ID),
                                                                                                  "photo")
    assert photo_meta["attachment_path"] == "photos/photo_1@12-03-2016_10-04-00.jpg"
    (link,) = links_of(ws.db, messages[f"{CHAT_ID}:4"].id)
    assert (link.from_source_id, link.to_source_id, link.relation) == (messages[f"{CHAT_ID}:4"].id, photo.id,
                                                                      "attachment")
    assert link.details == {"message_id": "4", "chat_id": str(CHAT_ID), "field": "photo",
                            "path": "photos/photo_1@12-03-2016_10-04-00.jpg"}
    second = _source_with_sha(ws, sha256_bytes(export.second_photo))
    assert [lk.to_source_id for lk in links_of(ws.db, messages[f"{CHAT_ID}:9"].id)] == [second.id]
    assert links_of(ws.db, messages[f"{CHAT_ID}:5"].id) == []
    video = _source_with_sha(ws, sha256_bytes(export.video))
    assert video.kind == SourceKind.VIDEO and video.metadata["telegram"]["media_type"] == "video_file"
    (video_link,) = links_of(ws.db, messages[f"{CHAT_ID}:8"].id)
    assert (video_link.to_source_id, video_link.details["field"]) == (video.id, "file")
    assert messages[f"{CHAT_ID}:8"].text == "فيديو القصف"
    thumb = sha256_bytes((export.root / "video_files" / "strike.mp4_thumb.jpg").read_bytes())
    assert not blobs.exists(thumb)  # Telegram's own thumbnail is not evidence; the video is

    for source in (photo, arabic):
        received = [e for e in custody.entries_for_source(ws.db, source.id) if e.event == "received"]
        assert len(received) == 1 and received[0].details["how"] == "telegram export"
        assert received[0].actor == "cli:tester"


def test_reimport_adds_nothing(ws: Workspace, tmp_path: Path) -> None:
    export = _write_export(tmp_path / "export")
    _run(ws, export.root)
    sources, entries = repository.count_sources(ws.db), custody.count_entries(ws.db)
    links = {s.id: links_of(ws.db, s.id) for s in repository.list_sources(ws.db)}
    again = _run(ws, export.root / "result.json")  # the JSON file named instead of its folder: the same export
    assert (again.new_sources, again.duplicates, again.media_stored, again.media_already) == (0, 11, 0, 3)
    assert repository.count_sources(ws.db) == sources and custody.count_entries(ws.db) == entries
    assert {s.id: links_of(ws.db, s.id) for s in repository.list_sources(ws.db)} == links
    assert again.links_added == 0 and len(again.problems) == 5
    report = verify(ws.db, blobs=ws.blobs)
    assert report.ok, report.problems


def test_zipped_export(ws: Workspace, tmp_path: Path) -> None:
    export = _write_export(tmp_path / "export", hostile=False)
    archive = tmp_path / "ChatExport_2016-03-12.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(export.root.rglob("*")):
            if path.is_file():
                zf.write(path, "ChatExport_2016-03-12/" + path.relative_to(export.root).as_posix())
    outcome = _run(ws, archive)
    assert (outcome.messages, outcome.new_sources, outcome.media_stored, outcome.media_missing) == (7, 7, 3, 1)
    assert outcome.problems == [
        f"message 5 (chat {CHAT}): photos/photo_5@12-03-2016_10-05-00.jpg is missing from the export"]
    photo = _source_with_sha(ws, sha256_bytes(export.photo))
    assert [lk.to_source_id for lk in links_of(ws.db, _by_key(ws)[f"{CHAT_ID}:4"].id)] == [photo.id]
    # The same export unzipped is the same evidence: nothing new.
    again = _run(ws, export.root)
    assert (again.new_sources, again.media_stored, again.media_already) == (0, 0, 3)


def test_zip_with_an_unsafe_member_is_refused_whole(ws: Workspace, tmp_path: Path) -> None:
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("result.json", json.dumps({"name": "x", "type": "public_channel", "id": 1,
                                                "messages": [_message(1, text="t")]}))
        zf.writestr("../evil.jpg", b"x")
    outcome = _run(ws, archive)
    assert not outcome.ok and "has an empty, '.' or '..' path component" in outcome.problems[0]
    assert repository.count_sources(ws.db) == 0


def test_not_an_export_is_one_line(ws: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "result.json").write_text(json.dumps({"reports": [{"text": "a"}]}), encoding="utf-8")
    outcome = _run(ws, folder)
    assert outcome.problems == [f"{folder}: result.json: not a Telegram Desktop export (no chat with a "
                                "\"messages\" list)"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no result.json here" in _run(ws, empty).problems[0]
    assert repository.count_sources(ws.db) == 0


def test_cli_reports_missing_media_and_exits_1(ws: Workspace, tmp_path: Path) -> None:
    export = _write_export(tmp_path / "export", hostile=False)
    env = dict(os.environ, TAWTHIQ_DATABASE_URL=ws.settings.database_url, TAWTHIQ_DATA_DIR=str(ws.settings.data_dir))
    env.pop("TAWTHIQ_MAX_FILE_SIZE", None)
    proc = subprocess.run([sys.executable, "-m", "tawthiq", "telegram", str(export.root), "--reason", "triage"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"message 5 (chat {CHAT}): photos/photo_5@12-03-2016_10-05-00.jpg is missing from the export",
        f"message 6 (chat {CHAT}): file not included in the export {NOT_INCLUDED}",
    ]
    assert proc.stdout.strip() == (
        "7 message(s): 7 new source(s), 0 already stored; media: 3 stored, 0 already stored, 1 missing, "
        "0 refused, 0 unreadable, 1 not included in the export; 2 service message(s) skipped")
    (export.root / "result.json").write_text(json.dumps({"name": CHAT, "type": "public_channel", "id": CHAT_ID,
                                                         "messages": [_message(20, text="ok")]}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "tawthiq", "telegram", str(export.root)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr


def test_oversized_fifo_and_hostile_names_are_one_line_each(ws: Workspace, tmp_path: Path) -> None:
    root = tmp_path / "export"
    (root / "files").mkdir(parents=True)
    (root / "files" / "big.bin").write_bytes(os.urandom(6000))
    os.mkfifo(root / "files" / "pipe.jpg")  # opening it for reading would hang a naive importer
    name = "قناة\x1b[31m حمراء"
    export = {"name": name, "type": "private_channel", "id": 55, "messages": [
        _message(1, file="files/big.bin", text="big"),
        _message(2, file="files/pipe.jpg", text="fifo"),
        _message(3, file="files/big.bin/inner.jpg", text="through a file"),
        _message(4, photo="..\\..\\outside.jpg", text="windows traversal"),
    ]}
    (root / "result.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    outcome = import_export(root, db=ws.db, blobs=ws.blobs, extractor=None,
                            max_file_size=5000, actor="cli:tester")
    shown = "قناة?[31m حمراء"
    assert outcome.problems == [
        f"message 1 (chat {shown}): files/big.bin is 6000 bytes, over the size limit of 5000 bytes",
        f"message 2 (chat {shown}): files/pipe.jpg is not a regular file (a device, pipe or socket)",
        f"message 3 (chat {shown}): files/big.bin/inner.jpg is missing from the export",
        f"message 4 (chat {shown}): ..\\..\\outside.jpg climbs out of the export folder with '..'; "
        "only files inside the export are read",
    ]
    assert outcome.new_sources == 4 and outcome.media_refused == 3 and outcome.media_missing == 1
    assert _by_key(ws)["55:1"].title == name  # kept as written in the record; only the terminal line is cleaned
