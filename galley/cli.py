"""The command line: `galley [PATH ...]` and its subcommands (`python build.py` in a checkout).

Conventions, for every subcommand: results go to stdout, progress and diagnostics to stderr;
the run's verdict is the last line printed; `-q` leaves only problems and the verdict.
Exit codes: 0 when every output is valid (and, with --strict, nothing was warned about),
1 when any error was found, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape as rich_escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from galley import schemas
from galley.codes import Code
from galley.config import Settings, project_settings
from galley.diagnostics import (
    Diagnostic,
    GalleyError,
    Severity,
    display_path,
    error,
    warning,
)

if TYPE_CHECKING:
    from galley.checks.online import CrossrefClient
    from galley.pipeline import BuildResult

COMMANDS = (
    "build",
    "check",
    "deposit",
    "validate",
    "serve",
    "schemas",
    "import",
    "compare",
    "init",
    "new",
    "tools",
)
PROG = "galley"
DISTRIBUTION = "galley-press"  # on the public index "galley" is another project

DESCRIPTION = """\
galley turns every article under source/ into validated outputs under output/. It works on
the journal it is run in (or below): the nearest folder holding source/journal.yaml. In
galley's own checkout, `python build.py` is the same command.

  galley                        build every article of every issue
  galley PATH ...               build only these articles or issues (e.g. 2026-1/smith)
  galley check [--online]       preflight checks of DOIs, metadata and citations
  galley deposit [--crossref]   build, write MECA, oai_dc and PMC packages; --crossref also
                                submits each issue's deposit to Crossref (--test: test server)
  galley validate FILE ...      validate JATS, Crossref, EPUB, HTML or PDF made elsewhere
  galley serve                  preview on http://127.0.0.1:8000/, rebuilt and reloaded on change
  galley init [FOLDER]          start a journal: journal.yaml, a first issue, an example article
  galley new issue ID           add an issue (--volume, --number, --issued)
  galley new article ISSUE/ID   add an article skeleton to an issue
  galley tools install          install the validators, MathJax and the schemas (once, online)
  galley schemas fetch          download the JATS and Crossref schemas into the user cache
  galley import FILE ...        bring published JATS (a file, or a folder of them) into source/,
                                or a Word manuscript into an issue (--into source/ISSUE/)
  galley compare A.xml B.xml    compare two JATS files (words, element counts, metadata)
  galley --version              galley's version

Build options (`galley [OPTIONS] [PATH ...]`; `galley build --help` says more):
  --strict          warnings fail the run too
  -j N, --jobs N    articles built at a time (default: one per core)
  --force           rebuild articles unchanged since the last good build
  -q, --quiet       print only the problems and the verdict
  --source DIR, --output DIR, --templates DIR, --schemas DIR

