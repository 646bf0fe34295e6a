"""Pages a reader keeps: what each edition shows where a reader looks for it (the e-book's
navigation, the web page's top, the print edition's first page), in words that count right."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from galley.model import Article
from galley.read import read_project
from galley.render import BuildInfo, article_formats
from galley.templating import Templates
from tests.conftest import ROOT
from tests.tools import _png, edit

FRONTMATTER = ROOT / "tests" / "roots" / "frontmatter" / "source"
QUARTO = ROOT / "tests" / "roots" / "quarto" / "source"
RESEARCH = ROOT / "tests" / "roots" / "research" / "source"
ARTIFACTS = ROOT / "tests" / "artifacts"


def _article(source: Path) -> Article:
    read = read_project(source)
    assert read.project is not None, [d.format() for d in read.diagnostics]
    return read.project.articles[0]


def _book_data(article: Article) -> bytes:
    return article_formats()["epub"](article, Templates(), BuildInfo(0)).data


def _book(article: Article) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(_book_data(article))) as book:
        return {
            name: book.read(name).decode()
            for name in book.namelist()
            if name.endswith(("xhtml", "opf"))
        }


def test_the_e_books_navigation_lists_the_back_matter() -> None:
    """Acknowledgements, the appendix, the funding and the references are where a reader
    of the e-book looks for them: in its table of contents."""
    nav = _book(_article(FRONTMATTER))["EPUB/nav.xhtml"]
    toc = nav[: nav.index("</nav>")]
    labels = re.findall(r'<a href="text/[^"]+">([^<]+)</a>', toc)
    for expected in ("Acknowledgements", "Appendix A: Derivation", "Funding", "References"):
        assert expected in labels, labels
    assert labels.index("Results") < labels.index("Acknowledgements") < labels.index("References")


def test_the_accessibility_summary_counts_one_image_as_one(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(QUARTO, source)
    folder = source / "v3n2" / "silva"
    (folder / "figures").mkdir()
    (folder / "figures" / "map.png").write_bytes(_png())
    edit(
        folder / "article.md",
        "# Results\n",
        '# Results\n\n![The basin.](figures/map.png){#fig-map fig-alt="A grey map."}\n',
    )
    package = _book(_article(source))["EPUB/package.opf"]
    assert "1 image, with a text alternative" in package and "1 images" not in package


def test_the_web_page_offers_its_downloads_and_licence_at_the_top() -> None:
    page = article_formats()["html"](_article(QUARTO), Templates(), BuildInfo(0)).data.decode()
    start = page.index('<header class="article-front">')
    header = page[start : page.index("</header>", start)]
    assert '<nav class="downloads"' in header and 'rel="license"' in header
    assert page.count('<nav class="downloads"') == 1 and page.count('rel="license"') == 1


def test_a_licence_known_by_its_address_shows_its_name() -> None:
    """A Creative Commons licence given by URL only reads "CC BY 4.0", not the bare URL."""
    from galley.model import License

    assert License(url="https://creativecommons.org/licenses/by-nc/4.0/").name == "CC BY-NC 4.0"
    assert License(url="https://creativecommons.org/publicdomain/zero/1.0/").name == "CC0 1.0"
    assert License(url="https://example.org/terms").name is None
    html = Templates().env.get_template("_shared/macros.html.jinja").module
    article = _article(QUARTO)
    from dataclasses import replace

    bare = replace(article, license=License(url="https://creativecommons.org/licenses/by/4.0/"))
    shown = str(html.licence(bare))  # type: ignore[attr-defined]
    assert (
        '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>'
        in shown
    )


def test_every_reference_is_a_citation_reference_for_scholarly_search() -> None:
    page = article_formats()["html"](_article(QUARTO), Templates(), BuildInfo(0)).data.decode()
    found = re.findall(r'<meta name="citation_reference" content="([^"]+)">', page)
    assert len(found) == 4
    assert (
        "citation_author=Almeida, Rosa; citation_title=Rainfall and river flow in the semi-arid "
        "north-east; citation_journal_title=Revista de Hidrologia; citation_volume=14; "
        "citation_firstpage=101; citation_lastpage=118; citation_publication_date=2019"
    ) in found


def test_a_footnote_call_never_starts_a_line(tmp_path: Path) -> None:
    """A space typed before `^[...]` would let the call begin a line: it is taken out."""
    source = tmp_path / "source"
    shutil.copytree(QUARTO, source)
    edit(source / "v3n2" / "silva" / "article.md", "yet flow fell", "yet flow fell ^[Since 2012.]")
    body = _article(source).body.ast_json
    assert '{"c": "fell", "t": "Str"}, {"c": [' in body  # the Note follows its word at once


def test_a_long_short_title_is_cut_to_the_running_heads_one_line(tmp_path: Path) -> None:
    from dataclasses import replace

    from galley.render.pdf import RUNNING_HEAD, _running_title
    from galley.render.text import render_text

    article = _article(QUARTO)
    long = replace(article, short_title="A short title that an editor made far too long " * 3)
    head = _running_title(long, render_text(long, "list"))
    assert len(f"{long.authors_short} · {head}") <= RUNNING_HEAD and str(head).endswith("…")


@pytest.mark.slow  # the print layout
def test_the_print_edition_gives_its_doi_on_the_first_page(seed_output: Path) -> None:
    import subprocess

    from tests.conftest import SEED_ARTICLE

    pdf = seed_output / SEED_ARTICLE / "301114ar.pdf"
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "DOI : https://doi.org/10.7202/301114ar" in first  # French spacing: "DOI :"


@pytest.mark.slow  # a browser
@pytest.mark.parametrize("width", [1280, 375, 320])
def test_a_long_inline_formula_or_address_never_widens_the_page(tmp_path: Path, width: int) -> None:
    """A formula wider than the column scrolls in its own box (it made a page 4,097 px wide
    in a 1,280 px window), a box the keyboard reaches and a screen reader names (Ace:
    scrollable-region-focusable); a short formula is no tab stop; a long address breaks. In
    the web page and the e-book, down to 320 px (a phone, or 200 % zoom)."""
    from tests.tools import headless_chromium, served

    source = tmp_path / "source"
    shutil.copytree(QUARTO, source)
    edit(
        source / "v3n2" / "silva" / "article.md",
        "held in every basin.",
        "held in every basin ($x_i$ the flow), as listed at "
        "<https://vcg.example.org/downloads/3dgallery/basins_of_the_upper_parana_river.htm>.",
    )
    site = tmp_path / "site"
    with zipfile.ZipFile(io.BytesIO(_book_data(_article(source)))) as book:
        book.extractall(site / "book")
    pages = [str(_site(source, site)), "book/EPUB/text/silva.xhtml"]
    with served(site) as url, headless_chromium() as browser:
        for path in pages:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{url}/{path}", wait_until="networkidle")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            paragraph = page.locator("p:has-text('held in every basin')")
            long, short = paragraph.locator("math").all()
            box = paragraph.locator(".formula-scroll")
            assert box.count() == 1 and box.get_attribute("aria-label") == "Formula"
            shown = box.bounding_box()
            assert shown is not None and shown["x"] + shown["width"] <= width
            assert long.evaluate("m => m.closest('.formula-scroll') !== null")
            assert short.evaluate("m => m.closest('[tabindex]') === null")
            box.focus()
            assert box.evaluate("b => document.activeElement === b"), path
            scrolls = box.evaluate("b => b.scrollWidth > b.clientWidth")
            assert scrolls == (width < 1280), path  # it scrolls only where it does not fit
            page.close()


def _site(source: Path, folder: Path) -> PurePosixPath:
    """The web pages of `source`'s first article and the site's files (stylesheet, math
    face) written under `folder`; the article page's path."""
    from galley.render import project_outputs

    read = read_project(source)
    assert read.project is not None, [d.format() for d in read.diagnostics]
    made = [article_formats()["html"](read.project.articles[0], Templates(), BuildInfo(0))]
    made += project_outputs()["html"](read.project, Templates(), BuildInfo(0))
    for output in made:
        (folder / output.path).parent.mkdir(parents=True, exist_ok=True)
        (folder / output.path).write_bytes(output.data)
    return made[0].path


