"""Submitting an issue's Crossref deposit (`galley deposit --crossref [--test]`).

The built deposit file stays reproducible (its timestamp comes from SOURCE_DATE_EPOCH or the
issue date). What is sent is a copy whose `<timestamp>` and `<doi_batch_id>` are new: Crossref
refuses a deposit whose timestamp is not greater than the last one it has for a DOI, so each
submission takes the later of the clock and one more than any timestamp galley sent before
for those DOIs (recorded in output/<issue>/<issue>.crossref-submissions.json). Then the
submission log is polled by file name (Crossref's advice) and each DOI's result reported.

Credentials come from $CROSSREF_USERNAME and $CROSSREF_PASSWORD (or the password from the
system keyring, service "crossref", when the `keyring` package is installed); they are never
written to a file or a message.
"""

from __future__ import annotations

import datetime
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from galley import limits
from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error
from galley.files import write_atomic
from galley.validate import secure_parser

PRODUCTION, TEST = "https://doi.crossref.org", "https://test.crossref.org"
NS = "{http://www.crossref.org/schema/5.3.1}"
USER_ENV, PASSWORD_ENV = "CROSSREF_USERNAME", "CROSSREF_PASSWORD"
LOG_SUFFIX = ".crossref-submissions.json"
_AGAIN = (
    "correct the metadata in the source, build, and deposit again (the next deposit gets a "
    "later timestamp, so Crossref takes it as the new version)"
)


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str

    def __repr__(self) -> str:  # never shown, even in a traceback's locals
        return f"Credentials({self.username!r}, <hidden>)"

    def redact(self, text: str) -> str:
        """`text` (a server's answer) with the login taken out, as typed or URL-encoded:
        a server that echoes what it was sent must not put it on screen or in a file."""
        from urllib.parse import quote, quote_plus

        secrets = {self.password, quote(self.password, safe=""), quote_plus(self.password)}
        if len(self.username) >= 4:
            secrets |= {self.username, quote(self.username, safe=""), quote_plus(self.username)}
        for secret in sorted((s for s in secrets if s), key=len, reverse=True):
            text = text.replace(secret, "<hidden>")
        return text


def credentials() -> Credentials:
    """The depositor's login, from the environment or the keyring; a clear error if absent."""
    username = os.environ.get(USER_ENV, "")
    password = os.environ.get(PASSWORD_ENV, "")
    if username and not password:
        password = _keyring(username)
    if not username or not password:
        raise GalleyError(
            error(
                Code.CROSSREF_CREDENTIALS,
                "no Crossref login: galley needs the depositor's username and password",
                hint=f"set {USER_ENV} and {PASSWORD_ENV} in the environment (or store the "
                f"password with `keyring set crossref USERNAME` and set {USER_ENV}); never "
                "write them in the journal's files",
            )
        )
    return Credentials(username, password)


def _keyring(username: str) -> str:
    try:
        import keyring  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return ""
    try:
        return str(keyring.get_password("crossref", username) or "")
    except Exception:  # a keyring with no backend: as if nothing were stored
        return ""


@dataclass
class Submission:
    """One deposit sent: what was sent, and what Crossref said of each DOI."""

    file_name: str
    batch_id: str
    timestamp: int
    server: str
    dois: list[str]
    results: dict[str, list[str]]  # DOI -> [status, Crossref's message]


