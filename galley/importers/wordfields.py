"""Citations a reference manager wrote into a Word file, read from its field codes.

Zotero and Mendeley keep each citation's CSL JSON in the field's instruction
(`ADDIN ZOTERO_ITEM CSL_CITATION {…}`, `ADDIN CSL_CITATION {…}`, `citationItems[].itemData`);
EndNote keeps its XML records (`ADDIN EN.CITE <EndNote><Cite><record>…`), written with
HTML entities in the instruction, or base64 in the `w:fldData` of a nested
`ADDIN EN.CITE.DATA` field. A field is either complex (`w:fldChar` begin, the instruction in
`w:instrText` runs, often split over many, separate, the printed result, end) or simple
(`w:fldSimple w:instr=…`).

pandoc's reader keeps a field's printed words and drops its instruction. So, before pandoc
reads the file, `prepare` replaces each citation field of a copy by one unique word (a
placeholder); the importer turns each placeholder back into `[@key]` once pandoc has read
the copy. The data of the citations is the references, exactly: Zotero's and Mendeley's CSL
as it is; EndNote's records mapped field by field to CSL (what has no CSL field is
reported). The bibliography those managers print (`ADDIN ZOTERO_BIBL`, `ADDIN EN.REFLIST`,
Mendeley's `CSL_BIBLIOGRAPHY`) is made from the same data: it is taken out of the copy, not
parsed again, when the citations were read.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
# The parts of a .docx whose text pandoc reads.
TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")

CSL_CITATION = re.compile(r"^\s*ADDIN\s+(?:ZOTERO_ITEM\s+)?CSL_CITATION\b", re.I)
ENDNOTE_CITATION = re.compile(r"^\s*ADDIN\s+EN\.CITE(?!\.)\b", re.I)
ENDNOTE_DATA = re.compile(r"^\s*ADDIN\s+EN\.CITE\.DATA\b", re.I)
BIBLIOGRAPHY = re.compile(
    r"^\s*ADDIN\s+(?:ZOTERO_BIBL\b|EN\.REFLIST\b|Mendeley\s+Bibliography\b|CSL_BIBLIOGRAPHY\b)",
    re.I,
)
MANAGERS = {"zotero": "Zotero", "mendeley": "Mendeley", "endnote": "EndNote"}

# A CSL locator's label as pandoc's Markdown reads it back from a citation's suffix.
LOCATOR_LABELS = {
    "page": "p.",
    "chapter": "chap.",
    "section": "sec.",
    "paragraph": "para.",
    "figure": "fig.",
    "volume": "vol.",
    "line": "l.",
    "note": "n.",
    "book": "bk.",
    "part": "pt.",
    "column": "col.",
    "verse": "v.",
    "number": "no.",
}

# EndNote's reference types (by name, as its XML writes them) and the CSL type of each.
ENDNOTE_TYPES = {
    "journal article": "article-journal",
    "electronic article": "article-journal",
    "book": "book",
    "edited book": "book",
    "electronic book": "book",
    "book section": "chapter",
    "electronic book section": "chapter",
    "conference proceedings": "paper-conference",
    "conference paper": "paper-conference",
    "thesis": "thesis",
    "report": "report",
    "government document": "report",
    "web page": "webpage",
    "newspaper article": "article-newspaper",
    "magazine article": "article-magazine",
    "patent": "patent",
    "dataset": "dataset",
    "computer program": "software",
    "manuscript": "manuscript",
    "unpublished work": "manuscript",
    "map": "map",
    "film or broadcast": "motion_picture",
    "case": "legal_case",
    "statute": "legislation",
    "personal communication": "personal_communication",
    "dictionary": "entry-dictionary",
    "encyclopedia": "entry-encyclopedia",
    "generic": "document",
}
# EndNote's elements of a record that carry no bibliographic data (its own bookkeeping), or
# that are read below; every other element with text is reported, never dropped unsaid.
ENDNOTE_BOOKKEEPING = {
    "rec-number",
    "foreign-keys",
    "database",
    "source-app",
    "ref-type",
    "contributors",
    "titles",
    "periodical",
    "urls",
    "keywords",
    "remote-database-name",
    "remote-database-provider",
    "modified-date",
    "dates",  # its year read; anything else in it reported below
    "access-date",
}
# EndNote's simple elements and the CSL variable each is.
ENDNOTE_FIELDS = {
    "volume": "volume",
    "number": "issue",
    "pages": "page",
    "edition": "edition",
    "publisher": "publisher",
    "pub-location": "publisher-place",
    "electronic-resource-num": "DOI",
    "notes": "note",
    "work-type": "genre",
    "abstract": "abstract",
    "language": "language",
    "section": "section",
    "num-vols": "number-of-volumes",
    "call-num": "call-number",
}


@dataclass
class Cited:
    """One item of a citation: its data (CSL, without an id) and how it is cited."""

    identity: str  # the manager's own id of the item: the same item cited twice is one
    csl: dict[str, Any]
    prefix: str = ""
    suffix: str = ""  # the locator ("p. 12") and the words after it
    mode: str = "NormalCitation"  # or SuppressAuthor, AuthorInText
    unmapped: list[str] = field(default_factory=list)  # what has no CSL field (EndNote's)


@dataclass
class Citation:
    """A citation field: where it was, who wrote it, and its items."""

    where: str
    manager: str
    items: list[Cited]


@dataclass
class Prepared:
    """What `prepare` found: the citations by placeholder, and what the report says."""

    citations: dict[str, Citation] = field(default_factory=dict)
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # kind, where, message


@dataclass
class _Field:
    begin: etree._Element
    parts: list[str] = field(default_factory=list)
    data: str = ""  # the base64 of w:fldData
    separate: etree._Element | None = None
    end: etree._Element | None = None
    children: list[_Field] = field(default_factory=list)

    @property
    def instruction(self) -> str:
        return "".join(self.parts)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _complex_fields(root: etree._Element) -> list[_Field]:
    """Every complex field, in document order of its end; nested ones as children too."""
    stack: list[_Field] = []
    done: list[_Field] = []
    for element in root.iter(f"{_W}fldChar", f"{_W}instrText"):
        if element.tag == f"{_W}instrText":
            if stack and stack[-1].separate is None:
                stack[-1].parts.append(element.text or "")
            continue
        kind = element.get(f"{_W}fldCharType")
        if kind == "begin":
            data = element.find(f"{_W}fldData")
            stack.append(_Field(element, data="" if data is None else (data.text or "")))
        elif kind == "separate" and stack:
            stack[-1].separate = element
        elif kind == "end" and stack:
            finished = stack.pop()
            finished.end = element
            done.append(finished)
            if stack:
                stack[-1].children.append(finished)
    return done


def _run_of(element: etree._Element) -> etree._Element | None:
    return next(element.iterancestors(f"{_W}r"), None)


def _placeholder_run(text: str) -> etree._Element:
    run = etree.Element(f"{_W}r")
    words = etree.SubElement(run, f"{_W}t")
    words.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    words.text = text
    return run


def _remove_runs(
    root: etree._Element, first: etree._Element, last: etree._Element, keep: etree._Element | None
) -> None:
    """The runs from `first` to `last` (document order) taken out, `keep` put in the first's
    place; a paragraph left with no run goes too, unless it holds `keep`."""
    runs = list(root.iter(f"{_W}r"))
    start, stop = runs.index(first), runs.index(last)
    if keep is not None:
        parent = first.getparent()
        assert parent is not None
        parent.insert(parent.index(first), keep)
    touched: list[etree._Element] = []
    for run in runs[start : stop + 1]:
        paragraph = next(run.iterancestors(f"{_W}p"), None)
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)
        if paragraph is not None and all(paragraph is not t for t in touched):
            touched.append(paragraph)
    if keep is not None:
        return
    for paragraph in touched:  # a bibliography's own paragraphs, now empty, go
        parent = paragraph.getparent()
        if (
            parent is not None
            and paragraph.find(f".//{_W}r") is None
            and len(parent.findall(f"{_W}p")) > 1
        ):
            parent.remove(paragraph)


def prepare(
    path: Path, copy: Path, nonce: str, where: Callable[[str, etree._Element], str]
) -> Prepared:
    """A copy of the .docx at `copy` whose citation fields are placeholders (`nonce` and a
    number) and whose simple fields are the runs they show (pandoc's reader drops those);
    the citations read, and what the report says about the fields."""
    prepared = Prepared()
    counter = [0]
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename in TEXT_PARTS and (b"instr" in data):
                root = etree.fromstring(data, _parser())
                _prepare_part(root, info.filename, nonce, counter, where, prepared)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            out.writestr(info, data)
    return prepared


def _prepare_part(
    root: etree._Element,
    part: str,
    nonce: str,
    counter: list[int],
    where: Callable[[str, etree._Element], str],
    prepared: Prepared,
) -> None:
    bibliographies: list[_Field] = []
    read_any = False
    for found in _complex_fields(root):
        instruction = found.instruction
        if BIBLIOGRAPHY.match(instruction):
            bibliographies.append(found)
            continue
        if not (CSL_CITATION.match(instruction) or ENDNOTE_CITATION.match(instruction)):
            continue
        place = where(part, found.begin)
        citation = _citation(instruction, found, place, prepared)
        first, last = _run_of(found.begin), _run_of(found.end) if found.end is not None else None
        if citation is None or first is None or last is None or first.getparent() is None:
            continue
        counter[0] += 1
        placeholder = f"{nonce}{counter[0]}x"
        prepared.citations[placeholder] = citation
        _remove_runs(root, first, last, _placeholder_run(placeholder))
        read_any = True
    for simple in list(root.iter(f"{_W}fldSimple")):
        instruction = simple.get(f"{_W}instr") or ""
        parent = simple.getparent()
        if parent is None:
            continue
        place = where(part, simple)
        citation = None
        if CSL_CITATION.match(instruction) or ENDNOTE_CITATION.match(instruction):
            citation = _citation(instruction, _Field(simple, [instruction]), place, prepared)
        index = parent.index(simple)
        if citation is not None:
            counter[0] += 1
            placeholder = f"{nonce}{counter[0]}x"
            prepared.citations[placeholder] = citation
            parent.insert(index, _placeholder_run(placeholder))
            read_any = True
        elif BIBLIOGRAPHY.match(instruction) and read_any:
            bibliographies.append(_Field(simple, [instruction]))
            continue
        else:  # pandoc drops a simple field's words: give it the words
            shows = "".join(simple.itertext()).strip()
            for offset, child in enumerate(list(simple)):
                parent.insert(index + offset, child)
            if shows:
                name = " ".join(instruction.split()[:1]) or "field"
                prepared.notes.append(
                    ("note", place, f"a Word field ({name}): kept as the words it shows")
                )
        parent.remove(simple)
    for bibliography in bibliographies:
        name = " ".join(bibliography.instruction.split()[:2])
        place = where(part, bibliography.begin)
        if not (read_any or prepared.citations):  # nothing read: its words are all there is
            prepared.notes.append(
                (
                    "note",
                    place,
                    f"a bibliography field ({name}) with no citation field read: "
                    "its printed references are parsed",
                )
            )
            continue
        extra = _printed_only(bibliography.instruction)
        if extra:  # entries no citation carries exist only as printed words: parsed from them
            prepared.notes.append(
                (
                    "note",
                    place,
                    f"the bibliography the reference manager printed ({name}) lists {extra} "
                    "entr(y/ies) no citation field carries (uncited or custom): its printed "
                    "references are parsed, and those the fields carry are not taken twice",
                )
            )
            continue
        if bibliography.begin.tag == f"{_W}fldSimple":
            parent = bibliography.begin.getparent()
            if parent is not None:
                parent.remove(bibliography.begin)
        else:
            first = _run_of(bibliography.begin)
            last = _run_of(bibliography.end) if bibliography.end is not None else None
            if first is None or last is None or first.getparent() is None:
                continue
            _remove_runs(root, first, last, None)
        prepared.notes.append(
            (
                "note",
                place,
                f"the bibliography the reference manager printed ({name}) is made from the "
                "citations' own data, which references.yaml holds: it was not parsed again",
            )
        )


def _printed_only(instruction: str) -> int:
    """How many entries Zotero's bibliography field adds to what its citations carry: items
    marked uncited, and custom entries typed in Zotero (both known only by the printed
    list). Other managers' bibliography fields name none."""
    start = instruction.find("{")
    if "ZOTERO_BIBL" not in instruction or start < 0:
        return 0
    try:
        settings, _ = json.JSONDecoder().raw_decode(instruction[start:])
    except ValueError:
        return 0
    if not isinstance(settings, dict):
        return 0
    return sum(
        len(settings.get(key) or [])
        for key in ("uncited", "custom")
        if isinstance(settings.get(key) or [], list)
    )


def _citation(instruction: str, found: _Field, where: str, prepared: Prepared) -> Citation | None:
    """The citation a field's instruction carries, or None (reported) when it cannot be read:
    its printed words then stay, and the typed bibliography is parsed for it."""
    try:
        if ENDNOTE_CITATION.match(instruction):
            return Citation(where, "endnote", _endnote(instruction, found))
        return Citation(
            where, "zotero" if "ZOTERO" in instruction.upper() else "mendeley", _csl(instruction)
        )
    except (ValueError, KeyError, TypeError, etree.XMLSyntaxError, binascii.Error) as exc:
        manager = "EndNote" if ENDNOTE_CITATION.match(instruction) else "Zotero or Mendeley"
        prepared.notes.append(
            (
                "not carried",
                where,
                f"a {manager} citation whose data cannot be read ({str(exc)[:80]}): its printed "
                "words are kept as text",
            )
        )
        return None


# --------------------------------------------------------------------------- CSL JSON


def _csl(instruction: str) -> list[Cited]:
    start = instruction.index("{")
    data, _ = json.JSONDecoder().raw_decode(instruction[start:])
    items = data["citationItems"]
    if not isinstance(items, list) or not items:
        raise ValueError("no citationItems")
    cited = []
    for entry in items:
        item = dict(entry["itemData"])
        identity = ""
        uris = entry.get("uris") or entry.get("uri") or []
        if isinstance(uris, list) and uris:
            identity = str(uris[0])
        identity = identity or str(item.get("id") or entry.get("id") or "")
        item.pop("id", None)
        identity = identity or json.dumps(item, sort_keys=True)
        mode = "NormalCitation"
        if entry.get("suppress-author"):
            mode = "SuppressAuthor"
        elif entry.get("author-only"):
            mode = "AuthorInText"
        cited.append(
            Cited(
                identity,
                item,
                str(entry.get("prefix") or "").strip(),
                _suffix(entry.get("label"), entry.get("locator"), entry.get("suffix")),
                mode,
            )
        )
    return cited


def _suffix(label: Any, locator: Any, words: Any) -> str:
    """A citation's locator and the words after it, as pandoc's suffix (", p. 12")."""
    parts = []
    if locator:
        name = str(label or "page")
        parts.append(f"{LOCATOR_LABELS.get(name, name)} {locator}")
    if words:
        parts.append(str(words).strip().lstrip(",").strip())
    text = ", ".join(p for p in parts if p)
    return f", {text}" if text else ""


# --------------------------------------------------------------------------- EndNote


def _endnote(instruction: str, found: _Field) -> list[Cited]:
    text = ENDNOTE_CITATION.sub("", instruction, count=1).strip()
    if not text:  # the records are in the nested ADDIN EN.CITE.DATA field's fldData
        blobs = [c.data for c in found.children if ENDNOTE_DATA.match(c.instruction) and c.data]
        if not blobs:
            raise ValueError("no EndNote record in the field")
        raw = base64.b64decode("".join("".join(blobs).split()), validate=True)
        text = _decoded(raw)
    if text.lstrip().startswith("&lt;"):
        text = html.unescape(text)
    root = etree.fromstring(text.encode("utf-8"), _parser())
    cites = root.findall("Cite") if root.tag == "EndNote" else []
    if not cites:
        raise ValueError("no <Cite> in the EndNote field")
    cited = []
    for cite in cites:
        record = cite.find("record")
        if record is None:
            raise ValueError("a <Cite> without its <record>")
        item, unmapped = endnote_record(record)
        identity = _text(record.find("rec-number")) or _text(cite.find("RecNum"))
        database = record.find("foreign-keys/key")
        if database is not None and database.get("db-id"):
            identity = f"{database.get('db-id')}:{identity}"
        mode = "NormalCitation"
        if cite.get("ExcludeAuth") == "1":
            mode = "SuppressAuthor"
        elif cite.get("AuthorYear") == "1":
            mode = "AuthorInText"
        pages = _text(cite.find("Pages"))
        suffix = ", ".join(p for p in (pages, _text(cite.find("Suffix")).lstrip(", ")) if p)
        cited.append(
            Cited(
                identity or json.dumps(item, sort_keys=True),
                item,
                _text(cite.find("Prefix")),
                f", {suffix}" if suffix else "",
                mode,
                unmapped,
            )
        )
    return cited


def _decoded(raw: bytes) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(raw) > 1 and raw[1:2] == b"\x00"):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _name(text: str) -> dict[str, str]:
    """ "Lima, Ana B." as CSL; a name without a comma (an organisation) as a literal."""
    family, comma, given = text.partition(",")
    family, given = family.strip(), given.strip()
    if not comma or not family:
        return {"literal": text.strip().rstrip(",")}
    if not given:
        return {"literal": family}
    return {"family": family, "given": given}


