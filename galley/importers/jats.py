"""Import published JATS (JATS 1.0–1.4, Publishing and Archiving, NLM 3.0) as galley source.

Journals moving to galley arrive with years of JATS. `import_jats` turns each article into
what an editor would have typed: front matter in `article.md` (Quarto's keys), the body in
Pandoc Markdown with Quarto's labels and cross-references (`{#fig-…}`, `@tbl-…`, `[@ref]`),
references as CSL YAML, figures and supplementary files copied beside it, translations as
`article.<lang>.md`; and, in `import-report.md`, every element it could not carry with its
line, so nothing disappears unseen.

The XML is untrusted: it is read without a DTD, without network access and without entity
expansion; a document that declares or uses entities, or is too large, is refused.
"""

from __future__ import annotations

import copy
import functools
import json
import mimetypes
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from glob import escape as glob_escape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

from galley import languages, pandoc
from galley.ast import Node, cite, iter_nodes, stringify
from galley.checks.citations import missing_fields
from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, Span, error, warning
from galley.identifiers import is_doi, language_tag, page_range, pages_in_order, strip_doi
from galley.imported import GAPS
from galley.importers import Options, import_each
from galley.importers.source import (
    FileMaker,
    Literal,
    article_text,
    dump_yaml,
    to_markdown,
    write_article,
    write_once,
)
from galley.layout import ISSUE_FILE, JOURNAL_FILE, REFERENCES_FILE, folder_name
from galley.read.body import refused_link

MAX_BYTES = 32 * 1024 * 1024
XLINK = "http://www.w3.org/1999/xlink"
MML = "http://www.w3.org/1998/Math/MathML"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
HREF = f"{{{XLINK}}}href"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".tif", ".tiff")
# What a file's name ends with when that is its extension (else, "journal.pone.0116752.s001",
# its media type gives one): data, documents, code, video and sound.
FILE_SUFFIXES = (
    *IMAGE_SUFFIXES,
    *(".csv", ".tsv", ".txt", ".json", ".pdf", ".zip", ".xlsx", ".xls", ".docx", ".doc"),
    *(".r", ".py"),
    *(".avi", ".mov", ".mp4", ".m4v", ".mpg", ".mpeg", ".wmv", ".webm", ".ogv"),
    *(".mp3", ".wav"),
)
# Tables as pipe tables, else grid tables: a simple or multiline table ends at a blank line,
# which is what a row of empty cells writes (the rest of the table read as text).


# --------------------------------------------------------------------------- reading


