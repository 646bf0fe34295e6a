"""Renderers: one module per format, each a pure function from the model to bytes.

Like pandoc's writer table, the tables below list every format; adding one means a module
here, a template folder, and one line in a table. Renderers read no files and never look
at another format's output: what they need beyond the model comes in `BuildInfo`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from galley.model import Article, Date, IssueContents, Project
from galley.templating import Templates

STATIC_DIR = PurePosixPath("_static")


@dataclass(frozen=True)
class BuildInfo:
    """What an output may depend on besides the model and templates (never the clock)."""

    source_date_epoch: int | None = None

    def timestamp(self, fallback: Date) -> dt.datetime:
        """SOURCE_DATE_EPOCH when set, else the publication date: never the current time."""
        if self.source_date_epoch is not None:
            return dt.datetime.fromtimestamp(self.source_date_epoch, tz=dt.UTC)
        return dt.datetime(fallback.year, fallback.month or 1, fallback.day or 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Deposit:
    """A kind's item in a MECA package: its place in the manifest, its type and description."""

    rank: int
    item_type: str
    description: str


@dataclass(frozen=True)
class Kind:
    """One kind of output file, declared once: which validator checks it, whether its DOI
    is read back after rendering, and what it is in a deposit package."""

    validator: str | None  # a checker of `Validators` (jats, html, epub, pdf, crossref)
    doi: bool = False  # the article's DOI is read back from it (galley.checks.outputs)
    deposit: Deposit | None = None  # its item in the MECA package (galley.deposit)
    unchecked: str = ""  # with no validator: why none is needed
    extension: str = ""  # an article's file of this kind: <article><extension>
    download: int | None = None  # its place among the downloads the web page offers


# Every kind of file galley writes. An output of a kind not listed here is a programming
# error (`Output` refuses it): a new format cannot be left silently unvalidated.
KINDS: dict[str, Kind] = {
    "jats": Kind(
        "jats",
        doi=True,
        deposit=Deposit(0, "article-metadata", "JATS 1.3 XML of the article"),
        extension=".xml",
        download=2,
    ),
    "html": Kind("html", doi=True, extension=".html"),
    "css": Kind("html"),
    "epub": Kind(
        "epub",
        doi=True,
        deposit=Deposit(2, "manuscript", "E-book edition (EPUB 3)"),
        extension=".epub",
        download=1,
    ),
    "pdf": Kind(
        "pdf",
        doi=True,
        deposit=Deposit(1, "manuscript", "Print edition (PDF/A-3b)"),
        extension=".pdf",
        download=0,
    ),
    "crossref": Kind("crossref", doi=True),
    "asset": Kind(
        None,
        deposit=Deposit(3, "figure", "Figure"),
        unchecked="an author's image, checked (type, size, place) when read",
    ),
    "supplement": Kind(
        None,
        deposit=Deposit(4, "supplementary-material", "Supplementary material"),
        unchecked="an author's supplementary file, carried as it is",
    ),
    "meca": Kind(None, unchecked="read back and checked against its manifest once written"),
    "oai_dc": Kind(None, unchecked="a Dublin Core record of values the JATS carries, validated"),
    "pmc": Kind(None, unchecked="copies of the validated JATS, PDF and images"),
}


@dataclass(frozen=True)
class Output:
    """One rendered file: where it goes under output/, its bytes, and what kind it is.

    `doi` is the identifier the file must carry, for the validators' consistency rules.
    """

    path: PurePosixPath
    data: bytes
    kind: str
    media_type: str
    doi: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"output kind '{self.kind}' is not declared in galley.render.KINDS")


ArticleRenderer = Callable[[Article, Templates, BuildInfo], Output]
IssueRenderer = Callable[[IssueContents, Templates, BuildInfo], Output]
ProjectRenderer = Callable[[Project, Templates, BuildInfo], list[Output]]


def article_dir(article: Article) -> PurePosixPath:
    """output/<issue>/<article>/: every file of one article (and its translations) together."""
    return PurePosixPath(article.issue.id, article.translation_of or article.id)


def article_file(article: Article, kind: str) -> PurePosixPath:
    """Where the `kind` output of an article goes, so formats can link to each other
    (a translation's: <article>.<lang>.html beside the original's)."""
    return article_dir(article) / f"{article.id}{KINDS[kind].extension}"


def version_file(article: Article, version_id: str, kind: str) -> PurePosixPath:
    """Where the `kind` output of another language version of `article` goes."""
    return article_dir(article) / f"{version_id}{KINDS[kind].extension}"


def issue_dir(contents: IssueContents) -> PurePosixPath:
    return PurePosixPath(contents.issue.id)


def issue_epub(contents: IssueContents) -> PurePosixPath:
    """output/<issue>/<issue>.epub: the issue's e-book edition."""
    return issue_dir(contents) / f"{contents.issue.id}.epub"


def relative(target: PurePosixPath, start: PurePosixPath) -> str:
    """A relative URL from the folder `start` to `target` (both under output/)."""
    start_parts, target_parts = start.parts, target.parts
    common = 0
    while (
        common < len(start_parts)
        and common < len(target_parts) - 1
        and start_parts[common] == target_parts[common]
    ):
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + list(target_parts[common:]))


def article_formats() -> dict[str, ArticleRenderer]:
    """The per-article renderers, by format name (imported lazily to keep start-up quick)."""
    from galley.render import epub, html, jats

    return {"jats": jats.render, "html": html.render, "epub": epub.render_article}


def issue_formats() -> dict[str, IssueRenderer]:
    """The per-issue renderers: the table of contents and the issue's e-book."""
    from galley.render import crossref, epub, html

    return {
        "html-toc": html.render_issue,
        "epub-issue": epub.render_issue,
        "crossref": crossref.render,
    }


def project_outputs() -> dict[str, ProjectRenderer]:
    """Outputs for the whole project: the home page and shared static files."""
    from galley.render import html

    return {"html-home": html.render_home}