def submit(
    deposit: Path,
    server: str,
    login: Credentials,
    *,
    wait: float = 600.0,
    interval: float = 1.0,
    clock: Callable[[], datetime.datetime] | None = None,
) -> list[Diagnostic]:
    """Send `deposit` to `server`, poll its log, and say what became of each DOI."""
    import requests

    now = (clock or (lambda: datetime.datetime.now(datetime.UTC)))()
    history = _history(deposit)
    tree = etree.parse(str(deposit), secure_parser())
    dois = [element.text or "" for element in tree.iter(f"{NS}doi")]
    dois = [doi for doi in dict.fromkeys(dois) if doi]
    timestamp = _next_timestamp(now, history, dois)
    issue = deposit.name.removesuffix(".crossref.xml")
    batch_id = f"{issue}-{timestamp}"
    _set(tree, "timestamp", str(timestamp))
    _set(tree, "doi_batch_id", batch_id)
    body = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    file_name = f"{batch_id}.xml"
    where = Span(deposit)
    host = server.rstrip("/")
    try:
        answer = _send(
            "POST",
            f"{host}/servlet/deposit",
            login,
            data={
                "operation": "doMDUpload",
                "login_id": login.username,
                "login_passwd": login.password,
            },
            files={"fname": (file_name, body, "application/xml")},
            seconds=120,
        )
    except (requests.RequestException, TimeoutError) as exc:
        return [_unreachable(host, exc, where)]
    if answer.is_redirect:
        return [_redirected(host, answer, where)]
    text = login.redact(_plain(answer.text))
    if answer.status_code != 200 or "SUCCESS" not in answer.text.upper():
        return [
            error(
                Code.CROSSREF_REFUSED,
                f"Crossref ({host}) refused the deposit: HTTP {answer.status_code}: "
                f"{text[:300] or 'no message'}",
                where,
                "check the login (a wrong username or password is the usual cause) and "
                "that the DOI prefix is the depositor's",
            )
        ]
    submission = Submission(file_name, batch_id, timestamp, host, dois, {})
    _record(deposit, history, submission)
    found = _poll(host, login, submission, wait, interval, where)
    _record(deposit, history, submission)
    return found


def _poll(
    host: str,
    login: Credentials,
    submission: Submission,
    wait: float,
    interval: float,
    where: Span,
) -> list[Diagnostic]:
    import requests

    deadline = time.monotonic() + wait
    while True:
        try:
            answer = _send(
                "GET",
                f"{host}/servlet/submissionDownload",
                login,
                params={
                    "usr": login.username,
                    "pwd": login.password,
                    "file_name": submission.file_name,
                    "type": "result",
                },
                seconds=60,
            )
        except (requests.RequestException, TimeoutError) as exc:
            return [_unreachable(host, exc, where)]
        if answer.is_redirect:
            return [_redirected(host, answer, where)]
        status, records = _log(answer.content) if answer.status_code == 200 else ("", [])
        if status == "completed":
            break
        if time.monotonic() + interval > deadline:
            return [
                Diagnostic(
                    Severity.WARNING,
                    Code.CROSSREF_PENDING,
                    f"Crossref received {submission.file_name} but had not processed it "
                    f"after {wait:.0f} s (status: {status or 'unknown'})",
                    where,
                    "Crossref e-mails the result to the deposit's <email_address>; its "
                    f"submission log has it under the file name {submission.file_name}",
                )
            ]
        time.sleep(interval)
        interval = min(interval * 2, 30.0)  # Crossref's queue takes seconds to minutes
    found: list[Diagnostic] = []
    for doi, outcome, said in records:
        message = login.redact(said)
        submission.results[doi] = [outcome, message]
        if outcome == "success":
            found.append(
                Diagnostic(
                    Severity.INFO,
                    Code.CROSSREF_REGISTERED,
                    f"{doi}: registered ({message or 'Success'})",
                    where,
                )
            )
        elif outcome == "failure":
            found.append(
                error(Code.CROSSREF_FAILURE, f"{doi}: Crossref says: {message}", where, _AGAIN)
            )
        else:
            found.append(
                Diagnostic(
                    Severity.WARNING,
                    Code.CROSSREF_WARNING,
                    f"{doi}: Crossref says ({outcome}): {message}",
                    where,
                    _AGAIN,
                )
            )
    missing = [doi for doi in submission.dois if doi not in submission.results]
    found += [
        error(
            Code.CROSSREF_FAILURE,
            f"{doi}: not in Crossref's submission log for {submission.file_name}",
            where,
            "look the batch up in Crossref's admin tool; deposit again if it was dropped",
        )
        for doi in missing
    ]
    return found


