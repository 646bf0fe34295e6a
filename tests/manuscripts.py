"""Word manuscripts made from known articles, as authors send them.

A corpus article, once imported from its JATS, is galley source whose every figure, table,
equation, note and reference is known. `make_manuscript` writes it back as an author's Word
file: a first page typed as paragraphs (title, an author line with superscript affiliation
numbers, numbered affiliations, an "Abstract" heading, a "Keywords:" line), figures as
pictures followed by a "Figure N." caption paragraph, tables after a "Table N." paragraph,
equation numbers typed after the equation, cross-references typed as words, and citations and
the bibliography as a reference manager writes them in the journal's style (citeproc), under a
"References" heading. pandoc writes the .docx (OMML equations, real footnotes, embedded
images). The bibliography's order is returned so a test knows which entry is which.
"""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from galley import pandoc
from galley.ast import cite, stringify

MARKDOWN = "markdown+ascii_identifiers-smart"


def _str(text: str) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for index, word in enumerate(text.split(" ")):
        if index:
            nodes.append({"t": "Space"})
        if word:
            nodes.append({"t": "Str", "c": word})
    return nodes


class Numbers:
    """What each label prints as, numbered as galley numbers them."""

    def __init__(self) -> None:
        self.printed: dict[str, str] = {}
        self.counts = {"fig": 0, "tbl": 0, "eq": 0}

    def assign(self, identifier: str, explicit: str | None = None) -> str:
        kind = identifier.split("-", 1)[0]
        if explicit:
            number = explicit.split()[-1]
        else:
            self.counts[kind] += 1
            number = str(self.counts[kind])
        self.printed[identifier] = number
        return number


def _attributes(attr: list[Any]) -> dict[str, str]:
    return {key: value for key, value in attr[2]}


def _walk(value: Any, visit: Any) -> Any:
    if isinstance(value, list):
        out = []
        for item in value:
            replaced = _walk(item, visit)
            if isinstance(replaced, list) and isinstance(item, dict):
                out.extend(replaced)
            else:
                out.append(replaced)
        return out
    if isinstance(value, dict):
        value = {k: _walk(v, visit) for k, v in value.items()}
        return visit(value)
    return value


EQUATION_ID = re.compile(r"^\{#(eq-[^}]+)\}$")


def _equation_id(node: Any) -> str | None:
    """The id of `$$...$$ {#eq-x}` (plain pandoc reads the braces as words)."""
    if node.get("t") in ("Str", "RawInline"):
        text = node["c"] if node["t"] == "Str" else node["c"][1]
        match = EQUATION_ID.match(text)
        return match.group(1) if match else None
    return None


def _number_labels(blocks: list[Any], numbers: Numbers) -> None:
    tagged: list[str] = []

    def visit(node: Any) -> Any:
        if node.get("t") in ("Figure", "Table", "Div") and node["c"][0][0][:4] in ("fig-", "tbl-"):
            numbers.assign(node["c"][0][0], _attributes(node["c"][0]).get("label"))
        if node.get("t") == "Math" and "\\tag{" in node["c"][1]:
            tagged.append(re.search(r"\\tag\{([^}]*)\}", node["c"][1]).group(1))  # type: ignore[union-attr]
        identifier = _equation_id(node)
        if identifier:
            if tagged:  # numbered by hand ("2b"), out of the sequence
                numbers.printed[identifier] = tagged.pop()
            else:
                numbers.assign(identifier)
        return node

    _walk(blocks, visit)


