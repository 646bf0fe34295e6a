"""`python build.py serve`: a preview on 127.0.0.1 that rebuilds when the source changes."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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
