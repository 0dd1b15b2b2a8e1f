"""Web pages: the article text without navigation, comments or scripts.

Pages saved from news sites and social media carry menus, cookie banners and
scripts; only the main text is a report. Scripts, styles and HTML comments
are removed from the parsed tree *before* any text extraction, so that no
script body can ever reach the record, whatever the extractor does.

A page over ``LARGE_PAGE`` bytes is read differently: a 50 MB page held as a
tree and handed to trafilatura took 1.5 GB and minutes. Its visible text is
collected as the parser streams through it (no tree is built; scripts,
styles and comments are skipped the same way), and the source's notes say
that the main text was not picked out, so menus and footers may be in it.
"""

from __future__ import annotations

import re
import warnings
from typing import TYPE_CHECKING, Any

from lxml import etree
from lxml import html as lxml_html

from ...domain import SourceKind
from ..decoding import decode
from ..errors import IngestError, one_line, reading
from ..metadata import detect_language, normalise_language, parse_published
from .base import MAX_RECORD_TEXT, ReadDocument, ReadResult

if TYPE_CHECKING:
    from .batches import ColumnMapping

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
# Elements whose content is code or embedded media, never report text.
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "canvas")
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "section",
    "blockquote",
    "pre",
    "td",
    "th",
}


LARGE_PAGE = 2 * 1024 * 1024  # bytes; larger pages are streamed for their visible text
_FEED = 1024 * 1024  # characters handed to the streaming parser at a time
_FLUSH = 256 * 1024  # characters of collected text joined and tidied at a time
_META_KEYS = {"author": "author", "article:published_time": "date", "date": "date", "og:site_name": "sitename"}


class HtmlReader:
    name: str = "html"
    extensions: tuple[str, ...] = (".html", ".htm", ".xhtml")
    content_decides: bool = False

    def sniff(self, head: bytes) -> bool:
        return bool(_HTML_START.match(head.lstrip(b"\xef\xbb\xbf")))

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        with reading("HTML"):
            if len(data) > LARGE_PAGE:
                document = read_large_html(data)
                return ReadResult([document], [f"warning: {document.metadata['text_extraction']}"])
            return ReadResult([read_html(data)])


def read_html(data: bytes | str, *, declared_charset: str | None = None) -> ReadDocument:
    """Main text and metadata of an HTML page; also used for HTML-only e-mail bodies."""
    if isinstance(data, bytes):
        match = _META_CHARSET.search(data[:4096])
        declared = declared_charset or (match[1].decode("ascii", "replace") if match else None)
        decoded = decode(data, declared=declared)
        source, decoding = decoded.text, decoded.metadata()
    else:
        source, decoding = data, {"encoding": "unicode"}
    tree = _clean_tree(source)
    extracted = _trafilatura(tree)
    text = (extracted.get("text") or "").strip()
    if not text:
        text = _plain_text(tree)
    if not text:
        raise IngestError("no readable text in the HTML page")
    title = extracted.get("title") or _first_text(tree, "//title") or _first_text(tree, "//h1")
    url = extracted.get("url") or _attribute(tree, "//link[@rel='canonical']/@href")
    language = normalise_language(_attribute(tree, "/html/@lang")) or detect_language(text)
    return ReadDocument(
        text=text,
        kind=SourceKind.HTML,
        media_type="text/html",
        title=one_line(title or "", limit=300),
        author=one_line(extracted.get("author") or "", limit=300),
        url=url if url.startswith(("http://", "https://")) else "",
        language=language,
        published=parse_published(extracted.get("date")),
        metadata={**decoding, "sitename": extracted.get("sitename") or ""},
    )


def _clean_tree(source: str) -> Any:
    # XML declarations with an encoding make lxml refuse a str; the text is already decoded.
    source = re.sub(r"^\s*<\?xml[^>]*\?>", "", source)
    try:
        tree = lxml_html.document_fromstring(source)
    except (etree.ParserError, ValueError) as error:
        raise IngestError(f"malformed HTML: {one_line(str(error)) or 'no elements'}") from None
    doomed = [el for el in tree.iter(etree.Comment, etree.ProcessingInstruction, *_DROP_TAGS)]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
    # Event-handler attributes and javascript: links are script too.
    for element in tree.iter(etree.Element):
        try:
            for attribute, value in list(element.attrib.items()):
                if attribute.lower().startswith("on") or value.strip().lower().startswith("javascript:"):
                    del element.attrib[attribute]
        except ValueError:  # attribute names lxml cannot even encode: drop them all
            element.attrib.clear()
    return tree


def _trafilatura(tree: Any) -> dict[str, Any]:
    """Trafilatura's main-text extraction; an empty dict when it finds nothing or fails.

    It is a heuristic library given hostile input, so any failure falls back
    to plain text of the cleaned tree instead of failing the file.
    """
    import trafilatura

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = trafilatura.bare_extraction(
                lxml_html.tostring(tree, encoding="unicode"),
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_links=False,
            )
    except Exception:  # noqa: BLE001 - see docstring
        return {}
    if document is None:
        return {}
    return document.as_dict() if hasattr(document, "as_dict") else dict(document)


