"""The Crossref deposit (schema 5.3.1) for an issue: journal, issue and every article with its
contributors, abstract, pages, DOI, landing page and structured citations."""

from __future__ import annotations

from pathlib import PurePosixPath

from markupsafe import Markup

from galley import pandoc
from galley.ast import RichText
from galley.model import SEASONS, IssueContents
from galley.render import BuildInfo, Output, issue_dir
from galley.templating import Templates

MEDIA_TYPE = "application/vnd.crossref.deposit+xml"
# Crossref's month codes for seasons (21 spring ... 24 winter), by the month SEASONS gives.
SEASON_CODES = {4: "21", 7: "22", 10: "23", 1: "24"}


def deposit_path(contents: IssueContents) -> PurePosixPath:
    return issue_dir(contents) / f"{contents.issue.id}.crossref.xml"


def render(contents: IssueContents, templates: Templates, info: BuildInfo) -> Output:
    """The deposit file; batch id and timestamp are fixed by SOURCE_DATE_EPOCH or the issue date."""
    issue, journal = contents.issue, contents.issue.journal
    stamp = info.timestamp(issue.date)
    pieces: dict[str, RichText] = {}
    for article in contents.articles:
        for abstract in article.abstracts:
            pieces[f"{article.id}:{abstract.lang}"] = abstract.text.to_blocks()
    fragments = pandoc.write("jats_publishing", pieces) if pieces else {}
    entries = [
        {
            "article": article,
            "title": article.title.plain,
            "subtitle": article.subtitle.plain if article.subtitle else None,
            "abstracts": {
                a.lang: Markup(fragments[f"{article.id}:{a.lang}"].strip())
                for a in article.abstracts
            },
        }
        for article in contents.articles
    ]
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
