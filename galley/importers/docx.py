"""Word manuscripts (.docx) in: an article folder the editor finishes, with every gap marked.

An accepted manuscript arrives as a Word file. pandoc's DOCX reader gives its body (headings,
lists, tables, footnotes, OMML equations as TeX, images); this module then does what a
production editor does on the first day: recognises "Figure 1." and "Table 1." captions and
turns them into labels and ids, links "Figure 2" in the text to its figure, reads the first
page (title, authors, affiliations, abstract, keywords) into front matter, parses the typed
bibliography into CSL (`refparse`), and links the in-text citations to it. What it cannot
find is written as a gap (`FILL IN: …`) that `check` refuses, never as a guess.

The file is untrusted: tracked changes, comments, embedded objects and images in text boxes
are refused with a message (or, for the first two, accepted or dropped on an explicit
option); encrypted files, old .doc files, broken or oversized zips are refused before pandoc
sees them; nothing is written until the whole article is ready, and then in one rename.
"""

from __future__ import annotations

import difflib
import json
import posixpath
import re
import secrets
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from lxml import etree

from galley import limits, pandoc
from galley.ast import ATTRIBUTES_AT, Node, cite, iter_nodes, stringify, walk
from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, Span, error, warning
from galley.importers import Options, import_each, refparse, wordfields
from galley.importers.source import article_text, to_markdown, write_article
from galley.languages import intake_words
from galley.layout import GAP, ISSUE_FILE, JOURNAL_FILE, REFERENCES_FILE, folder_name
from galley.read.body import refused_link
from galley.zipfiles import bomb

if TYPE_CHECKING:
    pass

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_FILE = 64 * 1024 * 1024  # the .docx itself
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".tif", ".tiff"}
# Match crossref candidates: Crossref's own relevance score, then the fields an editor checks.
MATCH_SCORE = 60.0
MATCH_TITLE = 0.9

BACK_KINDS = (
    "ack",
    "coi-statement",
    "data-availability",
    "author-contributions",
    "appendix",
    "supplementary-material",
    "notes",
)


def _words(key: str) -> str:
    return "|".join(intake_words(key))


def _heading(*keys: str) -> re.Pattern[str]:
    """A heading made of one of the words of `keys` (any language), a typed number before
    it allowed ("7. References")."""
    return re.compile(
        rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?:{'|'.join(_words(k) for k in keys)})\s*[:.]?\s*$", re.I
    )


REFERENCE_HEADINGS = _heading("references")
ABSTRACT_HEADINGS = re.compile(rf"^(?:{_words('abstract')})\s*[:.]?\s*", re.I)
KEYWORDS = re.compile(rf"^(?:{_words('keywords')})\s*[:.—–-]\s*", re.I)
BACK_HEADINGS = {kind: _heading(kind) for kind in BACK_KINDS}
FIGURE_WORDS, TABLE_WORDS = _words("figure"), _words("table")
# "Figure 1." "Fig. 2:" "Table S1 –" "Figura 3." at a caption's start
CAPTION = re.compile(
    rf"^(?P<word>{FIGURE_WORDS}|{TABLE_WORDS})\s*(?P<number>S?\d+[A-Za-z]?)\s*[.:|—–-]?\s*",
    re.I,
)
TABLE_WORD = re.compile(rf"^(?:{TABLE_WORDS})$", re.I)
# "Figure 2", "Fig. 2B", "Table 1" inside the text
IN_TEXT = re.compile(
    rf"\b(?P<word>{FIGURE_WORDS}|{TABLE_WORDS})\s(?P<number>S?\d+)(?P<panel>[A-Za-z](?![\w-]))?",
    re.I,
)
EQUATION_NUMBER = re.compile(
    r"\s*(?:\\#|\\qquad|\\quad|\\tag\{)?\s*\\left\(\s*(\w+)\s*\\right\)\s*\}?$"
)


# The report's entries that are also said as warnings when the import ends.
WARNED = {
    "not carried": Code.DOCX_NOT_CARRIED,
    "gap": Code.DOCX_GAP,
    "decided": Code.DOCX_DECIDED,
    "no header": Code.DOCX_TABLE_HEADER,
}


def _places_said(places: Sequence[str], shown: int = 5) -> str:
    """Where several things are, each place once: the first few, and how many more."""
    unique = list(dict.fromkeys(places))
    said = "; ".join(unique[:shown])
    return said + (f"; and {len(unique) - shown} more place(s)" if len(unique) > shown else "")


@dataclass
class Intake:
    """What the import report says: each entry with where in the manuscript it is."""

    path: Path
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # kind, where, message
    said: list[Diagnostic] = field(default_factory=list)  # about the source, once written

    def add(self, kind: str, where: str, message: str) -> None:
        self.entries.append((kind, where, message))

    def markdown(self) -> str:
        lines = [f"# Import report: {self.path.name}", ""]
        if not self.entries:
            lines.append("Everything was carried.")
        for kind, where, message in self.entries:
            lines.append(f"- **{kind}** ({where or '—'}): {message}")
        return "\n".join(lines) + "\n"

    def diagnostics(self) -> list[Diagnostic]:
        return [
            warning(WARNED[kind], f"{where}: {message}", Span(self.path))
            for kind, where, message in self.entries
            if kind in WARNED
        ] + self.said


@dataclass
class Imported:
    folder: Path
    report: Intake


# --------------------------------------------------------------------------- the Word file


@dataclass
class Package:
    """What the zip holds that the import needs beyond pandoc's reading."""

    media: dict[str, bytes]
    lang: str | None
    comments: list[str]
    properties: dict[str, str]
    unreachable: list[tuple[str, str]] = field(default_factory=list)  # (where, image)
    changes: list[str] = field(default_factory=list)  # where each tracked change is
    commented: list[str] = field(default_factory=list)  # where each comment is


def _refuse(code: Code, path: Path, message: str, hint: str) -> GalleyError:
    return GalleyError(error(code, message, Span(path), hint))


def _xml(data: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    return etree.fromstring(data, parser)


def _paragraph_text(paragraph: etree._Element) -> str:
    """The words a paragraph shows (not its fields' instructions)."""
    shown = "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t"))
    return " ".join(shown.split())[:60]


