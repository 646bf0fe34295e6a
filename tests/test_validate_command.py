"""`python build.py validate FILE...` on files made elsewhere, and the DOI read back from
every output."""

from __future__ import annotations

import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from galley.checks.outputs import deposit_consistency, doi_consistency
from tests.conftest import SCHEMAS, SEED_ARTICLE, SEED_FILES, run_cli


def test_our_outputs_and_crossrefs_own_examples_are_valid(
    seed_output: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [
        seed_output / SEED_ARTICLE / "301114ar.xml",
        seed_output / SEED_ARTICLE.parent / "nps-4-1.crossref.xml",
        *sorted((SCHEMAS / "crossref-5.3.1" / "examples").glob("*.xml")),
    ]
    run = run_cli(capsys, "validate", *files)
    assert run.code == 0, run.err
    assert "JATS 1.3 Journal Publishing: official XSD" in run.err
    assert "Crossref deposit, schema 5.3.0" in run.err  # Crossref's examples, their schema
    # One warning: the seed states no licence (JATS4R's licence rule, never an invented one).
    assert "0 error(s), 1 warning(s)" in run.out
    assert "warning[jats4r.permissions-errors]" in run.err


def test_a_jats_version_without_a_schema_is_said_plainly(
    seed_output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (seed_output / SEED_ARTICLE / "301114ar.xml").read_bytes()
    older = tmp_path / "older.xml"
    older.write_bytes(
        data.replace(b'dtd-version="1.3"', b'dtd-version="1.2"').replace(
            b"Journal Publishing DTD with MathML3 v1.3",
            b"Journal Archiving and Interchange DTD v1.2",
        )
    )
    run = run_cli(capsys, "validate", older)
    assert run.code == 0
    assert "JATS 1.2 (archiving): galley has no schema for it; galley's rules and JATS4R's" in (
        run.err
    )


def test_a_broken_jats_file_is_reported_with_its_line(
    seed_output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (seed_output / SEED_ARTICLE / "301114ar.xml").read_bytes()
    broken = tmp_path / "broken.xml"
    broken.write_bytes(data.replace(b"<volume>4</volume>", b"<volume>4</volume><tome>4</tome>"))
    run = run_cli(capsys, "validate", broken)
    assert run.code == 1
    line = broken.read_bytes()[: broken.read_bytes().index(b"<tome>")].count(b"\n") + 1
    assert f"broken.xml:{line}: error[jats.xsd]" in run.err


def test_every_output_carries_the_article_doi(seed_output: Path) -> None:
    folder = seed_output / SEED_ARTICLE
    files = [
        (folder / f"301114ar{ext}", kind, (folder / f"301114ar{ext}").read_bytes())
        for ext, kind in ((".xml", "jats"), (".html", "html"), (".epub", "epub"), (".pdf", "pdf"))
    ]
    deposit = seed_output / SEED_ARTICLE.parent / "nps-4-1.crossref.xml"
    files.append((deposit, "crossref", deposit.read_bytes()))
    assert doi_consistency("10.7202/301114ar", files) == []
    path, kind, data = files[1]
    tampered = data.replace(
        b'name="citation_doi" content="10.7202/301114ar"',
        b'name="citation_doi" content="10.7202/301115ar"',
    )
    (problem,) = doi_consistency("10.7202/301114ar", [(path, kind, tampered)])
    assert problem.code == "doi.consistency" and "10.7202/301115ar" in problem.message
    # The deposit registers the article's DOI and no other: a second doi_data (text that
    # escaped an abstract, say) would point someone else's DOI at a URL.
    data = deposit.read_bytes()
    assert deposit_consistency(deposit, data, ["10.7202/301114ar"]) == []
    end = data.index(b"</doi_data>") + len(b"</doi_data>")
    forged = (
        b"<doi_data><doi>10.9999/stolen</doi><resource>https://evil.example/</resource></doi_data>"
    )
    (problem,) = deposit_consistency(
        deposit, data[:end] + forged + data[end:], ["10.7202/301114ar"]
    )
    assert problem.code == "doi.deposit" and "10.9999/stolen" in problem.message


def test_a_zip_bomb_is_refused_before_anything_is_inflated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An "EPUB" of a few kilobytes whose mimetype inflates to 1 GiB: named, never read."""
    bomb = tmp_path / "bomb.epub"
    zeros = bytes(16 * 1024 * 1024)
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("mimetype", "w", force_zip64=True) as member,
    ):
        for _ in range(64):
            member.write(zeros)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    run = run_cli(capsys, "validate", bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert run.code == 1
    assert "error[validate.too-large]" in run.err and "zip bomb" in run.err
    assert peak < 64 * 1024 * 1024


def test_a_pdf_with_damaged_metadata_is_reported_not_a_traceback(
    seed_output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (seed_output / SEED_ARTICLE / "301114ar.pdf").read_bytes()
    found = re.search(rb"/Subtype /XML/Filter /FlateDecode/Length (\d+)>>\s*stream\r?\n", data)
    assert found is not None
    start, length = found.end(), int(found.group(1))
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data[:start] + b"x" * length + data[start + length :])
    run = run_cli(capsys, "validate", damaged)
    assert run.code == 1
    assert "error[pdf.xmp]: the PDF's XMP metadata cannot be read" in run.err
    assert "Traceback" not in run.err


def test_every_format_that_carries_the_doi_has_it_read_back(seed_output: Path) -> None:
    """A new format cannot be skipped by the DOI read-back: each one a row says carries
    the DOI gives it back from the written file."""
    from galley.checks.outputs import dois_in
    from galley.formats import FORMATS

    written = {kind: seed_output / path for kind, path in SEED_FILES.items()}
    assert {kind for kind, row in FORMATS.items() if row.doi} == set(written)
    for kind, path in written.items():
        assert dois_in(kind, path.read_bytes()) == {"10.7202/301114ar"}, kind


def test_validate_checks_a_book_as_the_build_does_with_ace_too(
    seed_output: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `validate x.epub` ran EPUBCheck only, while a build runs EPUBCheck and Ace
    book = tmp_path / "nolang.epub"
    text = "EPUB/text/301114ar.xhtml"
    with (
        zipfile.ZipFile(seed_output / SEED_ARTICLE / "301114ar.epub") as original,
        zipfile.ZipFile(book, "w") as copy,
    ):
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == text:  # EPUBCheck accepts a page with no language; Ace does not
                data = data.replace(b' lang="fr" xml:lang="fr"', b"", 1)
            copy.writestr(info, data)
    run = run_cli(capsys, "validate", book)
    assert run.code == 1
    assert "nolang.epub!/text/301114ar.xhtml: error[ace.html-has-lang]" in run.err
    assert "error[epub" not in run.err  # EPUBCheck found nothing: only Ace did
