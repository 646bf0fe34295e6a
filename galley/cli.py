"""The command line: `python build.py [PATH ...]` and its subcommands.

Exit codes: 0 when every output is valid (and, with --strict, nothing was warned about),
1 when any error was found, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from galley import schemas
from galley.config import Settings
from galley.diagnostics import Diagnostic, GalleyError, Severity, display_path

if TYPE_CHECKING:
    from galley.checks.online import CrossrefClient
    from galley.pipeline import BuildResult

COMMANDS = ("build", "check", "deposit", "validate", "serve", "schemas", "import", "compare")

DESCRIPTION = """\
galley turns every article under source/ into validated outputs under output/.

  python build.py                   build every article of every issue
  python build.py PATH ...          build only these articles or issues (folders under source/)
  python build.py check [--online]  preflight checks of DOIs, metadata and citations
  python build.py deposit           build, then write MECA, oai_dc and PMC deposit packages
  python build.py validate FILE ... validate JATS, Crossref, EPUB, HTML or PDF made elsewhere
  python build.py serve             build, preview on http://127.0.0.1:8000/, rebuild on change
  python build.py schemas fetch     download the JATS and Crossref schemas into the user cache
  python build.py import FILE ...   bring published JATS (a file, or a folder of them) into source/,
                                    or a Word manuscript into an issue (--into source/ISSUE/)
  python build.py compare A.xml B.xml   compare two JATS files (words, element counts, metadata)