def inspect(path: Path, options: Options) -> Package:
    """Refuse, before pandoc reads a byte, what galley must not take silently."""
    if not path.is_file():
        raise _refuse(Code.IMPORT_MISSING, path, f"{path} does not exist", "check the path")
    if path.stat().st_size > MAX_FILE:
        raise _refuse(
            Code.DOCX_TOO_LARGE,
            path,
            f"{path.name} is {path.stat().st_size:,} bytes; the limit is {MAX_FILE:,}",
            "compress the images in Word (File > Compress Pictures) and save again",
        )
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == OLE_MAGIC:
        import msoffcrypto

        with path.open("rb") as handle:
            try:
                encrypted = msoffcrypto.OfficeFile(handle).is_encrypted()
            except Exception:  # not even a readable Office file
                encrypted = False
        if encrypted:
            raise _refuse(
                Code.DOCX_ENCRYPTED,
                path,
                f"{path.name} is protected by a password; galley cannot read it",
                "open it in Word, remove the password (File > Info > Protect Document > "
                "Encrypt with Password, empty) and save it as .docx",
            )
        raise _refuse(
            Code.DOCX_LEGACY,
            path,
            f"{path.name} is a Word 97–2003 document (.doc), not .docx",
            "open it in Word or LibreOffice and save it as Word Document (.docx)",
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(
            Code.DOCX_CORRUPT,
            path,
            f"{path.name} is not a readable .docx (a .docx is a zip file): {exc}",
            "ask the author for the file again, or open it in Word and save a copy",
        ) from None
    with archive:
        too_large = bomb(archive)
        if too_large:
            raise _refuse(
                Code.DOCX_TOO_LARGE,
                path,
                f"{path.name}: {too_large}",
                "ask the author for the file again, or compress its images in Word and save again",
            )
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise _refuse(
                Code.DOCX_CORRUPT,
                path,
                f"{path.name} has no word/document.xml: it is not a Word document",
                "save the manuscript from Word as .docx",
            )
        declaring = [
            name
            for name in sorted(names)
            if name.endswith((".xml", ".rels")) and b"<!DOCTYPE" in archive.read(name)
        ]
        if declaring:  # Word never writes one; an external entity would read a file
            raise _refuse(
                Code.DOCX_CORRUPT,
                path,
                f"{path.name}: {declaring[0]} declares a DTD or entities, which Word never "
                "writes (an external entity would make a reader fetch a file or a URL)",
                "ask the author for the file saved again from Word",
            )
        try:
            document = _xml(archive.read("word/document.xml"))
            parts = {
                name: _xml(archive.read(name))
                for name in ("word/footnotes.xml", "word/endnotes.xml", "word/comments.xml")
                if name in names
            }
            styles = _xml(archive.read("word/styles.xml")) if "word/styles.xml" in names else None
            core = _xml(archive.read("docProps/core.xml")) if "docProps/core.xml" in names else None
            rels_name = "word/_rels/document.xml.rels"
            archive_rels = _xml(archive.read(rels_name)) if rels_name in names else None
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError) as exc:
            raise _refuse(
                Code.DOCX_CORRUPT,
                path,
                f"{path.name} is damaged: {exc}",
                "open it in Word and save a copy; Word repairs what it can",
            ) from None
        media = {
            name: archive.read(name)
            for name in sorted(names)
            if name.startswith("word/media/") and not name.endswith("/")
        }
    where = _places(document)
    everything = [document, *parts.values()]
    changes = [
        e
        for tree in everything
        for e in tree.iter(*(f"{{{W}}}{t}" for t in ("ins", "del", "moveFrom", "moveTo")))
    ]
    if changes and options.changes == "refuse":
        raise _refuse(
            Code.DOCX_TRACKED_CHANGES,
            path,
            f"{path.name} has {len(changes)} tracked change(s), the first in "
            f"{where(changes[0])}; galley never keeps them silently",
            "accept or reject them in Word (Review > Accept All), or import with "
            "--changes accept (or --changes reject)",
        )
    anchors = {
        e.get(f"{{{W}}}id"): where(e)
        for e in reversed(
            list(document.iter(f"{{{W}}}commentRangeStart", f"{{{W}}}commentReference"))
        )
    }
    comments = []
    placed = []  # where each comment is, in the text
    if "word/comments.xml" in parts:
        for comment in parts["word/comments.xml"].iter(f"{{{W}}}comment"):
            author = comment.get(f"{{{W}}}author") or "someone"
            comments.append(f"{author}: {' '.join(''.join(comment.itertext()).split())}")
            placed.append(anchors.get(comment.get(f"{{{W}}}id"), "the notes"))
    if comments and options.comments == "refuse":
        raise _refuse(
            Code.DOCX_COMMENTS,
            path,
            f"{path.name} has {len(comments)} comment(s) (the first: “{comments[0][:80]}”); "
            "galley never drops them silently",
            "resolve and delete them in Word (Review > Delete All Comments), or import with "
            "--comments drop (they are then listed in import-report.md)",
        )
    objects = [
        e for tree in everything for e in tree.iter(f"{{{W}}}object", f"{{{NS['o']}}}OLEObject")
    ]
    if objects:
        raise _refuse(
            Code.DOCX_EMBEDDED_OBJECT,
            path,
            f"{path.name} embeds an object (a chart, a spreadsheet, an old equation) in "
            f"{where(objects[0])}; galley cannot carry it",
            "replace it with an image (paste as picture) or, for an equation, retype it with "
            "Word's equation editor (Insert > Equation)",
        )
    boxed = [
        e
        for tree in everything
        for box in tree.iter(f"{{{W}}}txbxContent")
        for e in box.iter(f"{{{W}}}drawing", f"{{{NS['v']}}}imagedata")
    ]
    if boxed:
        raise _refuse(
            Code.DOCX_TEXTBOX_IMAGE,
            path,
            f"{path.name} has an image inside a text box in {where(boxed[0])}; pandoc "
            "cannot see it, so it would be lost",
            "move the image out of the text box (cut it, paste it in its own paragraph) and "
            "put its caption in the paragraph after it",
        )
    lang = None
    if styles is not None:
        found = styles.find(".//w:docDefaults//w:lang", NS)
        if found is not None and found.get(f"{{{W}}}val"):
            lang = found.get(f"{{{W}}}val")
    properties = {}
    if core is not None:
        for key, tag in (("title", "dc:title"), ("keywords", "cp:keywords")):
            value = core.find(tag, NS)
            if value is not None and (value.text or "").strip():
                properties[key] = str(value.text).strip()
    for name, data in media.items():
        too_large = _image_too_large(data)
        if too_large:
            raise _refuse(
                Code.DOCX_TOO_LARGE,
                path,
                f"{path.name}: the image {name} {too_large}",
                "compress the images in Word (File > Compress Pictures) and save again",
            )
    unreachable = [
        (where(element), target)
        for element, target in _unreachable_images(archive_rels, names, document)
    ]
    return Package(
        media,
        lang,
        comments,
        properties,
        unreachable,
        [where(change) for change in changes],
        placed,
    )


def _places(document: etree._Element) -> Callable[[etree._Element], str]:
    """Where an element of word/document.xml is, as the author counts paragraphs: those of
    the text, not those inside a text box ("paragraph 12 (“The results of…”)")."""
    boxes = f"{{{W}}}txbxContent"
    own = [
        p for p in document.iter(f"{{{W}}}p") if not any(a.tag == boxes for a in p.iterancestors())
    ]
    paragraphs = {p: i + 1 for i, p in enumerate(own)}

    def where(element: etree._Element) -> str:
        outer = [a for a in element.iterancestors(f"{{{W}}}p") if a in paragraphs]
        if outer:
            return f"paragraph {paragraphs[outer[-1]]} (“{_paragraph_text(outer[-1])}…”)"
        return "the notes"

    return where


class _PartPlaces:
    """`where` for an element of any text part of the file (its paragraph in the document)."""

    def __init__(self) -> None:
        self.known: dict[int, Callable[[etree._Element], str]] = {}

    def __call__(self, part: str, element: etree._Element) -> str:
        if part != "word/document.xml":
            return "the notes"
        root = element.getroottree().getroot()
        if id(root) not in self.known:
            self.known[id(root)] = _places(root)
        return self.known[id(root)](element)


def _image_too_large(data: bytes) -> str:
    """Why the build would refuse this image (bytes or decoded pixels), or ""."""
    from galley.read.body import MAX_ASSET_BYTES

    if len(data) > MAX_ASSET_BYTES:
        return f"is {len(data):,} bytes; the build takes at most {MAX_ASSET_BYTES:,}"
    pixels = limits.decoded_pixels(data)
    if pixels > limits.IMAGE_PIXELS:
        return f"decodes to {pixels:,} pixels; the build takes at most {limits.IMAGE_PIXELS:,}"
    return ""


RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"


def _unreachable_images(
    rels: etree._Element | None, names: set[str], document: etree._Element
) -> list[tuple[etree._Element, str]]:
    """Images the text shows that the file does not hold: linked to a file or a web address
    outside it, or naming a part that is not there. pandoc drops them without a word."""
    targets = {}
    if rels is not None:
        for rel in rels.iter(RELATIONSHIP):
            target = rel.get("Target") or ""
            external = rel.get("TargetMode") == "External"
            inside = posixpath.normpath(posixpath.join("word", target))
            targets[rel.get("Id")] = (target, external or inside not in names)
    found = []
    for element in document.iter(BLIP, f"{{{NS['v']}}}imagedata"):
        ids = [element.get(f"{{{R}}}{key}") for key in ("embed", "link", "id")]
        for identifier in filter(None, ids):
            target, outside = targets.get(identifier, (identifier, True))
            if outside:
                found.append((element, target))
    return found


# --------------------------------------------------------------------------- inline text


def _str_nodes(text: str) -> list[Node]:
    nodes: list[Node] = []
    for index, word in enumerate(re.split(r" +", text)):
        if index:
            nodes.append({"t": "Space"})
        if word:
            nodes.append({"t": "Str", "c": word})
    return nodes


Piece = str | Node


