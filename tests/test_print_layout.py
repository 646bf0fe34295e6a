"""The print page as journals set it: the byline in one run of lines, the abstract and the text
from page 1 (or a title page when the journal asks for one), and justified text hyphenated in
the article's language. Each test lays out a small source with galley's PDF renderer alone and
reads the PDF back (pypdf for positions, pdftotext for lines)."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pyphen
import pytest
from markupsafe import Markup

from galley.read import read_project
from galley.render import BuildInfo, pdf
from galley.templating import Templates
from tests.conftest import CORPUS, ROOT, SOURCE
from tests.tools import edit

FRONTMATTER = ROOT / "tests" / "roots" / "frontmatter" / "source"
RESEARCH = ROOT / "tests" / "roots" / "research" / "source"


def lay_out(source: Path) -> bytes:
    """The print edition of the source's first article, from folio 1."""
    read = read_project(source)
    assert read.project is not None, [d.format() for d in read.diagnostics]
    article = read.project.articles[0]
    return pdf.render(article, Templates(), BuildInfo(1700000000), 1).output.data


def baselines(data: bytes, page: int) -> dict[float, str]:
    """The text of one page by baseline (rounded to a point), top first."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    lines: dict[float, list[str]] = defaultdict(list)

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip() or text == " ":  # a space may be a run of its own
            lines[round(cm[5] + tm[5] * cm[3], 0)].append(text)

    reader.pages[page].extract_text(visitor_text=visit)
    return {y: "".join(parts).strip() for y, parts in sorted(lines.items(), reverse=True)}


def page_texts(data: bytes, folder: Path) -> list[str]:
    """Each page's text in reading order (columns one after the other), as pdftotext reads it."""
    path = folder / "article.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.fixture(scope="module")
def frontmatter_pdf() -> bytes:
    return lay_out(FRONTMATTER)


def test_the_authors_share_one_line_comma_separated(frontmatter_pdf: bytes) -> None:
    lines = baselines(frontmatter_pdf, 0)
    (y,) = [y for y, text in lines.items() if text.startswith("Ada Lovelace,")]
    assert lines[y] == "Ada Lovelace, Charles Babbage, Mary Somerville"  # one line, in order
    # Each name's affiliation numbers and note marks raised just above that line.
    (marks,) = [text for at, text in lines.items() if 0 < at - y < 6]
    assert marks == "1*†1,2†§2¶"
    (affiliations,) = [text for text in lines.values() if text.startswith("Analytical Engine")]
    assert "; Department of Mathematics, University College London" in affiliations  # one line


def test_abstract_and_text_begin_on_page_one(frontmatter_pdf: bytes, tmp_path: Path) -> None:
    first = _flat(page_texts(frontmatter_pdf, tmp_path)[0])
    assert "A third-order term changes the price" in first  # the abstract
    assert "Option prices follow a lognormal law" in first  # the text


def test_a_title_page_when_the_journal_asks_for_one(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FRONTMATTER, source)
    edit(source / "journal.yaml", "lang: en\n", "lang: en\nprint:\n  title-page: true\n")
    pages = page_texts(lay_out(source), tmp_path)
    assert "A third-order term changes the price" in _flat(pages[0])
    assert "Option prices follow" not in _flat(pages[0])
    assert "Option prices follow a lognormal law" in _flat(pages[1])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_justified_text_is_hyphenated_in_the_articles_language(lang: str, tmp_path: Path) -> None:
    """The sample's text, declared French and then English: each word the layout broke at a
    line end breaks where that language's dictionary allows, with three letters at least on
    each side (no "ad- / ded")."""
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    edit(source / "nps-4-1" / "301114ar" / "article.md", "\nlang: fr\n", f"\nlang: {lang}\n")
    read = read_project(source)
    assert read.project is not None
    body = str(read.project.articles[0].body.nodes)
    words = set(re.findall(r"\w+", body))
    dictionary = pyphen.Pyphen(lang=lang)
    breaks = []
    # pypdf keeps the hyphen the layout added at a line end (pdftotext would join the word).
    for page in pypdf.PdfReader(io.BytesIO(lay_out(source))).pages:
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        for line, following in itertools.pairwise(lines):
            head = re.search(r"(\w+)-$", line)
            tail = re.match(r"(\w+)", following)
            if head and tail and head[1] + tail[1] in words and f"{head[1]}-{tail[1]}" not in body:
                breaks.append((head[1] + tail[1], len(head[1])))
    assert len(breaks) >= 10, breaks  # hyphenation is on
    for word, at in breaks:
        assert at >= 3 and len(word) - at >= 3, (word, at)
        assert at in dictionary.positions(word), (word, at, dictionary.inserted(word))


REAL_TEXT = {  # corpus articles whose text is set below: English with "p-value", Portuguese
    "en": "real/plos/journal.pone.0012262.xml",
    "pt": "real/scielo/0034-8910-rsp-48-2-0284.xml",
}


