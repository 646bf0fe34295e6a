"""The shape of the files an editor writes: journal.yaml, issue.yaml, article front matter, CSL.

Key names follow what editors already know: Quarto's scholarly front matter (`author` with
`name`/`orcid`/`affiliations`/`roles`, `affiliations`, `abstract`, `keywords`, `license`,
`copyright`, `citation` with CSL variables) and pandoc's `bibliography`/`references`/
`nocite`. Shorthands Quarto accepts (an author as a string, `roles` as a string, an
affiliation by name) are normalised here before validation, so errors name one shape.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CSL_TYPES = (
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
)

JATS_ARTICLE_TYPES = (
    "abstract",
    "addendum",
    "announcement",
    "article-commentary",
    "book-review",
    "books-received",
    "brief-report",
    "calendar",
    "case-report",
    "collection",
    "correction",
    "discussion",
    "dissertation",
    "editorial",
    "expression-of-concern",
    "in-brief",
    "introduction",
    "letter",
    "meeting-report",
    "news",
    "obituary",
    "oration",
    "partial-retraction",
    "product-review",
    "rapid-communication",
    "reply",
    "reprint",
    "research-article",
    "retraction",
    "review-article",
    "translation",
    "other",
)

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


class Source(BaseModel):
    """Common settings: hyphenated keys as in YAML, numbers accepted where text is meant."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
        frozen=True,
    )