@pytest.mark.slow  # a browser
def test_formulas_are_drawn_in_the_math_face_the_page_carries(tmp_path: Path) -> None:
    """Chromium's MathML with the system's fonts loses the bar of a radical and floats primes
    away: the page carries STIX Two Math and the formulas use it. The screenshots with and
    without it differ (kept in tests/artifacts/ to be looked at); an equation that fits the
    column shows no scroll bar, and its number stays beside it at 800 px."""
    from tests.tools import headless_chromium, served

    source = tmp_path / "source"
    shutil.copytree(RESEARCH, source)
    edit(
        source / "jrs-1-1" / "lovelace" / "article.md",
        "and the Kramers–Moyal coefficients",
        "$$ \\sigma'(x) = \\sqrt{\\frac{x^2 + y^2}{2}} $$ {#eq-radius}\n\n"
        "and the Kramers–Moyal coefficients",
    )
    page_path = _site(source, tmp_path / "site")
    shots = {}
    with served(tmp_path / "site") as site, headless_chromium() as browser:
        for with_face in (True, False):
            page = browser.new_page(viewport={"width": 800, "height": 900})
            if not with_face:
                page.route("**/*.woff2", lambda route: route.abort())
            page.goto(f"{site}/{page_path}", wait_until="networkidle")
            page.evaluate("document.fonts.ready")
            loaded = page.evaluate(
                "[...document.fonts].filter(f => f.family.includes('STIX Two Math'))"
                ".map(f => f.status)"
            )
            assert loaded == (["loaded"] if with_face else ["error"])
            equation = page.locator(".equation:has(#eq-radius), #eq-radius").first
            shots[with_face] = equation.screenshot()
            if with_face:
                for name in ("eq-radius", "eq-moments", "eq-km"):
                    body = page.locator(f"#{name} .equation-body, #{name}.equation .equation-body")
                    fits = body.first.evaluate("e => e.scrollWidth <= e.clientWidth")
                    assert fits, f"{name} shows a scroll bar though it fits"
                    label = page.locator(f"#{name} .equation-label").first.bounding_box()
                    shown = body.first.bounding_box()
                    assert label and shown
                    assert label["x"] >= shown["x"] + shown["width"] - 1  # beside, not below
                    assert label["y"] < shown["y"] + shown["height"]
            page.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "math-face.png").write_bytes(shots[True])
    (ARTIFACTS / "math-face-missing.png").write_bytes(shots[False])
    assert shots[True] != shots[False]


