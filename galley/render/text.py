"""The article's text for the HTML family (web page, e-book, print), written by one pandoc call.

The AST is adapted per format before pandoc writes it: notes are lifted out of the text so
each template lays them out its own way (a list with back links on the web, EPUB footnote
asides in the e-book, page-foot footnotes in print), and citations link to the reference list.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from markupsafe import Markup

from galley import languages, pandoc
from galley.ast import Node, RichText, attr, headings, link, span, stringify, walk
from galley.model import Article, NumberedObject, TypesetFormula
from galley.typography import codes_whole

NotesMode = Literal["list", "epub", "inline"]

WIDE_TABLE = 6  # columns beyond which a table is set smaller
LANDSCAPE_TABLE = 9  # ... and beyond which print turns its page
# The width (in ex, as MathJax measured it) beyond which an inline formula may not fit a
# phone's column: 320 px at 200 % zoom hold about 38 ex of STIX Two Math.
WIDE_FORMULA = 30.0

HTML_ARGS = (
    "--shift-heading-level-by=1",
    "--section-divs",
    "--mathml",
    "--syntax-highlighting=none",
)


@dataclass(frozen=True)
class ArticleText:
    """Rendered fragments of one article, ready for a template (all are safe markup)."""

    title: Markup
    subtitle: Markup | None
    abstracts: tuple[Markup, ...]  # in the order of article.abstracts
    body: Markup
    notes: tuple[Markup, ...]
    references: dict[str, Markup]
    cite_as: Markup | None
    translated_titles: dict[str, Markup] = field(default_factory=dict)
    author_notes: dict[int, Markup] = field(default_factory=dict)  # by contributor index
    funding_statement: Markup | None = None
    title_note: Markup | None = None
    title_plain: str = ""  # the title as text, formulas in Unicode (RichText.plain)

    @property
    def title_text(self) -> str:
        """The title where only text goes (metadata, a PDF's Title): never a formula's TeX,
        which the rendered markup keeps in its MathML annotation."""
        return self.title_plain or self.title.striptags()


def note_call(number: int, mode: NotesMode) -> Node:
    """The superscript call of note `number`, linked to the note."""
    pairs = [("role", "doc-noteref")]
    if mode == "epub":
        pairs.append(("epub:type", "noteref"))
    anchor = link(
        [{"t": "Str", "c": str(number)}],
        f"#fn{number}",
        identifier=f"fnref{number}",
        classes=["footnote-ref"],
        pairs=pairs,
    )
    return {"t": "Superscript", "c": [anchor]}


def lift_notes(
    blocks: list[Node], make_call: Callable[[int], Node]
) -> tuple[list[Node], list[RichText]]:
    """Replace every note by its call; return the text and the notes in order."""
    notes: list[RichText] = []

    def visit(node: Node) -> Node | None:
        if node["t"] != "Note":
            return None
        notes.append(RichText.from_ast("blocks", node["c"]))
        return make_call(len(notes))

    body: list[Node] = walk(blocks, visit)
    return body, notes


def inline_notes(blocks: list[Node]) -> list[Node]:
    """Each note becomes a span at its call, which print CSS floats to the page foot."""

    def visit(node: Node) -> Node | None:
        if node["t"] != "Note":
            return None
        inlines: list[Node] = []
        for index, block in enumerate(node["c"]):
            if index:
                inlines.append({"t": "Space"})
            inlines.extend(block["c"] if block["t"] in ("Para", "Plain") else [])
        return {"t": "Span", "c": [["", ["footnote"], []], inlines]}

    result: list[Node] = walk(blocks, visit)
    return result


def render_text(
    article: Article,
    mode: NotesMode,
    extra_args: tuple[str, ...] = (),
    transform: Callable[[list[Node]], list[Node]] | None = None,
) -> ArticleText:
    """Every text fragment of `article` as HTML5, in one pandoc call.

    `transform` adapts the body's AST further (page markers, print typography).
    """
    blocks = numbered_objects(article.body.nodes + back_blocks(article), article)
    if mode != "list":  # a book or a print page cannot link to the files beside the article
        blocks = unlink_files(blocks, {file.asset.name for file in article.supplementary})
    if mode == "inline":
        body, notes = inline_notes(blocks), list[RichText]()
    else:
        body, notes = lift_notes(blocks, lambda n: note_call(n, mode))
    if transform is not None:
        body = transform(body)
    pieces: dict[str, RichText] = {"title": article.title}
    if article.subtitle:
        pieces["subtitle"] = article.subtitle
    if article.title_note:
        pieces["title-note"] = article.title_note
    for title in article.translated_titles:
        pieces[f"trans-title:{title.lang}"] = title.title
    for index, abstract in enumerate(article.abstracts):
        pieces[f"abstract:{index}"] = abstract_blocks(abstract.text)
    for index, contributor in enumerate(article.contributors):
        if contributor.note:
            pieces[f"author-note:{index}"] = contributor.note
    if article.funding and article.funding.statement:
        pieces["funding-statement"] = article.funding.statement
    for number, note in enumerate(notes, start=1):
        pieces[f"note:{number}"] = note
    for reference in article.references:
        if reference.formatted:
            pieces[f"ref:{reference.id}"] = reference.formatted
    if article.cite_as:
        pieces["cite-as"] = article.cite_as
    svgs = {(f.tex, f.display): f for f in article.formulas}

    def piece_transform(nodes: list[Node]) -> list[Node]:
        if mode == "inline":  # print: MathJax's SVG where the screen formats show MathML
            return codes_whole(print_math(nodes, svgs))
        return codes_whole(scroll_formulas(nodes, svgs, article.lang))

    body = piece_transform(body)
    out = pandoc.write(
        "html5", pieces, body, args=(*HTML_ARGS, *extra_args), transform=piece_transform
    )

    def markup(name: str) -> Markup:
        return Markup(rendered_html(out.get(name, "").strip()))

    return ArticleText(
        title_plain=article.title.plain,
        title=markup("title"),
        subtitle=markup("subtitle") if article.subtitle else None,
        title_note=markup("title-note") if article.title_note else None,
        abstracts=tuple(markup(f"abstract:{i}") for i in range(len(article.abstracts))),
        body=markup("body"),
        notes=tuple(markup(f"note:{n}") for n in range(1, len(notes) + 1)),
        references={r.id: markup(f"ref:{r.id}") for r in article.references if r.formatted},
        cite_as=markup("cite-as") if article.cite_as else None,
        translated_titles={
            t.lang: markup(f"trans-title:{t.lang}") for t in article.translated_titles
        },
        author_notes={
            i: markup(f"author-note:{i}") for i, c in enumerate(article.contributors) if c.note
        },
        funding_statement=markup("funding-statement") if "funding-statement" in pieces else None,
    )


def back_blocks(article: Article) -> list[Node]:
    """The back-matter sections (acknowledgements, data availability...) as the end of the
    text, each under its own heading, as readers of the web, the e-book and print see them."""
    blocks: list[Node] = []
    for section in article.back:
        header = {
            "t": "Header",
            "c": [1, attr(section.id, ["back-section", section.kind]), section.title.nodes],
        }
        blocks += [header, *section.body.nodes]
    return blocks


def abstract_blocks(text: RichText) -> RichText:
    """An abstract's own headings (a structured abstract) sit under its heading, without the
    ids that would clash with the body's, and without an empty one."""

    untitled: list[int] = []

    def visit(node: Node) -> Node | list[Node] | None:
        if node["t"] == "Header":
            node["c"][0] = min(node["c"][0] + 1, 6)
            node["c"][1][0] = ""
            return _outlined(node, untitled)  # PLOS's summaries: `<sec><title/>` inside
        return None

    blocks = text.to_blocks()
    result: list[Node] = walk(blocks.nodes, visit)
    return RichText.from_ast("blocks", result)


# texmath writes a formula's accents as combining marks alone in an `<mo>` (the Nu checker
# warns of a text run that starts with one, and Chromium sets most of them off to the left):
# over one letter the spacing form, centred; over more, a hat stays combining, the one
# Chromium stretches across them (\widehat), and a tilde is "~", which stretches a little.
_OVER_ONE = {
    "\u0300": "`",
    "\u0301": "\u00b4",
    "\u0302": "\u02c6",
    "\u0303": "\u02dc",
    "\u0304": "\u00af",
    "\u0306": "\u02d8",
    "\u0307": "\u02d9",
    "\u0308": "\u00a8",
    "\u030a": "\u02da",
    "\u030c": "\u02c7",
}
_OVER_MORE = {**_OVER_ONE, "\u0302": "\u0302", "\u0303": "~"}
_ONE_ACCENT = re.compile(
    r"(<mover[^>]*><m[ino][^>]*>[^<]*</m[ino]><mo[^>]*>)([\u0300-\u030c])(</mo>)"
)
_ACCENT = re.compile(r"(<mo[^>]*>)([\u0300-\u030c])(</mo>)")


def rendered_html(html: str) -> str:
    """pandoc's HTML as every format wants it (web page, e-book, print): in Unicode's
    composed form (NFC: "ẑ", not "z" and a combining circumflex, as some JATS files spell
    it), and formulas' accents as Chromium draws them over their letters (see _OVER_ONE)."""
    html = _ONE_ACCENT.sub(lambda m: m[1] + _OVER_ONE.get(m[2], m[2]) + m[3], html)
    html = _ACCENT.sub(lambda m: m[1] + _OVER_MORE.get(m[2], m[2]) + m[3], html)
    return unicodedata.normalize("NFC", html)


def inner_markup(wrapper: Any) -> Markup:
    """What a parsed fragment's wrapper holds, as markup again (the wrapper left out)."""
    from lxml import html

    return Markup(
        (wrapper.text or "")
        + "".join(html.tostring(child, encoding="unicode") for child in wrapper)
    )


def unlink_files(blocks: list[Node], names: set[str]) -> list[Node]:
    """Links to files published beside the article keep their text only."""

    def visit(node: Node) -> list[Node] | None:
        if node["t"] == "Link" and node["c"][2][0] in names:
            content: list[Node] = node["c"][1]
            identifier = node["c"][0][0]  # what cross-references to the file point at
            return [{"t": "Span", "c": [attr(identifier), content]}] if identifier else content
        return None

    result: list[Node] = walk(blocks, visit)
    return result


def numbered_objects(blocks: list[Node], article: Article) -> list[Node]:
    """Labels, alt text and scroll boxes of figures, tables and equations, for the HTML
    family (web page, e-book, print): "Figure 1." before a caption, "(1)" beside an
    equation, and an alt text on every image."""
    numbered = article.numbered
    delimiter = languages.typography("caption-delimiter", article.lang) or ""
    untitled: list[int] = []  # the levels of the untitled sections the walk is in

    def visit(node: Node) -> Node | list[Node] | None:
        tag = node["t"]
        if tag == "Figure":
            _label_figure(node, numbered.get(node["c"][0][0]), delimiter)
        elif tag == "Div" and "table-wrap" in node["c"][0][1]:
            _label_table(node, numbered.get(node["c"][0][0]), delimiter, article.lang)
        elif tag == "Div" and "table-fn" in node["c"][0][1]:
            _label_table_note(node)
        elif tag == "Span" and "equation" in node["c"][0][1]:
            obj = numbered.get(node["c"][0][0])
            _name_formula_images(node, obj.reference if obj else None, article.lang)
            return _equation(node, obj, article.lang)
        elif tag == "Span" and "formula" in node["c"][0][1]:
            _name_formula_images(node, None, article.lang)
        elif tag == "Math" and node["c"][0]["t"] == "DisplayMath":
            return _equation(span([node], classes=["equation"]), None, article.lang)
        elif tag == "Header":
            return _outlined(node, untitled)
        elif tag == "Image" and not node["c"][1] and "alt" not in dict(node["c"][0][2]):
            node["c"][0][2].append(["alt", ""])  # no words for it given: said by the reader
        elif tag == "Link" and {"xref", "table-fn-ref"} & set(node["c"][0][1]):
            node["c"][0][2] = [pair for pair in node["c"][0][2] if pair[0] != "ref-type"]
        return None

    result: list[Node] = walk(blocks, visit)
    return result


def _outlined(header: Node, untitled: list[int]) -> Node | list[Node] | None:
    """A section the original left untitled (`<title/>`, PLOS's retraction notices and
    unnamed subsections) has no empty heading, its id kept for the links to it, and the
    headings inside it move up a level: an h4 never follows an h2 (Nu, Ace)."""
    level = header["c"][0]
    while untitled and untitled[-1] >= level:  # a heading at its level ends such a section
        untitled.pop()
    if not stringify(header["c"][2]).strip():
        untitled.append(level)
        identifier = header["c"][1][0]
        return [{"t": "Div", "c": [attr(identifier), []]}] if identifier else []
    if untitled:
        header["c"][0] = max(1, level - len(untitled))
        return header
    return None


def _caption_label(text: str) -> list[Node]:
    return [span(RichText.text(text).nodes, classes=["caption-label"]), {"t": "Space"}]


def _prefix_caption(blocks: list[Node], label: list[Node]) -> None:
    if blocks and blocks[0]["t"] in ("Plain", "Para"):
        blocks[0]["c"][:0] = label
    else:
        blocks.insert(0, {"t": "Plain", "c": label[:-1]})


def _label_figure(node: Node, obj: NumberedObject | None, delimiter: str) -> None:
    (_identifier, _classes, _pairs), caption, content = node["c"]
    if obj is not None:
        text = obj.label if obj.parent else f"{obj.label}{delimiter}"
        _prefix_caption(caption[1], _caption_label(text))
    for block in content:
        for image in (n for n in block.get("c", []) if isinstance(n, dict) and n["t"] == "Image"):
            pairs = image["c"][0][2]
            if not image["c"][1] and not dict(pairs).get("alt"):
                # No fig-alt: name the figure (its caption follows); never repeat the caption,
                # or pandoc hides the caption from screen readers. The image itself was seen
                # first (the walk is bottom-up) and given an empty alt: replaced.
                pairs[:] = [pair for pair in pairs if pair[0] != "alt"]
                pairs.append(["alt", obj.reference if obj else ""])


def _label_table(node: Node, obj: NumberedObject | None, delimiter: str, lang: str) -> None:
    (_identifier, classes, pairs), content = node["c"]
    name = obj.reference if obj else languages.label("scroll-table", lang)
    pairs += [["role", "group"], ["aria-label", name], ["tabindex", "0"]]
    table = content[0]
    columns = len(table["c"][2])
    if columns > WIDE_TABLE:
        classes.append("wide")
    if columns > LANDSCAPE_TABLE:
        classes.append("landscape")  # print sets it on a page of its own, turned
    if obj is not None:
        _prefix_caption(table["c"][1][1], _caption_label(f"{obj.label}{delimiter}"))


def _label_table_note(node: Node) -> None:
    (_identifier, _classes, pairs), blocks = node["c"]
    label = dict(pairs).pop("label", "")
    node["c"][0][2] = [pair for pair in pairs if pair[0] != "label"]
    call = {"t": "Superscript", "c": [{"t": "Str", "c": label}]}
    _prefix_caption(blocks, [span([call], classes=["table-fn-label"]), {"t": "Space"}])


def _name_formula_images(node: Node, name: str | None, lang: str) -> None:
    """A formula given as an image and no text of its own is named for what it is
    ("Equation 3", "Formula"), as a figure without `fig-alt` is: never left unnamed."""
    for image in (n for n in node["c"][1] if n["t"] == "Image" and not n["c"][1]):
        image["c"][0][2].append(["alt", name or languages.label("formula", lang)])


def _equation(node: Node, obj: NumberedObject | None, lang: str) -> Node:
    (identifier, classes, _pairs), content = node["c"]
    inner = content[0] if len(content) == 1 else None
    if inner is not None and inner["t"] == "Span" and "equation" in inner["c"][0][1]:
        content = inner["c"][1][0]["c"][1]  # already boxed as an unlabelled equation
    name = obj.reference if obj else languages.label("scroll-equation", lang)
    box = span(
        content,
        classes=["equation-body"],
        pairs=[("role", "group"), ("aria-label", name), ("tabindex", "0")],
    )
    parts = [box]
    if obj is not None:
        parts.append(span(RichText.text(obj.label).nodes, classes=["equation-label"]))
    return {"t": "Span", "c": [attr(identifier, classes), parts]}


def scroll_formulas(
    nodes: list[Node], svgs: dict[tuple[str, bool], TypesetFormula], lang: str
) -> list[Node]:
    """An inline formula that may be wider than a phone's column sits in a box that scrolls
    sideways, which a keyboard can reach and a screen reader names ("Formula"): a `math`
    that scrolls by itself cannot take the focus (Ace: scrollable-region-focusable)."""
    name = languages.label("formula", lang)

    def visit(node: Node) -> Node | None:
        if node["t"] != "Math" or node["c"][0]["t"] != "InlineMath":
            return None
        formula = svgs.get((node["c"][1], False))
        if formula is not None and float(formula.width.removesuffix("ex")) <= WIDE_FORMULA:
            return None
        pairs = [("role", "group"), ("aria-label", name), ("tabindex", "0")]
        return span([node], classes=["formula-scroll"], pairs=pairs)

    result: list[Node] = walk(nodes, visit)
    return result


def print_math(nodes: list[Node], svgs: dict[tuple[str, bool], TypesetFormula]) -> list[Node]:
    """Every formula as the SVG MathJax typeset (an image with its TeX as alt text)."""

    def visit(node: Node) -> Node | None:
        if node["t"] != "Math":
            return None
        display = node["c"][0]["t"] == "DisplayMath"
        formula = svgs.get((node["c"][1], display))
        if formula is None:
            return None  # the reader typeset every formula; left as MathML text if not
        data = base64.b64encode(formula.svg.encode("utf-8")).decode("ascii")
        # No height: the print stylesheet scales a formula wider than the column whole, its
        # height following its width (a fixed height squeezed the glyphs sideways).
        style = f"width:{formula.width};vertical-align:{formula.vertical_align}"
        html = Markup(
            '<img class="math {kind}" alt="{alt}" src="data:image/svg+xml;base64,{data}" '
            'style="{style}">'
        ).format(
            kind="display" if display else "inline",
            alt=formula.tex.strip(),
            data=data,
            style=style,
        )
        return {"t": "RawInline", "c": ["html", str(html)]}

    result: list[Node] = walk(nodes, visit)
    return result


def render_titles(articles: Sequence[Article]) -> dict[str, Markup]:
    """The titles of many articles as HTML, in one pandoc call (for tables of contents), as
    the article's own pages give them."""
    if not articles:
        return {}
    out = pandoc.write("html5", {f"title:{a.id}": a.title for a in articles}, transform=codes_whole)
    return {a.id: Markup(rendered_html(out[f"title:{a.id}"].strip())) for a in articles}


def outline(article: Article, href: str = "") -> list[dict[str, Any]]:
    """The article's sections (two levels) and the back matter a reader looks for (each
    marked section, the funding, the references), as links into `href`: the e-book's
    navigation and the web page's outline."""
    sections: list[dict[str, Any]] = []
    for level, identifier, label in headings(article.body.nodes):
        entry = {"href": f"{href}#{identifier}", "label": label, "children": []}
        if level == 1 or not sections:
            sections.append(entry)
        else:
            sections[-1]["children"].append(entry)
    ends = [(section.id, section.title.plain) for section in article.back]
    if article.funding:
        ends.append(("funding", languages.label("funding", article.lang)))
    if article.references:
        ends.append(("references", languages.label("references", article.lang)))
    sections += [{"href": f"{href}#{key}", "label": name, "children": []} for key, name in ends]
    return sections
