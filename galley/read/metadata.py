"""The article's metadata beyond its text: DOI, contributors and affiliations, history,
related articles, funding, licence and landing page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from galley.ast import RichText
from galley.codes import Code
from galley.diagnostics import Diagnostic, error, warning
from galley.identifiers import is_doi, orcid_problem, orcid_url, strip_doi
from galley.model import (
    Affiliation,
    Article,
    Award,
    Contributor,
    Date,
    Funder,
    Funding,
    HistoryDate,
    Issue,
    Journal,
    License,
    PersonName,
    RelatedArticle,
)
from galley.read.frontmatter import HINTS, parse_date
from galley.sourceschema import (
    HISTORY_TYPES,
    AffiliationSource,
    ArticleSource,
    AuthorSource,
    CopyrightSource,
    CslName,
    LicenseSource,
    NameSource,
)
from galley.yamlsource import LineMap


def landing_page(
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


def read_doi(
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


def read_contributors(
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
                name=person_name(author.name),
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


# The order an article's history takes: each date no earlier than the one before it.
LIFECYCLE = ("received", "rev-request", "rev-recd", "accepted")


def read_history(
    source: ArticleSource, linemap: LineMap, problems: list[Diagnostic]
) -> tuple[HistoryDate, ...]:
    """received, revised, accepted...: in that order, and none after the publication (each
    compared at the precision both give: 2026-03-20 is after 2026-02, not after 2026)."""
    published = parse_date(source.date) if source.date else None
    found: list[tuple[str, str, HistoryDate]] = []
    for key, values in source.history.items():
        for value in values:
            found.append((key, value, HistoryDate(HISTORY_TYPES[key], parse_date(value))))
    stages = sorted(
        (entry for entry in found if entry[2].kind in LIFECYCLE),
        key=lambda entry: LIFECYCLE.index(entry[2].kind),
    )
    for (key, value, entry), (later_key, later_value, later) in itertools.pairwise(stages):
        if _after(entry.date, later.date):
            problems.append(
                error(
                    Code.ARTICLE_HISTORY_ORDER,
                    f"history: {later_key} {later_value} comes before {key} {value}",
                    linemap.span(("history", later_key)),
                    "check the dates: an article is received, revised, then accepted",
                )
            )
    for key, value, entry in stages:
        if published is not None and _after(entry.date, published):
            problems.append(
                error(
                    Code.ARTICLE_HISTORY_AFTER,
                    f"history: {key} {value} is after the publication date {published.iso}",
                    linemap.span(("history", key)),
                    "check the dates, or the article's `date:`",
                )
            )
    order = list(HISTORY_TYPES.values())
    dates = [entry for _, _, entry in found]
    return tuple(sorted(dates, key=lambda d: (d.date.iso, order.index(d.kind))))


def _after(one: Date, other: Date) -> bool:
    """Whether `one` is after `other` at the precision both give."""
    a = (one.year, one.month, one.day)
    b = (other.year, other.month, other.day)
    common = next((i for i in range(3) if a[i] is None or b[i] is None), 3)
    return a[:common] > b[:common]


def read_related(
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


def read_funding(
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
    by_name = {c.name.display: c for c in contributors}
    organisations = {a.id: a for a in source.affiliations if a.id}
    awards = []
    for a_index, award in enumerate(source.funding.awards):
        at = award.at or ("funding", "awards", a_index)
        if not award.source:
            problems.append(
                error(
                    Code.FUNDING_NO_SOURCE,
                    f"the award {award.id or award.name or a_index + 1} names no funder",
                    linemap.span(at),
                    "give who paid as `source:` (its name, or `ref:` to an affiliation id); "
                    "JATS4R and Crossref need one for each award",
                )
            )
        funders = []
        for f_index, funder in enumerate(award.source):
            where = linemap.span((*at, "source", f_index))
            name, country, ror_given = funder.text, funder.country, funder.ror
            if funder.ref is not None:
                paid = organisations.get(funder.ref)
                if paid is None or not paid.name:
                    problems.append(
                        error(
                            Code.FUNDING_SOURCE_REF,
                            f"`source: {{ref: {funder.ref}}}` matches no affiliation `id`",
                            where,
                            "give the organisation an `id:` under `affiliations:`, or write "
                            "its name as `text:`",
                        )
                    )
                    continue
                name = name or paid.name
                country = country or paid.country
                ror_given = ror_given or paid.ror
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
            if ror_given:
                match = _ROR.match(ror_given.strip())
                if match:
                    ror = f"https://ror.org/{match.group(1)}"
                else:
                    problems.append(
                        error(
                            Code.FUNDING_ROR,
                            f"'{ror_given}' is not a ROR id",
                            where,
                            "write it as https://ror.org/0xxxxxxxx (search https://ror.org)",
                        )
                    )
            funders.append(Funder(name or "", country, funder_id, ror))
        people: dict[str, list[PersonName]] = {"recipient": [], "investigator": []}
        for role in people:
            for p_index, ref in enumerate(getattr(award, role)):
                if ref.name is not None:
                    people[role].append(person_name(ref.name))
                elif ref.institution:
                    people[role].append(PersonName(None, None, literal=ref.institution))
                elif ref.text is not None:  # an id, or a name as Quarto allows
                    known = by_id.get(ref.text) or by_name.get(ref.text)
                    if known is not None:
                        people[role].append(known.name)
                    elif ref.text in organisations and organisations[ref.text].name:
                        people[role].append(
                            PersonName(None, None, literal=organisations[ref.text].name)
                        )
                    else:
                        people[role].append(person_name(NameSource.model_validate(ref.text)))
                elif ref.ref in by_id:
                    people[role].append(by_id[ref.ref].name)
                elif ref.ref in organisations and organisations[ref.ref].name:
                    people[role].append(PersonName(None, None, literal=organisations[ref.ref].name))
                else:
                    problems.append(
                        error(
                            Code.FUNDING_PERSON,
                            f"`{role}: {{ref: {ref.ref}}}` matches no author or affiliation `id`",
                            linemap.span((*at, role, p_index)),
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


def person_name(name: NameSource | CslName) -> PersonName:
    return PersonName(
        given=name.given,
        family=name.family,
        literal=name.literal,
        particle=name.non_dropping_particle or name.dropping_particle,
        suffix=name.suffix,
    )


def read_license(
    license_: LicenseSource | None, copyright_: CopyrightSource | None
) -> License | None:
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
