"""`--online`: compare the source with what Crossref has registered, politely.

Off by default: nothing here runs unless asked. The client (requests, with urllib3's retries
and requests-cache) names itself and a contact address in its User-Agent (Crossref's "polite
pool"), times out, retries 429 and 5xx answers with back-off and as `Retry-After` says, keeps
to a request rate, follows no redirect to another host, and caches on disk only the answers
worth keeping (a record, a 404, a resolver's redirect: never an error or a broken body), so a
re-run asks nothing twice and a bad day at Crossref is not remembered.
"""

from __future__ import annotations

import json
import os
import time
import unicodedata
import urllib.parse
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from galley import limits
from galley.checks import Checklist
from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error, warning
from galley.model import Article, Project

DEFAULT_API = "https://api.crossref.org"
DEFAULT_RESOLVER = "https://doi.org"
GOOD = (200, 301, 302, 303, 307, 308, 404)  # answers worth caching
MAX_RETRY_AFTER = 20  # seconds: a longer `Retry-After` is a failure for this run


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "galley" / "crossref"


def _keep(response: requests.Response) -> bool:
    """Cache an answer only if it is good: a record must be JSON (an HTML page a proxy or a
    maintenance notice gives with 200 is no record)."""
    if response.status_code != 200:
        return response.status_code in GOOD
    try:
        json.loads(response.content)
    except ValueError:
        return False
    return True


class _WaitTooLong(Exception):
    """The server asks to wait longer than this run will (`Retry-After`)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class _Retry(Retry):
    """urllib3's retries, with a server's `Retry-After` honoured up to a limit: a longer
    wait ends this run's asking at once rather than after every retry has waited."""

    def sleep_for_retry(self, response: Any) -> bool:
        seconds = self.get_retry_after(response)
        if seconds is not None and seconds > MAX_RETRY_AFTER:
            raise _WaitTooLong(seconds)
        return bool(super().sleep_for_retry(response))


