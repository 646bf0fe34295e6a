"""`python build.py serve`: a preview on 127.0.0.1 that rebuilds when the source changes."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from galley.config import Settings
from galley.diagnostics import Diagnostic
from galley.serve import serve
from tests.conftest import ROOT, SEED_ARTICLE


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def _serve(source: Path, output: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "build.py", "serve", "--port", "0", "--source", str(source)]
    process = subprocess.Popen(
        [*command, "--output", str(output)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
    assert match, line
    return process, match.group(1)


def _events(base: str) -> Iterator[tuple[str, str]]:
    """The server-sent events of the preview, as (event, data)."""
    with urllib.request.urlopen(f"{base}_galley/events", timeout=120) as stream:
        event = ""
        for raw in stream:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                yield event, line[6:]


@pytest.mark.slow  # a whole build: every validator
def test_serve_answers_at_once_then_reloads_the_edited_page(
    source_copy: Path, tmp_path: Path
) -> None:
    """The server answers before the first build ends; an edit sends the browser a reload
    with the edited page ready (rendered first, from memory), then the full build's verdict;
    a broken edit is shown in the page's report, with its source line."""
    process, base = _serve(source_copy, tmp_path / "out")
    try:
        events = _events(base)  # listening from the start
        assert next(e for e, _ in events if e == "report")  # the first build's verdict,
        assert next(e for e, _ in events if e == "reload")  # and its reload
        page = f"{base}{SEED_ARTICLE}/301114ar.html"
        assert "L'évolution des organismes" in _get(page)
        assert '<script src="/_galley/live.js"></script>' in _get(page)  # served, not written
        written = (tmp_path / "out" / SEED_ARTICLE / "301114ar.html").read_text("utf-8")
        assert "live.js" not in written

        article = source_copy / SEED_ARTICLE / "article.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(
            text.replace("title: \"L'évolution", 'title: "La révolution', 1), encoding="utf-8"
        )
        assert next(e for e, _ in events if e == "reload")
        assert "La révolution des organismes" in _get(page)  # before the full build ends

        article.write_text(text.replace("lang: fr", "lang: [fr", 1), encoding="utf-8")
        report = next(json.loads(d) for e, d in events if e == "report" and json.loads(d))
        assert any(
            "error[yaml.syntax]" in problem and "article.md:4" in problem for problem in report
        )
        helpers = _descendants(process.pid)
        assert any("java" in command for command in helpers.values())  # a JVM checker stays
    finally:
        process.terminate()  # SIGTERM, as a service manager stops it
        process.wait(timeout=30)
    for _ in range(100):  # its helpers end with it: nothing is left listening
        if not any(Path(f"/proc/{pid}").exists() for pid in helpers):
            break
        threading.Event().wait(0.1)
    assert not [pid for pid in helpers if Path(f"/proc/{pid}").exists()]


def _descendants(pid: int) -> dict[int, str]:
    """The processes `pid` started and theirs (Linux /proc), with their command lines."""
    found: dict[int, str] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
                found[int(child)] = command.decode(errors="replace")
                found |= _descendants(int(child))
            except OSError:
                continue  # it ended meanwhile
    return found


def test_a_port_in_use_is_a_message(source_copy: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "build.py", "serve", "--port", str(port)]
        command += ["--source", str(source_copy), "--output", str(tmp_path / "out")]
        run = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode == 1
    assert f"error[serve.port]: cannot listen on 127.0.0.1:{port}" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_a_failing_rebuild_never_stops_the_preview_and_an_edit_builds_its_article(
    tmp_path: Path,
) -> None:
    """The first build raises: said, and the next change is built all the same; an edit in
    an article's folder builds that article alone, any other change the whole journal."""
    source, templates = tmp_path / "source", tmp_path / "templates"
    source.mkdir()
    templates.mkdir()
    said: list[str] = []
    builds: list[list[Path]] = []
    stop = threading.Event()
    article = source / "a" / "b"
    article.mkdir(parents=True)
    (article / "article.md").write_text("---\n---\n")

    def rebuild(folders: list[Path]) -> list[Diagnostic]:
        builds.append(folders)
        if len(builds) == 1:
            raise RuntimeError("a bug in a build")
        return []

    def changes(stop: threading.Event, settings: Settings) -> Iterator[set[Path]]:
        yield {article / "article.md"}  # an article's own file: that article alone
        yield {source / "a" / "issue.yaml"}  # anything else: the whole journal
        stop.set()

    settings = Settings(source=source, output=tmp_path / "out", templates=templates)
    serve(settings, 0, rebuild, said.append, stop=stop, changes=changes)
    assert "the rebuild failed: RuntimeError: a bug in a build" in " ".join(said)
    assert builds == [[], [article.resolve()], []]
    assert (
        "change detected: rebuilding b" in said and "change detected: rebuilding everything" in said
    )


