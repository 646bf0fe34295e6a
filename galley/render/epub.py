"""The e-book editions: an EPUB 3 per article and one per issue, from Jinja XHTML/OPF templates.

The zip is assembled deterministically (fixed order, fixed timestamps from SOURCE_DATE_EPOCH
or the publication date, `mimetype` first and stored), so the same source gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from galley.ast import Node, headings, walk
from galley.model import Article, Date, IssueContents, Journal
from galley.pagination import mark_pages, page_marker, reference_pages
from galley.render import BuildInfo, Output, article_file, issue_epub
from galley.render.text import ArticleText, render_text
from galley.templating import Templates
from galley.zipfiles import deterministic_zip

MEDIA_TYPE = "application/epub+zip"
STYLESHEET = "epub/epub.css"


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
    cover += [("title", line) for line in textwrap.wrap(chapter.text.title_text, 30)]
    cover += [("author", ", ".join(c.name.display for c in article.contributors))]
    book = Book(
        identifier=f"urn:doi:{article.doi}",
        title=chapter.text.title_text,
        lang=article.lang,
        journal=article.journal,
        date=article.date,
        modified=_modified(info, article.date),
        chapters=[chapter],
        cover_lines=cover,
        page_list=chapter.pages,
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
    cover += [("theme", line) for line in textwrap.wrap(issue.title or "", 30)]
    key = f"{journal.url or journal.id}#volume={issue.volume}&issue={issue.number}"
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
        issue_title=issue.title,
    )
    data = _package(book, templates)
    path = issue_epub(contents)
    return Output(path, data, "epub", MEDIA_TYPE)


def _issue_words(volume: str, number: str, date: Date, lang: str, templates: Templates) -> str:
    season = f"{date.season} " if date.season else ""
    return (
        f"{templates.label('volume', lang)} {volume}, "
        f"{templates.label('number', lang).lower()} {number}, {season}{date.year}"
    )


def _modified(info: BuildInfo, date: Date) -> str:
    return info.timestamp(date).strftime("%Y-%m-%dT%H:%M:%SZ")


def _chapter(article: Article) -> Chapter:
    def prepare(blocks: list[Node]) -> list[Node]:
        blocks = mark_pages(blocks, article.pagination, _epub_marker)
        result: list[Node] = walk(blocks, lambda node: _asset_link(node, article.id))
        return result

    text = render_text(article, "epub", transform=prepare)
    href = f"{article.id}.xhtml"
    pages = []
    if article.pagination:
        for number in range(article.pagination.first, article.pagination.last + 1):
            pages.append({"href": f"{href}#page-{number}", "label": str(number)})
    sections: list[dict[str, Any]] = []
    for level, identifier, label in headings(article.body.nodes):
        entry = {"href": f"{href}#{identifier}", "label": label, "children": []}
        if level == 1 or not sections:
            sections.append(entry)
        else:
            sections[-1]["children"].append(entry)
    return Chapter(href, article, text, sections, reference_pages(article.pagination), pages)


def _asset_link(node: Node, folder: str) -> Node | None:
    """Images live in a folder per article inside the book, so names never collide."""
    if node["t"] != "Image":
        return None
    node["c"][2][0] = f"{folder}/{node['c'][2][0]}"
    return node


def _epub_marker(page: int) -> Node:
    return page_marker(page, epub=True)


def _package(book: Book, templates: Templates) -> bytes:
    """Render every file of the book and zip them in a fixed order."""
    files: list[tuple[str, bytes]] = [
        ("META-INF/container.xml", templates.render("epub/container.xml.jinja").encode()),
        ("EPUB/package.opf", templates.render("epub/package.opf.jinja", book=book).encode()),
        ("EPUB/nav.xhtml", templates.render("epub/nav.xhtml.jinja", book=book).encode()),
        ("EPUB/cover.xhtml", templates.render("epub/cover.xhtml.jinja", book=book).encode()),
        ("EPUB/images/cover.svg", templates.render("epub/cover.svg.jinja", book=book).encode()),
        ("EPUB/css/epub.css", templates.read_static(STYLESHEET)),
    ]
    for chapter in book.chapters:
        for asset in chapter.article.assets:
            files.append((f"EPUB/text/{chapter.article.id}/{asset.name}", asset.data))
        page = templates.render(
            "epub/article.xhtml.jinja",
            book=book,
            chapter=chapter,
            article=chapter.article,
            text=chapter.text,
        )
        files.append((f"EPUB/text/{chapter.href}", page.encode()))
    return zip_epub(files, book.modified)


def zip_epub(files: Sequence[tuple[str, bytes]], modified: str) -> bytes:
    """An OCF container: `mimetype` first and uncompressed, then the files as given."""
    stamp = dt.datetime.strptime(modified, "%Y-%m-%dT%H:%M:%SZ")
    entries = [("mimetype", MEDIA_TYPE.encode(), zipfile.ZIP_STORED)]
    entries += [(name, data, zipfile.ZIP_DEFLATED) for name, data in files]
    return deterministic_zip(entries, stamp)