def test_the_web_page_shows_orcid_ids_as_orcid_asks_and_an_outline() -> None:
    """ORCID's guidelines: the iD icon, then the full https address; an outline of the
    sections and the back matter a reader looks for."""
    from lxml import html

    article = _article(FRONTMATTER)
    page = html.fromstring(article_formats()["html"](article, Templates(), BuildInfo(0)).data)
    (orcid,) = page.xpath("//a[@class='contributor-orcid']")
    assert orcid.xpath("svg/@aria-label") == ["ORCID iD"]
    assert orcid.text_content() == orcid.get("href") == "https://orcid.org/0000-0002-1825-0097"
    (outline,) = page.xpath("//nav[@class='outline']")
    targets = outline.xpath(".//a/@href")
    assert targets[0] == "#introduction" and targets[-2:] == ["#funding", "#references"]
    assert all(page.get_element_by_id(target[1:]) is not None for target in targets)


@pytest.mark.slow  # a browser
@pytest.mark.parametrize("width", [1440, 800])
def test_the_outline_stands_beside_the_text_only_where_there_is_room(
    tmp_path: Path, width: int
) -> None:
    from tests.tools import headless_chromium, served

    page_path = _site(FRONTMATTER, tmp_path)
    with served(tmp_path) as site, headless_chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{site}/{page_path}", wait_until="networkidle")
        outline = page.locator("nav.outline").bounding_box()
        body = page.locator(".article-body").bounding_box()
        assert outline and body
        if width >= 1400:  # in the margin, clear of the text, and it stays in view
            assert outline["x"] + outline["width"] <= body["x"]
            assert (
                page.evaluate("getComputedStyle(document.querySelector('nav.outline')).position")
                == "fixed"
            )
        else:  # in the flow, above the abstract
            assert outline["y"] < body["y"] and outline["x"] >= body["x"] - 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width


