"""The build: read -> render -> validate -> write, and the only code that writes to output/.

As in Sphinx's builders, each stage runs over the whole project before the next: every
output is rendered in memory, then each validator checks all files of its kind in one go
(one JVM for all HTML pages), then each group of outputs (an article's, an issue's, the
site's) is written only if none of its files has an error. A failing article never stops
the others; its previous outputs stay in place, and the failure is reported at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from galley import report
from galley.checks import Checklist, run_checks
from galley.checks.outputs import doi_consistency
from galley.citation import cite_as
from galley.config import Settings, source_date_epoch
from galley.diagnostics import Diagnostic, GalleyError, Report, Severity, Span, error, warning
from galley.files import sweep_temporaries, write_atomic
from galley.model import Article, IssueContents, Project
from galley.reader import read_project
from galley.render import (
    BuildInfo,
    Output,
    article_dir,
    article_formats,
    issue_formats,
    pdf,
    project_outputs,
)
from galley.templating import Templates
from galley.validate.crossref import CrossrefValidator
from galley.validate.epub import EpubValidator
from galley.validate.html import HtmlValidator
from galley.validate.jats import JatsValidator
from galley.validate.pdf import PdfValidator

Progress = Callable[[str], None]


class Validators:
    """One validator per standard, set up once per run (schemas and JVMs are costly)."""

    def __init__(self, schema_dir: Path | None) -> None:
        self.jats = JatsValidator(schema_dir)
        self.epub = EpubValidator()
        self.html = HtmlValidator()
        self.pdf = PdfValidator()
        self.crossref = CrossrefValidator(schema_dir)

    def prepare(self) -> None:
        """Load every schema and find every tool now, so a missing one fails once, early."""
        _ = self.jats.schema
        _ = self.crossref.schema
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
            elif output.kind == "crossref":
                results[path] += self.crossref.validate(output.data, path)
            elif output.kind == "pdf":
                results[path] += self.pdf.validate(output.data, path, expected_doi=output.doi)
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
    checklist: Checklist = field(default_factory=Checklist)
    read_ok: bool = False


def preflight(
    project: Project, wanted: set[str], result: BuildResult, online: Any = None
) -> Checklist:
    """The preflight checks over the articles being built; their problems join the report."""
    selected = replace(
        project,
        issues=tuple(
            IssueContents(c.issue, tuple(a for a in c.articles if a.id in wanted))
            for c in project.issues
        ),
    )
    checklist = run_checks(selected, online)
    result.checklist = checklist
    result.report.extend(checklist.problems)
    return checklist


def check(settings: Settings, online: Any = None) -> BuildResult:
    """`python build.py check`: read and check, write only the preflight report."""
    result = BuildResult(Report(strict=settings.strict))
    read = read_project(settings.source, settings.select)
    result.report.extend(read.diagnostics)
    result.read_ok = read.project is not None
    if read.project is not None:
        try:
            preflight(read.project, {p.name for p in read.selected}, result, online)
        except GalleyError as exc:
            result.report.extend(exc.diagnostics)
    write_report(settings, result)
    return result


def write_report(settings: Settings, result: BuildResult) -> None:
    """output/report.json and output/report.html: the whole run's findings."""
    records = report.entries(result.report, result.checklist)
    json_path, html_path = report.report_paths(settings.output)
    write_atomic(json_path, report.render_json(records))
    try:
        page = report.render_html(records, Templates(settings.templates), settings.source.name)
    except GalleyError as exc:
        result.report.extend(exc.diagnostics)
        return
    write_atomic(html_path, page)


def build(
    settings: Settings, progress: Progress | None = None, deposit: bool = False
) -> BuildResult:
    """Build every selected article (and its issue's outputs); nothing invalid is written."""
    result = BuildResult(Report(strict=settings.strict))
    sweep_temporaries(settings.output)
    read = read_project(settings.source, settings.select)
    result.read_ok = read.project is not None
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

    wanted = {path.name for path in read.selected}
    checklist = preflight(read.project, wanted, result)
    blocked = {r.subject.split()[0] for r in checklist.results if r.status == "error"}
    project, prints = paginate(
        read.project, templates, info, result.report, wanted - blocked, progress
    )
    groups = render_all(
        project,
        templates,
        info,
        result.report,
        progress,
        whole_issues=not settings.select,
        unread=len(read.failed),
        wanted=wanted,
        prints=prints,
    )
    rendered = [
        (settings.output / output.path, output)
        for group in groups
        if not group.failed
        for output in group.outputs
    ]
    problems = validators.validate(rendered, progress)
    _check_dois(project, groups, settings.output, problems)
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
        article = next((a for a in project.articles if a.id == group.name), None)
        if deposit and article is not None:
            if progress:
                progress(f"packaging {article.id}")
            _deposit(article, group.outputs, templates, info, settings.output, result)
    write_report(settings, result)
    return result


def _deposit(
    article: Article,
    outputs: list[Output],
    templates: Templates,
    info: BuildInfo,
    output_dir: Path,
    result: BuildResult,
) -> None:
    """Package the article's validated outputs, write the packages, and read them back."""
    from galley import deposit

    try:
        files = deposit.packages(article, outputs, templates, info)
    except GalleyError as exc:
        result.report.extend(exc.diagnostics)
        return
    expected = deposit.expected_items(article, outputs)
    for output in files:
        target = output_dir / output.path
        write_atomic(target, output.data)
        result.written.append(target)
        if output.kind == "meca":
            result.report.extend(deposit.verify_package(target, expected))


