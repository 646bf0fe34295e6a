"""Benchmark: `galley serve`, from an edit saved to the verdict shown in the page.

    python benchmarks/serve.py              # an issue of two articles, three edits
    python benchmarks/serve.py --articles 4 --edits 5

`galley serve` runs as a user starts it (a new process, on 127.0.0.1), on a copy of the sample
issue holding N copies of the seed article. After its first build, one article is edited
(a word of its title) again and again; each time the script measures, from the moment the file
is saved, the reload with the edited page rendered from memory and the build's verdict (the
`report` event) that follows. For comparison it times `galley` building the same edit as a
whole journal (a new process, unchanged articles reused): what every edit cost before serve
built only the edited article. Never run as a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.tools import issue_of_copies  # noqa: E402 (the tests' own sample-maker)


def events(base: str) -> Iterator[str]:
    """The names of the server-sent events, as they come."""
    with urllib.request.urlopen(f"{base}_galley/events", timeout=600) as stream:
        for raw in stream:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                yield line[7:]


def edit(article: Path, index: int) -> None:
    text = (article / "article.md").read_text("utf-8")
    text = re.sub(r'title: "\(\d+\)( \(edit \d+\))?', f'title: "(1) (edit {index})', text, count=1)
    (article / "article.md").write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2)
    parser.add_argument("--edits", type=int, default=3)
    options = parser.parse_args()
    os.environ.setdefault("GALLEY_SCHEMAS", str(ROOT.parent / "shared" / "schemas"))
    print(f"machine: {os.cpu_count()} cores; {options.articles} articles in the issue")
    with tempfile.TemporaryDirectory() as scratch:
        source, output = Path(scratch) / "source", Path(scratch) / "out"
        shutil.copytree(ROOT / "source", source)
        articles = issue_of_copies(source, options.articles)
        command = [sys.executable, "build.py", "serve", "--port", "0", "-q"]
        server = subprocess.Popen(
            [*command, "--source", str(source), "--output", str(output)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            base = re.search(r"(http://127\.0\.0\.1:\d+/)", server.stdout.readline())
            assert base, "serve did not start"
            stream = events(base.group(1))
            started = time.perf_counter()
            next(e for e in stream if e == "report")
            next(e for e in stream if e == "reload")  # the first build's
            first = time.perf_counter() - started
            print(f"  first build (whole journal), start to verdict: {first:6.1f} s")
            previews, verdicts = [], []
            for index in range(1, options.edits + 1):
                time.sleep(1.0)  # the watcher's debounce: one edit at a time
                saved = time.perf_counter()
                edit(articles[0], index)
                next(e for e in stream if e == "reload")  # the page, rendered from memory
                previews.append(time.perf_counter() - saved)
                next(e for e in stream if e == "report")  # the build's verdict
                verdicts.append(time.perf_counter() - saved)
                next(e for e in stream if e == "reload")  # the validated files
        finally:
            server.terminate()
            server.wait(timeout=60)
        shown, verdict = statistics.median(previews), statistics.median(verdicts)
        print(f"  edit -> edited page shown (median of {len(previews)}): {shown:6.1f} s")
        print(f"  edit -> verdict, serve (median of {len(verdicts)}):    {verdict:6.1f} s")
        edit(articles[0], options.edits + 1)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "build.py", "-q", "--source", str(source), "--output", str(output)],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        whole = time.perf_counter() - started
        print(f"  the same edit, whole journal (`galley`, new process): {whole:6.1f} s")
        target = 5.0
        met = "met" if verdict <= target else "NOT met"
        print(f"  target: edit -> verdict <= {target:.0f} s, {options.articles} articles: {met}")


if __name__ == "__main__":
    main()
