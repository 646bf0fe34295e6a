"""What a published original lacks: the gaps an import records, and the checks they soften.

galley's checks are made for new manuscripts: a reference needs its journal's title, a table
its header row, a translation its own DOI. An article a journal published years ago may lack
them, and what was published must still publish. The importer writes what the original lacks
in the article's own source, in an `imported:` block:

    imported:
      from: journal.pbio.0020188.xml          # the published original
      gaps:                                   # what it lacks, by kind, each with what and where
        reference-fields: ["@PCB1: container-title"]
        table-headers: [tbl-t001]

A check whose finding is one of these gaps reports it as a warning naming the original, never
as an error that blocks the article; every other finding keeps its severity, and an article
without the block (a new one) keeps every error. galley never fills a gap itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from galley.codes import Code, Family, FamilyCode
from galley.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Gap:
    """A kind of gap: the finding it explains (a code, and for a validator whose one code
    covers several rules, the words of that rule's message) and what the original lacks."""

    codes: tuple[Code | FamilyCode, ...]
    lacks: str
    message: re.Pattern[str] | None = None

    def explains(self, diagnostic: Diagnostic) -> bool:
        if diagnostic.code not in self.codes:
            return False
        return self.message is None or bool(self.message.search(diagnostic.message))


# Every kind of gap an `imported:` block may name, and the one finding each explains.
GAPS: dict[str, Gap] = {
    "authors": Gap((Code.ARTICLE_NO_AUTHOR,), "names no author"),
    "doi": Gap((Code.ARTICLE_DOI_MISSING,), "has no DOI"),
    "body": Gap((Code.ARTICLE_EMPTY_BODY,), "has no body text (published on acceptance, say)"),
    "translation-doi": Gap((Code.TRANSLATION_DOI,), "registered no DOI for its translation"),
    "reference-fields": Gap((Code.CITATIONS_MISSING_FIELD,), "gives references without them"),
    "reference-doi": Gap((Code.CITATIONS_DOI,), "gives references with a DOI that is no DOI"),
    "reference-pages": Gap(
        (Family.JATS4R.code("general-citations-errors"),),
        "gives references whose last page is not after the first",
        re.compile(r"<lpage> must be larger than <fpage>"),
    ),
    "table-headers": Gap(
        (Family.JATS4R.code("accessibility-errors"),),
        "has tables without a header row",
        re.compile(r"<th> element not found"),
    ),
    "table-images": Gap(
        (Family.JATS4R.code("accessibility-errors"),),
        "gives tables only as images",
        re.compile(r"<table> element not found inside <table-wrap>"),
    ),
    "formula-images": Gap(
        (Family.JATS4R.code("accessibility-errors"),),
        "gives formulas only as images",
        re.compile(r"<graphic> to represent mathematical notation"),
    ),
    "abstract-structure": Gap(
        (Family.JATS4R.code("abstract-errors"),),
        "has an abstract of one section and no paragraph of its own",
        re.compile(r"only 1 <sec>"),
    ),
    "copyright": Gap(
        (Family.JATS4R.code("permissions-errors"),),
        "states its copyright without a holder or a year",
        re.compile(r"Missing <copyright-(holder|year)>"),
    ),
}


@dataclass(frozen=True)
class Imported:
    """An imported article's original and the gaps it has: (kind, what and where)."""

    original: str
    gaps: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def gap_for(self, diagnostic: Diagnostic) -> tuple[str, tuple[str, ...]] | None:
        for kind, items in self.gaps:
            if GAPS[kind].explains(diagnostic):
                return kind, items
        return None


def excuse(diagnostics: Iterable[Diagnostic], imported: Imported | None) -> list[Diagnostic]:
    """The findings, an error that is a gap of the published original made a warning that
    says so; everything else as it was."""
    found = list(diagnostics)
    if imported is None:
        return found
    out = []
    for diagnostic in found:
        gap = imported.gap_for(diagnostic) if diagnostic.severity == Severity.ERROR else None
        if gap is None:
            out.append(diagnostic)
            continue
        kind, _ = gap
        out.append(
            replace(
                diagnostic,
                severity=Severity.WARNING,
                message=f"{diagnostic.message} (as published: {imported.original} "
                f"{GAPS[kind].lacks})",
                hint=f"kept as the journal published it; once mended here, take `{kind}` out "
                "of `imported.gaps`",
            )
        )
    return out
