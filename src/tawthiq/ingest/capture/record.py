"""The written record of a capture: a WARC of every exchange, and the headers as JSON.

The WARC holds each hop's request and response exactly as sent and
received: the header block byte for byte (warcio would otherwise re-write
it from parsed headers, normalising spacing and case) and the body as it
came off the wire, chunk framing and compression included, as the WARC
standard asks. Any WARC tool (warcio, pywb, replayweb.page) can read it.

The headers JSON is the same exchange for people: per hop the status line
and the headers in the order sent. Header bytes are read as Latin-1, which
maps each byte to one character, so ``value.encode("latin-1")`` gives the
exact bytes back.
"""
from __future__ import annotations

import hashlib
import io
import json
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .http import Hop


class _RawHttpHeaders(StatusAndHeaders):  # type: ignore[misc]
    """Headers that write themselves as the bytes received, not as warcio would re-serialise them."""

    def __init__(self, raw: bytes, statusline: str, headers: list[tuple[str, str]], protocol: str) -> None:
        super().__init__(statusline, headers, protocol)
        self._raw = raw

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        self.headers_buff = self._raw


def warc_bytes(hops: list[Hop], *, software: str, captured_at: str, reason: str) -> bytes:
    """A gzip WARC: one warcinfo record, then a request and a response record per hop, in order."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    # warcinfo is "name: value" lines: a reason typed over several lines must not make extra fields.
    info = {"software": software, "format": "WARC File Format 1.1", "description": "tawthiq capture",
            "captured-at": captured_at, "reason": " ".join(reason.split()), "first-url": hops[0].url if hops else ""}
    writer.write_record(writer.create_warcinfo_record("", info))
    for hop in hops:
        date = hop.started_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        common = {"WARC-Date": date}
        if hop.peer:
            common["WARC-IP-Address"] = hop.peer.rsplit(":", 1)[0].strip("[]")
        response = writer.create_warc_record(
            hop.url, "response", payload=io.BytesIO(hop.raw_body), length=len(hop.raw_body),
            warc_headers_dict=dict(common),
            http_headers=_RawHttpHeaders(hop.raw_head, hop.status_line.split(" ", 1)[-1], hop.headers,
                                         hop.http_version))
        first_line = hop.request.split(b"\r\n", 1)[0].decode("latin-1")
        request = writer.create_warc_record(
            hop.url, "request", payload=io.BytesIO(b""), length=0, warc_headers_dict=dict(common),
            http_headers=_RawHttpHeaders(hop.request, first_line.split(" ", 1)[-1], _request_headers(hop.request),
                                         first_line.split(" ", 1)[0]))
        # Request before response (the order they happened); linked both ways by record id.
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(request)
        writer.write_record(response)
    return out.getvalue()


def _request_headers(request: bytes) -> list[tuple[str, str]]:
    lines = request.decode("latin-1").split("\r\n")[1:]
    return [(name, value.strip()) for name, _, value in (line.partition(":") for line in lines if line)]


def headers_json(hops: list[Hop], *, capture: dict[str, Any]) -> bytes:
    """The capture's facts and every hop's status line and headers, in order (UTF-8 JSON)."""
    record = {
        "capture": capture,
        "hops": [{
            "url": hop.url,
            "requested_at": hop.started_at.isoformat(),
            "peer": hop.peer,
            "request": hop.request.decode("latin-1"),
            "status_line": hop.status_line,
            "http_version": hop.http_version,
            "status": hop.status,
            "reason": hop.reason,
            "headers": [[name, value] for name, value in hop.headers],
            "raw_head": hop.raw_head.decode("latin-1"),
            "interim_responses": [head.decode("latin-1") for head in hop.interim],
            "body_size": len(hop.body),
            "body_sha256": hashlib.sha256(hop.body).hexdigest(),
            "wire_body_size": len(hop.raw_body),
            "tls": hop.tls.as_metadata() if hop.tls else None,
        } for hop in hops],
    }
    return json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
