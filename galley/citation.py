"""The "cite this article" line: the article as a CSL item, formatted by citeproc.

Computed by the reader, and again once issue make-up has given the article its pages.
"""

from __future__ import annotations

import re
import string
from typing import Any

from galley import pandoc
from galley.ast import Node, RichText, walk
from galley.model import Article

# A formula cannot pass through citeproc: it goes in as a protected token and comes back.
_TOKEN = "GALLEYMATH{}"
_TOKENS = re.compile(r"GALLEYMATH(\d+)")
_MARKUP = {
    "Emph": ("*", "*"),
    "Strong": ("**", "**"),
    "Superscript": ("^", "^"),
    "Subscript": ("~", "~"),
    "Strikeout": ("~~", "~~"),
    "SmallCaps": ("[", "]{.smallcaps}"),
    "Underline": ("[", "]{.underline}"),
}


def cite_as(article: Article) -> RichText | None:
    """The article's own reference in the journal style.

    The line may follow other conventions than the reference list (`cite-as-locale`):
    Érudit's boxes use APA's English punctuation for every article.
    """
    journal = article.journal
    title, formulas = csl_title(article.title.nodes)
    formatted = pandoc.format_references(
        [self_item(article, title)],
        csl=journal.csl,
        lang=journal.cite_as_locale or article.lang,
    )
    entry = formatted.get("galley-self")
    if entry is None:
        return None
    found = entry.text  # never its number: a numeric style would print "1." before it
    if not formulas:
        return found
    return RichText.from_ast(found.kind, _restore(found.nodes, formulas))


def csl_title(nodes: list[Node]) -> tuple[str, list[Node]]:
    """The title as the Markdown citeproc reads (pandoc parses CSL fields as Markdown),
    its formulas replaced by tokens protected from case changes."""
    formulas: list[Node] = []

    def write(items: list[Node]) -> str:
        out = []
        for node in items:
            tag = node["t"]
            if tag == "Str":
                out.append("".join(f"\\{c}" if c in string.punctuation else c for c in node["c"]))
            elif tag in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif tag == "Math":
                formulas.append(node)
                out.append(f"[{_TOKEN.format(len(formulas) - 1)}]{{.nocase}}")
            elif tag in _MARKUP:
                before, after = _MARKUP[tag]
                out.append(f"{before}{write(node['c'])}{after}")
            elif tag in ("Span", "Link", "Quoted"):
                out.append(write(node["c"][1]))
            elif tag == "Code":
                out.append(node["c"][1])
        return "".join(out)

    return write(nodes), formulas


def _restore(nodes: list[Node], formulas: list[Node]) -> list[Node]:
    def visit(node: Node) -> list[Node] | None:
        if node["t"] != "Str" or "GALLEYMATH" not in node["c"]:
            return None
        parts: list[Node] = []
        for index, piece in enumerate(_TOKENS.split(node["c"])):
            if index % 2:
                parts.append(formulas[int(piece)])
            elif piece:
                parts.append({"t": "Str", "c": piece})
        return parts

    result: list[Node] = walk(nodes, visit)
    return result


def self_item(article: Article, title: str | None = None) -> dict[str, Any]:
    """The article itself as a CSL item, for the "cite this article" line."""
    issue = article.issue
    item: dict[str, Any] = {
        "id": "galley-self",
        "type": "article-journal",
        "title": title if title is not None else article.title.plain,
        "container-title": issue.journal.title,
        "volume": issue.volume,
        "issued": {"date-parts": [[article.date.year]]},
        "DOI": article.doi,
        # The item's own language: English styles must not title-case a French title.
        "language": article.lang,
        "author": [
            {
                k: v
                for k, v in (
                    ("family", c.name.family),
                    ("given", c.name.given),
                    ("literal", c.name.literal),
                )
                if v
            }
            for c in article.contributors
        ],
    }
    if not article.doi:  # a translation published without a DOI of its own
        del item["DOI"]
    if issue.number:
        item["issue"] = issue.number
    if article.pages.range:
        item["page"] = article.pages.range
    elif article.pages.number:
        # Where CSL styles look for an e-location id (PLOS: "12: e0200001"); never a page.
        item["page"] = article.pages.number
    return item