def _plain_text(tree: Any) -> str:
    body = tree.find("body")
    root = body if body is not None else tree
    parts: list[str] = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            parts.append("\n")
        if isinstance(element.tag, str) and element.text:
            parts.append(element.text)
        if element is not root and element.tail:
            parts.append(element.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def _first_text(tree: Any, xpath: str) -> str:
    found = tree.xpath(xpath)
    return " ".join(found[0].text_content().split()) if found else ""


def _attribute(tree: Any, xpath: str) -> str:
    found = tree.xpath(xpath)
    return str(found[0]).strip() if found else ""


def read_large_html(data: bytes) -> ReadDocument:
    """The visible text of a large page, read without building a tree (see the module's notes)."""
    match = _META_CHARSET.search(data[:4096])
    pieces, decoding = _decoded_pieces(data, declared=match[1].decode("ascii", "replace") if match else None)
    collector = _TextCollector()
    parser = etree.HTMLParser(target=collector, remove_comments=True, remove_pis=True, no_network=True)
    try:
        for piece in pieces:
            parser.feed(piece)
        parser.close()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise IngestError(f"malformed HTML: {one_line(str(error)) or 'no elements'}") from None
    text = collector.text()
    if not text:
        raise IngestError("no readable text in the HTML page")
    meta = collector.meta
    url = collector.canonical
    size = f"{len(data) / (1024 * 1024):.1f} MB"
    return ReadDocument(
        text=text,
        kind=SourceKind.HTML,
        media_type="text/html",
        title=one_line(" ".join("".join(collector.title).split()), limit=300),
        author=one_line(meta.get("author", ""), limit=300),
        url=url if url.startswith(("http://", "https://")) else "",
        language=normalise_language(collector.lang) or detect_language(text),
        published=parse_published(meta.get("date")),
        metadata={**decoding, "sitename": meta.get("sitename", ""),
                  "text_extraction": f"the page is {size}, over {LARGE_PAGE // (1024 * 1024)} MB: its "
                                     "visible text was kept (menus and footers included); the main text was "
                                     "not picked out"},
    )


def _decoded_pieces(data: bytes, *, declared: str | None) -> tuple[Any, dict[str, Any]]:
    """The page's text in pieces of ``_FEED`` characters, and its decoding's metadata, without one copy of it all.

    UTF-8 (the usual case, with or without a byte-order mark) is decoded a
    piece at a time as it is parsed (a page that turns out not to be UTF-8
    further on is refused, not guessed at); anything else goes through the
    same checks as a small page (:func:`~tawthiq.ingest.decoding.decode`), whole.
    """
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    head = body[:_FEED]
    whole = data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or data[:2] in (b"\xff\xfe", b"\xfe\xff")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        whole = whole or error.start < len(head) - 4  # not merely a character cut at the piece's end
    if whole:
        decoded = decode(data, declared=declared)
        text = decoded.text
        return (text[i:i + _FEED] for i in range(0, len(text), _FEED)), decoded.metadata()
    return _utf8_pieces(body), {"encoding": "utf-8", "encoding_reason": "byte-order mark" if bom else "valid UTF-8"}


def _utf8_pieces(body: bytes) -> Any:
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    carry = ""
    view = memoryview(body)
    for start in range(0, len(body), _FEED):
        try:
            piece = carry + decoder.decode(view[start:start + _FEED], final=start + _FEED >= len(body))
        except UnicodeDecodeError:
            raise IngestError("the page is not valid UTF-8 throughout; re-save it in one encoding") from None
        # A CR LF split between two pieces must still become one line break.
        carry = "\r" if piece.endswith("\r") else ""
        piece = piece[:-1] if carry else piece
        yield piece.replace("\r\n", "\n").replace("\r", "\n")
    if carry:
        yield "\n"


class _TextCollector:
    """A parser target: the visible text of the page as it streams past, tidied a part at a time.

    Like :func:`_plain_text`: a line break before each block element,
    whitespace runs made one space, blank lines dropped.
    """

    def __init__(self) -> None:
        self.pending: list[str] = []
        self.pending_size = 0
        self.done: list[str] = []
        self.kept = 0  # characters in done (a line break between parts included)
        self.skip = 0  # inside script, style and the like
        self.in_title = False
        self.title: list[str] = []
        self.lang = ""
        self.canonical = ""
        self.meta: dict[str, str] = {}

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in _DROP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self._add("\n")
        elif tag == "title":
            self.in_title = True
        elif tag == "html" and not self.lang:
            self.lang = attrib.get("lang", "")
        elif tag == "link" and attrib.get("rel", "").lower() == "canonical" and not self.canonical:
            self.canonical = attrib.get("href", "").strip()
        elif tag == "meta":
            key = _META_KEYS.get((attrib.get("name") or attrib.get("property") or "").lower())
            if key and key not in self.meta:
                self.meta[key] = attrib.get("content", "").strip()

    def end(self, tag: str) -> None:
        tag = tag.lower() if isinstance(tag, str) else ""
        if tag in _DROP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False

    def data(self, data: str) -> None:
        if self.skip:
            return
        if self.in_title:
            if len(self.title) < 100:
                self.title.append(data)
            return
        self._add(data)

    def comment(self, text: str) -> None:  # comments never reach the text
        pass

    def close(self) -> _TextCollector:
        return self

    def _add(self, piece: str) -> None:
        if self.kept > MAX_RECORD_TEXT:  # the record keeps no more (the pipeline cuts and notes it)
            return
        self.pending.append(piece)
        self.pending_size += len(piece)
        if self.pending_size >= _FLUSH:
            self._flush(final=False)

    def _flush(self, *, final: bool) -> None:
        joined = "".join(self.pending)
        cut = len(joined) if final else joined.rfind("\n") + 1  # keep an unfinished line for later
        self.pending = [joined[cut:]] if cut < len(joined) else []
        self.pending_size = len(joined) - cut
        lines = (" ".join(line.split()) for line in joined[:cut].splitlines())
        tidy = "\n".join(line for line in lines if line)
        if tidy:
            self.done.append(tidy)
            self.kept += len(tidy) + 1

    def text(self) -> str:
        self._flush(final=True)
        done, self.done = self.done, []
        return "\n".join(done)
