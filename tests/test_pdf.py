"""The print edition: journal pages from folio 27, embedded fonts, PDF/A-3b metadata, and pages
that every other format marks in the same places."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import etree, html

from tests.conftest import ROOT, SEED_ARTICLE

ARTIFACTS = ROOT / "tests" / "artifacts"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.fixture(scope="module")
def pdf_path(seed_output: Path) -> Path:
    return seed_output / SEED_ARTICLE / "301114ar.pdf"


@pytest.fixture(scope="module")
def pages(pdf_path: Path) -> list[str]:
    """The text of each page, as poppler's pdftotext reads it."""
    count = len(pypdf.PdfReader(pdf_path).pages)
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf_path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_folios_run_from_27_to_37_as_declared(pdf_path: Path, pages: list[str]) -> None:
    assert len(pages) == 11
    assert pages[0].strip().splitlines()[-1].strip() == "27"  # first folio, at the page foot
    for number in range(28, 38):
        layout = subprocess.run(
            [
                "pdftotext",
                "-layout",
                "-f",
                str(number - 26),
                "-l",
                str(number - 26),
                str(pdf_path),
                "-",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        head = next(line for line in layout.splitlines() if line.strip())
        assert re.search(rf"(^|\s){number}(\s|$)", head), head  # folio in the running head


def test_running_heads_verso_journal_recto_author(pages: list[str]) -> None:
    verso, recto = _flat(pages[1]), _flat(pages[2])
    assert "Nouvelles pratiques sociales, Volume 4, numéro 1, printemps 1991" in verso[:120]
    assert "Guy Lafleur · L'évolution des organismes québécois" in recto[:120]


def test_first_page_has_journal_block_title_author_abstract_and_citation(pages: list[str]) -> None:
    first = _flat(pages[0])
    for text in (
        "Nouvelles pratiques sociales",
        "Volume 4, numéro 1, printemps 1991",
        "p. 27–37",
        "L'évolution des organismes québécois de coopération internationale",
        "Guy Lafleur",
        "Directeur des programmes",
        "RÉSUMÉ",
        "https://doi.org/10.7202/301114ar",
    ):
        assert text in first, text


def test_the_footnote_sits_on_the_page_of_its_call(pages: list[str]) -> None:
    (call_page,) = [i for i, page in enumerate(pages) if "(ONG)" in page]
    (note_page,) = [i for i, page in enumerate(pages) if "Le terme ONG est utilisé" in page]
    assert call_page == note_page


def test_french_spacing_in_print(pages: list[str]) -> None:
    text = " ".join(pages)
    assert re.search(r"\(CCCI\)[\u00a0 ]:", text)  # the source has "(CCCI):"
    assert re.search(r"«[\u00a0 ]cueillettes", text)  # and «cueillettes


def test_every_font_is_embedded_and_is_the_book_face(pdf_path: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(pdf_path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        columns = line.split()
        assert "EB-Garamond" in columns[0], line
        assert columns[-5:-3] == ["yes", "yes"], line  # embedded, subset


def test_document_metadata_xmp_and_tags(pdf_path: Path) -> None:
    reader = pypdf.PdfReader(pdf_path)
    info = reader.metadata
    assert info is not None
    assert info.title == "L'évolution des organismes québécois de coopération internationale"
    assert info.author == "Guy Lafleur"
    assert (info.subject or "").startswith("Les organismes québécois")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfaid:part(="|>)3', xmp) and re.search(r'pdfaid:conformance(="|>)B', xmp)
    assert "<prism:doi>10.7202/301114ar</prism:doi>" in xmp
    assert "<dc:identifier>doi:10.7202/301114ar</dc:identifier>" in xmp
    assert xmp.count("<rdf:RDF") == 1


def test_first_two_pages_are_rendered_as_images(pdf_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "100",
            "-f",
            "1",
            "-l",
            "2",
            "-png",
            str(pdf_path),
            str(ARTIFACTS / "pdf-page"),
        ],
        check=True,
    )
    images = sorted(ARTIFACTS.glob("pdf-page-*.png"))
    assert len(images) == 2 and all(image.stat().st_size > 10_000 for image in images)


def _words_after_marker(tree: etree._Element, page: int, namespace: str = "") -> str:
    """The text that follows the page-break marker of `page`, flattened."""
    (marker,) = tree.xpath(f"//*[@id='page-{page}']")
    following = marker.xpath("following::text()")
    return _flat(" ".join(following))[:60]


def _page_opening(page_text: str) -> str:
    """A PDF page's body text without its running head and folio."""
    lines = [line for line in page_text.splitlines() if line.strip()]
    body = [line for line in lines[1:] if not re.fullmatch(r"\s*\d+\s*", line)]
    return _flat(" ".join(body))


def test_web_page_markers_fall_where_the_pdf_pages_begin(
    seed_output: Path, pages: list[str]
) -> None:
    tree = html.parse(str(seed_output / SEED_ARTICLE / "301114ar.html")).getroot()
    assert tree.xpath("//span[@class='pagebreak']/text()") == [str(n) for n in range(27, 38)]
    for number in range(28, 38):
        after = _words_after_marker(tree, number)
        first_word = after.split()[0]
        opening = _page_opening(pages[number - 27])
        # Print sets headings in capitals, and a French space before ? ! ; : (a word then
        # ends before its mark): compare the word alone, regardless of case.
        assert first_word.rstrip(".,;:?!»").lower() in opening[:200].lower(), (number, after)


def test_epub_page_list_matches_the_pdf(seed_output: Path, pages: list[str]) -> None:
    book = seed_output / SEED_ARTICLE / "301114ar.epub"
    with zipfile.ZipFile(book) as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        chapter = etree.fromstring(archive.read("EPUB/text/301114ar.xhtml"))
    (page_list,) = [n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "page-list"]
    labels = [a.text for a in page_list.iter(f"{XHTML}a")]
    assert labels == [str(n) for n in range(27, 27 + len(pages))]
    markers = [e for e in chapter.iter() if e.get(EPUB_TYPE) == "pagebreak"]
    assert [m.get("aria-label") for m in markers] == labels
    for anchor in page_list.iter(f"{XHTML}a"):
        target = anchor.get("href").split("#")[1]
        assert any(m.get("id") == target for m in markers)


@pytest.mark.slow
def test_the_print_layout_fetches_nothing_but_the_articles_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A print style that asks for a file elsewhere (here, on the network) is refused."""
    import shutil

    from tests.conftest import run_cli

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    style = templates / "pdf" / "print.css.jinja"
    style.write_text(
        '@import url("https://fonts.example.org/tracker.css");\n'
        + style.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    run = run_cli(capsys, "--templates", templates, "--output", tmp_path / "out", "-q")
    assert run.code == 1 and "error[pdf.fetch-refused]" in run.err, run.err
    assert "fonts.example.org" in run.err