def rewrite(inlines: list[Node], change: Callable[[str], list[Piece]]) -> list[Node]:
    """Apply `change` to each run of plain words (Str and Space) in `inlines`, and inside
    emphasis, spans and notes; never inside links, citations, code or math."""
    out: list[Node] = []
    run: list[Node] = []

    def flush() -> None:
        if not run:
            return
        text = "".join(n["c"] if n["t"] == "Str" else " " for n in run)
        for piece in change(text):
            out.extend(_str_nodes(piece) if isinstance(piece, str) else [piece])
        run.clear()

    for node in inlines:
        kind = node["t"]
        if kind in ("Str", "Space"):
            run.append(node)
            continue
        flush()
        if kind in ("Emph", "Strong", "Underline", "SmallCaps", "Superscript", "Subscript"):
            node = {"t": kind, "c": rewrite(node["c"], change)}
        elif kind == "Span":
            node = {"t": kind, "c": [node["c"][0], rewrite(node["c"][1], change)]}
        elif kind == "Note":
            node = {"t": "Note", "c": [_rewrite_block(b, change) for b in node["c"]]}
        out.append(node)
    flush()
    return out


def _rewrite_block(block: Node, change: Callable[[str], list[Piece]]) -> Node:
    kind = block["t"]
    if kind in ("Para", "Plain"):
        return {"t": kind, "c": rewrite(block["c"], change)}
    if kind == "Header":
        return block
    if kind in ("BulletList",):
        return {"t": kind, "c": [[_rewrite_block(b, change) for b in item] for item in block["c"]]}
    if kind == "OrderedList":
        items = [[_rewrite_block(b, change) for b in item] for item in block["c"][1]]
        return {"t": kind, "c": [block["c"][0], items]}
    if kind in ("BlockQuote",):
        return {"t": kind, "c": [_rewrite_block(b, change) for b in block["c"]]}
    if kind == "Div":
        return {"t": kind, "c": [block["c"][0], [_rewrite_block(b, change) for b in block["c"][1]]]}
    if kind == "Figure":
        attr, (short, caption), content = block["c"]
        return {
            "t": kind,
            "c": [attr, [short, [_rewrite_block(b, change) for b in caption]], content],
        }
    if kind == "Table":
        table: Node = json.loads(json.dumps(block), object_hook=lambda n: _rewrite_cell(n, change))
        return table
    return block


def _rewrite_cell(node: dict[str, Any], change: Callable[[str], list[Piece]]) -> dict[str, Any]:
    if node.get("t") in ("Plain", "Para"):
        return {"t": node["t"], "c": rewrite(node["c"], change)}
    return node


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


# --------------------------------------------------------------------------- the import


