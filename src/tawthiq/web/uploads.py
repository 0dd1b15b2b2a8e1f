"""Multipart uploads that never spool more of a file than the size limit (plus one byte).

Starlette writes each file part of a form to a temporary file as it arrives and checks no size
(only the whole body is capped, by ``guard``: the file limit times the files one request may carry).
A documenter's single 1 GB file would then be written to disk in full before the page said it was
too large. This parser keeps at most ``max_file_size + 1`` bytes of each file part and drops the
rest as it streams past: the byte past the limit is enough for the route to refuse that file,
and the other files of the batch are still read and ingested.
"""
from __future__ import annotations

from urllib.parse import unquote_plus

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request

# Forms whose ordinary fields may be as long as a file (pasted text): their fields are kept up to the file
# limit (plus one byte) and never refused by the parser, so the page can say how big the text was, in its
# own language. Starlette's own per-field limit (1 MB) otherwise answered a 400 in English and lost the text.
LONG_FIELD_PATHS = frozenset({"/add/text"})
FIELD_SIZES = "field_sizes"  # request.state: decoded bytes each long field had (kept or not)


class _CappedParser(MultiPartParser):
    # ``on_part_data`` and ``_current_part`` are Starlette's parser callbacks (stable since 0.2x).
    def __init__(self, request: Request, *, max_file_size: int, max_files: int, long_fields: bool = False) -> None:
        super().__init__(request.headers, request.stream(), max_files=max_files, max_fields=1000)
        self._keep = max_file_size + 1
        self._written: dict[int, int] = {}  # bytes kept per file part (parts live until the parse ends)
        self._long_fields = long_fields
        self.field_sizes: dict[str, int] = {}

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._current_part
        if part.file is None and not self._long_fields:  # an ordinary field: Starlette's per-part limit applies
            super().on_part_data(data, start, end)
            return
        if part.file is None:  # a long field: count all of it, keep at most the limit plus one byte
            self.field_sizes[part.field_name] = self.field_sizes.get(part.field_name, 0) + (end - start)
            end = min(end, start + max(0, self._keep - len(part.data)))
            if end > start:
                part.data.extend(data[start:end])
            return
        kept = self._written.get(id(part), 0)
        end = min(end, start + max(0, self._keep - kept))
        if end > start:
            self._written[id(part)] = kept + (end - start)
            super().on_part_data(data, start, end)


class _LongFieldParser(FormParser):
    """A URL-encoded form whose fields are kept up to ``max_field_size + 1`` decoded bytes, the rest counted."""

    def __init__(self, request: Request, *, max_field_size: int) -> None:
        # No per-field refusal here: the body itself is bounded by the route (see ``guard``).
        super().__init__(request.headers, request.stream(), max_fields=1000, max_part_size=2**62)
        self._keep = max_field_size + 1
        self._decoded = 0
        self.field_sizes: dict[str, int] = {}

    def on_field_start(self) -> None:
        super().on_field_start()
        self._decoded = 0

    def on_field_data(self, data: bytes, start: int, end: int) -> None:
        piece = data[start:end]
        kept_so_far = self._decoded
        self._decoded += len(piece) - 2 * piece.count(b"%")  # "%D8" is one byte once decoded
        if kept_so_far <= self._keep:  # past the limit the rest is only counted (the page says how big it was)
            super().on_field_data(data, start, end)

    def on_field_end(self) -> None:
        name = unquote_plus(self._field_name.decode("latin-1"))
        self.field_sizes[name] = self.field_sizes.get(name, 0) + max(0, self._decoded)
        super().on_field_end()


async def read_form(request: Request, *, max_file_size: int, max_files: int = 1000) -> FormData:
    """The request's form, each file cut at ``max_file_size + 1`` bytes (a longer one is too large).

    Parsed once and kept on the request (where ``request.form()`` finds it), so whichever reads
    the body first (the CSRF check, usually) caps the files for the route too. On the forms of
    ``LONG_FIELD_PATHS`` the ordinary fields are treated like files: kept up to the same limit, and the
    size each had is left in ``request.state.field_sizes`` for the route to refuse one that is over it.
    """
    if request._form is not None:  # noqa: SLF001 - Starlette's own cache of the parsed form
        return request._form  # noqa: SLF001
    long_fields = request.url.path in LONG_FIELD_PATHS
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("multipart/form-data"):
            parser: _CappedParser | _LongFieldParser = _CappedParser(
                request, max_file_size=max_file_size, max_files=max_files, long_fields=long_fields)
        elif long_fields and content_type.startswith("application/x-www-form-urlencoded"):
            parser = _LongFieldParser(request, max_field_size=max_file_size)
        else:
            return await request.form(max_files=max_files)
        form = await parser.parse()
    except MultiPartException as error:  # malformed or too many parts: what request.form() answers too
        raise HTTPException(status_code=400, detail=error.message) from None
    setattr(request.state, FIELD_SIZES, parser.field_sizes)
    request._form = form  # noqa: SLF001
    return form