def read_jats(path: Path) -> etree._ElementTree:
    """A JATS file, read safely: no DTD, no network, no entity; or a clear error."""
    span = Span(path)
    if not path.is_file():
        raise GalleyError(error(Code.IMPORT_MISSING, f"{path} does not exist", span))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise GalleyError(
            error(
                Code.IMPORT_TOO_LARGE,
                f"{path.name} is {size:,} bytes; the limit for one article is {MAX_BYTES:,}",
                span,
                "is this one article? split the file, or check it is not padded",
            )
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        entity = "ntity" in str(exc.msg)
        raise GalleyError(
            error(
                Code.IMPORT_ENTITY if entity else Code.IMPORT_XML,
                f"{path.name} is not well-formed XML: {exc.msg}"
                + (" (entities are never expanded and the DTD is never fetched)" if entity else ""),
                Span(path, exc.lineno, exc.offset),
                "replace entity references by the characters themselves (UTF-8)"
                if entity
                else "fix the XML, or export the article again",
            )
        ) from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        names = ", ".join(entity.name for entity in dtd.iterentities())
        raise GalleyError(
            error(
                Code.IMPORT_ENTITY,
                f"{path.name} declares entities ({names}); they are never expanded",
                Span(path, 1),
                "remove the internal DTD subset and write the characters themselves",
            )
        )
    for reference in tree.getroot().iter(etree.Entity):
        raise GalleyError(
            error(
                Code.IMPORT_ENTITY,
                f"{path.name} uses the entity {reference.text}, which is never expanded",
                Span(path, reference.sourceline),
                "write the character itself",
            )
        )
    root = tree.getroot()
    if etree.QName(root).localname != "article":
        raise GalleyError(
            error(
                Code.IMPORT_NOT_JATS,
                f"{path.name} is not a JATS article (its root is <{root.tag}>)",
                Span(path, root.sourceline),
            )
        )
    return tree


# --------------------------------------------------------------------------- the report


@dataclass
class Report:
    """What the import could not carry, or had to decide, with the element and its line."""

    path: Path
    entries: list[tuple[str, int | None, str, str]] = field(default_factory=list)
    said: list[Diagnostic] = field(default_factory=list)  # warnings of the import as a whole
    # What the original lacks that galley's checks expect (galley.imported.GAPS), by kind,
    # each with what and where: written to the article's `imported:` block.
    gaps: dict[str, list[str]] = field(default_factory=dict)

    def gap(self, kind: str, item: str | None = None) -> None:
        items = self.gaps.setdefault(kind, [])
        if item is not None and item not in items:
            items.append(item)

    def lost(self, element: etree._Element, message: str) -> None:
        self.entries.append(("not carried", element.sourceline, _tag(element), message))

    def note(self, element: etree._Element | None, message: str) -> None:
        line = element.sourceline if element is not None else None
        tag = _tag(element) if element is not None else ""
        self.entries.append(("note", line, tag, message))

    def markdown(self) -> str:
        lines = [f"# Import report: {self.path.name}", ""]
        if not self.entries:
            lines.append("Everything was carried.")
        for kind, items in self.gaps.items():
            what = f": {', '.join(items)}" if items else ""
            lines.append(
                f"- **as published** (`imported.gaps`): the original {GAPS[kind].lacks}{what}"
            )
        for kind, line, tag, message in self.entries:
            where = f"line {line}" if line else "—"
            element = f"`<{tag}>`" if tag else ""
            lines.append(f"- **{kind}** ({where}) {element}: {message}")
        return "\n".join(lines) + "\n"

    def diagnostics(self) -> list[Diagnostic]:
        return self.said + [
            warning(Code.IMPORT_NOT_CARRIED, f"<{tag}>: {message}", Span(self.path, line))
            for kind, line, tag, message in self.entries
            if kind == "not carried"
        ]


def _tag(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return "?"
    qname = etree.QName(tag)
    return f"mml:{qname.localname}" if qname.namespace == MML else qname.localname


def _first(element: etree._Element, *paths: str) -> etree._Element | None:
    """The first of `paths` found under `element` (elements are never tested for truth:
    lxml calls an element without children false)."""
    for path in paths:
        found = element.find(path)
        if found is not None:
            return found
    return None


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _text_except(element: etree._Element, *skipped: str) -> str:
    """The element's words without those of the children named (a label, say)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag not in skipped:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


# --------------------------------------------------------------------------- pandoc AST


def _str_nodes(text: str) -> list[Node]:
    """Text as pandoc inlines, keeping a leading and a trailing space as Space nodes."""
    nodes: list[Node] = []
    if not text:
        return nodes
    if text[0].isspace():
        nodes.append({"t": "Space"})
    words = text.split()
    for index, word in enumerate(words):
        if index:
            nodes.append({"t": "Space"})
        nodes.append({"t": "Str", "c": word})
    if words and text[-1].isspace():
        nodes.append({"t": "Space"})
    return nodes


def _tidy(inlines: list[Node]) -> list[Node]:
    """No doubled spaces, none at either end; adjacent words glued as pandoc would."""
    out: list[Node] = []
    for node in inlines:
        if node["t"] in ("Space", "SoftBreak"):
            if not out or out[-1]["t"] in ("Space", "SoftBreak", "LineBreak"):
                continue
            out.append({"t": "Space"})
        elif node["t"] == "Str" and out and out[-1]["t"] == "Str":
            out[-1] = {"t": "Str", "c": out[-1]["c"] + node["c"]}
        else:
            out.append(node)
    while out and out[-1]["t"] == "Space":
        out.pop()
    return out


# What Markdown would read as more of a label: letters against it, or punctuation then
# letters or digits (a citation key goes on through "-", ".", ":", "/" between them).
_GLUED = re.compile(r"^(?:[-\u2010-\u2013.:/][A-Za-z0-9]+|[A-Za-z]{1,2}(?![A-Za-z0-9]))")


def _glued_panel_letters(root: etree._Element) -> None:
    """A panel letter printed against a cross-reference ("<xref>Fig. 2</xref>d",
    "<xref>Figure 2</xref>-A") belongs to its words: written apart, Markdown would read it as
    part of the label (`@fig-x-A`). The words stay as printed."""
    for xref in root.iter("xref"):
        tail = xref.tail or ""
        match = _GLUED.match(tail)
        if (
            match
            and xref.get("ref-type") in ("fig", "table", "disp-formula", "sec")
            and not len(xref)
        ):
            xref.text = (xref.text or "") + match.group(0)
            xref.tail = tail[match.end() :]


def _place_floats(root: etree._Element, report: Report) -> None:
    """Figures and tables kept in a `<floats-group>` apart from the text go where the text
    first cites them (after that paragraph), those never cited at the end of the body: the
    place a reader meets them, as galley's source has no floats group."""
    for article in (root, *root.iter("sub-article")):
        group = article.find("floats-group")
        if group is None:
            continue
        body = article.find("body")
        if body is None:
            body = etree.Element("body")
            front = _first(article, "front", "front-stub")
            if front is not None:
                front.addnext(body)
            else:
                article.append(body)
        cites: dict[str, etree._Element] = {}
        for xref in body.iter("xref"):
            for rid in (xref.get("rid") or "").split():
                cites.setdefault(rid, xref)
        for element in list(group):
            if not isinstance(element.tag, str) or element.tag in ("label", "title"):
                continue
            xref = cites.get(element.get("id") or "")
            paragraph = (
                next((a for a in xref.iterancestors("p")), None) if xref is not None else None
            )
            if paragraph is not None:
                paragraph.addnext(element)
                element.tail = None
            else:
                last = body[-1] if len(body) else None
                (last if last is not None and last.tag == "sec" else body).append(element)
            report.note(element, "kept in the floats group: placed where the text first cites it")
        article.remove(group)


def _unlinked(inlines: list[Node]) -> list[Node]:
    """A bracketed citation right before "(" or "[" (`[@a; @b](see ...)`) would read as a
    link in Markdown: that bracket is written escaped (the text is the same)."""
    out: list[Node] = []
    for node in inlines:
        previous: Node = out[-1] if out else {"t": "", "c": []}
        bracketed = (
            previous["t"] == "Cite" and previous["c"][0][0]["citationMode"]["t"] == "NormalCitation"
        )
        if bracketed and node["t"] == "Str" and node["c"][:1] in ("(", "["):
            out.append({"t": "RawInline", "c": ["markdown", "\\" + node["c"][0]]})
            if node["c"][1:]:
                out.append({"t": "Str", "c": node["c"][1:]})
            continue
        out.append(node)
    return out


def _safe_id(identifier: str) -> str:
    """An id as galley's Markdown can carry it (letters, digits, `_ . -`)."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", identifier)


def _drop(element: etree._Element) -> None:
    """Take `element` out of the tree, its tail kept."""
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + (element.tail or "")
    else:
        parent.text = (parent.text or "") + (element.tail or "")
    parent.remove(element)


def _graphic(element: etree._Element) -> etree._Element | None:
    """The object's image: the first `graphic` that names a file (SciELO gives an empty one
    first in `alternatives`)."""
    return next((g for g in element.iter("graphic") if (g.get(HREF) or "").strip()), None)


def _ends_its_section(box: etree._Element) -> bool:
    """Whether nothing but subsections follows the box (or its paragraph) in its section."""
    node = box.getparent() if box.getparent() is not None and box.getparent().tag == "p" else box
    if node is not box and ((box.tail or "").strip() or box.getnext() is not None):
        return False
    return all(
        sibling.tag == "sec" for sibling in node.itersiblings() if isinstance(sibling.tag, str)
    )


def _span(identifier: str, inlines: list[Node]) -> Node:
    """The inlines, kept reachable by `identifier` when there is one."""
    return {"t": "Span", "c": [_attr(identifier), inlines]} if identifier else inlines[0]


def _outer_spaces(inner: list[Node], wrapped: list[Node]) -> list[Node]:
    """`wrapped` with the spaces at either end of `inner` put around it."""
    spaces = ("Space", "SoftBreak")
    before = [{"t": "Space"}] if inner and inner[0]["t"] in spaces else []
    after = [{"t": "Space"}] if inner and inner[-1]["t"] in spaces else []
    return before + wrapped + after


def _attr(
    identifier: str = "", classes: Sequence[str] = (), pairs: Sequence[tuple[str, str]] = ()
) -> list[Any]:
    return [identifier, list(classes), [list(pair) for pair in pairs]]


def _holds_files(sec: etree._Element) -> bool:
    """A section of supplementary files (said so, or holding them; with or without an id):
    galley's supplementary-material section, whose files are published beside the article."""
    return sec.get("sec-type") == "supplementary-material" or any(
        child.tag == "supplementary-material" for child in sec
    )


def _is_panel(fig: etree._Element) -> bool:
    """A figure that is one panel of a labelled group (galley's subfigure)."""
    parent = fig.getparent()
    return parent is not None and parent.tag == "fig-group" and _is_panel_group(parent)


def _is_panel_group(group: etree._Element) -> bool:
    """A fig-group with its own label or caption is one figure of panels; without (eLife's
    figure and its supplements), its figures stand on their own."""
    return group.find("label") is not None or group.find("caption") is not None


# --------------------------------------------------------------------------- math


def mathml_to_tex(formulas: Sequence[etree._Element]) -> list[str | None]:
    """Each MathML `math` element as TeX (pandoc's texmath), in one pandoc call."""
    if not formulas:
        return []
    paragraphs = []
    for math in formulas:
        markup = etree.tostring(_spaced_text(math), encoding="unicode", with_tail=False)
        paragraphs.append(f"<p><inline-formula>{markup}</inline-formula></p>")
    document = (
        f'<article xmlns:mml="{MML}" xmlns:xlink="{XLINK}"><body>'
        + "".join(paragraphs)
        + "</body></article>"
    )
    out = pandoc.convert(document, "jats", "json")
    blocks = json.loads(out)["blocks"]
    found: list[str | None] = []
    for block in blocks:
        maths = [n for n in block.get("c", []) if isinstance(n, dict) and n.get("t") == "Math"]
        found.append(_math_styles(maths[0]["c"][1]) if len(maths) == 1 else None)
    if len(found) != len(formulas):  # a formula pandoc could not read: fall back one by one
        return [mathml_to_tex([math])[0] if len(formulas) > 1 else None for math in formulas]
    return found


# Text no formula means: an entity escaped twice ("&#x007B;"), TeX inside MathML ("\\left(").
_BROKEN_MATH = re.compile(r"&#?[A-Za-z0-9]+;|\\[A-Za-z]{2,}")
_NESTED_STYLE = re.compile(r"\\text(bf|it|sf|tt|rm)\{\\text(bf|it|sf|tt|rm)\{([^{}]*)\}\}")


def _math_styles(tex: str) -> str:
    """texmath writes a letter both bold and italic (or bold sans-serif) as nested text
    commands, `\\textit{\\textbf{η}}`, which neither it nor MathJax reads back in math:
    the math-mode forms instead (`\\boldsymbol{η}`, `\\mathbf{\\mathsf{T}}`)."""

    def math_mode(match: re.Match[str]) -> str:
        outer, inner, content = match.groups()
        if {outer, inner} == {"bf", "it"}:
            return f"\\boldsymbol{{{content}}}"
        return f"\\math{outer}{{\\math{inner}{{{content}}}}}"

    # a blank line (an empty row of a MathML table) would end the Markdown paragraph there
    return re.sub(r"\n\s*\n", "\n", _NESTED_STYLE.sub(math_mode, tex))


# A length's size in em, as TeX counts it at a 10 pt text (1 em = 10 pt = 18 mu).
_EM = {
    "em": 1.0,
    "ex": 0.43,
    "mu": 1 / 18,
    "pt": 0.1,
    "px": 0.075,
    "pc": 1.2,
    "mm": 0.2845,
    "cm": 2.845,
    "in": 7.227,
}
_LENGTH = re.compile(r"\s*(-?(?:\d+\.?\d*|\.\d+))\s*(em|ex|mu|pt|px|pc|mm|cm|in)\s*")


def _spaced_text(math: etree._Element) -> etree._Element:
    """A copy of `math` whose `mtext` keeps the spaces at its ends: texmath drops an
    ordinary space there (`<mtext> </mtext>` between words, "is an outlier" read as
    "isanoutlier"), but keeps a no-break space as TeX's `\\ `. Its spaces are in em, the
    one unit texmath reads right: it makes `<mspace width="1pt"/>` a space of 10 em
    (`\\mspace{180mu}`), ex and mm as wrong, and drops "1.em" and px."""
    spaced = copy.deepcopy(math)
    for space in spaced.iter(f"{{{MML}}}mspace"):
        length = _LENGTH.fullmatch(space.get("width", ""))
        if length is not None:
            size = float(length.group(1)) * _EM[length.group(2)]
            space.set("width", f"{size:.4g}em")
    for text in spaced.iter(f"{{{MML}}}mtext"):
        value = text.text or ""
        if len(text) or not value or value.strip(" ") == value:
            continue
        stripped = value.strip(" ")
        lead = len(value) - len(value.lstrip(" "))
        trail = len(value) - len(value.rstrip(" ")) if stripped else 0
        text.text = "\u00a0" * min(lead, 1) + stripped + "\u00a0" * min(trail, 1)
    return spaced


# --------------------------------------------------------------------------- the body


@dataclass
class Labels:
    """The article's numbered objects: their Quarto ids and the words the journal used."""

    ids: dict[str, str] = field(default_factory=dict)  # JATS id -> galley label (fig-…)
    words: dict[str, str] = field(default_factory=dict)  # figure, table, figure-ref...
    delimiter: str | None = None
    # A label galley's numbering would not give ("Figure 1—figure supplement 1", "Table S1"):
    # written as the object's `label` attribute.
    explicit: dict[str, str] = field(default_factory=dict)
    # How galley will print a cross-reference to a figure or table, and its number.
    references: dict[str, tuple[str, str]] = field(default_factory=dict)


class Body:
    """JATS body (and back) content as pandoc's AST, with Quarto's labels."""

    def __init__(
        self,
        root: etree._Element,
        report: Report,
        resolve: Callable[[str, str, str], str],
        references: Sequence[str],
        scope_out: Sequence[etree._Element] = (),
    ) -> None:
        self.root = root
        self.report = report
        self.resolve = resolve  # (href, "figures" | "supplementary", type) -> name in the folder
        self.references = list(references)
        self.reference_set = set(references)
        self.scope_out = set(scope_out)
        self.labels = Labels()
        self.footnotes = {fn.get("id"): fn for fn in self._iter("fn") if fn.get("id")}
        self.called = {rid for x in root.iter("xref") for rid in (x.get("rid") or "").split()}
        self.used_notes: set[str] = set()
        self.reported: set[str] = set()
        self.equations = 0  # equations numbered so far, as galley will number them
        # Files a figure, a table or a video carries (eLife's "Figure 3—source data 1"), and
        # the videos of the text (galley has no player): published with the article's other
        # supplementary files, with their labels and captions, where links find them.
        self.figure_files = [
            element
            for element in self._iter("supplementary-material", "media")
            if (
                element.tag == "media"
                and element.get(HREF)
                and not any(a.tag == "supplementary-material" for a in element.iterancestors())
            )
            or (
                element.tag == "supplementary-material"
                and any(a.tag in ("fig", "table-wrap", "media") for a in element.iterancestors())
            )
        ]
        self.carried_apart = set(self.figure_files)
        self.sections = {e.get("id"): e for e in self._iter("sec", "app") if e.get("id")}
        # boxes a cross-reference links to, kept by their id
        self.boxes = {
            rid
            for x in self._iter("xref")
            if x.get("ref-type") == "boxed-text"
            for rid in (x.get("rid") or "").split()
        } & {b.get("id") for b in self._iter("boxed-text")}
        self.tex: dict[etree._Element, str | None] = {}
        self._number_objects()
        self._convert_math()

    def _iter(self, *tags: str) -> Iterator[etree._Element]:
        """Elements of this article, not of its sub-articles (translations, reviews)."""
        for element in self.root.iter(*tags):
            if not any(ancestor in self.scope_out for ancestor in element.iterancestors()):
                yield element

    # -- objects and their labels ------------------------------------------------

    def _number_objects(self) -> None:
        kinds = {
            "fig": "fig",
            "fig-group": "fig",
            "table-wrap": "tbl",
            "disp-formula": "eq",
            "sec": "sec",
            "app": "sec",
        }
        for element in self._iter(*kinds):
            identifier = element.get("id")
            if not identifier:
                continue
            kind = kinds[element.tag]
            if kind == "eq" and element.find("label") is None:
                continue  # an unnumbered equation cannot be referred to by number
            unlabelled = element.find("label") is None
            if kind == "fig" and element.tag == "fig" and not _is_panel(element) and unlabelled:
                continue
            if element.tag == "fig-group" and not _is_panel_group(element):
                continue  # its figures stand on their own
            safe = re.sub(r"[^A-Za-z0-9_.-]", "-", identifier)
            label = safe if safe.startswith(f"{kind}-") else f"{kind}-{safe}"
            self.labels.ids[identifier] = label
        for element in (*self._iter("supplementary-material"), *self.figure_files):
            identifier = element.get("id")
            if identifier:
                safe = re.sub(r"[^A-Za-z0-9_.-]", "-", identifier)
                self.labels.ids[identifier] = safe if safe.startswith("supp-") else f"supp-{safe}"
        self._learn_words()
        self._predict_labels()

    def _predict_labels(self) -> None:
        """Follow galley's numbering of figures and tables: a label it would not print the
        same is kept as an explicit label, so no object is renumbered."""
        for tag, kind in (("fig", "figure"), ("table-wrap", "table")):
            word = self.labels.words.get(kind, kind.title())
            word_ref = self.labels.words.get(f"{kind}-ref", word)
            counter = 0
            for element in self._iter(tag):
                identifier = element.get("id") or ""
                if identifier not in self.labels.ids or _is_panel(element):
                    continue
                label = " ".join(_text(element.find("label")).split()).rstrip(".:").strip()
                match = re.fullmatch(rf"{re.escape(word)}\s*(\d+)", label)
                if not label or (match and int(match.group(1)) == counter + 1):
                    counter += 1
                    self.labels.references[identifier] = (f"{word_ref} {counter}", str(counter))
                else:
                    self.labels.explicit[identifier] = label
                    number = label[len(word) :].strip() if label.startswith(f"{word} ") else label
                    self.labels.references[identifier] = (label, number)

    def _learn_words(self) -> None:
        """The words the journal printed ("Fig 1.", "Table 2", "Eq (3)"), to print the same."""
        for tag, title_key in (("fig", "figure"), ("table-wrap", "table")):
            for element in self._iter(tag):
                label = _text(element.find("label"))
                match = re.match(r"^(\D*?)\s*\d+\s*([.:]?)$", label)
                if match and match.group(1):
                    self.labels.words.setdefault(title_key, match.group(1).strip())
                    if match.group(2):
                        self.labels.delimiter = match.group(2)
        targets = {"fig": "figure-ref", "table": "table-ref", "disp-formula": "equation-ref"}
        for xref in self._iter("xref"):
            key = targets.get(xref.get("ref-type") or "")
            if key:
                match = re.match(r"^(\D*?)\s*\(?\d", _text(xref))
                if match and match.group(1).strip():
                    self.labels.words.setdefault(key, match.group(1).strip())

    # -- formulas ------------------------------------------------------------------

    def _convert_math(self) -> None:
        pending = []
        for formula in self._iter("inline-formula", "disp-formula"):
            tex = formula.find(".//tex-math")
            if tex is not None and _text(tex):
                self.tex[formula] = _strip_tex(_text(tex))
                continue
            math = formula.find(f".//{{{MML}}}math")
            if math is not None:
                pending.append((formula, math))
                broken = _BROKEN_MATH.search(" ".join(math.itertext()))
                if broken:
                    self.report.said.append(
                        warning(
                            Code.IMPORT_BROKEN_MATH,
                            f"the original's formula holds '{broken.group(0)}' as text (an "
                            "escaped entity or TeX inside MathML): it prints as it reads",
                            Span(self.report.path, formula.sourceline),
                            "check the formula in article.md against the published page",
                        )
                    )
            else:
                self.tex[formula] = None
        for (formula, _), tex_ in zip(pending, mathml_to_tex([m for _, m in pending]), strict=True):
            self.tex[formula] = tex_

    # -- blocks --------------------------------------------------------------------

    def blocks(self, elements: Iterable[etree._Element], level: int = 1) -> list[Node]:
        out: list[Node] = []
        for element in elements:
            out.extend(self.block(element, level))
        return out

    def block(self, element: etree._Element, level: int) -> list[Node]:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "p":
            return self.paragraph(element)
        if tag == "sec":
            return self.section(element, level)
        if tag in ("title", "label", "object-id", "sec-meta"):
            return []
        if tag == "list":
            return [self.list_(element, level)]
        if tag == "disp-quote":
            inner = self.blocks(element, level)
            return [{"t": "BlockQuote", "c": inner}]
        if tag == "attrib":
            return [
                {
                    "t": "Para",
                    "c": _tidy([{"t": "Str", "c": "—"}, {"t": "Space"}, *self.inlines(element)]),
                }
            ]
        if tag == "fig":
            return [self.figure(element)]
        if tag == "fig-group":
            return self.figure_group(element)
        if tag == "table-wrap":
            return self.table_wrap(element)
        if tag == "disp-formula":
            return [{"t": "Para", "c": self.formula(element)}]
        if tag == "boxed-text":
            return [self.boxed(element, level)]
        if tag in ("preformat", "code"):
            classes = [element.get("language")] if element.get("language") else []
            return [{"t": "CodeBlock", "c": [_attr("", classes), "".join(element.itertext())]}]
        if tag == "def-list":
            return [self.definitions(element)]
        if tag == "graphic":
            image = self.image(element)
            return [{"t": "Para", "c": [image]}] if image else []
        if tag in ("fn-group", "fn"):
            # Notes are written where they are called; one nothing calls is kept here.
            notes = element.findall("fn") if tag == "fn-group" else [element]
            uncalled = [fn for fn in notes if (fn.get("id") or "") not in self.called]
            if not uncalled:
                return []
            self.report.note(element, "a note no text calls: kept as paragraphs where it stands")
            return self.blocks(
                [c for fn in uncalled for c in fn if c.tag not in ("label", "title")]
            )
        if element in self.carried_apart:
            return []
        if tag == "supplementary-material":
            parent = element.getparent()
            if parent is None or parent.tag != "sec":
                self.report.note(element, "a supplementary file outside a supplementary section")
            return self.supplementary(element)
        if tag in ("media", "chem-struct-wrap", "array", "verse-group"):
            self._lost_once(
                element,
                "not carried (galley has no such object in the body); "
                "its text is kept as a paragraph",
            )
            caption = element.find("caption")
            if caption is None:
                text = _tidy(self.inlines(element))
                return [{"t": "Para", "c": text}] if text else []
            # The label ("Video 1.") leads, each of the caption's paragraphs stays one
            # (read as one run of inlines, "speed." and "DOI:" were glued together).
            label = element.find("label")
            lead = [{"t": "Strong", "c": _tidy(self.inlines(label))}] if label is not None else []
            paragraphs = [
                _tidy(self.inlines(part)) for part in caption if part.tag in ("title", "p")
            ]
            if lead:
                first = paragraphs[0] if paragraphs else []
                paragraphs = [[*lead, {"t": "Space"}, *first], *paragraphs[1:]]
            return [{"t": "Para", "c": _tidy(text)} for text in paragraphs if text]
        if tag:
            self._lost_once(element, "not carried; its text is kept")
            return self.blocks(element, level) or (
                [{"t": "Para", "c": _tidy(self.inlines(element))}] if _text(element) else []
            )
        return []

    def _lost_once(self, element: etree._Element, message: str) -> None:
        self.report.lost(element, message)

    def section(self, element: etree._Element, level: int) -> list[Node]:
        original = element.get("id") or ""
        identifier = self.labels.ids.get(original, original)
        title = element.find("title")
        content = self.blocks(element, level + 1)
        classes = ["supplementary-material"] if _holds_files(element) else []
        heading = {
            "t": "Header",
            "c": [
                level,
                _attr(identifier, classes),
                _tidy(self.inlines(title)) if title is not None else [],
            ],
        }
        if title is None:
            self.report.note(element, "a section without a title: given an empty heading")
        return [heading, *content]

    def paragraph(self, element: etree._Element) -> list[Node]:
        """A paragraph; block objects JATS allows inside one (a list, a figure, a table) are
        split out around it, display formulas stay in it, as in galley's Markdown."""
        out: list[Node] = []
        current: list[Node] = []
        if element.text:
            current += _str_nodes(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in (
                "list",
                "fig",
                "fig-group",
                "table-wrap",
                "boxed-text",
                "disp-quote",
                "preformat",
                "def-list",
                "supplementary-material",
                "media",
                "graphic",
                "chem-struct-wrap",
            ) or (tag == "code" and "\n" in "".join(child.itertext()).strip()):
                # Code of several lines in a paragraph is a code block (eLife's kitchen sink).
                if _tidy(current):
                    out.append({"t": "Para", "c": self._citations(_tidy(current))})
                current = []
                out.extend(self.block(child, 1))
            else:
                current += self.inline(child)
            if child.tail:
                current += _str_nodes(child.tail)
        if _tidy(current):
            out.append({"t": "Para", "c": self._citations(_tidy(current))})
        return out

    def list_(self, element: etree._Element, level: int) -> Node:
        items = []
        for item in element.findall("list-item"):
            items.append(self.blocks(item, level) or [{"t": "Plain", "c": []}])
        kind = element.get("list-type") or "bullet"
        if kind in ("order", "alpha-lower", "alpha-upper", "roman-lower", "roman-upper"):
            style = {
                "order": "Decimal",
                "alpha-lower": "LowerAlpha",
                "alpha-upper": "UpperAlpha",
                "roman-lower": "LowerRoman",
                "roman-upper": "UpperRoman",
            }[kind]
            return {"t": "OrderedList", "c": [[1, {"t": style}, {"t": "Period"}], items]}
        return {"t": "BulletList", "c": items}

    def definitions(self, element: etree._Element) -> Node:
        items = []
        for item in element.findall("def-item"):
            term = _tidy(self.inlines(item.find("term")))
            definitions = [self.blocks(d) for d in item.findall("def")]
            items.append([term, definitions])
        return {"t": "DefinitionList", "c": items}

    def boxed(self, element: etree._Element, level: int) -> Node:
        blocks: list[Node] = []
        caption = element.find("caption")
        if caption is not None:
            title = caption.find("title")
            if title is not None:
                blocks.append(
                    {"t": "Para", "c": [{"t": "Strong", "c": _tidy(self.inlines(title))}]}
                )
            blocks += self.blocks([c for c in caption if c.tag != "title"], level)
        blocks += self.blocks([c for c in element if c.tag != "caption"], level)
        if not _ends_its_section(element):
            # A heading inside a box followed by more of its section would end that section
            # at the box: the box's section titles are its bold lines instead.
            for sec in element.findall("sec"):
                self.report.note(sec, "a section inside a box: its title is a bold line")
            blocks = [
                {"t": "Para", "c": [_span(b["c"][1][0], [{"t": "Strong", "c": b["c"][2]}])]}
                if b["t"] == "Header"
                else b
                for b in blocks
            ]
        identifier = _safe_id(element.get("id") or "") if element.get("id") in self.boxes else ""
        return {"t": "Div", "c": [_attr(identifier, ["boxed-text"]), blocks]}

    # -- figures ---------------------------------------------------------------------

    def figure(self, element: etree._Element, panel: bool = False) -> Node:
        identifier = self.labels.ids.get(element.get("id") or "", "")
        graphic = _graphic(element)
        image = self.image(graphic) if graphic is not None else None
        alt = _text(element.find(".//alt-text"))
        pairs = [("fig-alt", alt)] if alt else []
        caption = self.caption(element.find("caption"))
        content = [{"t": "Plain", "c": [image]}] if image else []
        if image is None:
            self.report.lost(element, "a figure without an image")
        for extra in element:
            if extra.tag == "attrib":  # "Source: ...": the caption's last paragraph
                caption.append({"t": "Plain", "c": _tidy(self.inlines(extra))})
            elif extra.tag == "permissions":  # a reproduced figure's rights: said in the caption
                rights = [c for c in extra if c.tag in ("copyright-statement", "license")]
                for item in rights:
                    paragraphs = item.findall("license-p") or [item]
                    for paragraph in paragraphs:
                        caption.append({"t": "Plain", "c": _tidy(self.inlines(paragraph))})
                self.report.note(extra, "a figure's own permissions: kept as caption text")
            elif extra.tag == "media" and extra not in self.carried_apart:
                self.report.lost(extra, "not carried with the figure")
        explicit = self.labels.explicit.get(element.get("id") or "")
        if explicit:
            pairs.append(("label", explicit))
        if image and pairs:
            image["c"][0][2] = [list(p) for p in pairs]
        if len(caption) > 1 and image and not panel:
            # A caption of several paragraphs: galley's div form keeps them apart.
            paragraphs = [{"t": "Para", "c": block["c"]} for block in caption]
            return {
                "t": "Div",
                "c": [_attr(identifier), [{"t": "Para", "c": [image]}, *paragraphs]],
            }
        return {"t": "Figure", "c": [_attr(identifier), [None, caption], content]}

    def figure_group(self, element: etree._Element) -> list[Node]:
        figures = [
            self.figure(fig, panel=_is_panel_group(element)) for fig in element.findall("fig")
        ]
        if not _is_panel_group(element):
            return figures
        identifier = self.labels.ids.get(element.get("id") or "", "")
        caption = self.caption(element.find("caption"))
        return [{"t": "Figure", "c": [_attr(identifier), [None, caption], figures]}]

    def caption(self, caption: etree._Element | None) -> list[Node]:
        """A caption's title as a leading bold phrase, its paragraphs after (galley's rule)."""
        if caption is None:
            return []
        title = caption.find("title")
        paragraphs = [p for p in caption if p.tag == "p"]
        blocks: list[Node] = []
        if title is not None:
            lead = [{"t": "Strong", "c": _tidy(self.inlines(title))}]
            if len(paragraphs) == 1:
                return [
                    {
                        "t": "Plain",
                        "c": _tidy([*lead, {"t": "Space"}, *self.inlines(paragraphs[0])]),
                    }
                ]
            blocks.append({"t": "Plain", "c": lead})
        elif len(paragraphs) == 1:
            # A caption of one paragraph without a title: galley would make it the title.
            self.report.note(
                caption, "a one-paragraph caption without a title becomes the caption's title"
            )
        for paragraph in paragraphs:
            blocks.append({"t": "Plain", "c": _tidy(self.inlines(paragraph))})
        return blocks

    def image(self, graphic: etree._Element) -> Node | None:
        href = graphic.get(HREF) or ""
        if not href:
            return None
        return {"t": "Image", "c": [_attr(), [], [self.resolve(href, "figures", ""), ""]]}

    def supplementary(self, element: etree._Element) -> list[Node]:
        """A supplementary file as galley writes one: a paragraph starting with a link to the
        file, its caption the link's text and what follows."""
        media = element.find("media")
        href = element.get(HREF) or (media.get(HREF) or "" if media is not None else "")
        caption = element.find("caption")
        label = _text(element.find("label"))
        title = caption.find("title") if caption is not None else None
        label = label.rstrip(".:").strip()
        # Galley's form: the label as the link's bold text, the title bold after it.
        rest: list[Node] = []
        if title is not None:
            rest += [{"t": "Space"}, {"t": "Strong", "c": _tidy(self.inlines(title))}]
        for paragraph in caption.findall("p") if caption is not None else []:
            rest += [{"t": "Space"}, *self.inlines(paragraph)]
        if not href:
            self.report.lost(element, "a supplementary file without a file name")
            text = (_str_nodes(label) if label else []) + rest
            return [{"t": "Para", "c": _tidy(text)}] if text else []
        media_type = element.get("mimetype") or (media.get("mimetype") if media is not None else "")
        subtype = element.get("mime-subtype") or (
            media.get("mime-subtype") if media is not None else ""
        )
        if media_type and "/" not in media_type and subtype:
            media_type = f"{media_type}/{subtype}"
        name = self.resolve(href, "supplementary", media_type or "")
        if label:
            link_text = [{"t": "Strong", "c": _str_nodes(label)}]
        elif title is not None:  # the title is the link's text, as galley reads it back
            link_text, rest = [rest[1]], rest[2:]
        else:
            link_text = _str_nodes(name)
        identifier = self.labels.ids.get(element.get("id") or "", "")
        file_link = {"t": "Link", "c": [_attr(identifier), link_text, [name, ""]]}
        return [{"t": "Para", "c": _tidy([file_link, *rest])}]

    # -- tables ------------------------------------------------------------------------

    def table_wrap(self, element: etree._Element) -> list[Node]:
        identifier = self.labels.ids.get(element.get("id") or "", "")
        table = element.find(".//table")
        graphic = _graphic(element)
        if table is None and graphic is not None and graphic.get(HREF):
            # A table the journal gives as an image: galley's image table, `{#tbl-…}`.
            self.report.gap("table-images", identifier or None)
            image = self.image(graphic)
            alt = _text(element.find(".//alt-text"))
            pairs = [("fig-alt", alt)] if alt else []
            explicit = self.labels.explicit.get(element.get("id") or "")
            if explicit:
                pairs.append(("label", explicit))
            if image is not None and pairs:
                image["c"][0][2] = [list(p) for p in pairs]
            caption = self.caption(element.find("caption"))
            foot = element.find("table-wrap-foot")
            out: list[Node] = [
                {
                    "t": "Figure",
                    "c": [_attr(identifier), [None, caption], [{"t": "Plain", "c": [image]}]],
                }
            ]
            if foot is not None:
                self.report.note(foot, "an image table's notes: kept as paragraphs after it")
                out += self.blocks([c for c in foot])
            return out
        if table is None:
            self.report.lost(element, "a table given in a form galley cannot carry")
            return []
        notes = {}
        general: list[Node] = []
        foot = element.find("table-wrap-foot")
        if foot is not None:
            for child in foot:
                if child.tag == "fn" and child.get("id"):
                    notes[child.get("id")] = child
                elif child.tag == "fn-group":
                    for fn in child.findall("fn"):
                        if fn.get("id"):
                            notes[fn.get("id")] = fn
                        else:
                            general += self.blocks([c for c in fn if c.tag != "label"])
                else:
                    general += self.block(child, 1)
        self._table_notes = notes
        node = self.table(table, identifier, self.caption(element.find("caption")))
        explicit = self.labels.explicit.get(element.get("id") or "")
        if explicit:
            node["c"][0][2].append(["label", explicit])
        caption = node["c"][1][1]
        if len(caption) > 1:  # several paragraphs: galley's div form keeps them apart
            attributes = node["c"][0]
            node["c"][0], node["c"][1] = _attr(), [None, []]
            paragraphs = [{"t": "Para", "c": block["c"]} for block in caption]
            node = {"t": "Div", "c": [attributes, [node, *paragraphs]]}
        unused = [fn for key, fn in notes.items() if key not in self.used_notes]
        for fn in unused:  # a note no cell calls: keep it with the general notes
            self.report.note(fn, "a table note no cell calls: a general note of the table")
            general += self.blocks([c for c in fn if c.tag != "label"])
        out = [node]
        for extra in element.findall(".//table")[1:]:  # eLife's "two sub-tables" in one
            self.report.note(extra, "a further table of the same table-wrap: a table of its own")
            out.append(self.table(extra, "", []))
        if general:
            out.append({"t": "Div", "c": [_attr("", ["table-notes"]), general]})
        return out

    def table(self, table: etree._Element, identifier: str, caption: list[Node]) -> Node:
        def rows(container: etree._Element | None) -> list[etree._Element]:
            return [] if container is None else container.findall("tr")

        head_rows = rows(table.find("thead"))
        if table.find(".//th") is None:
            self.report.gap("table-headers", identifier or _text(table.getparent().find("label")))
        bodies = table.findall("tbody") or [table]
        body_rows = [row for body in bodies for row in rows(body)]
        foot_rows = rows(table.find("tfoot"))
        columns = len(table.findall(".//col")) or max(
            (
                sum(int(c.get("colspan") or 1) for c in row if c.tag in ("td", "th"))
                for row in head_rows + body_rows
            ),
            default=1,
        )

        def cell(element: etree._Element) -> list[Any]:
            align = {"left": "AlignLeft", "right": "AlignRight", "center": "AlignCenter"}.get(
                element.get("align") or "", "AlignDefault"
            )
            content = self.cell_blocks(element)
            return [
                _attr(),
                {"t": align},
                int(element.get("rowspan") or 1),
                int(element.get("colspan") or 1),
                content,
            ]

        def row(element: etree._Element) -> list[Any]:
            return [_attr(), [cell(c) for c in element if c.tag in ("td", "th")]]

        colspecs = [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}] for _ in range(columns)]
        return {
            "t": "Table",
            "c": [
                _attr(identifier),
                [None, caption],
                colspecs,
                [_attr(), [row(r) for r in head_rows]],
                [[_attr(), 0, [], [row(r) for r in body_rows]]],
                [_attr(), [row(r) for r in foot_rows]],
            ],
        }

    def cell_blocks(self, element: etree._Element) -> list[Node]:
        has_blocks = any(c.tag in ("p", "list", "disp-formula") for c in element)
        if has_blocks:
            return [
                {"t": "Plain", "c": b["c"]} if b["t"] == "Para" else b for b in self.blocks(element)
            ]
        # "[42–44]" in a cell too (a name in a cell is a citation's words, not the text's)
        inlines = self._citations(_tidy(self.inlines(element)), prose=False)
        return [{"t": "Plain", "c": inlines}] if inlines else []

    # -- formulas -----------------------------------------------------------------------

    def formula(self, element: etree._Element) -> list[Node]:
        tex = self.tex.get(element)
        label = self.labels.ids.get(element.get("id") or "")
        printed = _text(element.find("label")).strip("() ")
        if tex is None:
            graphic = _first(element, "graphic", ".//graphic", ".//inline-graphic")
            if graphic is None or not graphic.get(HREF):
                self.report.lost(element, "a formula with neither TeX, MathML nor an image")
                return []
            # The journal's typeset image of the formula: a display formula of galley's.
            pairs: list[tuple[str, str]] = []
            if label:
                self.equations += 1
                if printed and printed != str(self.equations):
                    pairs.append(("label", printed))
                    self.equations -= 1
            classes = [] if label else ["display-formula"]
            return [self._formula_image(graphic, label or "", classes, pairs)]
        if label:
            self.equations += 1
            if printed and printed != str(self.equations):
                tex = f"{tex} \\tag{{{printed}}}"  # numbered as printed ("8a"), not in sequence
                self.equations -= 1  # galley does not count an equation numbered by hand
        node: Node = {"t": "Math", "c": [{"t": "DisplayMath"}, tex]}
        if label:
            return [node, {"t": "Space"}, {"t": "RawInline", "c": ["markdown", "{#" + label + "}"]}]
        return [node]

    def _formula_image(
        self,
        graphic: etree._Element,
        identifier: str,
        classes: list[str],
        pairs: Sequence[tuple[str, str]] = (),
    ) -> Node:
        name = self.resolve(graphic.get(HREF) or "", "figures", "")
        self.report.gap("formula-images")
        alt = _text(graphic.find("alt-text"))
        description = _str_nodes(alt) if alt else []
        return {"t": "Image", "c": [_attr(identifier, classes, pairs), description, [name, ""]]}

    # -- inlines ------------------------------------------------------------------------

    def inlines(self, element: etree._Element | None) -> list[Node]:
        if element is None:
            return []
        out: list[Node] = []
        if element.text:
            out += _str_nodes(element.text)
        for child in element:
            out += self.inline(child)
            if child.tail:
                out += _str_nodes(child.tail)
        return out

    def inline(self, element: etree._Element) -> list[Node]:
        tag = element.tag if isinstance(element.tag, str) else ""
        wrappers = {
            "italic": "Emph",
            "bold": "Strong",
            "sup": "Superscript",
            "sub": "Subscript",
            "sc": "SmallCaps",
            "underline": "Underline",
            "strike": "Strikeout",
            "overline": "Underline",
        }
        if tag in wrappers:
            raw = self.inlines(element)
            inner = _tidy(raw)
            if inner and all(node["t"] == "Note" for node in inner):
                return inner  # a note call set in superscript: galley sets every call so
            if not inner:
                return [{"t": "Space"}] if raw else []
            if tag in ("sub", "sup") and any(a.tag == tag for a in element.iterancestors()):
                # "N<sub>tot</sub>" inside a subscript: Markdown has no subscript of a
                # subscript (`~…~tot~~` reads as an empty one); it stays at its parent's level
                return raw
            # A space inside the run's ends ("<italic>B. subtilis </italic>cells") stays
            # between the words, outside the emphasis Markdown cannot end with a space.
            return _outer_spaces(raw, [{"t": wrappers[tag], "c": inner}])
        if tag in ("monospace", "code"):
            return [{"t": "Code", "c": [_attr(), _text(element)]}]
        if tag == "xref":
            return self.xref(element)
        if tag in ("ext-link", "uri", "self-uri"):
            href = (element.get(HREF) or _text(element)).strip()
            if re.match(r"^www\.[^/\s]+\.[a-z]{2,}", href, re.I):
                href = f"http://{href}"  # a web address written without its scheme
            if href.startswith("info:doi/"):
                href = href.removeprefix("info:")
            if element.get("ext-link-type") == "doi" and not href.startswith("http"):
                href = f"https://doi.org/{href.removeprefix('doi/')}"
            raw = self.inlines(element)
            if refused_link(href):
                # a scheme galley publishes no link to (ftp, file, javascript...): the words
                self.report.lost(element, f"a link to '{href[:60]}': its words are kept, unlinked")
                return raw
            content = _tidy(raw) or _str_nodes(href)
            return _outer_spaces(raw, [{"t": "Link", "c": [_attr(), content, [href, ""]]}])
        if tag == "email":
            address = _text(element)
            return [{"t": "Link", "c": [_attr(), _str_nodes(address), [f"mailto:{address}", ""]]}]
        if tag == "inline-formula":
            tex = self.tex.get(element)
            graphic = element.find(".//inline-graphic")
            if tex is None and graphic is not None and graphic.get(HREF):
                return [self._formula_image(graphic, "", ["formula"])]
            if tex is None:
                self.report.lost(element, "an inline formula with neither TeX, MathML nor an image")
                return []
            if not tex.strip():  # `<mml:math><mml:mrow/></mml:math>`: nothing to write
                self.report.note(element, "an empty formula (it prints nothing): left out")
                return []
            return [{"t": "Math", "c": [{"t": "InlineMath"}, tex]}]
        if tag == "disp-formula":
            return self.formula(element)
        if tag == "break":
            return [{"t": "LineBreak"}]
        if tag == "fn":
            return [{"t": "Note", "c": self.blocks([c for c in element if c.tag != "label"])}]
        if tag == "inline-graphic":
            self.report.lost(element, "an inline graphic (an image in running text)")
            return []
        if tag in (
            "named-content",
            "styled-content",
            "abbrev",
            "roman",
            "sans-serif",
            "x",
            "target",
            "span",
        ):
            return self.inlines(element)
        if tag in ("label", "object-id"):
            return []
        if tag in ("name", "string-name") and element.find("surname") is not None:
            # a name in running text (a data citation's authors): "Boucher JI", not "BoucherJI"
            parts = [_text(element.find(p)) for p in ("prefix", "surname", "given-names", "suffix")]
            return _str_nodes(" ".join(part for part in parts if part))
        if element in self.carried_apart:  # published with the supplementary files
            return []
        if tag:
            if tag not in self.reported:
                self.reported.add(tag)
                self.report.lost(element, "unknown inline element: its text is kept")
            return self.inlines(element)
        return []

    def xref(self, element: etree._Element) -> list[Node]:
        kind = element.get("ref-type") or ""
        rids = (element.get("rid") or "").split()
        text = _text(element)
        if kind == "bibr":
            known = [rid for rid in rids if rid in self.reference_set]
            if known:
                return [{"t": "Cite", "c": [cite(known)["c"][0], _str_nodes(text)]}]
        if kind in ("fn", "table-fn"):
            notes = [self._note(rid) for rid in rids]
            return [note for note in notes if note is not None]
        labels = [self.labels.ids[rid] for rid in rids if rid in self.labels.ids]
        expected = self.labels.references.get(rids[0]) if len(rids) == 1 else None
        if labels and labels[0].startswith("supp-"):  # a supplementary file: its words, linked
            if not text.strip():
                return []
            return [{"t": "Link", "c": [_attr(), self.inlines(element), [f"#{labels[0]}", ""]]}]
        if labels and expected:
            said = " ".join(text.split())
            if said == expected[0]:
                return [cite(labels, "AuthorInText")]
            if said == expected[1]:
                return [cite(labels, "SuppressAuthor")]
            if not said:
                self.report.note(element, "a cross-reference without words: not carried")
                return []
            # Words galley would not print ("Figure 1B", "Fig. S1"): kept, and linked.
            return [{"t": "Link", "c": [_attr(), self.inlines(element), [f"#{labels[0]}", ""]]}]
        if labels and labels[0].startswith("sec-") and len(rids) == 1:
            # galley prints a section's title; other words ("Appendix A") stay, linked
            section = self.sections.get(rids[0])
            title = _text(section.find("title")) if section is not None else ""
            if text.strip() and " ".join(text.split()) != title:
                return [{"t": "Link", "c": [_attr(), self.inlines(element), [f"#{labels[0]}", ""]]}]
        if labels:
            numeric = bool(re.fullmatch(r"[\s(]*[\dA-Za-z]{1,3}[)\s]*", text))
            mode = "SuppressAuthor" if numeric else "AuthorInText"
            return [cite(labels, mode)]
        if kind == "boxed-text" and rids and rids[0] in self.boxes and text.strip():
            # a box is no numbered object: the words as printed ("Box 1"), linked to it
            target = f"#{_safe_id(rids[0])}"
            return [{"t": "Link", "c": [_attr(), self.inlines(element), [target, ""]]}]
        if kind in ("aff", "corresp", "author-notes", "contrib"):
            return []
        return _str_nodes(text)  # a link galley cannot make: the words stay

    def _note(self, identifier: str) -> Node | None:
        fn = getattr(self, "_table_notes", {}).get(identifier)
        if fn is None:
            fn = self.footnotes.get(identifier)
        if fn is None:
            return None
        if identifier in self.used_notes:
            self.report.note(fn, "a note called twice is written at its first call only")
            return None
        self.used_notes.add(identifier)
        return {"t": "Note", "c": self.blocks([c for c in fn if c.tag != "label"])}

    # -- citation groups ----------------------------------------------------------------

    def _citations(self, inlines: list[Node], prose: bool = True) -> list[Node]:
        """Bracketed runs of citations ("[1–3]", "(Smith, 2000; Lee, 2001)") become one
        citation group, so the journal's style prints the brackets once."""
        inlines = self._separated(inlines)
        out: list[Node] = []
        index = 0
        while index < len(inlines):
            node = inlines[index]
            if node["t"] == "Cite" and self._is_reference(node):
                start, end, ids, closing = self._run(inlines, index)
                if start is not None:
                    opening = out[-1]
                    before = opening["c"][: -len(start)] if opening["t"] == "Str" else ""
                    out.pop()
                    if before:
                        out.append({"t": "Str", "c": before})
                    out.append(cite(ids))
                    if closing:
                        out.append({"t": "Str", "c": closing})
                    index = end + 1
                    continue
                following = inlines[index + 1 : index + 3]
                if (  # "[5]–[9]": a range whose brackets are the citations' own words
                    len(following) == 2
                    and following[0]["t"] == "Str"
                    and following[0]["c"] in ("–", "-", "—", "\u2212")
                    and following[1]["t"] == "Cite"
                    and self._is_reference(following[1])
                ):
                    first = [c["citationId"] for c in node["c"][0]]
                    last = [c["citationId"] for c in following[1]["c"][0]]
                    ids = first + self._between(first[-1], last[0]) + last
                    out.append(cite(list(dict.fromkeys(ids))))
                    index += 3
                    continue
                cited = node["c"][0]
                text = stringify(node["c"][1])
                if prose and re.search(r"[A-Za-zÀ-ÿ]{2}", text):  # "Smith (2000)": in the text
                    for citation in cited:
                        citation["citationMode"] = {"t": "AuthorInText"}
            out.append(node)
            index += 1
        return _unlinked(out)

    def _separated(self, inlines: list[Node]) -> list[Node]:
        """A citation glued to the next word ("Table 3as") would read as one longer key in
        Markdown: a space keeps them apart. A space a pretty-printed file put inside the
        brackets of a citation ("( <xref>") is dropped."""
        inlines = [
            node
            for index, node in enumerate(inlines)
            if not (node["t"] in ("Space", "SoftBreak") and self._inside_brackets(inlines, index))
        ]
        out: list[Node] = []
        for index, node in enumerate(inlines):
            out.append(node)
            following = inlines[index + 1] if index + 1 < len(inlines) else None
            if (
                node["t"] == "Cite"
                and following is not None
                and following["t"] == "Str"
                and following["c"][:1].isalnum()
            ):
                out.append({"t": "Space"})
        return out

    def _inside_brackets(self, inlines: list[Node], index: int) -> bool:
        before = inlines[index - 1] if index else None
        after = inlines[index + 1] if index + 1 < len(inlines) else None
        if before is None or after is None:
            return False
        opens = before["t"] == "Str" and before["c"][-1:] in ("(", "[") and after["t"] == "Cite"
        closes = after["t"] == "Str" and after["c"][:1] in (")", "]") and before["t"] == "Cite"
        return opens or closes

    def _is_reference(self, node: Node) -> bool:
        return all(c["citationId"] in self.reference_set for c in node["c"][0])

    def _run(self, inlines: list[Node], index: int) -> tuple[str | None, int, list[str], str]:
        """From a citation at `index`: the opening bracket before it, the last index of the
        run, every reference id (a range "1–3" filled in), and what follows the closing."""
        previous = inlines[index - 1] if index else None
        if not (previous and previous["t"] == "Str" and previous["c"][-1:] in ("[", "(")):
            return None, index, [], ""
        opening = previous["c"][-1]
        closing = "]" if opening == "[" else ")"
        ids: list[str] = []
        position = index
        range_open = False
        while position < len(inlines):
            node = inlines[position]
            if node["t"] == "Cite" and self._is_reference(node):
                new = [c["citationId"] for c in node["c"][0]]
                if range_open and ids:
                    ids += self._between(ids[-1], new[0])
                    range_open = False
                ids += [i for i in new if i not in ids]
            elif node["t"] == "Space":
                pass
            elif node["t"] == "Str":
                text = node["c"]
                if text.startswith(closing) and text.count(closing) >= 1:
                    return opening, position, ids, text[1:]
                if text in ("–", "-", "—", "\u2212"):  # dashes and the minus sign
                    range_open = True
                elif text not in (",", ";", ",;"):
                    return None, index, [], ""
            else:
                return None, index, [], ""
            position += 1
        return None, index, [], ""

    def _between(self, first: str, last: str) -> list[str]:
        """The references a collapsed range "4–6" stands for, in the list's order."""
        try:
            start, end = self.references.index(first), self.references.index(last)
        except ValueError:
            return []
        return self.references[start + 1 : end]


