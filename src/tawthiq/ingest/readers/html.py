"""Web pages: the article text without navigation, comments or scripts.

Pages saved from news sites and social media carry menus, cookie banners and
scripts; only the main text is a report. Scripts, styles and HTML comments
are removed from the parsed tree *before* any text extraction, so that no
script body can ever reach the record, whatever the extractor does.
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
from .base import ReadDocument, ReadResult

if TYPE_CHECKING:
    from .records import ColumnMapping

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


class HtmlReader:
    name: str = "html"
    extensions: tuple[str, ...] = (".html", ".htm", ".xhtml")

    def sniff(self, head: bytes) -> bool:
        return bool(_HTML_START.match(head.lstrip(b"\xef\xbb\xbf")))

    def read(self, data: bytes, *, name: str, mapping: ColumnMapping | None = None) -> ReadResult:
        with reading("HTML"):
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
