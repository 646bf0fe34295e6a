"""How many articles end on a page of a few lines, and how many the fitting brings back.

    python benchmarks/last_pages.py                          # every article of corpus/real/
    python benchmarks/last_pages.py real/plos/journal.pmed.0020124.xml   # some, by name

For each article, as in benchmarks/print_density.py (stand-ins beside the XML, `galley
import`, galley's own print renderer from folio 1, no other format): the print edition laid
out twice, with the fitting of a short last page off (`pdf.SHORT_LAST` 0) and on. Printed
per article: pages, and the words on the last page as a share of the page before it, in
each layout; then how many articles end on a short page (less than `pdf.SHORT_LAST` of the
page before it) and how many of those the fitting made a page shorter. Nothing is written.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.print_density import CORPUS, build_pdf  # noqa: E402


def pages(name: str, short_last: float) -> list[int]:
    """The words on each page of the article's print edition, with the fitting threshold
    `short_last` (0: no fitting)."""
    from pypdf import PdfReader

    from galley.render import pdf

    kept = pdf.SHORT_LAST
    pdf.SHORT_LAST = short_last
    try:
        with (
            tempfile.TemporaryDirectory(prefix="galley-last-") as folder,
            contextlib.redirect_stdout(sys.stderr),  # the import's verdict: not the table's
        ):
            data, _ = build_pdf(name, Path(folder))
    finally:
        pdf.SHORT_LAST = kept
    return [len(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def _share(words: list[int]) -> float:
    return words[-1] / max(words[-2], 1) if len(words) > 1 else 1.0


def main() -> int:
    from galley.render import pdf

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", nargs="*", help="paths under corpus/ (default: real/)")
    args = parser.parse_args()
    names = args.articles or sorted(
        str(p.relative_to(CORPUS)) for p in (CORPUS / "real").glob("*/*") if "xml" in p.suffix
    )
    short = saved = before_total = after_total = 0
    print("| article | pages | last page | fitted: pages | last page |")
    print("|---|---:|---:|---:|---:|")
    for name in names:
        try:
            before, after = pages(name, 0.0), pages(name, pdf.SHORT_LAST)
        except Exception as exc:  # one article's failure is reported, the rest go on
            print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        before_total, after_total = before_total + len(before), after_total + len(after)
        if _share(before) < pdf.SHORT_LAST:
            short += 1
            saved += len(after) < len(before)
        print(
            f"| {name} | {len(before)} | {_share(before):.0%} | {len(after)} | "
            f"{_share(after):.0%} |",
            flush=True,
        )
    print(
        f"\n{len(names)} articles, {before_total} pages; {short} end on a page holding less "
        f"than {pdf.SHORT_LAST:.0%} of the page before it, {saved} of them a page shorter "
        f"fitted; {after_total} pages in all fitted."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