def _strip_tex(tex: str) -> str:
    """The formula from a `tex-math`: out of its LaTeX document (PMC's form) and delimiters."""
    tex = tex.strip()
    start, end = tex.find("\\begin{document}"), tex.rfind("\\end{document}")
    if start >= 0 and end > start:
        tex = tex[start + len("\\begin{document}") : end].strip()
    for opening, closing in (("$$", "$$"), ("$", "$"), ("\\[", "\\]"), ("\\(", "\\)")):
        if (
            tex.startswith(opening)
            and tex.endswith(closing)
            and len(tex) > len(opening) + len(closing)
        ):
            return tex[len(opening) : -len(closing)].strip()
    return tex


# --------------------------------------------------------------------------- front matter


PUBLICATION_TYPES = {
    # JATS @publication-type -> CSL type
    "journal": "article-journal",
    "book": "book",
    "report": "report",
    "confproc": "paper-conference",
    "conf-proc": "paper-conference",
    "thesis": "thesis",
    "webpage": "webpage",
    "web": "webpage",
    "data": "dataset",
    "dataset": "dataset",
    "software": "software",
    "patent": "patent",
    "standard": "standard",
    "preprint": "article",
    "newspaper": "article-newspaper",
    "magazine": "article-magazine",
    "legal-doc": "legislation",
    "manuscript": "manuscript",
    "other": "document",
}
HISTORY = {
    "received": "received",
    "accepted": "accepted",
    "rev-recd": "revised",
    "rev-request": "rev-request",
    "preprint": "preprint",
    "corrected": "corrected",
    "retracted": "retracted",
}
ABSTRACT_KINDS = {
    "executive-summary": "digest",
    "teaser": "impact-statement",
    "summary": "summary",
    "plain-language-summary": "plain-language-summary",
    "graphical": "graphical",
    "key-points": "key-points",
    "toc": "toc",
}
COI_TYPES = {
    "coi-statement",
    "conflict",
    "competing-interests",
    "COI-statement",
    "conflict-statement",
}