# What makes a heading look like its level: measured in each edition's own renderer.
HEADING_STYLE = """[...document.querySelectorAll('h2, h3, h4, h5, h6')]
  .filter(h => !h.closest('header, nav, .abstract, .downloads'))
  .map(h => { const s = getComputedStyle(h);
    return [h.tagName.toLowerCase(), h.textContent.trim(), [s.fontSize, s.textTransform,
            s.fontWeight, s.fontStyle, s.letterSpacing].join(' ')]; })"""


def _one_scale(found: list[tuple[str, str, str]]) -> None:
    """Every heading of a level looks alike, in the text and the back matter, and each level
    looks unlike the others."""
    by_level: dict[str, set[str]] = {}
    for level, _text, style in found:
        by_level.setdefault(level, set()).add(style)
    assert set(by_level) == {"h2", "h3", "h4", "h5"}, found
    assert all(len(styles) == 1 for styles in by_level.values()), by_level
    looks = [styles.pop() for styles in by_level.values()]
    assert len(set(looks)) == len(looks), by_level
    texts = {text.casefold() for _level, text, _style in found}
    assert {"results", "acknowledgements", "funding", "references"} <= texts, texts


def _with_subsections(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(FRONTMATTER, source)
    (article,) = source.glob("*/*/article.md")
    edit(
        article,
        "The estimate is skewed.",
        "The estimate is skewed.\n\n## Skewness\n\nIt is positive.\n\n### By series\n\n"
        "Each series.\n\n#### The first series\n\nThe first.",
    )
    return source


@pytest.mark.slow  # a browser
def test_headings_of_a_level_look_alike_in_the_text_and_back_matter_on_screen(
    tmp_path: Path,
) -> None:
    """Sections of the text and of the back matter (acknowledgements, funding, references)
    were set in two sizes and cases on the web page and in the e-book: one scale now, each
    level unlike the next."""
    from tests.tools import headless_chromium, served

    source = _with_subsections(tmp_path)
    page_path = _site(source, tmp_path / "site")
    book = article_formats()["epub"](_article(source), Templates(), BuildInfo(0)).data
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        archive.extractall(tmp_path / "site" / "book")
    (chapter,) = (tmp_path / "site" / "book").glob("EPUB/text/*.xhtml")
    with served(tmp_path / "site") as site, headless_chromium() as browser:
        for path in (page_path, chapter.relative_to(tmp_path / "site").as_posix()):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{site}/{path}", wait_until="networkidle")
            _one_scale([tuple(row) for row in page.evaluate(HEADING_STYLE)])
            page.close()


def test_headings_of_a_level_look_alike_in_the_text_and_back_matter_in_print(
    tmp_path: Path,
) -> None:
    """Read from the PDF itself: each heading's face, size and case as printed."""
    from pypdf import PdfReader

    from galley.render import pdf

    article = _article(_with_subsections(tmp_path))
    data = pdf.render(article, Templates(), BuildInfo(0), 1).output.data
    levels = {
        "Results": "h2",
        "Acknowledgements": "h2",
        "Appendix A: Derivation": "h2",
        "Funding": "h2",
        "References": "h2",
        "Skewness": "h3",
        "By series": "h4",
        "The first series": "h5",
    }
    printed = {name.casefold(): level for name, level in levels.items()}
    found: list[tuple[str, str, str]] = []

    def visit(text: str, _cm: object, _tm: object, font: dict[str, str], size: float) -> None:
        level = printed.get(text.strip().casefold())
        if level and font:
            face = font["/BaseFont"].split("+")[-1]  # without the subset's tag
            case = "capitals" if text.isupper() else "as written"
            found.append((level, text.strip(), f"{face} {size:.2f} {case}"))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    assert {text.casefold() for _, text, _ in found} == set(printed), found
    _one_scale(found)
