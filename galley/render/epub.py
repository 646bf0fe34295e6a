"""The e-book editions: an EPUB 3 per article and one per issue, from Jinja XHTML/OPF templates.

The zip is assembled deterministically (fixed order, fixed timestamps from SOURCE_DATE_EPOCH
or the publication date, `mimetype` first and stored), so the same source gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import textwrap
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from galley import languages
from galley.ast import Node, iter_nodes, walk
from galley.fonts import math_font
from galley.model import Article, Date, IssueContents, Journal
from galley.pagination import mark_pages, page_marker, reference_pages
from galley.render import BuildInfo, Output, article_file, issue_epub
from galley.render.text import ArticleText, outline, render_text
from galley.templating import Templates
from galley.zipfiles import deterministic_zip

MEDIA_TYPE = "application/epub+zip"
STYLESHEET = "epub/epub.css"
MATH_STYLESHEET = "epub/math.css"


@dataclass(frozen=True)
class Chapter:
    """One article inside a book: its file name, model and rendered text."""

    href: str
    article: Article
    text: ArticleText
    sections: list[dict[str, Any]] = field(default_factory=list)
    reference_pages: dict[str, int] = field(default_factory=dict)
    pages: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CoverLine:
    kind: str
    text: str
    y: float
    size: float


# The cover's text area (the band below the journal's name, above the publisher's rule) and
# each kind of line's type size; an average serif letter is about half its size wide.
COVER_WIDTH, COVER_TOP, COVER_BOTTOM = 520, 260, 780
COVER_SIZES = {
    "journal": 40.0,
    "title": 38.0,
    "theme": 38.0,
    "issue": 28.0,
    "author": 28.0,
    "publisher": 20.0,
}
LETTER = 0.58  # an average letter's width, in ems, of the cover's serif (measured in Chromium)


def cover_layout(
    lines: list[tuple[str, str]], top: float = COVER_TOP, bottom: float = COVER_BOTTOM
) -> list[CoverLine]:
    """Every line wrapped to the cover's width, and the type made smaller until all of it
    fits between `top` and `bottom`: a long title or list of authors is never cut off."""
    scale = 1.0
    while True:
        placed: list[CoverLine] = []
        y = top
        for kind, text in lines:
            if not text:
                continue
            size = COVER_SIZES.get(kind, 28.0) * scale
            width = max(8, int(COVER_WIDTH / (size * LETTER)))
            for line in textwrap.wrap(text, width) or [""]:
                y += size * 1.4
                placed.append(CoverLine(kind, line, round(y, 1), round(size, 1)))
            y += size * 0.3
        if y <= bottom or scale < 0.3:
            return placed
        scale *= 0.9


@dataclass(frozen=True)
class Book:
    """What the package templates need to describe a book."""

    identifier: str
    title: str
    lang: str
    journal: Journal
    date: Date
    modified: str
    chapters: list[Chapter]
    cover_lines: list[tuple[str, str]]
    description: str | None = None
    issue_title: str | None = None
    page_list: list[dict[str, str]] = field(default_factory=list)
    page_source: str = ""  # the print edition the page list follows (pageBreakSource)

    @property
    def masthead(self) -> list[CoverLine]:
        """The journal's name, in the band at the top of the cover."""
        return cover_layout([line for line in self.cover_lines if line[0] == "journal"], 60, 190)

    @property
    def cover(self) -> list[CoverLine]:
        return cover_layout([line for line in self.cover_lines if line[0] != "journal"])

    @property
    def imprint(self) -> list[CoverLine]:
        """The publisher's name, below the rule at the foot of the cover."""
        return cover_layout([("publisher", self.journal.publisher or "")], 815, 885)

    def summary(self, a11y: Accessibility) -> str:
        """The accessibility summary, saying only what this book holds."""
        parts = [languages.label("a11y-structure", self.lang)]
        if a11y.visual:
            kind = "described" if a11y.all_described else "undescribed"
            count = "figure" if a11y.figures == 1 else "figures"  # "1 image", not "1 images"
            parts.append(languages.label(f"a11y-{count}-{kind}", self.lang).format(n=a11y.figures))
        if a11y.math:
            parts.append(languages.label("a11y-math", self.lang))
        if a11y.page_list:
            parts.append(languages.label("a11y-pages", self.lang))
        return "; ".join(parts) + "."


