"""Builds that never lose work, and source treated as untrusted input."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from galley.diagnostics import GalleyError
from galley.read.article import read_article
from galley.read.journal import read_issue, read_journal
from tests.conftest import ROOT, SEED_ARTICLE, SOURCE, run_cli
from tests.tools import edit


def _two_articles(source: Path) -> Path:
    issue = source / SEED_ARTICLE.parent
    shutil.copytree(issue / SEED_ARTICLE.name, issue / "301115ar")
    edit(issue / "301115ar" / "article.md", "doi: 10.7202/301114ar", "doi: 10.7202/301115ar")
    return issue / "301115ar"


@pytest.mark.slow  # a whole build: every validator
def test_one_failing_article_never_stops_the_others(
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    second = _two_articles(source_copy)
    from galley.render import jats

    original = jats.render

    def failing(article, templates, info):  # type: ignore[no-untyped-def]
        if article.id == "301114ar":
            raise GalleyError(
                __import__("galley.diagnostics").diagnostics.error(
                    "test.renderer", "the JATS renderer failed"
                )
            )
        return original(article, templates, info)

    monkeypatch.setattr(jats, "render", failing)
    output = tmp_path / "out"
    # In this process: workers come from a fork server and would not see the patch.
    run = run_cli(capsys, "--source", source_copy, "--output", output, "-j", "1")
    assert run.code == 1
    assert "error[test.renderer]" in run.err
    assert "301114ar: not written" in run.err
    assert (output / SEED_ARTICLE.parent / second.name / "301115ar.xml").is_file()
    assert not (output / SEED_ARTICLE).exists()
    # The issue's outputs need every article, so they are not written either.
    assert not (output / SEED_ARTICLE.parent / "nps-4-1.epub").exists()
    verdict = run.out.splitlines()[-1]
    assert verdict.startswith("failed:")  # the verdict, last
    # one error: what it kept back (the article, its issue, the site) is said, not counted
    assert "; 1 error(s)" in verdict and "info[build.not-written]" in run.err


@pytest.mark.slow  # a whole build: every validator
def test_strict_keeps_back_an_article_with_a_warning_as_an_error_would(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--strict` treats warnings as errors: an article warned about is not written (the
    verdict said "failed" beside "17 file(s) written"), nor what waits for it."""
    edit(source_copy / SEED_ARTICLE / "article.md", "doi: 10.7202/", "doi: doi:10.7202/")
    output = tmp_path / "out"
    run = run_cli(capsys, "--source", source_copy, "--output", output, "--strict")
    assert run.code == 1 and "warning[article.doi-normalised]" in run.err
    assert not (output / SEED_ARTICLE).exists()
    assert not (output / "index.html").exists()
    verdict = run.out.splitlines()[-1]
    assert verdict.startswith("failed: built nothing; not written: 301114ar, issue nps-4-1")
    assert "; 0 file(s) written; 0 error(s)" in verdict
    assert verdict.endswith(
        f"(warnings count as errors: --strict); report in {output / 'report.html'}"
    )


