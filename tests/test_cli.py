"""The command line: help, selection of articles, exit codes, and the schema setting."""

from __future__ import annotations

import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from galley import cli, schemas
from tests.conftest import ROOT, SEED_ARTICLE, run_cli


def test_build_py_help_explains_the_commands() -> None:
    process = subprocess.run(
        [sys.executable, "build.py", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 0
    for text in ("galley PATH", "schemas fetch", "GALLEY_SCHEMAS", "JATS 1.3", "galley init"):
        assert text in process.stdout
    process = subprocess.run(
        [sys.executable, "build.py", "build", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "--strict" in process.stdout and "--output" in process.stdout


@pytest.mark.slow  # a whole build: every validator
def test_build_py_builds_the_bundled_sample_and_exits_zero(tmp_path: Path) -> None:
    process = subprocess.run(
        [sys.executable, "build.py", "--output", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    assert process.stdout.splitlines()[-1].startswith("ok: built 301114ar, issue nps-4-1, site")
    assert (tmp_path / SEED_ARTICLE / "301114ar.xml").is_file()


@pytest.fixture
def two_articles(source_copy: Path) -> Path:
    issue = source_copy / SEED_ARTICLE.parent
    second = issue / "301115ar"
    shutil.copytree(issue / SEED_ARTICLE.name, second)
    article = second / "article.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("301114ar", "301115ar"), encoding="utf-8"
    )
    return source_copy


@pytest.mark.slow  # a whole build: every validator
def test_a_path_builds_only_that_article(
    two_articles: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "output"
    run = run_cli(
        capsys,
        "--source",
        two_articles,
        "--output",
        output,
        two_articles / SEED_ARTICLE.parent / "301115ar",
    )
    assert run.code == 0, run.err
    assert sorted(p.name for p in output.rglob("*.xml")) == ["301115ar.xml"]
    run = run_cli(
        capsys, "--source", two_articles, "--output", output, two_articles / SEED_ARTICLE.parent
    )
    assert run.code == 0, run.err
    assert sorted(p.name for p in output.rglob("*.xml")) == ["301114ar.xml", "301115ar.xml"]


def test_a_path_that_does_not_exist_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "--output", tmp_path, "source/nps-9-9")
    assert run.code == 1
    assert "error[source.not-found]" in run.err


@pytest.mark.slow  # a whole build: every validator
def test_warnings_fail_the_run_only_under_strict(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("doi: 10.7202/301114ar", "doi: https://doi.org/10.7202/301114ar"),
        encoding="utf-8",
    )
    run = run_cli(capsys, "--source", source_copy, "--output", tmp_path / "out")
    assert run.code == 0
    assert "warning[article.doi-normalised]" in run.err
    assert "10.7202/301114ar</article-id>" in next(
        (tmp_path / "out").rglob("301114ar.xml")
    ).read_text("utf-8")
    run = run_cli(capsys, "--source", source_copy, "--output", tmp_path / "out", "--strict")
    assert run.code == 1


def test_missing_schemas_are_all_named_at_once_with_how_to_provide_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GALLEY_SCHEMAS", str(tmp_path / "nothing"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    run = run_cli(capsys, "--output", tmp_path / "output")
    assert run.code == 1
    named = [bundle.name for bundle in schemas.BUNDLES if f"{bundle.name}/" in run.err]
    assert named == [bundle.name for bundle in schemas.BUNDLES]  # four sets, one run
    assert run.err.count("error[schema.missing]") == len(schemas.BUNDLES)
    assert "galley tools install" in run.err and "GALLEY_SCHEMAS" in run.err
    assert not (tmp_path / "output").exists()


@pytest.fixture
def schema_server() -> Iterator[str]:
    """A local stand-in for the publisher's site, serving a schema archive."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(
            "JATS-Publishing-1-3-MathML3-XSD/JATS-journalpublishing1-3-mathml3.xsd",
            "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'/>",
        )
        bundle.writestr("JATS-Publishing-1-3-MathML3-XSD/standard-modules/xml.xsd", "<x/>")
    payload = archive.getvalue()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/jats.zip"
    server.shutdown()


def test_schemas_fetch_fills_the_cache_from_the_publisher(
    schema_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("GALLEY_SCHEMAS", raising=False)
    entry = schemas.fetch(schemas.JATS_PUBLISHING_1_3, url=schema_server)
    assert entry == tmp_path / "galley" / "schemas" / "jats-1.3-publishing" / entry.name
    assert (entry.parent / "standard-modules" / "xml.xsd").is_file()
    assert schemas.locate(schemas.JATS_PUBLISHING_1_3) == entry
    assert os.listdir(entry.parent.parent) == ["jats-1.3-publishing"]  # no staging left behind


def test_tools_install_fetches_the_schema_sets_not_found_and_where_lists_them(
    schema_server: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """After `galley tools install`, a build needs no network: the schemas are in the cache
    and `tools where` shows where (the npm part is proved by the wheel test)."""
    from dataclasses import replace as with_url

    from galley import nodejs

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("GALLEY_SCHEMAS", raising=False)
    monkeypatch.setattr(nodejs, "install", lambda announce: tmp_path)
    jats = with_url(schemas.JATS_PUBLISHING_1_3, url=schema_server)
    monkeypatch.setattr(schemas, "BUNDLES", (jats,))
    run = run_cli(capsys, "tools", "install")
    assert f"fetching {jats.description}" in run.err
    assert (tmp_path / "galley" / "schemas" / jats.name / jats.entry).is_file()
    run = run_cli(capsys, "tools", "where")
    assert f"{jats.description}: {tmp_path / 'galley' / 'schemas' / jats.name}" in run.out
    run = run_cli(capsys, "tools", "install")
    assert "fetching" not in run.err  # found: never downloaded twice


@pytest.mark.slow  # a whole build: every validator
def test_a_rebuild_with_nothing_changed_does_nothing_until_something_changes(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out"
    assert run_cli(capsys, "--source", source_copy, "--output", output).code == 0
    jats = output / SEED_ARTICLE / "301114ar.xml"
    stamp = jats.stat().st_mtime_ns
    run = run_cli(capsys, "--source", source_copy, "--output", output)
    assert run.code == 0 and "up to date" in run.out
    assert jats.stat().st_mtime_ns == stamp
    jats.write_bytes(jats.read_bytes() + b" ")  # an output edited by hand is rebuilt
    run = run_cli(capsys, "--source", source_copy, "--output", output)
    assert "up to date" not in run.out and jats.read_bytes().endswith(b"</article>\n")
    article = source_copy / SEED_ARTICLE / "article.md"
    article.write_text(article.read_text("utf-8").replace("Dossier", "Le dossier"), "utf-8")
    run = run_cli(capsys, "--source", source_copy, "--output", output)
    assert "up to date" not in run.out and "<subject>Le dossier</subject>" in jats.read_text()
    run = run_cli(capsys, "--source", source_copy, "--output", output, "--force")
    assert "up to date" not in run.out and run.code == 0


def test_version_and_the_build_options_are_in_the_top_level_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`galley --version` answers; `galley --help` lists the options a build takes, each
    one that `galley build` really accepts."""
    from importlib import metadata

    run = run_cli(capsys, "--version")
    assert run.code == 0 and run.out == f"galley {metadata.version('galley-press')}\n"
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    top = capsys.readouterr().out
    build = cli._parser()._subparsers._group_actions[0].choices["build"]  # type: ignore[union-attr]
    accepted = {option for action in build._actions for option in action.option_strings}
    for option in ("--strict", "-j", "--jobs", "--force", "-q", "--quiet", "--source", "--output"):
        assert option in top and option in accepted, option
