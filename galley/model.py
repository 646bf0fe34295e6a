"""The typed model of a journal, its issues and articles, built once by the reader.

Every renderer is a function of these frozen objects (plus templates), so no format ever
reads source again and every format agrees on the metadata.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from galley.ast import RichText
from galley.diagnostics import Diagnostic, Span
from galley.identifiers import doi_url, is_doi, page_range
from galley.imported import Imported
from galley.yamlsource import LineMap, YamlPath

SEASONS = {
    # Season words as printed on covers, to a month that sorts them within the year.
    "printemps": 4,
    "été": 7,
    "automne": 10,
    "hiver": 1,
    "spring": 4,
    "summer": 7,
    "fall": 10,
    "autumn": 10,
    "winter": 1,
}


@dataclass(frozen=True)
class Date:
    """A publication date as precise as the source gives it; a season may stand for the month."""

    year: int
    month: int | None = None
    day: int | None = None
    season: str | None = None

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def csl(self) -> dict[str, Any]:
        parts = (
            [self.year]
            + ([self.month] if self.month else [])
            + ([self.day] if self.month and self.day else [])
        )
        value: dict[str, Any] = {"date-parts": [parts]}
        if self.season and self.season.lower() in SEASONS and not self.month:
            value["season"] = {4: 1, 7: 2, 10: 3, 1: 4}[SEASONS[self.season.lower()]]
        return value


@dataclass(frozen=True)
class SourceMap:
    """Where each field came from, so later checks can point an editor at the right line."""

    linemap: LineMap

    @property
    def path(self) -> Path:
        return self.linemap.path

    def span(self, *key: str | int) -> Span:
        path: YamlPath = tuple(key)
        return self.linemap.span(path)


@dataclass(frozen=True)
class PrintLayout:
    """How the journal sets its print edition (`print:` in journal.yaml)."""

    page: str = "a4"  # a4, letter or 6x9in
    columns: int = 2  # the text in one or two columns
    title_page: bool = False  # the front matter alone on the first page
    justify: bool = True  # justified text, or ragged right


@dataclass(frozen=True)
class Journal:
    id: str
    title: str
    title_short: str | None
    issn_print: str | None
    issn_electronic: str | None
    publisher: str
    publisher_place: str | None
    doi_prefix: str
    url: str | None
    lang: str
    csl: Path
    cite_as_locale: str | None
    source: SourceMap = field(compare=False, repr=False)
    start_on_recto: bool = False
    print_layout: PrintLayout = PrintLayout()
    doi_suffix_pattern: str | None = None
    require_abstract: bool = False
    pmc: bool = False
    depositor: str | None = None
    depositor_email: str | None = None
    registrant: str | None = None
    number_sections: bool = False
    article_url: str | None = None  # a pattern: https://.../{issue}/{article}
    license: License | None = None  # the licence of articles that state none
    # The journal's own words, by language tag: {"en": {"figure": "Fig"}} (galley.languages).
    labels: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    @property
    def label_overrides(self) -> dict[str, dict[str, str]]:
        return {tag: dict(words) for tag, words in self.labels}


@dataclass(frozen=True)
class Issue:
    id: str
    path: Path
    journal: Journal
    volume: str
    number: str | None  # None: a volume published continuously, without issues
    date: Date
    title: str | None
    source: SourceMap = field(compare=False, repr=False)
    first_page: int = 1

    @property
    def label(self) -> str:
        """The short "4(1)" form citation styles use ("4" for a volume without issues)."""
        return f"{self.volume}({self.number})" if self.number else self.volume


@dataclass(frozen=True)
class Affiliation:
    id: str
    name: str
    department: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    ror: str | None = None
    country_code: str | None = None  # ISO 3166-1 alpha-2, found from the country's name


@dataclass(frozen=True)
class PersonName:
    given: str | None
    family: str | None
    literal: str | None = None
    particle: str | None = None
    suffix: str | None = None

    @property
    def display(self) -> str:
        if self.literal:
            return self.literal
        family = " ".join(part for part in (self.particle, self.family) if part)
        return " ".join(part for part in (self.given, family, self.suffix) if part)

    @property
    def sort(self) -> str:
        if self.literal:
            return self.literal
        family = " ".join(part for part in (self.particle, self.family) if part)
        return ", ".join(part for part in (family, self.given) if part)

    @property
    def initials(self) -> str:
        """Given names as initials ("Guy" -> "G."), as styles and citation tags use."""
        if not self.given:
            return ""
        return " ".join(
            "-".join(f"{piece[0]}." for piece in word.split("-") if piece)
            for word in self.given.split()
        )


@dataclass(frozen=True)
class Contributor:
    name: PersonName
    roles: tuple[str, ...]
    affiliations: tuple[Affiliation, ...]
    orcid: str | None = None
    email: str | None = None
    corresponding: bool = False
    contrib_type: str = "author"
    id: str | None = None  # the source's author id (what funding refers to)
    equal_contrib: bool = False
    deceased: bool = False
    note: RichText | None = None  # an author note: a present address, say
    url: str | None = None

    @property
    def credit_roles(self) -> tuple[tuple[str, str], ...]:
        """The roles that are CRediT terms, as (term, identifier URI)."""
        from galley.credit import credit_term

        found = (credit_term(role) for role in self.roles)
        return tuple(term for term in found if term is not None)


@dataclass(frozen=True)
class Abstract:
    lang: str
    text: RichText
    kind: str | None = None  # JATS @abstract-type: executive-summary (a digest), teaser...
    title: str | None = None  # its own heading, for the kinds that have one


@dataclass(frozen=True)
class Title:
    """The article's title in another language (JATS trans-title-group)."""

    lang: str
    title: RichText
    subtitle: RichText | None = None