@pytest.mark.slow  # a whole build: every validator
def test_a_killed_build_leaves_every_file_whole(
    source_copy: Path, seed_output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Kill a build while it writes: each file is the old one or the new one, never half.
    (Only the killed build needs a process of its own; the builds before and after it run
    here, their outputs the same bytes: test_reproducible.)"""
    output = tmp_path / "out"
    build = [sys.executable, "build.py", "--source", str(source_copy), "-q"]
    shutil.copytree(seed_output, output)  # the last good build of the same source
    old = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    edit(source_copy / SEED_ARTICLE / "article.md", "title: \"L'évolution", 'title: "La révolution')
    reference = tmp_path / "reference"
    assert run_cli(capsys, "--source", source_copy, "--output", reference, "-q").code == 0
    new = {
        output / p.relative_to(reference): p.read_bytes()
        for p in reference.rglob("*")
        if p.is_file()
    }

    process = subprocess.Popen([*build, "--output", str(output)], cwd=ROOT)
    seen = {p: p.stat().st_mtime_ns for p in old}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any(p.stat().st_mtime_ns != seen[p] for p in old if p.exists()):
            process.send_signal(signal.SIGKILL)  # part-way through writing the outputs
            break
        time.sleep(0.005)
    process.wait()
    for path in output.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            assert path.read_bytes() in (old.get(path), new.get(path)), path
    for path in old:
        assert path.exists()  # nothing was deleted
    # The set may mix old and new files: the folder says so, and the next build says it and
    # rebuilds every article (a plain build would call the killed run's articles up to date).
    assert (output / ".galley-writing").is_file()
    after = run_cli(capsys, "--source", source_copy, "--output", output, "-q")
    assert after.code == 0, after.err
    assert "warning[output.interrupted]" in after.out + after.err
    assert not (output / ".galley-writing").exists()
    for path, data in new.items():
        if path.suffix in (".xml", ".html", ".epub", ".pdf") and not path.name.startswith("report"):
            assert path.read_bytes() == data, path


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "article.no-front-matter"),
        (
            b"---\ntitle: x\n" + b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n---\nText\n",
            "yaml.too-deep",
        ),
        (b"---\ntitle: " + b"x" * (11 * 1024 * 1024) + b"\n---\n", "source.too-large"),
        (b"---\ntitle: \xff\xfe\n---\n", "source.encoding"),
        (b"\x00\x01binary", "source.binary"),
    ],
    ids=["empty", "deeply nested", "huge", "non-UTF-8", "binary"],
)
def test_hostile_article_files_get_clear_errors(
    content: bytes, code: str, source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (source_copy / SEED_ARTICLE / "article.md").write_bytes(content)
    run = run_cli(capsys, "--source", source_copy, "--output", tmp_path / "out")
    assert run.code == 1
    assert f"error[{code}]" in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize(
    ("markdown", "code"),
    [
        ("![carte](../../../../etc/hostname)", "article.image-outside"),
        ("![carte](https://example.org/carte.png)", "article.image-remote"),
        ("![carte](file:///etc/hostname)", "article.image-remote"),
        ("![carte](figures/absente.png)", "article.image-missing"),
    ],
)
def test_images_outside_the_folder_or_remote_are_refused(
    markdown: str,
    code: str,
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    edit(article, "# Origine et jeunesse", f"{markdown}\n\n# Origine et jeunesse")
    run = run_cli(capsys, "--source", source_copy, "--output", tmp_path / "out")
    assert run.code == 1
    line = next(
        n for n, t in enumerate(article.read_text("utf-8").splitlines(), 1) if markdown in t
    )
    assert f"{article.resolve()}:{line}: error[{code}]" in run.err


@pytest.mark.slow  # a whole build: every validator
def test_raw_markup_and_entities_stay_text(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    hostile = (
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]> &e; '
        '<script>alert(1)</script> <img src="https://example.org/t.png">'
    )
    edit(article, "# Origine et jeunesse", f"{hostile}\n\n# Origine et jeunesse")
    output = tmp_path / "out"
    run = run_cli(capsys, "--source", source_copy, "--output", output)
    assert run.code == 0, run.err
    jats = (output / SEED_ARTICLE / "301114ar.xml").read_text("utf-8")
    page = (output / SEED_ARTICLE / "301114ar.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "&lt;!ENTITY" in jats and "root:" not in jats and "root:" not in page
    assert '<img src="https://example.org' not in page


METADATA = st.dictionaries(
    st.sampled_from(
        [
            "title",
            "lang",
            "doi",
            "author",
            "abstract",
            "keywords",
            "citation",
            "section",
            "bibliography",
            "nocite",
            "article-type",
            "date",
        ]
    ),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=30),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=8,
    ),
    max_size=8,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(metadata=METADATA, body=st.text(max_size=300))
def test_any_metadata_and_markdown_read_cleanly_or_fail_cleanly(
    metadata: dict[str, object], body: str, tmp_path: Path
) -> None:
    import yaml

    journal = read_journal(SOURCE / "journal.yaml")
    issue, _ = read_issue(SOURCE / SEED_ARTICLE.parent, journal)
    folder = tmp_path / "art"
    folder.mkdir(exist_ok=True)
    front = yaml.safe_dump(metadata, allow_unicode=True)
    (folder / "article.md").write_text(f"---\n{front}---\n\n{body}\n", encoding="utf-8")
    try:
        article, _ = read_article(folder / "article.md", issue)
    except GalleyError as exc:
        assert exc.diagnostics
        for diagnostic in exc.diagnostics:
            assert diagnostic.span is not None and diagnostic.message
        return
    assert article.title.plain and article.doi


@pytest.mark.slow  # a whole build: every validator
def test_stale_temporary_files_never_count_as_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".galley-output").write_text("galley's", encoding="utf-8")
    stale = tmp_path / "nps-4-1" / "301114ar" / ".301114ar.xml.galley-123.tmp"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half")
    theirs = tmp_path / ".thesis.tmp"  # another program's temporary file
    theirs.write_bytes(b"chapter 3")
    run = run_cli(capsys, "--output", tmp_path, "-q")
    assert run.code == 0
    assert not stale.exists()  # swept by the next build
    assert theirs.read_bytes() == b"chapter 3"  # galley sweeps only its own


@pytest.mark.parametrize("where", ["foreign", "root", "source", "home"])
def test_galley_writes_only_in_a_folder_of_its_own(
    where: str,
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Never the root, a home folder or the source, nor a folder of someone else's files:
    galley overwrites and sweeps where it writes."""
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / ".thesis.tmp").write_bytes(b"chapter 3")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    output = {
        "foreign": foreign,
        "root": Path("/"),
        "source": source_copy,
        "home": tmp_path / "home",
    }[where]
    before = sorted(p.name for p in output.iterdir())
    run = run_cli(capsys, "--source", source_copy, "--output", output, "-q")
    assert run.code == 1
    code = "output.not-galleys" if where == "foreign" else "output.unsafe"
    assert f"error[{code}]" in run.err and "hint:" in run.err
    assert sorted(p.name for p in output.iterdir()) == before  # nothing written, nothing swept
    assert run_cli(capsys, "check", "--source", source_copy, "--output", output).code == 1


