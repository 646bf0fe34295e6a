"""Issue make-up: pages come from the print layout when articles declare none, and every
format then carries the same pages; declared pages that the layout contradicts are flagged."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree, html

from tests.conftest import SEED_ARTICLE, run_cli
from tests.tools import edit

pytestmark = pytest.mark.slow  # every test here is a whole build


def test_undeclared_pages_are_assigned_in_issue_order(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = source_copy / SEED_ARTICLE.parent
    first = issue / SEED_ARTICLE.name
    edit(first / "article.md", "  page: 27-37\n", "")
    second = issue / "301115ar"
    shutil.copytree(first, second)
    edit(second / "article.md", "doi: 10.7202/301114ar", "doi: 10.7202/301115ar")
    edit(issue / "issue.yaml", "  - 301114ar\n", "  - 301114ar\n  - 301115ar\nfirst-page: 1\n")
    edit(source_copy / "journal.yaml", "lang: fr\n", "lang: fr\nstart-on-recto: true\n")

    output = tmp_path / "out"
    run = run_cli(capsys, "--source", source_copy, "--output", output)
    assert run.code == 0, run.err

    expected = {"301114ar": ("1", "11"), "301115ar": ("13", "23")}  # 12 is a verso: skipped
    for name, (fpage, lpage) in expected.items():
        folder = output / SEED_ARTICLE.parent / name
        jats = etree.parse(str(folder / f"{name}.xml")).getroot()
        assert (
            jats.findtext("front/article-meta/fpage"),
            jats.findtext("front/article-meta/lpage"),
        ) == (fpage, lpage)
        page = html.parse(str(folder / f"{name}.html")).getroot()
        assert page.xpath("//meta[@name='citation_firstpage']/@content") == [fpage]
        assert page.xpath("//meta[@name='citation_lastpage']/@content") == [lpage]
        assert f"{fpage}–{lpage}" in page.xpath("string(//p[@class='citation'])")
        text = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(folder / f"{name}.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert text.strip().splitlines()[-1].strip() == fpage  # the first folio
        assert f"p. {fpage}–{lpage}" in " ".join(text.split())


def test_declared_pages_the_layout_contradicts_are_a_warning(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    edit(article, "page: 27-37", "page: 27-40")
    run = run_cli(capsys, "--source", source_copy, "--output", tmp_path / "out")
    assert run.code == 0  # a warning, not an error
    line = next(
        n
        for n, text in enumerate(article.read_text("utf-8").splitlines(), 1)
        if "page: 27-40" in text
    )
    assert f"{article.resolve()}:{line}" in run.err
    assert "warning[pdf.page-count]" in run.err
    assert "declares pages 27–40 (14 pages), but the print layout takes 11 (27–37)" in run.err


def test_pages_are_one_value_the_make_up_decides() -> None:
    """Declared pages stay as declared (roman stays roman, the layout gives a missing last
    page); undeclared ones are the issue's make-up; an article number gets no pages."""
    from dataclasses import replace

    from galley.makeup import with_pages
    from galley.model import Pages, Pagination
    from galley.read import read_project
    from tests.conftest import SOURCE

    project = read_project(SOURCE).project
    assert project is not None
    article = project.articles[0]
    assert article.pages == Pages("27", "37", origin="declared")  # as the seed declares
    laid_out = Pagination(5, 9)
    made = with_pages(replace(article, pages=Pages()), laid_out, declared=False)
    assert made.pages == Pages("5", "9", origin="make-up") and made.pages.range == "5-9"
    assert "5-9" in str(made.cite_as) or "5–9" in str(made.cite_as)
    roman = replace(article, pages=Pages("xii", origin="declared"))
    assert with_pages(roman, Pagination(12, 14), declared=True).pages.last == "xiv"
    numbered = with_pages(replace(article, pages=Pages(number="e0116752")), laid_out, True)
    assert numbered.pages.numbered and numbered.pages.range is None
    assert numbered.pagination == laid_out  # its own sheets, claimed nowhere
