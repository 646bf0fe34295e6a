"""`galley deposit --crossref`: the deposit sent to a Crossref-like server on 127.0.0.1 that
checks the multipart form, the login and the timestamp order, as Crossref does."""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import http.server
import json
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from lxml import etree

from galley.deposit import crossref
from galley.diagnostics import GalleyError, Severity
from tests.conftest import SEED_ARTICLE, run_cli

USER, PASSWORD = "depositor@example.org", "s3cret-Pa55"
NS = "{http://www.crossref.org/schema/5.3.1}"


@dataclass
class FakeCrossref:
    """What the server saw, and how it behaves."""

    url: str = ""
    last: dict[str, int] = field(default_factory=dict)  # DOI -> last timestamp accepted
    logs: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    polls: dict[str, int] = field(default_factory=dict)
    received: list[bytes] = field(default_factory=list)
    reject: set[str] = field(default_factory=set)  # DOIs answered with a failure
    never_done: bool = False


class Handler(http.server.BaseHTTPRequestHandler):
    fake: FakeCrossref

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, status: int, body: bytes, kind: str = "text/html") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        assert urlparse(self.path).path == "/servlet/deposit"
        body = self.rfile.read(int(self.headers["Content-Length"]))
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        form = email.parser.BytesParser(policy=email.policy.default).parsebytes(head + body)
        assert form.is_multipart(), "Crossref takes multipart/form-data"
        parts = {p.get_param("name", header="content-disposition"): p for p in form.iter_parts()}
        assert parts["operation"].get_content().strip() == "doMDUpload"
        if (parts["login_id"].get_content(), parts["login_passwd"].get_content()) != (
            USER,
            PASSWORD,
        ):
            self._answer(401, b"<html><body><h2>FAILURE</h2><p>Login failed</p></body></html>")
            return
        upload = parts["fname"]
        name = upload.get_filename()
        data = upload.get_content()
        data = data if isinstance(data, bytes) else data.encode()
        self.fake.received.append(data)
        root = etree.fromstring(data)
        stamp = int(root.findtext(f"{NS}head/{NS}timestamp"))
        records = []
        for doi in dict.fromkeys(e.text for e in root.iter(f"{NS}doi")):
            previous = self.fake.last.get(doi)
            if doi in self.fake.reject:
                records.append((doi, "Failure", "ISSN 0843-4468 has no title record"))
            elif previous is not None and stamp <= previous:
                records.append(
                    (
                        doi,
                        "Failure",
                        f"Record not processed because submitted version: {stamp} is less or "
                        f"equal to previously submitted version {previous}",
                    )
                )
            else:
                self.fake.last[doi] = stamp
                records.append(
                    (doi, "Success", "Successfully updated" if previous else "Successfully added")
                )
        self.fake.logs[name] = records
        self._answer(
            200,
            b"<html><body><h2>SUCCESS</h2><p>Your batch submission was "
            b"successfully received.</p></body></html>",
        )

    def do_GET(self) -> None:
        url = urlparse(self.path)
        assert url.path == "/servlet/submissionDownload"
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        assert query["type"] == "result"
        if (query["usr"], query["pwd"]) != (USER, PASSWORD):
            self._answer(401, b"<html>Login failed</html>")
            return
        name = query["file_name"]
        self.fake.polls[name] = self.fake.polls.get(name, 0) + 1
        if self.fake.never_done or self.fake.polls[name] == 1:  # queued at first, as Crossref
            status = "queued" if name in self.fake.logs else "unknown_submission"
            self._answer(200, f'<doi_batch_diagnostic status="{status}"/>'.encode(), "text/xml")
            return
        records = "".join(
            f'<record_diagnostic status="{status}"><doi>{doi}</doi><msg>{msg}</msg>'
            "</record_diagnostic>"
            for doi, status, msg in self.fake.logs[name]
        )
        body = f'<doi_batch_diagnostic status="completed">{records}</doi_batch_diagnostic>'
        self._answer(200, body.encode(), "text/xml")