def paginate(
    project: Project,
    templates: Templates,
    info: BuildInfo,
    report: Report,
    wanted: set[str],
    progress: Progress | None,
) -> tuple[Project, dict[str, Output]]:
    """Lay out the print edition, issue by issue, and give every article its pages.

    An article that declares its pages keeps them (a layout that disagrees is a warning);
    one that does not starts on the page after the previous article ends (on the next
    recto if the journal says so), and every format then uses the pages it was given.
    """
    prints: dict[str, Output] = {}
    issues = []
    for contents in project.issues:
        next_page = contents.issue.first_page
        needed_until = max(
            (i for i, a in enumerate(contents.articles) if a.id in wanted), default=-1
        )
        articles = []
        for index, article in enumerate(contents.articles):
            declared = bool(article.fpage and article.fpage.isdigit())
            if index > needed_until or (article.id not in wanted and declared):
                articles.append(article)  # no layout needed for what is not built
                continue
            if progress:
                progress(f"laying out {article.issue.id}/{article.id}")
            first = int(article.fpage) if declared and article.fpage else next_page
            if not declared and project.journal.start_on_recto and first % 2 == 0:
                first += 1
            try:
                updated, output = _lay_out(article, first, declared, templates, info, report)
            except GalleyError as exc:
                report.extend(exc.diagnostics)
                articles.append(article)
                continue
            if article.id in wanted:
                prints[article.id] = output
            articles.append(updated)
            assert updated.pagination is not None
            next_page = updated.pagination.last + 1
        issues.append(IssueContents(contents.issue, tuple(articles)))
    return replace(project, issues=tuple(issues)), prints


def _lay_out(
    article: Article,
    first: int,
    declared: bool,
    templates: Templates,
    info: BuildInfo,
    report: Report,
) -> tuple[Article, Output]:
    layout = pdf.render(article, templates, info, first)
    pages = layout.pagination
    if declared:
        if article.lpage and article.lpage.isdigit():
            expected = int(article.lpage) - first + 1
            if expected != pages.count:
                report.add(
                    warning(
                        "pdf.page-count",
                        f"{article.id} declares pages {article.fpage}–{article.lpage} "
                        f"({expected} pages), but the print layout takes {pages.count} "
                        f"({pages.first}–{pages.last})",
                        article.source.span("citation", "page"),
                        "correct `citation.page`, or adjust the text or the print styles",
                    )
                )
            return replace(article, pagination=pages), layout.output
        updated = replace(article, lpage=str(pages.last), pagination=pages)
        return replace(updated, cite_as=cite_as(updated)), layout.output
    # Pages assigned by make-up: lay out again with the folios in the front matter, and
    # once more if that changed the page count.
    for _ in range(3):
        updated = replace(article, fpage=str(first), lpage=str(layout.pagination.last))
        updated = replace(updated, cite_as=cite_as(updated))
        again = pdf.render(updated, templates, info, first)
        if again.pagination.last == layout.pagination.last:
            break
        layout = again
    return replace(updated, pagination=again.pagination), again.output


def render_all(
    project: Project,
    templates: Templates,
    info: BuildInfo,
    report: Report,
    progress: Progress | None,
    *,
    whole_issues: bool,
    unread: int,
    wanted: set[str],
    prints: dict[str, Output],
) -> list[Group]:
    """Render every output in memory, grouped by what must be written together."""
    groups: list[Group] = []
    for contents in project.issues:
        issue_ok = unread == 0
        for article in contents.articles:
            if article.id not in wanted:
                continue
            if progress:
                progress(f"rendering {article.issue.id}/{article.id}")
            group = Group(article.id, article.source_file)
            group.outputs += [
                Output(article_dir(article) / asset.name, asset.data, "asset", asset.media_type)
                for asset in article.assets
            ]
            if article.id in prints:
                group.outputs.append(prints[article.id])
            else:
                group.failed = True
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
        issue_ok = issue_ok and all(a.id in prints for a in contents.articles)
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


def _check_dois(
    project: Project, groups: list[Group], output_dir: Path, problems: dict[Path, list[Diagnostic]]
) -> None:
    """Every file about an article carries its DOI (the issue deposit, all of them)."""
    deposits = [o for g in groups for o in g.outputs if o.kind == "crossref"]
    for group in groups:
        article = next((a for a in project.articles if a.id == group.name), None)
        if article is None or group.failed:
            continue
        files = [(output_dir / o.path, o.kind, o.data) for o in group.outputs]
        files += [
            (output_dir / o.path, o.kind, o.data)
            for o in deposits
            if o.path.parts[0] == article.issue.id
        ]
        for problem in doi_consistency(article.doi, files):
            assert problem.span is not None
            problems.setdefault(problem.span.path, []).append(problem)


def _not_written(result: BuildResult, name: str, path: Path) -> None:
    result.failed.append(name)
    result.report.add(
        error(
            "build.not-written", f"{name}: not written; its previous outputs are kept", Span(path)
        )
    )
