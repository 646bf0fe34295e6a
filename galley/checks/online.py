"""`--online`: compare the source with what Crossref has registered, politely.

Off by default: nothing here runs unless asked. The client names itself and a contact
address in its User-Agent (Crossref's "polite pool"), times out, retries with back-off on
429/5xx, keeps to a request rate, and caches answers on disk so a re-run asks nothing twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from galley.checks import Checklist
from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error, warning
from galley.model import Article, Project

DEFAULT_API = "https://api.crossref.org"
DEFAULT_RESOLVER = "https://doi.org"


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "galley" / "crossref"


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

    @property
    def user_agent(self) -> str:
        contact = f" (mailto:{self.mailto})" if self.mailto else ""
        return f"galley/0.1 (scholarly publishing pipeline){contact}"

    def work(self, doi: str) -> dict[str, Any] | None:
        """Crossref's record of `doi`, or None when Crossref does not know it."""
        status, body = self._get(f"{self.api.rstrip('/')}/works/{urllib.parse.quote(doi)}")
        if status == 404:
            return None
        message: dict[str, Any] = json.loads(body)["message"]
        return message

    def search(self, bibliographic: str, rows: int = 3) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode({"query.bibliographic": bibliographic, "rows": rows})
        status, body = self._get(f"{self.api.rstrip('/')}/works?{query}")
        if status != 200:
            return []
        items: list[dict[str, Any]] = json.loads(body)["message"].get("items", [])
        return items

    def resolves(self, doi: str) -> bool:
        """Whether doi.org redirects `doi` somewhere (registered and resolvable)."""
        status, _ = self._get(
            f"{self.resolver.rstrip('/')}/{urllib.parse.quote(doi)}", redirects=False
        )
        return 300 <= status < 400 or status == 200

    def _get(self, url: str, redirects: bool = True) -> tuple[int, bytes]:
        key = hashlib.sha256(f"{redirects}:{url}".encode()).hexdigest()
        cached = self.cache / f"{key}.json" if self.cache else None
        if cached and cached.is_file():
            entry = json.loads(cached.read_text(encoding="utf-8"))
            return int(entry["status"]), entry["body"].encode("utf-8")
        status, body = self._fetch(url, redirects)
        if cached and (status < 500 and status != 429):
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(
                json.dumps({"url": url, "status": status, "body": body.decode("utf-8", "replace")}),
                encoding="utf-8",
            )
        return status, body

    def _fetch(self, url: str, redirects: bool) -> tuple[int, bytes]:
        opener = urllib.request.build_opener(*([] if redirects else [_NoRedirect()]))
        for attempt in range(self.retries + 1):
            wait = self.interval - (time.monotonic() - self._last)
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()
            request = urllib.request.Request(url, headers={"User-Agent": self.user_agent})
            try:
                with opener.open(request, timeout=self.timeout) as response:
                    return int(response.status), bytes(response.read())
            except urllib.error.HTTPError as exc:
                if exc.code in (429, 500, 502, 503, 504) and attempt < self.retries:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                return exc.code, exc.read() or b""
            except OSError as exc:
                if attempt < self.retries:
                    time.sleep(self.backoff * 2**attempt)
                    continue
                raise GalleyError(
                    error(
                        "online.unreachable",
                        f"could not reach {url}: {exc}",
                        hint="check the network or --crossref-url",
                    )
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


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
                    "online.mismatch",
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
    if article.fpage and record.get("page"):
        ours = f"{article.fpage}-{article.lpage}" if article.lpage else article.fpage
        differs("pages", ours, record["page"], article.source.span("citation", "page"))
    issns = set(record.get("ISSN") or [])
    mine = {issn for issn in (journal.issn_print, journal.issn_electronic) if issn}
    if issns and not issns & mine:
        found.append(
            warning(
                "online.mismatch",
                f"ISSN: the source has {', '.join(sorted(mine))}"
                f", Crossref has {', '.join(sorted(issns))}",
                journal.source.span("issn"),
                "check journal.yaml",
            )
        )
    return found


def check(project: Project, checklist: Checklist, client: CrossrefClient) -> None:
    """Resolve each article and reference DOI; compare; suggest DOIs for references."""
    for article in project.articles:
        span = article.source.span("doi")
        record = client.work(article.doi)
        if record is None:
            checklist.failed(
                "online.registered",
                article.key,
                warning(
                    "online.not-registered",
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
                        "online.unresolved",
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
                            "online.reference-unknown",
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
                        "online.suggestion",
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
        "online.suggestion",
        message,
        span,
        "add `DOI:` to the reference if it is the same work",
    )