def render_article(article: Article, templates: Templates, info: BuildInfo) -> Output:
    """The article as a standalone e-book."""
    chapter = _chapter(article)
    cover = [
        ("journal", article.journal.title),
        (
            "issue",
            _issue_words(
                article.issue.volume,
                article.issue.number,
                article.issue.date,
                article.lang,
                templates,
            ),
        ),
    ]
    cover += [("title", chapter.text.title_text)]
    cover += [("author", ", ".join(c.name.display for c in article.contributors))]
    book = Book(
        identifier=article.identifier,
        title=chapter.text.title_text,
        lang=article.lang,
        journal=article.journal,
        date=article.date,
        modified=_modified(info, article.date),
        chapters=[chapter],
        cover_lines=cover,
        page_list=chapter.pages,
        page_source=article.identifier,
        description=article.abstract.text.plain if article.abstract else None,
        issue_title=article.issue.title,
    )
    data = _package(book, templates)
    return Output(article_file(article, "epub"), data, "epub", MEDIA_TYPE, doi=article.doi)


def render_issue(contents: IssueContents, templates: Templates, info: BuildInfo) -> Output:
    """The whole issue as one e-book: cover, table of contents, every article in order."""
    issue, journal = contents.issue, contents.issue.journal
    chapters = [_chapter(article) for article in contents.articles]
    words = _issue_words(issue.volume, issue.number, issue.date, journal.lang, templates)
    cover = [("journal", journal.title), ("issue", words)]
    cover += [("theme", issue.title or "")]
    key = f"{journal.url or journal.id}#volume={issue.volume}&issue={issue.number or ''}"
    book = Book(
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}",
        title=f"{journal.title}, {words}" + (f" : {issue.title}" if issue.title else ""),
        lang=journal.lang,
        journal=journal,
        date=issue.date,
        modified=_modified(info, issue.date),
        chapters=chapters,
        cover_lines=cover,
        page_list=[page for chapter in chapters for page in chapter.pages],
        page_source=_issue_source(contents),
        issue_title=issue.title,
    )
    data = _package(book, templates)
    path = issue_epub(contents)
    return Output(path, data, "epub", MEDIA_TYPE)


def _issue_source(contents: IssueContents) -> str:
    """The printed issue the page list follows: its ISSN, volume and number."""
    issue, journal = contents.issue, contents.issue.journal
    issn = journal.issn_print or journal.issn_electronic
    where = f"urn:issn:{issn}" if issn else journal.title
    return f"{where} ({issue.label}, {issue.date.year})"


def _issue_words(
    volume: str, number: str | None, date: Date, lang: str, templates: Templates
) -> str:
    season = f"{date.season} " if date.season else ""
    issue = f"{templates.label('number', lang).lower()} {number}, " if number else ""
    return f"{templates.label('volume', lang)} {volume}, {issue}{season}{date.year}"


def _modified(info: BuildInfo, date: Date) -> str:
    return info.timestamp(date).strftime("%Y-%m-%dT%H:%M:%SZ")


def _chapter(article: Article) -> Chapter:
    def prepare(blocks: list[Node]) -> list[Node]:
        blocks = mark_pages(blocks, article.print_pages, _epub_marker)
        result: list[Node] = walk(blocks, lambda node: _asset_link(node, article.id))
        return result

    text = render_text(article, "epub", transform=prepare)
    href = f"{article.id}.xhtml"
    pages = []
    if article.print_pages:
        # the pages whose start the text holds (an article without body text holds none)
        marked = set(re.findall(r'id="page-(\d+)"', str(text.body)))
        marked |= {str(page) for page in reference_pages(article.print_pages).values()}
        marked.add(str(article.print_pages.first))  # marked in the header
        for number in range(article.print_pages.first, article.print_pages.last + 1):
            if str(number) in marked:
                pages.append({"href": f"{href}#page-{number}", "label": str(number)})
    sections = outline(article, href)
    return Chapter(href, article, text, sections, reference_pages(article.print_pages), pages)