def _date(element: etree._Element | None) -> str | None:
    """A JATS date element as YYYY[-MM[-DD]]."""
    if element is None:
        return None
    iso = str(element.get("iso-8601-date") or "")
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", iso):
        return iso
    year = _text(element.find("year"))
    if not year.isdigit():
        return None
    parts = [year]
    month = _text(element.find("month"))
    if month.isdigit():
        parts.append(f"{int(month):02d}")
        day = _text(element.find("day"))
        if day.isdigit():
            parts.append(f"{int(day):02d}")
    return "-".join(parts)


def _name(name: etree._Element) -> dict[str, Any]:
    if name.tag == "collab":  # the group's own name, not its members' listed inside it
        return {"literal": _text_except(name, "contrib-group", "xref").strip(" ,;")}
    if name.tag == "string-name" and name.find("surname") is None:
        return {"literal": _text(name)}
    out: dict[str, Any] = {}
    given = _text(name.find("given-names"))
    if given:
        out["given"] = given
    out["family"] = _text(name.find("surname")) or _text(name)
    suffix = _text(name.find("suffix"))
    if suffix:
        out["suffix"] = suffix
    prefix = _text(name.find("prefix"))
    if prefix:
        out["dropping-particle"] = prefix
    return out


class Front:
    """An article's (or a translation's) front matter as galley's source keys."""

    def __init__(
        self, article: etree._Element, meta: etree._Element, body: Body, report: Report
    ) -> None:
        self.article = article
        self.meta = meta
        self.body = body
        self.report = report
        self.lang = language_tag(article.get(XML_LANG) or "en")
        self.emails: set[str] = set()  # e-mail addresses given to an author
        self.title_notes: dict[str, str] = {}  # by language: the note a title calls
        self.fields: dict[str, Any] = {}
        self.back_sections: list[tuple[str, str, list[Node]]] = []  # (class, title, blocks)

    def markdown(self, inlines: list[Node]) -> str:
        """Inline content as Markdown on one line (for titles, notes)."""
        text = to_markdown([{"t": "Plain", "c": _tidy(inlines)}]).strip()
        return " ".join(text.split("\n"))

    def blocks_markdown(self, blocks: list[Node]) -> str:
        return to_markdown(blocks).strip()

    def read(self) -> dict[str, Any]:
        meta, fields = self.meta, self.fields
        titles = self._titles()
        fields["title"] = (
            titles
            if len(titles) > 1
            else titles[self.lang]
            if self.lang in titles
            else next(iter(titles.values()), "")
        )
        if self.lang in self.title_notes:
            fields["title-note"] = Literal(self.title_notes[self.lang])
        subtitle = meta.find("title-group/subtitle")
        if subtitle is not None:
            fields["subtitle"] = self.markdown(self.body.inlines(subtitle))
        short = meta.find("title-group/alt-title[@alt-title-type='running-head']")
        if short is not None:
            fields["short-title"] = _text(short)
        fields["lang"] = self.lang
        if self.article.get("article-type"):
            fields["article-type"] = self.article.get("article-type")
        heading = meta.find("article-categories/subj-group[@subj-group-type='heading']/subject")
        if heading is not None:
            fields["section"] = _text(heading)
        self._contributors()
        doi = meta.find("article-id[@pub-id-type='doi']")
        if doi is not None:
            fields["doi"] = _text(doi)
        self._citation()
        self._history()
        self._abstracts()
        self._keywords()
        self._funding()
        self._permissions()
        self._related()
        self._author_notes()
        self._custom_meta()
        for element in meta:
            if element.tag in (
                "counts",
                "product",
                "conference",
                "support-group",
                "isbn",
                "supplement",
            ):
                self.report.lost(element, "not carried (galley's model has no place for it)")
        return fields

    def _titles(self) -> dict[str, str]:
        group = self.meta.find("title-group")
        titles: dict[str, str] = {}
        if group is None:
            return titles
        main = group.find("article-title")
        if main is not None:
            titles[self.lang] = self._title(main, self.lang)
        for trans in group.findall("trans-title-group"):
            lang = language_tag(trans.get(XML_LANG) or "")
            title = trans.find("trans-title")
            if lang and title is not None:
                titles[lang] = self._title(title, lang)
        return titles

    def _title(self, element: etree._Element, lang: str) -> str:
        """A title's words; a note it calls ("Paper extracted from the thesis...") is the
        title's note (`title-note:`), never Markdown inside the title."""
        title = copy.deepcopy(element)
        for xref in [x for x in title.iter("xref") if x.get("ref-type") == "fn"]:
            notes = [self.body.footnotes.get(rid) for rid in (xref.get("rid") or "").split()]
            text = "\n\n".join(
                self.blocks_markdown(self.body.blocks([c for c in fn if c.tag != "label"]))
                for fn in notes
                if fn is not None
            )
            if text:
                self.title_notes[lang] = text
            _drop(xref)
        return self.markdown(self.body.inlines(title))

    def _contributors(self) -> None:
        affiliations: dict[str, dict[str, Any]] = {}
        for aff in self.meta.iter("aff"):
            if aff.get("id"):
                affiliations[aff.get("id") or ""] = self._affiliation(aff)
        authors: list[dict[str, Any]] = []
        editors: list[dict[str, Any]] = []
        used: set[str] = set()
        for group in self.meta.findall("contrib-group"):
            group_affs = [self._affiliation(a) for a in group.findall("aff") if not a.get("id")]
            for contrib in group.findall("contrib"):
                kind = (contrib.get("contrib-type") or "author").split()[0]
                if "non-byline" in (contrib.get("contrib-type") or ""):
                    self.report.lost(contrib, "a group author's member (non-byline contributor)")
                    for aff in contrib.findall("aff"):
                        self.report.lost(aff, "the affiliation of a group author's member")
                    continue
                entry = self._contributor(contrib, affiliations, used)
                if group_affs and kind != "author":
                    entry.setdefault("affiliations", []).extend(
                        {"name": a["name"]} for a in group_affs
                    )
                if kind == "author":
                    authors.append(entry)
                elif kind in ("editor", "reviewer"):
                    editors.append((kind, entry))  # type: ignore[arg-type]
                else:
                    self.report.lost(contrib, f"a contributor of type '{kind}'")
            for extra in group:
                if extra.tag == "on-behalf-of":
                    self.report.lost(extra, "'on behalf of' a group")
        self._affiliation_emails(authors)
        if authors:
            self.fields["author"] = authors
        listed = [affiliations[key] | {"id": key} for key in affiliations if key in used]
        for aff in self.meta.iter("aff"):
            if aff.get("id") and aff.get("id") not in used and not self._editor_aff(aff):
                self.report.lost(aff, "an affiliation of no author carried (a group's members)")
        if listed:
            self.fields["affiliations"] = [{k: v for k, v in aff.items() if v} for aff in listed]
        for kind in ("editor", "reviewer"):
            people = [entry for k, entry in editors if k == kind]
            if people:
                self.fields[kind] = people

    def _editor_aff(self, aff: etree._Element) -> bool:
        """Whether an editor's entry names this affiliation (editors carry theirs inline)."""
        rid = aff.get("id")
        return any(
            x.get("rid") == rid
            for contrib in self.meta.iter("contrib")
            if (contrib.get("contrib-type") or "").split()[:1] in (["editor"], ["reviewer"])
            for x in contrib.iter("xref")
        )

    def _affiliation(self, aff: etree._Element) -> dict[str, Any]:
        institutions = [
            i for i in aff.iter("institution") if i.get("content-type") not in ("dept", "original")
        ]
        dept = [i for i in aff.iter("institution") if i.get("content-type") == "dept"]
        name = ", ".join(_text(i) for i in institutions)
        city = _text(aff.find(".//named-content[@content-type='city']")) or _text(aff.find("city"))
        country = aff.find("country")
        ror = aff.find(".//institution-id[@institution-id-type='ror']")
        out: dict[str, Any] = {}
        if not name:
            # Only an address line (PLOS), or the words themselves after a label (PMC, an
            # editor's "Massey University, New Zealand"): the whole text is the affiliation.
            name = _text(aff.find("addr-line")) or _text_except(aff, "label", "sup")
            return {"name": name.strip(" ,;")}
        out["name"] = name
        if dept:
            out["department"] = ", ".join(_text(d) for d in dept)
        if city:
            out["city"] = city
        state = _text(aff.find(".//named-content[@content-type='state']")) or _text(
            aff.find("state")
        )
        if state:
            out["state"] = state
        if country is not None:
            out["country"] = _text(country)
            if country.get("country") and re.fullmatch(r"[A-Z]{2}", country.get("country") or ""):
                out["country-code"] = country.get("country")
        if ror is not None:
            out["ror"] = _text(ror)
        return out

    def _affiliation_emails(self, authors: list[dict[str, Any]]) -> None:
        """SciELO gives authors' e-mail addresses in their affiliation: each goes to the
        author whose name it holds, else, as many as the authors there, to each in turn."""
        for aff in self.meta.iter("aff"):
            emails = aff.findall("email")
            if not emails:
                continue
            members = [
                a
                for a in authors
                if "email" not in a and {"ref": aff.get("id")} in a.get("affiliations", [])
            ]
            left = []
            for email in emails:
                local = _ascii(_text(email).split("@")[0])
                named = [
                    a
                    for a in members
                    if any(
                        len(part) > 2 and part in local
                        for value in a["name"].values()
                        for part in _ascii(str(value)).split()
                    )
                ]
                if len(named) == 1:
                    named[0]["email"] = _text(email)
                    members.remove(named[0])
                else:
                    left.append(email)
            if left and len(left) == len(members):
                for email, author in zip(left, members, strict=True):
                    author["email"] = _text(email)
            else:
                for email in left:
                    self.report.lost(email, "an e-mail address in an affiliation, of no one author")

    def _contributor(
        self, contrib: etree._Element, affiliations: dict[str, Any], used: set[str]
    ) -> dict[str, Any]:
        name = _first(contrib, "name", "collab", "string-name")
        for member in contrib.iterfind("collab/contrib-group/contrib"):
            self.report.lost(member, "a member listed inside a group author (not carried)")
            for aff in member.iter("aff"):
                self.report.lost(aff, "the affiliation of a group author's member")
        entry: dict[str, Any] = {
            "name": _name(name) if name is not None else {"literal": _text(contrib)}
        }
        orcid = contrib.find("contrib-id[@contrib-id-type='orcid']")
        if orcid is not None:
            entry["orcid"] = _text(orcid).rsplit("/", 1)[-1]
        email = _first(contrib, "email", "address/email")  # not a group member's
        for xref in contrib.findall("xref[@ref-type='corresp']") if email is None else []:
            # PLOS: the e-mail is in the author notes' <corresp>, the author points at it
            for rid in (xref.get("rid") or "").split():
                for corresp in self.meta.iterfind("author-notes/corresp"):
                    if corresp.get("id") == rid and corresp.find(".//email") is not None:
                        email = corresp.find(".//email")
        if email is not None:
            entry["email"] = _text(email)
            self.emails.add(_text(email))
        roles = [" ".join(_text(r).split()) for r in contrib.findall("role")]
        roles = [r for r in roles if r]
        if roles:
            entry["roles"] = roles
        attributes = {}
        if contrib.get("corresp") == "yes" or contrib.find("xref[@ref-type='corresp']") is not None:
            attributes["corresponding"] = True
        if contrib.get("equal-contrib") == "yes":
            attributes["equal-contributor"] = True
        if contrib.get("deceased") == "yes":
            attributes["deceased"] = True
        if attributes:
            entry["attributes"] = attributes
        refs = []
        for xref in contrib.findall("xref[@ref-type='aff']"):
            for rid in (xref.get("rid") or "").split():
                if rid in affiliations:
                    refs.append({"ref": rid})
                    used.add(rid)
        inline_affs = [self._affiliation(a) for a in contrib.findall("aff")]
        if refs or inline_affs:
            entry["affiliations"] = refs + inline_affs
        for child in contrib:
            if child.tag in ("bio", "degrees", "address", "author-comment"):
                self.report.lost(child, f"an author's {child.tag}")
        self._notes_of(contrib, entry)
        return entry

    def _notes_of(self, contrib: etree._Element, entry: dict[str, Any]) -> None:
        notes = []
        for xref in contrib.findall("xref[@ref-type='fn']"):
            fn = self.body.footnotes.get(xref.get("rid") or "")
            if fn is None or fn.get("fn-type") in (
                "con",
                "equal",
                "deceased",
                "conflict",
                "coi-statement",
            ):
                continue
            if fn.getparent() is not None and fn.getparent().tag == "author-notes":
                text = self.markdown(self.body.inlines(fn.find("p")))
                if fn.get("fn-type") == "present-address" and not text.lower().startswith(
                    "present"
                ):
                    text = f"Present address: {text}"
                notes.append(text)
                self.body.used_notes.add(fn.get("id") or "")
        if notes:
            entry["note"] = " ".join(notes)

    def _citation(self) -> None:
        meta = self.meta
        citation: dict[str, Any] = {}
        fpage, lpage = _text(meta.find("fpage")), _text(meta.find("lpage"))
        elocation = _text(meta.find("elocation-id"))
        if fpage:
            # Both pages as the original states them, equal or not (an article numbered by
            # its `fpage` = `lpage`): a first page alone would let the layout invent the last.
            citation["page"] = f"{fpage}-{lpage}" if lpage else fpage
            if elocation:
                self.report.lost(
                    meta.find("elocation-id"),
                    "an e-location id beside pages (galley keeps the pages)",
                )
        elif elocation:
            citation["article-number"] = elocation
        for uri in meta.findall("self-uri"):
            href = uri.get(HREF) or ""
            if href.startswith("http") and not uri.get("content-type"):
                citation["url"] = href
                break
        if citation:
            self.fields["citation"] = citation
        date = None
        for kind in ("pub", "epub", "epublish", "electronic"):
            date = (
                date
                or _date(meta.find(f"pub-date[@date-type='{kind}']"))
                or _date(meta.find(f"pub-date[@pub-type='{kind}']"))
            )
        if date:
            self.fields["date"] = date

    def _history(self) -> None:
        history: dict[str, list[str]] = {}
        for date in self.meta.findall("history/date"):
            kind = HISTORY.get(date.get("date-type") or "")
            value = _date(date)
            if kind and value:
                history.setdefault(kind, []).append(value)
            else:
                self.report.lost(date, f"a history date of type '{date.get('date-type')}'")
        for fn in self.meta.findall("history/fn"):
            self.report.lost(fn, "a note in the history")
        if history:
            self.fields["history"] = {k: v[0] if len(v) == 1 else v for k, v in history.items()}

    def _abstract_text(self, abstract: etree._Element) -> str:
        parts = [c for c in abstract if c.tag not in ("title", "object-id", "label")]
        for extra in abstract:
            if extra.tag == "object-id":
                self.report.lost(extra, "an abstract's own DOI (object-id)")
        return self.blocks_markdown(self.body.blocks(parts, level=2))

    def _abstracts(self) -> None:
        plain: dict[str, str] = {}
        others = []
        for abstract in [*self.meta.findall("abstract"), *self.meta.findall("trans-abstract")]:
            lang = language_tag(abstract.get(XML_LANG) or self.lang)
            kind = abstract.get("abstract-type")
            if kind:
                entry: dict[str, Any] = {
                    "type": ABSTRACT_KINDS.get(kind, "summary"),
                    "text": self._abstract_text(abstract),
                }
                if kind not in ABSTRACT_KINDS:
                    self.report.note(abstract, f"abstract type '{kind}' imported as a summary")
                title = abstract.find("title")
                if title is not None:
                    entry["title"] = _text(title)
                if lang != self.lang:
                    entry["lang"] = lang
                others.append(entry)
            else:
                title = abstract.find("title")
                if title is not None and _text(title).lower() not in (
                    "abstract",
                    "resumo",
                    "resumen",
                    "résumé",
                    "zusammenfassung",
                    "riassunto",
                    "summary",
                ):
                    self.report.lost(title, "an abstract's own heading")
                plain[lang] = self._abstract_text(abstract)
        if plain:
            self.fields["abstract"] = (
                plain if len(plain) > 1 or self.lang not in plain else plain[self.lang]
            )
        if others:
            self.fields["abstracts"] = others

    def _keywords(self) -> None:
        groups: dict[str, list[str]] = {}
        for group in self.meta.findall("kwd-group"):
            kind = group.get("kwd-group-type") or "author"
            if kind not in ("author", "author-keywords", "author-generated"):
                self.report.lost(
                    group, f"keywords of type '{kind}' (galley keeps the author's keywords)"
                )
                continue
            lang = language_tag(group.get(XML_LANG) or self.lang)
            # galley's keywords are plain words (an italic species name stays a name)
            groups.setdefault(lang, []).extend(
                " ".join(_text(kwd).split()) for kwd in group.findall("kwd")
            )
        if groups:
            self.fields["keywords"] = (
                groups if len(groups) > 1 or self.lang not in groups else groups[self.lang]
            )

    def _funding(self) -> None:
        group = self.meta.find("funding-group")
        if group is None:
            return
        if not _text(group):
            self.report.note(group, "an empty funding group: nothing to carry")
            return
        funding: dict[str, Any] = {}
        statement = group.find("funding-statement")
        if statement is not None:
            funding["statement"] = self.markdown(self.body.inlines(statement))
        awards = []
        authors = self.fields.get("author", [])
        for award in group.findall("award-group"):
            entry: dict[str, Any] = {}
            award_id = _text(award.find("award-id"))
            if award_id:
                entry["id"] = award_id
            sources = []
            for source in award.findall("funding-source"):
                wrap = source.find("institution-wrap")
                name = _text((wrap if wrap is not None else source).find("institution")) or _text(
                    source
                )
                funder: dict[str, Any] = {"text": name}
                for ident in source.iter("institution-id"):
                    value = _text(ident)
                    kind = (ident.get("institution-id-type") or "").lower()
                    found = re.search(r"10\.13039/\d+", value)
                    if found:
                        funder["funder-id"] = found.group(0)
                    elif kind == "ror":
                        funder["ror"] = value
                sources.append(funder)
            if sources:
                entry["source"] = sources if len(sources) > 1 else sources[0]
            recipients = []
            for recipient in award.findall("principal-award-recipient"):
                for name in recipient.findall("name"):
                    recipients.append({"name": _name(name)})
                if recipient.find("name") is None and _text(recipient):
                    recipients.append({"name": {"literal": _text(recipient)}})
            if recipients:
                entry["recipient"] = recipients
            for person in award.findall("principal-investigator"):
                entry.setdefault("investigator", []).extend(
                    {"name": _name(n)} for n in person.findall("name")
                )
            awards.append(entry)
        if awards:
            funding["awards"] = awards
        del authors
        if funding:
            self.fields["funding"] = funding

    def _permissions(self) -> None:
        permissions = self.meta.find("permissions")
        if permissions is None:
            return
        license_ = permissions.find("license")
        if license_ is not None:
            entry: dict[str, Any] = {}
            url = license_.get(HREF) or _text(
                license_.find("{http://www.niso.org/schemas/ali/1.0/}license_ref")
            )
            if url:
                entry["url"] = url
            if license_.get("license-type"):
                entry["type"] = license_.get("license-type")
            text = " ".join(_text(p) for p in license_.findall("license-p"))
            if text:
                entry["text"] = text
            self.fields["license"] = entry
        copyright_: dict[str, Any] = {}
        for key, tag in (
            ("statement", "copyright-statement"),
            ("holder", "copyright-holder"),
            ("year", "copyright-year"),
        ):
            value = _text(permissions.find(tag))
            if value:
                copyright_[key] = int(value) if key == "year" and value.isdigit() else value
        if copyright_:
            self.fields["copyright"] = copyright_
        for part in ("holder", "year"):
            if copyright_ and part not in copyright_:
                self.report.gap("copyright", part)

    def _related(self) -> None:
        related = []
        for element in self.meta.findall("related-article"):
            href = element.get(HREF) or ""
            kind = element.get("related-article-type") or ""
            # a DOI however written: bare, as a resolver link, or PLOS's `info:doi/10...`
            doi = _doi(re.sub(r"^(https?://(dx\.)?doi\.org/|info:doi/)", "", href))
            from galley.sourceschema import RELATED_TYPES

            if kind in RELATED_TYPES and is_doi(doi):
                entry = {"type": kind, "doi": doi}
                if _text(element):
                    entry["text"] = _text(element)
                related.append(entry)
            else:
                self.report.lost(element, f"a related article ({kind}) galley cannot cite by DOI")
        if related:
            self.fields["related"] = related

    def _author_notes(self) -> None:
        notes = self.meta.find("author-notes")
        if notes is None:
            return
        uncalled: list[Node] = []
        for child in notes:
            kind = child.get("fn-type") or ""
            identifier = child.get("id") or ""
            if child.tag == "corresp":
                emails = {_text(e) for e in child.iter("email")}
                if not emails or emails - self.emails:
                    self.report.lost(child, "correspondence details no author points at")
                continue  # the corresponding author's e-mail is on the author
            if child.tag != "fn":
                self.report.lost(child, "an author note")
                continue
            blocks = self.body.blocks([c for c in child if c.tag != "label"])
            if kind in COI_TYPES:
                self.back_sections.append(
                    (
                        "coi-statement",
                        _text(child.find("label")).rstrip(":") or _heading("coi-statement", child),
                        blocks,
                    )
                )
            elif (
                kind == "con"
                and identifier not in ("equal-contrib", "equal-contrib2")
                and not any(x.get("rid") == identifier for x in self.meta.iter("xref"))
            ):
                self.back_sections.append(
                    ("author-contributions", _heading("author-contributions", child), blocks)
                )
            elif kind in ("equal", "deceased") or identifier in self.body.used_notes:
                continue
            elif any(x.get("rid") == identifier for x in self.meta.iter("xref")):
                if identifier not in self.body.used_notes:
                    self.report.lost(
                        child,
                        "an author note shared by several authors "
                        "(galley gives each author its own note)",
                    )
            elif kind == "edited-by":  # "Associate Editor: Maria ..." in a note: an editor
                role = _text(child.find("label")).rstrip(": ")
                for paragraph in child.findall("p"):
                    entry: dict[str, Any] = {"name": _text(paragraph)}
                    if role:
                        entry["roles"] = [role]
                    self.fields.setdefault("editor", []).append(entry)
            else:  # a note no author calls ("Current address: ..."): its words stay
                self.report.note(
                    child, f"an author note of type '{kind}' no author calls: kept in the notes"
                )
                uncalled += blocks
        if uncalled:
            self.back_sections.append(("notes", _heading("notes", notes), uncalled))

    def _custom_meta(self) -> None:
        for custom in self.meta.iter("custom-meta"):
            name = _text(custom.find("meta-name"))
            value = custom.find("meta-value")
            if name.lower().replace("-", " ") == "data availability" and value is not None:
                blocks = [{"t": "Para", "c": _tidy(self.body.inlines(value))}]
                self.back_sections.append(("data-availability", name, blocks))
            else:
                self.report.lost(custom, f"custom metadata '{name}'")


