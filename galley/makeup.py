"""The make-up: an article's pages, decided here and only here.

An article's citable place in its issue is one value, `model.Pages`: the range the source
declares (kept as declared, roman stays roman; a missing last page comes from the print
layout), an article number (continuous publication: no pages at all; the PDF's sheets count
from 1 and are claimed nowhere), or, with neither, the pages the issue's make-up gives it,
one article after the other. The per-article job (galley.jobs) asks here where an article
starts and what its pages are once laid out; the pipeline asks for articles it reuses; every
format then reads `article.pages`.
"""

from __future__ import annotations

from dataclasses import replace

from galley.citation import cite_as
from galley.identifiers import roman, roman_or_int
from galley.model import Article, Pages, Pagination


def declares_pages(article: Article) -> bool:
    """Whether the article's pages are its own: declared, or none at all (an article
    number: continuous publication has no pages)."""
    return roman_or_int(article.pages.first) is not None or numbered(article)


def numbered(article: Article) -> bool:
    """An article identified by an article number (e-location id) rather than pages."""
    return article.pages.numbered


def start_page(article: Article, next_page: int, start_on_recto: bool) -> int:
    """The article's first page: as declared, else the next one (the next recto if asked);
    an article-numbered one counts its own sheets from 1."""
    if numbered(article):
        return 1
    first = roman_or_int(article.pages.first)
    if first is not None:
        return first
    return next_page + 1 if start_on_recto and next_page % 2 == 0 else next_page


def page_after_unbuilt(article: Article, next_page: int) -> int:
    """Where the next article starts when this one is not laid out: after its declared end."""
    last = roman_or_int(article.pages.last)
    if declares_pages(article) and last is not None:
        return last + 1
    return next_page


def with_pages(article: Article, laid_out: Pagination, declared: bool) -> Article:
    """The article as every format sees it once its print pages are known.

    Declared pages stay as declared (a missing last page comes from the layout); pages
    nobody declared are the issue's make-up; an article-numbered article gets no pages at
    all: none may be claimed for it anywhere."""
    pages = article.pages
    if numbered(article):
        return replace(article, pagination=laid_out)  # the PDF's own sheets, claimed nowhere
    if declared:
        if pages.last and roman_or_int(pages.last) is not None:
            return replace(article, pagination=laid_out)
        pages = replace(pages, last=_folio(laid_out.last, pages.first))
    else:
        pages = Pages(str(laid_out.first), str(laid_out.last), origin="make-up")
    updated = replace(article, pages=pages, pagination=laid_out)
    return replace(updated, cite_as=cite_as(updated))


def _folio(number: int, like: str | None) -> str:
    """A page number written as the declared first page is (roman stays roman)."""
    if like and not like.isdigit():
        return roman(number, upper=like.isupper())
    return str(number)
