"""Golden files: what each renderer makes of small sources, compared byte for byte.

The sources are the bundled sample and the roots under tests/roots/ (front and back matter of
a PLOS-like article with a translation; a research article with math, figures and tables).
Each article's JATS, web page and e-book (its text members), and each issue's contents page,
e-book and Crossref deposit are rendered in this process, without layout or validators, and
compared with tests/golden/. A difference fails with a unified diff. After an intended
change, regenerate and review the diff as part of the change (as pandoc and Sphinx do):

    pytest tests/test_golden.py --regen-golden && git diff tests/golden
"""

from __future__ import annotations

import difflib
import io
import zipfile
from pathlib import Path

import pytest

from galley.read import read_project
from galley.render import BuildInfo, Output, article_formats, issue_formats
from galley.templating import Templates
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
SOURCES = {
    "sample": ROOT / "source",
    "frontmatter": ROOT / "tests" / "roots" / "frontmatter" / "source",
    "research": ROOT / "tests" / "roots" / "research" / "source",
    "quarto": ROOT / "tests" / "roots" / "quarto" / "source",
}
EPOCH = 1700000000  # 2023-11-14: fixed, as SOURCE_DATE_EPOCH fixes it in a build
TEXT = (".xml", ".html", ".xhtml", ".opf", ".ncx", ".svg", ".txt")  # the stylesheet is a copy


def rendered(source: Path) -> dict[str, bytes]:
    """Every text file the renderers make of `source`, by its path under the output folder."""
    read = read_project(source)
    assert read.project is not None, [d.format() for d in read.diagnostics]
    templates, info = Templates(), BuildInfo(EPOCH)
    outputs: list[Output] = []
    for article in read.project.articles:
        outputs += [render(article, templates, info) for render in article_formats().values()]
    for contents in read.project.issues:
        outputs += [render(contents, templates, info) for render in issue_formats().values()]
    files: dict[str, bytes] = {}
    for output in outputs:
        if output.path.suffix == ".epub":
            with zipfile.ZipFile(io.BytesIO(output.data)) as book:
                for member in book.namelist():
                    if member.endswith(TEXT):
                        files[f"{output.path}.d/{member}"] = book.read(member)
        else:
            files[str(output.path)] = output.data
    return files


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_renderers_make_the_golden_files(name: str, request: pytest.FixtureRequest) -> None:
    files = rendered(SOURCES[name])
    folder = GOLDEN / name
    if request.config.getoption("--regen-golden"):
        for old in sorted(folder.rglob("*"), reverse=True):
            old.unlink() if old.is_file() else old.rmdir()
        for path, data in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
    golden = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(golden), "files made or missing (--regen-golden to accept)"
    for path, data in files.items():
        if data != golden[path]:
            diff = difflib.unified_diff(
                golden[path].decode().splitlines(),
                data.decode().splitlines(),
                f"golden/{name}/{path}",
                "rendered",
                lineterm="",
            )
            pytest.fail("\n".join(list(diff)[:80]) + "\n(--regen-golden to accept)")