def _paragraphs(name: str, words: int) -> list[str]:
    """The first paragraphs of a corpus article's body (not captions, tables or boxes), as
    plain text, up to about `words` words."""
    from lxml import etree

    tree = etree.parse(str(CORPUS / name))
    found: list[str] = []
    for paragraph in tree.xpath(
        "//body//p[not(ancestor::caption or ancestor::table-wrap or ancestor::boxed-text)]"
    ):
        found.append(" ".join("".join(paragraph.itertext()).split()))
        if sum(len(text.split()) for text in found) >= words:
            break
    return found


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_justified_lines_are_seldom_loose_and_strand_no_fragment(lang: str, tmp_path: Path) -> None:
    """Real text (8,000 words of a corpus article) in galley's two print columns, measured as
    benchmarks/print_density.py measures the corpus: at most 2 % of the full lines have word
    spaces over 0.5 em (EB Garamond's own space is 0.2 em), less than half as many as the
    face's own spaces everywhere give (measured: English 1.7 % against 6.6 %, Portuguese
    0.5 % against 3.1 %: each paragraph set loose keeps the spacing that sets it best, then
    a loose line left takes a word from the lines above it; before that, 2.3 % and 0.8 %); no
    line ends at a hyphen that leaves fewer than three letters on one side,
    whether WeasyPrint hyphenated the word or the hyphen is the text's ("p-value",
    "destacando-se": before the word joiner, "y-/axis", "up-/regulates", "destacando-/se",
    "restringem-/se"), and no fragment stands alone on a line (narrower word spaces made
    WeasyPrint set "met-" so in pone.0117688: a spacing that does is never kept)."""
    from benchmarks.print_density import measure_lines
    from galley.model import PrintLayout

    paragraphs = _paragraphs(REAL_TEXT[lang], 8000)
    lines = measure_lines(_printed(paragraphs, lang, PrintLayout()), " ".join(paragraphs), tmp_path)
    assert lines.justified > 700, lines
    assert lines.loose / lines.justified <= 0.02, (lines.loose, lines.justified)
    assert (lines.short, lines.at_hyphen, lines.lone) == ([], [], []), lines
    own = _printed(paragraphs, lang, PrintLayout(), even=False)
    assert measure_lines(own, " ".join(paragraphs), tmp_path).loose > 2 * lines.loose


