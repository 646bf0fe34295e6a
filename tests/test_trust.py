"""Trust: no runaway process, nothing read outside the source, no traceback on hostile input.

Each case is a hostile input or a fault a user met (issue 24); each is checked with `check`
(which reads every article through pandoc) or with the function that owns the rule.
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile
from pathlib import Path

import pytest

from galley import limits, pandoc
from tests.conftest import SEED_ARTICLE, run_cli
from tests.tools import edit, line_of


def _check(capsys: pytest.CaptureFixture[str], source: Path, tmp_path: Path) -> tuple[int, str]:
    run = run_cli(capsys, "check", "--source", source, "--output", tmp_path / "out")
    assert "Traceback" not in run.out + run.err and "a bug in galley" not in run.err
    return run.code, run.err


def test_nested_brackets_are_refused_at_their_line_before_pandoc_reads_them(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 30 nested `[` on one line kept pandoc busy past 300 s; 12 closed ones take 140 s
    article = source_copy / SEED_ARTICLE / "article.md"
    edit(article, "À l'automne 1990", "[" * 30 + "x" + "]" * 30 + " À l'automne 1990")
    started = time.monotonic()
    code, err = _check(capsys, source_copy, tmp_path)
    assert time.monotonic() - started < 60
    assert code == 1
    line = line_of(article, "[[[[[[[")
    assert f"article.md:{line}: error[article.deep-brackets]: square brackets nested 7 deep" in err


def test_brackets_in_code_math_or_escaped_are_not_counted() -> None:
    text = "`" + "[" * 20 + "` $" + "[" * 9 + "a" + "]" * 9 + "$ " + "\\[" * 20
    assert list(limits.deep_brackets(text)) == []
    assert [n.line for n in limits.deep_brackets("a\n\n" + "[" * 7 + "b")] == [3]


def test_pandoc_reaching_its_time_bound_names_the_source_file(
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GALLEY_PANDOC_SECONDS", "0.001")
    code, err = _check(capsys, source_copy, tmp_path)
    assert code == 1
    assert "error[pandoc.limit]: pandoc needed more than" in err
    assert re.search(r"article\.md:\d+: error", err)


def test_pandoc_runs_with_a_bounded_heap() -> None:
    assert limits.pandoc_options() == ["+RTS", f"-M{limits.PANDOC_MEMORY}", "-RTS"]
    assert pandoc.version()  # the binary takes the options (it is built with -rtsopts)


def test_windows_line_ends_read_as_line_ends(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a CRLF article.md said "the YAML front matter is never closed"
    article = source_copy / SEED_ARTICLE / "article.md"
    article.write_bytes(article.read_bytes().replace(b"\n", b"\r\n"))
    code, err = _check(capsys, source_copy, tmp_path)
    assert code == 0, err


def test_formulas_whose_text_splits_the_output_get_their_own_reasons() -> None:
    # hostile TeX together with good formulas raised IndexError in math_problems
    formulas = [
        ("a</inline-formula><inline-formula>b", False),
        ("\\frac{", True),
        ("x^{", False),
        ("\\text{</disp-formula>}", True),
    ]
    problems = dict(pandoc.math_problems(formulas))
    assert set(problems) == {"\\frac{", "x^{"}
    assert all(problems.values())


@pytest.mark.parametrize("name", ["CON", "nul", "COM1", "lpt9.old"])
def test_an_article_folder_with_a_name_windows_reserves_is_refused(
    name: str, source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = source_copy / SEED_ARTICLE.parent
    (issue / SEED_ARTICLE.name).rename(issue / name)
    edit(issue / "issue.yaml", f"- {SEED_ARTICLE.name}", f"- {name}")
    code, err = _check(capsys, source_copy, tmp_path)
    assert code == 1
    assert f"{name}/article.md: error[article.folder-name]" in err
    assert "Windows reserves" in err


def test_an_article_folder_linked_from_outside_the_source_is_refused(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = source_copy / SEED_ARTICLE.parent
    outside = tmp_path / "elsewhere"
    (issue / SEED_ARTICLE.name).rename(outside)
    os.symlink(outside, issue / SEED_ARTICLE.name)
    code, err = _check(capsys, source_copy, tmp_path)
    assert code == 1
    assert "error[article.link-outside]" in err and str(outside) in err


def test_an_article_file_linked_from_outside_its_folder_is_refused(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    outside = tmp_path / "secret.md"
    article.rename(outside)
    os.symlink(outside, article)
    code, err = _check(capsys, source_copy, tmp_path)
    assert code == 1
    assert "article.md: error[article.link-outside]" in err


def test_an_image_that_decodes_to_too_many_pixels_is_refused(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a 48 KB PNG declaring 20000 x 20000 vanished from the PDF after a 2.3 GB peak
    from PIL import Image

    folder = source_copy / SEED_ARTICLE
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    (folder / "huge.png").write_bytes(buffer.getvalue())
    assert len(buffer.getvalue()) < 100_000
    article = folder / "article.md"
    edit(article, "À l'automne 1990", "![A map](huge.png)\n\nÀ l'automne 1990")
    code, err = _check(capsys, source_copy, tmp_path)
    assert code == 1
    line = line_of(article, "huge.png")
    said = f"article.md:{line}: error[article.image-large]: image 'huge.png' decodes to "
    assert said + "400,000,000 pixels" in err


@pytest.mark.slow  # EPUBCheck on the seed's book
def test_validate_refuses_an_epub_whose_members_are_named_outside_it(
    seed_output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = seed_output / SEED_ARTICLE / f"{SEED_ARTICLE.name}.epub"
    hostile = tmp_path / "hostile.epub"
    with zipfile.ZipFile(book) as original, zipfile.ZipFile(hostile, "w") as copy:
        for info in original.infolist():
            copy.writestr(info, original.read(info))
        copy.writestr("../../escape.xhtml", "<html/>")
        copy.writestr("/tmp/absolute.css", "p {}")
    run = run_cli(capsys, "validate", hostile)
    assert run.code == 1
    assert "error[epub.member-path]: the member '../../escape.xhtml'" in run.err
    assert "error[epub.member-path]: the member '/tmp/absolute.css'" in run.err


def test_a_helper_that_does_not_answer_in_time_is_stopped() -> None:
    import sys

    from galley.services import LineService

    script = "import sys, time\nsys.stdin.readline()\ntime.sleep(60)\n"
    service = LineService(lambda: [sys.executable, "-c", script], seconds=0.5)
    started = time.monotonic()
    with pytest.raises(OSError, match=r"no answer within 0 s|no answer within 1 s"):
        service.ask("check this book")
    assert time.monotonic() - started < 10
    assert service.process is None  # the next question starts a fresh helper


def test_every_helper_runs_with_a_bounded_heap() -> None:
    from galley import nodejs
    from galley.validate.java import SHORT_RUN

    assert limits.JAVA_MEMORY in SHORT_RUN
    assert limits.NODE_MEMORY in nodejs.command("tex2svg.js")


@pytest.mark.parametrize(
    ("style", "said"),
    [
        (
            '<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">&x;</style>\n',
            "declares a DTD or entities",
        ),
        ('<?xml version="1.0"?>\n<style>\n<info>', "is not well-formed XML"),
        ('<?xml version="1.0"?>\n<html/>\n', "is not a CSL style"),
    ],
)
def test_a_journal_style_that_is_no_sound_csl_is_named_before_pandoc_reads_it(
    style: str,
    said: str,
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (source_copy / "house.csl").write_text(style, encoding="utf-8")
    journal = source_copy / "journal.yaml"
    text = journal.read_text(encoding="utf-8")
    journal.write_text(re.sub(r"(?m)^csl: .*$", "csl: house.csl", text), encoding="utf-8")
    assert "csl: house.csl" in journal.read_text(encoding="utf-8")
    code, err = _check(capsys, source_copy, tmp_path)
    assert code == 1
    assert "house.csl" in err and "error[journal.csl-file]" in err and said in err
    assert "root:" not in err  # nothing of /etc/passwd


def test_an_attribute_error_names_the_line_of_the_attribute(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the key's letters appear earlier (in a web address): the error pointed there
    article = source_copy / SEED_ARTICLE / "article.md"
    edit(article, "À l'automne 1990", "[site](https://example.org/a?src=b) À l'automne 1990")
    edit(article, "Le bilan de 25 ans", '[texte]{src="evil.js"} Le bilan de 25 ans')
    code, err = _check(capsys, source_copy, tmp_path)
    assert code == 1
    line = line_of(article, 'src="evil.js"')
    assert f"article.md:{line}: error[article.attribute]" in err


def test_a_long_bibliography_is_announced_before_citeproc_runs(
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 20,000 references in APA kept `check` silent for more than ten minutes
    monkeypatch.setattr(limits, "LONG_BIBLIOGRAPHY", 1)
    code, err = _check(capsys, source_copy, tmp_path)
    assert code == 0
    assert re.search(r"article\.md: formatting \d+ references in apa \(pandoc's citeproc", err)


def test_emphasis_too_deep_to_read_is_said_at_its_line(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # it was said at the first line of the body, about 90 lines above
    article = source_copy / SEED_ARTICLE / "article.md"
    deep = "*a _b " * 400 + "x" + " c_ d*" * 400
    edit(article, "Le bilan de 25 ans", deep + " Le bilan de 25 ans")
    code, err = _check(capsys, source_copy, tmp_path)
    assert code == 1
    line = line_of(article, "*a _b *a _b")
    assert f"article.md:{line}: error[article.too-deep]" in err


def test_the_browser_ace_runs_gets_a_bounded_script_heap() -> None:
    from galley.validate import ace

    launcher = ace._bounded_chromium()
    script = launcher.read_text(encoding="utf-8")
    assert ace.chromium() in script and f"--js-flags={limits.NODE_MEMORY}" in script
    assert os.access(launcher, os.X_OK)