Outputs per article (output/<issue>/<article>/): <article>.xml (JATS 1.3: official XSD and
galley's rules), <article>.html (web page: Nu HTML Checker), <article>.epub (EPUBCheck),
<article>.pdf (print edition, PDF/A-3b, tagged; its pages are used by every format). Per
issue: index.html (contents), <issue>.epub, <issue>.crossref.xml (Crossref 5.3.1 XSD). Every
build also runs the preflight checks and writes output/report.json and output/report.html
(a run on some articles only: report.<selection>.json/.html).
Nothing invalid is written: an article with an error keeps its previous outputs, and the run
exits with status 1.

Schemas are found through --schemas, then $GALLEY_SCHEMAS, then the per-user cache.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for build.py and the `galley` script."""
    # Reading a long bibliography makes millions of small objects and no cyclic garbage;
    # at the default thresholds the collector walked them all again and again (a third of
    # `check` on 20,000 references).
    gc.set_threshold(200_000, 100, 10)
    if argv is None and threading.current_thread() is threading.main_thread():
        # SIGTERM (a service manager, `kill`) ends galley as Ctrl-C does: its helpers (Nu's
        # JVM listening on 127.0.0.1, EPUBCheck, Ace's browser) are stopped on the way out
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["--version"], ["-V"]):
        print(f"{PROG} {version()}")
        return 0
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help")):
        args.insert(0, "build")
    parser = _parser()
    options = parser.parse_args(args)
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        code: int = options.run(options, console)
        return code
    except GalleyError as exc:
        _print_diagnostics(console, exc.diagnostics)
        errors = sum(1 for d in exc.diagnostics if d.severity == Severity.ERROR)
        _verdict(False, f"{options.command or 'build'} stopped: {errors} error(s), see above")
        return 1
    except KeyboardInterrupt:
        console.print(
            "interrupted: outputs already written are complete; the rest were not touched"
        )
        return 130


def version() -> str:
    """galley's version, as installed (a checkout run in place says so)."""
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "(not installed: a checkout)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="build articles (the default command)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="article or issue folders under the source folder (default: all)",
    )
    _common(build)
    _building(build)
    build.set_defaults(run=_run_build, deposit=False, crossref=False)

    depositing = commands.add_parser(
        "deposit",
        help="build, then write the deposit packages (MECA zip, oai_dc, PMC)",
        description="Build as `build` does, then package each article's validated outputs: "
        "output/<issue>/<article>/deposit/<article>.meca.zip (MECA, with SHA-256 checksums), "
        "<article>.oai_dc.xml (Dublin Core for OAI-PMH), and output/<issue>/<article>/pmc/ "
        "when journal.yaml has `pmc: true`. Each package is read back and checked.",
    )
    depositing.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="article or issue folders (default: all)",
    )
    _common(depositing)
    _building(depositing)
    depositing.add_argument(
        "--crossref",
        action="store_true",
        help="also submit each issue's Crossref deposit and report each DOI's result "
        "(login from $CROSSREF_USERNAME and $CROSSREF_PASSWORD)",
    )
    depositing.add_argument(
        "--test", action="store_true", help="submit to Crossref's test server, not production"
    )
    depositing.add_argument(
        "--crossref-server",
        default=None,
        metavar="URL",
        help="the deposit server (default: https://doi.crossref.org; with --test "
        "https://test.crossref.org)",
    )
    depositing.add_argument(
        "--wait",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="how long to wait for Crossref's results (default: %(default)s)",
    )
    depositing.set_defaults(run=_run_build, deposit=True)

    checking = commands.add_parser(
        "check",
        help="preflight checks of DOIs, metadata and citations (no outputs)",
        description="Check DOIs, article metadata and citations; write output/report.json "
        "and output/report.html. Exit status 1 on any error (or warning, with --strict).",
    )
    checking.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="article or issue folders (default: all)",
    )
    _common(checking)
    checking.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _online(
        checking,
        "also compare with Crossref's records and resolve DOIs (network; off by default)",
    )
    checking.set_defaults(run=_run_check)

    validating = commands.add_parser(
        "validate",
        help="validate JATS, Crossref, EPUB, HTML or PDF files made elsewhere",
        description="Run galley's validators on any files; the kind, standard and version "
        "are read from each file.",
    )
    validating.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validating.add_argument("--schemas", type=Path, default=None, help="schemas folder")
    validating.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _quiet(validating)
    validating.set_defaults(run=_run_validate)

    preview = commands.add_parser(
        "serve",
        help="preview output/ locally, rebuilding on change",
        description="Serve output/ on 127.0.0.1 at once, build in the background, and rebuild "
        "on every change to source/ or templates/: the edited article's page first, the "
        "validators' verdict after, shown in the page. Stop with Ctrl-C.",
    )
    _common(preview)
    preview.add_argument(
        "--port",
        type=int,
        default=8000,
        help="port on 127.0.0.1 (default 8000; 0 picks a free one)",
    )
    preview.set_defaults(run=_run_serve, paths=[], strict=False, crossref=False)

    importing = commands.add_parser(
        "import",
        help="bring published JATS or a Word manuscript (.docx) into the source folder",
        description="JATS (JATS 1.0-1.4, NLM 3.0; a folder imports every .xml/.nxml in it): "
        "write galley source (journal.yaml, issue.yaml, article.md, references.yaml, figures, "
        "translations) into the source folder --into; an existing journal or issue is checked, "
        "never overwritten. Word (.docx): write one article folder into the issue folder --into "
        "source/ISSUE/: body, figures, tables, equations, footnotes, front matter from the "
        "first page (gaps marked FILL IN, which `check` refuses), references parsed into CSL "
        "and in-text citations linked. An existing article folder is an error. Each article "
        "gets an import-report.md of what could not be carried or needs the editor's eye.",
    )
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importing.add_argument(
        "--into",
        type=Path,
        default=None,
        help="source folder, or an issue folder for Word (default: the journal's source/)",
    )
    _quiet(importing)
    importing.add_argument(
        "--article", default=None, help="Word: the article's folder name (default: the file's)"
    )
    importing.add_argument(
        "--changes",
        choices=("refuse", "accept", "reject"),
        default="refuse",
        help="Word: what to do with tracked changes (default: refuse the file)",
    )
    importing.add_argument(
        "--comments",
        choices=("refuse", "drop"),
        default="refuse",
        help="Word: what to do with comments (default: refuse; drop lists them in the report)",
    )
    _online(
        importing,
        "Word: match references without a DOI against Crossref (network; off by default)",
    )
    importing.set_defaults(run=_run_import)

    comparing = commands.add_parser(
        "compare",
        help="compare two JATS files: words in order, element counts, metadata",
        description="Print how much of ORIGINAL's body text is found, in order, in OTHER; the "
        "counts of the elements a migration must keep; and the metadata fields that differ. "
        "Exit status 1 when words fall under --words, a citation links another reference, or a "
        "count or a metadata field differs.",
    )
    comparing.add_argument("original", type=Path, metavar="ORIGINAL")
    comparing.add_argument("other", type=Path, metavar="OTHER")
    comparing.add_argument(
        "--words", type=float, default=99.5, help="required share of words, in percent"
    )
    _quiet(comparing)
    comparing.set_defaults(run=_run_compare)

    fetch = commands.add_parser(
        "schemas",
        help="manage the schema cache",
        description="fetch: download the official JATS 1.3 and Crossref 5.3.1 schemas (and "
        "JATS4R's schematrons) into the user cache; where: print where each is found.",
    )
    fetch.add_argument(
        "action",
        choices=["fetch", "where"],
        help="fetch: download the schemas from their publishers into the user "
        "cache; where: print where each schema is found",
    )
    fetch.add_argument("--schemas", type=Path, help="folder to fetch into / search first")
    _quiet(fetch)
    fetch.set_defaults(run=_run_schemas)
    _project_commands(commands)
    return parser