class DocxImport:
    """One Word manuscript into an article folder of an existing issue."""

    def __init__(self, path: Path, into: Path, options: Options) -> None:
        self.path = path
        self.into = into
        self.options = options
        self.report = Intake(path)
        self.files: dict[str, bytes] = {}  # name in the article folder -> bytes
        self.labels: dict[str, str] = {}  # "figure 2" -> "fig-2"
        self.keys: dict[str, str] = {}  # reference number -> key
        self.by_author_year: dict[tuple[str, str], list[str]] = {}
        self.originals: dict[str, str] = {}  # key -> the reference as typed
        self.cited: set[str] = set()
        self.figures = 0
        self.tables = 0
        self.equations = 0
        self.abstract: list[Node] = []  # the paragraphs in Word's (pandoc's) Abstract style
        self.used: set[str] = set()  # the reference keys given
        self.field_keys: dict[str, str] = {}  # a reference manager's item id -> key
        self.field_items: list[dict[str, Any]] = []  # the references the fields carry
        self.placed: set[str] = set()  # the placeholders found in pandoc's reading
        # A word no manuscript holds, to mark where each citation field was.
        self.nonce = "galleycite" + secrets.token_hex(8)

    # -- checks on where it goes ------------------------------------------------------

    def _target(self) -> Path:
        if not (self.into / ISSUE_FILE).is_file():
            raise _refuse(
                Code.DOCX_NO_ISSUE,
                self.path,
                f"{self.into} is not an issue folder (it has no {ISSUE_FILE})",
                "create the issue first (source/ISSUE/issue.yaml with its volume and date), "
                "then import into it: --into source/ISSUE/",
            )
        name = folder_name(self.options.article or self.path.stem)
        if not name:
            raise _refuse(
                Code.DOCX_ARTICLE_ID,
                self.path,
                f"no article id can be made from {self.path.name}",
                "give one with --article ID",
            )
        target = self.into / name
        if target.exists():
            raise _refuse(
                Code.IMPORT_EXISTS,
                self.path,
                f"{target} already exists; the import never overwrites an article",
                "remove or rename the folder, or import with another --article ID",
            )
        return target

    # -- the whole article -------------------------------------------------------------

    def run(self) -> Imported:
        package = inspect(self.path, self.options)  # the file first: is there one at all?
        target = self._target()
        self.package = package
        if package.comments:  # never silently: how many, and where
            self.report.add(
                "decided",
                _places_said(package.commented),
                f"{len(package.comments)} comment(s) dropped (--comments drop), each listed "
                "in the report",
            )
        for comment, where in zip(package.comments, package.commented, strict=True):
            self.report.add("dropped", f"comment in {where}", comment)
        if package.changes:
            done = "rejected" if self.options.changes == "reject" else "accepted"
            self.report.add(
                "decided",
                _places_said(package.changes),
                f"{len(package.changes)} tracked change(s) {done} (--changes "
                f"{self.options.changes}): check the text there",
            )
        for where, image in package.unreachable:
            self.report.add(
                "not carried",
                where,
                f"an image the file does not hold ({image[:80]}): insert the picture itself "
                "(Insert > Pictures > This Device), not a link to it",
            )
        changes = "reject" if self.options.changes == "reject" else "accept"
        with tempfile.TemporaryDirectory(prefix="galley-") as scratch:
            # pandoc drops field codes: a copy with each citation field a placeholder word
            source = Path(scratch) / self.path.name
            prepared = wordfields.prepare(self.path, source, self.nonce, _PartPlaces())
            for kind, where, message in prepared.notes:
                self.report.add(kind, where, message)
            self._field_references(prepared)
            document = json.loads(
                pandoc.convert_file(source, "docx+styles", "json", (f"--track-changes={changes}",))
            )
        meta: dict[str, Any] = walk(document.get("meta", {}), self._style)
        blocks: list[Node] = walk(document["blocks"], self._style)
        blocks = walk(blocks, lambda node: self._placeholder(node, prepared))
        for placeholder, citation in prepared.citations.items():
            if placeholder not in self.placed:
                self.report.add(
                    "not carried",
                    citation.where,
                    f"a {wordfields.MANAGERS[citation.manager]} citation pandoc did not keep",
                )
        front, body, references, after = self._split(blocks)
        fields = self._front(meta, front)
        body = self._objects(body + after)
        items = self._references(references)
        body = [_rewrite_block(block, self._links) for block in body]
        body = _grouped(body)
        body = walk(body, self._unsafe_link)
        body = self._internal_links(body)
        fields_refs: dict[str, Any] = {}
        if items:
            fields_refs["bibliography"] = REFERENCES_FILE
            uncited = [item["id"] for item in items if item["id"] not in self.cited]
            if uncited:
                fields_refs["nocite"] = ", ".join(f"@{key}" for key in uncited)
                self.report.add(
                    "note",
                    "references",
                    f"{len(uncited)} reference(s) the text never cites (kept, listed with "
                    f"nocite): {', '.join(uncited)}",
                )
        fields |= fields_refs
        self.report.said += write_article(
            target, article_text(fields, body), self.report.markdown(), items, files=self.files
        )
        return Imported(target, self.report)

    def _style(self, node: Node) -> list[Node] | Node | None:
        """A paragraph or run in a Word style (pandoc's `styles` extension wraps it in a Div
        or Span naming it): the abstract's paragraphs are set aside for the front matter; any
        other style is only how it looked, and goes."""
        kind = node["t"]
        if kind == "Table":
            node["c"][0][2] = [p for p in node["c"][0][2] if p[0] != "custom-style"]
            return node
        if kind not in ("Div", "Span"):
            return None
        identifier, classes, pairs = node["c"][0]
        style = next((value for key, value in pairs if key == "custom-style"), None)
        if style is None:
            return None
        content: list[Node] = node["c"][1]
        name = "".join(style.split()).casefold()
        if kind == "Div" and name == "abstract":
            self.abstract.extend(content)
            return []
        if kind == "Div" and name == "abstracttitle":
            text = stringify(content).strip()
            if text and not ABSTRACT_HEADINGS.fullmatch(text):
                self.report.add("not carried", "abstract", f"its title “{text[:60]}”")
            return []
        rest = [p for p in pairs if p[0] != "custom-style"]
        if identifier or classes or rest:
            return {"t": kind, "c": [[identifier, classes, rest], content]}
        return content

    def _field_references(self, prepared: wordfields.Prepared) -> None:
        """The references the citation fields carry, in the order first cited, each with
        its key (the same item cited twice is one reference)."""
        for citation in prepared.citations.values():
            for cited in citation.items:
                if cited.identity in self.field_keys:
                    continue
                key = self._key(cited.csl, self.used)
                self.field_keys[cited.identity] = key
                self.field_items.append({"id": key, **cited.csl})
                if cited.unmapped:
                    self.report.add(
                        "not carried",
                        f"reference {key}",
                        f"EndNote's {', '.join(cited.unmapped)}: no CSL field holds them",
                    )
        managers = sorted({wordfields.MANAGERS[c.manager] for c in prepared.citations.values()})
        if prepared.citations:
            self.report.add(
                "note",
                "references",
                f"{len(prepared.citations)} citation(s) of {len(self.field_items)} reference(s) "
                f"read from {' and '.join(managers)}'s fields, exactly as the fields hold them",
            )

    def _placeholder(self, node: Node, prepared: wordfields.Prepared) -> list[Node] | None:
        """A placeholder word put where a citation field was: the citation."""
        if node["t"] != "Str" or self.nonce not in node["c"]:
            return None
        out: list[Node] = []
        for piece in re.split(rf"({re.escape(self.nonce)}\d+x)", node["c"]):
            citation = prepared.citations.get(piece)
            if citation is None:
                out += [{"t": "Str", "c": piece}] if piece else []
                continue
            self.placed.add(piece)
            keys = [self.field_keys[c.identity] for c in citation.items]
            self.cited.update(keys)
            node_ = cite(keys)
            for entry, cited in zip(node_["c"][0], citation.items, strict=True):
                entry["citationPrefix"] = _str_nodes(cited.prefix) if cited.prefix else []
                entry["citationSuffix"] = _str_nodes(cited.suffix) if cited.suffix else []
                entry["citationMode"] = {"t": cited.mode}
            out.append(node_)
        return out

    def _internal_links(self, body: list[Node]) -> list[Node]:
        """A link inside the manuscript (to a Word bookmark) whose target the import does not
        make: to the figure or table its words name when the import made it, else its words
        stay and the report says so (`check` and the build refuse a link to nothing)."""
        ids = {
            node["c"][ATTRIBUTES_AT[node["t"]]][0]
            for node in iter_nodes(body)
            if node["t"] in ATTRIBUTES_AT
        }
        ids |= {
            found.group(1)
            for node in iter_nodes(body, "RawInline")
            if (found := re.match(r"^\{#([^}\s]+)\}$", node["c"][1]))
        }
        lost: dict[str, list[str]] = {}
        moved: dict[str, str] = {}

        def visit(node: Node) -> list[Node] | Node | None:
            if node["t"] != "Link" or not node["c"][2][0].startswith("#"):
                return None
            target = node["c"][2][0]
            if target[1:] in ids:
                return None
            words = stringify(node["c"][1])
            named = IN_TEXT.fullmatch(words.strip())
            if named:
                kind = "table" if TABLE_WORD.match(named.group("word")) else "figure"
                label = self.labels.get(f"{kind} {named.group('number').lower()}")
                if label:
                    moved[target] = f"#{label}"
                    return {"t": "Link", "c": [node["c"][0], node["c"][1], [f"#{label}", ""]]}
            lost.setdefault(target, []).append(words)
            content: list[Node] = node["c"][1]
            return content

        body = walk(body, visit)
        for target, label in moved.items():
            self.report.add(
                "note", f"link to {target}", f"now to {label}, the figure or table it names"
            )
        for target, words in lost.items():
            self.report.add(
                "not carried",
                f"link “{words[0][:40]}”",
                f"{len(words)} link(s) to {target[:40]}, which the manuscript does not hold "
                "(a bookmark Word lost?): their words kept, unlinked",
            )
        return body

    def _unsafe_link(self, node: Node) -> list[Node] | None:
        """A link galley publishes no link to (javascript:, data:, file:...): its words stay,
        unlinked, and the report says so (a field code's HYPERLINK as much as a link)."""
        if node["t"] != "Link":
            return None
        target = node["c"][2][0]
        if not refused_link(target):
            return None
        words = stringify(node["c"][1])
        self.report.add(
            "not carried", f"link “{words[:40]}”", f"a link to '{target[:60]}': its words kept"
        )
        content: list[Node] = node["c"][1]
        return content

    # -- the parts of the manuscript -------------------------------------------------------

    def _split(self, blocks: list[Node]) -> tuple[list[Node], list[Node], list[Node], list[Node]]:
        """First page, body, bibliography, and what follows the bibliography."""
        first = next(
            (
                i
                for i, b in enumerate(blocks)
                if b["t"] == "Header" and not self._is_front_heading(stringify(b["c"][2]))
            ),
            len(blocks),
        )
        start = next(
            (
                i
                for i, b in enumerate(blocks)
                if i >= first
                and b["t"] == "Header"
                and REFERENCE_HEADINGS.match(stringify(b["c"][2]).strip())
            ),
            None,
        )
        if start is None:
            return blocks[:first], blocks[first:], [], []
        level = blocks[start]["c"][0]
        end = next(
            (
                i
                for i in range(start + 1, len(blocks))
                if blocks[i]["t"] == "Header" and blocks[i]["c"][0] <= level
            ),
            len(blocks),
        )
        return blocks[:first], blocks[first:start], blocks[start + 1 : end], blocks[end:]

    @staticmethod
    def _is_front_heading(text: str) -> bool:
        return bool(ABSTRACT_HEADINGS.fullmatch(text.strip()) or KEYWORDS.match(text.strip() + ":"))

    def _front(self, meta: dict[str, Any], front: list[Node]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        paragraphs: list[tuple[str, Node]] = []  # (kind, block) still to place
        abstract: list[Node] = []
        keywords: list[str] = []
        in_abstract = False
        for block in front:
            text = stringify(block["c"][2] if block["t"] == "Header" else block.get("c", []))
            text = text.strip() if isinstance(text, str) else ""
            if block["t"] == "Header":
                in_abstract = bool(ABSTRACT_HEADINGS.fullmatch(text))
                if KEYWORDS.match(text + ":"):
                    in_abstract = False
                continue
            if block["t"] not in ("Para", "Plain"):
                if in_abstract:
                    abstract.append(block)
                else:
                    paragraphs.append(("other", block))
                continue
            if KEYWORDS.match(text):
                keywords += [k.strip(" .") for k in re.split(r"[;,·]", KEYWORDS.sub("", text))]
                in_abstract = False
                continue
            label = ABSTRACT_HEADINGS.match(text)
            if label and (len(text) > len(label.group()) + 20) and not in_abstract:
                abstract.append({"t": "Para", "c": _str_nodes(text[label.end() :])})
                in_abstract = True
                continue
            if in_abstract:
                abstract.append(block)
            else:
                paragraphs.append(("para", block))
        title = stringify(meta["title"]["c"]).strip() if "title" in meta else ""
        subtitle = stringify(meta["subtitle"]["c"]).strip() if "subtitle" in meta else ""
        if "date" in meta:
            self.report.add(
                "not carried",
                "first page",
                f"the date “{stringify(meta['date']['c'])[:40]}” (Date style): the issue "
                "gives the publication date; a history date goes under `history:`",
            )
        queue = [b for kind, b in paragraphs if kind == "para"]
        if not title and queue and not self._affiliation(queue[0]):
            title = stringify(queue.pop(0)["c"]).strip()
        if not title and self.package.properties.get("title"):
            title = self.package.properties["title"]
            self.report.add("note", "document properties", "the title comes from File > Properties")
        fields["title"] = title or self._gap("title", "the title was not found on the first page")
        if subtitle:
            fields["subtitle"] = subtitle
        if self.package.lang:
            fields["lang"] = self.package.lang.split("-")[0].lower()
        prefix = self._doi_prefix()
        fields["doi"] = self._gap(
            "doi", f"the article's DOI ({prefix}/…), which the journal assigns, not the author"
        )
        authors, affiliations, leftovers = self._people(queue, self._styled_authors(meta))
        fields["author"] = authors or [
            {"name": self._gap("author", "no author line was found on the first page")}
        ]
        if affiliations:
            fields["affiliations"] = affiliations
        if self.abstract:  # Word's Abstract style says it; a heading's guess is second
            fields["abstract"] = to_markdown(self.abstract).strip()
            paragraphs += [("other", block) for block in abstract]
        elif abstract:
            fields["abstract"] = to_markdown(abstract).strip()
        elif "abstract" in meta:
            fields["abstract"] = stringify(meta["abstract"]["c"]).strip()
        else:
            fields["abstract"] = self._gap("abstract", "no abstract was found")
        if not keywords and self.package.properties.get("keywords"):
            keywords = re.split(r"[;,]", self.package.properties["keywords"])
            self.report.add("note", "document properties", "keywords come from File > Properties")
        keywords = [k.strip() for k in keywords if k.strip()]
        fields["keywords"] = keywords or [self._gap("keywords", "no keywords were found")]
        for block in leftovers + [b for kind, b in paragraphs if kind == "other"]:
            self.report.add(
                "not carried",
                "first page",
                f"“{stringify(block.get('c', []))[:100]}” (put it where it belongs in "
                "article.md: an author note, the acknowledgements…)",
            )
        return fields

    def _doi_prefix(self) -> str:
        journal = self.into.parent / JOURNAL_FILE
        if journal.is_file():
            found = re.search(
                r"^doi-prefix:\s*['\"]?([^'\"\s]+)", journal.read_text(encoding="utf-8"), re.M
            )
            if found:
                return found.group(1)
        return "10.xxxx"

    def _gap(self, field_name: str, why: str) -> str:
        self.report.add(
            "gap", field_name, f"{why}: fill it in article.md (`check` refuses the gap)"
        )
        return f"{GAP} {why}"

    @staticmethod
    def _affiliation(block: Node) -> bool:
        inlines = block.get("c", [])
        return bool(inlines) and inlines[0]["t"] == "Superscript"

    def _styled_authors(self, meta: dict[str, Any]) -> list[dict[str, Any]]:
        """The paragraphs in the Author style (pandoc's: one per author), which pandoc reads
        into the metadata: each a name, with its affiliation marks and e-mail address."""
        value = meta.get("author")
        if value is None:
            return []
        entries = value["c"] if value["t"] == "MetaList" else [value]
        authors: list[dict[str, Any]] = []
        for entry in entries:
            inlines = entry["c"] if entry["t"] in ("MetaInlines", "MetaBlocks") else []
            if entry["t"] == "MetaBlocks":
                inlines = [n for block in inlines for n in block.get("c", [])]
            if entry["t"] == "MetaString":
                inlines = _str_nodes(entry["c"])
            whole = stringify(inlines)
            for note in (n for n in inlines if n["t"] == "Note"):
                self.report.add(
                    "not carried",
                    f"author “{whole[:40]}”",
                    f"a note “{stringify(note['c'])[:80]}” (an author note: put it in article.md)",
                )
            emails = [
                n["c"][2][0].removeprefix("mailto:")
                for n in iter_nodes(inlines, "Link")
                if n["c"][2][0].startswith("mailto:")
            ] or re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", whole)
            name: list[Node] = []  # the name: what comes before a mark, a link or a note
            for node in inlines:
                if node["t"] in ("Link", "Note"):
                    break
                if node["t"] == "Str" and "*" in node["c"]:
                    before = node["c"].split("*", 1)[0]
                    name += [{"t": "Str", "c": before}] if before else []
                    name.append({"t": "Superscript", "c": [{"t": "Str", "c": "*"}]})
                    break
                name.append(node)
            people = self._names(name)
            if not people:
                self.report.add("not carried", "first page", f"the Author paragraph “{whole[:80]}”")
                continue
            rest = whole[len(stringify(name)) :].strip()
            if emails and len(people) == 1:
                people[0]["email"] = emails[0]
                people[0]["corresponding"] = True
            if rest.strip(" *") and rest.strip(" *") not in emails:
                self.report.add(
                    "note",
                    f"author “{stringify(name)[:40]}”",
                    f"the rest of the Author paragraph, “{rest[:80]}”, is not a name"
                    + (f" (e-mail {emails[0]} read)" if emails and len(people) == 1 else ""),
                )
            authors += people
        return authors

    def _people(
        self, queue: list[Node], styled: list[dict[str, Any]]
    ) -> tuple[list[Any], list[Any], list[Node]]:
        """The author line (names with superscript affiliation numbers), unless Word's
        Author style gave them (`styled`), and the numbered affiliation lines below it."""
        authors: list[dict[str, Any]] = list(styled)
        affiliations: list[dict[str, Any]] = []
        leftovers: list[Node] = []
        emails: list[str] = []
        for block in queue:
            inlines = block.get("c", [])
            text = stringify(inlines).strip()
            if self._affiliation(block):
                number = stringify(inlines[0]["c"]).strip()
                name = stringify(inlines[1:]).strip()
                affiliations.append({"id": f"aff{number}", "name": name})
                continue
            found = re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)
            if found and len(text) < 300:
                emails += found
                continue
            if not authors and self._looks_like_names(inlines):
                authors = self._names(inlines)
                continue
            leftovers.append(block)
        known = {a["id"] for a in affiliations}
        for author in authors:
            refs = author.pop("refs", [])
            if refs:
                author["affiliations"] = [{"ref": f"aff{r}"} for r in refs if f"aff{r}" in known]
                missing = [r for r in refs if f"aff{r}" not in known]
                if missing:
                    self.report.add(
                        "note",
                        "first page",
                        f"affiliation mark(s) {missing} of {author['name']} have no "
                        "affiliation line",
                    )
        if emails and authors:
            corresponding = next((a for a in authors if a.get("corresponding")), authors[0])
            corresponding["corresponding"] = True
            corresponding["email"] = emails[0]
            if len(emails) > 1:
                self.report.add(
                    "note",
                    "first page",
                    f"e-mail addresses beyond the first not assigned: {emails[1:]}",
                )
        for author in authors:
            if len(author["name"].get("given", "")) == 0:
                self.report.add(
                    "gap", "author", f"“{author['name']['family']}”: check the given name"
                )
        return authors, affiliations, leftovers

    @staticmethod
    def _looks_like_names(inlines: list[Node]) -> bool:
        """An author line: short capitalised names between commas (a group's name may
        start in lower case: "eLife staff group"), no sentence."""
        text = stringify([n for n in inlines if n["t"] != "Superscript"])
        parts = [p.strip() for p in re.split(r",| and | & | e | et ", text) if p.strip()]

        def name(part: str) -> bool:
            words = part.split()
            return 1 <= len(words) <= 5 and all(
                w[:1].isupper() or w.lower() in PARTICLES for w in words
            )

        named = sum(1 for p in parts if name(p))
        return bool(parts) and named >= max(1, 0.75 * len(parts)) and not text.endswith(".")

    def _names(self, inlines: list[Node]) -> list[dict[str, Any]]:
        people: list[dict[str, Any]] = []
        current: list[str] = []
        marks: list[str] = []

        def finish() -> None:
            words = " ".join(current).split()
            if not words:
                return
            family_start = len(words) - 1
            while family_start > 0 and words[family_start - 1].lower() in PARTICLES:
                family_start -= 1
            name = {
                "given": " ".join(words[:family_start]),
                "family": " ".join(words[family_start:]),
            }
            if not name["given"]:
                del name["given"]
            person: dict[str, Any] = {"name": name}
            refs = [m for m in marks if m.isdigit()]
            if refs:
                person["refs"] = refs
            if any(m in ("*", "✉") for m in marks):
                person["corresponding"] = True
            people.append(person)
            current.clear()
            marks.clear()

        for node in inlines:
            if node["t"] == "Superscript":
                marks.extend(
                    m.strip() for m in re.split(r"[,\s]+", stringify(node["c"])) if m.strip()
                )
                continue
            text = stringify([node]) if node["t"] != "Space" else " "
            for piece in re.split(r"(,| and | & )", text):
                if piece in (",", " and ", " & "):
                    finish()
                elif piece.strip() in ("*",):
                    marks.append("*")
                else:
                    current.append(piece)
        finish()
        return people

    # -- figures, tables, equations ---------------------------------------------------------

    def _local_links(self, blocks: list[Node]) -> list[Node]:
        """A hyperlink to a file on the author's disk ("supplement.pdf") becomes its words:
        the file is not in the manuscript; the report names it."""

        def visit(value: Any) -> Any:
            if isinstance(value, list):
                out: list[Any] = []
                for item in value:
                    if isinstance(item, dict) and item.get("t") == "Link":
                        target = item["c"][2][0]
                        if not re.match(r"^(?:[a-z][a-z0-9+.-]*:|#)", target, re.I):
                            self.report.add(
                                "not carried",
                                f"link “{stringify(item['c'][1])[:40]}”",
                                f"it points to {target}, a file not in the manuscript: "
                                "add the file to the article folder and link it",
                            )
                            out.extend(visit(item["c"][1]))
                            continue
                    out.append(visit(item))
                return out
            if isinstance(value, dict):
                return {key: visit(item) for key, item in value.items()}
            return value

        result: list[Node] = visit(blocks)
        return result

    @staticmethod
    def _tidy_math(blocks: list[Node]) -> list[Node]:
        """TeX from Word's equations without the spaces (`\\ `) around it, which would stop
        `$…$` from being math in Markdown."""

        def visit(value: Any) -> Any:
            if isinstance(value, list):
                return [visit(item) for item in value]
            if isinstance(value, dict):
                if value.get("t") == "Math":
                    tex = re.sub(r"^(?:\\\s|\s)+|(?:\\\s|\s)+$", "", value["c"][1])
                    return {"t": "Math", "c": [value["c"][0], tex]}
                return {key: visit(item) for key, item in value.items()}
            return value

        result: list[Node] = visit(blocks)
        return result

    def _objects(self, blocks: list[Node]) -> list[Node]:
        blocks = self._tidy_math(self._local_links(blocks))
        out: list[Node] = []
        index = 0
        while index < len(blocks):
            block = blocks[index]
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            previous = out[-1] if out else None
            kind = block["t"]
            if kind == "Figure":
                out.append(self._figure(block, self._caption_of(block)))
            elif kind in ("Para", "Plain") and self._only_image(block):
                caption = None
                if following is not None and self._caption(following, "fig"):
                    caption = following
                    index += 1
                elif previous is not None and self._caption(previous, "fig"):
                    caption = out.pop()
                out.append(self._figure(self._as_figure(block), caption))
            elif kind == "Table":
                caption = None
                if previous is not None and self._caption(previous, "tbl"):
                    caption = out.pop()
                elif (
                    following is not None
                    and self._caption(following, "tbl")
                    and not block["c"][1][1]
                ):
                    caption = following
                    index += 1
                out.append(self._table(block, caption))
            elif kind == "Para" and any(
                n["t"] == "Math" and n["c"][0]["t"] == "DisplayMath" for n in block["c"]
            ):
                number, rest = _leading_number(following) if following is not None else (None, [])
                if number is not None:  # Word put the typed "(2b)" after the equation's line
                    block = {"t": "Para", "c": [*block["c"], {"t": "Space"}, *_str_nodes(number)]}
                    index += 1
                out.append(self._equation(block))
                if rest:  # the sentence the equation is part of goes on
                    out.append({"t": "Para", "c": rest})
            elif kind == "Header":
                out.append(self._heading(block))
            else:
                out.append(block)
            index += 1
        return out

    @staticmethod
    def _only_image(block: Node) -> bool:
        nodes = [n for n in block["c"] if n["t"] not in ("Space", "SoftBreak", "LineBreak")]
        return len(nodes) == 1 and nodes[0]["t"] == "Image"

    @staticmethod
    def _as_figure(block: Node) -> Node:
        image = next(n for n in block["c"] if n["t"] == "Image")
        return {"t": "Figure", "c": [["", [], []], [None, []], [{"t": "Plain", "c": [image]}]]}

    @staticmethod
    def _caption(block: Node, kind: str) -> bool:
        if block["t"] not in ("Para", "Plain"):
            return False
        match = CAPTION.match(stringify(block["c"]).strip())
        if not match:
            return False
        is_table = bool(TABLE_WORD.match(match.group("word")))
        return is_table == (kind == "tbl")

    @staticmethod
    def _caption_of(figure: Node) -> Node | None:
        blocks = figure["c"][1][1]
        if not blocks:
            return None
        inlines = [n for b in blocks for n in (b["c"] if b["t"] in ("Para", "Plain") else [])]
        return {"t": "Para", "c": inlines}

    def _label(self, caption: Node | None, kind: str) -> tuple[str, str | None, list[Node]]:
        """The id, the printed label (when not the next in sequence), and the caption
        without its label."""
        count = self.figures if kind == "fig" else self.tables
        if caption is None:
            return "", None, []
        text = stringify(caption["c"]).strip()
        match = CAPTION.match(text)
        if not match:
            return "", None, caption["c"]
        number = match.group("number")
        identifier = f"{kind}-{number.lower()}"
        word = "Figure" if kind == "fig" else "Table"
        self.labels[f"{word.lower()} {number.lower()}"] = identifier
        explicit = None if number == str(count) else f"{word} {number}"
        rest = _drop_prefix(caption["c"], len(match.group()))
        return identifier, explicit, rest

    def _figure(self, figure: Node, caption: Node | None) -> Node:
        self.figures += 1
        identifier, explicit, inlines = self._label(caption, "fig")
        content = figure["c"][2]
        images = [
            n
            for b in content
            for n in b.get("c", [])
            if isinstance(n, dict) and n.get("t") == "Image"
        ]
        if not images:
            self.report.add("not carried", f"figure {self.figures}", "a figure without an image")
            return figure
        image = images[0]
        source = image["c"][2][0]
        data = self.package.media.get(str(PurePosixPath("word") / source))
        suffix = PurePosixPath(source).suffix.lower()
        stem = identifier or f"figure-{self.figures}"
        name = f"figures/{stem}{'.png' if suffix in ('.tif', '.tiff') else suffix}"
        if data is None:
            self.report.add(
                "not carried", f"figure {self.figures}", f"its image {source} is not in the file"
            )
        elif suffix not in IMAGE_TYPES:
            self.report.add(
                "not carried",
                f"figure {self.figures}",
                f"its image is {suffix} (a Windows metafile?): export it as PNG or SVG and "
                f"replace {name}",
            )
            self.files[name] = data
        else:
            self.files[name] = _png_from_tiff(data) if suffix in (".tif", ".tiff") else data
        alt = stringify(image["c"][1]).strip()
        described = alt and not CAPTION.match(alt) and alt not in stringify(inlines)
        attributes = [["fig-alt", alt]] if described else []  # pandoc's alt is the caption
        if explicit:
            attributes.append(["label", explicit])
        if not identifier:
            self.figures -= 1  # an unnumbered figure
            self.report.add(
                "note", "figure", f"an image with no “Figure N.” caption: {name}, unnumbered"
            )
        new_image = {"t": "Image", "c": [["", [], attributes], [], [name, ""]]}
        caption_blocks = [{"t": "Plain", "c": inlines}] if inlines else []
        return {
            "t": "Figure",
            "c": [[identifier, [], []], [None, caption_blocks], [{"t": "Plain", "c": [new_image]}]],
        }

    def _table(self, table: Node, caption: Node | None) -> Node:
        self.tables += 1
        existing = table["c"][1][1]
        if caption is None and existing:
            caption = {"t": "Para", "c": [n for b in existing for n in b.get("c", [])]}
        identifier, explicit, inlines = self._label(caption, "tbl")
        said = stringify(inlines)[:60] or stringify(table["c"][4:])[:60]
        if not identifier:
            self.tables -= 1
            self.report.add(
                "note",
                f"the table after table {self.tables} (“{said}…”)",
                "a table with no “Table N.” caption: unnumbered",
            )
        head_rows = table["c"][3][1]
        if not any(_cells_text(row) for row in head_rows):  # the build refuses it (JATS4R)
            number = identifier.removeprefix("tbl-") or f"after table {self.tables}, unnumbered"
            self.report.add(
                "no header",
                f"table {number} (“{said}…”)",
                "no header row, which the build needs for its accessibility: in Word, select "
                "the first row and tick Table Design > Header Row (Repeat as header row)",
            )
        attributes = [["label", explicit]] if explicit else []
        table["c"][0] = [identifier, [], attributes]
        table["c"][1] = [None, [{"t": "Plain", "c": inlines}] if inlines else []]
        return table

    def _equation(self, block: Node) -> Node:
        nodes = list(block["c"])
        tail = stringify([n for n in nodes if n["t"] != "Math"]).strip()
        number = re.fullmatch(r"\(?(\w+)\)?", tail)
        out: list[Node] = []
        for node in nodes:
            if node["t"] == "Math" and node["c"][0]["t"] == "DisplayMath":
                tex = node["c"][1]
                inner = EQUATION_NUMBER.search(tex)
                label = number.group(1) if number else (inner.group(1) if inner else None)
                if inner:
                    tex = tex[: inner.start()].rstrip()
                out.append({"t": "Math", "c": [{"t": "DisplayMath"}, tex]})
                if label:
                    self.equations += 1
                    identifier = f"eq-{label.lower()}"
                    self.labels[f"equation {label.lower()}"] = identifier
                    if label != str(self.equations):
                        out[-1]["c"][1] = f"{tex} \\tag{{{label}}}"
                        self.equations -= 1
                    out += [
                        {"t": "Space"},
                        {"t": "RawInline", "c": ["markdown", "{#" + identifier + "}"]},
                    ]
            elif number and node["t"] in ("Str", "Space", "SoftBreak"):
                continue  # the typed number, now the equation's label
            else:
                out.append(node)
        return {"t": "Para", "c": out}

    def _heading(self, block: Node) -> Node:
        level, attr, inlines = block["c"]
        text = stringify(inlines)
        kind = next(
            (k for k, pattern in BACK_HEADINGS.items() if pattern.match(text.strip())), None
        )
        if kind:  # "Acknowledgements", "Competing interests": galley's back matter
            attr = [attr[0], [*attr[1], kind], attr[2]]
        typed = re.match(r"^\d+(?:\.\d+)*\.?\s+", text)
        if typed:  # "2.1 Methods": galley numbers sections itself (number-sections)
            inlines = _drop_prefix(inlines, typed.end())
            self.report.add(
                "note",
                f"heading “{text[:40]}”",
                "its typed number was removed (use `number-sections: true`)",
            )
        return {"t": "Header", "c": [level, attr, inlines]}

    # -- references and citations -----------------------------------------------------------

    def _references(self, blocks: list[Node]) -> list[dict[str, Any]]:
        entries: list[tuple[str | None, str, list[tuple[int, int]]]] = []
        for block in blocks:
            if block["t"] == "OrderedList":
                start = block["c"][0][0]
                for offset, item in enumerate(block["c"][1]):
                    text, italics = refparse.flatten(item)
                    entries.append((str(start + offset), text, italics))
            elif block["t"] in ("Para", "Plain", "BulletList", "Div"):
                if block["t"] == "BulletList":
                    listed = block["c"]
                elif block["t"] == "Div":
                    listed = [[b] for b in block["c"][1]]
                else:
                    listed = [[block]]
                for item in listed:
                    text, italics = refparse.flatten(item)
                    if text:
                        entries.append(refparse.strip_number(text, italics))
            else:
                self.report.add("not carried", "references", f"a {block['t']} in the bibliography")
        typed = []
        for number, text, italics in entries:
            printed = self._printed_field_item(text)
            if printed is None:
                typed.append((number, text, italics))
            elif number:  # "[2]" in the text cites the field's reference
                self.keys[number] = printed
        entries = typed
        strings = [(number, text) for number, text, _ in entries]
        parsed = refparse.parse((text, italics) for _, text, italics in entries)
        items: list[dict[str, Any]] = []
        used = self.used
        for (number, text), result in zip(strings, parsed, strict=True):
            item = result.item
            key = self._key(item, used)
            item = {"id": key, **item, "original": text}
            items.append(item)
            if number:
                self.keys[number] = key
            self.originals[key] = text
            family = _first_family(item)
            year = _year(item)
            if family and year:
                suffix = item.get("year-suffix", "")
                self.by_author_year.setdefault((_plain(family), f"{year}{suffix}"), []).append(key)
                self.by_author_year.setdefault((_plain(family), str(year)), []).append(key)
            missing = [k for k in ("author", "title", "issued") if k not in item]
            if missing:
                self.report.add(
                    "check",
                    f"reference {number or key}",
                    f"no {', '.join(missing)} found in “{text[:80]}”",
                )
        if self.options.online is not None:
            for item in items:
                if "DOI" not in item and self.options.online is not None:
                    self._match(item)
        return [*self.field_items, *items]

    def _printed_field_item(self, text: str) -> str | None:
        """The key of the reference a citation field carries that a typed reference prints,
        if it is one: its data is the field's, so the typed words are not parsed again."""
        plain = _plain(text)
        for item in self.field_items:
            title = _plain(str(item.get("title", "")))
            if len(title) >= 12 and title in plain:
                self.report.add(
                    "note",
                    f"reference {item['id']}",
                    f"“{text[:60]}” is its reference manager's data printed: not parsed again",
                )
                return str(item["id"])
        return None

    @staticmethod
    def _key(item: dict[str, Any], used: set[str]) -> str:
        family = _first_family(item) or "ref"
        base = (
            re.sub(
                r"[^a-z0-9]+",
                "",
                unicodedata.normalize("NFKD", family.casefold()).encode("ascii", "ignore").decode(),
            )
            or "ref"
        )
        base += str(_year(item) or "")
        key = base
        count = 0
        while key in used:  # a, b, … z, aa, ab, …: as many as the bibliography has
            count += 1
            key = f"{base}{_letters(count)}"
        used.add(key)
        return key

    def _match(self, item: dict[str, Any]) -> None:
        """A DOI from Crossref's bibliographic search, only when the candidate's title,
        first author and year agree with the parsed reference."""
        from galley.diagnostics import GalleyError as Error

        assert self.options.online is not None
        try:
            candidates = self.options.online.search(item["original"], rows=3)
        except Error as exc:  # unreachable: said once, and no more references are sent
            self.report.add(
                "not matched",
                "references",
                f"{exc.diagnostics[0].message}; no reference was matched",
            )
            self.options.online = None
            return
        if not candidates:
            self.report.add("not matched", f"reference {item['id']}", "Crossref found nothing")
            return
        best = candidates[0]
        reasons = []
        score = float(best.get("score", 0))
        if score < MATCH_SCORE:
            reasons.append(f"score {score:.0f} < {MATCH_SCORE:.0f}")
        theirs = " ".join(best.get("title") or [""])
        ratio = difflib.SequenceMatcher(
            None, _plain(theirs), _plain(str(item.get("title", "")))
        ).ratio()
        if ratio < MATCH_TITLE:
            reasons.append(f"title {ratio:.0%} alike")
        their_family = next((a.get("family", "") for a in best.get("author", [])), "")
        if _plain(their_family) != _plain(_first_family(item) or ""):
            reasons.append(f"first author {their_family or '—'}")
        their_year = _crossref_year(best)
        if their_year != _year(item):
            reasons.append(f"year {their_year}")
        doi = best.get("DOI", "")
        if reasons:
            self.report.add(
                "not matched",
                f"reference {item['id']}",
                f"Crossref's best candidate {doi} was rejected: {', '.join(reasons)}",
            )
            return
        item["DOI"] = doi
        self.report.add(
            "matched",
            f"reference {item['id']}",
            f"DOI {doi} (score {score:.0f}, title {ratio:.0%} alike, author and year agree): "
            "confirm it",
        )

    def _links(self, text: str) -> list[Piece]:
        """Cross-references and citations in a run of words."""
        pieces: list[Piece] = []
        for piece in self._cross_references(text):
            if isinstance(piece, str):
                pieces += self._citations(piece)
            else:
                pieces.append(piece)
        return pieces

    def _cross_references(self, text: str) -> Iterator[Piece]:
        position = 0
        for match in IN_TEXT.finditer(text):
            kind = "table" if TABLE_WORD.match(match.group("word")) else "figure"
            identifier = self.labels.get(f"{kind} {match.group('number').lower()}")
            if not identifier:
                continue
            yield text[position : match.start()]
            words = match.group()
            yield {"t": "Link", "c": [["", [], []], _str_nodes(words), [f"#{identifier}", ""]]}
            position = match.end()
        yield text[position:]

    def _citations(self, text: str) -> list[Piece]:
        pieces: list[Piece] = []
        position = 0
        pattern = re.compile(
            r"\[(?P<numbers>\d+(?:\s*[,–-]\s*\d+)*)\]"
            r"|\((?P<group>[^()]*?\b(?:1[5-9]|20)\d\d[a-z]?[^()]*)\)"
            r"|(?P<narrative>\b[A-Z][\w'’-]+(?: (?:and|&|e) [A-Z][\w'’-]+| et al\.?)?)"
            r" \((?P<year>(?:1[5-9]|20)\d\d[a-z]?)\)"
        )
        for match in pattern.finditer(text):
            node = self._cite(match)
            if node is None:
                continue
            pieces.append(text[position : match.start()])
            pieces.append(node)
            position = match.end()
        pieces.append(text[position:])
        return pieces

    def _cite(self, match: re.Match[str]) -> Node | None:
        if match.group("numbers"):
            numbers: list[str] = []
            for part in re.split(r"\s*,\s*", match.group("numbers")):
                ends = re.split(r"\s*[–-]\s*", part)
                if len(ends) == 2 and ends[0].isdigit() and ends[1].isdigit():
                    numbers += [str(n) for n in range(int(ends[0]), int(ends[1]) + 1)]
                else:
                    numbers.append(part)
            numbered = [self.keys[n] for n in numbers if n in self.keys]
            if len(numbered) < len(numbers):
                if self.keys:
                    self.report.add(
                        "not linked", "citation", f"{match.group()} names no numbered reference"
                    )
                return None
            return self._node(numbered)
        if match.group("narrative"):
            key = self._author_year(match.group("narrative"), match.group("year"))
            if key is None:
                return None
            return self._node([key], "AuthorInText")
        keys: list[str] = []
        for part in match.group("group").split(";"):
            found = re.match(
                r"^\s*(?:e\.g\.,?|see|cf\.|i\.e\.,?)?\s*(?P<names>.+?),?\s+"
                r"(?P<years>(?:(?:1[5-9]|20)\d\d[a-z]?(?:,\s*)?)+)\s*$",
                part,
            )
            if not found:
                if re.search(r"\b(?:1[5-9]|20)\d\d", part) and self.by_author_year:
                    self.report.add("not linked", "citation", f"({match.group('group')})")
                return None
            for year in re.findall(r"(?:1[5-9]|20)\d\d[a-z]?", found.group("years")):
                key = self._author_year(found.group("names"), year)
                if key is None:
                    self.report.add(
                        "not linked",
                        "citation",
                        f"({match.group('group')}): no reference by {found.group('names')} {year}",
                    )
                    return None
                keys.append(key)
        return self._node(keys) if keys else None

    def _author_year(self, names: str, year: str) -> str | None:
        first = re.split(r",| et al| and | & | e ", names)[0].strip()
        candidates = self.by_author_year.get((_plain(first), year), [])
        if not candidates:
            last = first.split()[-1] if first.split() else first
            candidates = self.by_author_year.get((_plain(last), year), [])
        if not candidates:  # the parser missed the name or the year: the typed reference has them
            name = _plain(first)
            candidates = [
                key
                for key, text in self.originals.items()
                if name
                and name in _plain(text[: len(first) + 40])
                and re.search(rf"\b{year}\b", text)
            ]
        return candidates[0] if len(set(candidates)) == 1 else None

    def _node(self, keys: list[str], mode: str = "NormalCitation") -> Node:
        self.cited.update(keys)
        return cite(keys, mode)