def _serving(
    settings: Settings,
    rebuild: Callable[[list[Path]], list[Diagnostic]],
    said: list[str],
    stop: threading.Event,
    changes: Callable[[threading.Event, Settings], Iterator[set[Path]]],
) -> tuple[threading.Thread, str]:
    """`serve` started in a thread of this process; the thread and the address it announced."""
    thread = threading.Thread(
        target=serve,
        args=(settings, 0, rebuild, said.append),
        kwargs={"stop": stop, "changes": changes},
    )
    thread.start()
    for _ in range(100):
        if said:
            break
        threading.Event().wait(0.05)
    found = re.search(r"(http://127\.0\.0\.1:\d+/)", said[0])
    assert found, said
    return thread, found.group(1)


def test_the_preview_answers_only_its_own_address_and_paths_a_file_can_have(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """DNS rebinding: a page elsewhere that names 127.0.0.1 under its own host gets nothing;
    a NUL or an 8,000-character path is a 404, never a traceback."""
    source, templates, output = tmp_path / "source", tmp_path / "templates", tmp_path / "out"
    for folder in (source, templates, output):
        folder.mkdir()
    (output / "index.html").write_text("<html><body>the issue</body></html>", "utf-8")
    said: list[str] = []
    stop = threading.Event()

    def changes(stop: threading.Event, settings: Settings) -> Iterator[set[Path]]:
        stop.wait(30)
        yield from ()

    settings = Settings(source=source, output=output, templates=templates)
    thread, base = _serving(settings, lambda folders: [], said, stop, changes)
    try:
        port = int(base.rsplit(":", 1)[1].strip("/"))

        def status(path: str, host: str) -> int:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", host)
            connection.endheaders()
            code = connection.getresponse().status
            connection.close()
            return code

        assert status("/", f"127.0.0.1:{port}") == 200
        assert status("/", f"localhost:{port}") == 200
        assert status("/", f"attacker.example:{port}") == 421
        assert status("/", "127.0.0.1") == 421
        assert status("/%00", f"127.0.0.1:{port}") == 404
        assert status("/" + "a" * 8000, f"127.0.0.1:{port}") == 404
        assert status("/" + "a" * 8000 + ".html", f"127.0.0.1:{port}") == 404
    finally:
        stop.set()
        thread.join(30)
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.slow  # a browser
def test_the_page_shows_ok_or_the_edited_articles_problems(tmp_path: Path) -> None:
    """The verdict is visible either way: a green "ok" when the build found nothing, the
    problems of what was built (the edited article) over the page otherwise."""
    from galley.diagnostics import Span, error
    from tests.tools import headless_chromium

    source, templates, output = tmp_path / "source", tmp_path / "templates", tmp_path / "out"
    article = source / "issue" / "smith"
    for folder in (article, templates, output):
        folder.mkdir(parents=True)
    (article / "article.md").write_text("---\n---\n")
    (output / "index.html").write_text("<html><body><p>the issue</p></body></html>", "utf-8")
    said: list[str] = []
    stop, edited = threading.Event(), threading.Event()
    problem = error("yaml.syntax", "a problem", Span(article / "article.md", 3))

    def rebuild(folders: list[Path]) -> list[Diagnostic]:
        return [problem] if folders else []

    def changes(stop: threading.Event, settings: Settings) -> Iterator[set[Path]]:
        edited.wait(60)
        yield {article / "article.md"}
        stop.wait(60)

    settings = Settings(source=source, output=output, templates=templates)
    thread, base = _serving(settings, rebuild, said, stop, changes)
    try:
        with headless_chromium() as browser:
            page = browser.new_page()
            page.goto(base)
            page.wait_for_selector("#galley-overlay[role=status]")
            assert page.inner_text("#galley-overlay") == "galley: ok, no problems"
            edited.set()
            page.wait_for_selector("#galley-overlay[role=alert]", timeout=30_000)
            shown = page.inner_text("#galley-overlay")
            assert "article.md:3: error[yaml.syntax]: a problem" in shown
    finally:
        stop.set()
        edited.set()
        thread.join(timeout=60)