def _print_css(layout: Any) -> tuple[Any, Any]:
    """galley's print style sheet for `layout`, as WeasyPrint takes it, and the font
    configuration that holds its @font-face rules (both passed to each layout)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from galley.fonts import print_fonts

    stylesheet = Templates().render(
        "pdf/print.css.jinja",
        faces={f"{w}-{s}": path.as_uri() for (w, s), path in print_fonts().items()},
        recto_first=True,
        folio_style="decimal",
        layout=layout,
    )
    fonts = FontConfiguration()
    return weasyprint.CSS(string=stylesheet, font_config=fonts), fonts


def _printed(paragraphs: list[str], lang: str, layout: Any, even: bool = True) -> bytes:
    """The paragraphs as the text of an article in galley's print stylesheet, in `layout`:
    justified text with each paragraph's spacing chosen as `pdf.render` chooses it (unless
    not `even`)."""
    import weasyprint
    from markupsafe import escape

    from galley.pagination import BLOCK_ANCHOR
    from galley.render import spacing

    body = pdf.joined(
        Markup(
            "".join(
                f'<p><span id="{BLOCK_ANCHOR}{number}"></span>{escape(text)}</p>'
                for number, text in enumerate(paragraphs)
            )
        )
    )
    css, fonts = _print_css(layout)

    def page(body: Markup) -> str:
        text = pdf.columned(body) if layout.columns > 1 else body
        return f'<html lang="{lang}"><body><main class="article-body">{text}</main></body></html>'

    def lay_out(page: str) -> Any:
        return weasyprint.HTML(string=page).render(stylesheets=[css], font_config=fonts)

    if layout.justify and even:
        body = spacing.evened(body, lambda body, shown: lay_out(spacing.only(page(body), shown)))
    data: bytes = lay_out(page(body)).write_pdf()
    return data


def test_a_journal_may_set_its_print_text_ragged_right(tmp_path: Path) -> None:
    """`justify: false` in journal.yaml's `print:` sets the text ragged right, as PLOS and
    eLife set their PDFs: no word space is stretched (none over 0.5 em, where justified text
    has about 7 %), each line ends where its words do, hyphenated as before."""
    from benchmarks.print_density import measure_lines
    from galley.model import PrintLayout

    source = tmp_path / "source"
    shutil.copytree(FRONTMATTER, source)
    edit(source / "journal.yaml", "lang: en\n", "lang: en\nprint:\n  justify: false\n")
    read = read_project(source)
    assert read.project is not None
    assert read.project.articles[0].journal.print_layout == PrintLayout(justify=False)

    paragraphs = _paragraphs(REAL_TEXT["en"], 3000)
    data = _printed(paragraphs, "en", PrintLayout(justify=False))
    lines = measure_lines(data, " ".join(paragraphs), tmp_path)
    assert lines.loose == 0 and (lines.short, lines.lone) == ([], []), lines
    column = [right for left, right in text_lines(data, tmp_path, 1) if left < 150]
    assert len(column) > 40 and max(column) - min(column) > 30  # ragged: ends 30 pt apart
    justified = _printed(paragraphs, "en", PrintLayout(), even=False)
    column = [right for left, right in text_lines(justified, tmp_path, 1) if left < 150]
    assert sum(max(column) - right < 1 for right in column) > 0.7 * len(column)  # one edge
    assert measure_lines(justified, " ".join(paragraphs), tmp_path).loose > 0


def test_the_recto_head_names_the_first_author_et_al_on_the_book_page(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FRONTMATTER, source)
    edit(source / "journal.yaml", "lang: en\n", "lang: en\nprint: {page: 6x9in, columns: 1}\n")
    pages = page_texts(lay_out(source), tmp_path)
    assert len(pages) >= 3
    assert "Open Journal of Samples, Volume 12, 2025" in _flat(pages[1])[:80]  # verso
    assert "Lovelace et al." in _flat(pages[2])[:80]  # recto
    assert "Babbage, Somerville" not in _flat(pages[2])[:80]


def _longer(folder: Path, references: int = 0, sentences: int = 0) -> Path:
    """The front matter sample with more references, all cited in its text, or with a
    paragraph of more sentences."""
    source = folder / "source"
    shutil.copytree(FRONTMATTER, source)
    article = source / "vol-12" / "e0200001"
    with (article / "references.yaml").open("a", encoding="utf-8") as entries:
        for i in range(references):
            entries.write(
                f"- id: study{i}\n  type: article-journal\n"
                f"  author: [{{family: Author{i}, given: A}}]\n  issued: {1990 + i % 30}\n"
                f"  title: The moment of order {i} in the returns of options\n"
                f"  container-title: Journal of Finance\n  volume: {i}\n  page: {i}-{i + 9}\n"
            )
    cited = "; ".join(f"@study{i}" for i in range(references))
    more = "The third moment of the returns shifts the price of an option far from the money. "
    matters = "The third moment matters [@yang2020]."
    after = f" Earlier studies [{cited}]." if references else f"\n\n{more * sentences}"
    edit(article / "article.md", matters, matters + after)
    return source


def _words_per_page(data: bytes) -> list[int]:
    return [len(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize(
    ("references", "sentences", "saved"), [(64, 0, True), (72, 0, True), (0, 80, False)]
)
def test_a_last_page_of_a_few_lines_is_fitted_onto_the_page_before(
    references: int,
    sentences: int,
    saved: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A last page holding only a few lines (less than a fifth of the page before it) is
    fitted as a compositor would: laid out again with the references set tighter (no space
    between them, 8 pt on 9 pt), that layout is kept if it saves the page, with every
    reference in it (the last page holding 64 or 72 more references' last lines); where it
    does not (the end of a longer text), the first layout is printed as it was."""
    source = _longer(tmp_path, references, sentences)
    monkeypatch.setattr(pdf, "SHORT_LAST", 0)  # no last page is short: as before the fitting
    before = lay_out(source)
    monkeypatch.undo()
    words = _words_per_page(before)
    assert len(words) == 3 and words[2] < words[1] / 5, words  # the premise: a short last page

    read = read_project(source)
    assert read.project is not None
    layout = pdf.render(read.project.articles[0], Templates(), BuildInfo(1700000000), 1)
    if not saved:
        assert layout.output.data == before
        return
    assert len(_words_per_page(layout.output.data)) == 2
    assert (layout.pagination.first, layout.pagination.last) == (1, 2)
    text = _flat(" ".join(page_texts(layout.output.data, tmp_path)))
    for i in range(references):
        assert f"The moment of order {i} in the returns of options" in text


