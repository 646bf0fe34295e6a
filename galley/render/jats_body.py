"""The article's text in JATS: pandoc's JATS writer, then the structure JATS and JATS4R want.

pandoc writes the text (paragraphs, lists, inline markup, MathML with its TeX, figures,
tables, notes). Before it runs, `prepare` marks the objects galley numbered (through the
`content-type` attribute pandoc keeps on the elements it writes for Divs and Spans); after
it, `finish` rebuilds them with lxml, never with string pasting: labels from the model,
caption titles, `table-wrap` ids and `table-wrap-foot`, equation ids and labels, ids on
every formula and its alternatives, and boxed text only where the source asked for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lxml import etree

from galley.ast import Node, span, walk
from galley.model import NumberedObject, Reference
from galley.validate import secure_parser

MML = "http://www.w3.org/1998/Math/MathML"
XLINK = "http://www.w3.org/1999/xlink"
_WRAP_OPEN = f'<galley-wrap xmlns:mml="{MML}" xmlns:xlink="{XLINK}">'
_MARK = "galley-"  # prefix of the content-type values `prepare` sets and `finish` removes


def prepare(blocks: list[Node]) -> list[Node]:
    """Mark the normalised objects (see galley.xrefs) so they can be found in pandoc's JATS."""

    def mark(node: Node, name: str) -> None:
        node["c"][0][2] = [p for p in node["c"][0][2] if p[0] != "content-type"]
        node["c"][0][2].append(["content-type", _MARK + name])

    def visit(node: Node) -> Node | None:
        tag = node["t"]
        if tag == "Div":
            classes = node["c"][0][1]
            if "table-fn" in classes:
                label = dict(node["c"][0][2]).get("label", "")
                mark(node, "table-fn")
                marker = span([{"t": "Str", "c": label}], pairs=[("content-type", "galley-label")])
                blocks_ = node["c"][1]
                if blocks_ and blocks_[0]["t"] in ("Para", "Plain"):
                    blocks_[0]["c"].insert(0, marker)
            else:
                for name in ("table-wrap", "table-notes", "boxed-text"):
                    if name in classes:
                        mark(node, name)
                        break
                else:
                    mark(node, "unwrap")  # a Div galley gives no meaning: its content stays
        elif tag == "Span" and "equation" in node["c"][0][1]:
            mark(node, "equation")
        elif tag == "Span" and "formula" in node["c"][0][1]:
            mark(node, "formula")  # an inline formula given as an image
        return None

    result: list[Node] = walk(blocks, visit)
    return result


