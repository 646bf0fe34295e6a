"""Shared fixtures: the workplace's shared folder, a built seed, and scratch copies of source/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from galley import cli

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
SEED_ARTICLE = Path("nps-4-1") / "301114ar"
# The sample's files of each format that carries its DOI, under the output folder.
SEED_FILES = {
    "jats": SEED_ARTICLE / "301114ar.xml",
    "html": SEED_ARTICLE / "301114ar.html",
    "epub": SEED_ARTICLE / "301114ar.epub",
    "pdf": SEED_ARTICLE / "301114ar.pdf",
    "crossref": SEED_ARTICLE.parent / "nps-4-1.crossref.xml",
}


def _shared() -> Path:
    """../shared beside the checkout (CI), or the workplace's copy for a clone made elsewhere."""
    candidates = [Path(os.environ["GALLEY_SHARED"])] if os.environ.get("GALLEY_SHARED") else []
    candidates += [ROOT.parent / "shared", Path("/work/shared")]
    for candidate in candidates:
        if (candidate / "schemas").is_dir() and (candidate / "seed").is_dir():
            return candidate
    raise RuntimeError(
        "the shared folder (schemas and seed) was not found beside the checkout; "
        "set GALLEY_SHARED to it"
    )


SHARED = _shared()
SCHEMAS = SHARED / "schemas"
os.environ.setdefault("GALLEY_SCHEMAS", str(SCHEMAS))


@pytest.fixture(scope="session", autouse=True)
def _warm_nu() -> None:
    """Builds run in the test process check their pages with Nu's web service, started by
    the first of them in each worker and kept, as `serve` does, rather than a JVM per build:
    the same verdicts (test_warm_validators proves it), seconds less per build. A build in a
    process of its own (the command line, the wheel, the corpus harness) uses Nu's command
    line."""
    from galley.validate import html

    html.keep_running(at_once=False)


@pytest.fixture(scope="session")
def seed_text() -> str:
    (path,) = sorted((SHARED / "seed").glob("*.txt"))
    return path.read_text(encoding="utf-8")


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Run:
    """Run the command line in-process, as `python build.py ARGS` would."""
    code = cli.main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


@pytest.fixture(scope="session")
def seed_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real source/ built once into a scratch output folder."""
    output = tmp_path_factory.mktemp("output")
    code = cli.main(["--output", str(output), "-q"])
    assert code == 0, "building the bundled sample failed"
    return output


@pytest.fixture
def source_copy(tmp_path: Path) -> Iterator[Path]:
    """A scratch copy of source/ that a test may break."""
    copy = tmp_path / "source"
    shutil.copytree(SOURCE, copy)
    yield copy


# --------------------------------------------------------------------------- the corpus

CORPUS = SHARED / "corpus"
PLOS, ELIFE, SCIELO = "plos-pone.0116752", "elife-kitchen-sink", "scielo-S1984-92302025000100304"
# Each corpus file's journal folder (a folder of several journals' files imports into one
# source folder per journal) and its article folder there.
ARTICLES = {
    PLOS: ("plos", "vol10-1/e0116752"),
    ELIFE: ("elife", "vol3/e00013"),
    SCIELO: ("osoc", "vol32-111/ev32n0005EN"),
}
# What the editor adds after an import: the JATS files do not say them.
EDITOR_ADDITIONS = """
article-url: https://journal.example.org/{article}?lang={lang}
crossref:
  depositor: Galley Test Press
  email: production@example.org
  registrant: Galley Test Press
"""


def import_files(files: list[Path], into: Path) -> int:
    """`python build.py import FILES --into INTO -q`."""
    return cli.main(["import", *map(str, files), "--into", str(into), "-q"])


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus files with a stand-in for every figure and supplementary file beside them,
    as a journal's export folder holds them."""
    from tests.tools import corpus_stand_ins  # tools imports this module

    folder = tmp_path_factory.mktemp("corpus")
    for xml in sorted(CORPUS.glob("*.xml")):
        shutil.copy(xml, folder / xml.name)
        corpus_stand_ins(folder / xml.name)
    return folder


@pytest.fixture(scope="session")
def imported(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus folder imported at once, then completed as an editor would."""
    into = tmp_path_factory.mktemp("imported") / "source"
    assert import_files([corpus], into) == 0
    for journal, _ in ARTICLES.values():
        with (into / journal / "journal.yaml").open("a", encoding="utf-8") as file:
            file.write(EDITOR_ADDITIONS)
    return into


@pytest.fixture(scope="session")
def round_trips(imported: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each imported journal built: the JATS galley wrote for each corpus article."""
    out = tmp_path_factory.mktemp("round-trip")
    written = {}
    for name, (journal, article) in ARTICLES.items():
        code = cli.main(["--source", str(imported / journal), "--output", str(out / journal), "-q"])
        assert code == 0, f"the imported {name} must build"
        folder = out / journal / article
        written[name] = folder / f"{folder.name}.xml"
    return written


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite tests/golden/ from what the renderers make now (review with git diff)",
    )


# The tiers. A test that needs a whole build (every validator: two JVMs, a browser, the print
# layout) is slow, whether it shares a session's build through one of these fixtures or makes
# its own (those carry @pytest.mark.slow). `pytest -m "not slow"` is the fast tier: golden
# files, unit tests, the reader's, the checks' and the importers' behaviour.
WHOLE_BUILDS = {
    "seed_output",  # the bundled sample, built once
    "round_trips",  # the corpus imported and built
    "manuscripts",  # the corpus as Word manuscripts, imported
    "built",  # a module's root built (research content, Word manuscripts)
    "output",  # the front-matter root built
    "full_jats",  # the full-metadata article built
    "harmless",  # every output of a harmless article, beside the hostile ones
    "deposited",  # the sample built with its deposit packages
}


# The files whose tests take longest (pytest --durations): given to the workers first, so
# that the run does not end with one worker on a long file while the others wait.
LONGEST_FIRST = (
    "test_wheel.py",
    "test_import.py",
    "test_scale.py",
    "test_corpus_sample.py",
    "test_reproducible.py",
    "test_robustness.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if WHOLE_BUILDS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
