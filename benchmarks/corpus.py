"""The corpus harness: every real article galley has, imported, built and compared, as a user would.

    python benchmarks/corpus.py                  # the 118 articles (the 3 corpus + real/)
    python benchmarks/corpus.py -j 2             # two articles at a time
    python benchmarks/corpus.py --sample         # the fixed sample of six (the slow test's)
    python benchmarks/corpus.py plos/journal.pone.0002554.xml   # some, by name under corpus/
    python benchmarks/corpus.py --fresh          # forget stored results

For each article, in a fresh folder: a stand-in beside the XML for each image and file it names
(the corpus holds only XML; an editor adds the real files), `galley import` into a new source
folder, the documented after-import additions to journal.yaml (docs/user/importing-jats.md:
`article-url` and the `crossref:` depositor) and nothing else, then a full build with every
validator, `galley compare` of galley's JATS against the original, the PMC Style
Checker and JATS4R on both, and the print recall (print_recall: galley's words its PDF holds).

Results are kept per article under `benchmarks/.corpus/` with a fingerprint of galley's code
and templates: an interrupted run resumes where it stopped, and any change to galley runs
everything again. The summary goes to `benchmarks/corpus.md` and `benchmarks/corpus.json`
(with --sample or names: printed only). Never run by CI's default test run: one slow test runs
the sample.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import EDITOR_ADDITIONS, SHARED  # noqa: E402 (the tests' own additions)
from tests.tools import corpus_stand_ins  # noqa: E402

CORPUS = SHARED / "corpus"
STORE = ROOT / "benchmarks" / ".corpus"
# One per folder of the corpus, plus two that hold what broke most often (a floats group, a
# title footnote): the slow test's sample.
SAMPLE = (
    "plos-pone.0116752.xml",
    "real/plos/journal.pcbi.0030158.xml",
    "real/elife/elife00240.xml",
    "real/scielo/0034-8910-rsp-48-2-0366.xml",
    "real/pmc/pone.0000217.nxml",
    "real/scielo/artigo-com-traducao-e-pareceres-traduzidos.xml",
)
# What a migration must keep, counted in both files ("bibr targets": distinct references cited).
KEPT = (
    "fig",
    "table-wrap",
    "disp-formula",
    "inline-formula",
    "fn",
    "ref",
    "bibr targets",
    "contrib",
    "aff",
    "kwd",
    "funding-group",
    "award-group",
    "sub-article",
)
RECALL_TARGET = 0.995
# The words of galley's JATS (body and back, formulas aside: print draws them) that its PDF
# holds: WeasyPrint once dropped all after a table spanning both columns (pone.0012262: 97.9 %).
PRINT_TARGET = 0.99
TIMEOUT = 900  # seconds for one article's import and build


@dataclass
class Result:
    """One article's verdict and figures."""

    article: str  # its path under corpus/
    verdict: str = "not run"  # clean, built, build failed, import failed, crashed
    import_code: int | None = None
    build_code: int | None = None
    errors: dict[str, int] = field(default_factory=dict)  # code -> count
    warnings: dict[str, int] = field(default_factory=dict)
    recall: float | None = None  # body, back matter and notes
    translations: dict[str, float] = field(default_factory=dict)  # lang -> recall
    print_recall: float | None = None  # galley's words its PDF holds (PRINT_TARGET)
    lost: dict[str, list[int]] = field(default_factory=dict)  # element -> [original, galley]
    unreported: list[str] = field(default_factory=list)  # lost elements the report never names
    pmc: list[int] = field(default_factory=lambda: [0, 0])  # errors: [original, galley]
    jats4r: list[int] = field(default_factory=lambda: [0, 0])
    pmc_new: list[str] = field(default_factory=list)  # galley's PMC errors the original lacks
    jats4r_new: list[str] = field(default_factory=list)
    tracebacks: int = 0
    missing_words: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # the first errors, as printed
    seconds: float = 0.0
    fingerprint: str = ""

    @property
    def recall_met(self) -> bool:
        shares = [self.recall, *self.translations.values()]
        return all(share is not None and share >= RECALL_TARGET for share in shares)

    def failures(self) -> list[str]:
        """Each target this article misses."""
        missed = []
        if self.tracebacks:
            missed.append("traceback")
        if self.verdict in ("import failed", "crashed"):
            missed.append(self.verdict)
            return missed
        if self.build_code != 0 or self.errors:
            missed.append("build errors")
        if self.build_code == 0 and not self.recall_met:
            missed.append("recall")
        if self.print_recall is not None and self.print_recall < PRINT_TARGET:
            missed.append("print recall")
        if self.unreported:
            missed.append("unreported loss")
        if self.pmc[1] > self.pmc[0]:
            missed.append("PMC errors")
        if self.jats4r[1] > self.jats4r[0]:
            missed.append("JATS4R errors")
        return missed


