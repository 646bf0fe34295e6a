"""Source to model: the only code that reads source/, one module per job.

Layout (see docs/user/source-format.md):

    source/journal.yaml                     journal metadata, once
    source/<issue>/issue.yaml               issue metadata, once per issue
    source/<issue>/<article>/article.md     YAML front matter + Pandoc Markdown body
    source/<issue>/<article>/*.yaml|json    CSL references named in `bibliography`

Every problem in a file is reported, not just the first; a broken article is skipped and
reported while the others are still read.

The modules: `frontmatter` (a file's text and YAML, checked against the source
schema), `journal` (journal.yaml, issue.yaml), `article` (an article file and its
translations), `metadata`, `pages`, `references` and `body` (the parts of an article).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from galley import limits
from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, Span, error, warning
from galley.layout import ARTICLE_FILE, ISSUE_FILE, JOURNAL_FILE
from galley.model import Article, Issue, IssueContents, Project
from galley.read.article import read_article
from galley.read.frontmatter import within
from galley.read.journal import read_issue, read_journal


@dataclass
class ReadResult:
    """The project as far as it could be read, and everything found wrong on the way."""

    project: Project | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    selected: set[Path] = field(default_factory=set)


def read_project(root: Path, select: Sequence[Path] = ()) -> ReadResult:
    """Read the journal, its issues and their articles (or only those under `select`)."""
    root = root.resolve()
    result = ReadResult(None)
    diagnostics = result.diagnostics
    try:
        journal = read_journal(root / JOURNAL_FILE)
    except GalleyError as exc:
        diagnostics.extend(exc.diagnostics)
        return result
    chosen = [path.resolve() for path in select]
    issues: list[IssueContents] = []
    issue_dirs = sorted(p.parent for p in root.glob(f"*/{ISSUE_FILE}"))
    if not issue_dirs:
        diagnostics.append(
            error(
                Code.SOURCE_NO_ISSUES,
                f"no issue folders under {root}",
                Span(root),
                f"create source/<issue>/{ISSUE_FILE} and source/<issue>/<article>/{ARTICLE_FILE}",
            )
        )
    for issue_dir in issue_dirs:
        if chosen and not any(_related(issue_dir, path) for path in chosen):
            continue
        try:
            issue, order = read_issue(issue_dir, journal)
        except GalleyError as exc:
            diagnostics.extend(exc.diagnostics)
            result.failed.append(issue_dir / ISSUE_FILE)  # its outputs and the site stay as were
            continue
        before = len(diagnostics)
        article_dirs = _article_dirs(issue_dir, order, issue, diagnostics)
        if any(d.code == Code.ISSUE_UNKNOWN_ARTICLE for d in diagnostics[before:]):
            result.failed.append(issue_dir / ISSUE_FILE)  # its contents would be incomplete
        articles = []
        for article_dir, outcome in zip(
            article_dirs, _read_articles(article_dirs, issue), strict=True
        ):
            # Every article of a chosen issue is read (issue make-up needs them all); only
            # the chosen ones are built, and only their problems fail the run.
            wanted = not chosen or any(
                within(article_dir, path) or within(path, article_dir) for path in chosen
            )
            if isinstance(outcome, GalleyError):
                if wanted:
                    diagnostics.extend(outcome.diagnostics)
                    result.failed.append(article_dir / ARTICLE_FILE)
                else:
                    diagnostics.append(
                        warning(
                            Code.SOURCE_OTHER_ARTICLE,
                            f"{article_dir.name} (not built now) has "
                            f"{len(outcome.diagnostics)} problem(s); issue make-up leaves it out",
                            Span(article_dir / ARTICLE_FILE),
                            "build it to see them",
                        )
                    )
                continue
            article, found = outcome
            if wanted:
                result.selected.add(article_dir)
            else:
                found = []
            diagnostics.extend(found)
            articles.append(article)
        issues.append(IssueContents(issue, tuple(articles)))
    for path in chosen:
        if not path.exists():
            diagnostics.append(error(Code.SOURCE_NOT_FOUND, f"{path} does not exist", Span(path)))
        elif not within(path, root):
            diagnostics.append(
                error(
                    Code.SOURCE_OUTSIDE, f"{path} is not under the source folder {root}", Span(path)
                )
            )
    result.project = Project(root, journal, tuple(issues))
    return result


def _read_articles(
    folders: Sequence[Path], issue: Issue
) -> list[tuple[Article, list[Diagnostic]] | GalleyError]:
    """Each article read, or its error, in folder order; read side by side, as most of the
    time is spent waiting for pandoc."""

    def attempt(folder: Path) -> tuple[Article, list[Diagnostic]] | GalleyError:
        try:
            return read_article(folder / ARTICLE_FILE, issue)
        except GalleyError as exc:
            return exc
        except RecursionError:  # a construct the line scan did not see: the article, not the run
            return GalleyError(
                error(
                    Code.ARTICLE_TOO_DEEP,
                    "the article nests too deeply to be read",
                    Span(folder / ARTICLE_FILE),
                    "flatten nested quotations, lists, divs or emphasis "
                    f"({limits.MAX_NESTING} levels at most)",
                )
            )

    if len(folders) < 2:
        return [attempt(folder) for folder in folders]
    with ThreadPoolExecutor(max_workers=min(len(folders), 2 * (os.cpu_count() or 1))) as pool:
        return list(pool.map(attempt, folders))


def _related(issue_dir: Path, chosen: Path) -> bool:
    return within(chosen, issue_dir) or within(issue_dir, chosen)


def _article_dirs(
    issue_dir: Path, order: Sequence[str], issue: Issue, diagnostics: list[Diagnostic]
) -> list[Path]:
    found = {p.parent.name: p.parent for p in issue_dir.glob(f"*/{ARTICLE_FILE}")}
    listed = []
    for index, name in enumerate(order):
        if name not in found:
            diagnostics.append(
                error(
                    Code.ISSUE_UNKNOWN_ARTICLE,
                    f"issue.yaml lists article '{name}', but {issue_dir / name / ARTICLE_FILE} "
                    "does not exist",
                    issue.source.span("articles", index),
                    "fix the folder name in `articles:` or create the article",
                )
            )
        else:
            listed.append(found.pop(name))
    return listed + [found[name] for name in sorted(found)]