class Finisher:
    """Rebuilds the marked objects of every fragment of one article, numbering formulas
    across all of them so that ids are unique in the document.

    `prefix` is put before every id (and every reference to one, bar the reference list's)
    of a translation, whose objects would otherwise share the original's ids."""

    def __init__(
        self,
        numbered: Mapping[str, NumberedObject],
        references: Sequence[Reference] = (),
        prefix: str = "",
    ) -> None:
        self.numbered = numbered
        self.formulas = {"inline-formula": 0, "disp-formula": 0, "boxed-text": 0}
        self.prefix = prefix
        self.by_number = {ref.label: ref.anchor for ref in references if ref.label}
        self.numbers = {ref.anchor: ref.label for ref in references if ref.label}

    def caption(self, fragment: str) -> str:
        """A caption's paragraphs as a JATS `<caption>` (a leading bold phrase its title)."""
        root = etree.fromstring(
            f"{_WRAP_OPEN}<caption>{fragment}</caption></galley-wrap>", secure_parser()
        )
        _caption_title(root[0])
        for element in root.iter("inline-formula", "disp-formula"):
            self._formula_ids(element)  # numbered with the article's other formulas
        if self.prefix:
            self._prefix_ids(root)
        return self._serialize(root)

    def finish(self, fragment: str) -> str:
        """The fragment with its objects in JATS shape."""
        if not fragment.strip():
            return fragment
        root = etree.fromstring(f"{_WRAP_OPEN}{fragment}</galley-wrap>", secure_parser())
        self._ranges(root)
        for element in list(root.iter("named-content")):
            if element.get("content-type") == "galley-equation":
                self._equation(element)
            elif element.get("content-type") == "galley-formula":
                element.tag = "inline-formula"
                del element.attrib["content-type"]
        for element in list(root.iter("boxed-text", "table-wrap")):
            if element.get("content-type") == _MARK + "table-wrap":
                self._table_wrap(element)
        for element in list(root.iter("boxed-text")):
            kind = (element.get("content-type") or "").removeprefix(_MARK)
            if kind == "unwrap":
                _unwrap(element)
            elif kind == "boxed-text":
                del element.attrib["content-type"]
                if not element.get("id"):  # JATS4R: display objects carry ids
                    self.formulas["boxed-text"] += 1
                    element.set("id", f"box-{self.formulas['boxed-text']}")
        for element in root.iter("fig", "fig-group"):
            self._label(element, element.get("id"))
            _caption_title(element.find("caption"))
            if element.tag == "fig" and (element.get("id") or "").startswith("tbl-"):
                element.tag = "table-wrap"  # a table given as an image
        boxes = {box.get("id") for box in root.iter("boxed-text") if box.get("id")}
        for xref in root.iter("xref"):  # a link to a box is a cross-reference to it
            if not xref.get("ref-type") and xref.get("rid") in boxes:
                xref.set("ref-type", "boxed-text")
        for element in root.iter("sec"):
            found = self.numbered.get(element.get("id") or "")
            if found is not None and found.label:
                _insert_label(element, found.label)
        for element in root.iter("inline-formula", "disp-formula"):
            self._formula_ids(element)
        if self.prefix:
            self._prefix_ids(root)
        return self._serialize(root)

    @staticmethod
    def _serialize(root: etree._Element) -> str:
        whole: str = etree.tostring(root, encoding="unicode")
        return whole[whole.index(">") + 1 : whole.rindex("</galley-wrap>")]

    def _prefix_ids(self, root: etree._Element) -> None:
        for element in root.iter(etree.Element):
            if element.get("id"):
                element.set("id", self.prefix + (element.get("id") or ""))
            if element.get("rid"):
                element.set(
                    "rid",
                    " ".join(
                        rid if rid.startswith("ref-") else self.prefix + rid
                        for rid in (element.get("rid") or "").split()
                    ),
                )

    def _ranges(self, root: etree._Element) -> None:
        """A collapsed range of a numeric style ("[1–3]", only its ends linked) becomes one
        xref to every reference it stands for: `rid` may list several (JATS IDREFS)."""
        for first in list(root.iter("xref")):
            if first.get("ref-type") != "bibr":
                continue
            last = first.getnext()
            dash = (first.tail or "").strip()
            if last is None or last.tag != "xref" or dash not in ("–", "-", "—"):
                continue
            start = self.numbers.get(first.get("rid") or "")
            end = self.numbers.get(last.get("rid") or "")
            if not (start and end and start.isdigit() and end.isdigit()):
                continue
            rids = [self.by_number.get(str(n)) for n in range(int(start), int(end) + 1)]
            if not all(rids):
                continue
            first.set("rid", " ".join(rid for rid in rids if rid))
            first.text = f"{first.text or ''}{first.tail}{last.text or ''}"
            first.tail = last.tail
            for attribute in ("alt",):
                first.attrib.pop(attribute, None)
            first.getparent().remove(last)

    def _label(self, element: etree._Element, identifier: str | None) -> None:
        found = self.numbered.get(identifier or "")
        if found is not None and found.label:
            _insert_label(element, found.label)

    def _equation(self, wrapper: etree._Element) -> None:
        formula = wrapper.find("disp-formula")
        image = wrapper.find("inline-graphic")
        if formula is None and image is not None:  # a display formula given as an image
            formula = etree.Element("disp-formula")
            image.tag = "graphic"
            image.addprevious(formula)
            formula.tail, image.tail = image.tail, None
            formula.append(image)
        if formula is not None:
            identifier = wrapper.get("id")
            if identifier:
                formula.set("id", identifier)
            self._label(formula, identifier)
        _unwrap(wrapper)

    def _table_wrap(self, box: etree._Element) -> None:
        wrap = box.find("table-wrap")
        if wrap is None:
            _unwrap(box)
            return
        identifier = box.get("id")
        if identifier:
            wrap.set("id", identifier)
        self._label(wrap, identifier)
        _caption_title(wrap.find("caption"))
        for notes in box.findall("boxed-text"):
            if notes.get("content-type") == _MARK + "table-notes":
                wrap.append(_table_foot(notes))
        box.addprevious(wrap)
        wrap.tail = box.tail
        box.getparent().remove(box)

    def _formula_ids(self, formula: etree._Element) -> None:
        tag = formula.tag
        identifier = formula.get("id")
        if not identifier:
            self.formulas[tag] += 1
            identifier = f"{tag}-{self.formulas[tag]}"
            formula.set("id", identifier)
        for child in formula.iter(f"{{{MML}}}math", "tex-math"):
            suffix = "mml" if child.tag == f"{{{MML}}}math" else "tex"
            child.set("id", f"{identifier}-{suffix}")
            if child.tag == "tex-math":
                child.text = tex_document(child.text or "", display=tag == "disp-formula")