# --------------------------------------------------------------------------- one article


def fingerprint() -> str:
    """What a stored result depends on: galley's code, templates and language tables."""
    digest = hashlib.sha256()
    files = sorted(
        p
        for folder in (ROOT / "galley", ROOT / "templates")
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def galley(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python build.py ARGS` in a new process, as a user runs it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=TIMEOUT,
        check=False,
    )


def in_process(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python build.py ARGS` run in this process rather than a new one, for the test's
    sample: the validators a build starts stay warm from one article to the next. What
    escapes galley is printed as the traceback a new process would print."""
    import contextlib
    import io
    import traceback

    from galley import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.chdir(cwd):
        try:
            code = cli.main([str(arg) for arg in args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:
            traceback.print_exc()
            code = 1
    return subprocess.CompletedProcess(list(map(str, args)), code, out.getvalue(), err.getvalue())


def _tracebacks(*outputs: str) -> int:
    return sum(text.count("Traceback (most recent call last)") for text in outputs) + sum(
        text.count("a bug in galley") for text in outputs
    )


def run_one(name: str, work: Path, galley: Any = galley) -> Result:
    """Import, complete, build and compare one article (in this process's folder `work`),
    each galley command run by `galley` (a new process, or `in_process`)."""
    result = Result(article=name)
    started = time.perf_counter()
    original = CORPUS / name
    exports = work / "exports"
    exports.mkdir(parents=True)
    shutil.copy(original, exports / original.name)
    corpus_stand_ins(exports / original.name)
    source, output = work / "source", work / "output"
    imported = galley("import", exports / original.name, "--into", source, "-q", cwd=work)
    result.import_code = imported.returncode
    result.tracebacks += _tracebacks(imported.stdout, imported.stderr)
    journals = sorted(source.rglob("journal.yaml"))
    articles = [p.parent for p in source.rglob("article.md")]
    if imported.returncode != 0 or len(journals) != 1 or len(articles) != 1:
        result.verdict = "import failed"
        result.messages = _problems(imported.stderr)[:5]
        result.seconds = time.perf_counter() - started
        return result
    with journals[0].open("a", encoding="utf-8") as file:
        file.write(EDITOR_ADDITIONS)
    built = galley("--source", journals[0].parent, "--output", output, "-j", "1", "-q", cwd=work)
    result.build_code = built.returncode
    result.tracebacks += _tracebacks(built.stdout, built.stderr)
    records = _records(output / "report.json")
    result.errors = dict(Counter(r["check"] for r in records if r["status"] == "error"))
    result.warnings = dict(Counter(r["check"] for r in records if r["status"] == "warning"))
    result.messages = _problems(built.stderr)[:8]
    folder = articles[0]
    jats = output / folder.parent.name / folder.name / f"{folder.name}.xml"
    if jats.exists():
        _measure(result, original, jats, folder / "import-report.md")
        if jats.with_suffix(".pdf").exists() and jats.with_suffix(".html").exists():
            result.print_recall = round(print_recall(jats, jats.with_suffix(".pdf")), 5)
        result.verdict = "clean" if not result.failures() else "built"
    else:
        result.verdict = "build failed"
    result.seconds = time.perf_counter() - started
    return result


def print_recall(jats: Path, pdf: Path) -> float:
    """The share of the words (of four letters or more) of the article that pdftotext finds in
    its PDF, counted with repeats: galley's JATS body and back matter (not a translation's,
    which has its own PDF; formulas aside, which print draws), the reference list as the web
    page sets it (from the same style: a style leaves fields out). A word pdftotext ran
    together with the next at a line end ("ChapmanKolmogorov": it drops a hyphen there, the
    text's own too) or that a link's line break cut is found inside the text run together."""
    from lxml import html

    from galley.importers.jats import read_jats

    root = read_jats(jats).getroot()
    for element in list(root.iter("inline-formula", "disp-formula", "ref-list", "alt-text")):
        element.clear()
    page = html.parse(str(jats.with_suffix(".html"))).getroot()

    def words(text: str) -> Counter[str]:
        return Counter(word.lower() for word in re.findall(r"[^\W\d_]{4,}", text))

    expected: Counter[str] = Counter()
    # The article's own body and back, not a translation's (sub-article): it has its PDF.
    parts = [root.find("body"), root.find("back")]
    for part in [*parts, *page.xpath("//li[starts-with(@id, 'ref-')]")]:
        expected += words(" ".join(part.itertext())) if part is not None else Counter()
    text = subprocess.run(  # -raw: as laid out, a column after the other (pdftotext's own
        ["pdftotext", "-raw", str(pdf), "-"],  # order mixed lines of two reference columns)
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = words(text)
    joined = re.sub(r"-?\n|\u2060", "", text.lower())
    kept = sum(
        min(count, max(found[word], joined.count(word) if found[word] < count else 0))
        for word, count in expected.items()
    )
    return kept / sum(expected.values()) if expected else 1.0


def _records(report: Path) -> list[dict[str, Any]]:
    if not report.exists():
        return []
    records: list[dict[str, Any]] = json.loads(report.read_text("utf-8"))["results"]
    return records


def _problems(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.search(r"\berror\[|Traceback", line)]


def _measure(result: Result, original: Path, jats: Path, import_report: Path) -> None:
    """Words, counts, PMC Style Checker and JATS4R: galley's JATS against the original."""
    from galley.compare import citations, compare, counts
    from galley.importers.jats import read_jats

    comparison = compare(original, jats)
    result.recall = round(comparison.word_share, 5)
    result.missing_words = comparison.missing[:20] + [
        f"{lang}:{word}"
        for lang, found in comparison.translations.items()
        for word in found.missing[:20]
    ]
    result.translations = {
        lang: round(found.found / found.original, 5) if found.original else 1.0
        for lang, found in comparison.translations.items()
    }
    theirs, ours = read_jats(original).getroot(), read_jats(jats).getroot()
    first, second = _kept(counts(theirs), citations(theirs)), _kept(counts(ours), citations(ours))
    said = import_report.read_text("utf-8") if import_report.exists() else ""
    for key in KEPT:
        if second[key] < first[key]:
            result.lost[key] = [first[key], second[key]]
            if not _named(key, said):
                result.unreported.append(key)
    pmc_theirs, pmc_ours = pmc_errors(original), pmc_errors(jats)
    result.pmc = [len(pmc_theirs), len(pmc_ours)]
    result.pmc_new = sorted(set(pmc_ours) - set(pmc_theirs))[:10]
    j4_theirs, j4_ours = jats4r_errors(original), jats4r_errors(jats)
    result.jats4r = [len(j4_theirs), len(j4_ours)]
    result.jats4r_new = sorted(set(j4_ours) - set(j4_theirs))[:10]


def _kept(found: dict[str, int], cited: Counter[str]) -> dict[str, int]:
    subs = sum(value for key, value in found.items() if key.startswith("sub-article["))
    kept = {key: found.get(key, 0) for key in KEPT}
    kept.update({"sub-article": subs, "bibr targets": len(cited)})
    return kept


def _named(key: str, said: str) -> bool:
    """Whether the import report names this kind of element (why it was not carried)."""
    tags = {"bibr targets": ("ref", "xref"), "funding-group": ("funding",), "award-group": ()}
    names = tags.get(key, (key,))
    if key == "award-group":
        names = ("award-group", "funding-source", "award-id")
    return any(f"<{name}" in said for name in names)


def pmc_errors(path: Path) -> list[str]:
    """The PMC Style Checker's errors for a JATS file (its message, once per occurrence)."""

    from galley.importers.jats import read_jats

    report = _stylechecker()(read_jats(path)).getroot()
    return [" ".join("".join(e.itertext()).split())[:160] for e in report.iter("error")]


_STYLECHECKER: Any = None


def _stylechecker() -> Any:
    global _STYLECHECKER
    if _STYLECHECKER is None:
        from lxml import etree

        from galley.schemas import search_path

        for folder in search_path():
            xsl = folder / "pmc-stylechecker" / "xsl" / "nlm-stylechecker.xsl"
            if xsl.exists():
                _STYLECHECKER = etree.XSLT(etree.parse(str(xsl)))
                break
        else:
            raise SystemExit("the PMC Style Checker was not found in the schemas folder")
    return _STYLECHECKER


def jats4r_errors(path: Path) -> list[str]:
    """JATS4R's errors for a JATS file, as `rule: message`."""
    from galley.diagnostics import Severity
    from galley.validate.jats4r import Jats4rValidator

    found = Jats4rValidator().validate(path.read_bytes(), path)
    return [f"{d.code}: {d.message[:120]}" for d in found if d.severity == Severity.ERROR]


# --------------------------------------------------------------------------- the run


def articles(names: Iterable[str] = ()) -> list[str]:
    """Paths under corpus/ of the articles asked for (default: every one)."""
    chosen = list(names)
    if chosen:
        return [name if (CORPUS / name).exists() else f"real/{name}" for name in chosen]
    top = sorted(p.name for p in CORPUS.glob("*.xml"))
    real = sorted(
        str(p.relative_to(CORPUS))
        for p in (CORPUS / "real").rglob("*")
        if p.suffix in (".xml", ".nxml")
    )
    return top + real


def _stored(name: str) -> Path:
    return STORE / (re.sub(r"[^A-Za-z0-9._-]+", "_", name) + ".json")


def run_in_child(name: str, stamp: str) -> Result:
    """One article in a process of its own (a crash or a hang costs that article only)."""
    with tempfile.TemporaryDirectory(prefix="galley-corpus-") as scratch:
        try:
            process = subprocess.run(
                [sys.executable, __file__, "--child", name, scratch],
                capture_output=True,
                text=True,
                timeout=TIMEOUT * 2,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Result(article=name, verdict="crashed", messages=["timed out"])
    lines = process.stdout.strip().splitlines()
    if process.returncode != 0 or not lines:
        tail = process.stderr.strip().splitlines()[-5:]
        return Result(article=name, verdict="crashed", messages=tail, tracebacks=1)
    result = Result(**json.loads(lines[-1]))
    result.fingerprint = stamp
    return result


def run(names: list[str], jobs: int, fresh: bool) -> list[Result]:
    from rich.progress import Progress

    stamp = fingerprint()
    STORE.mkdir(parents=True, exist_ok=True)
    results: dict[str, Result] = {}
    todo = []
    for name in names:
        stored = _stored(name)
        if not fresh and stored.exists():
            kept = Result(**json.loads(stored.read_text("utf-8")))
            if kept.fingerprint == stamp:
                results[name] = kept
                continue
        todo.append(name)
    with Progress(transient=False) as progress:
        task = progress.add_task(f"{len(todo)} to run", total=len(names))
        progress.update(task, completed=len(results))
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(run_in_child, name, stamp): name for name in todo}
            for future in as_completed(futures):
                result = future.result()
                results[result.article] = result
                _stored(result.article).write_text(json.dumps(asdict(result)), "utf-8")
                mark = "ok" if result.verdict == "clean" else ", ".join(result.failures())
                progress.console.print(f"{result.article}: {result.verdict} ({mark})")
                progress.advance(task)
    return [results[name] for name in names]


# --------------------------------------------------------------------------- the summary


def summary(results: list[Result]) -> dict[str, Any]:
    built = [r for r in results if r.build_code == 0]
    recalls = [r.recall for r in results if r.recall is not None]
    printed = [r.print_recall for r in results if r.print_recall is not None]
    errors: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    unreported: Counter[str] = Counter()
    for r in results:
        errors.update(r.errors)
        warnings.update(r.warnings)
        lost.update(r.lost.keys())
        unreported.update(r.unreported)
    return {
        "articles": len(results),
        "imported": sum(r.import_code == 0 for r in results),
        "built with 0 errors": len(built),
        "clean (every target met)": sum(r.verdict == "clean" for r in results),
        "recall >= 99.5 % (every text)": sum(r.recall_met for r in results),
        "lowest recall": min(recalls) if recalls else None,
        "median recall": sorted(recalls)[len(recalls) // 2] if recalls else None,
        f"print recall >= {PRINT_TARGET:.0%}": sum(
            r.print_recall is not None and r.print_recall >= PRINT_TARGET for r in results
        ),
        "lowest print recall": min(printed) if printed else None,
        "articles losing an element": sum(bool(r.lost) for r in results),
        "articles losing one unreported": sum(bool(r.unreported) for r in results),
        "PMC errors > original's": sum(r.pmc[1] > r.pmc[0] for r in results),
        "JATS4R errors > original's": sum(r.jats4r[1] > r.jats4r[0] for r in results),
        "PMC errors (galley / originals)": [
            sum(r.pmc[1] for r in results),
            sum(r.pmc[0] for r in results),
        ],
        "JATS4R errors (galley / originals)": [
            sum(r.jats4r[1] for r in results),
            sum(r.jats4r[0] for r in results),
        ],
        "tracebacks": sum(r.tracebacks for r in results),
        "seconds": round(sum(r.seconds for r in results)),
        "error codes (articles)": dict(
            Counter(code for r in results for code in r.errors).most_common()
        ),
        "warning codes (count)": dict(warnings.most_common()),
        "elements lost (articles)": dict(lost.most_common()),
        "elements lost unreported (articles)": dict(unreported.most_common()),
    }


def markdown(results: list[Result], totals: dict[str, Any]) -> str:
    lines = [
        "# Corpus harness",
        "",
        "`python benchmarks/corpus.py` (see its docstring). Each article: import, the README's",
        "after-import additions, a full build with every validator, compare, PMC Style Checker",
        "and JATS4R on the original and on galley's JATS.",
        "",
        "## Summary",
        "",
        "| measure | value |",
        "|---|---|",
    ]
    for key, value in totals.items():
        if isinstance(value, dict):
            shown = ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
        elif isinstance(value, float):
            shown = f"{value:.2%}"
        else:
            shown = str(value)
        lines.append(f"| {key} | {shown} |")
    lines += [
        "",
        "## Articles",
        "",
        "| article | verdict | missed | errors | warnings | recall | translations | print | "
        "lost (original→galley) | PMC errors | JATS4R errors | s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lost = ", ".join(
            f"{key} {a}→{b}" + ("" if key not in r.unreported else " (unreported)")
            for key, (a, b) in r.lost.items()
        )
        trans = ", ".join(f"{lang} {share:.2%}" for lang, share in r.translations.items())
        errors = ", ".join(f"{code} x{n}" for code, n in r.errors.items())
        lines.append(
            f"| {r.article} | {r.verdict} | {', '.join(r.failures())} | {errors} | "
            f"{sum(r.warnings.values())} | "
            f"{'' if r.recall is None else f'{r.recall:.2%}'} | {trans} | "
            f"{'' if r.print_recall is None else f'{r.print_recall:.2%}'} | {lost} | "
            f"{r.pmc[0]}→{r.pmc[1]} | {r.jats4r[0]}→{r.jats4r[1]} | {r.seconds:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(asdict(run_one(sys.argv[2], Path(sys.argv[3])))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="articles by path under corpus/ (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    parser.add_argument("--sample", action="store_true", help="the fixed sample of six")
    parser.add_argument("--fresh", action="store_true", help="forget stored results")
    options = parser.parse_args()
    names = articles(SAMPLE if options.sample else options.names)
    results = run(names, options.jobs, options.fresh)
    totals = summary(results)
    if not options.sample and not options.names:
        (ROOT / "benchmarks" / "corpus.json").write_text(
            json.dumps({"summary": totals, "articles": [asdict(r) for r in results]}, indent=1)
            + "\n",
            "utf-8",
        )
        (ROOT / "benchmarks" / "corpus.md").write_text(markdown(results, totals), "utf-8")
    for key, value in totals.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