def _project_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """init, new, tools: starting a journal and setting galley up."""
    starting = commands.add_parser(
        "init",
        help="start a journal: journal.yaml, a first issue and an example article",
        description="Write FOLDER/source/journal.yaml, a first issue and an example article "
        "that builds at once. Each answer not given as an option is asked for (at a "
        "terminal). ISSNs are checked (check digit), as are the DOI prefix and the language.",
    )
    starting.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="FOLDER")
    starting.add_argument("--title", help="the journal's full title")
    starting.add_argument("--publisher", help="the publisher's name")
    starting.add_argument("--doi-prefix", help="the DOI prefix Crossref assigned (10.NNNN)")
    starting.add_argument(
        "--article-url",
        help="each article's landing page, with {issue} and {article} (or {doi}) in it",
    )
    starting.add_argument("--issn-print", help="the print ISSN (NNNN-NNNC), if any")
    starting.add_argument("--issn-electronic", help="the electronic ISSN, if any")
    starting.add_argument("--lang", help="the journal's language (BCP 47: en, fr, pt-BR)")
    starting.add_argument("--email", help="the depositor's e-mail, for Crossref deposits")
    starting.add_argument(
        "--csl", help="the citation style, by its CSL repository name (default: apa)"
    )
    starting.add_argument("--id", help="a short code for file names (default: from the title)")
    _quiet(starting)
    starting.set_defaults(run=_run_init)

    adding = commands.add_parser(
        "new",
        help="add an issue, or an article skeleton to an issue",
        description="`new article ISSUE/ID`: write source/ISSUE/ID/article.md and "
        "references.yaml, every value to write marked FILL IN (which `check` refuses), and "
        "list ID last in the issue. `new issue ID --volume V [--number N] --issued DATE`: "
        "write source/ID/issue.yaml (each value not given as an option is asked for at a "
        "terminal).",
    )
    adding.add_argument("what", choices=["article", "issue"])
    adding.add_argument("where", metavar="ISSUE/ID | ID")
    adding.add_argument("--volume", help="issue: its volume")
    adding.add_argument("--number", help="issue: its number in the volume (none: continuous)")
    adding.add_argument("--issued", help="issue: its date of publication, YYYY[-MM[-DD]]")
    _common(adding)
    adding.set_defaults(run=_run_new)

    tooling = commands.add_parser(
        "tools",
        help="install or locate the validators, MathJax and the schemas galley uses",
        description="install: `npm ci` of galley's pinned packages (vnu.jar, MathJax, Ace by "
        "DAISY, axe-core; each checked against package-lock.json's SHA-512) and the official "
        "schemas not yet found (JATS 1.3, Crossref 5.3.1, JATS4R, SchXslt, from their "
        "publishers) into the user cache, once; galley then works offline. where: print "
        "where each tool and schema set is found.",
    )
    tooling.add_argument("action", choices=["install", "where"])
    _quiet(tooling)
    tooling.set_defaults(run=_run_tools)