def _real(value: str) -> str:
    """A YYYY[-MM[-DD]] date that exists in the calendar (no 1991-13, no 1991-02-30)."""
    import datetime

    parts = [int(part) for part in value.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a date in the calendar ({exc})") from None
    if parts[0] < 1000:
        raise ValueError(f"'{value}': the year {parts[0]} is not plausible")
    return value


def _not_blank(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise ValueError("must not be empty")
    return value


# --------------------------------------------------------------------------- journal


class IssnSource(Source):
    print_: str | None = Field(None, alias="print")
    electronic: str | None = None


class CrossrefSource(Source):
    """Who deposits with Crossref, for the deposit file's head."""

    depositor: str
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    registrant: str


class PrintSource(Source):
    """How the print edition is set: the page, the columns of the text, a title page."""

    page: Literal["a4", "letter", "6x9in"] = "a4"
    columns: int = Field(2, ge=1, le=2)
    # The front matter alone on page 1 and the text from page 2, as some journals do; by
    # default the abstract and the text start on page 1.
    title_page: bool = Field(False, alias="title-page")
    # Justified (the default) or ragged right, as PLOS and eLife set their PDFs: no word space
    # is ever stretched, where WeasyPrint's justification leaves about 7 % of lines loose.
    justify: bool = True


class JournalSource(Source):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    title_short: str | None = Field(None, alias="title-short")
    issn: IssnSource = IssnSource()
    publisher: str
    publisher_place: str | None = Field(None, alias="publisher-place")
    doi_prefix: str = Field(alias="doi-prefix", pattern=r"^10\.\d{4,9}$")
    url: str | None = Field(None, pattern=r"^https?://\S+$")
    lang: str = "en"
    csl: str = "apa"
    cite_as_locale: str | None = Field(None, alias="cite-as-locale")
    start_on_recto: bool = Field(False, alias="start-on-recto")
    print_: PrintSource = Field(PrintSource(), alias="print")
    doi_suffix_pattern: str | None = Field(None, alias="doi-suffix-pattern")
    require_abstract: bool = Field(False, alias="require-abstract")
    pmc: bool = False
    crossref: CrossrefSource | None = None
    number_sections: bool = Field(False, alias="number-sections")
    labels: dict[str, dict[str, str]] = {}
    # Landing pages: "https://journal.example.org/{issue}/{article}" ({doi} works too).
    article_url: str | None = Field(None, alias="article-url", pattern=r"^https?://\S+$")
    license: LicenseSource | None = None  # the licence of articles that state none

    @field_validator("doi_suffix_pattern")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return value

    _blank = field_validator("title", "publisher")(_not_blank)


# --------------------------------------------------------------------------- issue


class IssueSource(Source):
    volume: str
    issue: str | None = None  # continuous publication: a volume without issues
    issued: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    season: str | None = None
    title: str | None = None
    articles: list[str] = []
    first_page: int = Field(1, alias="first-page", ge=1)

    _blank = field_validator("volume", "issue")(_not_blank)

    @field_validator("issued")
    @classmethod
    def _real_date(cls, value: str) -> str:
        return _real(value)


# --------------------------------------------------------------------------- article


class NameSource(Source):
    given: str | None = None
    family: str | None = None
    literal: str | None = None
    dropping_particle: str | None = Field(None, alias="dropping-particle")
    non_dropping_particle: str | None = Field(None, alias="non-dropping-particle")
    suffix: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _split_string(cls, value: Any) -> Any:
        # Quarto splits "Given Family" at the last space; so do we.
        if isinstance(value, str):
            given, _, family = value.strip().rpartition(" ")
            return {"given": given or None, "family": family}
        return value

    @model_validator(mode="after")
    def _has_a_name(self) -> NameSource:
        if not (self.family or self.literal):
            raise ValueError("a name needs `family` (and usually `given`) or `literal`")
        return self


class AffiliationSource(Source):
    id: str | None = None
    ref: str | None = None
    name: str | None = None
    department: str | None = None
    city: str | None = None
    region: str | None = Field(None, alias="state")
    country: str | None = None
    country_code: str | None = Field(None, alias="country-code", pattern=r"^[A-Z]{2}$")
    ror: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _named_or_ref(self) -> AffiliationSource:
        if not (self.name or self.ref):
            raise ValueError("an affiliation needs a `name` (or a `ref` to an `affiliations` id)")
        return self


class AuthorSource(Source):
    id: str | None = None  # what `funding` recipients and investigators refer to
    name: NameSource
    orcid: str | None = None
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    url: str | None = Field(None, pattern=r"^https?://\S+$")
    roles: list[str] = []
    affiliations: list[AffiliationSource] = []
    corresponding: bool = False
    equal_contributor: bool = Field(False, alias="equal-contributor")
    deceased: bool = False
    note: str | None = None  # an author note (a present address, say): Markdown

    @model_validator(mode="before")
    @classmethod
    def _shorthands(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"name": value}
        if not isinstance(value, dict):
            return value
        value = dict(value)
        if "affiliation" in value and "affiliations" not in value:
            value["affiliations"] = value.pop("affiliation")
        for key in ("roles", "affiliations"):
            if key in value and not isinstance(value[key], list):
                value[key] = [value[key]]
        if "role" in value and "roles" not in value:
            role = value.pop("role")
            value["roles"] = role if isinstance(role, list) else [role]
        if isinstance(value.get("roles"), list):
            # Quarto also allows CRediT roles as {role: degree} mappings.
            value["roles"] = [
                next(iter(role)) if isinstance(role, dict) and len(role) == 1 else role
                for role in value["roles"]
            ]
        attributes = value.pop("attributes", None)
        if isinstance(attributes, dict):
            for key in ("corresponding", "equal-contributor", "deceased"):
                if key in attributes:
                    value.setdefault(key, attributes[key])
        if isinstance(value.get("note"), list):
            value["note"] = "\n\n".join(str(item) for item in value["note"])
        return value


class LicenseSource(Source):
    type: str | None = None
    url: str | None = Field(None, pattern=r"^https?://\S+$")
    text: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


class CopyrightSource(Source):
    holder: str | None = None
    year: int | None = None
    statement: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"statement": value} if isinstance(value, str) else value


class CitationSource(Source):
    """Quarto's `citation` block: CSL variables describing the article itself."""

    type: str = "article-journal"
    doi: str | None = None
    url: str | None = Field(None, pattern=r"^https?://\S+$")
    page: str | None = None
    page_first: str | None = Field(None, alias="page-first")
    # An article number / e-location id (PLOS e0117688, BMC 174): never a page.
    article_number: str | None = Field(None, alias="article-number")
    container_title: str | None = Field(None, alias="container-title")
    volume: str | None = None
    issue: str | None = None
    issued: str | None = None
    issn: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _csl_case(cls, value: Any) -> Any:
        # CSL JSON spells these in capitals; Quarto in lower case. Accept both.
        if isinstance(value, dict):
            value = {
                key.lower() if key in ("DOI", "URL", "ISSN") else key: v for key, v in value.items()
            }
            for alias in ("elocation-id", "number"):  # CSL and JATS names for the same thing
                if alias in value and "article-number" not in value:
                    value["article-number"] = value.pop(alias)
        return value


class CrossrefOptions(Source):
    """Quarto's `crossref:` options: the words of captions and cross-references."""

    fig_title: str | None = Field(None, alias="fig-title")
    tbl_title: str | None = Field(None, alias="tbl-title")
    fig_prefix: str | None = Field(None, alias="fig-prefix")
    tbl_prefix: str | None = Field(None, alias="tbl-prefix")
    eq_prefix: str | None = Field(None, alias="eq-prefix")
    sec_prefix: str | None = Field(None, alias="sec-prefix")
    title_delim: str | None = Field(None, alias="title-delim")


class FunderSource(Source):
    """Who paid: Quarto's award `source` (`text`, `country`, or `ref:` to an affiliation's
    id), plus the identifiers deposits need (a Crossref Funder ID or a ROR id)."""

    text: str | None = None
    ref: str | None = None  # an `affiliations` id: that organisation paid
    country: str | None = None
    funder_id: str | None = Field(None, alias="funder-id")
    ror: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"text": value}
        if isinstance(value, dict) and "name" in value and "text" not in value:
            value = {**value, "text": value["name"]}
            value.pop("name")
        return value

    @model_validator(mode="after")
    def _named(self) -> FunderSource:
        if not (self.text or self.ref):
            raise ValueError("a funder needs `text:` (its name) or `ref:` (an affiliation id)")
        return self