# What PubMed Central asks of `tex-math` (its Style Checker: "a complete LaTeX document"), and
# what PLOS and others deposit: the formula in a document of its own, with the AMS packages.
TEX_PREAMBLE = (
    "\\documentclass[12pt]{minimal}\\usepackage{amsmath}\\usepackage{amssymb}"
    "\\usepackage{amsbsy}\\begin{document}"
)


def tex_document(tex: str, display: bool) -> str:
    """A formula's TeX as a complete LaTeX document (readers take it back out)."""
    body = f"\\[{tex.strip()}\\]" if display else f"${tex.strip()}$"
    return f"{TEX_PREAMBLE}{body}\\end{{document}}"


def _insert_label(element: etree._Element, text: str) -> None:
    """A `<label>` where JATS wants it: after object ids, before the caption or title."""
    label = etree.Element("label")
    label.text = text
    index = 0
    while index < len(element) and element[index].tag == "object-id":
        index += 1
    label.tail = element[index - 1].tail if index else element.text
    element.insert(index, label)


def _caption_title(caption: etree._Element | None) -> None:
    """A leading bold phrase, or a one-paragraph caption, is the caption's `<title>`."""
    if caption is None:
        return
    paragraphs = caption.findall("p")
    if not paragraphs:
        return
    first = paragraphs[0]
    lead = first[0] if len(first) else None
    if lead is not None and lead.tag == "bold" and not (first.text or "").strip():
        title = etree.Element("title")
        title.text = lead.text
        title.extend(list(lead))
        rest = (lead.tail or "").lstrip()
        first.remove(lead)
        first.text = rest
        caption.insert(caption.index(first), title)
        if not first.text and not len(first):
            caption.remove(first)
    elif len(paragraphs) == 1:
        first.tag = "title"


def _table_foot(notes: etree._Element) -> etree._Element:
    foot = etree.Element("table-wrap-foot")
    for child in list(notes):
        if child.tag == "boxed-text" and child.get("content-type") == _MARK + "table-fn":
            note = etree.SubElement(foot, "fn")
            if child.get("id"):
                note.set("id", child.get("id") or "")
            for marker in list(child.iter("named-content")):
                if marker.get("content-type") == "galley-label":
                    label = etree.SubElement(note, "label")
                    label.text = marker.text
                    _remove_keeping_tail(marker)
                    break
            for block in list(child):
                note.append(block)
        else:
            foot.append(child)
    return foot


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    tail = (element.tail or "").lstrip()
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    """Replace `element` by its content (text, children and tail kept in place)."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    text, tail = element.text or "", element.tail or ""
    children = list(element)
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if children:
        last = children[-1]
        last.tail = (last.tail or "") + tail
    elif index > 0:
        before = parent[index - 1]
        before.tail = (before.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
