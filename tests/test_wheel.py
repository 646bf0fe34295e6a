"""galley as people install it: the built wheel in a fresh virtual environment outside the
checkout, its tools installed by `galley tools install`, a new journal started and built."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import ROOT


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    process = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900
    )
    assert process.returncode == 0, f"{command}: {process.stdout}\n{process.stderr}"
    return process


def _pip_cache(env: dict[str, str]) -> str:
    """pip's cache folder, or "" where its cache is turned off."""
    found = subprocess.run(
        [sys.executable, "-m", "pip", "cache", "dir"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() if found.returncode == 0 else ""


@pytest.mark.slow
def test_the_wheel_installed_elsewhere_starts_and_builds_a_journal(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # galley's tools and fonts: nothing from before; pip keeps its own cache (which the
    # cache folder moved with XDG_CACHE_HOME would otherwise empty: every download again)
    cache = _pip_cache(env)
    if cache:
        env.setdefault("PIP_CACHE_DIR", cache)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    wheels = tmp_path / "wheels"
    _run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        tmp_path,
        env,
    )
    (wheel,) = wheels.glob("galley_press-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for needed in (
        "galley/templates/jats/article.xml.jinja",
        "galley/fonts/eb-garamond-latin-400-normal.woff2",
        "galley/fonts/OFL.txt",
        "galley/node/package-lock.json",
        "galley/node/tex2svg.js",
        "galley/skeleton/example.md.jinja",
    ):
        assert needed in names, needed

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path, env)
    python, galley = venv / "bin" / "python", venv / "bin" / "galley"
    # Dependencies from PyPI (or pip's cache); galley itself only from the wheel.
    _run([str(python), "-m", "pip", "install", "-q", str(wheel)], tmp_path, env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"

    tools = _run([str(galley), "tools", "install"], tmp_path, env)
    assert tools.stdout.splitlines()[-1] == "ok: 10 of 10 tools and schema sets found"
    assert str(tmp_path / "cache" / "galley" / "tools") in tools.stdout

    _run(
        [
            str(galley),
            "init",
            "journal",
            "--title",
            "Journal of Examples",
            "--publisher",
            "Example Press",
            "--doi-prefix",
            "10.5555",
            "--article-url",
            "https://journal.example.org/{issue}/{article}",
            "--email",
            "production@example.org",
            "--issn-electronic",
            "2049-3630",
            "--lang",
            "en",
        ],
        tmp_path,
        env,
    )
    journal = tmp_path / "journal"
    built = _run([str(galley), "-q"], journal, env)
    assert built.stdout.splitlines()[-1].startswith("ok: built example")
    (jats,) = (journal / "output").glob("*/example/example.xml")
    root = etree.parse(str(jats)).getroot()
    assert root.findtext(".//journal-title") == "Journal of Examples"
    assert root.findtext(".//issn[@publication-format='electronic']") == "2049-3630"
    (pdf,) = (journal / "output").glob("*/example/example.pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "EB-Garamond" in fonts.stdout  # the print font galley ships
