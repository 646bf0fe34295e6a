"""The e-book editions: EPUBCheck-clean, accessible, with real EPUB notes and reproducible bytes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import SEED_ARTICLE
from tests.tools import epubcheck_messages

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def article_epub(seed_output: Path) -> Path:
    return seed_output / SEED_ARTICLE / "301114ar.epub"


@pytest.fixture(scope="module")
def issue_epub(seed_output: Path) -> Path:
    return seed_output / SEED_ARTICLE.parent / "nps-4-1.epub"


def _xml(book: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(book) as archive:
        return etree.fromstring(archive.read(name))


def test_epubcheck_finds_no_error_and_no_warning(article_epub: Path, issue_epub: Path) -> None:
    for book in (article_epub, issue_epub):
        assert epubcheck_messages(book) == [], book


def test_the_container_starts_with_an_uncompressed_mimetype(article_epub: Path) -> None:
    with zipfile.ZipFile(article_epub) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/epub+zip"


def test_package_metadata_describes_the_article_and_its_accessibility(article_epub: Path) -> None:
    opf = _xml(article_epub, "EPUB/package.opf")
    metadata = opf.find(f"{OPF}metadata")
    assert metadata is not None
    assert metadata.findtext(f"{DC}identifier") == "urn:doi:10.7202/301114ar"
    assert metadata.findtext(f"{DC}title") == (
        "L'évolution des organismes québécois de coopération internationale"
    )
    assert metadata.findtext(f"{DC}creator") == "Guy Lafleur"
    assert metadata.findtext(f"{DC}language") == "fr"
    assert metadata.findtext(f"{DC}publisher") == "Les Presses de l'Université du Québec à Montréal"
    assert metadata.findtext(f"{DC}date") == "1991"
    properties: dict[str, list[str]] = {}
    for meta in metadata.findall(f"{OPF}meta"):
        if meta.get("property") and not meta.get("refines"):
            properties.setdefault(str(meta.get("property")), []).append(meta.text or "")
    assert properties["schema:accessMode"] == ["textual"]
    assert properties["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(
        properties["schema:accessibilityFeature"]
    )
    assert properties["schema:accessibilityHazard"] == ["none"]
    assert properties["schema:accessibilitySummary"][0]
    assert properties["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert properties["dcterms:modified"] == ["1991-01-01T00:00:00Z"]  # no SOURCE_DATE_EPOCH


def test_notes_are_epub_footnotes(article_epub: Path) -> None:
    chapter = _xml(article_epub, "EPUB/text/301114ar.xhtml")
    (call,) = [a for a in chapter.iter(f"{XHTML}a") if a.get(EPUB_TYPE) == "noteref"]
    (note,) = [n for n in chapter.iter(f"{XHTML}aside") if n.get(EPUB_TYPE) == "footnote"]
    assert call.get("href") == f"#{note.get('id')}"
    assert "Le terme ONG" in "".join(note.itertext())


def test_the_issue_book_has_cover_contents_landmarks_and_every_article(issue_epub: Path) -> None:
    opf = _xml(issue_epub, "EPUB/package.opf")
    identifier = opf.findtext(f"{OPF}metadata/{DC}identifier")
    assert identifier is not None and identifier.startswith("urn:uuid:")
    spine = [ref.get("idref") for ref in opf.iter(f"{OPF}itemref")]
    assert spine[:2] == ["cover", "nav"] and len(spine) == 3
    cover_image = [i for i in opf.iter(f"{OPF}item") if i.get("properties") == "cover-image"]
    assert cover_image
    nav = _xml(issue_epub, "EPUB/nav.xhtml")
    kinds = {n.get(EPUB_TYPE) for n in nav.iter(f"{XHTML}nav")}
    assert {"toc", "landmarks"} <= kinds
    cover = _xml(issue_epub, "EPUB/cover.xhtml")
    text = " ".join("".join(cover.itertext()).split())
    for expected in (
        "Nouvelles pratiques sociales",
        "Volume 4, numéro 1, printemps 1991",
        "Coopération internationale : nouveaux défis",
    ):
        assert expected in text


def test_the_cover_fits_a_long_title_and_many_authors_whole() -> None:
    """Wrapped to the cover's width and made smaller until it fits: nothing cut off."""
    from galley.render.epub import COVER_BOTTOM, COVER_WIDTH, LETTER, cover_layout

    title = "L'évolution des organismes québécois de coopération internationale " * 4
    authors = ", ".join(f"Autrice Numéro{i}" for i in range(40))
    lines = [("issue", "Vol. 4, no 1, printemps 1991"), ("title", title), ("author", authors)]
    placed = cover_layout(lines)
    for kind, text in lines:
        assert " ".join(p.text for p in placed if p.kind == kind) == " ".join(text.split())
    assert max(p.y for p in placed) <= COVER_BOTTOM
    assert all(len(p.text) * p.size * LETTER <= COVER_WIDTH for p in placed)
    short = cover_layout([("title", "Court")])
    assert [(p.text, p.size) for p in short] == [("Court", 38.0)]  # a short one is not shrunk
