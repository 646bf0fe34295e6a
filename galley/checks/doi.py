"""DOI checks: syntax, the journal's prefix and suffix pattern, uniqueness across articles."""

from __future__ import annotations

import re

from galley.checks import Checklist
from galley.codes import Code
from galley.diagnostics import error, warning
from galley.identifiers import doi_prefix, is_modern_doi
from galley.model import Project


def check(project: Project, checklist: Checklist) -> None:
    journal = project.journal
    seen: dict[str, str] = {}
    versions = [v for a in project.articles for v in (a, *a.translations)]
    # Every language version has a DOI of its own; one published without (said by
    # `translation.doi` when read) has none to check.
    for article in (version for version in versions if version.doi):
        where = (
            article.source.span("doi")
            if "doi" in _keys(article)
            else article.source.span("citation", "doi")
        )
        subject = article.key
        checklist.record(
            Code.DOI_SYNTAX,
            subject,
            []
            if is_modern_doi(article.doi)
            else [
                warning(
                    Code.DOI_SYNTAX,
                    f"'{article.doi}' has characters outside Crossref's recommended DOI pattern",
                    where,
                    "Crossref registers it, but links and software handle such DOIs badly: "
                    "a new DOI should use only letters, digits and - . _ ; ( ) / :",
                )
            ],
            where,
        )
        prefix = doi_prefix(article.doi)
        checklist.record(
            Code.DOI_PREFIX,
            subject,
            []
            if prefix == journal.doi_prefix
            else [
                error(
                    Code.DOI_PREFIX,
                    f"DOI {article.doi} has the prefix {prefix}, but the journal's "
                    f"is {journal.doi_prefix}",
                    where,
                    f"use the journal's prefix: {journal.doi_prefix}/...",
                )
            ],
            where,
        )
        if journal.doi_suffix_pattern:
            suffix = article.doi.split("/", 1)[-1]
            ok = re.search(journal.doi_suffix_pattern, suffix) is not None
            checklist.record(
                Code.DOI_SUFFIX,
                subject,
                []
                if ok
                else [
                    error(
                        Code.DOI_SUFFIX,
                        f"DOI suffix '{suffix}' does not follow the journal's "
                        f"pattern {journal.doi_suffix_pattern}",
                        where,
                        "check the DOI against the journal's numbering",
                    )
                ],
                where,
            )
        key = article.doi.lower()
        if key in seen:
            checklist.failed(
                "doi.unique",
                subject,
                error(
                    Code.DOI_DUPLICATE,
                    f"DOI {article.doi} is also the DOI of {seen[key]}",
                    where,
                    "every article needs its own DOI",
                ),
            )
        else:
            seen[key] = str(article.source_file)
            checklist.passed("doi.unique", subject, where)


def _keys(article: object) -> set[str]:
    source = getattr(article, "source", None)
    lines = getattr(getattr(source, "linemap", None), "lines", {})
    return {key[0] for key in lines if len(key) == 1 and isinstance(key[0], str)}
