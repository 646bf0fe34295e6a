"""Article metadata checks: volume, issue, ISSN against the journal and issue; names; abstracts."""

from __future__ import annotations

from galley.checks import Checklist
from galley.codes import Code
from galley.diagnostics import Diagnostic, error, warning
from galley.model import Article, Project


def check(project: Project, checklist: Checklist) -> None:
    """What holds across files. Each value's own syntax (an ISSN's check digit, a page
    range's order) is the reader's rule, checked once where the value is read."""
    journal = project.journal
    for article in project.articles:
        checklist.record(
            "metadata.consistent",
            article.key,
            _consistency(article),
            article.source.span("citation"),
        )
        checklist.record(
            "metadata.names", article.key, _names(article), article.source.span("author")
        )
        if journal.require_abstract:
            found = (
                []
                if article.abstract
                else [
                    error(
                        Code.METADATA_ABSTRACT,
                        "the journal requires an abstract and this article has none",
                        article.source.span(),
                        "add `abstract: |` with the text",
                    )
                ]
            )
            checklist.record(Code.METADATA_ABSTRACT, article.key, found, article.source.span())


def _consistency(article: Article) -> list[Diagnostic]:
    """`citation.*` values an editor copied from elsewhere must agree with the issue."""
    found = []
    issue, journal = article.issue, article.journal
    given = article.source.linemap
    raw = dict(article.declared_citation)
    expected = {
        "container-title": journal.title,
        "volume": issue.volume,
        "issue": issue.number,
    }
    for key, value in expected.items():
        if key in raw and str(raw[key]).strip() != str(value):
            found.append(
                error(
                    Code.METADATA_INCONSISTENT,
                    f"citation.{key} is '{raw[key]}', but "
                    f"the {'journal' if key == 'container-title' else 'issue'} says "
                    f"'{value}'",
                    given.span(("citation", key)),
                    f"remove citation.{key} (it comes from journal.yaml/issue.yaml) or correct it",
                )
            )
    if "issn" in raw and raw["issn"] not in (journal.issn_print, journal.issn_electronic):
        found.append(
            error(
                Code.METADATA_INCONSISTENT,
                f"citation.issn {raw['issn']} is not one of the journal's ISSNs",
                given.span(("citation", "issn")),
                "remove it or use the journal's ISSN",
            )
        )
    return found


def _names(article: Article) -> list[Diagnostic]:
    found = []
    for index, contributor in enumerate(article.contributors):
        name = contributor.name
        if not name.literal and not name.given:
            found.append(
                warning(
                    Code.METADATA_NAME,
                    f"author {index + 1} ({name.display}) has no given name",
                    article.source.span("author", index, "name"),
                    "add `given:` (Crossref and indexes expect it)",
                )
            )
    return found