def _typed(blocks: list[Any], numbers: Numbers, root: Path) -> list[Any]:
    words = {"fig": "Figure", "tbl": "Table"}

    def image(node: Any) -> Any:
        if node.get("t") == "Image":
            node["c"][0] = ["", [], []]
            node["c"][2][0] = str(root / node["c"][2][0])
        return node

    def visit(node: Any) -> Any:
        kind = node.get("t")
        if kind == "Cite":
            ids = [c["citationId"] for c in node["c"][0]]
            if all(i.split("-", 1)[0] in ("fig", "tbl", "eq", "sec") for i in ids):
                texts = []
                for citation in node["c"][0]:
                    ident = citation["citationId"]
                    number = numbers.printed.get(ident, "?")
                    prefix = words.get(ident.split("-", 1)[0])
                    suppress = citation["citationMode"]["t"] == "SuppressAuthor"
                    texts.append(number if suppress or not prefix else f"{prefix} {number}")
                return _str(" and ".join(texts))
        if kind == "Link" and not node["c"][2][0].startswith(("http:", "https:", "mailto:")):
            return node["c"][1]  # a cross-reference, a supplementary file: typed words
        identifier = _equation_id(node)
        if identifier:  # the number typed after the equation
            return _str(f"({numbers.printed[identifier]})")
        if kind == "Math" and "\\tag{" in node["c"][1]:
            node["c"][1] = re.sub(r"\s*\\tag\{[^}]*\}", "", node["c"][1])
        if kind == "Figure" and node["c"][0][0].startswith("fig-"):
            number = numbers.printed[node["c"][0][0]]
            picture = _walk(node["c"][2], image)
            caption = [n for b in node["c"][1][1] for n in b["c"]]
            return [
                {"t": "Para", "c": [n for b in picture for n in b["c"]]},
                {"t": "Para", "c": [*_str(f"Figure {number}."), {"t": "Space"}, *caption]},
            ]
        if kind == "Div" and node["c"][0][0].startswith("fig-"):
            number = numbers.printed[node["c"][0][0]]
            first, *rest = node["c"][1]
            first = _walk(first, image)
            caption = rest[0]["c"] if rest else []
            return [
                first,
                {"t": "Para", "c": [*_str(f"Figure {number}."), {"t": "Space"}, *caption]},
                *rest[1:],
            ]
        if kind == "Table" and node["c"][0][0].startswith("tbl-"):
            number = numbers.printed[node["c"][0][0]]
            caption = [n for b in node["c"][1][1] for n in b["c"]]
            node["c"][0] = ["", [], []]
            node["c"][1] = [None, []]
            return [{"t": "Para", "c": [*_str(f"Table {number}."), {"t": "Space"}, *caption]}, node]
        if kind == "Div" and node["c"][0][0].startswith("tbl-"):
            return node["c"][1]
        return node

    return list(_walk(blocks, visit))


def _first_page(fields: dict[str, Any]) -> tuple[list[Any], str]:
    """The title, author and affiliation lines, abstract and keywords, as typed; and the
    Markdown for the abstract (parsed by pandoc with the body)."""
    title = (
        fields["title"]
        if isinstance(fields["title"], str)
        else next(iter(fields["title"].values()))
    )
    affiliations = {
        a["id"]: str(index + 1) for index, a in enumerate(fields.get("affiliations", []))
    }
    authors: list[Any] = []
    for index, author in enumerate(fields["author"]):
        name = author["name"]
        if isinstance(name, str):
            text = name
        else:
            text = name.get("literal") or f"{name.get('given', '')} {name['family']}".strip()
        if index:
            authors += [{"t": "Str", "c": ","}, {"t": "Space"}]
        authors += _str(text)
        marks = [
            affiliations[a["ref"]]
            for a in author.get("affiliations", [])
            if a.get("ref") in affiliations
        ]
        if marks:
            authors.append({"t": "Superscript", "c": [{"t": "Str", "c": ",".join(marks)}]})
    blocks = [{"t": "Para", "c": _str(" ".join(title.split()))}, {"t": "Para", "c": authors}]
    for affiliation in fields.get("affiliations", []):
        number = affiliations[affiliation["id"]]
        text = ", ".join(
            str(affiliation[k])
            for k in ("name", "department", "city", "country")
            if affiliation.get(k)
        )
        blocks.append(
            {
                "t": "Para",
                "c": [
                    {"t": "Superscript", "c": [{"t": "Str", "c": number}]},
                    {"t": "Space"},
                    *_str(text),
                ],
            }
        )
    abstract = fields.get("abstract", "")
    abstract = abstract if isinstance(abstract, str) else next(iter(abstract.values()))
    return blocks, abstract