@pytest.fixture
def server() -> Iterator[FakeCrossref]:
    fake = FakeCrossref()
    handler = type("BoundHandler", (Handler,), {"fake": fake})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield fake
    httpd.shutdown()


@pytest.fixture
def deposit(seed_output: Path, tmp_path: Path) -> Path:
    """A copy of the seed issue's built deposit file."""
    issue = SEED_ARTICLE.parent.name
    copy = tmp_path / issue / f"{issue}.crossref.xml"
    copy.parent.mkdir()
    shutil.copy(seed_output / issue / f"{issue}.crossref.xml", copy)
    return copy


LOGIN = crossref.Credentials(USER, PASSWORD)


def test_each_doi_is_reported_and_a_redeposit_gets_a_later_timestamp(
    server: FakeCrossref, deposit: Path
) -> None:
    built = deposit.read_bytes()
    first = crossref.submit(deposit, server.url, LOGIN, wait=5, interval=0.05)
    assert [(d.code, d.message) for d in first] == [
        ("crossref.registered", "10.7202/301114ar: registered (Successfully added)")
    ]
    # A correction deposited the same second: Crossref would refuse an equal timestamp.
    second = crossref.submit(deposit, server.url, LOGIN, wait=5, interval=0.05)
    assert [d.message for d in second] == ["10.7202/301114ar: registered (Successfully updated)"]
    stamps = [int(etree.fromstring(d).findtext(f"{NS}head/{NS}timestamp")) for d in server.received]
    assert stamps[0] < stamps[1]
    built_stamp = int(etree.fromstring(built).findtext(f"{NS}head/{NS}timestamp"))
    assert built_stamp < stamps[0]
    assert deposit.read_bytes() == built  # the built file stays reproducible
    log = json.loads(crossref.log_path(deposit).read_text())
    assert log["dois"] == {"10.7202/301114ar": stamps[1]}
    assert [s["results"] for s in log["submissions"]] == [
        {"10.7202/301114ar": ["success", "Successfully added"]},
        {"10.7202/301114ar": ["success", "Successfully updated"]},
    ]
    assert PASSWORD not in crossref.log_path(deposit).read_text()


def test_crossrefs_failure_message_is_reported_for_its_doi(
    server: FakeCrossref, deposit: Path
) -> None:
    server.reject.add("10.7202/301114ar")
    (found,) = crossref.submit(deposit, server.url, LOGIN, wait=5, interval=0.05)
    assert found.severity == Severity.ERROR and found.code == "crossref.failure"
    assert "ISSN 0843-4468 has no title record" in found.message


def test_a_wrong_login_is_refused_and_the_password_is_never_shown(
    server: FakeCrossref, deposit: Path
) -> None:
    (found,) = crossref.submit(
        deposit, server.url, crossref.Credentials(USER, "wrong"), wait=1, interval=0.05
    )
    assert found.code == "crossref.refused" and "Login failed" in found.message
    assert not crossref.log_path(deposit).exists()  # nothing was sent that Crossref kept


def test_an_unreachable_server_is_a_message_without_the_password(deposit: Path) -> None:
    (found,) = crossref.submit(deposit, "http://127.0.0.1:9", LOGIN, wait=1, interval=0.05)
    assert found.code == "crossref.unreachable" and PASSWORD not in found.format()


def test_a_batch_still_queued_is_a_warning_naming_the_file(
    server: FakeCrossref, deposit: Path
) -> None:
    server.never_done = True
    (found,) = crossref.submit(deposit, server.url, LOGIN, wait=0.2, interval=0.05)
    assert found.code == "crossref.pending" and found.severity == Severity.WARNING
    assert "nps-4-1-" in found.message and "status: queued" in found.message


def test_no_login_says_where_to_put_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(crossref.USER_ENV, raising=False)
    monkeypatch.delenv(crossref.PASSWORD_ENV, raising=False)
    with pytest.raises(GalleyError) as caught:
        crossref.credentials()
    assert caught.value.diagnostics[0].code == "crossref.credentials"
    assert "CROSSREF_USERNAME" in str(caught.value)