def _building(parser: argparse.ArgumentParser) -> None:
    """Options of the commands that build (build, deposit)."""
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--force",
        action="store_true",
        help="rebuild every article, even those unchanged since the last good build",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="build N articles at a time (default: one per core; 1: no worker processes)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the per-article jobs on a Dask cluster, e.g. tcp://10.0.0.5:8786 "
        "(needs `pip install -e '.[cluster]'`); outputs are the same as a local build",
    )


def _quiet(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only problems and the verdict"
    )


def _common(parser: argparse.ArgumentParser) -> None:
    """Where the journal is: found from the current folder, unless an option says."""
    _quiet(parser)
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help="source folder (default: source/ of the journal galley is run in)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="output folder (default: output/ beside the source folder)",
    )
    parser.add_argument(
        "--templates",
        type=Path,
        default=None,
        help="the journal's own templates, each overriding galley's file of the same name "
        "(default: templates/ beside the source folder, if there is one)",
    )
    parser.add_argument(
        "--schemas",
        type=Path,
        default=None,
        help=f"schemas folder (default: ${schemas.ENV_VAR}, then the user cache)",
    )


def _settings(options: argparse.Namespace) -> Settings:
    found = project_settings(Path.cwd(), options.source, options.output, options.templates)
    return replace(
        found,
        schemas=options.schemas,
        select=tuple(_selected(path, found.source) for path in options.paths),
        strict=options.strict,
        jobs=getattr(options, "jobs", 0),
        scheduler=getattr(options, "scheduler", None),
    )


def _selected(path: Path, source: Path) -> Path:
    """A PATH argument: as typed from here if it exists, else an issue or article of source/."""
    if path.is_absolute() or path.exists():
        return path
    return source / path


def _run_build(options: argparse.Namespace, console: Console) -> int:
    from galley.pipeline import build

    settings = _settings(options)
    if console.is_terminal and not options.quiet:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("building", total=None)
            result = build(
                settings,
                lambda step: bar.update(task, advance=1, description=step),
                deposit=options.deposit,
                force=options.force,
            )
    else:
        result = build(settings, deposit=options.deposit, force=options.force)
    _print_diagnostics(console, result.report.diagnostics)
    code = result.report.exit_code
    if options.crossref and code == 0:
        code = _submit(options, console, settings)
        if code:
            _verdict(False, "built, but the Crossref submission failed (see above)")
            return code
    _summary(result, settings.strict)
    return code


def _submit(options: argparse.Namespace, console: Console, settings: Settings) -> int:
    """`deposit --crossref`: send each selected issue's deposit file, report each DOI."""
    from galley.deposit import crossref

    server = options.crossref_server or (crossref.TEST if options.test else crossref.PRODUCTION)
    login = crossref.credentials()
    issues = {
        path.resolve().relative_to(settings.source.resolve()).parts[0]
        for path in settings.select
        if path.resolve().is_relative_to(settings.source.resolve())
        and path.resolve() != settings.source.resolve()
    }
    files = sorted(settings.output.glob("*/*.crossref.xml"))
    files = [f for f in files if not issues or f.parent.name in issues]
    if not files:
        _print_diagnostics(
            console,
            [
                error(
                    Code.CROSSREF_NOTHING,
                    f"no Crossref deposit file under {display_path(settings.output)}",
                    hint="an issue's deposit is written when every article of it builds",
                )
            ],
        )
        return 1
    problems: list[Diagnostic] = []
    for file in files:
        console.print(f"submitting {display_path(file)} to {server}", markup=False)
        problems += crossref.submit(file, server, login, wait=options.wait)
    _print_diagnostics(console, problems)
    for diagnostic in problems:
        if diagnostic.code == Code.CROSSREF_REGISTERED:
            print(diagnostic.message)
    return 1 if any(d.severity == Severity.ERROR for d in problems) else 0


