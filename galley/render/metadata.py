"""Indexing metadata as data (name/value pairs, JSON-LD dicts) for templates to print.

Google Scholar's Highwire Press tags, Dublin Core and schema.org all describe the same
model fields; mapping them lives here, once, so the HTML and EPUB templates only loop.
"""

from __future__ import annotations

import re
from typing import Any

from galley.model import Article, Reference
from galley.render.text import ArticleText

Pairs = list[tuple[str, str]]


def highwire(article: Article, text: ArticleText, links: dict[str, str]) -> Pairs:
    """`citation_*` meta tags, in the order Google Scholar's inclusion guidelines list them."""
    journal, issue = article.journal, article.issue
    tags: Pairs = [("citation_title", text.title_text)]
    for contributor in article.contributors:
        tags.append(("citation_author", contributor.name.sort))
        for affiliation in contributor.affiliations:
            tags.append(("citation_author_institution", affiliation.name))
        if contributor.orcid:
            tags.append(("citation_author_orcid", contributor.orcid))
        if contributor.email:
            tags.append(("citation_author_email", contributor.email))
    tags += [
        ("citation_publication_date", article.date.iso.replace("-", "/")),
        ("citation_journal_title", journal.title),
    ]
    if journal.title_short:
        tags.append(("citation_journal_abbrev", journal.title_short))
    for issn in (journal.issn_print, journal.issn_electronic):
        if issn:
            tags.append(("citation_issn", issn))
    tags += [("citation_publisher", journal.publisher), ("citation_volume", issue.volume)]
    if issue.number:
        tags.append(("citation_issue", issue.number))
    if article.pages.first:
        tags.append(("citation_firstpage", article.pages.first))
    if article.pages.last:
        tags.append(("citation_lastpage", article.pages.last))
    if article.doi:
        tags.append(("citation_doi", article.doi))
    tags.append(("citation_language", article.lang))
    if article.url:
        tags.append(("citation_abstract_html_url", article.url))
    for kind, name in (("pdf", "citation_pdf_url"), ("jats", "citation_xml_url")):
        if kind in links:
            tags.append((name, links[kind]))
    if article.abstract:
        tags.append(("citation_abstract", article.abstract.text.plain))
    for group in article.keywords:
        if group.lang == article.lang:
            tags.append(("citation_keywords", "; ".join(group.keywords)))
    tags += [("citation_reference", cited) for r in article.references if (cited := _cited(r))]
    return tags


def _cited(reference: Reference) -> str:
    """One reference as Google Scholar reads a `citation_reference`: its structured fields
    as `citation_*=value` pairs (only those the reference gives), or its formatted text."""
    first, _, last = re.sub(r"\s*[–—-]\s*", "-", reference.page or "").partition("-")
    pairs: list[tuple[str, str | None]] = [
        ("citation_author", name.sort) for name in reference.authors
    ]
    pairs += [
        ("citation_title", reference.title),
        (
            "citation_journal_title"
            if reference.type == "article-journal"
            else "citation_inbook_title",
            reference.container_title,
        ),
        ("citation_publisher", reference.publisher),
        ("citation_volume", reference.volume),
        ("citation_issue", reference.issue),
        ("citation_firstpage", first.strip() or None),
        ("citation_lastpage", last.strip() or None),
        ("citation_publication_date", str(reference.issued.year) if reference.issued else None),
        ("citation_doi", reference.doi),
        ("citation_isbn", reference.isbn),
    ]
    given = [f"{key}={value.replace(';', ',')}" for key, value in pairs if value]
    if reference.title or reference.container_title:
        return "; ".join(given)
    return reference.formatted.plain if reference.formatted else ""


