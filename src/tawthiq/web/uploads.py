"""Multipart uploads that never spool more of a file than the size limit (plus one byte).

Starlette writes each file part of a form to a temporary file as it arrives and checks no size
(only the whole body is capped, by ``guard``: the file limit times the files one request may carry).
A documenter's single 1 GB file would then be written to disk in full before the page said it was
too large. This parser keeps at most ``max_file_size + 1`` bytes of each file part and drops the
rest as it streams past: the byte past the limit is enough for the route to refuse that file,
and the other files of the batch are still read and ingested.
"""
from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request


class _CappedParser(MultiPartParser):
    # ``on_part_data`` and ``_current_part`` are Starlette's parser callbacks (stable since 0.2x).
    def __init__(self, request: Request, *, max_file_size: int, max_files: int) -> None:
        super().__init__(request.headers, request.stream(), max_files=max_files, max_fields=1000)
        self._keep = max_file_size + 1
        self._written: dict[int, int] = {}  # bytes kept per file part (parts live until the parse ends)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._current_part
        if part.file is None:  # an ordinary field: Starlette's own per-part limit applies
            super().on_part_data(data, start, end)
            return
        kept = self._written.get(id(part), 0)
        end = min(end, start + max(0, self._keep - kept))
        if end > start:
            self._written[id(part)] = kept + (end - start)
            super().on_part_data(data, start, end)


async def read_form(request: Request, *, max_file_size: int, max_files: int = 1000) -> FormData:
    """The request's form, each file cut at ``max_file_size + 1`` bytes (a longer one is too large).

    Parsed once and kept on the request (where ``request.form()`` finds it), so whichever reads
    the body first (the CSRF check, usually) caps the files for the route too.
    """
    if request._form is not None:  # noqa: SLF001 - Starlette's own cache of the parsed form
        return request._form  # noqa: SLF001
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await request.form(max_files=max_files)
    try:
        form = await _CappedParser(request, max_file_size=max_file_size, max_files=max_files).parse()
    except MultiPartException as error:  # malformed or too many parts: what request.form() answers too
        raise HTTPException(status_code=400, detail=error.message) from None
    request._form = form  # noqa: SLF001
    return form