def test_an_article_folder_name_that_cannot_be_an_id_is_a_clear_error(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The folder's name is the article's id in file names, URLs and EPUB paths."""
    issue = source_copy / SEED_ARTICLE.parent
    (issue / SEED_ARTICLE.name).rename(issue / "mon article")
    listing = (issue / "issue.yaml").read_text(encoding="utf-8")
    (issue / "issue.yaml").write_text(listing.replace("- 301114ar", "- mon article"), "utf-8")
    run = run_cli(capsys, "--source", source_copy, "--output", tmp_path / "out")
    assert run.code == 1
    assert "mon article/article.md: error[article.folder-name]" in run.err
    assert "Traceback" not in run.out + run.err


@pytest.mark.slow
def test_issue_outputs_and_the_site_wait_for_every_article_and_issue(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An article that fails validation keeps its issue's contents page, e-book and deposit
    as they were (else they would carry a title its own files do not); a broken issue.yaml
    keeps the home page that lists it."""
    output = tmp_path / "out"
    assert run_cli(capsys, "--source", source_copy, "--output", output, "-q").code == 0
    issue = output / SEED_ARTICLE.parent
    kept = {
        path: path.read_bytes()
        for path in (output / "index.html", issue / "index.html", issue / "nps-4-1.crossref.xml")
    }
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "html" / "article.html.jinja"  # Nu refuses what this page now holds
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            '<h1 class="article-title">', '<h1 class="article-title" bogus="1">', 1
        ),
        encoding="utf-8",
    )
    article = source_copy / SEED_ARTICLE / "article.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("L'évolution des", "La révolution des", 1), encoding="utf-8")
    run = run_cli(
        capsys, "--source", source_copy, "--output", output, "--templates", templates, "-q"
    )
    assert run.code == 1 and "error[html.nu]" in run.err
    # the finding at a line of the page names the source line holding the same words
    title_line = text[: text.index("L'évolution des")].count("\n") + 1
    assert f"{SEED_ARTICLE}/article.md:{title_line})" in run.err
    assert "issue nps-4-1: not written" in run.err
    assert {path: path.read_bytes() for path in kept} == kept
    # the article's template mended, its issue's metadata broken: the site is kept
    (source_copy / SEED_ARTICLE.parent / "issue.yaml").write_text('volume: "4\n', encoding="utf-8")
    run = run_cli(capsys, "--source", source_copy, "--output", output, "-q")
    assert run.code == 1 and "error[yaml.syntax]" in run.err
    assert (output / "index.html").read_bytes() == kept[output / "index.html"]