def make_manuscript(article: Path, csl: Path, out: Path, strip_dois: bool = False) -> list[str]:
    """`article`'s folder (galley source) as a Word manuscript at `out`; returns the
    reference ids in the order of the bibliography it printed."""
    text = (article / "article.md").read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    fields = yaml.safe_load(front)
    references = yaml.safe_load((article / "references.yaml").read_text(encoding="utf-8"))
    if strip_dois:
        for item in references:
            item.pop("DOI", None)
            if "doi.org" in str(item.get("URL", "")):
                item.pop("URL")
    bibliography = out.with_suffix(".references.json")
    bibliography.write_text(json.dumps(references, ensure_ascii=False), encoding="utf-8")
    first_page, abstract = _first_page(fields)
    document = json.loads(pandoc.convert(body, MARKDOWN, "json"))
    numbers = Numbers()
    _number_labels(document["blocks"], numbers)
    blocks = _typed(document["blocks"], numbers, article)
    abstract_blocks = json.loads(pandoc.convert(abstract, MARKDOWN, "json"))["blocks"]
    keywords = fields.get("keywords") or []
    if isinstance(keywords, dict):
        keywords = next(iter(keywords.values()))
    heading = {"t": "Header", "c": [1, ["", [], []], _str("Abstract")]}
    line = {"t": "Para", "c": _str("Keywords: " + "; ".join(keywords))} if keywords else None
    references_heading = {"t": "Header", "c": [1, ["", [], []], _str("References")]}
    refs = {"t": "Div", "c": [["refs", [], []], []]}
    document["blocks"] = [
        *first_page,
        heading,
        *abstract_blocks,
        *([line] if line else []),
        *blocks,
        references_heading,
        refs,
    ]
    meta: dict[str, Any] = {}
    if fields.get("nocite"):
        keys = [k.strip().lstrip("@") for k in str(fields["nocite"]).split(",")]
        meta["nocite"] = {"t": "MetaInlines", "c": [cite(keys)]}
    document["meta"] = meta
    rendered = json.loads(
        pandoc.convert(
            json.dumps(document),
            "json",
            "json",
            ("--citeproc", f"--csl={csl}", f"--bibliography={bibliography}"),
        )
    )
    order: list[str] = []

    def collect(node: Any) -> Any:
        if node.get("t") == "Div" and node["c"][0][0].startswith("ref-"):
            order.append(node["c"][0][0][4:])
        return node

    _walk(rendered["blocks"], collect)
    subprocess.run(
        [pandoc.binary(), "-f", "json", "-t", "docx", "-o", str(out)],
        input=json.dumps(rendered),
        text=True,
        check=True,
        capture_output=True,
    )
    with zipfile.ZipFile(out) as archive:
        assert "word/document.xml" in archive.namelist()
    assert stringify(rendered["blocks"])
    return order


# --------------------------------------------------------------------------- Word's own files


@dataclass
class Field:
    """A field as Word stores it: its instruction (split over runs of at most 255 characters,
    as Word writes it), the words it shows, and for EndNote's long records the base64 of a
    nested `ADDIN EN.CITE.DATA` field's `w:fldData`; or a simple field (`w:fldSimple`)."""

    instruction: str
    shown: str
    data: str = ""
    simple: bool = False


def zotero(items: list[dict[str, Any]], shown: str, **cited: Any) -> Field:
    """A Zotero citation of CSL `items`, each with Zotero's own `id` (`cited`: locator,
    label, prefix, suffix, ... of the first)."""
    entries = [
        {
            "id": index + 1,
            "uris": [f"http://zotero.org/users/1/items/{item['id']}"],
            "itemData": item,
        }
        for index, item in enumerate(items)
    ]
    entries[0].update(cited)
    data = {"citationID": "a1b2c3", "properties": {"noteIndex": 0}, "citationItems": entries}
    return Field(f" ADDIN ZOTERO_ITEM CSL_CITATION {json.dumps(data, ensure_ascii=False)} ", shown)


