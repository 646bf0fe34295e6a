"""Word manuscripts made from the real corpus, imported and checked, as a tester would.

    python benchmarks/docx_corpus.py                       # the 115 articles of corpus/real/
    python benchmarks/docx_corpus.py --limit 10            # the first ten
    python benchmarks/docx_corpus.py elife/elife00005.xml  # some, by name under corpus/real/
    python benchmarks/docx_corpus.py --seconds 300         # each article's bound (default 180)

Each article's JATS becomes a .docx through the bundled pandoc (`pandoc x.xml -f jats -o
x.docx`, through galley.pandoc, bounded and sandboxed), which `galley import` reads into an
empty issue of the bundled sample journal; `galley check` then reads the source. Each article
runs in its own process with a time bound, so a traceback or a hang is that article's and is
counted. The summary: how many imported, the import's refusals and check's errors by code,
and every traceback with its article. Nothing is fixed by hand in between: the errors are
what an editor would be asked to fix (the DOI, which the journal assigns, is a gap `check`
refuses in every article, by design).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REAL = Path("/work/shared/corpus/real")

# One article, in a child process: convert, import, check; what happened, as JSON.
_ONE = """
import contextlib, io, json, re, sys, traceback
from pathlib import Path
from galley import cli, pandoc
xml, work = Path(sys.argv[1]), Path(sys.argv[2])
result = {"article": sys.argv[3], "stage": "convert", "import": [], "check": [], "filled": []}
result["traceback"] = ""
codes = re.compile(r"error\\[([\\w.-]+)\\]")

def run(stage, args):
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = cli.main(args)
    text = said.getvalue()
    result[stage] = codes.findall(text)
    if "Traceback (most recent call last)" in text:
        result["traceback"] = text[text.index("Traceback"):][-2000:]
    return code

try:
    docx = work / (xml.stem + ".docx")
    pandoc.convert_file(xml, "jats", "docx", ("-o", str(docx)))
    result["stage"] = "import"
    issue = work / "source" / "vol-1"
    code = run("import", ["import", str(docx), "--into", str(issue), "--article", "a"])
    result["imported"] = code == 0 and (issue / "a" / "article.md").is_file()
    if result["imported"]:
        result["stage"] = "check"
        run("check", ["check", "--source", str(work / "source"), "--output", str(work / "out")])
        # the editor fills the gaps (the DOI the journal assigns, say): what check says then
        article = issue / "a" / "article.md"
        text = article.read_text(encoding="utf-8")
        text = re.sub(r"^doi: .*$", "doi: 10.7202/123456ar", text, count=1, flags=re.M)
        text = re.sub(r"'FILL IN:(?:[^']|'')*'", "filled", text)
        article.write_text(text, encoding="utf-8")
        run("filled", ["check", "--source", str(work / "source"), "--output", str(work / "out")])
    result["stage"] = "done"
except BaseException:
    result["traceback"] = traceback.format_exc()
print("@@RESULT@@" + json.dumps(result))
"""


def _article(xml: Path, name: str, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="galley-docx-") as scratch:
        work = Path(scratch)
        issue = work / "source" / "vol-1"
        issue.mkdir(parents=True)
        shutil.copy(ROOT / "source" / "journal.yaml", work / "source" / "journal.yaml")
        (issue / "issue.yaml").write_text("volume: 1\nissue: 1\nissued: 2024\n", encoding="utf-8")
        try:
            run = subprocess.run(
                [sys.executable, "-c", _ONE, str(xml), str(work), name],
                capture_output=True,
                text=True,
                timeout=seconds,
                cwd=ROOT,
            )
        except subprocess.TimeoutExpired:
            return {"article": name, "stage": "timeout", "traceback": f"over {seconds:.0f} s"}
        marker = run.stdout.rfind("@@RESULT@@")
        if marker < 0:
            return {"article": name, "stage": "crashed", "traceback": run.stderr[-2000:]}
        result: dict[str, Any] = json.loads(run.stdout[marker + len("@@RESULT@@") :])
        return result


def _codes(result: dict[str, Any], stage: str) -> list[str]:
    codes = result.get(stage) or []
    return [str(code) for code in codes]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="articles by name under corpus/real/")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--seconds", type=float, default=180.0, help="each article's bound")
    args = parser.parse_args(argv)
    paths = [REAL / n for n in args.names] or sorted(
        p for p in REAL.glob("*/*") if p.suffix in (".xml", ".nxml")
    )
    if args.limit:
        paths = paths[: args.limit]
    results = []
    for index, xml in enumerate(paths, 1):
        name = str(xml.relative_to(REAL))
        result = _article(xml, name, args.seconds)
        results.append(result)
        state = "traceback" if result.get("traceback") else result.get("stage")
        print(f"[{index}/{len(paths)}] {name}: {state}", flush=True)
    imported = sum(1 for r in results if r.get("imported"))
    broken = [r for r in results if r.get("traceback")]
    print(
        f"\n{len(results)} article(s): {imported} imported, "
        f"{len(broken)} traceback(s) or timeout(s)"
    )
    for stage, said in (
        ("import", "import refused, by code"),
        ("check", "check errors, by code"),
        ("filled", "check errors once the gaps are filled, by code"),
    ):
        found = Counter(c for r in results for c in _codes(r, stage))
        articles = Counter(c for r in results for c in set(_codes(r, stage)))
        shown = {code: f"{n} in {articles[code]} article(s)" for code, n in found.most_common()}
        print(f"{said}:", shown or "none")
    for result in broken:
        print(f"\n--- {result['article']} ({result.get('stage')})\n{result['traceback']}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
