"""JATS 1.3 Journal Publishing from the model: pandoc writes the text, Jinja the rest."""

from __future__ import annotations

from markupsafe import Markup

from galley import pandoc
from galley.ast import Node, RichText, cite_ids, link, walk
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
PART_TITLES = {"chapter": "chapter-title", "paper-conference": "article-title"}


def render(article: Article, templates: Templates, info: BuildInfo) -> Output:
    """The article as a JATS XML document."""
    templates.add_filters(
        jats_publication_type=lambda csl_type: PUBLICATION_TYPES.get(csl_type, "other"),
        jats_part_title=lambda csl_type: PART_TITLES.get(csl_type, "article-title"),
    )
    pieces: dict[str, RichText] = {"title": article.title}
    if article.subtitle:
        pieces["subtitle"] = article.subtitle
    for abstract in article.abstracts:
        pieces[f"abstract:{abstract.lang}"] = abstract.text.to_blocks()
    body = jats_body.prepare(link_citations(article.body.nodes))
    fragments = pandoc.write("jats_publishing", pieces, body)
    finisher = jats_body.Finisher(article.numbered)
    text = templates.render(
        TEMPLATE,
        article=article,
        fragments={
            name: Markup(finisher.finish(value.strip())) for name, value in fragments.items()
        },
    )
    return Output(
        article_file(article, "jats"),
        text.encode("utf-8"),
        "jats",
        "application/jats+xml",
        doi=article.doi,
    )


def link_citations(blocks: list[Node]) -> list[Node]:
    """Each citation becomes an xref to its reference (JATS4R: ref-type="bibr")."""

    def visit(node: Node) -> Node | None:
        if node["t"] != "Cite":
            return None
        ids = cite_ids(node)
        content = _unlink(node["c"][1])
        # pandoc's JATS writer gives links to #ref-* the ref-type "bibr".
        return link(content, f"#ref-{ids[0]}")

    result: list[Node] = walk(blocks, visit)
    return result


def _unlink(inlines: list[Node]) -> list[Node]:
    """citeproc already linked the year inside the citation; JATS forbids nested xrefs."""
    return walk(inlines, lambda node: node["c"][1] if node["t"] == "Link" else None)  # type: ignore[no-any-return]