def _online(parser: argparse.ArgumentParser, what: str) -> None:
    """The options of a command that may ask Crossref (check, import)."""
    parser.add_argument("--online", action="store_true", help=what)
    parser.add_argument(
        "--crossref-url",
        default=online_defaults()[0],
        help="Crossref REST API base URL (default: %(default)s)",
    )
    parser.add_argument(
        "--doi-url",
        default=online_defaults()[1],
        help="DOI resolver base URL (default: %(default)s)",
    )
    parser.add_argument(
        "--mailto",
        default=None,
        help="contact e-mail for Crossref's polite pool (default: the journal's crossref.email)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="do not use the on-disk cache of Crossref answers"
    )


def _crossref(options: argparse.Namespace, settings: Settings) -> CrossrefClient | None:
    """The polite, cached Crossref client the options ask for, or None (offline)."""
    if not options.online:
        return None
    from galley.checks.online import CrossrefClient, default_cache

    return CrossrefClient(
        api=options.crossref_url,
        resolver=options.doi_url,
        mailto=options.mailto or _journal_email(settings),
        cache=None if options.no_cache else default_cache(),
    )


def online_defaults() -> tuple[str, str]:
    from galley.checks.online import DEFAULT_API, DEFAULT_RESOLVER

    return DEFAULT_API, DEFAULT_RESOLVER


def _run_check(options: argparse.Namespace, console: Console) -> int:
    from galley.pipeline import check

    settings = _settings(options)
    result = check(settings, _crossref(options, settings))
    _print_diagnostics(console, result.report.diagnostics)
    _check_table(result, options.quiet)
    return result.report.exit_code


def _journal_email(settings: Settings) -> str | None:
    from galley.layout import JOURNAL_FILE
    from galley.read.journal import read_journal

    try:
        return read_journal(settings.source / JOURNAL_FILE).depositor_email
    except GalleyError:
        return None


def _check_table(result: BuildResult, quiet: bool) -> None:
    from rich.table import Table

    from galley import report

    records = report.entries(result.report, result.checklist)
    table = Table(title="Preflight", show_edge=False)
    for column in ("check", "passed", "warnings", "errors"):
        table.add_column(column, justify="left" if column == "check" else "right")
    for name, passes, warnings, errors in report.by_check(records):
        table.add_row(
            name,
            str(passes),
            f"[yellow]{warnings}[/yellow]" if warnings else "0",
            f"[red]{errors}[/red]" if errors else "0",
        )
    if not quiet:
        _stdout().print(table)
    totals = report.summary(records)
    where = (
        f"; full report in {display_path(result.report_file)}"
        if result.report_file
        else "; no report written"
    )
    _verdict(
        not result.report.failed,
        f"{totals['pass']} passed, {totals['warning']} warning(s), "
        f"{totals['error']} error(s){where}",
    )


def _run_validate(options: argparse.Namespace, console: Console) -> int:
    from galley.diagnostics import Report
    from galley.validate.detect import validate_files

    report = Report(strict=options.strict)
    report.extend(validate_files(options.files, options.schemas))
    shown = [d for d in report.diagnostics if not (options.quiet and d.severity == Severity.INFO)]
    _print_diagnostics(console, shown)
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    _verdict(
        not report.failed,
        f"{len(options.files)} file(s); {errors} error(s), {warnings} warning(s)",
        good="valid",
        bad="invalid",
    )
    return report.exit_code


def _run_import(options: argparse.Namespace, console: Console) -> int:
    from galley.importers import Options, import_files
    from galley.layout import IMPORT_REPORT

    into = options.into or project_settings(Path.cwd()).source
    # Asked for with --online only; a manuscript's issue folder's journal gives the e-mail.
    client = _crossref(options, Settings(source=into.parent))
    choices = Options(options.article, options.changes, options.comments, client)
    done, problems = import_files(options.files, into, choices)
    _print_diagnostics(console, problems)
    for imported in done:
        notes = len(imported.report.entries)
        if not options.quiet:
            print(f"{imported.folder}: imported ({notes} note(s) in {IMPORT_REPORT})")
    failed = any(d.severity == Severity.ERROR for d in problems)
    _verdict(not failed, f"{len(done)} article(s) imported into {into}")
    return 1 if failed else 0


