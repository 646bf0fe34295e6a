"""Renderers: one module per format, each a pure function from the model to bytes.

Which renderer makes which format is declared once, in `galley.formats.FORMATS`; adding a
format means a module here, a template folder and one row there. Renderers read no files
and never look at another format's output: what they need beyond the model comes in
`BuildInfo`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from galley.formats import FORMATS, made_for
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
        if self.kind not in FORMATS:
            raise ValueError(f"output kind '{self.kind}' is not declared in galley.formats")


ArticleRenderer = Callable[[Article, Templates, BuildInfo], Output]
IssueRenderer = Callable[[IssueContents, Templates, BuildInfo], Output]
ProjectRenderer = Callable[[Project, Templates, BuildInfo], list[Output]]


def article_dir(article: Article) -> PurePosixPath:
    """output/<issue>/<article>/: every file of one article (and its translations) together."""
    return PurePosixPath(article.issue.id, article.translation_of or article.id)


def article_file(article: Article, kind: str) -> PurePosixPath:
    """Where the `kind` output of an article goes, so formats can link to each other
    (a translation's: <article>.<lang>.html beside the original's)."""
    return article_dir(article) / f"{article.id}{FORMATS[kind].extension}"


def version_file(article: Article, version_id: str, kind: str) -> PurePosixPath:
    """Where the `kind` output of another language version of `article` goes."""
    return article_dir(article) / f"{version_id}{FORMATS[kind].extension}"


def issue_dir(contents: IssueContents) -> PurePosixPath:
    return PurePosixPath(contents.issue.id)


def issue_epub(contents: IssueContents) -> PurePosixPath:
    """output/<issue>/<issue>.epub: the issue's e-book edition."""
    return issue_dir(contents) / f"{contents.issue.id}{FORMATS['epub'].extension}"


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
    """The per-article renderers, by format (imported when first asked for)."""
    return made_for("article")


def issue_formats() -> dict[str, IssueRenderer]:
    """The per-issue renderers: the table of contents, the issue's e-book, its deposit."""
    return made_for("issue")


def project_outputs() -> dict[str, ProjectRenderer]:
    """Outputs for the whole project: the home page and shared static files."""
    return made_for("site")