def test_a_fitting_weasyprint_cannot_lay_out_keeps_the_first_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fitting is an attempt: where WeasyPrint fails on it, the first layout is printed,
    in its columns and with no warning (never the one-column fallback of a failed layout)."""
    import weasyprint

    source = _longer(tmp_path, references=64)
    monkeypatch.setattr(pdf, "SHORT_LAST", 0)
    before = lay_out(source)
    monkeypatch.undo()
    real = weasyprint.HTML

    def failing(*args: Any, string: str = "", **kwargs: Any) -> Any:
        if 'class="fitted"' in string:
            raise ValueError("a layout WeasyPrint cannot make")
        return real(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", failing)
    read = read_project(source)
    assert read.project is not None
    layout = pdf.render(read.project.articles[0], Templates(), BuildInfo(1700000000), 1)
    assert layout.notices == () and layout.output.data == before


def test_a_run_that_fits_its_line_but_for_its_last_space_is_never_broken_early(
    tmp_path: Path,
) -> None:
    """WeasyPrint measures a run of text with the space that ends it: a reference whose run
    before its link fits the line only without that space had its first word hyphenated and
    set alone ("196. Bern-" / "ers-Lee T. Hypertext Style: ...", pcbi.1000204). The entry is
    set at column widths a quarter point apart (over more than a space's width around the
    one where it ends "Available:"): laid out as given, some widths break it after "Bern-";
    as galley prints it, none does."""
    import weasyprint

    from galley.model import PrintLayout

    entry = (
        '<span class="reference-label">196.</span> Berners-Lee T. Hypertext Style: Cool URIs '
        'don\'t change. 1998. Available: <a href="http://www.w3.org/Provider/Style/URI">'
        '<span class="code-word">http://www.w3.org/Provider/Style/URI</span></a>'
    )
    lists = "".join(
        f'<ul class="reference-list" style="width: {240 + i / 4}pt"><li>{entry}</li></ul>'
        for i in range(0, 480)
    )
    page = (
        '<html lang="en"><body><div class="back-matter" style="columns: 1">'
        f'<section class="references">{lists}</section></div></body></html>'
    )
    css, fonts = _print_css(PrintLayout())

    def first_lines(page: str) -> list[str]:
        """The first line of the entry at each width, as set."""
        data = weasyprint.HTML(string=page).render(stylesheets=[css], font_config=fonts)
        path = tmp_path / "entries.pdf"
        path.write_bytes(data.write_pdf())
        text = subprocess.run(  # as set: without -layout, pdftotext joins "Bern-" / "ers"
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        return [entry.splitlines()[0].strip() for entry in text.split("196.")[1:]]

    given = first_lines(page)
    broken = [i for i, line in enumerate(given) if line == "Bern-"]
    assert broken  # the premise: WeasyPrint's own break, at some of the widths
    printed = first_lines(pdf.spaces_inside(page))
    assert len(printed) == len(given) == 480
    assert [printed[i].split()[-1] for i in broken] == ["Available:"] * len(broken)
    assert "Bern-" not in printed
    # Not into a superscript or a subscript, where the space would print smaller.
    assert pdf.spaces_inside('x <sup>2</sup> and <em>y</em> <a href="#r">[3]</a>') == (
        'x <sup>2</sup> and<em> y</em><a href="#r"> [3]</a>'
    )


def test_superscripts_and_subscripts_sit_in_the_leading() -> None:
    """Lines holding a superscript or a subscript ("the term β<sup>n</sup> ... β<sub>i</sub>",
    pmed.0020124) are as far from their neighbours as any other line (there, 12.2 pt between
    baselines in two columns, where they were 16 pt apart; here 11 pt on 1.34, one column)."""
    import weasyprint

    from galley.model import PrintLayout

    words = " ".join(["the probability of a finding being true in a field"] * 6)
    marked = " ".join(
        f"{words} the term β<sup>n</sup> is replaced by the product of the terms β<sub>i</sub>"
        for _ in range(8)
    )
    css, fonts = _print_css(PrintLayout(columns=1))
    page = f'<html lang="en"><body><main class="article-body"><p>{marked}</p></main></body></html>'
    data = weasyprint.HTML(string=page).render(stylesheets=[css], font_config=fonts).write_pdf()
    lines: set[float] = set()

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if len(text.strip()) > 2:  # the words of the line, not its raised or lowered letters
            lines.add(round(cm[5] + tm[5] * cm[3], 1))

    pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    baselines = sorted(lines, reverse=True)
    gaps = [a - b for a, b in itertools.pairwise(baselines)]
    assert len(baselines) > 20
    assert all(abs(gap - 11 * 1.34) < 0.1 for gap in gaps), gaps


def text_lines(data: bytes, folder: Path, page: int) -> list[tuple[float, float]]:
    """The left and right ends (points) of each line of text on one page, as pdftotext finds
    them (it reads each column's lines apart)."""
    path = folder / "lines.pdf"
    path.write_bytes(data)
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page + 1), "-l", str(page + 1), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (float(left), float(right))
        for left, right in re.findall(
            r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', layout
        )
    ]


@pytest.mark.parametrize(("page", "width", "height"), [("letter", 612, 792), ("6x9in", 432, 648)])
def test_the_page_the_journal_names_in_two_columns(
    page: str, width: int, height: int, tmp_path: Path
) -> None:
    """`print: {page: letter}` gives US Letter (8.5 x 11 in) and `6x9in` the book page, each
    page of the PDF that size; the text is set in two columns (the default): its pages have
    lines that end before the middle and lines that begin after it (in one column, none do)."""
    source = tmp_path / "source"
    shutil.copytree(FRONTMATTER, source)
    edit(source / "journal.yaml", "lang: en\n", f"lang: en\nprint:\n  page: {page}\n")
    data = lay_out(source)
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {
        (width, height)
    }
    lines = [line for n in range(len(pages)) for line in text_lines(data, tmp_path, n)]
    middle = width / 2
    assert sum(right < middle for _, right in lines) >= 5
    assert sum(left > middle for left, _ in lines) >= 5  # the right-hand column


def _ink_per_width(rows: list[bytes]) -> float:
    """Darkness per unit of width of one line of a grey image: how heavy its glyphs print."""
    columns = [x for x in range(len(rows[0])) if any(row[x] < 128 for row in rows)]
    return sum(255 - value for row in rows for value in row) / (columns[-1] - columns[0])


