"""The per-article job: lay out the print edition, render every article format, check them.

This is the unit of work that runs in parallel (`-j N`) or on a Dask cluster. A job is one
make-up *chain*: consecutive articles of an issue whose pages follow each other, so that an
article without declared pages starts after the one before it ends. Jobs carry the model
(picklable, frozen) and return outputs and diagnostics; they write nothing. What a job needs
that is costly to set up (templates, parsed schemas) is made once per worker process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path

from galley.citation import cite_as
from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, warning
from galley.formats import FORMATS
from galley.identifiers import roman_or_int
from galley.makeup import declares_pages, numbered, page_after_unbuilt, start_page, with_pages
from galley.model import Article
from galley.render import BuildInfo, Output, article_dir, article_formats, pdf
from galley.templating import Templates, search_path
from galley.timing import timed
from galley.validate.suite import Validators, job_kinds


@dataclass(frozen=True)
class Chain:
    """Articles of one issue laid out one after another, from `first_page` on."""

    articles: tuple[Article, ...]
    first_page: int
    lay_out: frozenset[str]  # keys whose pages are needed (by them or by those after them)
    render: frozenset[str]  # keys of the articles to render in every format
    start_on_recto: bool = False


@dataclass(frozen=True)
class Job:
    chain: Chain
    templates: Path
    schemas: Path | None
    info: BuildInfo
    output: Path  # where the files will go, for the positions in diagnostics


@dataclass
class ArticleResult:
    """One article after its job: its pages, its outputs (if rendered) and what was found."""

    article: Article
    laid_out: bool = False
    rendered: bool = False
    failed: bool = False
    outputs: list[Output] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # from layout and rendering
    problems: dict[Path, list[Diagnostic]] = field(default_factory=dict)  # from the checks
    reused: bool = False  # taken from the last good build, not made again
    timings: dict[str, float] = field(default_factory=dict)  # seconds spent, by stage


def _templates(folder: Path) -> Templates:
    # Keyed by the search path too: a journal's templates/ folder made since the last build
    # (in a worker kept from it) joins the path.
    return _templates_on(folder, tuple(search_path(folder)))


@functools.cache
def _templates_on(folder: Path, path: tuple[Path, ...]) -> Templates:
    return Templates(folder)


@functools.cache
def _validators(schemas: Path | None) -> Validators:
    return Validators(schemas)


def run(job: Job) -> list[ArticleResult]:
    """Lay out, render and check every article of the chain that needs it."""
    templates = _templates(job.templates)
    validators = _validators(job.schemas)
    chain = job.chain
    results: list[ArticleResult] = []
    next_page = chain.first_page
    for article in chain.articles:
        result = ArticleResult(article)
        results.append(result)
        if article.key not in chain.lay_out:
            next_page = page_after_unbuilt(article, next_page)
            continue
        declared = declares_pages(article)
        first = start_page(article, next_page, chain.start_on_recto)
        try:
            with timed(result.timings, "render pdf (layout)"):
                result.article, printed, warnings = lay_out(
                    article, first, declared, templates, job.info
                )
        except GalleyError as exc:
            result.diagnostics += exc.diagnostics
            result.failed = True
            continue
        result.laid_out = True
        result.diagnostics += warnings
        assert result.article.pagination is not None
        if not numbered(article):  # an article-numbered article is outside the make-up
            next_page = result.article.pagination.last + 1
        if article.key in chain.render:
            _render(result, printed, templates, job)
            checked = [(job.output / o.path, o) for o in result.outputs if o.kind in job_kinds()]
            found = validators.validate(checked, timings=result.timings)
            result.problems = {key: _within_output(d, job.output) for key, d in found.items()}
    return results


def _within_output(found: list[Diagnostic], output: Path) -> list[Diagnostic]:
    """An output's problems name it by its place in the output folder, so a build's report
    is the same wherever the output folder is."""
    out = []
    for diagnostic in found:
        span = diagnostic.span
        if span is not None and span.path.is_relative_to(output):
            span = replace(span, path=span.path.relative_to(output))
            diagnostic = replace(diagnostic, span=span)
        out.append(diagnostic)
    return out


def _render(result: ArticleResult, printed: Output, templates: Templates, job: Job) -> None:
    article = result.article
    result.rendered = True
    result.outputs += [
        Output(article_dir(article) / asset.name, asset.data, "asset", asset.media_type)
        for asset in article.assets
    ]
    result.outputs += [
        Output(article_dir(article) / f.asset.name, f.asset.data, "supplement", f.asset.media_type)
        for f in article.supplementary
    ]
    result.outputs.append(printed)
    for name, renderer in article_formats().items():
        try:
            with timed(result.timings, f"render {name}"):
                result.outputs.append(renderer(article, templates, job.info))
        except GalleyError as exc:
            result.diagnostics += exc.diagnostics
            result.failed = True
    translations = []
    for translation in article.translations:
        try:
            with timed(result.timings, "render translations"):
                translated, outputs, notices = _render_translation(
                    article, translation, templates, job
                )
        except GalleyError as exc:
            result.diagnostics += exc.diagnostics
            result.failed = True
            continue
        result.diagnostics += notices
        translations.append(translated)
        result.outputs += outputs
    result.article = replace(article, translations=tuple(translations))


def _render_translation(
    article: Article, translation: Article, templates: Templates, job: Job
) -> tuple[Article, list[Output], tuple[Diagnostic, ...]]:
    """A translation's own web page, e-book and print edition. It is cited with the
    original's pages or article number; its print sheets are its own, claimed nowhere."""
    translation = replace(translation, pages=article.pages)
    first = article.pagination.first if article.pagination else 1
    layout = pdf.render(translation, templates, job.info, first)
    translation = replace(translation, pagination=layout.pagination)
    translation = replace(translation, cite_as=cite_as(translation))
    outputs = [layout.output]
    for kind, renderer in article_formats().items():
        if FORMATS[kind].translated:
            outputs.append(renderer(translation, templates, job.info))
    return translation, outputs, layout.notices


def lay_out(
    article: Article, first: int, declared: bool, templates: Templates, info: BuildInfo
) -> tuple[Article, Output, list[Diagnostic]]:
    """The print edition from folio `first`, and the article with its pages.

    An article that declares its pages keeps them (a layout that disagrees is a warning);
    one that does not is laid out again with its folios in the front matter, and once more
    if that changed the page count.
    """
    layout = pdf.render(article, templates, info, first)
    pages = layout.pagination
    found: list[Diagnostic] = list(layout.notices)
    if numbered(article):
        return with_pages(article, pages, declared), layout.output, found
    if declared and not numbered(article):
        last = roman_or_int(article.pages.last)
        if last is not None:
            expected = last - first + 1
            if expected != pages.count:
                found.append(
                    warning(
                        Code.PDF_PAGE_COUNT,
                        f"{article.id} declares pages {article.pages.first}–{article.pages.last} "
                        f"({expected} pages), but the print layout takes {pages.count} "
                        f"({pages.first}–{pages.last})",
                        article.source.span("citation", "page"),
                        "correct `citation.page`, or adjust the text or the print styles",
                    )
                )
        return with_pages(article, pages, declared), layout.output, found
    for _ in range(3):
        updated = with_pages(article, layout.pagination, declared=False)
        again = pdf.render(updated, templates, info, first)
        if again.pagination.last == layout.pagination.last:
            break
        layout = again
    return with_pages(article, again.pagination, declared=False), again.output, found
