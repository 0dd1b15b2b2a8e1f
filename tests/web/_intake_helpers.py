"""A small Telegram Desktop export and a local web server, for the Add page's export and capture tests.

The server runs in a thread on 127.0.0.1 and nothing reaches the internet;
the app under test is allowed loopback captures only through its settings
(``capture_private``), as a deployment never is by default.
"""
from __future__ import annotations

import dataclasses
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image

from tawthiq.settings import Settings

CHAT = "شبكة أخبار حلب"
MARKER = "MARKER-TG-7731"  # planted in a message: a viewer must never see it
ARABIC = "حلب، 12 آذار 2016: غارة جوية على حي الشعار أدت إلى مقتل خمسة مدنيين."
ENGLISH = f"Idlib, 4 April 2017: shelling killed three civilians in Khan Shaykhun. {MARKER}"
PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Douma report</title></head><body>"
        "<h1>Shelling of Douma</h1><p>On 3 March 2016, shelling killed five civilians in Douma, Rif Dimashq,"
        " residents said. PAGE-MARKER-5521</p></body></html>").encode()


def _message(message_id: int, **fields: Any) -> dict[str, Any]:
    return {"id": message_id, "type": "message", "date": f"2016-03-12T10:{message_id:02d}:00",
            "date_unixtime": str(1457777000 + message_id * 60), "from": CHAT, "from_id": "channel1098765432",
            "text": "", "text_entities": [], **fields}


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def export_json(*, with_photo: bool = False) -> bytes:
    """A channel export: two reports, a service message, a broken entry, and a photo that is missing."""
    messages: list[Any] = [
        {"id": 1, "type": "service", "date": "2016-03-12T10:01:00", "actor": CHAT, "action": "create_channel",
         "title": CHAT, "text": ""},
        _message(2, text=ARABIC),
        _message(3, text=ENGLISH),
        "not a message",  # a broken entry: skipped, and said; the rest goes on
        _message(5, photo="photos/photo_5@12-03-2016_10-05-00.jpg", width=48, height=32, text="مفقودة"),
    ]
    if with_photo:
        messages.append(_message(6, photo="photos/photo_6@12-03-2016_10-06-00.jpg", width=48, height=32,
                                 text="صورة من موقع القصف"))
    export = {"name": CHAT, "type": "public_channel", "id": 1098765432, "messages": messages}
    return json.dumps(export, ensure_ascii=False, indent=1).encode()


def export_zip() -> bytes:
    """The export folder zipped as Telegram Desktop names it, with one of its two photos."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ChatExport_2016-03-12/result.json", export_json(with_photo=True))
        archive.writestr("ChatExport_2016-03-12/photos/photo_6@12-03-2016_10-06-00.jpg", photo())
    return out.getvalue()


def allowing_loopback(settings: Settings) -> Settings:
    """The settings with loopback captures allowed: tests only (the local page server)."""
    return dataclasses.replace(settings, capture_private=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if self.path == "/report":
            body, status = PAGE, 200
        elif self.path == "/to-private":  # 127.0.0.2 stands for a private address in the redirect test
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{self.server.server_address[1]}/report")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        elif self.path == "/huge":
            body, status = b"<html><body>" + b"x" * 300_000 + b"</body></html>", 200
        else:
            body, status = b"<html><body>not here</body></html>", 404
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def page_server() -> Iterator[str]:
    """A web server on 127.0.0.1 in a thread; yields its base URL (``/report`` is a report page)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
