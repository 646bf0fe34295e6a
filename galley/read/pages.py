"""Pages as the source declares them: a page range, an article number, or none (the
issue's make-up then gives them).
"""

from __future__ import annotations

import re

from galley.codes import Code
from galley.diagnostics import Diagnostic, error
from galley.identifiers import parse_pages, roman_or_int
from galley.model import Pages
from galley.read.frontmatter import HINTS
from galley.sourceschema import ArticleSource
from galley.yamlsource import LineMap

_ELOCATION = re.compile(r"^[A-Za-z]+\d{5,}$")


def read_pages(source: ArticleSource, linemap: LineMap, problems: list[Diagnostic]) -> Pages:
    """The pages (or article number) as declared; never guessed."""
    citation = source.citation
    where = linemap.span(("citation", "page"))
    number = citation.article_number
    fpage: str | None = None
    lpage: str | None = None
    if citation.page:
        pages = parse_pages(citation.page)
        if pages is None:
            problems.append(
                error(
                    Code.ARTICLE_PAGES,
                    f"'{citation.page}' is not a page range",
                    where,
                    HINTS["page"],
                )
            )
            return Pages(number=number)
        fpage, lpage = pages
        if lpage is None and _ELOCATION.match(fpage):
            problems.append(
                error(
                    Code.ARTICLE_PAGE_ELOCATION,
                    f"'{fpage}' looks like an article number (e-location id), not a page",
                    where,
                    f"write `article-number: {fpage}` under `citation:` instead of `page:`",
                )
            )
            return Pages(number=number)
    elif citation.page_first:
        fpage = citation.page_first
    if fpage and number:
        problems.append(
            error(
                Code.ARTICLE_PAGES_AND_NUMBER,
                "the article declares both pages and an article number",
                linemap.span(("citation", "article-number")),
                "keep the one the journal publishes: `page:` for a print issue, "
                "`article-number:` for continuous publication",
            )
        )
    first, last = roman_or_int(fpage), roman_or_int(lpage)
    if first is not None and last is not None and first > last:
        problems.append(
            error(
                Code.ARTICLE_PAGE_ORDER,
                f"first page {fpage} comes after last page {lpage}",
                where,
                "write the range as first-last, e.g. 27-37",
            )
        )
    return Pages(fpage, lpage, number, "declared" if fpage else "")