PARTICLES = {
    "da",
    "de",
    "do",
    "dos",
    "das",
    "van",
    "von",
    "der",
    "den",
    "del",
    "della",
    "di",
    "du",
    "la",
    "le",
    "y",
    "e",
    "bin",
    "ibn",
    "al",
    "el",
}


def _cells_text(row: Node) -> str:
    """The words of a table row (pandoc's Row: attributes, then cells)."""
    return stringify(row[1]) if isinstance(row, list) and len(row) > 1 else ""


def _grouped(value: Any) -> Any:
    """Citations side by side, `([@a]; [@b])`, as the one group they are: `[@a; @b]` (the
    brackets of pandoc's citation print the style's parentheses)."""
    if isinstance(value, dict):
        return {key: _grouped(item) for key, item in value.items()}
    if not isinstance(value, list):
        return value
    items = [_grouped(item) for item in value]
    if not any(isinstance(item, dict) and item.get("t") == "Cite" for item in items):
        return items
    out: list[Any] = []
    index = 0
    while index < len(items):
        node = items[index]
        if not (isinstance(node, dict) and node.get("t") == "Cite"):
            out.append(node)
            index += 1
            continue
        citations = list(node["c"][0])
        after = index + 1
        while True:  # "; " or ", " then another citation
            look = after
            if look < len(items) and items[look].get("t") == "Str" and items[look]["c"] in ";,":
                look += 1
                while look < len(items) and items[look].get("t") in ("Space", "SoftBreak"):
                    look += 1
                if look < len(items) and items[look].get("t") == "Cite":
                    citations += items[look]["c"][0]
                    after = look + 1
                    continue
            break
        before = out[-1] if out else None
        following = items[after] if after < len(items) else None
        if (
            before is not None
            and before.get("t") == "Str"
            and before["c"].endswith("(")
            and following is not None
            and following.get("t") == "Str"
            and following["c"].startswith(")")
            and all(c["citationMode"]["t"] == "NormalCitation" for c in citations)
        ):  # "(" [@a] ")": the citation prints its own parentheses
            before["c"] = before["c"][:-1]
            if not before["c"]:
                out.pop()
            items[after] = {"t": "Str", "c": following["c"][1:]}
        out.append({"t": "Cite", "c": [citations, node["c"][1]]})
        index = after
    return [n for n in out if not (n.get("t") == "Str" and n["c"] == "")]