def test_printed_formulas_weigh_what_the_text_around_them_weighs(tmp_path: Path) -> None:
    """MathJax's glyphs drawn as they come print lighter than EB Garamond (0.93 of its ink
    per width, measured); the same letters as text and as a formula now print alike (at a
    stroke too heavy, 1.28, they would look bold)."""
    import weasyprint

    from galley import mathjax
    from galley.fonts import print_fonts

    (formula,), failed = mathjax.typeset([(r"\alpha x + \beta y = \sigma z", False)])
    assert not failed
    faces = "".join(
        f"@font-face{{font-family:G;font-weight:{weight};font-style:{style};src:url({path.as_uri()})}}"
        for (weight, style), path in print_fonts().items()
    )
    page = (
        f"<style>@page{{size:200mm 40mm;margin:5mm}}{faces}"
        "body{font-family:G;font-size:24pt;margin:0} p{margin:0 0 4mm}"
        f"svg{{width:{formula.width};height:{formula.height}}}</style>"
        f"<p><i>&alpha;x + &beta;y = &sigma;z</i></p><p>{formula.svg}</p>"
    )
    (tmp_path / "ink.pdf").write_bytes(weasyprint.HTML(string=page).write_pdf())
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-singlefile", "ink.pdf", "ink"],
        cwd=tmp_path,
        check=True,
    )
    _, size, _, pixels = (tmp_path / "ink.pgm").read_bytes().split(b"\n", 3)
    width, height = map(int, size.split())
    rows = [pixels[y * width : (y + 1) * width] for y in range(height)]
    dark = [y for y, row in enumerate(rows) if min(row) < 128]
    gap = max(range(len(dark) - 1), key=lambda i: dark[i + 1] - dark[i])  # between the lines
    text = _ink_per_width(rows[dark[0] : dark[gap] + 1])
    math = _ink_per_width(rows[dark[gap + 1] : dark[-1] + 1])
    assert 1.0 <= math / text <= 1.2, math / text