def _log(content: bytes) -> tuple[str, list[tuple[str, str, str]]]:
    """Crossref's `doi_batch_diagnostic`: its status and (DOI, outcome, message) per record."""
    try:
        root = etree.fromstring(content, secure_parser())
    except etree.XMLSyntaxError:
        return "", []
    records = []
    for record in root.iter("record_diagnostic"):
        doi = (record.findtext("doi") or "").strip()
        message = " ".join((record.findtext("msg") or "").split())
        records.append((doi, (record.get("status") or "").lower(), message))
    return (root.get("status") or "").lower(), records


def _next_timestamp(now: datetime.datetime, history: dict[str, Any], dois: list[str]) -> int:
    """The clock (yyyymmddhhmmss, as in the built file), or later than any sent for these DOIs."""
    clock = int(now.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S"))
    sent = [int(history.get("dois", {}).get(doi, 0)) for doi in dois]
    return max([clock, *(stamp + 1 for stamp in sent)])


def _set(tree: Any, name: str, value: str) -> None:
    element = tree.find(f"{NS}head/{NS}{name}")
    if element is None:
        raise GalleyError(
            error(
                Code.CROSSREF_DEPOSIT_FILE,
                f"the deposit file has no <{name}> in its head",
                hint="build again: galley writes a complete head",
            )
        )
    element.text = value


def log_path(deposit: Path) -> Path:
    return deposit.with_name(deposit.name.removesuffix(".crossref.xml") + LOG_SUFFIX)


def _history(deposit: Path) -> dict[str, Any]:
    try:
        data = json.loads(log_path(deposit).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"dois": {}, "submissions": []}
    return data if isinstance(data, dict) else {"dois": {}, "submissions": []}


def _record(deposit: Path, history: dict[str, Any], submission: Submission) -> None:
    """Remember the timestamp sent for each DOI, and the submission with its results."""
    history.setdefault("dois", {})
    for doi in submission.dois:
        history["dois"][doi] = max(int(history["dois"].get(doi, 0)), submission.timestamp)
    submissions = [
        s
        for s in history.setdefault("submissions", [])
        if s.get("file_name") != submission.file_name
    ]
    history["submissions"] = [*submissions, submission.__dict__]
    write_atomic(log_path(deposit), (json.dumps(history, indent=2) + "\n").encode())


def _send(method: str, url: str, login: Credentials, *, seconds: float, **options: Any) -> Any:
    """One request to Crossref that carries the login: never redirected (a redirect would
    take the password to wherever it points: the caller reports it instead), and bounded in
    total time, however slowly the server trickles its answer."""
    import requests

    return limits.within(
        seconds,
        lambda: requests.request(
            method, url, allow_redirects=False, timeout=min(seconds, 30), **options
        ),
    )


def _redirected(host: str, answer: Any, where: Span) -> Diagnostic:
    target = answer.headers.get("Location", "")
    return error(
        Code.CROSSREF_REDIRECT,
        f"Crossref ({host}) answered HTTP {answer.status_code} pointing elsewhere "
        f"({target[:120] or 'no address'}); galley does not follow it with the login",
        where,
        "check --crossref-url (use Crossref's own address); nothing was registered",
    )


def _unreachable(host: str, exc: Exception, where: Span) -> Diagnostic:
    # The exception's text holds the URL, and the URL the password: only its kind is said.
    said = str(exc) if isinstance(exc, TimeoutError) else type(exc).__name__
    return error(
        Code.CROSSREF_UNREACHABLE,
        f"could not reach Crossref at {host} ({said})",
        where,
        "check the network and try again; nothing was registered by this attempt",
    )


def _plain(html: str) -> str:
    """An HTML answer's words, tags removed."""
    try:
        root = etree.fromstring(html.encode(), etree.HTMLParser())
    except (etree.XMLSyntaxError, ValueError):
        return " ".join(html.split())
    return " ".join(" ".join(root.itertext()).split()) if root is not None else ""
