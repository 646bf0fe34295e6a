"""How full the print pages are: words per page and blank space per page, on real articles.

    python benchmarks/print_density.py                 # the fixed set, table to print_density.md
    python benchmarks/print_density.py --keep DIR      # also keep each PDF (and page PNGs) in DIR
    python benchmarks/print_density.py real/plos/journal.pone.0012262.xml   # some, by name

For each article, in a fresh folder: stand-ins beside the XML for the images it names (as in
benchmarks/corpus.py), `galley import`, then only the print edition laid out from folio 1 by
galley's own PDF renderer (no other format, no validator). Each page is then measured from the
PDF itself:

- words: pypdf's text of the page, less what lies in the top and bottom margins (running head,
  folio), split on white space;
- blank: the page rendered by pdftoppm at a low resolution, its text block cut into a left and
  a right half; in each half, the share of its height in white runs of at least GAP (a gap at
  the foot, a hole under the front matter or around a figure; not the space between
  paragraphs or above a heading), the two halves averaged. A half-empty page shows as 0.5
  whether it has one column or two. The box a figure or a table takes (from the tagged PDF)
  counts as ink: a stand-in image printing nearly white, or a table's empty cells, is no hole;
- lines: pdftotext's word boxes of the body's justified lines: the share whose word spaces
  exceed LOOSE em, and the line-end breaks leaving fewer than SHORT letters on one side.

Targets (issue 27): median words per page (all pages but each article's last, pooled) >= 550;
no page more than 25 % blank except an article's last and a page followed by a page that is
mostly one float (a figure or table too tall to share a page); no break leaving fewer than
three letters. The summary is added to benchmarks/print_density.md, under --label, after the
earlier runs (with names: printed only).
"""

from __future__ import annotations

import argparse
import collections
import itertools
import math
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import SHARED  # noqa: E402
from tests.tools import corpus_stand_ins  # noqa: E402

CORPUS = SHARED / "corpus"
# PLOS (the longest PLOS article, one with many tables, one with eight authors, a short one),
# eLife (many figures; figures and tables), SciELO (Portuguese with tables; figures) and PMC.
ARTICLES = (
    "real/plos/journal.pone.0012262.xml",
    "real/plos/journal.pone.0117688.xml",
    "real/plos/journal.pone.0114370.xml",
    "real/plos/journal.pone.0002554.xml",
    "real/plos/journal.pmed.0020007.xml",
    "real/elife/elife00133.xml",
    "real/elife/elife-00666.xml",
    "real/scielo/0034-8910-rsp-48-2-0284.xml",
    "real/scielo/0034-8910-rsp-48-2-0240.xml",
    "real/pmc/pone.0000217.nxml",
)
WORDS_TARGET = 550
BLANK_LIMIT = 0.25
DPI = 36
INK = 200  # a grey level below this is ink (the stand-in images are 150)
GAP = 0.4  # inches: a white run at least this tall (three lines or more) counts as blank
FLOAT_PAGE = 0.5  # a page whose text block is at least this share one image is a float page


@dataclass
class Page:
    words: int
    blank: float  # share of the text block in tall white runs (mean of the two halves)
    image: float  # share of the text block's height taken by its tallest image


@dataclass
class Lines:
    """How the justified body text is set: its full lines, the loose ones among them, and the
    words broken at a line end leaving fewer than SHORT letters on one side."""

    justified: int = 0
    loose: int = 0
    short: list[str] = field(default_factory=list)  # hyphenated: "ad-/ded"
    at_hyphen: list[str] = field(default_factory=list)  # at the text's own: "destacando-/se"
    lone: list[str] = field(default_factory=list)  # a fragment alone on its line: "met-"


@dataclass
class Measured:
    article: str
    pages: list[Page] = field(default_factory=list)
    lines: Lines | None = None
    error: str = ""

    def exempt(self, index: int) -> bool:
        """The last page, and a page whose next page is mostly one float, may stay short."""
        if index == len(self.pages) - 1:
            return True
        return self.pages[index + 1].image >= FLOAT_PAGE

    @property
    def counted(self) -> list[int]:
        """Words on each page but the last."""
        return [page.words for page in self.pages[:-1]] or [p.words for p in self.pages]

    @property
    def loose(self) -> list[int]:
        """Folios (from 1) of the pages more than BLANK_LIMIT blank that may not be."""
        return [
            i + 1
            for i, page in enumerate(self.pages)
            if page.blank > BLANK_LIMIT and not self.exempt(i)
        ]


