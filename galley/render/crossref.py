"""The Crossref deposit (schema 5.3.1) for an issue: journal, issue and every article with its
contributors, abstract, pages, DOI, landing page and structured citations."""

from __future__ import annotations

from pathlib import PurePosixPath

from markupsafe import Markup

from galley import pandoc
from galley.ast import RichText
from galley.codes import Code
from galley.diagnostics import GalleyError, error
from galley.model import SEASONS, Article, IssueContents, Journal
from galley.render import BuildInfo, Output, issue_dir, jats_body
from galley.render.jats import plain_headings
from galley.templating import Templates

MEDIA_TYPE = "application/vnd.crossref.deposit+xml"
# Crossref's month codes for seasons (21 spring ... 24 winter), by the month SEASONS gives.
SEASON_CODES = {4: "21", 7: "22", 10: "23", 1: "24"}


def deposit_path(contents: IssueContents) -> PurePosixPath:
    return issue_dir(contents) / f"{contents.issue.id}.crossref.xml"


# JATS related-article types and the Crossref relation each one is (relations.xsd).
RELATIONS = {
    "commentary": ("inter_work_relation", "isCommentOn"),
    "commentary-article": ("inter_work_relation", "hasComment"),
    "reply": ("inter_work_relation", "isReplyTo"),
    "letter": ("inter_work_relation", "isCommentOn"),
    "companion": ("inter_work_relation", "isRelatedMaterial"),
    "addendum": ("inter_work_relation", "isSupplementTo"),
    "article-reference": ("inter_work_relation", "references"),
    "update": ("inter_work_relation", "isRelatedMaterial"),
    "object-of-concern": ("inter_work_relation", "isRelatedMaterial"),
}


def render(contents: IssueContents, templates: Templates, info: BuildInfo) -> Output:
    """The deposit file; batch id and timestamp are fixed by SOURCE_DATE_EPOCH or the issue date.

    Every language version of an article is a record of its own (its own DOI), related to
    the others by `isTranslationOf`/`hasTranslation`; each needs a landing page.
    """
    issue, journal = contents.issue, contents.issue.journal
    stamp = info.timestamp(issue.date)
    # A translation published without a DOI of its own is no record (nothing to register).
    records = [
        version
        for article in contents.articles
        for version in (article, *article.translations)
        if version.doi
    ]
    _require_landing_pages(records)
    _require_depositor(journal)
    pieces: dict[str, RichText] = {}
    for record in records:
        for index, abstract in enumerate(record.abstracts):
            pieces[f"{record.id}:{index}"] = plain_headings(abstract.text.to_blocks())
    fragments = pandoc.write("jats_publishing", pieces) if pieces else {}
    finisher = jats_body.Finisher({})
    entries = []
    for article in contents.articles:
        for record in (r for r in (article, *article.translations) if r.doi):
            original = article if record is not article else None
            entries.append(
                {
                    "article": record,
                    "title": record.title.plain,
                    "subtitle": record.subtitle.plain if record.subtitle else None,
                    "original_title": original.title.plain if original else None,
                    "original_lang": original.lang if original else None,
                    "abstracts": [
                        Markup(finisher.finish(fragments[f"{record.id}:{i}"].strip()))
                        for i in range(len(record.abstracts))
                    ],
                    "relations": _relations(article, record),
                }
            )
    season = None
    if issue.date.season and issue.date.season.lower() in SEASONS:
        season = SEASON_CODES[SEASONS[issue.date.season.lower()]]
    timestamp = stamp.strftime("%Y%m%d%H%M%S")
    text = templates.render(
        "crossref/deposit.xml.jinja",
        journal=journal,
        issue=issue,
        entries=entries,
        season=season,
        timestamp=timestamp,
        batch_id=f"{issue.id}-{timestamp}",
    )
    return Output(deposit_path(contents), text.encode("utf-8"), "crossref", MEDIA_TYPE)


def _relations(original: Article, record: Article) -> list[tuple[str, str, str]]:
    """The record's relations: to its other language versions, and its related articles."""
    found: list[tuple[str, str, str]] = []
    if record is original:
        found += [
            ("intra_work_relation", "hasTranslation", t.doi) for t in original.translations if t.doi
        ]
    else:
        found.append(("intra_work_relation", "isTranslationOf", original.doi))
    for related in original.related:
        if related.kind in RELATIONS:
            kind, relation = RELATIONS[related.kind]
            found.append((kind, relation, related.doi))
    return found


def _require_depositor(journal: Journal) -> None:
    """Crossref wants to know who deposits: the journal must say (never a made-up address)."""
    if not journal.depositor_email:
        raise GalleyError(
            error(
                Code.CROSSREF_DEPOSITOR,
                "journal.yaml does not say who deposits with Crossref",
                journal.source.span(),
                "add `crossref: {depositor: ..., email: ..., registrant: ...}` to journal.yaml",
            )
        )


def _require_landing_pages(records: list[Article]) -> None:
    """Crossref registers a DOI for a page: without one, no deposit (never the DOI itself)."""
    missing = [record for record in records if not record.url]
    if missing:
        raise GalleyError(
            [
                error(
                    Code.CROSSREF_LANDING_PAGE,
                    f"{record.id} has no landing page; Crossref needs one for its DOI",
                    record.source.span("citation", "url"),
                    "add `citation: {url: https://...}` to the article, or `article-url:` "
                    "(e.g. https://journal.example.org/{issue}/{article}) to journal.yaml",
                )
                for record in missing
            ]
        )
