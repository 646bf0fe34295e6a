"""The web edition: an HTML5 page per article, a table of contents per issue, a home page."""

from __future__ import annotations

from pathlib import PurePosixPath

from galley.fonts import math_font
from galley.formats import FORMATS
from galley.model import Article, IssueContents, Project
from galley.pagination import mark_pages, page_marker, reference_pages
from galley.render import (
    STATIC_DIR,
    BuildInfo,
    Output,
    article_file,
    issue_dir,
    issue_epub,
    relative,
    version_file,
)
from galley.render.metadata import dublin_core, highwire, schema_org
from galley.render.text import outline, render_text, render_titles
from galley.templating import Templates

STYLESHEETS = ("galley.css",)
MATH_FONT_FILE = "stix-two-math.woff2"  # beside the stylesheet, which names it


def links(article: Article, start: PurePosixPath) -> dict[str, str]:
    """Relative links from `start` to what the web page offers to download: each of the
    article's own files (made by a renderer or the print make-up), in the order FORMATS
    gives them; for a translation, the original's file of a format that holds both (JATS)."""
    offered = sorted(
        (row.download, kind)
        for kind, row in FORMATS.items()
        if row.download is not None and row.extension and (row.article or row.layout)
    )
    found = {}
    for _, kind in offered:
        row = FORMATS[kind]
        if article.translation_of and row.article and not row.translated:
            target = version_file(article, article.translation_of, kind)
        else:
            target = article_file(article, kind)
        found[kind] = relative(target, start)
    return found


def render(article: Article, templates: Templates, info: BuildInfo) -> Output:
    """The article's web page."""
    path = article_file(article, "html")
    here = path.parent
    text = render_text(
        article,
        "list",
        transform=lambda blocks: mark_pages(blocks, article.print_pages, page_marker),
    )
    downloads = links(article, here)
    page = templates.render(
        "html/article.html.jinja",
        article=article,
        issue=article.issue,
        journal=article.journal,
        text=text,
        downloads=downloads,
        outline=outline(article),
        highwire=highwire(article, text, downloads),
        dublin_core=dublin_core(article, text),
        jsonld=schema_org(article, text, downloads),
        static=relative(STATIC_DIR / "x", here).rsplit("/", 1)[0],
        home=relative(PurePosixPath("index.html"), here),
        issue_page=relative(issue_dir_page(article.issue.id), here),
        reference_pages=reference_pages(article.print_pages),
        epub=False,
        alternates=[
            (lang, relative(version_file(article, identifier, "html"), here))
            for lang, identifier in article.versions
            if identifier != article.id
        ],
    )
    return Output(path, page.encode("utf-8"), "html", "text/html", doi=article.doi)


def issue_dir_page(issue_id: str) -> PurePosixPath:
    return PurePosixPath(issue_id, "index.html")


def render_issue(contents: IssueContents, templates: Templates, info: BuildInfo) -> Output:
    """The issue's table of contents, linking every article and its downloads."""
    here = issue_dir(contents)
    titles = render_titles(contents.articles)
    entries = [
        {
            "article": article,
            "title": titles[article.id],
            "page": relative(article_file(article, "html"), here),
            "downloads": links(article, here),
            "translations": [
                (
                    translation.lang,
                    relative(version_file(article, translation.id, "html"), here),
                )
                for translation in article.translations
            ],
        }
        for article in contents.articles
    ]
    page = templates.render(
        "html/issue.html.jinja",
        contents=contents,
        issue=contents.issue,
        journal=contents.issue.journal,
        entries=entries,
        issue_epub=relative(issue_epub(contents), here),
        static=relative(STATIC_DIR / "x", here).rsplit("/", 1)[0],
        home=relative(PurePosixPath("index.html"), here),
    )
    return Output(here / "index.html", page.encode("utf-8"), "html", "text/html")


def render_home(project: Project, templates: Templates, info: BuildInfo) -> list[Output]:
    """The journal's home page listing its issues, and the shared stylesheets."""
    here = PurePosixPath(".")
    page = templates.render(
        "html/index.html.jinja",
        journal=project.journal,
        issues=[
            (contents, relative(issue_dir_page(contents.issue.id), here))
            for contents in project.issues
        ],
        static=str(STATIC_DIR),
    )
    outputs = [Output(PurePosixPath("index.html"), page.encode("utf-8"), "html", "text/html")]
    for name in STYLESHEETS:
        css = templates.read_static(f"html/{name}")
        outputs.append(Output(STATIC_DIR / name, css, "css", "text/css"))
    outputs.append(Output(STATIC_DIR / MATH_FONT_FILE, math_font(), "font", "font/woff2"))
    return outputs