# --------------------------------------------------------------------------- references


def reference(ref: etree._Element, report: Report) -> dict[str, Any] | None:
    """A JATS ref as a CSL item (element-citation preferred to mixed-citation)."""
    # NLM 2 (PMC's older files) says `citation`
    citation = _first(ref, "element-citation", "mixed-citation", "nlm-citation", "citation")
    if citation is None:
        report.lost(ref, "a reference without a citation element")
        return None
    identifier = ref.get("id") or ""
    kind = citation.get("publication-type") or citation.get("citation-type") or "other"
    item: dict[str, Any] = {"id": identifier, "type": PUBLICATION_TYPES.get(kind, "document")}
    authors, editors = [], []
    for group in citation.findall("person-group"):
        names = [_name(n) for n in group if n.tag in ("name", "collab", "string-name")]
        if (group.get("person-group-type") or "author") == "editor":
            editors += names
        else:
            authors += names
    direct = [_name(n) for n in citation if n.tag in ("name", "collab", "string-name")]
    authors += direct
    if authors:
        item["author"] = authors
    if editors:
        item["editor"] = editors
    year = _text(citation.find("year"))
    match = re.match(r"^(\d{4})([a-z])?$", year)
    if match:
        month = _text(citation.find("month"))
        parts = [int(match.group(1))] + (
            [int(month)] if month.isdigit() and 1 <= int(month) <= 12 else []
        )
        item["issued"] = {"date-parts": [parts]}
        if match.group(2):
            item["year-suffix"] = match.group(2)
    elif year:
        item["issued"] = {"literal": year}
    part_title = _first(citation, "article-title", "chapter-title", "data-title", "trans-title")
    if item["type"] == "book" and part_title is not None and part_title.tag == "chapter-title":
        item["type"] = "chapter"  # a chapter in a book: how galley's writer says it, read back
    source = citation.find("source")
    if part_title is not None and _text(part_title):
        item["title"] = _text(part_title)
        if source is not None:
            item["container-title"] = _text(source)
    elif source is not None:
        item["title"] = _text(source)
    simple = {
        "volume": "volume",
        "issue": "issue",
        "edition": "edition",
        "publisher-name": "publisher",
        "publisher-loc": "publisher-place",
        "series": "collection-title",
        "comment": "note",
        "isbn": "ISBN",
        "conf-name": "event-title",
        "version": "version",
    }
    for tag, key in simple.items():
        value = _text(citation.find(tag))
        if value:
            item[key] = value
    fpage, lpage = _text(citation.find("fpage")), _text(citation.find("lpage"))
    if fpage:
        item["page"] = f"{fpage}-{lpage}" if lpage else fpage
    elocation = _text(citation.find("elocation-id"))
    if elocation and not fpage:
        item["page"] = elocation
    for formula in citation.iter("inline-formula"):
        report.lost(formula, "a formula in a reference: its characters are kept as text")
    for pub_id in citation.findall("pub-id"):
        kind_ = (pub_id.get("pub-id-type") or "").lower()
        if not kind_ and _text(pub_id).startswith("10."):
            kind_ = "doi"  # an untyped identifier that is plainly a DOI
        key = {"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID"}.get(kind_, "")
        if key:
            item[key] = _doi(_text(pub_id)) if key == "DOI" else _text(pub_id)
        else:
            report.lost(pub_id, f"a reference identifier of type '{kind_}'")
    comment = item.get("note", "")
    match = re.match(r"^\s*doi:\s*(10\.\S+?)\.?\s*$", comment, re.I)
    if match and "DOI" not in item:  # PLOS writes the DOI as a comment
        item["DOI"] = _doi(match.group(1))
        del item["note"]
    # A link anywhere in the reference (a web page's address often sits in its comment)
    fields: list[str] = []  # the words of the links that became the DOI or URL
    for link in citation.iter("ext-link", "uri"):
        href = (link.get(HREF) or _text(link)).strip()
        if "doi.org/10." in href and "DOI" not in item:
            item["DOI"] = _doi(re.sub(r"^https?://(dx\.)?doi\.org/", "", href))
            fields.append(_text(link))
        elif href.startswith(("http://", "https://", "ftp://")) and "URL" not in item:
            item["URL"] = href
            fields.append(_text(link))
    if item["type"] == "document" and "URL" in item and "container-title" not in item:
        item["type"] = "webpage"
    if citation.tag in ("mixed-citation", "citation") and "title" not in item:
        item["title"] = _without_fields(_text(citation), fields)
        report.note(ref, "an unstructured reference: its whole text is kept as its title")
    return item


