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
    doi_suffix_pattern: str | None = Field(None, alias="doi-suffix-pattern")
    require_abstract: bool = Field(False, alias="require-abstract")
    pmc: bool = False
    crossref: CrossrefSource | None = None
    number_sections: bool = Field(False, alias="number-sections")
    labels: dict[str, dict[str, str]] = {}

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
    issue: str
    issued: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    season: str | None = None
    title: str | None = None
    articles: list[str] = []
    first_page: int = Field(1, alias="first-page", ge=1)

    _blank = field_validator("volume", "issue")(_not_blank)


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
    name: NameSource
    orcid: str | None = None
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    roles: list[str] = []
    affiliations: list[AffiliationSource] = []
    corresponding: bool = False

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
        attributes = value.get("attributes")
        if isinstance(attributes, dict) and "corresponding" in attributes:
            value.setdefault("corresponding", attributes["corresponding"])
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


class ArticleSource(Source):
    title: str
    subtitle: str | None = None
    short_title: str | None = Field(None, alias="short-title")
    lang: str | None = None
    author: list[AuthorSource] = Field(min_length=1)
    affiliations: list[AffiliationSource] = []
    abstract: dict[str, str] = {}
    keywords: dict[str, list[str]] = {}
    license: LicenseSource | None = None
    copyright: CopyrightSource | None = None
    article_type: Literal[JATS_ARTICLE_TYPES] = Field(  # type: ignore[valid-type]
        "research-article", alias="article-type"
    )
    section: str | None = None
    doi: str | None = None
    citation: CitationSource = CitationSource()
    date: str | None = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    bibliography: list[str] = []
    references: list[dict[str, Any]] = []
    nocite: str | None = None
    number_sections: bool | None = Field(None, alias="number-sections")
    crossref: CrossrefOptions = CrossrefOptions()

    _blank = field_validator("title")(_not_blank)

    @field_validator("author", "bibliography", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return value if isinstance(value, list) else [value]

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
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _csl_case(cls, value: Any) -> Any:
        if isinstance(value, dict):
            value = {
                key.upper() if key in ("doi", "url", "isbn") else key: v for key, v in value.items()
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
