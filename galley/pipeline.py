"""The build: read -> render -> validate -> write, and the only code that writes to output/.

As in Sphinx's builders, each stage runs over the whole project before the next: every
output is rendered in memory, then each validator checks all files of its kind in one go
(one JVM for all HTML pages), then each group of outputs (an article's, an issue's, the
site's) is written only if none of its files has an error. A failing article never stops
the others; its previous outputs stay in place, and the failure is reported at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from galley.config import Settings, source_date_epoch
from galley.diagnostics import Diagnostic, GalleyError, Report, Severity, Span, error
from galley.files import write_atomic
from galley.model import Project
from galley.reader import read_project
from galley.render import BuildInfo, Output, article_formats, issue_formats, project_outputs
from galley.templating import Templates
from galley.validate.epub import EpubValidator
from galley.validate.html import HtmlValidator
from galley.validate.jats import JatsValidator

Progress = Callable[[str], None]


class Validators:
    """One validator per standard, set up once per run (schemas and JVMs are costly)."""

    def __init__(self, schema_dir: Path | None) -> None:
        self.jats = JatsValidator(schema_dir)
        self.epub = EpubValidator()
        self.html = HtmlValidator()

    def prepare(self) -> None:
        """Load every schema and find every tool now, so a missing one fails once, early."""
        _ = self.jats.schema
        self.epub.prepare()
        self.html.prepare()

    def validate(
        self, outputs: list[tuple[Path, Output]], progress: Progress | None = None
    ) -> dict[Path, list[Diagnostic]]:
        results: dict[Path, list[Diagnostic]] = {path: [] for path, _ in outputs}
        if progress:
            progress("checking HTML and CSS (Nu HTML Checker)")
        results.update(
            self.html.validate_many(
                {path: output.data for path, output in outputs if output.kind in ("html", "css")}
            )
        )
        for path, output in outputs:
            if output.kind == "jats":
                if progress:
                    progress(f"checking {path.name} (JATS 1.3 XSD)")
                results[path] += self.jats.validate(output.data, path, expected_doi=output.doi)
            elif output.kind == "epub":
                if progress:
                    progress(f"checking {path.name} (EPUBCheck)")
                results[path] += self.epub.validate(output.data, path)
        return results


@dataclass
class Group:
    """Outputs that are written together or not at all (one article's, one issue's...)."""

    name: str
    source: Path
    outputs: list[Output] = field(default_factory=list)
    failed: bool = False


@dataclass
class BuildResult:
    report: Report
    written: list[Path] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def build(settings: Settings, progress: Progress | None = None) -> BuildResult:
    """Build every selected article (and its issue's outputs); nothing invalid is written."""
    result = BuildResult(Report(strict=settings.strict))
    read = read_project(settings.source, settings.select)
    result.report.extend(read.diagnostics)
    for path in read.failed:
        _not_written(result, path.parent.name, path)
    if read.project is None:
        return result
    try:
        info = BuildInfo(source_date_epoch())
        templates = Templates(settings.templates)
        validators = Validators(settings.schemas)
        validators.prepare()
    except GalleyError as exc:
        result.report.extend(exc.diagnostics)
        return result

    groups = render_all(
        read.project,
        templates,
        info,
        result.report,
        progress,
        whole_issues=not settings.select,
        unread=len(read.failed),
    )
    rendered = [
        (settings.output / output.path, output)
        for group in groups
        if not group.failed
        for output in group.outputs
    ]
    problems = validators.validate(rendered, progress)
    for group in groups:
        found = [
            d for output in group.outputs for d in problems.get(settings.output / output.path, [])
        ]
        result.report.extend(found)
        if group.failed or any(d.severity == Severity.ERROR for d in found):
            _not_written(result, group.name, group.source)
            continue
        for output in group.outputs:
            target = settings.output / output.path
            write_atomic(target, output.data)
            result.written.append(target)
        result.built.append(group.name)
    return result


def render_all(
    project: Project,
    templates: Templates,
    info: BuildInfo,
    report: Report,
    progress: Progress | None,
    *,
    whole_issues: bool,
    unread: int,
) -> list[Group]:
    """Render every output in memory, grouped by what must be written together."""
    groups: list[Group] = []
    for contents in project.issues:
        issue_ok = unread == 0
        for article in contents.articles:
            if progress:
                progress(f"rendering {article.issue.id}/{article.id}")
            group = Group(article.id, article.source_file)
            for renderer in article_formats().values():
                try:
                    group.outputs.append(renderer(article, templates, info))
                except GalleyError as exc:
                    report.extend(exc.diagnostics)
                    group.failed = True
            issue_ok = issue_ok and not group.failed
            groups.append(group)
        # Issue-wide outputs need every article: a partial selection or a failed article
        # leaves the previous ones in place rather than writing an incomplete issue.
        if whole_issues and issue_ok and contents.articles:
            group = Group(f"issue {contents.issue.id}", contents.issue.source.path)
            for issue_renderer in issue_formats().values():
                try:
                    group.outputs.append(issue_renderer(contents, templates, info))
                except GalleyError as exc:
                    report.extend(exc.diagnostics)
                    group.failed = True
            groups.append(group)
    if whole_issues:
        group = Group("site", project.root)
        for project_renderer in project_outputs().values():
            try:
                group.outputs.extend(project_renderer(project, templates, info))
            except GalleyError as exc:
                report.extend(exc.diagnostics)
                group.failed = True
        groups.append(group)
    return groups


def _not_written(result: BuildResult, name: str, path: Path) -> None:
    result.failed.append(name)
    result.report.add(
        error(
            "build.not-written", f"{name}: not written; its previous outputs are kept", Span(path)
        )
    )