def test_an_address_longer_than_the_column_breaks_inside_it(tmp_path: Path) -> None:
    """A reference's address of 200 characters without a space (pone.0152459's CNKI links)
    ran over the next column and off the page, cut there; it now breaks inside its column,
    all its characters printed."""
    source = tmp_path / "source"
    shutil.copytree(RESEARCH, source)
    address = "https://www.cnki.net/KCMS/detail/detail.aspx?QueryID=6&filename=2004139508.nh&v=" + (
        "MTc2NzMzcVRyV00xRnJDVVJMeWZaT2RtRnkvbVVyM0JWMTI3R3JLN0Y5VE1wNUViUElSOGVYMUx1eFlTN0Q"
    )
    edit(
        next(source.rglob("references.yaml")),
        "  publisher-place: Berlin\n",
        f"  publisher-place: Berlin\n  URL: {address}\n",
    )
    (tmp_path / "article.pdf").write_bytes(lay_out(source))
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "article.pdf", "-"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for width, words in re.findall(r'<page width="([\d.]+)"(.*?)</page>', boxes, re.S):
        right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', words))
        assert right <= float(width) - 0.5 * 72  # inside the text block, clear of the margin
    text = subprocess.run(
        ["pdftotext", "article.pdf", "-"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert address in re.sub(r"\s+", "", text)


def test_a_code_longer_than_the_column_breaks_with_no_hyphen(tmp_path: Path) -> None:
    """A DNA sequence longer than its column (elife-00666) was hyphenated by the dictionary,
    and so was an address ("https://git-" / "hub.com/elifesciences/..."): a reader could take
    the hyphen for one of its characters. A code (a sequence, an address, a word in capitals)
    is never hyphenated; it breaks where its column ends, every character printed, no other."""
    source = tmp_path / "source"
    shutil.copytree(RESEARCH, source)
    primer = "GATCGGAAGAGCACACGTCTGAACTCCAGTCACATCACGATCTCGTATGCCGTCTTCTGCTTGAAAAAGGAGGCGATCGA"
    sequence = primer.lower()[:40]
    address = "https://github.com/elifesciences/XML-mapping/blob/master/elife-00666.xml"
    edit(
        next(source.rglob("article.md")),
        "when the noise is Gaussian.",
        f"when the noise is Gaussian. The mapping that reads them is at {address} for anyone."
        f" The series were amplified with 5\u2032-{primer}-3\u2032 and read as {sequence}.",
    )
    lines = list(baselines(lay_out(source), 0).values())  # as set: pdftotext joins "GAT-/CG"
    flat = "".join(line.strip() for line in lines)
    assert f"5\u2032-{primer}-3\u2032" in flat
    assert sequence in flat
    assert address in flat
    ends = [line.strip() for line in lines]
    assert any(re.search(r"[ACGT]{3}$", end) for end in ends), "the primer fits: proves nothing"
    assert not any(address in end for end in ends), "the address fits: proves nothing"


def test_a_formula_wider_than_the_column_is_scaled_whole_never_squeezed() -> None:
    """pone.0117688's algorithms hold inline formulas of 81 ex in a column of about 60: each
    is scaled down to the column, its height with its width, never squeezed sideways into
    narrow glyphs (the image had a fixed height), and a short one keeps its size."""
    import weasyprint

    from galley import mathjax
    from galley.render.text import print_math

    long = r"[\vec{y}_{\text{RChild}}, M, E] \leftarrow \text{NodeSearch}(N, E, x, M, R, t)" * 2
    formulas, failed = mathjax.typeset([(long, False), ("x_i", False)])
    assert not failed
    nodes = [{"t": "Math", "c": [{"t": "InlineMath"}, f.tex]} for f in formulas]
    images = print_math(nodes, {(f.tex, False): f for f in formulas})
    rule = re.search(r"img\.math \{[^}]*\}", (ROOT / "templates/pdf/print.css.jinja").read_text())
    assert rule is not None
    page = (
        "<style>@page{size:80mm 100mm;margin:10mm} body{font-size:10pt;margin:0}"
        f"{rule.group(0)}</style><p>{images[0]['c'][1]}</p><p>{images[1]['c'][1]}</p>"
    )
    document = weasyprint.HTML(string=page).render()

    def boxes(box: Any) -> Iterator[Any]:
        yield box
        for child in getattr(box, "children", ()):
            yield from boxes(child)

    shown = [b for b in boxes(document.pages[0]._page_box) if b.element_tag == "img"]
    column = 60 / 25.4 * 96  # px
    for box, formula in zip(shown, formulas, strict=True):
        ratio = float(formula.width.removesuffix("ex")) / float(formula.height.removesuffix("ex"))
        assert box.width <= column + 0.5
        assert box.width / box.height == pytest.approx(ratio, rel=0.02)
    assert shown[0].width == pytest.approx(column, abs=0.5)  # scaled to the column
    assert shown[1].width < column / 4  # not enlarged


def test_a_figure_carried_past_a_hole_is_set_after_the_text_that_fills_it() -> None:
    """WeasyPrint has no page floats: a figure too tall for what is left of a column goes to
    the next one and leaves a hole. The layout finds it and names the paragraphs whose
    height fills the hole; the body is then laid out with the figure after them."""
    import weasyprint
    from markupsafe import Markup

    words = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod. " * 5
    blocks = [f"<p>{words}</p>"] * 4 + ['<figure><div style="height:120mm"></div></figure>']
    blocks += [f"<p>{words}</p>"] * 8
    body = "".join(blocks)
    marked = pdf.spanned(Markup(body))
    document = weasyprint.HTML(string=_columns_page(marked)).render()
    moves = pdf.carried_floats(document)
    assert list(moves) == [4] and moves[4] > 4  # the figure, after some of what follows
    after = pdf.deferred(marked, moves)
    order = [int(n) for n in re.findall(r'data-flow="(\d+)"', str(after))]
    assert order == [*range(4), *range(5, moves[4] + 1), 4, *range(moves[4] + 1, len(blocks))]
    again = weasyprint.HTML(string=_columns_page(after)).render()
    assert pdf.carried_floats(again) == {}  # no hole left before it


def _columns_page(body: str) -> str:
    """A page of two columns as galley's print stylesheet sets them, around `body` (as
    `spanned` or `deferred` made it): each run between spanning blocks in a columns box."""
    from markupsafe import Markup

    return (
        "<style>@page{size:A4;margin:20mm} .columns{columns:2;column-gap:6mm}"
        "p{margin:0 0 4pt;font-size:10pt} h2{margin:0;font-size:10pt}"
        "figure{margin:0;break-inside:avoid} table{width:100%}</style>"
        f"<main>{pdf.columned(Markup(body))}</main>"
    )


def test_a_carried_figure_may_pass_a_heading_and_a_spanning_table_a_figure() -> None:
    """Two holes the figure-carrying rule above left (elife00133 page 5, pone.0117688 page
    24): a figure too tall for the end of a page whose next block is a heading (the text of
    the next section fills the hole, the figure follows it, never standing right after the
    heading); and a table spanning both columns carried to the next page past a figure that
    ends the page alone, leaving the column beside it empty (the table goes first, where it
    fits, and the figure then shares its rows with text)."""
    import weasyprint
    from markupsafe import Markup

    words = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod. " * 5
    blocks = [f"<p>{words}</p>"] * 4 + ['<figure><div style="height:120mm"></div></figure>']
    blocks += ["<section><h2>Next</h2>" + f"<p>{words}</p>" * 8 + "</section>"]
    marked = pdf.spanned(Markup("".join(blocks)))
    moves = pdf.carried_floats(weasyprint.HTML(string=_columns_page(marked)).render())
    assert list(moves) == [4] and moves[4] > 5  # after a paragraph of the next section

    rows = "".join(f"<tr>{'<td>1</td>' * 6}</tr>" for _ in range(12))
    table = f'<div class="table-wrap" style="break-inside:avoid"><table>{rows}</table></div>'
    blocks = [f"<p>{words}</p>"] * 22 + ['<figure><div style="height:80mm"></div></figure>']
    blocks += [table] + [f"<p>{words}</p>"] * 6
    marked = pdf.spanned(Markup("".join(blocks)))
    document = weasyprint.HTML(string=_columns_page(marked)).render()
    assert _page_of(document, "table-wrap") == 2  # page 3, past the figure ending page 2
    moves = pdf.carried_floats(document)
    assert moves == {23: 21}, moves  # the table, right after the text before the figure
    again = weasyprint.HTML(string=_columns_page(pdf.deferred(marked, moves))).render()
    assert _page_of(again, "table-wrap") == 1
    assert _page_of(again, "figure") == 2


def test_what_follows_a_table_across_both_columns_is_never_dropped() -> None:
    """pone.0012262 was printed without its last 22 blocks (Figures 21-22, Tables 3-4) and
    no error: in one columns box, WeasyPrint drops all that follows a block spanning both
    columns when the columns before it just fit their page (Kozea/WeasyPrint#489, shown
    here on a small page). Each run between spanning blocks now has a columns box of its own,
    and a layout is checked to hold every block of the flow."""
    import weasyprint
    from markupsafe import Markup

    words = "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod. " * 6
    rows = "".join(f"<tr>{'<td>1</td>' * 6}</tr>" for _ in range(12))
    blocks = [f"<p>{words}</p>"] * 6
    blocks += ['<figure><div style="height:206px"></div><figcaption>Figure</figcaption></figure>']
    blocks += [f'<div class="table-wrap"><table>{rows}</table></div>']
    blocks += [f"<p>after {n} {'word ' * 60}</p>" for n in range(8)]
    marked = pdf.spanned(Markup("".join(blocks)))
    style = (
        "<style>@page{size:A5;margin:1cm} body{font-size:9pt} .columns{columns:2}"
        ".span{column-span:all} figure{margin:0;break-inside:avoid}</style>"
    )
    one_box = weasyprint.HTML(string=f'{style}<div class="columns">{marked}</div>').render()
    assert pdf._lost(one_box, len(blocks)) == 9  # the table and all after it: WeasyPrint's
    runs = weasyprint.HTML(string=f"{style}{pdf.columned(marked)}").render()
    assert pdf._lost(runs, len(blocks)) == 0
    assert pdf._letters(runs) > pdf._letters(one_box)
    assert _page_of(runs, "table-wrap") == 1 and len(runs.pages) == 3


def test_a_layout_that_lost_text_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above on the whole article: a first layout missing blocks of the flow is
    printed in one column, said in a warning; a further pass (floats moved) that lays out
    fewer letters than the layout before it is not kept."""
    read = read_project(FRONTMATTER)
    assert read.project is not None
    article = read.project.articles[0]
    real_lost = pdf._lost
    monkeypatch.setattr(pdf, "_lost", lambda document, flows: flows)  # every block lost
    layout = pdf.render(article, Templates(), BuildInfo(1700000000), 1)
    (notice,) = layout.notices
    assert notice.code == "pdf.columns" and "left" in notice.message, notice.message
    assert "printed in one column" in notice.message

    monkeypatch.setattr(pdf, "_lost", real_lost)
    first = pdf.render(article, Templates(), BuildInfo(1700000000), 1).output.data
    real_deferred = pdf.deferred
    monkeypatch.setattr(pdf, "carried_floats", lambda document: {0: 1})  # a pass to make
    measures = iter([1.0, 0.0, 0.0, 0.0])  # and one to keep, but for its text
    monkeypatch.setattr(pdf, "holes", lambda document: next(measures))
    monkeypatch.setattr(  # the moved body losing its last paragraph, as WeasyPrint did
        pdf,
        "deferred",
        lambda body, moves: Markup(
            re.sub(r"<p[^>]*>(?!.*<p).*?</p>", "", str(real_deferred(body, moves)), flags=re.S)
        ),
    )
    layout = pdf.render(article, Templates(), BuildInfo(1700000000), 1)
    assert layout.notices == () and layout.output.data == first


def _page_of(document: Any, name: str) -> int:
    """The page on which the first box of class (or tag) `name` is laid."""

    def boxes(box: Any) -> Iterator[Any]:
        yield box
        for child in getattr(box, "children", ()):
            yield from boxes(child)

    return next(
        number
        for number, page in enumerate(document.pages)
        for box in boxes(page._page_box)
        if box.element is not None
        and (box.element_tag == name or name in (box.element.get("class") or "").split())
    )


def _structure(data: bytes) -> list[tuple[str, str, list[str]]]:
    """Each structure element of a tagged PDF, with its parent's type and its children's, in
    document order (pypdf reading the StructTreeRoot)."""
    found: list[tuple[str, str, list[str]]] = []

    def walk(reference: Any, parent: str) -> None:
        element = reference.get_object()
        if not isinstance(element, dict) or "/S" not in element:
            return
        kids = element.get("/K", [])
        kids = [kid.get_object() for kid in (kids if isinstance(kids, list) else [kids])]
        types = [k["/S"] for k in kids if isinstance(k, dict) and "/S" in k]
        found.append((element["/S"], parent, types))
        for kid in kids:
            walk(kid, element["/S"])

    root = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"]
    for kid in root["/K"] if isinstance(root["/K"], list) else [root["/K"]]:
        walk(kid, "")
    return found


def test_sections_in_two_columns_are_sect_elements_of_the_tagged_pdf(tmp_path: Path) -> None:
    """In two columns (the research sample on A4) a section stays a section, a Sect of the
    tagged PDF holding its H2 (in the Div of its columns box), unless a table in it spans both
    columns: such a table stands between two columns boxes, so that section is unwrapped, its
    id on its heading; so is a section into which a spanning table is carried. Each block of
    the flow is numbered, inside a section or not. The sample's 12-column table, turned on
    the one-column book page, stands upright across both columns: a turned page would break
    the columns' flow (pone.0117688: 39 pages rather than 28)."""
    from markupsafe import Markup

    source = tmp_path / "source"
    shutil.copytree(RESEARCH, source)
    edit(source / "journal.yaml", "{page: 6x9in, columns: 1}", "{page: a4, columns: 2}")
    data = lay_out(source)
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {
        (595, 842)
    }
    assert any("Every run at every site" in text for text in page_texts(data, tmp_path))
    structure = _structure(data)
    in_text = [kids for kind, parent, kids in structure if kind == "/Sect" and parent == "/Div"]
    assert sum("/H2" in kids for kids in in_text) >= 2, structure

    cells = "".join(f"<td>{n}</td>" for n in range(5))
    body = Markup(
        '<section id="a"><h2>A</h2><p>a</p><figure>f</figure></section>'
        '<section id="b"><h2>B</h2><p>b</p><div class="table-wrap">'
        f"<table><tr>{cells}</tr></table></div></section>"
    )
    html = str(pdf.spanned(body))
    assert html.startswith('<section id="a"><h2 data-flow="0">A</h2>'), html
    assert '<h2 id="b" data-flow="3">B</h2>' in html and html.count("<section") == 1, html
    assert 'class="table-wrap span" data-flow="5"' in html, html
    # A section inside a box is the box's: numbered, its blocks would never be laid out as
    # blocks of the flow, and the layout would count them lost (elife-00666's appendix).
    boxed = '<div class="boxed-text"><section><h4>S</h4><p>s</p></section></div><p>t</p>'
    assert str(pdf.spanned(Markup(boxed))).count("data-flow") == 2
    # Carried past a hole into a kept section (elife-00666), the table must still span.
    moved = str(pdf.deferred(Markup(html), {5: 1}))
    assert moved.startswith('<h2 data-flow="0" id="a">A</h2><p data-flow="1">a</p><div'), moved


def _crashing_render(monkeypatch: pytest.MonkeyPatch, at: int) -> list[int]:
    """WeasyPrint's layout raising the IndexError of its column crashes at its `at`-th call
    of a whole page (the others lay out as ever; no spacing trial is made); the calls made,
    as they come."""
    import weasyprint

    from galley.render import spacing

    monkeypatch.setattr(spacing, "evened", lambda body, trial: body)

    real = weasyprint.HTML.render
    calls: list[int] = []

    def crashing(self: object, *args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == at:
            raise IndexError("list index out of range")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(weasyprint.HTML, "render", crashing)
    return calls


def test_a_column_layout_weasyprint_cannot_make_is_printed_in_one_column(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """WeasyPrint's column layout has crashes of its own (an IndexError in
    skip_first_whitespace on a PLOS Medicine article): the article is printed in one
    column, said in a warning, never left without a print edition."""
    _crashing_render(monkeypatch, at=1)
    read = read_project(FRONTMATTER)
    assert read.project is not None
    layout = pdf.render(read.project.articles[0], Templates(), BuildInfo(1700000000), 1)
    (notice,) = layout.notices
    assert notice.code == "pdf.columns" and "printed in one column" in notice.message
    assert "IndexError: list index out of range" in notice.message
    assert pypdf.PdfReader(io.BytesIO(layout.output.data)).pages  # a print edition all the same


def test_a_later_layout_pass_weasyprint_cannot_make_keeps_the_columns_before_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """pone.0117688: floats moved for a further pass made WeasyPrint's columns crash, and the
    whole article fell back to one column (49 pages rather than 28). A pass that fails now
    keeps the two-column layout made before it, with nothing to warn about."""
    calls = _crashing_render(monkeypatch, at=2)
    monkeypatch.setattr(pdf, "carried_floats", lambda document: {0: 1})  # a pass to make
    read = read_project(FRONTMATTER)
    assert read.project is not None
    layout = pdf.render(read.project.articles[0], Templates(), BuildInfo(1700000000), 1)
    assert len(calls) == 2 and layout.notices == ()
    data = layout.output.data
    width = float(pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox.width)
    assert sum(left > width / 2 for left, _ in text_lines(data, tmp_path, 0)) >= 5  # 2 columns