def build_pdf(name: str, work: Path) -> tuple[bytes, str]:
    """The article's print edition, laid out by galley's renderer from folio 1, and its text."""
    from galley import cli
    from galley.read import read_project
    from galley.render import BuildInfo, pdf
    from galley.templating import DEFAULT_TEMPLATES, Templates

    original = CORPUS / name
    exports = work / "exports"
    exports.mkdir(parents=True)
    shutil.copy(original, exports / original.name)
    corpus_stand_ins(exports / original.name)
    source = work / "source"
    code = cli.main(["import", str(exports / original.name), "--into", str(source), "-q"])
    if code != 0:
        raise RuntimeError(f"import failed ({code})")
    read = read_project(source)
    if read.project is None or not read.project.articles:
        raise RuntimeError("; ".join(str(d) for d in read.diagnostics[:3]) or "nothing read")
    article = read.project.articles[0]
    layout = pdf.render(article, Templates(DEFAULT_TEMPLATES), BuildInfo(0), 1)
    return layout.output.data, article.body.plain


def measure(data: bytes, scratch: Path) -> list[Page]:
    """Words, blank share and tallest image of each page of a PDF."""
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    path = scratch / "article.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", str(path), str(scratch / "p")],
        check=True,
    )
    images = sorted(scratch.glob("p-*.pgm"))
    rasters = [_read_pgm(p) for p in images]
    top, bottom = _text_block(rasters)
    filled = _filled(reader)
    pages = []
    for number, (page, (width, height, pixels)) in enumerate(
        zip(reader.pages, rasters, strict=True)
    ):
        if (width, height) != rasters[0][:2]:  # a turned page: one wide table, a float page
            pages.append(Page(len(page.extract_text().split()), 0.0, 1.0))
            continue
        page_width, page_height = float(page.mediabox.width), float(page.mediabox.height)
        # What lies above the text block's top or below its foot is a running head or folio.
        low = page_height * (1 - bottom / height)
        high = page_height * (1 - top / height)
        words = _words_between(page, low, high)
        gap = round(GAP * DPI)
        halves = []
        boxes = [
            (
                x0 / page_width * width,
                (page_height - y1) / page_height * height,
                x1 / page_width * width,
                (page_height - y0) / page_height * height,
            )
            for x0, y0, x1, y1 in filled.get(number, [])
        ]
        for left, right in ((0, width // 2), (width // 2, width)):
            covered = {
                y
                for x0, y0, x1, y1 in boxes
                if x0 < right and x1 > left
                for y in range(math.floor(y0), math.ceil(y1) + 1)
            }
            inked = [top - 1]
            inked += [
                y
                for y in range(top, bottom + 1)
                if y in covered or min(pixels[y * width + left : y * width + right]) < INK
            ]
            inked.append(bottom + 1)
            empty = sum(b - a - 1 for a, b in itertools.pairwise(inked) if b - a - 1 >= gap)
            halves.append(empty / max(bottom - top + 1, 1))
        pages.append(
            Page(words, sum(halves) / 2, _image_share(page, page_height, top, bottom, height))
        )
    return pages


def _words_between(page: Any, low: float, high: float) -> int:
    """The words of the page whose baselines lie between `low` and `high` (points)."""
    parts: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = cm[5] + tm[5] * cm[3] if cm[3] else tm[5]
        if low - 2 <= y <= high + 2:
            parts.append(text)

    page.extract_text(visitor_text=visit)
    return len("".join(parts).split())


def _image_share(page: object, page_height: float, top: int, bottom: int, height: int) -> float:
    """The tallest image's height on the page as a share of the text block's."""
    tallest = 0.0

    def visit(operator: bytes, operands: list[object], cm: list[float], tm: list[float]) -> None:
        nonlocal tallest
        if operator == b"Do":
            tallest = max(tallest, abs(cm[3]))

    page.extract_text(visitor_operand_before=visit)  # type: ignore[attr-defined]
    block = (bottom - top) / height * page_height
    return tallest / block if block else 0.0


LOOSE = 0.5  # em: a word space this wide is 2.5 times EB Garamond's own (0.2 em)
SHORT = 3  # letters: a fragment shorter than this, before or after a line-end hyphen, strands
FOLLOW = 120  # lines: how far after a hyphen its word's end is looked for
FULL = 1.0  # points: a line ending this close to its column's right edge is a full line


def measure_lines(data: bytes, text: str, scratch: Path) -> Lines:
    """The body text's justified lines, as pdftotext reads them from the PDF (-bbox-layout):
    lines of the body's size (not headings' caps, captions, tables, notes or references, set
    smaller or in other faces) that reach their column's right edge (not a paragraph's last
    line, nor a heading set ragged). A line is loose when its median word space (WeasyPrint
    stretches each space of a line alike; an inline formula, drawn as paths, leaves one wide
    gap that is no space) exceeds LOOSE em. Every line of the body's size ending in a hyphen
    is checked for a fragment of fewer than SHORT letters before or after the break, told
    apart by the article's `text`: a break of hyphenation, or at a hyphen of the text."""
    from io import BytesIO
    from xml.etree import ElementTree

    from pypdf import PdfReader

    path = scratch / "lines.pdf"
    path.write_bytes(data)
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True
    ).stdout
    tree = ElementTree.fromstring(layout)
    ns = "{http://www.w3.org/1999/xhtml}"
    height_per_em = _height_per_em(PdfReader(BytesIO(data)))
    pages = []  # per page, its lines: (x0, x1, height, [(x0, x1, text)])
    for page in tree.iter(f"{ns}page"):
        lines = []
        for element in page.iter(f"{ns}line"):
            words = [
                (float(w.get("xMin", 0)), float(w.get("xMax", 0)), w.text or "")
                for w in element.iter(f"{ns}word")
            ]
            heights = [
                round(float(w.get("yMax", 0)) - float(w.get("yMin", 0)), 1)
                for w in element.iter(f"{ns}word")
            ]
            if words:
                height = statistics.mode(heights)
                lines.append((words[0][0], words[-1][1], height, words))
        pages.append((float(page.get("width", 0)), lines))
    # The body's size: the largest that a fifth of the words have (references, tables and
    # captions, smaller, may have more words in some articles; titles have far fewer).
    every = collections.Counter(line[2] for _, lines in pages for line in lines for _ in line[3])
    total = sum(every.values())
    body = max((h for h, n in every.items() if n >= total / 5), default=0.0)
    measured = Lines()
    sequence = []  # the body's lines in reading order, for what follows a hyphen
    for width, lines in pages:
        lines = [line for line in lines if abs(line[2] - body) <= 0.2]
        sequence.extend(lines)
        for left in (True, False):
            column = [line for line in lines if (line[0] < width / 2) == left]
            if not column:
                continue
            edge = statistics.mode(round(line[1]) for line in column)
            for _, right, height, words in column:
                if len(words) < 3 or right < edge - FULL:
                    continue
                gaps = [b[0] - a[1] for a, b in itertools.pairwise(words)]
                measured.justified += 1
                if statistics.median(gaps) > LOOSE * height / height_per_em:
                    measured.loose += 1
    vocabulary = set(re.findall(r"\w+", text))
    for index, line in enumerate(sequence):
        if len(line[3]) == 1 and re.fullmatch(r"\w+-", line[3][0][2]):
            measured.lone.append(line[3][0][2])
        head = re.search(r"(\w+)-$", line[3][-1][2])
        if not head:
            continue
        # The word goes on at the next line of the body that completes it: a column or page
        # later, pdftotext's reading order may put other lines of the body's size between.
        for following in sequence[index + 1 : index + 1 + FOLLOW]:
            tail = re.match(r"\w+", following[3][0][2])
            own = bool(tail) and f"{head[1]}-{tail[0] if tail else ''}" in text
            if tail and (own or head[1] + tail[0] in vocabulary):
                if min(len(head[1]), len(tail[0])) < SHORT:
                    found = measured.at_hyphen if own else measured.short
                    found.append(f"{head[1]}-/{tail[0]}")
                break
    return measured


def _height_per_em(reader: Any) -> float:
    """A word's height in pdftotext's boxes per em of its size: the body face's ascent plus
    descent, from its font descriptor (EB Garamond: 1007 + 298 thousandths)."""
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            if str(font.get("/BaseFont", "")).endswith("+EB-Garamond"):
                if "/DescendantFonts" in font:  # a composite font: its one descendant's
                    font = font["/DescendantFonts"][0].get_object()
                descriptor = font["/FontDescriptor"]
                return (float(descriptor["/Ascent"]) - float(descriptor["/Descent"])) / 1000
    raise ValueError("no EB Garamond regular in the PDF")


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points, y from the page's foot
FILLING = ("/Figure", "/Table")


def _filled(reader: Any) -> dict[int, list[Box]]:
    """Per page, the box each figure and table takes: the extent of all it draws, read from
    the tagged PDF (the marked content of its structure element). A stand-in image that prints
    nearly white or a table of sparse cells is no hole; the space beside or under it still is."""
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    owner: dict[tuple[int, int], int] = {}  # (page, MCID) -> the figure or table it belongs to

    def walk(reference: Any, page: int | None, within: int | None) -> None:
        element = reference.get_object()
        if not isinstance(element, dict):
            if isinstance(element, int) and within is not None and page is not None:
                owner[(page, element)] = within
            return
        if "/Pg" in element:
            page = pages.get(element["/Pg"].indirect_reference.idnum, page)
        if element.get("/Type") == "/MCR":
            if within is not None and page is not None:
                owner[(page, int(element["/MCID"]))] = within
            return
        if within is None and element.get("/S") in FILLING:
            within = id(element)
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            walk(kid, page, within)

    root = reader.trailer["/Root"].get("/StructTreeRoot")
    if root is not None:
        walk(root, None, None)
    return {n: _boxes(page, n, owner) for n, page in enumerate(reader.pages)}


def _boxes(page: Any, number: int, owner: dict[tuple[int, int], int]) -> list[Box]:
    """The extent of what each figure or table of `owner` draws on the page."""
    points: dict[int, list[tuple[float, float]]] = {}
    stack: list[int | None] = []  # the figure or table of each marked-content sequence open
    size = 0.0

    def visit(operator: bytes, operands: list[Any], cm: list[float], tm: list[float]) -> None:
        nonlocal size
        if operator == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            mcid = properties.get("/MCID") if isinstance(properties, dict) else None
            stack.append(owner.get((number, int(mcid))) if mcid is not None else None)
        elif operator == b"BMC":
            stack.append(None)
        elif operator == b"EMC" and stack:
            stack.pop()
        elif operator == b"Tf":
            size = float(operands[1])
        within = next((key for key in reversed(stack) if key is not None), None)
        if within is None:
            return

        def at(x: float, y: float) -> tuple[float, float]:
            return cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5]

        drawn: list[tuple[float, float]] = []
        if operator in (b"Tj", b"TJ", b"'", b'"'):
            x, y = at(tm[4], tm[5])
            drawn = [(x, y), (x, y + 0.8 * size * abs(tm[3] * cm[3]))]  # up to its cap height
        elif operator in (b"m", b"l"):
            drawn = [at(float(operands[0]), float(operands[1]))]
        elif operator == b"c":
            values = [float(v) for v in operands]
            drawn = [at(values[i], values[i + 1]) for i in (0, 2, 4)]
        elif operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            drawn = [at(x, y), at(x + w, y + h)]
        elif operator == b"Do":  # an image fills the unit square of its matrix
            drawn = [at(0, 0), at(1, 1)]
        points.setdefault(within, []).extend(drawn)

    page.extract_text(visitor_operand_before=visit)
    return [
        (min(x for x, _ in ps), min(y for _, y in ps), max(x for x, _ in ps), max(y for _, y in ps))
        for ps in points.values()
        if ps
    ]


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    fields = data.split(maxsplit=4)  # P5, width, height, maxval, pixels
    return int(fields[1]), int(fields[2]), fields[4]