@dataclass(frozen=True)
class Funder:
    name: str
    country: str | None = None
    funder_id: str | None = None  # Crossref Funder ID (a DOI, 10.13039/...)
    ror: str | None = None


@dataclass(frozen=True)
class Award:
    id: str | None
    name: str | None
    funders: tuple[Funder, ...]
    recipients: tuple[PersonName, ...] = ()
    investigators: tuple[PersonName, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class Funding:
    """Quarto's `funding`: JATS funding-group, Crossref's funding program."""

    statement: RichText | None
    awards: tuple[Award, ...]
    open_access: str | None = None
    lang: str = ""  # the language the statement is written in (a translation shows it so)


@dataclass(frozen=True)
class HistoryDate:
    kind: str  # JATS @date-type: received, rev-recd, accepted...
    date: Date


@dataclass(frozen=True)
class RelatedArticle:
    kind: str  # JATS @related-article-type: corrected-article, retracted-article...
    doi: str
    text: str | None = None


@dataclass(frozen=True)
class BackSection:
    """A back-matter section the editor marked on its heading (`# Acknowledgements {.ack}`)."""

    kind: str  # ack, data-availability, coi-statement, author-contributions, appendix, ...
    id: str
    title: RichText
    body: RichText


@dataclass(frozen=True)
class KeywordGroup:
    lang: str
    keywords: tuple[str, ...]


_CREATIVE_COMMONS = re.compile(
    r"^https?://creativecommons\.org/(licenses|publicdomain)/"
    r"(by|by-sa|by-nc|by-nd|by-nc-sa|by-nc-nd|zero)/(\d\.\d)/?"
)


@dataclass(frozen=True)
class License:
    """Permissions as JATS and Crossref carry them; any part may be absent."""

    text: str | None = None
    url: str | None = None
    type: str | None = None  # JATS @license-type as the source gives it ("open-access")
    copyright_statement: str | None = None
    copyright_holder: str | None = None
    copyright_year: int | None = None

    @property
    def name(self) -> str | None:
        """The licence's name when its URL says it ("CC BY 4.0" for Creative Commons'), so
        a page shows a name, not a bare address; None for a licence galley does not know."""
        match = _CREATIVE_COMMONS.match(self.url or "")
        if match is None:
            return None
        kind, version = match.group(2), match.group(3)
        return f"CC0 {version}" if kind == "zero" else f"CC {kind.upper()} {version}"


@dataclass(frozen=True)
class Reference:
    """One bibliography entry: the structured CSL data plus its rendering in the journal style."""

    id: str
    type: str
    authors: tuple[PersonName, ...]
    editors: tuple[PersonName, ...]
    issued: Date | None
    year_suffix: str | None
    title: str | None
    container_title: str | None
    collection_title: str | None
    volume: str | None
    issue: str | None
    page: str | None
    edition: str | None
    publisher: str | None
    publisher_place: str | None
    number_of_pages: str | None
    doi: str | None
    url: str | None
    isbn: str | None
    note: str | None
    csl_json: str
    formatted: RichText | None
    span: Span
    pmid: str | None = None
    pmcid: str | None = None
    label: str | None = None  # its number in a numeric style ("12"), None in author-date

    @property
    def anchor(self) -> str:
        """The id every format gives this entry (pandoc's citeproc uses `ref-<id>` too)."""
        return f"ref-{self.id}"

    @property
    def well_formed_doi(self) -> str | None:
        """The DOI where it is one: a journal may have published a reference with a DOI
        that is not (kept in its text; never sent to Crossref as a DOI)."""
        return self.doi if self.doi and is_doi(self.doi) else None

    @property
    def pages(self) -> tuple[str, str | None] | None:
        """(first, last) page; an elided last page is written out ("327-43": 327, 343)."""
        return page_range(self.page) if self.page and not self.elocation_id else None

    @property
    def elocation_id(self) -> str | None:
        """An article number given as the page ("e1000392"): not a page, never a range."""
        page = (self.page or "").strip()
        return page if re.fullmatch(r"[A-Za-z][A-Za-z0-9.]*\d[A-Za-z0-9.]*", page) else None

    @property
    def csl(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.csl_json)
        return value


@dataclass(frozen=True)
class PageStart:
    """Where print page `page` begins in the text.

    `block` counts the body's text blocks (paragraphs, list items, headings) in document
    order and `chars` the non-blank characters of that block laid out on earlier pages;
    `reference` names the bibliography entry the page begins in, when it begins there.
    """

    page: int
    block: int | None = None
    chars: int = 0
    reference: str | None = None


@dataclass(frozen=True)
class Pagination:
    """The print edition's pages: what every format uses to cite and mark print pages."""

    first: int
    last: int
    starts: tuple[PageStart, ...] = ()

    @property
    def count(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class NumberedObject:
    """A figure, table, equation or section the text can refer to, numbered by the reader.

    `label` is printed with the object ("Figure 2", "(a)" for a panel, "(3)" for an
    equation, "2.1" for a section); `reference` is how a cross-reference to it reads
    ("Figure 2", "Figure 1a", "Eq. 3"), and `number` what `[-@id]` prints.
    """

    id: str
    kind: str  # fig, tbl, eq or sec (Quarto's prefixes)
    number: str
    label: str
    reference: str
    alt: str | None = None  # a figure's alternative text (`fig-alt`)
    parent: str | None = None  # the panel a subfigure belongs to
    span: Span | None = field(default=None, compare=False)


@dataclass(frozen=True)
class TypesetFormula:
    """A formula as print shows it: MathJax's SVG and its size in ex of the text around it."""

    tex: str
    display: bool
    svg: str = field(repr=False)
    width: str
    height: str
    vertical_align: str


@dataclass(frozen=True)
class Pages:
    """An article's citable place in its issue, one value whatever its origin: a page range
    (declared by the source, or made up by the issue's make-up), an article number, or none
    yet. `galley.makeup` alone decides it; every format reads it."""

    first: str | None = None  # as printed: "27", "xii"
    last: str | None = None
    number: str | None = None  # an article number (e-location id): never a page
    origin: str = ""  # "declared", "make-up" (by the issue's make-up) or "" (none yet)

    @property
    def numbered(self) -> bool:
        """Identified by an article number rather than pages (continuous publication)."""
        return bool(self.number) and not self.first

    @property
    def range(self) -> str | None:
        """ "27-37", "27", or None: the pages as citations give them."""
        if self.first and self.last and self.last != self.first:
            return f"{self.first}-{self.last}"
        return self.first


@dataclass(frozen=True)
class Article:
    id: str
    path: Path
    source_file: Path
    issue: Issue
    lang: str
    title: RichText
    subtitle: RichText | None
    article_type: str
    section: str | None
    doi: str
    url: str | None
    contributors: tuple[Contributor, ...]
    abstracts: tuple[Abstract, ...]
    keywords: tuple[KeywordGroup, ...]
    license: License | None
    references: tuple[Reference, ...]
    body: RichText
    cite_as: RichText | None
    date: Date
    source: SourceMap = field(compare=False, repr=False)
    short_title: str | None = None
    title_note: RichText | None = None  # a note on the title ("Paper extracted from...")
    pagination: Pagination | None = None
    # `citation` values the source gave for the container (journal title, volume, issue,
    # ISSN), kept so the checks can compare them with journal.yaml and issue.yaml.
    declared_citation: tuple[tuple[str, str], ...] = ()
    assets: tuple[Asset, ...] = ()
    objects: tuple[NumberedObject, ...] = ()
    formulas: tuple[TypesetFormula, ...] = ()  # every formula of the text, for print
    pages: Pages = Pages()  # its citable place in the issue (galley.makeup)
    translated_titles: tuple[Title, ...] = ()
    editors: tuple[Contributor, ...] = ()  # editors and reviewers (their contrib_type says)
    history: tuple[HistoryDate, ...] = ()
    funding: Funding | None = None
    back: tuple[BackSection, ...] = ()
    supplementary: tuple[SupplementaryFile, ...] = ()
    related: tuple[RelatedArticle, ...] = ()
    translations: tuple[Article, ...] = ()  # the same article in other languages
    # Problems the reader found but leaves to the checks, so they are reported with every
    # other finding (an unknown citation key must not hide a reference without a title).
    deferred: tuple[Diagnostic, ...] = ()
    translation_of: str | None = None  # for a translation: the original's id
    versions: tuple[tuple[str, str], ...] = ()  # (language, id) of every language version
    imported: Imported | None = None  # an import's original and what it lacks

    @property
    def numbered(self) -> dict[str, NumberedObject]:
        """The numbered objects by id (figures, tables, equations, sections)."""
        return {obj.id: obj for obj in self.objects}

    @property
    def journal(self) -> Journal:
        return self.issue.journal

    @property
    def key(self) -> str:
        """What identifies the article in a run: two issues may each hold an `editorial`."""
        return f"{self.issue.id}/{self.id}"

    @property
    def doi_url(self) -> str:
        return doi_url(self.doi) if self.doi else ""

    @property
    def identifier(self) -> str:
        """What names this version where a file needs an identifier (an e-book, a PDF): its
        DOI; for a translation published without one, its landing page or its place in the
        journal (never a made-up DOI)."""
        if self.doi:
            return f"urn:doi:{self.doi}"
        return self.url or f"urn:galley:{self.journal.id}:{self.key}"

    @property
    def affiliations(self) -> tuple[Affiliation, ...]:
        """Every affiliation once, in order of first mention (for JATS `aff` ids)."""
        return _affiliations(self.contributors)

    @property
    def editor_affiliations(self) -> tuple[Affiliation, ...]:
        return _affiliations(self.editors)

    @property
    def abstract(self) -> Abstract | None:
        """The abstract in the article's own language, if any."""
        plain = [abstract for abstract in self.abstracts if abstract.kind is None]
        for abstract in plain:
            if abstract.lang == self.lang:
                return abstract
        return plain[0] if plain else None

    @property
    def translated_abstracts(self) -> tuple[Abstract, ...]:
        main = self.abstract
        return tuple(a for a in self.abstracts if a is not main and a.kind is None)

    @property
    def other_abstracts(self) -> tuple[Abstract, ...]:
        """Digests, impact statements, key points...: abstracts of another kind."""
        return tuple(abstract for abstract in self.abstracts if abstract.kind is not None)

    @property
    def print_pages(self) -> Pagination | None:
        """The print pages the e-formats may mark: none for an article-numbered article, whose
        PDF sheets are no citable pages."""
        return self.pagination if self.pages.first and not self.translation_of else None

    def back_sections(self, kind: str) -> tuple[BackSection, ...]:
        return tuple(section for section in self.back if section.kind == kind)

    @property
    def authors_short(self) -> str:
        """The running head's authors: one or two by name ("Ada Lovelace & Charles Babbage"),
        beyond that the first author's family name and "et al."."""
        people = self.contributors
        if len(people) > 2:
            first = people[0].name
            return f"{first.family or first.literal or first.display} et al."
        return " & ".join(c.name.display for c in people)


def _affiliations(people: tuple[Contributor, ...]) -> tuple[Affiliation, ...]:
    seen: dict[str, Affiliation] = {}
    for contributor in people:
        for affiliation in contributor.affiliations:
            seen.setdefault(affiliation.id, affiliation)
    return tuple(seen.values())


@dataclass(frozen=True)
class Asset:
    """A file the article's text uses (a figure), read once by the reader."""

    name: str  # the path as written in the Markdown, relative to the article's folder
    media_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class SupplementaryFile:
    """A file published with the article (data, code, an appendix), and its caption."""

    id: str
    asset: Asset
    caption: RichText
    label: RichText | None = None  # "S1 Fig": the link's text when it is all bold


@dataclass(frozen=True)
class IssueContents:
    """An issue and its articles in table-of-contents order."""

    issue: Issue
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Project:
    """Everything the reader found under source/."""

    root: Path
    journal: Journal
    issues: tuple[IssueContents, ...]

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(article for contents in self.issues for article in contents.articles)