def mendeley(items: list[dict[str, Any]], shown: str, simple: bool = False) -> Field:
    """A Mendeley citation of CSL `items`."""
    entries = [
        {
            "id": f"ITEM-{i + 1}",
            "itemData": item,
            "uris": [f"http://www.mendeley.com/d/{item['id']}"],
        }
        for i, item in enumerate(items)
    ]
    data = {"citationItems": entries, "properties": {"noteIndex": 0}, "schema": "csl-citation"}
    return Field(f" ADDIN CSL_CITATION {json.dumps(data)} ", shown, simple=simple)


def endnote(records: str, shown: str, in_data: bool = False) -> Field:
    """An EndNote citation of `records` (`<Cite>` elements): HTML-entity-encoded in the
    instruction, or base64 in a nested EN.CITE.DATA field (`in_data`)."""
    xml = f"<EndNote>{records}</EndNote>"
    if in_data:
        return Field(" ADDIN EN.CITE ", shown, base64.b64encode(xml.encode()).decode())
    return Field(f" ADDIN EN.CITE {html.escape(xml, quote=False)}", shown)


def _run(paragraph: Any, text: str = "", *, char: str = "", instr: str = "", data: str = "") -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run(text or None)
    if char:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), char)
        if data:
            blob = OxmlElement("w:fldData")
            blob.set(qn("xml:space"), "preserve")
            blob.text = data
            element.append(blob)
        run._r.append(element)
    if instr:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = instr
        run._r.append(element)
    return run


def _field(paragraph: Any, field: Field) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if field.simple:
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field.instruction)
        paragraph._p.append(simple)
        run = OxmlElement("w:r")
        words = OxmlElement("w:t")
        words.text = field.shown
        run.append(words)
        simple.append(run)
        return
    _run(paragraph, char="begin")
    for start in range(0, len(field.instruction), 255):  # as Word splits it
        _run(paragraph, instr=field.instruction[start : start + 255])
    if field.data:  # EndNote: the records in a nested field's data
        _run(paragraph, char="begin", data=field.data)
        _run(paragraph, instr=" ADDIN EN.CITE.DATA ")
        _run(paragraph, char="end")
    _run(paragraph, char="separate")
    _run(paragraph, field.shown)
    _run(paragraph, char="end")


def word_manuscript(
    out: Path,
    body: list[list[str | Field]],
    *,
    title: str = "A small study",
    authors: str = "Ana Lima, Bruno Souza",
    references: Sequence[str] = (),
    bibliography: str = "",
) -> Path:
    """A manuscript as Word itself writes one (python-docx, Word's template and styles): the
    title in Word's Title style, an author line, an "Abstract" heading, the body's paragraphs
    (each a list of words and fields) under "Introduction", and "References": the typed
    `references`, inside one field of instruction `bibliography` when given (a reference
    manager's printed bibliography, one paragraph per reference)."""
    import docx

    document = docx.Document()
    document.add_paragraph(title, style="Title")
    document.add_paragraph(authors)
    document.add_heading("Abstract", 1)
    document.add_paragraph("What was studied, and what was found.")
    document.add_paragraph("Keywords: one; two")
    document.add_heading("Introduction", 1)
    for pieces in body:
        paragraph = document.add_paragraph()
        for piece in pieces:
            if isinstance(piece, Field):
                _field(paragraph, piece)
            else:
                paragraph.add_run(piece)
    document.add_heading("References", 1)
    paragraphs = [document.add_paragraph() for _ in references]
    for index, (paragraph, text) in enumerate(zip(paragraphs, references, strict=True)):
        if bibliography and index == 0:
            _run(paragraph, char="begin")
            _run(paragraph, instr=bibliography)
            _run(paragraph, char="separate")
        _run(paragraph, text)
        if bibliography and index == len(paragraphs) - 1:
            _run(paragraph, char="end")
    document.save(str(out))
    return out