def _text_block(rasters: list[tuple[int, int, bytes]]) -> tuple[int, int]:
    """The rows of the text block's top and foot: the first inked row of page 1 (which has no
    running head) and the lowest inked row of the fullest page, from the pages after it
    (which have no folio at the foot) and page 1 above its folio (a two-page article's second
    page may hold a few lines only); for a one-page article without a folio, the page less
    10 % at the foot. Turned pages are left out."""
    rasters = [r for r in rasters if r[:2] == rasters[0][:2]]

    def inked_rows(width: int, height: int, pixels: bytes) -> list[int]:
        return [y for y in range(height) if min(pixels[y * width : (y + 1) * width]) < INK]

    width, height, pixels = rasters[0]
    first = inked_rows(width, height, pixels)
    top = first[0] if first else 0
    lows = [rows[-1] for rows in (inked_rows(*r) for r in rasters[1:]) if rows]
    # Page 1's last run of inked rows is its folio, in the margin: the text ends above it.
    above_folio = [y for y, below in itertools.pairwise(first) if below - y > 1]
    lows += above_folio[-1:]
    bottom = max(lows) if lows else int(height * 0.9)
    return top, bottom


def run(names: list[str], keep: Path | None) -> list[Measured]:
    """Build and measure each article in turn."""
    results = []
    for name in names:
        measured = Measured(name)
        with tempfile.TemporaryDirectory(prefix="galley-density-") as folder:
            work = Path(folder)
            try:
                data, text = build_pdf(name, work)
            except Exception as exc:  # one article's failure is reported, the rest go on
                measured.error = f"{type(exc).__name__}: {exc}"
                results.append(measured)
                print(f"{name}: {measured.error}", file=sys.stderr)
                continue
            scratch = work / "pages"
            scratch.mkdir()
            measured.pages = measure(data, scratch)
            measured.lines = measure_lines(data, text, scratch)
            if keep:
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"{Path(name).stem}.pdf").write_bytes(data)
        results.append(measured)
        print(_row(measured), file=sys.stderr)
    return results