def _without_fields(text: str, fields: list[str]) -> str:
    """The words of an unstructured reference without the address or DOI its fields now
    hold, with the words that announce it ("Available:", "doi:"): the style prints both,
    and the reference would print them twice. An address no label announces stays."""
    for words in (w for w in fields if w and w in text):
        index = text.index(words)
        before, after = text[:index], text[index + len(words) :]
        label = re.search(r"\s*(?:[^\W\d_]+\s+){0,2}[^\W\d_]+:\s*$", before)
        if label is None:
            continue  # part of a sentence ("data at http://…"): kept as written
        before = before[: label.start()].rstrip()
        if before.endswith(".") and after.lstrip().startswith("."):
            after = after.lstrip()[1:]
        text = before + after
    return text.strip()


def _doi(text: str) -> str:
    """A DOI as the original means it: percent-encoded characters decoded (`10.1186%2F...`)
    and the spaces a typesetter left inside taken out (`10.1371/journal.pbio. 1001425`)."""
    decoded = unquote(text) if re.search(r"%[0-9A-Fa-f]{2}", text) else text
    return strip_doi("".join(decoded.split()))


# --------------------------------------------------------------------------- writing


# --------------------------------------------------------------------------- the import


@dataclass
class Imported:
    """One imported article: where it went and what the import report says."""

    folder: Path
    report: Report