def _run_compare(options: argparse.Namespace, console: Console) -> int:
    from galley.compare import compare, render

    result = compare(options.original, options.other)
    if not options.quiet:
        print(render(result))
    ok = (
        result.word_share * 100 >= options.words
        and result.cited_found == result.cited
        and not result.count_differences
        and not result.metadata_differences
    )
    _verdict(ok, result.summary, bad="differs")
    return 0 if ok else 1


def _run_serve(options: argparse.Namespace, console: Console) -> int:
    from galley.pipeline import build, preview_pages
    from galley.serve import serve
    from galley.validate import html

    settings = _settings(options)
    html.keep_running()  # warm while the first build reads and lays out

    def rebuild(folders: list[Path]) -> list[Diagnostic]:
        result = build(replace(settings, select=tuple(folders)) if folders else settings)
        _print_diagnostics(console, result.report.diagnostics)
        _summary(result, settings.strict)
        return list(result.report.diagnostics)

    def preview(folders: list[Path]) -> tuple[dict[str, bytes], list[Diagnostic]]:
        return preview_pages(settings, folders)

    def announce(message: str) -> None:
        print(message, flush=True)

    serve(settings, options.port, rebuild, announce, preview)  # a GalleyError: main says it
    return 0


def _run_schemas(options: argparse.Namespace, console: Console) -> int:
    missing = 0
    for bundle in schemas.BUNDLES:
        if options.action == "fetch":
            path = schemas.fetch(bundle, options.schemas)
            if not options.quiet:
                print(f"{bundle.name}: {path}")
        else:
            try:
                found = schemas.locate(bundle, options.schemas)
                if not options.quiet:
                    print(f"{bundle.name}: {found}")
            except GalleyError as exc:
                missing += 1
                _print_diagnostics(console, exc.diagnostics)
    _verdict(
        not missing,
        f"{len(schemas.BUNDLES) - missing} of {len(schemas.BUNDLES)} schema sets "
        + ("fetched" if options.action == "fetch" else "found"),
    )
    return 1 if missing else 0


def _run_init(options: argparse.Namespace, console: Console) -> int:
    from galley import project

    answers = project.Answers(
        title=_answer(options.title, "The journal's full title"),
        publisher=_answer(options.publisher, "Publisher"),
        doi_prefix=_answer(options.doi_prefix, "DOI prefix (10.NNNN)"),
        article_url=_answer(
            options.article_url,
            "Article landing pages (e.g. https://journal.example.org/{issue}/{article})",
        ),
        lang=_answer(options.lang, "Language (BCP 47, e.g. en, fr)", "en"),
        issn_print=_answer(options.issn_print, "Print ISSN (empty if none)", "") or None,
        issn_electronic=_answer(options.issn_electronic, "Electronic ISSN (empty if none)", "")
        or None,
        email=_answer(options.email, "The depositor's e-mail for Crossref"),
        id=options.id,
        csl=_answer(
            options.csl, "Citation style (a CSL name: apa, ieee, nlm-citation-sequence, ...)", "apa"
        ),
    )
    written = project.init(options.folder, answers)
    if not (answers.issn_print or answers.issn_electronic):
        _print_diagnostics(
            console,
            [
                warning(
                    Code.INIT_ANSWER,
                    "no ISSN given: the build refuses a journal without one (Crossref "
                    "registers a journal by its ISSN)",
                    hint="add `issn: {print: NNNN-NNNC, electronic: NNNN-NNNC}` (either) to "
                    "source/journal.yaml once the ISSN portal has assigned one",
                )
            ],
        )
    if not options.quiet:
        for path in written:
            print(display_path(path))
    folder = display_path(options.folder.resolve())
    _verdict(True, f"journal started in {folder}: run `galley` there to build it")
    return 0


