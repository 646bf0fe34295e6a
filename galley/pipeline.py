"""The build: read -> render -> validate -> write, and the only code that writes to output/.

As in Sphinx's builders, every stage runs over the whole project before the next, and one
failing article never stops the others: its outputs are simply not written, so the last
good build stays in place, and the failure is reported at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from galley.config import Settings
from galley.diagnostics import Diagnostic, GalleyError, Report, Severity, Span, error
from galley.files import write_atomic
from galley.model import Article
from galley.reader import read_project
from galley.render import Output, article_formats
from galley.templating import Templates
from galley.validate.jats import JatsValidator

Progress = Callable[[str], None]


class Validators:
    """One validator per standard, set up once per run (schemas are costly to parse)."""

    def __init__(self, schema_dir: Path | None) -> None:
        self.jats = JatsValidator(schema_dir)

    def prepare(self) -> None:
        """Load every schema now, so a missing one fails the run once, before any work."""
        _ = self.jats.schema

    def validate(self, output: Output, path: Path, article: Article) -> list[Diagnostic]:
        if output.kind == "jats":
            return self.jats.validate(output.data, path, expected_doi=article.doi)
        return []


@dataclass
class BuildResult:
    report: Report
    written: list[Path] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def build(settings: Settings, progress: Progress | None = None) -> BuildResult:
    """Build every selected article; nothing invalid is ever written."""
    result = BuildResult(Report(strict=settings.strict))
    read = read_project(settings.source, settings.select)
    result.report.extend(read.diagnostics)
    for path in read.failed:
        _not_written(result, path.parent.name, path)
    if read.project is None:
        return result
    try:
        templates = Templates(settings.templates)
        validators = Validators(settings.schemas)
        validators.prepare()
    except GalleyError as exc:
        result.report.extend(exc.diagnostics)
        return result
    for article in read.project.articles:
        if progress:
            progress(f"{article.issue.id}/{article.id}")
        outputs, problems = build_article(article, templates, validators, settings.output)
        result.report.extend(problems)
        if any(problem.severity == Severity.ERROR for problem in problems):
            _not_written(result, article.id, article.source_file)
            continue
        for output in outputs:
            target = settings.output / output.path
            write_atomic(target, output.data)
            result.written.append(target)
        result.built.append(article.id)
    return result


def _not_written(result: BuildResult, name: str, path: Path) -> None:
    result.failed.append(name)
    result.report.add(
        error(
            "build.article-failed",
            f"{name}: not written; its previous outputs are kept",
            Span(path),
        )
    )


def build_article(
    article: Article, templates: Templates, validators: Validators, output_dir: Path
) -> tuple[list[Output], list[Diagnostic]]:
    """Every format of one article, rendered and validated in memory."""
    outputs: list[Output] = []
    problems: list[Diagnostic] = []
    for renderer in article_formats().values():
        try:
            output = renderer(article, templates)
        except GalleyError as exc:
            problems.extend(exc.diagnostics)
            continue
        outputs.append(output)
        problems.extend(validators.validate(output, output_dir / output.path, article))
    return outputs, problems