@pytest.mark.slow
def test_two_builds_at_once_take_turns(source_copy: Path, tmp_path: Path) -> None:
    """The second waits for the first (its sweep would delete the first's temporary files
    mid-write), says so, and then finds everything built."""
    import fcntl
    import os

    output = tmp_path / "out"
    command = [sys.executable, str(ROOT / "build.py"), "--source", str(source_copy)]
    command += ["--output", str(output), "-q"]
    first = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until the first run holds the folder
        if output.is_dir():
            descriptor = os.open(output, os.O_RDONLY)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(descriptor, fcntl.LOCK_UN)
            except BlockingIOError:
                break
            finally:
                os.close(descriptor)
        time.sleep(0.05)
    second = subprocess.run(command, stderr=subprocess.PIPE, text=True, timeout=600)
    _, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second.stderr
    assert "another run is writing in" in second.stderr
    assert "Traceback" not in first_err + second.stderr
    assert (output / SEED_ARTICLE / "301114ar.pdf").is_file()
    assert not list(output.rglob("*.tmp"))


@pytest.mark.slow
def test_two_issues_may_hold_articles_of_the_same_name(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Articles are (issue, article): each issue's contents list its own `301114ar`."""
    second = source_copy / "nps-4-2"
    shutil.copytree(source_copy / SEED_ARTICLE.parent, second)
    meta = second / "issue.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace("issue: 1", "issue: 2", 1), encoding="utf-8"
    )
    article = second / SEED_ARTICLE.name / "article.md"
    text = article.read_text(encoding="utf-8").replace("301114ar", "301115ar")
    text = text.replace("L'évolution des organismes", "Un autre article sur les organismes", 1)
    article.write_text(text, encoding="utf-8")
    output = tmp_path / "out"
    run = run_cli(capsys, "--source", source_copy, "--output", output, "-q")
    assert run.code == 0, run.err
    first_contents = (output / "nps-4-1" / "index.html").read_text(encoding="utf-8")
    second_contents = (output / "nps-4-2" / "index.html").read_text(encoding="utf-8")
    assert "Un autre article" not in first_contents and "L'évolution" in first_contents
    assert "Un autre article" in second_contents and "L'évolution" not in second_contents
    deposit = (output / "nps-4-2" / "nps-4-2.crossref.xml").read_text(encoding="utf-8")
    assert "10.7202/301115ar" in deposit and "10.7202/301114ar" not in deposit


@pytest.mark.slow  # two whole builds: every validator
def test_an_edit_saved_during_a_build_is_built_by_the_next(
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `serve`: edit A is being built when the editor saves edit B; the next build must see B
    article = source_copy / SEED_ARTICLE / "article.md"
    from galley.render import jats

    original = jats.render

    def render_then_edit(article_, templates, info):  # type: ignore[no-untyped-def]
        rendered = original(article_, templates, info)
        if "Le milieu de la coopération" in article.read_text(encoding="utf-8"):
            edit(article, "Le milieu de la coopération", "Le monde de la coopération")
        return rendered

    monkeypatch.setattr(jats, "render", render_then_edit)
    output = tmp_path / "out"
    first = run_cli(capsys, "--source", source_copy, "--output", output, "-j", "1", "-q")
    assert first.code == 0, first.err
    page = output / SEED_ARTICLE / f"{SEED_ARTICLE.name}.html"
    assert "Le milieu de la coopération" in page.read_text(encoding="utf-8")  # edit A, built
    monkeypatch.setattr(jats, "render", original)
    second = run_cli(capsys, "--source", source_copy, "--output", output, "-j", "1")
    assert second.code == 0, second.err
    assert "not rebuilt" not in second.out and "up to date" not in second.out
    assert "Le monde de la coopération" in page.read_text(encoding="utf-8")
    jats_file = output / SEED_ARTICLE / f"{SEED_ARTICLE.name}.xml"
    assert "Le monde de la coopération" in jats_file.read_text(encoding="utf-8")