Outputs per article (output/<issue>/<article>/): <article>.xml (JATS 1.3: official XSD and
galley's rules), <article>.html (web page: Nu HTML Checker), <article>.epub (EPUBCheck),
<article>.pdf (print edition, PDF/A-3b, tagged; its pages are used by every format). Per
issue: index.html (contents), <issue>.epub, <issue>.crossref.xml (Crossref 5.3.1 XSD). Every
build also runs the preflight checks and writes output/report.json and output/report.html.
Nothing invalid is written: an article with an error keeps its previous outputs, and the run
exits with status 1.

Schemas are found through --schemas, then $GALLEY_SCHEMAS, then the per-user cache.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for build.py and the `galley` script."""
    args = list(sys.argv[1:] if argv is None else argv)
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
        return 1
    except KeyboardInterrupt:
        console.print(
            "interrupted: outputs already written are complete; the rest were not touched"
        )
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py",
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
    build.set_defaults(run=_run_build, deposit=False)

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
    checking.set_defaults(run=_run_check, quiet=False)

    validating = commands.add_parser(
        "validate",
        help="validate JATS, Crossref, EPUB, HTML or PDF files made elsewhere",
        description="Run galley's validators on any files; the kind, standard and version "
        "are read from each file.",
    )
    validating.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validating.add_argument("--schemas", type=Path, default=None, help="schemas folder")
    validating.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validating.set_defaults(run=_run_validate)

    preview = commands.add_parser("serve", help="preview output/ locally, rebuilding on change")
    _common(preview)
    preview.add_argument(
        "--port",
        type=int,
        default=8000,
        help="port on 127.0.0.1 (default 8000; 0 picks a free one)",
    )
    preview.set_defaults(run=_run_serve, paths=[], strict=False, quiet=False)

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
        "--into", type=Path, default=Settings().source, help="source folder (default: source/)"
    )
    importing.add_argument("-q", "--quiet", action="store_true", help="print only problems")
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
    comparing.set_defaults(run=_run_compare)

    fetch = commands.add_parser("schemas", help="manage the schema cache")
    fetch.add_argument(
        "action",
        choices=["fetch", "where"],
        help="fetch: download the schemas from their publishers into the user "
        "cache; where: print where each schema is found",
    )
    fetch.add_argument("--schemas", type=Path, help="folder to fetch into / search first")
    fetch.set_defaults(run=_run_schemas)
    return parser


def _building(parser: argparse.ArgumentParser) -> None:
    """Options of the commands that build (build, deposit)."""
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
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


def _common(parser: argparse.ArgumentParser) -> None:
    defaults = Settings()
    parser.add_argument(
        "--source",
        type=Path,
        default=defaults.source,
        help=f"source folder (default: {defaults.source.name}/)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=defaults.output,
        help=f"output folder (default: {defaults.output.name}/)",
    )
    parser.add_argument(
        "--templates",
        type=Path,
        default=defaults.templates,
        help=f"templates folder (default: {defaults.templates.name}/)",
    )
    parser.add_argument(
        "--schemas",
        type=Path,
        default=None,
        help=f"schemas folder (default: ${schemas.ENV_VAR}, then the user cache)",
    )


def _settings(options: argparse.Namespace) -> Settings:
    return Settings(
        source=options.source,
        output=options.output,
        templates=options.templates,
        schemas=options.schemas,
        select=tuple(options.paths),
        strict=options.strict,
        jobs=getattr(options, "jobs", 0),
        scheduler=getattr(options, "scheduler", None),
    )


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
    if not options.quiet:
        _summary(console, result)
    return result.report.exit_code


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
    _check_table(console, result, settings.output)
    return result.report.exit_code


def _journal_email(settings: Settings) -> str | None:
    from galley.reader import JOURNAL_FILE, read_journal

    try:
        return read_journal(settings.source / JOURNAL_FILE).depositor_email
    except GalleyError:
        return None


def _check_table(console: Console, result: BuildResult, output: Path) -> None:
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
    console.print(table)
    totals = report.summary(records)
    verdict = "[red]failed[/red]" if result.report.failed else "[green]ok[/green]"
    console.print(
        f"{verdict}: {totals['pass']} passed, {totals['warning']} warning(s), "
        f"{totals['error']} error(s); full report in {display_path(output / 'report.html')}"
    )


def _run_validate(options: argparse.Namespace, console: Console) -> int:
    from galley.diagnostics import Report
    from galley.validate.detect import validate_files

    report = Report(strict=options.strict)
    report.extend(validate_files(options.files, options.schemas))
    _print_diagnostics(console, report.diagnostics)
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    verdict = "[red]invalid[/red]" if report.failed else "[green]valid[/green]"
    console.print(
        f"{verdict}: {len(options.files)} file(s); {errors} error(s), {warnings} warning(s)"
    )
    return report.exit_code


def _run_import(options: argparse.Namespace, console: Console) -> int:
    from galley.importers.docx import Options, import_manuscripts
    from galley.importers.jats import import_paths

    words = [f for f in options.files if f.suffix.lower() in (".docx", ".doc", ".docm")]
    jats = [f for f in options.files if f not in words]
    done, problems = import_paths(jats, options.into) if jats else ([], [])
    if words:
        settings = Settings(source=options.into.parent)  # the journal gives the e-mail
        client = _crossref(options, settings)
        choices = Options(options.article, options.changes, options.comments, client)
        manuscripts, troubles = import_manuscripts(words, options.into, choices)
        done += manuscripts  # type: ignore[arg-type]
        problems += troubles
    _print_diagnostics(console, problems)
    for imported in done:
        notes = len(imported.report.entries)
        print(f"{imported.folder}: imported ({notes} note(s) in import-report.md)")
    failed = any(d.severity == Severity.ERROR for d in problems)
    verdict = "[red]failed[/red]" if failed else "[green]ok[/green]"
    console.print(f"{verdict}: {len(done)} article(s) imported into {options.into}")
    return 1 if failed else 0


def _run_compare(options: argparse.Namespace, console: Console) -> int:
    from galley.compare import compare, render

    result = compare(options.original, options.other)
    print(render(result))
    ok = (
        result.word_share * 100 >= options.words
        and result.cited_found == result.cited
        and not result.count_differences
        and not result.metadata_differences
    )
    console.print(("[green]ok[/green]" if ok else "[red]differs[/red]") + f": {result.summary}")
    return 0 if ok else 1


def _run_serve(options: argparse.Namespace, console: Console) -> int:
    from galley.pipeline import build, preview_pages
    from galley.serve import serve

    settings = _settings(options)

    def rebuild() -> list[Diagnostic]:
        result = build(settings)
        _print_diagnostics(console, result.report.diagnostics)
        _summary(console, result)
        return list(result.report.diagnostics)

    def preview(folders: list[Path]) -> tuple[dict[str, bytes], list[Diagnostic]]:
        return preview_pages(settings, folders)

    def announce(message: str) -> None:
        print(message, flush=True)

    try:
        serve(settings, options.port, rebuild, announce, preview)
    except GalleyError as exc:
        _print_diagnostics(console, exc.diagnostics)
        return 1
    return 0


def _run_schemas(options: argparse.Namespace, console: Console) -> int:
    for bundle in schemas.BUNDLES:
        if options.action == "fetch":
            path = schemas.fetch(bundle, options.schemas)
            console.print(f"{bundle.name}: {path}")
        else:
            try:
                console.print(f"{bundle.name}: {schemas.locate(bundle, options.schemas)}")
            except GalleyError as exc:
                _print_diagnostics(console, exc.diagnostics)
    return 0


def _print_diagnostics(console: Console, diagnostics: Sequence[Diagnostic]) -> None:
    styles = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
    for diagnostic in diagnostics:
        console.print(diagnostic.format(), style=styles[diagnostic.severity], markup=False)


def _summary(console: Console, result: BuildResult) -> None:
    if result.up_to_date:
        console.print(
            "[green]ok[/green]: up to date: nothing changed since the last good "
            "build (--force rebuilds)"
        )
        return
    report = result.report
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    verdict = "[red]failed[/red]" if report.failed else "[green]ok[/green]"
    built = ", ".join(result.built) or "nothing"
    reused = (
        f"; unchanged since the last good build, not rebuilt: {', '.join(result.reused)}"
        if result.reused
        else ""
    )
    failed = f"; not written: {', '.join(result.failed)}" if result.failed else ""
    console.print(
        f"{verdict}: built {built}{reused}{failed}; {len(result.written)} file(s) written; "
        f"{errors} error(s), {warnings} warning(s)",
        markup=True,
        highlight=False,
    )