@dataclass
class CrossrefClient:
    api: str = DEFAULT_API
    resolver: str = DEFAULT_RESOLVER
    mailto: str | None = None
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.5
    interval: float = 0.1
    cache: Path | None = field(default_factory=default_cache)
    _last: float = 0.0
    _session: requests.Session | None = None

    @property
    def user_agent(self) -> str:
        contact = f" (mailto:{self.mailto})" if self.mailto else ""
        return f"galley/0.1 (scholarly publishing pipeline){contact}"

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            session: requests.Session
            if self.cache is not None:
                self.cache.mkdir(parents=True, exist_ok=True)
                session = requests_cache.CachedSession(
                    str(self.cache / "answers"),
                    backend="sqlite",
                    allowable_codes=GOOD,
                    filter_fn=_keep,
                    expire_after=timedelta(days=30),
                )
            else:
                session = requests.Session()
            retry = _Retry(
                total=self.retries,
                backoff_factor=self.backoff,
                status_forcelist=(429, 500, 502, 503, 504),
                allowed_methods=("GET",),
                respect_retry_after_header=True,
                raise_on_status=False,
            )
            session.mount("http://", HTTPAdapter(max_retries=retry))
            session.mount("https://", HTTPAdapter(max_retries=retry))
            session.headers["User-Agent"] = self.user_agent
            self._session = session
        return self._session

    def work(self, doi: str) -> dict[str, Any] | None:
        """Crossref's record of `doi`, or None when Crossref does not know it."""
        url = f"{self.api.rstrip('/')}/works/{urllib.parse.quote(doi)}"
        status, body = self._get(url)
        if status == 404:
            return None
        message: dict[str, Any] = self._json(url, status, body)["message"]
        return message

    def search(self, bibliographic: str, rows: int = 3) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode({"query.bibliographic": bibliographic, "rows": rows})
        url = f"{self.api.rstrip('/')}/works?{query}"
        status, body = self._get(url)
        items: list[dict[str, Any]] = self._json(url, status, body)["message"].get("items", [])
        return items

    def resolves(self, doi: str) -> bool:
        """Whether doi.org redirects `doi` somewhere (registered and resolvable)."""
        status, _ = self._get(f"{self.resolver.rstrip('/')}/{urllib.parse.quote(doi)}")
        return 300 <= status < 400 or status == 200

    def _json(self, url: str, status: int, body: bytes) -> dict[str, Any]:
        """A Crossref answer's JSON, or a clear error (never a traceback)."""
        if status != 200:
            raise GalleyError(
                error(
                    Code.ONLINE_UNAVAILABLE,
                    f"Crossref answered {status} to {url}, after {self.retries} retries",
                    hint="try again later; nothing was cached",
                )
            )
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("message"), dict):
                raise ValueError("no message")
        except ValueError:
            raise GalleyError(
                error(
                    Code.ONLINE_BAD_ANSWER,
                    f"Crossref's answer to {url} is not the JSON it should be",
                    hint="try again later; the answer was not cached",
                )
            ) from None
        return data

    def _get(self, url: str) -> tuple[int, bytes]:
        """One GET, at the polite rate, following redirects only on the same host."""
        wait = self.interval - (time.monotonic() - self._last)
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        try:
            response = limits.within(
                # a trickled answer never times out a read: the whole request is bounded
                # (three read time-outs, and one wait a server may ask for)
                self.timeout * 3 + MAX_RETRY_AFTER * min(self.retries, 1),
                lambda: self.session.get(url, timeout=self.timeout, allow_redirects=False),
            )
        except _WaitTooLong as exc:
            raise GalleyError(
                error(
                    Code.ONLINE_UNAVAILABLE,
                    f"Crossref asks galley to wait {exc.seconds:.0f} s before asking {url} "
                    "again (Retry-After)",
                    hint="try again later; nothing was cached",
                )
            ) from None
        except TimeoutError as exc:
            raise GalleyError(
                error(
                    Code.ONLINE_UNREACHABLE,
                    f"could not reach {url}: {exc}",
                    hint="the server is too slow; try again later",
                )
            ) from None
        except requests.RequestException as exc:
            raise GalleyError(
                error(
                    Code.ONLINE_UNREACHABLE,
                    f"could not reach {url}: {exc.__class__.__name__}",
                    hint="check the network or --crossref-url",
                )
            ) from None
        if url.startswith(self.api) and response.is_redirect:
            target = urllib.parse.urljoin(url, response.headers.get("Location", ""))
            if urllib.parse.urlsplit(target).netloc != urllib.parse.urlsplit(url).netloc:
                if isinstance(self.session, requests_cache.CachedSession):
                    self.session.cache.delete(urls=[url])  # a detour is no answer to keep
                raise GalleyError(
                    error(
                        Code.ONLINE_REDIRECT,
                        f"{url} redirects to another host ({target}); galley does not follow it",
                        hint="check --crossref-url",
                    )
                )
            return self._get(target)
        return response.status_code, response.content