def _ascii(text: str) -> str:
    """Lower-case letters without accents, to match a name inside an e-mail address."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == " "))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _maker(source: Path | None) -> FileMaker:
    """How a figure or supplementary file is written: copied, a TIFF made PNG, or a
    placeholder for one the export folder lacks."""
    if source is None:
        return _placeholder_png()
    if source.suffix.lower() in (".tif", ".tiff"):
        return functools.partial(_tiff_to_png, source)
    return functools.partial(shutil.copyfile, source)


STYLES = {"plos": "plos", "elife": "elife"}


class ArticleImport:
    """One JATS file into galley source under `into` (the source folder)."""

    def __init__(self, path: Path, into: Path) -> None:
        self.path = path
        self.into = into
        self.tree = read_jats(path)
        self.root = self.tree.getroot()
        self.report = Report(path)
        self.copies: list[tuple[Path | None, str]] = []  # (file beside the XML or None, name)
        meta = self.root.find("front/article-meta")
        if meta is None:
            raise GalleyError(
                error(Code.IMPORT_NOT_JATS, f"{path.name} has no <article-meta>", Span(path))
            )
        self.meta = meta

    # -- journal and issue --------------------------------------------------------------

    def journal(self) -> dict[str, Any]:
        jm = self.root.find("front/journal-meta")
        jm = jm if jm is not None else etree.Element("journal-meta")
        ids = {j.get("journal-id-type"): _text(j) for j in jm.findall("journal-id")}
        title = _text(jm.find(".//journal-title"))
        journal_id = _slug(ids.get("publisher-id") or ids.get("nlm-ta") or title)[:30] or "journal"
        issns: dict[str, str] = {}
        for issn in jm.findall("issn"):
            kind = issn.get("publication-format") or issn.get("pub-type") or ""
            medium = "print" if kind in ("print", "ppub") else "electronic"
            issns[medium] = _text(issn)
        doi = _text(self.meta.find("article-id[@pub-id-type='doi']"))
        short = _text(jm.find(".//abbrev-journal-title"))
        if not title:  # no journal-title: the name the original gives it, its NLM abbreviation
            title = short or ids.get("nlm-ta") or ids.get("iso-abbrev") or ""
            self.report.note(
                jm,
                f"no <journal-title>: the journal is called '{title}' (as its "
                "journal-id says); give its full title in journal.yaml",
            )
        data: dict[str, Any] = {"id": journal_id, "title": title}
        if short:
            data["title-short"] = short
        data["issn"] = issns
        data["publisher"] = _text(jm.find("publisher/publisher-name")) or title
        place = _text(jm.find("publisher/publisher-loc"))
        if place:
            data["publisher-place"] = place
        data["doi-prefix"] = doi.split("/", 1)[0] if doi else "10.0000"
        data["lang"] = language_tag(self.root.get(XML_LANG) or "en")
        # A numbered style: the references are numbered, or the text cites them by number
        # ("[3]", "3–5") even where the list carries no labels.
        cited = [_text(x) for x in self.root.iter("xref") if x.get("ref-type") == "bibr"]
        by_number = [t for t in cited if re.fullmatch(r"[\[(]?\d+[a-z]?[\])]?", t)]
        numeric = any(ref.find("label") is not None for ref in self.root.iter("ref")) or (
            bool(cited) and len(by_number) > len(cited) / 2
        )
        key = next((k for k in STYLES if k in journal_id), None)
        data["csl"] = STYLES[key] if key else ("elsevier-vancouver" if numeric else "apa")
        return data

    def issue(self) -> tuple[str, dict[str, Any]]:
        meta = self.meta
        volume = _text(meta.find("volume"))
        number = _text(meta.find("issue"))
        issued = _date(meta.find("pub-date[@pub-type='collection']")) or _date(
            meta.find("pub-date[@date-type='collection']")
        )
        if not issued:
            issued = _date(meta.find("pub-date")) or "1900"
        data: dict[str, Any] = {"volume": volume or "1"}
        if not volume:
            self.report.note(meta, "no volume: imported as volume 1 (check issue.yaml)")
        if number:
            data["issue"] = number
        data["issued"] = issued
        title = _text(meta.find("issue-title"))
        if title:
            data["title"] = title
        return "-".join(part for part in ("vol" + (volume or "1"), number) if part), data

    def article_id(self) -> str:
        meta = self.meta
        for candidate in (
            _text(meta.find("elocation-id")),
            _text(meta.find("article-id[@pub-id-type='publisher-id']")),
            _text(meta.find("article-id[@pub-id-type='doi']")).rsplit("/", 1)[-1],
        ):
            name = folder_name(candidate)
            if name:
                return name
        return folder_name(self.path.stem)

    # -- files ----------------------------------------------------------------------------

    def _find(self, href: str) -> Path | None:
        """A file named by the XML, beside it (PLOS's "info:doi/…g001" is g001 with any
        image extension)."""
        base = href.rsplit("/", 1)[-1]
        folder = self.path.parent
        candidates = [folder / base]
        stem = (
            base.rsplit(".", 1)[0]
            if "." in base and f".{base.rsplit('.', 1)[1].lower()}" in IMAGE_SUFFIXES
            else base
        )
        candidates += [folder / f"{stem}{suffix}" for suffix in IMAGE_SUFFIXES]
        candidates += [folder / f"{stem}{suffix.upper()}" for suffix in IMAGE_SUFFIXES]
        candidates += sorted(
            folder.glob(f"{glob_escape(base)}.*")
        )  # a file named with its extension
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_file() and folder.resolve() in resolved.parents:
                return resolved
        return None

    # -- the whole article -------------------------------------------------------------------

    def run(self) -> Imported:
        journal = self.journal()
        self._check_journal(journal)
        issue_id, issue = self.issue()
        issue_dir = self.into / issue_id
        self._check_issue(issue_dir, issue)
        article_dir = issue_dir / self.article_id()
        if article_dir.exists():
            raise GalleyError(
                error(
                    Code.IMPORT_EXISTS,
                    f"{article_dir} already exists; the import never overwrites an article",
                    Span(self.path),
                    "remove or rename the folder to import the article again",
                )
            )
        _glued_panel_letters(self.root)
        _place_floats(self.root, self.report)
        refs = [ref for ref in self.root.findall("back/ref-list/ref")]
        ids = [ref.get("id") or "" for ref in refs]
        body = Body(self.root, self.report, self.resolve, ids, self.root.findall("sub-article"))
        front = Front(self.root, self.meta, body, self.report)
        fields = front.read()
        blocks = body.blocks(self.root.find("body") if self.root.find("body") is not None else [])
        self.funding: dict[str, Any] = fields.get("funding", {})
        blocks += self._back(body, front)
        blocks = self._figure_files(blocks, body)
        if self.funding and "funding" not in fields:
            fields["funding"] = self.funding
        for sub in self.root.findall("sub-article"):
            if sub.get("article-type") != "translation":
                self.report.lost(
                    sub,
                    f"a sub-article of type '{sub.get('article-type')}' "
                    "(galley carries translations only)",
                )
        options = self._words(body)
        if options:
            fields["crossref"] = options
        references = [item for ref in refs if (item := reference(ref, self.report))]
        if references:
            fields["bibliography"] = REFERENCES_FILE
            cited = {  # linked in the text, or within a range "[5]–[9]" it cites
                rid
                for x in body._iter("xref")
                if x.get("ref-type") == "bibr"
                for rid in (x.get("rid") or "").split()
            } | {c["citationId"] for cite in iter_nodes(blocks, "Cite") for c in cite["c"][0]}
            uncited = [item["id"] for item in references if item["id"] not in cited]
            if uncited:  # listed by the journal though the text never links them: keep them
                fields["nocite"] = ", ".join(f"@{key}" for key in uncited)
        translations = [
            self._translation(sub, ids)
            for sub in self.root.findall("sub-article")
            if sub.get("article-type") == "translation"
        ]
        self._gaps(fields, references)
        fields["imported"] = {"from": self.path.name} | (
            {"gaps": self.report.gaps} if self.report.gaps else {}
        )
        # Everything is ready: write (the folders are new, nothing existing is touched).
        write_once(self.into / JOURNAL_FILE, dump_yaml(journal))
        write_once(issue_dir / ISSUE_FILE, dump_yaml(issue))
        self.report.said += write_article(
            article_dir,
            article_text(fields, blocks),
            self.report.markdown(),
            references,
            dict(translations),
            {name: _maker(source) for source, name in self.copies},
        )
        return Imported(article_dir, self.report)

    def _check_journal(self, journal: dict[str, Any]) -> None:
        """An existing journal.yaml is checked, never overwritten."""
        path = self.into / JOURNAL_FILE
        if not path.exists():
            return
        from galley.read.journal import read_journal

        existing = read_journal(path)
        problems = []
        theirs = {"print": existing.issn_print, "electronic": existing.issn_electronic}
        for medium, issn in journal["issn"].items():
            if theirs.get(medium) and theirs[medium] != issn:
                problems.append(
                    error(
                        Code.IMPORT_JOURNAL_CONFLICT,
                        f"{self.path.name} is from the journal with {medium} ISSN {issn}, but "
                        f"{path} has {theirs[medium]}",
                        existing.source.span("issn", medium),
                        "import it into the source folder of its own journal",
                    )
                )
        if existing.doi_prefix != journal["doi-prefix"]:
            problems.append(
                warning(
                    Code.IMPORT_JOURNAL_PREFIX,
                    f"the article's DOI prefix {journal['doi-prefix']} is not the journal's "
                    f"{existing.doi_prefix}",
                    existing.source.span("doi-prefix"),
                )
            )
        if any(p.severity.name == "ERROR" for p in problems):
            raise GalleyError(problems)
        self.report.said.extend(problems)  # warnings: said with the import, never dropped

    def _check_issue(self, folder: Path, issue: dict[str, Any]) -> None:
        path = folder / ISSUE_FILE
        if not path.exists():
            return
        from galley.yamlsource import load_yaml

        data, linemap = load_yaml(path.read_text(encoding="utf-8"), path)
        for key in ("volume", "issue"):
            if str(data.get(key) or "") != str(issue.get(key) or ""):
                raise GalleyError(
                    error(
                        Code.IMPORT_ISSUE_CONFLICT,
                        f"{path} says {key} {data.get(key)!r}, the article {issue.get(key)!r}",
                        linemap.span((key,)),
                        "check that the article belongs to this issue",
                    )
                )

    def resolve(self, href: str, folder: str, media_type: str = "") -> str:
        """The name a file named by the XML takes in the article's folder; found beside the
        XML, or a placeholder (figures) listed in the report. A name without a known
        extension ("journal.pone.0116752.s001") takes its media type's."""
        found = self._find(href)
        base = re.sub(r"[^A-Za-z0-9_.-]", "-", href.rsplit("/", 1)[-1])
        stem, _, suffix = base.rpartition(".")
        if not stem or f".{suffix.lower()}" not in FILE_SUFFIXES:
            stem, suffix = base, ""
        if folder == "figures":
            if found is not None and found.suffix.lower() in (
                ".jpg",
                ".jpeg",
                ".gif",
                ".svg",
                ".webp",
                ".png",
            ):
                suffix = found.suffix.lower().lstrip(".")
            else:
                suffix = "png"  # TIFF converted, or a placeholder
        elif suffix:
            pass
        elif media_type and mimetypes.guess_extension(media_type):
            suffix = (mimetypes.guess_extension(media_type) or "").lstrip(".")
        elif found is not None and found.suffix:
            suffix = found.suffix.lower().lstrip(".")
        name = f"{folder}/{stem}.{suffix}" if suffix else f"{folder}/{stem}"
        if all(existing != name for _, existing in self.copies):
            if found is None and folder == "figures":
                self.report.entries.append(
                    (
                        "placeholder",
                        None,
                        "graphic",
                        f"{href} was not found beside the XML: "
                        f"{name} is a grey placeholder to replace",
                    )
                )
            elif found is None:
                self.report.entries.append(
                    (
                        "missing",
                        None,
                        "supplementary-material",
                        f"{href} was not found beside the XML: add it as {name}",
                    )
                )
                return name
            self.copies.append((found, name))
        return name

    def _words(self, body: Body) -> dict[str, str]:
        """Quarto's `crossref:` options giving the words the journal printed."""
        words = body.labels.words
        options = {}
        for key, option in (
            ("figure", "fig-title"),
            ("table", "tbl-title"),
            ("figure-ref", "fig-prefix"),
            ("table-ref", "tbl-prefix"),
            ("equation-ref", "eq-prefix"),
        ):
            if key in words:
                options[option] = words[key]
        if body.labels.delimiter:
            options["title-delim"] = body.labels.delimiter
        return options

    def _back(self, body: Body, front: Front) -> list[Node]:
        back = self.root.find("back")
        out: list[Node] = []

        def section(
            kind: str, title: list[Node] | str, blocks: list[Node], identifier: str = ""
        ) -> None:
            inlines = _str_nodes(title) if isinstance(title, str) else title
            out.append(
                {"t": "Header", "c": [1, _attr(identifier, [kind] if kind else []), inlines]}
            )
            out.extend(blocks)

        if back is not None:
            for child in back:
                tag = child.tag if isinstance(child.tag, str) else ""
                title = child.find("title")
                title_inlines = _tidy(body.inlines(title)) if title is not None else []
                if tag == "ack":
                    section("ack", title_inlines or _heading("ack", child), body.blocks(child, 2))
                elif tag == "sec":
                    kind = child.get("sec-type") or ""
                    if kind in ("data-availability", "data_availability"):
                        section(
                            "data-availability",
                            title_inlines or _heading("data-availability", child),
                            body.blocks(child, 2),
                        )
                    elif _holds_files(child):
                        section(
                            "supplementary-material",
                            title_inlines or _heading("supplementary-material", child),
                            body.blocks(child, 2),
                        )
                    else:
                        # Its note groups (eLife's competing interests, contributions) are
                        # back sections of their own kinds.
                        groups = [c for c in child if c.tag == "fn-group"]
                        rest = [c for c in child if c.tag not in ("fn-group", "title", "label")]
                        if rest or not groups:
                            section("", title_inlines, body.blocks(rest, 2), child.get("id") or "")
                            self.report.note(
                                child, "a back-matter section: imported at the end of the body"
                            )
                        for group in groups:
                            self._fn_group(group, body, section)
                elif tag == "app-group":
                    _appendices(child, body, section)
                elif tag == "fn-group":
                    self._fn_group(child, body, section)
                elif tag == "glossary":  # abbreviations: galley's `{.glossary}` section
                    content = [c for c in child if c.tag not in ("label", "title")]
                    section(
                        "glossary",
                        title_inlines or _heading("glossary", child),
                        body.blocks(content, 2),
                    )
                elif tag in ("ref-list", "label", "title"):
                    continue
                else:
                    self.report.lost(child, "back matter galley has no place for")
        for kind, title, blocks in front.back_sections:
            section(kind, title, blocks)
        return out

    def _figure_files(self, blocks: list[Node], body: Body) -> list[Node]:
        """The files figures carry and the text's videos, at the end of the supplementary
        section (made if the article has none), in the order the article gives them."""
        files = [block for element in body.figure_files for block in body.supplementary(element)]
        if not files:
            return blocks
        for element in body.figure_files:
            if element.tag == "media":
                body.report.note(
                    element,
                    "a video (or other media) galley cannot play in the text: published with "
                    "the supplementary files, with its label and caption",
                )
        for index, block in enumerate(blocks):
            if block["t"] == "Header" and "supplementary-material" in block["c"][1][1]:
                level = block["c"][0]
                end = next(
                    (
                        i
                        for i in range(index + 1, len(blocks))
                        if blocks[i]["t"] == "Header" and blocks[i]["c"][0] <= level
                    ),
                    len(blocks),
                )
                return blocks[:end] + files + blocks[end:]
        heading = {
            "t": "Header",
            "c": [
                1,
                _attr("", ["supplementary-material"]),
                _str_nodes(_heading("supplementary-material", body.root)),
            ],
        }
        return [*blocks, heading, *files]

    def _fn_group(
        self, group: etree._Element, body: Body, section: Any, translation: bool = False
    ) -> None:
        """A group of notes in the back: statements of their kinds, or notes. A translation's
        funding note stays a note (the funding statement is the original's)."""
        kind = (group.get("content-type") or "").lower()
        notes = [fn for fn in group.findall("fn") if (fn.get("id") or "") not in body.used_notes]
        if not notes:
            return
        statements = (
            ("data-availability",)
            if translation
            else (
                "data-availability",
                "financial-disclosure",
            )
        )
        typed = [fn for fn in notes if fn.get("fn-type") in statements]
        for fn in typed:
            notes.remove(fn)
            label = _text(fn.find("label")).rstrip(":") or _text(fn.find("title"))
            blocks = body.blocks([c for c in fn if c.tag not in ("label", "title")])
            if fn.get("fn-type") == "data-availability":
                section("data-availability", label or _heading("data-availability", fn), blocks)
            elif "statement" not in self.funding:
                self.funding["statement"] = to_markdown(blocks).strip()
            elif _words_of(to_markdown(blocks)) <= _words_of(self.funding["statement"]):
                self.report.note(fn, "a funding note saying what the funding statement says")
            else:  # a second funding note ("Work funded by ..."): its words join the statement
                self.funding["statement"] += " " + to_markdown(blocks).strip()
                self.report.note(fn, "a further funding note: joined to the funding statement")
        if not notes:
            return
        title = _text(group.find("title"))
        blocks = body.blocks([c for fn in notes for c in fn if c.tag not in ("label", "title")])
        statement = (
            "competing" in kind
            or "conflict" in kind
            or "contribution" in kind
            or all(fn.get("fn-type") in {*COI_TYPES, "con"} for fn in notes)
        )
        if statement and len(notes) > 1:
            self.report.note(
                group, f"{len(notes)} notes (one per author): one statement, every word kept"
            )
        if (
            "competing" in kind
            or "conflict" in kind
            or all(fn.get("fn-type") in COI_TYPES for fn in notes)
        ):
            section("coi-statement", title or _heading("coi-statement", group), blocks)
        elif "contribution" in kind or all(fn.get("fn-type") == "con" for fn in notes):
            section(
                "author-contributions", title or _heading("author-contributions", group), blocks
            )
        elif title and not any(fn.find("label") is not None for fn in notes):
            self.report.note(group, "notes under one heading: a notes section (<notes>)")
            section("notes", title, blocks)  # notes under one heading ("Ethics")
        else:
            unnamed: list[Node] = []
            for fn in notes:  # a journal's notes ("Plagiarism check"): notes of their own
                self.report.note(fn, "a note of the back: a notes section (<notes>)")
                label = _text(fn.find("label")).rstrip(":") or _text(fn.find("title"))
                content = body.blocks([c for c in fn if c.tag not in ("label", "title")])
                if label:
                    section("notes", label, content)
                else:  # notes with no name of their own: one section of them
                    unnamed += content
            if unnamed:
                section("notes", _heading("notes", group), unnamed)

    def _gaps(self, fields: dict[str, Any], references: list[dict[str, Any]]) -> None:
        """What the original lacks that a new article must have: each said in the source, so
        its check reports it as published rather than refusing the article."""
        if not fields.get("author"):
            self.report.gap("authors")
        body = self.root.find("body")
        if body is None or not _text(body):
            self.report.gap("body")
        for abstract in self.meta.findall("abstract"):
            if abstract.find("p") is None and len(abstract.findall("sec")) == 1:
                self.report.gap("abstract-structure")
        for item in references:
            for name in missing_fields(item):
                self.report.gap("reference-fields", f"@{item['id']}: {name}")
            if item.get("DOI") and not is_doi(item["DOI"]):
                self.report.gap("reference-doi", f"@{item['id']}: {item['DOI']}")
            pages = page_range(str(item.get("page", "")))
            if pages and pages[1] and not pages_in_order(pages[0], pages[1]):
                self.report.gap("reference-pages", f"@{item['id']}: {item['page']}")

    def _translation(self, sub: etree._Element, ids: list[str]) -> tuple[str, str]:
        lang = language_tag(sub.get(XML_LANG) or "und")
        stub = _first(sub, "front-stub", "front/article-meta")
        if stub is None:
            stub = etree.Element("front-stub")
        sub_body = Body(sub, self.report, self.resolve, ids)
        front = Front(sub, stub, sub_body, self.report)
        front.lang = lang
        fields: dict[str, Any] = {}
        titles = front._titles()
        if lang in titles:
            fields["title"] = titles[lang]
        if lang in front.title_notes:
            fields["title-note"] = Literal(front.title_notes[lang])
        heading = stub.find("article-categories/subj-group[@subj-group-type='heading']/subject")
        if heading is not None and _text(heading):  # the kicker in the translation's words
            fields["section"] = _text(heading)
        doi = stub.find("article-id[@pub-id-type='doi']")
        if doi is not None:
            fields["doi"] = _text(doi)
        else:
            self.report.gap("translation-doi", lang)
        options = self._words(sub_body)  # "Table 1" in the translation's own language
        if options:
            fields["crossref"] = options
        front._abstracts()
        front._keywords()
        for key in ("abstract", "abstracts", "keywords"):
            if key in front.fields:
                fields[key] = front.fields[key]
        blocks = sub_body.blocks(sub.find("body") if sub.find("body") is not None else [])
        back_blocks: list[Node] = []

        def section(
            kind: str, title: list[Node] | str, content: list[Node], identifier: str = ""
        ) -> None:
            inlines = _str_nodes(title) if isinstance(title, str) else title
            back_blocks.append(
                {"t": "Header", "c": [1, _attr(identifier, [kind] if kind else []), inlines]}
            )
            back_blocks.extend(content)

        back = sub.find("back")
        if back is not None:
            for child in back:
                if child.tag == "ref-list":
                    self.report.note(
                        child, "a translation's reference list: the original's is used"
                    )
                elif child.tag == "fn-group":
                    self._fn_group(child, sub_body, section, translation=True)
                elif child.tag == "app-group":
                    _appendices(child, sub_body, section)
                elif child.tag == "ack":
                    title = child.find("title")
                    words = _tidy(sub_body.inlines(title)) if title is not None else []
                    content = [c for c in child if c.tag not in ("title", "label")]
                    section("ack", words or _heading("ack", child), sub_body.blocks(content, 2))
                elif child.tag == "glossary":
                    title = child.find("title")
                    words = _tidy(sub_body.inlines(title)) if title is not None else []
                    content = [c for c in child if c.tag not in ("title", "label")]
                    section(
                        "glossary",
                        words or _heading("glossary", child),
                        sub_body.blocks(content, 2),
                    )
                else:
                    self.report.lost(child, "a translation's back matter")
        for element in stub:
            statements = [fn for fn in element.iter("fn") if (fn.get("fn-type") or "") in COI_TYPES]
            for fn in statements:  # the translation's own words of the statement
                content = [c for c in fn if c.tag not in ("label", "title")]
                section("coi-statement", _heading("coi-statement", fn), sub_body.blocks(content, 2))
            others = [
                fn
                for fn in element.iter("fn")
                if (fn.get("fn-type") or "") not in COI_TYPES
                and fn.getparent().tag == "author-notes"
            ]
            if others:  # the translation's words of the author notes ("Article based on ...")
                self.report.note(element, "a translation's author notes: a notes section")
                content = [c for fn in others for c in fn if c.tag not in ("label", "title")]
                section("notes", _heading("notes", element), sub_body.blocks(content, 2))
            if element.tag in (
                "contrib-group",
                "aff",
                "author-notes",
                "pub-date",
                "history",
                "permissions",
                "article-categories",
            ):
                self.report.note(
                    element,
                    "a translation's own copy of the original's metadata: the original's is used",
                )
        blocks += back_blocks
        return lang, article_text(fields, blocks)


