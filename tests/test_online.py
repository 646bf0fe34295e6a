"""`check --online` against a Crossref stand-in on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from galley.checks.online import CrossrefClient
from galley.diagnostics import GalleyError
from tests.conftest import SEED_ARTICLE, run_cli
from tests.tools import JsonHandler

RECORD = {
    "DOI": "10.7202/301114ar",
    "title": ["L'évolution des organismes québécois de coopération internationale"],
    "author": [{"given": "Guy", "family": "Lafleur", "sequence": "first"}],
    "container-title": ["Nouvelles pratiques sociales"],
    "volume": "5",  # planted mismatch: the source says 4
    "issue": "1",
    "page": "27-37",
    "ISSN": ["0843-4468", "1703-9312"],
    "published-print": {"date-parts": [[1991]]},
}


class Crossref(JsonHandler):
    requests: ClassVar[list[tuple[str, str]]] = []

    def do_GET(self) -> None:
        Crossref.requests.append((self.path, self.headers.get("User-Agent", "")))
        url = urlparse(self.path)
        if url.path == "/api/works/10.7202/301114ar":
            self.send_json({"status": "ok", "message": RECORD})
        elif url.path == "/api/works":
            query = parse_qs(url.query)["query.bibliographic"][0]
            items = [
                {
                    "DOI": "10.9999/candidate",
                    "title": [f"Candidate for {query[:20]}"],
                    "score": 42.0,
                }
            ]
            self.send_json({"status": "ok", "message": {"items": items}})
        elif url.path == "/doi/10.7202/301114ar":
            self.send_response(302)
            self.send_header("Location", "https://id.erudit.org/iderudit/301114ar")
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()


@pytest.fixture
def crossref() -> Iterator[str]:
    Crossref.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Crossref)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_online_check_finds_the_planted_mismatch_and_suggests_dois(
    crossref: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    args = [
        "check",
        "--online",
        "--crossref-url",
        f"{crossref}/api",
        "--doi-url",
        f"{crossref}/doi",
        "--output",
        tmp_path / "out",
    ]
    run = run_cli(capsys, *args)
    assert run.code == 0  # differences are warnings: the source may be right
    assert "warning[online.mismatch]: volume: the source has '4', Crossref has '5'" in run.err
    assert "nps-4-1/issue.yaml:" in run.err  # pointed at the volume line
    assert run.err.count("warning[online.mismatch]") == 1  # title, author, pages... agree
    assert "info[online.suggestion]: reference @aqoci1988a may be 10.9999/candidate" in run.err
    agents = {agent for _, agent in Crossref.requests}
    assert agents == {"galley/0.1 (scholarly publishing pipeline) (mailto:production@example.org)"}
    assert any(path == "/doi/10.7202/301114ar" for path, _ in Crossref.requests)

    asked = len(Crossref.requests)
    run = run_cli(capsys, *args)  # answers now come from the on-disk cache
    assert len(Crossref.requests) == asked
    assert "Crossref has '5'" in run.err
    run = run_cli(capsys, *args, "--strict")
    assert run.code == 1


def test_offline_by_default(
    crossref: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "check", "--crossref-url", f"{crossref}/api", "--output", tmp_path)
    assert run.code == 0
    assert Crossref.requests == []


def test_an_unknown_doi_is_reported(
    crossref: str,
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    article = source_copy / SEED_ARTICLE / "article.md"
    article.write_text(article.read_text("utf-8").replace("301114ar\n", "301199ar\n", 1), "utf-8")
    run = run_cli(
        capsys,
        "check",
        "--online",
        "--crossref-url",
        f"{crossref}/api",
        "--doi-url",
        f"{crossref}/doi",
        "--source",
        source_copy,
        "--output",
        tmp_path / "out",
    )
    assert "warning[online.not-registered]: Crossref does not know 10.7202/301199ar" in run.err


class Difficult(JsonHandler):
    """A Crossref that has a bad day: each path answers as its name says."""

    asked: ClassVar[list[str]] = []
    busy: ClassVar[int] = 0  # 429 answers still to give on /busy

    def do_GET(self) -> None:
        Difficult.asked.append(self.path)
        if self.path.startswith("/busy/works/"):
            if Difficult.busy > 0:
                Difficult.busy -= 1
                self.send_response(429)
                self.send_header("Retry-After", "1")
                self.end_headers()
                return
            self.send_json({"status": "ok", "message": RECORD})
        elif self.path.startswith("/broken/works/"):
            self.send_response(500)
            self.end_headers()
        elif self.path.startswith("/garbled/works/"):
            body = b'{"status": "ok", "message": {"DOI": '
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/slow/works/"):
            time.sleep(2)
            with contextlib.suppress(OSError):  # the client has given up by now
                self.send_json({"status": "ok", "message": RECORD})
        elif self.path.startswith("/html/works/"):  # a proxy's or a maintenance page
            body = b"<html><body>Down for maintenance</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/later/works/"):
            self.send_response(503)
            self.send_header("Retry-After", "3600")
            self.end_headers()
        elif self.path.startswith("/trickle/works/"):  # a byte a little before each time-out
            body = json.dumps({"status": "ok", "message": RECORD}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.1)
        elif self.path.startswith("/moved/works/"):
            self.send_response(301)
            self.send_header("Location", "https://elsewhere.example/works/x")
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()


@pytest.fixture
def difficult() -> Iterator[str]:
    Difficult.asked, Difficult.busy = [], 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Difficult)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _client(base: str, path: str, cache: Path, **options: Any) -> CrossrefClient:
    return CrossrefClient(
        api=f"{base}/{path}", resolver=f"{base}/doi", cache=cache, backoff=0.01, **options
    )


def test_a_busy_crossref_is_waited_for_as_it_asks(difficult: str, tmp_path: Path) -> None:
    Difficult.busy = 1
    started = time.monotonic()
    record = _client(difficult, "busy", tmp_path / "cache").work("10.7202/301114ar")
    assert record is not None and record["DOI"] == "10.7202/301114ar"
    assert time.monotonic() - started >= 1  # Retry-After: 1 was honoured
    assert len(Difficult.asked) == 2


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("broken", "online.unavailable"),
        ("garbled", "online.bad-answer"),
        ("moved", "online.redirect"),
        ("html", "online.bad-answer"),
    ],
)
def test_a_bad_answer_is_a_message_and_is_never_cached(
    difficult: str, tmp_path: Path, path: str, code: str
) -> None:
    for attempt in (1, 2):  # the second run asks again: nothing bad was remembered
        client = _client(difficult, path, tmp_path / "cache")
        with pytest.raises(GalleyError) as caught:
            client.work("10.7202/301114ar")
        assert [d.code for d in caught.value.diagnostics] == [code]
        assert sum(p.startswith(f"/{path}/") for p in Difficult.asked) >= attempt
    assert not any(p.startswith("https://elsewhere") for p in Difficult.asked)


def test_a_time_out_is_a_message(difficult: str, tmp_path: Path) -> None:
    client = _client(difficult, "slow", tmp_path / "cache", timeout=0.3, retries=0)
    with pytest.raises(GalleyError) as caught:
        client.work("10.7202/301114ar")
    assert caught.value.diagnostics[0].code == "online.unreachable"


def test_crossref_failing_leaves_the_rest_of_the_report(
    difficult: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    output = tmp_path / "out"
    run = run_cli(
        capsys, "check", "--online", "--crossref-url", f"{difficult}/broken", "--output", output
    )
    assert "warning[online.unavailable]: Crossref answered 500" in run.err
    assert "Traceback" not in run.err
    written = (output / "check.json").read_text(encoding="utf-8")
    results = json.loads(written)["results"]
    assert "doi.prefix" in json.dumps(results)  # the offline checks are all there
    assert "online.unavailable" in json.dumps(results)


def test_a_long_retry_after_ends_the_asking_at_once(difficult: str, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(GalleyError) as caught:
        _client(difficult, "later", tmp_path / "cache").work("10.7202/301114ar")
    assert time.monotonic() - started < 5
    (found,) = caught.value.diagnostics
    assert found.code == "online.unavailable" and "3600 s" in found.message
    assert sum(p.startswith("/later/") for p in Difficult.asked) == 1


def test_a_trickled_answer_is_bounded_in_total_time(difficult: str, tmp_path: Path) -> None:
    # every byte comes within the read time-out, so only a bound on the whole request stops it
    client = _client(difficult, "trickle", tmp_path / "cache", timeout=0.5, retries=0)
    started = time.monotonic()
    with pytest.raises(GalleyError) as caught:
        client.work("10.7202/301114ar")
    assert time.monotonic() - started < 5
    assert caught.value.diagnostics[0].code == "online.unreachable"
    assert "no whole answer within" in caught.value.diagnostics[0].message


def test_a_check_with_crossref_out_of_reach_is_never_ok(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing answered: the online checks were not done, and the run says so and fails
    (it said "ok" and exited 0)."""
    import socket

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with socket.socket() as closed:  # a port nobody listens on once this closes
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    run = run_cli(
        capsys,
        "check",
        "--online",
        "--crossref-url",
        url,
        "--doi-url",
        url,
        "--output",
        tmp_path / "out",
    )
    assert run.code == 1, run.out + run.err
    assert "error[online.unreachable]" in run.err
    assert "the online checks were not done" in run.err
    assert "ok:" not in run.out and "Traceback" not in run.err
