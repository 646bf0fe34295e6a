"""Citation checks: each reference has what its type needs, DOIs are sound, no duplicates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from galley.checks import Checklist
from galley.codes import Code
from galley.diagnostics import Diagnostic, error, warning
from galley.identifiers import is_doi, is_modern_doi
from galley.model import Project, Reference

# What each CSL type needs to be findable (errors) and what it should have (warnings).
REQUIRED: dict[str, tuple[str, ...]] = {
    "article-journal": ("author", "issued", "title", "container-title"),
    "article-magazine": ("author", "issued", "title", "container-title"),
    "article-newspaper": ("issued", "title", "container-title"),
    "book": ("author", "issued", "title"),
    "chapter": ("author", "issued", "title", "container-title"),
    "paper-conference": ("author", "issued", "title"),
    "report": ("author", "issued", "title"),
    "thesis": ("author", "issued", "title"),
    "webpage": ("title", "URL"),
}
RECOMMENDED: dict[str, tuple[str, ...]] = {
    "book": ("publisher",),
    "chapter": ("publisher", "page"),
    "report": ("publisher",),
    "thesis": ("publisher",),
    "article-journal": ("volume",),
    "paper-conference": ("container-title",),
}
# Other kinds (a document, a web page): a title; "n.d." is a legitimate date for them.
DEFAULT_REQUIRED = ("title",)


def _has(reference: Reference, name: str) -> bool:
    if name == "author":
        return bool(reference.authors or reference.editors)
    values = {
        "issued": reference.issued,
        "title": reference.title,
        "container-title": reference.container_title,
        "URL": reference.url,
        "publisher": reference.publisher,
        "volume": reference.volume,
        "page": reference.page,
    }
    return bool(values.get(name))


def missing_fields(item: Mapping[str, Any]) -> list[str]:
    """The variables a CSL item (as written in references.yaml) lacks for its type: what
    `citations.missing-field` refuses, said before the reference is read (by an import)."""
    needed = REQUIRED.get(str(item.get("type", "")), DEFAULT_REQUIRED)
    names = {"author": ("author", "editor")}

    def given(key: str) -> bool:
        value = item.get(key)
        if key == "issued" and isinstance(value, Mapping):  # a date, not "in press"
            return bool(value.get("date-parts"))
        return bool(value)

    return [name for name in needed if not any(given(key) for key in names.get(name, (name,)))]


def check(project: Project, checklist: Checklist) -> None:
    for article in project.articles:
        checklist.record("citations.keys", article.key, article.deferred, article.source.span())
        seen: dict[str, Reference] = {}
        for reference in article.references:
            subject = f"{article.key} @{reference.id}"
            checklist.record("citations.fields", subject, _fields(reference), reference.span)
            doi_problems: list[Diagnostic] = []
            if reference.doi and not is_doi(reference.doi):
                doi_problems.append(
                    error(
                        Code.CITATIONS_DOI,
                        f"reference @{reference.id}: '{reference.doi}' is not a valid DOI",
                        reference.span,
                        "write the bare DOI: 10.xxxx/...",
                    )
                )
            elif reference.doi and not is_modern_doi(reference.doi):
                doi_problems.append(
                    warning(
                        Code.CITATIONS_DOI,
                        f"reference @{reference.id}: '{reference.doi}' has characters outside "
                        "Crossref's recommended DOI pattern (an old SICI DOI, say)",
                        reference.span,
                        "check it against the publisher's page; it is kept as typed",
                    )
                )
            checklist.record(Code.CITATIONS_DOI, subject, doi_problems, reference.span)
            key = _identity(reference)
            if key in seen:
                checklist.failed(
                    Code.CITATIONS_DUPLICATE,
                    subject,
                    warning(
                        Code.CITATIONS_DUPLICATE,
                        f"reference @{reference.id} repeats @{seen[key].id}",
                        reference.span,
                        "keep one entry and cite it",
                    ),
                )
            else:
                seen[key] = reference
                checklist.passed(Code.CITATIONS_DUPLICATE, subject, reference.span)


def _fields(reference: Reference) -> list[Diagnostic]:
    found = []
    for name in REQUIRED.get(reference.type, DEFAULT_REQUIRED):
        if not _has(reference, name):
            found.append(
                error(
                    Code.CITATIONS_MISSING_FIELD,
                    f"reference @{reference.id} ({reference.type}) has no {name}",
                    reference.span,
                    f"add `{name}:` to the entry",
                )
            )
    organisation = any(name.literal for name in reference.authors)
    for name in RECOMMENDED.get(reference.type, ()):
        if name == "publisher" and organisation:
            continue  # an organisation's own report: the author is the publisher
        if not _has(reference, name):
            found.append(
                warning(
                    Code.CITATIONS_MISSING_FIELD,
                    f"reference @{reference.id} ({reference.type}) has no {name}",
                    reference.span,
                    f"add `{name}:` if the source shows it",
                )
            )
    return found


def _identity(reference: Reference) -> str:
    """Same DOI, or same title, year, first author and container: the same work."""
    if reference.doi:
        return reference.doi.lower()
    first = reference.authors[0].sort if reference.authors else ""
    year = reference.issued.year if reference.issued else ""
    return "|".join(
        str(part).casefold()
        for part in (
            reference.title,
            year,
            first,
            reference.container_title,
            reference.volume,
            reference.issue,
            reference.year_suffix,
        )
    )