def _drop_prefix(inlines: list[Node], length: int) -> list[Node]:
    """`inlines` without their first `length` characters (a typed label or number)."""
    text = stringify(inlines)
    out: list[Node] = []
    consumed = 0
    for index, node in enumerate(inlines):
        if consumed >= length:
            out = inlines[index:]
            break
        if node["t"] == "Str":
            piece = node["c"]
        elif node["t"] == "Space":
            piece = " "
        else:
            piece = stringify([node])
        if consumed + len(piece) > length and node["t"] == "Str":
            out = [{"t": "Str", "c": piece[length - consumed :]}, *inlines[index + 1 :]]
            break
        consumed += len(piece)
    else:
        out = []
    while out and out[0]["t"] == "Space":
        out = out[1:]
    return out if text else inlines


def _leading_number(block: Node) -> tuple[str | None, list[Node]]:
    """An equation number ("(12)", "(2b)") opening the paragraph after an equation, and
    what follows it in that paragraph."""
    inlines = block["c"] if block["t"] in ("Para", "Plain") else []
    if not inlines or inlines[0]["t"] != "Str":
        return None, []
    match = re.fullmatch(r"\((\w{1,4})\)([.,;]?)", inlines[0]["c"])
    if not match:
        return None, []
    rest = inlines[1:]
    if match.group(2):
        rest = [{"t": "Str", "c": match.group(2)}, *rest]
    while rest and rest[0]["t"] in ("Space", "SoftBreak"):
        rest = rest[1:]
    return f"({match.group(1)})", rest


def _letters(number: int) -> str:
    """1 → a, 26 → z, 27 → aa: the suffix of the `number`-th key sharing one base."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _first_family(item: dict[str, Any]) -> str | None:
    authors = item.get("author") or []
    if not authors:
        return None
    first = authors[0]
    return str(first.get("family") or first.get("literal") or "") or None


def _year(item: dict[str, Any]) -> int | None:
    parts = (item.get("issued") or {}).get("date-parts")
    return int(parts[0][0]) if parts and parts[0] else None


def _crossref_year(record: dict[str, Any]) -> int | None:
    for key in ("issued", "published-print", "published-online", "published"):
        parts = (record.get(key) or {}).get("date-parts")
        if parts and parts[0] and parts[0][0]:
            return int(parts[0][0])
    return None


def _png_from_tiff(data: bytes) -> bytes:
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()


def import_manuscripts(
    paths: Sequence[Path], into: Path, options: Options
) -> tuple[list[Imported], list[Diagnostic]]:
    return import_each(DocxImport(path, into, options).run for path in paths)