@pytest.mark.slow
def test_galley_deposit_crossref_builds_then_submits(
    server: FakeCrossref,
    seed_output: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The whole command: build (and packages), then each issue's deposit to the server."""
    monkeypatch.setenv(crossref.USER_ENV, USER)
    monkeypatch.setenv(crossref.PASSWORD_ENV, PASSWORD)
    output = tmp_path / "output"
    shutil.copytree(seed_output, output)
    run = run_cli(
        capsys,
        "deposit",
        "--crossref",
        "--test",
        "--crossref-server",
        server.url,
        "--wait",
        "10",
        "--output",
        output,
    )
    assert run.code == 0, run.err
    assert "10.7202/301114ar: registered (Successfully added)" in run.out
    assert run.out.splitlines()[-1].startswith("ok: built")
    assert PASSWORD not in run.out + run.err
    assert len(server.received) == 1


class Elsewhere(http.server.BaseHTTPRequestHandler):
    """Another host: what reached it, and a server that echoes its request or trickles."""

    seen: ClassVar[list[bytes]] = []
    redirect_to: ClassVar[str] = ""
    mode: ClassVar[str] = "redirect"

    def log_message(self, *args: object) -> None:
        pass

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_POST(self) -> None:
        body = self._body()
        Elsewhere.seen.append(self.path.encode() + body)
        if Elsewhere.mode == "redirect":
            self.send_response(307)
            self.send_header("Location", Elsewhere.redirect_to + "/servlet/deposit")
            self.end_headers()
            return
        answer = b"<html>FAILURE: bad login " + body + b"</html>"  # echoes what it was sent
        if Elsewhere.mode == "trickle":
            answer = b"<html>" + b" " * 400 + b"SUCCESS</html>"
        self.send_response(401 if Elsewhere.mode == "echo" else 200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        with contextlib.suppress(OSError):
            step = 8 if Elsewhere.mode == "trickle" else len(answer)
            for start in range(0, len(answer), step):
                self.wfile.write(answer[start : start + step])
                self.wfile.flush()
                if Elsewhere.mode == "trickle":
                    time.sleep(0.05)


@pytest.fixture
def elsewhere() -> Iterator[str]:
    Elsewhere.seen, Elsewhere.mode = [], "redirect"
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    # the first redirects to the second: another host (another port: another origin)
    Elsewhere.redirect_to = f"http://localhost:{servers[1].server_port}"
    yield f"http://127.0.0.1:{servers[0].server_port}"
    for server in servers:
        server.shutdown()


def test_a_redirect_never_takes_the_password_elsewhere(elsewhere: str, deposit: Path) -> None:
    (found,) = crossref.submit(deposit, elsewhere, LOGIN, wait=1, interval=0.05)
    assert found.code == "crossref.redirect" and "localhost" in found.message
    assert len(Elsewhere.seen) == 1  # only the server asked: nothing was sent on
    assert PASSWORD not in found.format()


def test_a_server_echoing_the_login_never_puts_it_on_screen_or_in_a_file(
    elsewhere: str, deposit: Path
) -> None:
    Elsewhere.mode = "echo"
    (found,) = crossref.submit(deposit, elsewhere, LOGIN, wait=1, interval=0.05)
    assert found.code == "crossref.refused" and "<hidden>" in found.message
    assert PASSWORD not in found.format() and USER not in found.format()
    assert PASSWORD.encode() in b"".join(Elsewhere.seen)  # it did echo what it was sent
    assert not crossref.log_path(deposit).exists()


def test_a_trickled_answer_is_bounded_in_total_time(
    elsewhere: str, deposit: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Elsewhere.mode = "trickle"
    original = crossref._send
    monkeypatch.setattr(crossref, "_send", lambda *a, **k: original(*a, **{**k, "seconds": 0.5}))
    started = time.monotonic()
    (found,) = crossref.submit(deposit, elsewhere, LOGIN, wait=1, interval=0.05)
    assert time.monotonic() - started < 2
    assert found.code == "crossref.unreachable" and "no whole answer within" in found.message
