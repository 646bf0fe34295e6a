"""`python build.py serve`: a preview on 127.0.0.1 that rebuilds when the source changes."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from galley.config import Settings
from galley.serve import serve
from tests.conftest import ROOT, SEED_ARTICLE


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def test_serve_previews_and_rebuilds_on_change(source_copy: Path, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "build.py",
            "serve",
            "--port",
            "0",
            "--source",
            str(source_copy),
            "--output",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
        assert match, line
        page = f"{match.group(1)}{SEED_ARTICLE}/301114ar.html"
        assert "L'évolution des organismes" in _get(page)

        article = source_copy / SEED_ARTICLE / "article.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(
            text.replace("title: \"L'évolution", 'title: "La révolution', 1), encoding="utf-8"
        )
        assert "change detected" in process.stdout.readline()
        deadline = time.monotonic() + 120
        while "La révolution" not in _get(page):
            assert time.monotonic() < deadline, "the page was not rebuilt"
            time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=30)


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


def test_a_failing_rebuild_never_stops_the_preview_nor_loses_an_edit(tmp_path: Path) -> None:
    """The first rebuild raises; the server goes on; an edit saved during a rebuild is seen."""
    source, templates = tmp_path / "source", tmp_path / "templates"
    source.mkdir()
    templates.mkdir()
    watched = source / "article.md"
    watched.write_text("one", encoding="utf-8")
    said: list[str] = []
    builds: list[str] = []
    stop = threading.Event()

    def rebuild() -> None:
        builds.append(watched.read_text(encoding="utf-8"))
        if len(builds) == 1:
            raise RuntimeError("a bug in a build")
        if len(builds) == 2:  # the editor saves again while this build runs
            watched.write_text("three", encoding="utf-8")

    settings = Settings(source=source, output=tmp_path / "out", templates=templates)
    thread = threading.Thread(
        target=serve, args=(settings, 0, rebuild, said.append, 0.05, stop), daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not any(s.startswith("serving") for s in said):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        watched.write_text("two", encoding="utf-8")
        while builds[-1:] != ["three"]:
            assert time.monotonic() < deadline, (builds, said)
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert "the rebuild failed: RuntimeError: a bug in a build" in " ".join(said)
    assert builds == ["one", "two", "three"]