def endnote_record(record: etree._Element) -> tuple[dict[str, Any], list[str]]:
    """An EndNote `<record>` as a CSL item, and the names of its elements that have no CSL
    field (which the importer reports)."""
    item: dict[str, Any] = {}
    kind = record.find("ref-type")
    if kind is not None:
        name = (kind.get("name") or "").casefold()
        item["type"] = ENDNOTE_TYPES.get(name, "document")
    for role, csl in (
        ("authors", "author"),
        ("secondary-authors", "editor"),
        ("tertiary-authors", "collection-editor"),
        ("translated-authors", "translator"),
    ):
        names = [_text(a) for a in record.findall(f"contributors/{role}/author")]
        if any(names):
            item[csl] = [_name(n) for n in names if n]
    for tag, csl in (
        ("title", "title"),
        ("secondary-title", "container-title"),
        ("tertiary-title", "collection-title"),
        ("alt-title", "container-title-short"),
        ("short-title", "title-short"),
    ):
        value = _text(record.find(f"titles/{tag}"))
        if value:
            item[csl] = value
    if "container-title" not in item:
        value = _text(record.find("periodical/full-title"))
        if value:
            item["container-title"] = value
    year = _text(record.find("dates/year"))
    if year:
        item["issued"] = (
            {"date-parts": [[int(year)]]} if re.fullmatch(r"\d{1,4}", year) else {"literal": year}
        )
    for tag, csl in ENDNOTE_FIELDS.items():
        value = _text(record.find(tag))
        if value:
            item[csl] = value
    isbn = _text(record.find("isbn"))
    if isbn:
        item["ISSN" if item.get("type") == "article-journal" else "ISBN"] = isbn
    keywords = [_text(k) for k in record.findall("keywords/keyword")]
    if any(keywords):
        item["keyword"] = ", ".join(k for k in keywords if k)
    accessed = _text(record.find("access-date"))
    if accessed:
        item["accessed"] = {"literal": accessed}
    urls = [_text(u) for u in record.findall("urls/related-urls/url")]
    urls = [u for u in urls if u]
    if urls:
        item["URL"] = urls[0]
    known = ENDNOTE_BOOKKEEPING | set(ENDNOTE_FIELDS) | {"isbn"}
    others = [child.tag for child in record if isinstance(child.tag, str)]
    unmapped = [tag for tag in others if tag not in known and _text(record.find(tag))]
    unmapped += [f"urls ({u})" for u in urls[1:]]
    unmapped += [  # the date beyond the year (EndNote's free text: "Mar 12", "Spring")
        f"dates/{child.tag} ({_text(child)})"
        for child in record.findall("dates/*")
        if child.tag != "year" and _text(child)
    ]
    return item, unmapped
