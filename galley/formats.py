"""Every kind of file galley writes, declared once: pandoc's writers table for galley.

A row says what makes the file (a renderer per scope, or the print make-up), what checks it
(validators run by the build, a sniffer and a reader of foreign files for `galley
validate`), where it carries the article's DOI, and what it is in a deposit package and
among the web page's downloads. Every module loops over `FORMATS`: adding a format is a
module with its renderer (and its validator, if a standard exists) and one row here.

Callables are named as "module:attribute" and imported when first used, so the table
sits below the renderers and validators it names (they import `galley.render`, which
imports this table) and a build that needs none of them imports none.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Check:
    """One validator of a format: a class (taking the schema setting) whose `check` takes a
    batch of files; `helper` when it runs in another process (a JVM, a browser), so the
    suite runs it side by side with the other helpers."""

    validator: str  # "module:Class", following galley.validate.Checker
    timing: str  # its stage in the build's timings
    label: str  # its name in progress messages
    helper: bool = False


@dataclass(frozen=True)
class Deposit:
    """A format's item in a MECA package: its place in the manifest, type and description;
    `pmc` when PMC's package carries it too (`original`: the original's edition only)."""

    rank: int
    item_type: str
    description: str
    pmc: str = ""  # "", "every" or "original"


@dataclass(frozen=True)
class Format:
    """One kind of output file. Renderers are "module:function": `article` (an article and
    each of its translations, unless `translated` is false), `issue` (an issue's contents),
    `site` (the project: a list of files)."""

    name: str  # as a reader knows it, in messages
    media_type: str
    extension: str = ""  # an article's file of this format: <article><extension>
    article: str | None = None
    issue: str | None = None
    site: str | None = None
    translated: bool = True
    layout: bool = False  # made by the print make-up (galley.jobs.lay_out), not a renderer
    checks: tuple[Check, ...] = ()
    in_job: bool = False  # checked in the article's job, where it was made (else batched)
    unchecked: str = ""  # with no checks: why none is needed
    sniff: str | None = None  # "module:function": bytes -> whether a file is of this format
    foreign: str | None = None  # how `galley validate` checks one made elsewhere
    doi: str | None = None  # "module:function": bytes -> the DOIs the file declares
    registers: bool = False  # registers the issue's DOIs: exactly those, each once
    deposit: Deposit | None = None
    download: int | None = None  # its place among the downloads the web page offers


JATS = Check("galley.validate.jats:JatsValidator", "validate jats", "JATS XSD and JATS4R")
NU = Check("galley.validate.html:HtmlValidator", "validate html (Nu)", "Nu HTML Checker", True)
EPUBCHECK = Check(
    "galley.validate.epub:EpubValidator", "validate epub (EPUBCheck)", "EPUBCheck", True
)
ACE = Check("galley.validate.ace:AceValidator", "validate epub (Ace)", "Ace", True)
PDF = Check("galley.validate.pdf:PdfValidator", "validate pdf", "PDF/A claims")
CROSSREF = Check("galley.validate.crossref:CrossrefValidator", "validate crossref", "Crossref XSD")

# An output of a kind not listed here is a programming error (`Output` refuses it): a new
# format cannot be left silently unvalidated.
FORMATS: dict[str, Format] = {
    "jats": Format(
        "JATS",
        "application/xml",
        extension=".xml",
        article="galley.render.jats:render",
        translated=False,  # the original's JATS holds each translation as a sub-article
        checks=(JATS,),
        in_job=True,
        sniff="galley.validate.detect:is_jats",
        foreign="galley.validate.detect:foreign_jats",
        doi="galley.checks.outputs:jats_dois",
        deposit=Deposit(0, "article-metadata", "JATS 1.3 XML of the article", pmc="every"),
        download=2,
    ),
    "html": Format(
        "HTML",
        "text/html",
        extension=".html",
        article="galley.render.html:render",
        issue="galley.render.html:render_issue",
        site="galley.render.html:render_home",
        checks=(NU,),
        sniff="galley.validate.detect:is_html",
        doi="galley.checks.outputs:html_dois",
    ),
    "css": Format("CSS", "text/css", checks=(NU,)),
    "font": Format(
        "font", "font/woff2", unchecked="a font galley ships as it is (STIX Two Math, SIL OFL)"
    ),
    "epub": Format(
        "EPUB",
        "application/epub+zip",
        extension=".epub",
        article="galley.render.epub:render_article",
        issue="galley.render.epub:render_issue",
        checks=(EPUBCHECK, ACE),
        sniff="galley.validate.detect:is_epub",
        doi="galley.checks.outputs:epub_dois",
        deposit=Deposit(2, "manuscript", "E-book edition (EPUB 3)"),
        download=1,
    ),
    "pdf": Format(
        "PDF",
        "application/pdf",
        extension=".pdf",
        layout=True,
        checks=(PDF,),
        in_job=True,
        sniff="galley.validate.detect:is_pdf",
        foreign="galley.validate.detect:foreign_pdf",
        doi="galley.checks.outputs:pdf_dois",
        deposit=Deposit(1, "manuscript", "Print edition (PDF/A-3b)", pmc="original"),
        download=0,
    ),
    "crossref": Format(
        "Crossref",
        "application/xml",
        issue="galley.render.crossref:render",
        checks=(CROSSREF,),
        sniff="galley.validate.detect:is_crossref",
        foreign="galley.validate.detect:foreign_crossref",
        doi="galley.checks.outputs:crossref_dois",
        registers=True,
    ),
    "asset": Format(
        "image",
        "",
        deposit=Deposit(3, "figure", "Figure", pmc="every"),
        unchecked="an author's image, checked (type, size, place) when read",
    ),
    "supplement": Format(
        "supplementary file",
        "",
        deposit=Deposit(4, "supplementary-material", "Supplementary material", pmc="every"),
        unchecked="an author's supplementary file, carried as it is",
    ),
    "meca": Format(
        "MECA package",
        "application/zip",
        unchecked="read back and checked against its manifest once written",
    ),
    "oai_dc": Format(
        "Dublin Core",
        "application/xml",
        unchecked="a Dublin Core record of values the JATS carries, validated",
    ),
    "pmc": Format("PMC package file", "", unchecked="copies of the validated JATS, PDF and images"),
}


def resolve(reference: str) -> Any:
    """The object a row names as "module:attribute", looked up each time (the module is
    imported once; what it holds now is what is used)."""
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


def made_for(scope: str) -> dict[str, Any]:
    """Each format's renderer for one scope (article, issue or site), by format."""
    found = {kind: getattr(row, scope) for kind, row in FORMATS.items()}
    return {kind: resolve(reference) for kind, reference in found.items() if reference}