def _asset_link(node: Node, folder: str) -> Node | None:
    """Images live in a folder per article inside the book, so names never collide."""
    if node["t"] != "Image":
        return None
    node["c"][2][0] = f"{folder}/{node['c'][2][0]}"
    return node


def _epub_marker(page: int) -> Node:
    return page_marker(page, epub=True)


@dataclass(frozen=True)
class Accessibility:
    """What the book's accessibility metadata may claim, derived from what it holds."""

    figures: int
    described: int  # figures with alternative text from the source (`fig-alt`)
    math: bool
    page_list: bool

    @property
    def visual(self) -> bool:
        return self.figures > 0

    @property
    def all_described(self) -> bool:
        return self.described == self.figures


def accessibility(book: Book, pages: dict[str, str]) -> Accessibility:
    images = [
        node
        for chapter in book.chapters
        for node in iter_nodes(chapter.article.body.nodes, "Image")
    ]
    return Accessibility(
        figures=len(images),
        described=sum(1 for image in images if image["c"][1]),  # fig-alt became the description
        math=any("<math" in page for page in pages.values()),
        page_list=bool(book.page_list),
    )


def _properties(page: str) -> str:
    """A content document's manifest properties, from what it holds (EPUB 3.3, 5.6.2)."""
    found = []
    if "<math" in page:
        found.append("mathml")
    if "<svg" in page:
        found.append("svg")
    return " ".join(found)


def _package(book: Book, templates: Templates) -> bytes:
    """Render every file of the book and zip them in a fixed order; the package document
    comes last, as its manifest describes what the other files turned out to hold."""
    pages: dict[str, str] = {
        "nav.xhtml": templates.render("epub/nav.xhtml.jinja", book=book),
        "cover.xhtml": templates.render("epub/cover.xhtml.jinja", book=book),
    }
    assets: list[tuple[str, bytes]] = []
    for chapter in book.chapters:
        for asset in chapter.article.assets:
            assets.append((f"EPUB/text/{chapter.article.id}/{asset.name}", asset.data))
        chapter_page = functools.partial(
            templates.render,
            "epub/article.xhtml.jinja",
            book=book,
            chapter=chapter,
            article=chapter.article,
            text=chapter.text,
        )
        page = chapter_page(math=False)
        if "<math" in page:  # what it holds decides: made again, linking the math face
            page = chapter_page(math=True)
        pages[f"text/{chapter.href}"] = page
    math = any("<math" in page for page in pages.values())
    package = templates.render(
        "epub/package.opf.jinja",
        book=book,
        properties={href: _properties(page) for href, page in pages.items()},
        a11y=accessibility(book, pages),
        math=math,
    )
    files: list[tuple[str, bytes]] = [
        ("META-INF/container.xml", templates.render("epub/container.xml.jinja").encode()),
        ("EPUB/package.opf", package.encode()),
        ("EPUB/nav.xhtml", pages["nav.xhtml"].encode()),
        ("EPUB/cover.xhtml", pages["cover.xhtml"].encode()),
        ("EPUB/images/cover.svg", templates.render("epub/cover.svg.jinja", book=book).encode()),
        ("EPUB/css/epub.css", templates.read_static(STYLESHEET)),
    ]
    if math:
        files.append(("EPUB/css/math.css", templates.read_static(MATH_STYLESHEET)))
        files.append(("EPUB/fonts/stix-two-math.woff2", math_font()))
    for chapter in book.chapters:
        files += [(name, data) for name, data in assets if f"/text/{chapter.article.id}/" in name]
        files.append((f"EPUB/text/{chapter.href}", pages[f"text/{chapter.href}"].encode()))
    return zip_epub(files, book.modified)


def zip_epub(files: Sequence[tuple[str, bytes]], modified: str) -> bytes:
    """An OCF container: `mimetype` first and uncompressed, then the files as given."""
    stamp = dt.datetime.strptime(modified, "%Y-%m-%dT%H:%M:%SZ")
    entries = [("mimetype", MEDIA_TYPE.encode(), zipfile.ZIP_STORED)]
    entries += [(name, data, zipfile.ZIP_DEFLATED) for name, data in files]
    return deterministic_zip(entries, stamp)
