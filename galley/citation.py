"""The "cite this article" line: the article as a CSL item, formatted by citeproc.

Computed by the reader, and again once issue make-up has given the article its pages.
"""

from __future__ import annotations

from typing import Any

from galley import pandoc
from galley.ast import RichText
from galley.model import Article


def cite_as(article: Article, title_markdown: str | None = None) -> RichText | None:
    """The article's own reference in the journal style.

    The line may follow other conventions than the reference list (`cite-as-locale`):
    Érudit's boxes use APA's English punctuation for every article.
    """
    journal = article.journal
    formatted = pandoc.format_references(
        [self_item(article, title_markdown)],
        csl=journal.csl,
        lang=journal.cite_as_locale or article.lang,
    )
    return formatted.get("galley-self")


def self_item(article: Article, title_markdown: str | None = None) -> dict[str, Any]:
    """The article itself as a CSL item, for the "cite this article" line."""
    issue = article.issue
    item: dict[str, Any] = {
        "id": "galley-self",
        "type": "article-journal",
        "title": title_markdown or article.title.plain,
        "container-title": issue.journal.title,
        "volume": issue.volume,
        "issue": issue.number,
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
    if article.fpage:
        item["page"] = f"{article.fpage}-{article.lpage}" if article.lpage else article.fpage
    return item
