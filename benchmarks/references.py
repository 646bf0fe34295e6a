"""Benchmark: `check` on one article with a very long bibliography, against bare pandoc.

    python benchmarks/references.py                       # 1,000, 5,000 and 20,000 entries
    python benchmarks/references.py --sizes 1000 --style ieee

For each size it writes the sample article with that many extra CSL entries (all listed by
`nocite: "@*"`) and prints the wall time of `python build.py check` in a new process beside
the time of the one pandoc call galley cannot avoid (citeproc formatting every entry in the
journal's style, the same input), and galley's own share: reading, checking, reporting. The
own share should grow in step with the entries (linear); citeproc's is pandoc's (styles with
given-name disambiguation, APA and Chicago author-date, grow much faster than linearly
there). Never run as a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from galley.read.journal import read_journal  # noqa: E402

ARTICLE = Path("nps-4-1") / "301114ar"


def entry(number: int) -> dict[str, object]:
    return {
        "id": f"extra{number}",
        "type": "article-journal",
        "author": [{"family": f"Author{number}", "given": "A."}],
        "issued": {"date-parts": [[1950 + number % 70]]},
        "title": f"A title number {number}",
        "container-title": "Journal of Things",
        "volume": str(number % 90 + 1),
        "page": f"{number % 500 + 1}-{number % 500 + 9}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--style", default="ieee", help="the journal's csl for the run")
    options = parser.parse_args()
    import pypandoc

    print(
        "| entries | galley check (s) | pandoc citeproc alone (s) | galley's own (s) | per 1,000 |"
    )
    print("|---|---|---|---|---|")
    for size in options.sizes:
        with tempfile.TemporaryDirectory() as scratch:
            source = Path(scratch) / "source"
            shutil.copytree(ROOT / "source", source)
            journal = source / "journal.yaml"
            journal.write_text(
                journal.read_text(encoding="utf-8").replace("csl: apa", f"csl: {options.style}"),
                encoding="utf-8",
            )
            refs = source / ARTICLE / "references.yaml"
            extra = [entry(n) for n in range(size)]
            with refs.open("a", encoding="utf-8") as file:
                file.write(
                    "\n" + "".join(f"- {json.dumps(e, ensure_ascii=False)}\n" for e in extra)
                )
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, str(ROOT / "build.py"), "check", "--source", str(source)],
                capture_output=True,
                cwd=scratch,
                check=False,
            )
            galley = time.perf_counter() - start
            csl = read_journal(journal).csl
            # The fastest way to have pandoc format them: a CSL JSON file (as galley passes
            # entries without Markdown), every entry listed.
            bibliography = Path(scratch) / "extra.json"
            bibliography.write_text(json.dumps(extra), encoding="utf-8")
            document = "---\nnocite: '@*'\n---\n\nText.\n"
            start = time.perf_counter()
            subprocess.run(
                [
                    pypandoc.get_pandoc_path(),
                    "-f",
                    "markdown",
                    "-t",
                    "json",
                    "--citeproc",
                    f"--bibliography={bibliography}",
                    f"--csl={csl}",
                ],
                input=document.encode("utf-8"),
                capture_output=True,
                check=True,
            )
            bare = time.perf_counter() - start
            own = galley - bare
            print(f"| {size:,} | {galley:.1f} | {bare:.1f} | {own:.1f} | {own / size * 1000:.2f} |")


if __name__ == "__main__":
    main()
