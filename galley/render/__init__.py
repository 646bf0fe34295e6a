"""Renderers: one module per format, each a pure function from the model to bytes.

Like pandoc's writer table, `ARTICLE_FORMATS` lists every per-article format; adding a
format means a module here, a template folder, and one line in the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from galley.model import Article
from galley.templating import Templates


@dataclass(frozen=True)
class Output:
    """One rendered file: where it goes under output/, its bytes, and what kind it is."""

    path: PurePosixPath
    data: bytes
    kind: str
    media_type: str


ArticleRenderer = Callable[[Article, Templates], Output]


def article_dir(article: Article) -> PurePosixPath:
    """output/<issue>/<article>/: every file of one article sits together."""
    return PurePosixPath(article.issue.id, article.id)


def article_formats() -> dict[str, ArticleRenderer]:
    """The per-article renderers, by format name (imported lazily to keep start-up quick)."""
    from galley.render import jats

    return {"jats": jats.render}