def dublin_core(article: Article, text: ArticleText) -> Pairs:
    """DC.* and DCTERMS.* meta tags (the DCMI HTML convention)."""
    tags: Pairs = [("DC.title", text.title_text)]
    tags += [("DC.creator", c.name.sort) for c in article.contributors]
    tags += [
        ("DC.date", article.date.iso),
        ("DC.identifier", f"doi:{article.doi}" if article.doi else article.identifier),
        ("DC.language", article.lang),
        ("DC.publisher", article.journal.publisher),
        ("DC.type", "Text"),
        ("DC.format", "text/html"),
        ("DCTERMS.isPartOf", _is_part_of(article)),
        ("DCTERMS.bibliographicCitation", _bibliographic_citation(article)),
    ]
    if article.abstract:
        tags.append(("DCTERMS.abstract", article.abstract.text.plain))
    for group in article.keywords:
        tags += [("DC.subject", keyword) for keyword in group.keywords]
    if article.license and (article.license.url or article.license.text):
        tags.append(("DC.rights", article.license.url or article.license.text or ""))
    return tags


def _is_part_of(article: Article) -> str:
    issn = article.journal.issn_electronic or article.journal.issn_print
    return f"urn:issn:{issn}" if issn else article.journal.title


def _bibliographic_citation(article: Article) -> str:
    text = f"{article.journal.title}, {article.issue.label}"
    where = article.pages.range or article.pages.number
    return f"{text}, {where}" if where else text


def schema_org(article: Article, text: ArticleText, links: dict[str, str]) -> dict[str, Any]:
    """A schema.org ScholarlyArticle, nested in its PublicationIssue, Volume and Periodical."""
    journal = article.journal
    periodical: dict[str, Any] = {
        "@type": "Periodical",
        "name": journal.title,
        "publisher": {"@type": "Organization", "name": journal.publisher},
    }
    issns = [issn for issn in (journal.issn_print, journal.issn_electronic) if issn]
    if issns:
        periodical["issn"] = issns
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": article.doi_url or article.identifier,
        "headline": text.title_text,
        "name": text.title_text,
        "inLanguage": article.lang,
        "datePublished": article.date.iso,
        "identifier": {"@type": "PropertyValue", "propertyID": "DOI", "value": article.doi}
        if article.doi
        else article.identifier,
        "sameAs": [url for url in (article.doi_url, article.url) if url],
        "author": [_person(c) for c in article.contributors],
        "isPartOf": _part_of(article, periodical),
    }
    if article.pages.first:
        data["pageStart"] = article.pages.first
    if article.pages.last:
        data["pageEnd"] = article.pages.last
    if article.pages.number:
        data["identifier"] = [
            data["identifier"],
            {
                "@type": "PropertyValue",
                "propertyID": "article-number",
                "value": article.pages.number,
            },
        ]
    if article.abstract:
        data["abstract"] = article.abstract.text.plain
    keywords = [
        k for group in article.keywords if group.lang == article.lang for k in group.keywords
    ]
    if keywords:
        data["keywords"] = keywords
    if article.license and article.license.url:
        data["license"] = article.license.url
    if "pdf" in links:
        data["encoding"] = {
            "@type": "MediaObject",
            "encodingFormat": "application/pdf",
            "contentUrl": links["pdf"],
        }
    return data


def _part_of(article: Article, periodical: dict[str, Any]) -> dict[str, Any]:
    """The issue (if the volume has issues) within the volume within the journal."""
    issue = article.issue
    volume = {"@type": "PublicationVolume", "volumeNumber": issue.volume, "isPartOf": periodical}
    if not issue.number:
        return volume
    return {
        "@type": "PublicationIssue",
        "issueNumber": issue.number,
        "datePublished": issue.date.iso,
        "isPartOf": volume,
    }


def _person(contributor: Any) -> dict[str, Any]:
    name = contributor.name
    if name.literal:
        return {"@type": "Organization", "name": name.literal}
    person: dict[str, Any] = {"@type": "Person", "name": name.display}
    if name.given:
        person["givenName"] = name.given
    if name.family:
        person["familyName"] = name.family
    if contributor.orcid:
        person["identifier"] = contributor.orcid
    if contributor.affiliations:
        person["affiliation"] = [
            {"@type": "Organization", "name": a.name} for a in contributor.affiliations
        ]
    return person