class PersonRefSource(Source):
    """An award's recipient or investigator, as Quarto writes one: a string (an author's or
    an affiliation's id, or a person's name), `ref:` (an author's or affiliation's id),
    `name:`, or `institution:`."""

    text: str | None = None
    ref: str | None = None
    name: NameSource | None = None
    institution: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one(self) -> PersonRefSource:
        if not (self.text or self.ref or self.name or self.institution):
            raise ValueError("give `ref:` (an author id), `name:` or `institution:`")
        return self


class AwardSource(Source):
    """Quarto's funding award: `id` (award number), `name`, `source`, `recipient`,
    `investigator`."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    source: list[FunderSource] = []
    recipient: list[PersonRefSource] = []
    investigator: list[PersonRefSource] = []
    # where it is in the front matter (Quarto's funding may be a list of entries)
    at: tuple[str | int, ...] = Field((), alias="galley:at")

    @model_validator(mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        if isinstance(value, dict):
            value = dict(value)
            for key in ("source", "recipient", "investigator"):
                if key in value and not isinstance(value[key], list):
                    value[key] = [value[key]]
        return value


FUNDING_ENTRY_KEYS = frozenset({"statement", "open-access", "awards"})


class FundingSource(Source):
    """Quarto's `funding`: a statement, open-access provisions and awards; given as one
    mapping, a string (the statement), or a list of those (their statements joined, their
    awards in order). A list of awards (galley's older form) is read too."""

    statement: str | None = None
    open_access: str | None = Field(None, alias="open-access")
    awards: list[AwardSource] = []

    @model_validator(mode="before")
    @classmethod
    def _shorthands(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"statement": value}
        if isinstance(value, dict):
            return _funding_entries([value], listed=False)
        if isinstance(value, list):
            if all(
                isinstance(v, str) or (isinstance(v, dict) and set(v) <= FUNDING_ENTRY_KEYS)
                for v in value
            ):
                return _funding_entries(value, listed=True)
            return {"awards": [_at(a, ("funding", i)) for i, a in enumerate(value)]}
        return value


def _at(award: Any, path: tuple[str | int, ...]) -> Any:
    return {**award, "galley:at": path} if isinstance(award, dict) else award


def _funding_entries(entries: list[Any], listed: bool) -> dict[str, Any]:
    """Quarto's funding entries as one: statements and open-access texts joined in order,
    every award kept with where it was written."""
    statements, access, awards = [], [], []
    for e_index, entry in enumerate(entries):
        if isinstance(entry, str):
            statements.append(entry)
            continue
        base: tuple[str | int, ...] = ("funding", e_index) if listed else ("funding",)
        if entry.get("statement"):
            statements.append(str(entry["statement"]))
        if entry.get("open-access"):
            access.append(str(entry["open-access"]))
        given = entry.get("awards", [])
        if isinstance(given, list):
            awards += [_at(a, (*base, "awards", i)) for i, a in enumerate(given)]
        else:
            awards.append(_at(given, (*base, "awards")))
        extra = {k: v for k, v in entry.items() if k not in FUNDING_ENTRY_KEYS}
        if extra and not listed:  # unknown keys of the one mapping: said by the reader
            return {**entry, "awards": awards}
    result: dict[str, Any] = {"awards": awards}
    if statements:
        result["statement"] = "\n\n".join(statements)
    if access:
        result["open-access"] = "\n\n".join(access)
    return result


ABSTRACT_TYPES = {
    # friendly name -> JATS @abstract-type (JATS4R's recommended values)
    "digest": "executive-summary",
    "executive-summary": "executive-summary",
    "impact-statement": "teaser",
    "teaser": "teaser",
    "summary": "summary",
    "plain-language-summary": "plain-language-summary",
    "graphical": "graphical",
    "graphical-abstract": "graphical",
    "key-points": "key-points",
    "toc": "toc",
}


class OtherAbstractSource(Source):
    """An abstract of another kind (a digest, an impact statement, key points...)."""

    type: str
    lang: str | None = None
    title: str | None = None
    text: str

    @field_validator("type")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in ABSTRACT_TYPES:
            raise ValueError(f"one of {', '.join(sorted(ABSTRACT_TYPES))}")
        return value


HISTORY_TYPES = {
    # source key -> JATS @date-type
    "received": "received",
    "revised": "rev-recd",
    "rev-recd": "rev-recd",
    "rev-request": "rev-request",
    "accepted": "accepted",
    "preprint": "preprint",
    "retracted": "retracted",
    "corrected": "corrected",
}


class RelatedSource(Source):
    """A related article (a correction, a retraction, a commentary...), by DOI."""

    type: str
    doi: str
    text: str | None = None

    @field_validator("type")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in RELATED_TYPES:
            raise ValueError(f"one of {', '.join(sorted(RELATED_TYPES))}")
        return value


RELATED_TYPES = (
    "corrected-article",
    "correction-forward",
    "retracted-article",
    "retraction-forward",
    "partial-retraction",
    "expression-of-concern",
    "commentary",
    "commentary-article",
    "companion",
    "addendum",
    "article-reference",
    "letter",
    "reply",
    "object-of-concern",
    "update",
)


class ImportedSource(Source):
    """`imported:`: the published original an import came from, and what it lacks."""

    original: str = Field(alias="from")
    gaps: dict[str, list[str]] = {}

    @field_validator("gaps", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {
            key: items if isinstance(items, list) else [] if items in (True, None) else [items]
            for key, items in value.items()
        }

    @field_validator("gaps")
    @classmethod
    def _known(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        from galley.imported import GAPS

        for key in value:
            if key not in GAPS:
                raise ValueError(f"`{key}` is not a kind of gap: use {', '.join(sorted(GAPS))}")
        return value


class ArticleSource(Source):
    title: dict[str, str]  # one title per language; a plain string is the article's language
    subtitle: dict[str, str] = {}
    # a string, or one per language edition ({en: ..., pt: ...})
    short_title: str | dict[str, str] | None = Field(None, alias="short-title")
    title_note: str | None = Field(None, alias="title-note")  # a note called from the title
    lang: str | None = None
    author: list[AuthorSource] = []  # none is an error (article.no-author) unless published so
    affiliations: list[AffiliationSource] = []
    abstract: dict[str, str] = {}
    keywords: dict[str, list[str]] = {}
    license: LicenseSource | None = None
    copyright: CopyrightSource | None = None
    article_type: Literal[JATS_ARTICLE_TYPES] = Field(  # type: ignore[valid-type]
        "research-article", alias="article-type"
    )
    section: str | dict[str, str] | None = None  # the heading over the title, per edition
    doi: str | None = None
    citation: CitationSource = CitationSource()
    date: str | None = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    bibliography: list[str] = []
    references: list[dict[str, Any]] = []
    nocite: str | None = None
    number_sections: bool | None = Field(None, alias="number-sections")
    crossref: CrossrefOptions = CrossrefOptions()
    editor: list[AuthorSource] = []
    reviewer: list[AuthorSource] = []
    funding: FundingSource | None = None
    history: dict[str, list[str]] = {}
    abstracts: list[OtherAbstractSource] = []
    related: list[RelatedSource] = []
    imported: ImportedSource | None = None

    @field_validator("title", "subtitle", mode="before")
    @classmethod
    def _by_lang(cls, value: Any) -> Any:
        # A plain string is in the article's language, filled in by the reader.
        return {"": value} if isinstance(value, str | int | float) else value

    @field_validator("title")
    @classmethod
    def _titled(cls, value: dict[str, str]) -> dict[str, str]:
        if not value or not all(str(text).strip() for text in value.values()):
            raise ValueError("must not be empty")
        return value

    @field_validator("author", "bibliography", "editor", "reviewer", "related", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return value if isinstance(value, list) else [value]

    @field_validator("history", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out: dict[str, list[str]] = {}
        for key, dates in value.items():
            out[key] = [str(d) for d in dates] if isinstance(dates, list) else [str(dates)]
        return out

    @field_validator("history")
    @classmethod
    def _history(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, dates in value.items():
            if key not in HISTORY_TYPES:
                raise ValueError(
                    f"`{key}` is not a history date: use {', '.join(sorted(HISTORY_TYPES))}"
                )
            for date in dates:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{4}", date):
                    raise ValueError(f"{key}: '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD")
                _real(date)
        return value

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        return _real(value) if value else value

    @field_validator("abstract", mode="before")
    @classmethod
    def _abstract_by_lang(cls, value: Any) -> Any:
        # A plain string is the abstract in the article's language, filled in by the reader.
        return {"": value} if isinstance(value, str) else value

    @field_validator("keywords", mode="before")
    @classmethod
    def _keywords_by_lang(cls, value: Any) -> Any:
        if isinstance(value, list):
            return {"": value}
        if isinstance(value, str):
            return {"": [item.strip() for item in value.split(",") if item.strip()]}
        return value


# --------------------------------------------------------------------------- CSL references


class CslName(Source):
    family: str | None = None
    given: str | None = None
    literal: str | None = None
    dropping_particle: str | None = Field(None, alias="dropping-particle")
    non_dropping_particle: str | None = Field(None, alias="non-dropping-particle")
    suffix: str | None = None

    @model_validator(mode="after")
    def _has_a_name(self) -> CslName:
        if not (self.family or self.literal):
            raise ValueError("a name needs `family` (and usually `given`) or `literal`")
        return self


class CslDate(Source):
    date_parts: list[list[int]] | None = Field(None, alias="date-parts")
    literal: str | None = None
    season: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_edtf(cls, value: Any) -> Any:
        # pandoc's CSL YAML writes dates as EDTF strings ("1990-04"); CSL JSON as date-parts.
        if isinstance(value, int):
            value = str(value)
        if isinstance(value, str):
            match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value.strip())
            if not match:
                raise ValueError("a date is YYYY, YYYY-MM, YYYY-MM-DD or {date-parts: [[Y, M, D]]}")
            return {"date-parts": [[int(part) for part in match.groups() if part]]}
        return value

    @field_validator("date_parts")
    @classmethod
    def _plausible(cls, value: list[list[int]] | None) -> list[list[int]] | None:
        for parts in value or []:
            if not 1 <= len(parts) <= 3:
                raise ValueError("date-parts holds [year], [year, month] or [year, month, day]")
            if len(parts) > 1 and not 1 <= parts[1] <= 12:
                raise ValueError(f"month {parts[1]} is not between 1 and 12")
            if len(parts) > 2 and not 1 <= parts[2] <= 31:
                raise ValueError(f"day {parts[2]} is not between 1 and 31")
        return value


class CslItem(Source):
    id: str
    type: Literal[CSL_TYPES]  # type: ignore[valid-type]
    author: list[CslName] = []
    editor: list[CslName] = []
    issued: CslDate | None = None
    title: str | None = None
    container_title: str | None = Field(None, alias="container-title")
    collection_title: str | None = Field(None, alias="collection-title")
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    edition: str | None = None
    publisher: str | None = None
    publisher_place: str | None = Field(None, alias="publisher-place")
    number_of_pages: str | None = Field(None, alias="number-of-pages")
    year_suffix: str | None = Field(None, alias="year-suffix")
    doi: str | None = Field(None, alias="DOI")
    url: str | None = Field(None, alias="URL")
    isbn: str | None = Field(None, alias="ISBN")
    pmid: str | None = Field(None, alias="PMID")
    pmcid: str | None = Field(None, alias="PMCID")
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _csl_case(cls, value: Any) -> Any:
        if isinstance(value, dict):
            value = {
                key.upper() if key in ("doi", "url", "isbn", "pmid", "pmcid") else key: v
                for key, v in value.items()
            }
        return value

    @field_validator("id")
    @classmethod
    def _xml_id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(
                "a reference id starts with a letter and holds only letters, digits, '_', '-', '.'"
            )
        return value