def _answer(given: str | None, question: str, default: str | None = None) -> str:
    """An option's value, else asked at a terminal, else its default (or a usage error)."""
    if given is not None:
        return given
    if sys.stdin.isatty():
        shown = f" [{default}]" if default else ""
        typed = input(f"{question}{shown}: ").strip()
        return typed or (default or "")
    if default is not None:
        return default
    raise GalleyError(
        error(
            Code.INIT_ANSWER,
            f"{question}: not given",
            hint="give every answer as an option (see `galley init --help`) or run it at a "
            "terminal to be asked",
        )
    )


def _run_new(options: argparse.Namespace, console: Console) -> int:
    from galley import project

    settings = project_settings(Path.cwd(), options.source, options.output, options.templates)
    if options.what == "issue":
        made = project.new_issue(
            settings.source,
            options.where.strip("/"),
            _answer(options.volume, "Volume"),
            _answer(options.number, "Issue number (empty if none)", "") or None,
            _answer(options.issued, "Date of publication (YYYY, YYYY-MM or YYYY-MM-DD)"),
        )
        if not options.quiet:
            print(display_path(made))
        _verdict(True, f"issue {options.where} added: add articles with `galley new article`")
        return 0
    written = project.new_article(settings.source, options.where)
    if not options.quiet:
        for path in written:
            print(display_path(path))
    _verdict(True, f"article {options.where} added: fill in its FILL IN values, then `galley`")
    return 0


def _run_tools(options: argparse.Namespace, console: Console) -> int:
    from galley import nodejs
    from galley.validate.epub import epubcheck_jar
    from galley.validate.html import vnu_jar
    from galley.validate.java import java

    if options.action == "install":
        nodejs.install(lambda line: console.print(line, markup=False))
        for bundle in schemas.BUNDLES:
            try:
                schemas.locate(bundle)
            except GalleyError:  # fetched once, while online; every build after is offline
                console.print(f"fetching {bundle.description}", markup=False)
                schemas.fetch(bundle)
    checks: list[tuple[str, Callable[[], object]]] = [
        ("Java (EPUBCheck, Nu HTML Checker)", java),
        ("Node.js (MathJax, Ace by DAISY)", nodejs.node),
        ("EPUBCheck", epubcheck_jar),
        ("Nu HTML Checker (vnu.jar)", vnu_jar),
        ("MathJax", lambda: nodejs.package("mathjax-full", "print math")),
        ("Ace by DAISY", lambda: nodejs.package("@daisy/ace-core", "Ace by DAISY")),
        *(
            (bundle.description, lambda bundle=bundle: schemas.locate(bundle))
            for bundle in schemas.BUNDLES
        ),
    ]
    missing = 0
    for name, locate in checks:
        try:
            found = locate()
        except GalleyError as exc:
            missing += 1
            _print_diagnostics(console, exc.diagnostics)
            continue
        if not options.quiet:
            print(f"{name}: {found}")
    _verdict(not missing, f"{len(checks) - missing} of {len(checks)} tools and schema sets found")
    return 1 if missing else 0


def _print_diagnostics(console: Console, diagnostics: Sequence[Diagnostic]) -> None:
    styles = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
    for diagnostic in diagnostics:
        console.print(diagnostic.format(), style=styles[diagnostic.severity], markup=False)


def _stdout() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _verdict(ok: bool, text: str, good: str = "ok", bad: str = "failed") -> None:
    """The run's last line, on stdout: its verdict, then what it did."""
    word = f"[green]{good}[/green]" if ok else f"[red]{bad}[/red]"
    _stdout().print(f"{word}: {rich_escape(text)}")


def _summary(result: BuildResult, strict: bool) -> None:
    if result.up_to_date:
        _verdict(True, "up to date: nothing changed since the last good build (--force rebuilds)")
        return
    report = result.report
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    built = ", ".join(result.built) or "nothing"
    reused = (
        f"; unchanged since the last good build, not rebuilt: {', '.join(result.reused)}"
        if result.reused
        else ""
    )
    failed = f"; not written: {', '.join(result.failed)}" if result.failed else ""
    strictly = " (warnings count as errors: --strict)" if strict and warnings and not errors else ""
    where = f"; report in {display_path(result.report_file)}" if result.report_file else ""
    _verdict(
        not report.failed,
        f"built {built}{reused}{failed}; {len(result.written)} file(s) written; "
        f"{errors} error(s), {warnings} warning(s){strictly}{where}",
    )