def _norm(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    return " ".join(text.replace("’", "'").split())


def compare(article: Article, record: dict[str, Any]) -> list[Diagnostic]:
    """Each field where Crossref's record differs from the source."""
    found = []
    issue, journal = article.issue, article.journal

    def differs(field_name: str, ours: object, theirs: object, span: Span) -> None:
        if ours and theirs and _norm(ours) != _norm(theirs):
            found.append(
                warning(
                    Code.ONLINE_MISMATCH,
                    f"{field_name}: the source has '{ours}', Crossref has '{theirs}'",
                    span,
                    "correct the source, or update the Crossref record",
                )
            )

    title = (record.get("title") or [""])[0]
    differs("title", article.title.plain, title, article.source.span("title"))
    authors = record.get("author") or []
    if authors and article.contributors:
        differs(
            "first author's family name",
            article.contributors[0].name.family,
            authors[0].get("family"),
            article.source.span("author", 0),
        )
    issued = (record.get("published-print") or record.get("issued") or {}).get("date-parts")
    if issued and issued[0] and issued[0][0]:
        differs("year", article.date.year, issued[0][0], issue.source.span("issued"))
    differs(
        "journal",
        journal.title,
        (record.get("container-title") or [""])[0],
        journal.source.span("title"),
    )
    differs("volume", issue.volume, record.get("volume"), issue.source.span("volume"))
    differs("issue", issue.number, record.get("issue"), issue.source.span("issue"))
    if article.pages.first and record.get("page"):
        ours = (
            f"{article.pages.first}-{article.pages.last}"
            if article.pages.last
            else article.pages.first
        )
        differs("pages", ours, record["page"], article.source.span("citation", "page"))
    issns = set(record.get("ISSN") or [])
    mine = {issn for issn in (journal.issn_print, journal.issn_electronic) if issn}
    if issns and not issns & mine:
        found.append(
            warning(
                Code.ONLINE_MISMATCH,
                f"ISSN: the source has {', '.join(sorted(mine))}"
                f", Crossref has {', '.join(sorted(issns))}",
                journal.source.span("issn"),
                "check journal.yaml",
            )
        )
    return found


def check(project: Project, checklist: Checklist, client: CrossrefClient) -> None:
    """Resolve each article and reference DOI; compare; suggest DOIs for references.

    A failed request is a finding of its article, not the end of the report: the others are
    still checked, unless Crossref cannot be reached at all (then one finding says so)."""
    for article in project.articles:
        try:
            _check_article(article, checklist, client)
        except GalleyError as exc:
            (problem,) = exc.diagnostics[:1]
            where = article.source.span("doi")
            if problem.code == Code.ONLINE_UNREACHABLE:
                # Nothing was checked: an error, never a run that says "ok" (the message
                # says the online checks were not done).
                message = f"{problem.message}; the online checks were not done"
                checklist.failed(
                    "online.available", article.key, replace(problem, message=message, span=where)
                )
                return  # every other request would wait for the same time-out
            checklist.failed(
                "online.available",
                article.key,
                replace(problem, severity=Severity.WARNING, span=where),
            )


def _check_article(article: Article, checklist: Checklist, client: CrossrefClient) -> None:
    span = article.source.span("doi")
    record = client.work(article.doi)
    if record is None:
        checklist.failed(
            "online.registered",
            article.key,
            warning(
                Code.ONLINE_NOT_REGISTERED,
                f"Crossref does not know {article.doi}",
                span,
                "deposit the issue's Crossref file, or check the DOI",
            ),
        )
    else:
        checklist.passed("online.registered", article.key, span)
        checklist.record("online.metadata", article.key, compare(article, record), span)
    if record is not None:
        resolves = client.resolves(article.doi)
        checklist.record(
            "online.resolves",
            article.key,
            []
            if resolves
            else [
                warning(
                    Code.ONLINE_UNRESOLVED,
                    f"doi.org does not resolve {article.doi}",
                    span,
                    "check the DOI's resource URL with Crossref",
                )
            ],
            span,
        )
    for reference in article.references:
        subject = f"{article.key} @{reference.id}"
        if reference.doi:
            known = client.work(reference.doi)
            checklist.record(
                "online.reference-doi",
                subject,
                []
                if known
                else [
                    warning(
                        Code.ONLINE_REFERENCE_UNKNOWN,
                        f"reference @{reference.id}: Crossref does not know {reference.doi}",
                        reference.span,
                        "check the DOI",
                    )
                ],
                reference.span,
            )
        elif reference.formatted:
            for item in client.search(reference.formatted.plain)[:3]:
                title = (item.get("title") or [""])[0]
                checklist.failed(
                    Code.ONLINE_SUGGESTION,
                    subject,
                    _info(
                        f"reference @{reference.id} may be {item.get('DOI')} "
                        f'("{title}", score {item.get("score", "?")})',
                        reference.span,
                    ),
                )


def _info(message: str, span: Span) -> Diagnostic:
    return Diagnostic(
        Severity.INFO,
        Code.ONLINE_SUGGESTION,
        message,
        span,
        "add `DOI:` to the reference if it is the same work",
    )
