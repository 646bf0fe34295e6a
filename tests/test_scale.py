"""Parallel, distributed and incremental builds write exactly what a serial, clean build writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from galley.config import Settings
from galley.pipeline import BuildResult, build
from tests.conftest import run_cli
from tests.tools import edit, issue_of_copies, tree

pytestmark = pytest.mark.slow  # every test here is a whole build

ISSUE = "nps-4-1"


def _build(source: Path, output: Path, **options: object) -> BuildResult:
    force = bool(options.pop("force", False))
    result = build(Settings(source=source, output=output, **options), force=force)  # type: ignore[arg-type]
    assert not result.report.failed, "\n".join(map(str, result.report.diagnostics))
    return result


def _pages(output: Path, article: str) -> tuple[str, str]:
    from lxml import etree

    jats = etree.parse(str(output / ISSUE / article / f"{article}.xml")).getroot()
    meta = jats.find("front/article-meta")
    assert meta is not None
    return meta.findtext("fpage") or "", meta.findtext("lpage") or ""


def test_parallel_and_dask_builds_write_the_same_bytes_as_a_serial_build(
    source_copy: Path, tmp_path: Path
) -> None:
    first, second, third = issue_of_copies(source_copy, 3, declared_pages=False, short=True)
    # Two make-up chains: the first article alone, then one with declared pages and the
    # article that follows it, so the jobs really run side by side.
    edit(second / "article.md", "  url:", "  page: 40-45\n  url:")

    serial = _build(source_copy, tmp_path / "serial", jobs=1)
    assert serial.built == [first.name, second.name, third.name, f"issue {ISSUE}", "site"]
    assert _pages(tmp_path / "serial", third.name) == ("46", "51")
    _build(source_copy, tmp_path / "parallel", jobs=2)

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        _build(source_copy, tmp_path / "dask", scheduler=cluster.scheduler_address)

    expected = tree(tmp_path / "serial")
    assert {".xml", ".html", ".epub", ".pdf", ".css", ".json"} <= {
        Path(name).suffix for name in expected
    }
    for name in ("parallel", "dask"):
        found = tree(tmp_path / name)
        assert found.keys() == expected.keys()
        assert [f for f in expected if found[f] != expected[f]] == [], name


def test_only_articles_whose_inputs_or_pages_changed_are_rebuilt(
    source_copy: Path, tmp_path: Path
) -> None:
    first, second = issue_of_copies(source_copy, 2, declared_pages=False, short=True)
    output = tmp_path / "out"
    _build(source_copy, output)
    assert _pages(output, second.name) == ("7", "12")
    untouched = output / ISSUE / first.name / f"{first.name}.pdf"
    stamp = untouched.stat().st_mtime_ns

    # The second article's text changes: the first is reused as it was.
    edit(second / "article.md", "À l'automne 1990", "À l'automne de 1990")
    again = _build(source_copy, output)
    assert again.reused == [first.name]
    assert again.built == [second.name, f"issue {ISSUE}", "site"]
    assert untouched.stat().st_mtime_ns == stamp
    assert tree(output) == tree(_rebuilt(source_copy, tmp_path / "clean"))

    # The first grows by a page: the second now starts later, so it is laid out again.
    edit(first / "article.md", "# Origine", "Nouveau paragraphe.\n\n" * 60 + "# Origine")
    moved = _build(source_copy, output)
    assert moved.reused == []
    assert moved.built[:2] == [first.name, second.name]
    starts = int(_pages(output, first.name)[1]) + 1
    assert starts > 7 and _pages(output, second.name)[0] == str(starts)


def _rebuilt(source: Path, output: Path) -> Path:
    _build(source, output, force=True)
    return output


def test_a_reused_article_still_reports_its_warnings(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(source_copy / ISSUE / "301114ar" / "article.md", "page: 27-37", "page: 27-40")
    arguments = ("--source", source_copy, "--output", tmp_path / "out")
    first = run_cli(capsys, *arguments)
    assert first.code == 0 and "warning[pdf.page-count]" in first.err
    # another run (of this article alone): the article is reused, its warning said again
    second = run_cli(capsys, *arguments, str(source_copy / ISSUE / "301114ar"))
    assert "unchanged since the last good build, not rebuilt: 301114ar" in second.out
    assert second.code == 0 and "warning[pdf.page-count]" in second.err
    # under --strict the warning a reused article carries keeps it back as an error would
    strict = run_cli(capsys, *arguments, "--strict")
    assert strict.code == 1 and "warning[pdf.page-count]" in strict.err
    assert "not written: 301114ar" in strict.out
    assert (tmp_path / "out" / ISSUE / "301114ar" / "301114ar.pdf").is_file()  # kept