def _words_of(text: str) -> set[str]:
    """The words of a text, for telling whether one note says what another does."""
    return set(re.findall(r"\w+", text.lower()))


def _heading(kind: str, element: etree._Element) -> str:
    """The heading of a back section the original gives none, in the language of the
    article (or translation) holding `element` (galley/languages.yaml)."""
    holder = next(
        (a for a in (element, *element.iterancestors()) if a.tag in ("sub-article", "article")),
        element,
    )
    key = "notes" if kind == "notes" else f"section-{kind}"
    return languages.label(key, language_tag(holder.get(XML_LANG) or "en"))


def _appendices(group: etree._Element, body: Body, section: Any) -> None:
    """An app-group's appendices as galley's `{.appendix}` back sections."""
    for app in group.findall("app"):
        title = app.find("title")
        heading = _tidy(body.inlines(title)) if title is not None else _heading("appendix", app)
        section(
            "appendix", heading, body.blocks(app, 2), body.labels.ids.get(app.get("id") or "", "")
        )


def _placeholder_png(width: int = 480, height: int = 320) -> bytes:
    """A grey image standing for a figure whose file was not found (listed in the report)."""
    import struct
    import zlib

    rows = b"".join(b"\x00" + b"\xd0\xd0\xd0" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def _tiff_to_png(source: Path, target: Path) -> None:
    from PIL import Image

    with Image.open(source) as image:
        image.save(target, format="PNG")


def _journal_key(file: Path) -> str:
    """The journal a JATS file is from (its publisher's journal id, else its first), or ""
    when the file cannot be read (its import then says why)."""
    try:
        root = read_jats(file).getroot()
    except GalleyError:
        return ""
    meta = _first(root, "front/journal-meta")
    if meta is None:
        return ""
    found = _first(meta, "journal-id[@journal-id-type='publisher-id']", "journal-id", "issn")
    return " ".join(_text(found).split()) if found is not None else ""


def import_paths(
    paths: Sequence[Path], into: Path, options: Options | None = None
) -> tuple[list[Imported], list[Diagnostic]]:
    """Import every JATS file (or folder of them); one failing file never stops the others.
    (A published article needs none of the editor's import options.)"""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in (".xml", ".nxml"))
        else:
            files.append(path)
    journals = {file: _journal_key(file) for file in files}
    # galley's source holds one journal: articles of several go to a folder each
    several = len(set(journals.values()) - {""}) > 1 and not (into / JOURNAL_FILE).exists()

    def run(file: Path) -> Callable[[], Imported]:
        target = into / _slug(journals[file]) if several and journals[file] else into
        return lambda: ArticleImport(file, target).run()

    return import_each(run(file) for file in files)
