"""The article's text for the HTML family (web page, e-book, print), written by one pandoc call.

The AST is adapted per format before pandoc writes it: notes are lifted out of the text so
each template lays them out its own way (a list with back links on the web, EPUB footnote
asides in the e-book, page-foot footnotes in print), and citations link to the reference list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup

from galley import pandoc
from galley.ast import Node, RichText, link, walk
from galley.model import Article

NotesMode = Literal["list", "epub", "inline"]

HTML_ARGS = ("--shift-heading-level-by=1", "--section-divs", "--mathml")


@dataclass(frozen=True)
class ArticleText:
    """Rendered fragments of one article, ready for a template (all are safe markup)."""

    title: Markup
    subtitle: Markup | None
    abstracts: dict[str, Markup]
    body: Markup
    notes: tuple[Markup, ...]
    references: dict[str, Markup]
    cite_as: Markup | None

    @property
    def title_text(self) -> str:
        return self.title.striptags()


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
    if mode == "inline":
        body, notes = inline_notes(article.body.nodes), list[RichText]()
    else:
        body, notes = lift_notes(article.body.nodes, lambda n: note_call(n, mode))
    if transform is not None:
        body = transform(body)
    pieces: dict[str, RichText] = {"title": article.title}
    if article.subtitle:
        pieces["subtitle"] = article.subtitle
    for abstract in article.abstracts:
        pieces[f"abstract:{abstract.lang}"] = abstract.text.to_blocks()
    for number, note in enumerate(notes, start=1):
        pieces[f"note:{number}"] = note
    for reference in article.references:
        if reference.formatted:
            pieces[f"ref:{reference.id}"] = reference.formatted
    if article.cite_as:
        pieces["cite-as"] = article.cite_as
    out = pandoc.write("html5", pieces, body, args=(*HTML_ARGS, *extra_args))

    def markup(name: str) -> Markup:
        return Markup(out.get(name, "").strip())

    return ArticleText(
        title=markup("title"),
        subtitle=markup("subtitle") if article.subtitle else None,
        abstracts={a.lang: markup(f"abstract:{a.lang}") for a in article.abstracts},
        body=markup("body"),
        notes=tuple(markup(f"note:{n}") for n in range(1, len(notes) + 1)),
        references={r.id: markup(f"ref:{r.id}") for r in article.references if r.formatted},
        cite_as=markup("cite-as") if article.cite_as else None,
    )


def render_titles(articles: Sequence[Article]) -> dict[str, Markup]:
    """The titles of many articles as HTML, in one pandoc call (for tables of contents)."""
    if not articles:
        return {}
    out = pandoc.write("html5", {f"title:{a.id}": a.title for a in articles})
    return {a.id: Markup(out[f"title:{a.id}"].strip()) for a in articles}