def _row(m: Measured) -> str:
    if m.error:
        return f"| {m.article} | failed: {m.error} | | | | | | | |"
    counted = m.counted
    blanks = [p.blank for p in m.pages[:-1]] or [0.0]
    lines = m.lines or Lines()
    return (
        f"| {m.article} | {len(m.pages)} | {sum(p.words for p in m.pages)} "
        f"| {statistics.median(counted):.0f} | {max(blanks):.0%} "
        f"| {len(m.loose)} | {', '.join(map(str, m.loose)) or '–'} "
        f"| {lines.loose}/{lines.justified} | {', '.join(lines.short) or '–'} "
        f"| {', '.join(lines.at_hyphen) or '–'} |"
    )


def report(results: list[Measured]) -> str:
    """The table per article and the medians, in Markdown."""
    pooled = [w for m in results if not m.error for w in m.counted]
    medians = [statistics.median(m.counted) for m in results if not m.error and m.pages]
    loose = sum(len(m.loose) for m in results)
    median = statistics.median(pooled) if pooled else 0
    lines = [m.lines for m in results if m.lines]
    justified = sum(line.justified for line in lines)
    loose_lines = sum(line.loose for line in lines)
    short = sum(len(line.short) for line in lines)
    at_hyphen = sum(len(line.at_hyphen) for line in lines)
    lone = [fragment for line in lines for fragment in line.lone]
    lines_text = [
        "| article | pages | words | median words/page | most blank (not last) | "
        "pages > 25 % blank | which | loose lines | short fragments | at the text's hyphen |",
        "|---|---:|---:|---:|---:|---:|---|---:|---|---|",
        *(_row(m) for m in results),
        "",
        f"Median words per page, all pages but each article's last, pooled: **{median:.0f}** "
        f"(target >= {WORDS_TARGET}: {'met' if median >= WORDS_TARGET else 'missed'}).",
        f"Median of the articles' medians: {statistics.median(medians) if medians else 0:.0f}.",
        f"Pages more than {BLANK_LIMIT:.0%} blank that are neither an article's last nor before "
        f"a float page: **{loose}** (target 0: {'met' if loose == 0 else 'missed'}).",
        f"Justified lines of the body whose word spaces exceed {LOOSE} em: **{loose_lines}** of "
        f"{justified} (**{loose_lines / max(justified, 1):.1%}**). Line-end breaks leaving fewer "
        f"than {SHORT} letters: **{short}** by hyphenation, {at_hyphen} at a hyphen of the text. "
        f"Fragments alone on a line of the body: **{len(lone)}** {', '.join(lone[:8])}.",
    ]
    return "\n".join(lines_text) + "\n"


TITLE = "# Print density (benchmarks/print_density.py)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="*", help="paths under corpus/ (default: the set)")
    parser.add_argument("--keep", type=Path, help="keep each article's PDF in this folder")
    parser.add_argument("--label", default="", help="a heading for this run in the report")
    args = parser.parse_args()
    names = args.articles or list(ARTICLES)
    text = report(run(names, args.keep))
    print(text)
    if not args.articles:  # a new section after the earlier runs, which stay
        path = ROOT / "benchmarks" / "print_density.md"
        earlier = path.read_text(encoding="utf-8").rstrip() if path.exists() else TITLE
        heading = f"## {args.label or 'Run'}\n\n"
        path.write_text(f"{earlier}\n\n{heading}{text}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
