"""JATS 1.3 Journal Publishing from the model: pandoc writes the text, Jinja the rest.

One document per article; its translations are `sub-article`s of type "translation" in it,
their ids prefixed with their language so every id stays unique.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from galley import languages, pandoc
from galley.ast import Node, RichText, cite_ids, iter_nodes, link, walk
from galley.credit import credit_term
from galley.model import Article
from galley.render import BuildInfo, Output, article_file, jats_body
from galley.templating import Templates

TEMPLATE = "jats/article.xml.jinja"

# CSL item type to JATS @publication-type (JATS4R's recommended values).
PUBLICATION_TYPES = {
    "article-journal": "journal",
    "article-magazine": "magazine",
    "article-newspaper": "newspaper",
    "article": "journal",
    "review": "journal",
    "review-book": "journal",
    "book": "book",
    "chapter": "book",
    "report": "report",
    "paper-conference": "confproc",
    "thesis": "thesis",
    "webpage": "webpage",
    "post": "webpage",
    "post-weblog": "blog",
    "dataset": "data",
    "software": "software",
    "patent": "patent",
    "standard": "standard",
    "legislation": "legal-doc",
    "legal_case": "legal-doc",
    "manuscript": "manuscript",
    "pamphlet": "report",
}
# Which element holds the title of a part inside a container (an article, a chapter).
PART_TITLES = {
    "chapter": "chapter-title",
    "paper-conference": "article-title",
    "dataset": "data-title",  # JATS4R: a data citation's title is its data-title
}


@dataclass(frozen=True)
class Text:
    """An article's (or a translation's) text as JATS fragments, ready for the templates."""

    article: Article
    fragments: dict[str, Markup]
    prefix: str = ""  # the id prefix of a translation's sub-article


def render(article: Article, templates: Templates, info: BuildInfo) -> Output:
    """The article as a JATS XML document."""
    templates.add_filters(
        jats_publication_type=lambda csl_type: PUBLICATION_TYPES.get(csl_type, "other"),
        jats_part_title=lambda csl_type: PART_TITLES.get(csl_type, "article-title"),
        credit_role=credit_term,
    )
    main = jats_text(article)
    translations = [jats_text(t, prefix=f"{t.lang}-") for t in article.translations]
    text = templates.render(
        TEMPLATE,
        article=article,
        fragments=main.fragments,
        translations=translations,
        words=lambda key: languages.label(key, article.lang),
    )
    return Output(
        article_file(article, "jats"),
        text.encode("utf-8"),
        "jats",
        "application/jats+xml",
        doi=article.doi,
    )


def jats_text(article: Article, prefix: str = "") -> Text:
    """Every piece of the article's text in JATS, in one pandoc call."""
    pieces: dict[str, RichText] = {"title": article.title}
    if article.subtitle:
        pieces["subtitle"] = article.subtitle
    if article.title_note:
        pieces["title-note"] = article.title_note.to_blocks()
    for title in article.translated_titles:
        pieces[f"trans-title:{title.lang}"] = title.title
        if title.subtitle:
            pieces[f"trans-subtitle:{title.lang}"] = title.subtitle
    for index, abstract in enumerate(article.abstracts):
        pieces[f"abstract:{index}"] = plain_headings(abstract.text.to_blocks())
    for index, contributor in enumerate(article.contributors):
        if contributor.note:
            pieces[f"author-note:{index}"] = contributor.note.to_blocks()
    if article.funding and article.funding.statement and not article.translation_of:
        pieces["funding-statement"] = article.funding.statement
    files = {file.asset.name for file in article.supplementary}
    for index, section in enumerate(article.back):
        pieces[f"back-title:{index}"] = section.title
        blocks = section.body.nodes
        if section.kind == "supplementary-material":  # the files are written apart
            blocks = [block for block in blocks if not _is_file_paragraph(block, files)]
        pieces[f"back:{index}"] = RichText.from_ast(
            "blocks", jats_body.prepare(link_citations(blocks))
        )
    for index, file in enumerate(article.supplementary):
        pieces[f"supp:{index}"] = file.caption.to_blocks()
        if file.label:
            pieces[f"supp-label:{index}"] = file.label
    body = jats_body.prepare(link_citations(article.body.nodes))
    fragments = pandoc.write("jats_publishing", pieces, body)
    finisher = jats_body.Finisher(article.numbered, article.references, prefix)
    done = {}
    for name, value in fragments.items():
        if name.startswith("supp:"):
            done[name] = Markup(finisher.caption(value.strip()))
        else:
            done[name] = Markup(finisher.finish(value.strip()))
    return Text(article, done, prefix)


def _is_file_paragraph(block: Node, files: set[str]) -> bool:
    """A supplementary section's paragraph that presents one of the article's files."""
    lead = block["c"][0] if block["t"] in ("Para", "Plain") and block["c"] else None
    return lead is not None and lead["t"] == "Link" and lead["c"][2][0] in files


def plain_headings(text: RichText) -> RichText:
    """Headings in an abstract (a structured abstract) are its sections, without ids of their
    own (they would clash with the body's)."""

    def visit(node: Node) -> Node | None:
        if node["t"] == "Header":
            node["c"][1][0] = ""
        return None

    return RichText.from_ast("blocks", walk(text.nodes, visit))


def link_citations(blocks: list[Node]) -> list[Node]:
    """Each citation's own links (citeproc links every item it prints) become xrefs to their
    references (JATS4R: ref-type="bibr"); the citation group itself is only their container."""

    def visit(node: Node) -> Node | list[Node] | None:
        if node["t"] != "Cite":
            return None
        content: list[Node] = node["c"][1]
        if not any(True for _ in iter_nodes(content, "Link")):  # a style that links nothing
            return [link(content, f"#ref-{cite_ids(node)[0]}")]
        return content

    result: list[Node] = walk(blocks, visit)
    return result
