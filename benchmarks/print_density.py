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
  whether it has one column or two.

Targets (issue 27): median words per page (all pages but each article's last, pooled) >= 550;
no page more than 25 % blank except an article's last and a page followed by a page that is
mostly one float (a figure or table too tall to share a page). The summary goes to
benchmarks/print_density.md (with names: printed only).
"""

from __future__ import annotations

import argparse
import itertools
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
class Measured:
    article: str
    pages: list[Page] = field(default_factory=list)
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


def build_pdf(name: str, work: Path) -> bytes:
    """The article's print edition, laid out by galley's renderer from folio 1."""
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
    return pdf.render(article, Templates(DEFAULT_TEMPLATES), BuildInfo(0), 1).output.data


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
    pages = []
    for page, (width, height, pixels) in zip(reader.pages, rasters, strict=True):
        if (width, height) != rasters[0][:2]:  # a turned page: one wide table, a float page
            pages.append(Page(len(page.extract_text().split()), 0.0, 1.0))
            continue
        page_height = float(page.mediabox.height)
        # What lies above the text block's top or below its foot is a running head or folio.
        low = page_height * (1 - bottom / height)
        high = page_height * (1 - top / height)
        words = _words_between(page, low, high)
        gap = round(GAP * DPI)
        halves = []
        for left, right in ((0, width // 2), (width // 2, width)):
            inked = [top - 1]
            inked += [
                y
                for y in range(top, bottom + 1)
                if min(pixels[y * width + left : y * width + right]) < INK
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


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    fields = data.split(maxsplit=4)  # P5, width, height, maxval, pixels
    return int(fields[1]), int(fields[2]), fields[4]


def _text_block(rasters: list[tuple[int, int, bytes]]) -> tuple[int, int]:
    """The rows of the text block's top and foot: the first inked row of page 1 (which has no
    running head) and the lowest inked row of the fullest page after it (which have no folio
    at the foot); for a one-page article, the page less 10 % at the foot. Turned pages are
    left out."""
    rasters = [r for r in rasters if r[:2] == rasters[0][:2]]

    def inked_rows(width: int, height: int, pixels: bytes) -> list[int]:
        return [y for y in range(height) if min(pixels[y * width : (y + 1) * width]) < INK]

    width, height, pixels = rasters[0]
    first = inked_rows(width, height, pixels)
    top = first[0] if first else 0
    lows = [rows[-1] for rows in (inked_rows(*r) for r in rasters[1:]) if rows]
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
                data = build_pdf(name, work)
            except Exception as exc:  # one article's failure is reported, the rest go on
                measured.error = f"{type(exc).__name__}: {exc}"
                results.append(measured)
                print(f"{name}: {measured.error}", file=sys.stderr)
                continue
            scratch = work / "pages"
            scratch.mkdir()
            measured.pages = measure(data, scratch)
            if keep:
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"{Path(name).stem}.pdf").write_bytes(data)
        results.append(measured)
        print(_row(measured), file=sys.stderr)
    return results


def _row(m: Measured) -> str:
    if m.error:
        return f"| {m.article} | failed: {m.error} | | | | | |"
    counted = m.counted
    blanks = [p.blank for p in m.pages[:-1]] or [0.0]
    return (
        f"| {m.article} | {len(m.pages)} | {sum(p.words for p in m.pages)} "
        f"| {statistics.median(counted):.0f} | {max(blanks):.0%} "
        f"| {len(m.loose)} | {', '.join(map(str, m.loose)) or '–'} |"
    )


def report(results: list[Measured]) -> str:
    """The table per article and the medians, in Markdown."""
    pooled = [w for m in results if not m.error for w in m.counted]
    medians = [statistics.median(m.counted) for m in results if not m.error and m.pages]
    loose = sum(len(m.loose) for m in results)
    median = statistics.median(pooled) if pooled else 0
    lines = [
        "| article | pages | words | median words/page | most blank (not last) | "
        "pages > 25 % blank | which |",
        "|---|---:|---:|---:|---:|---:|---|",
        *(_row(m) for m in results),
        "",
        f"Median words per page, all pages but each article's last, pooled: **{median:.0f}** "
        f"(target >= {WORDS_TARGET}: {'met' if median >= WORDS_TARGET else 'missed'}).",
        f"Median of the articles' medians: {statistics.median(medians) if medians else 0:.0f}.",
        f"Pages more than {BLANK_LIMIT:.0%} blank that are neither an article's last nor before "
        f"a float page: **{loose}** (target 0: {'met' if loose == 0 else 'missed'}).",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="*", help="paths under corpus/ (default: the set)")
    parser.add_argument("--keep", type=Path, help="keep each article's PDF in this folder")
    parser.add_argument("--label", default="", help="a heading for this run in the report")
    args = parser.parse_args()
    names = args.articles or list(ARTICLES)
    text = report(run(names, args.keep))
    print(text)
    if not args.articles:
        heading = f"## {args.label}\n\n" if args.label else ""
        (ROOT / "benchmarks" / "print_density.md").write_text(
            "# Print density (benchmarks/print_density.py)\n\n" + heading + text, encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
