"""Every output format is one row of `galley.formats.FORMATS`: a format added there, with its
renderer, validator, sniffer and DOI reader in one module (this one), is built, validated,
read back, offered for download and recognised by `galley validate`, with no other change."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import pytest

from galley import formats, languages
from galley.diagnostics import Diagnostic, Severity, Span
from galley.formats import FORMATS, Check, Format
from galley.model import Article
from galley.render import BuildInfo, Output, article_file
from galley.templating import Templates
from tests.conftest import SEED_ARTICLE, SEED_FILES, run_cli

HERE = __name__  # as imported: FORMATS names this very module
CHECKED: list[Path] = []  # every file the toy validator was given


def render(article: Article, templates: Templates, info: BuildInfo) -> Output:
    """A toy edition: the article's identifier and DOI, one per line."""
    text = f"toy edition of {article.id}\ndoi: {article.doi}\n"
    return Output(article_file(article, "toy"), text.encode(), "toy", "text/plain", article.doi)


def sniff(data: bytes) -> bool:
    return data.startswith(b"toy edition of ")


def dois(data: bytes) -> set[str]:
    return set(re.findall(r"^doi: (\S+)$", data.decode(), re.M))


class ToyValidator:
    """Records what it was given; a file without its DOI line is an error."""

    def __init__(self, schema_dir: Path | None = None) -> None:
        self.schema_dir = schema_dir

    def prepare(self) -> None:
        pass

    def check(self, files: Mapping[Path, Output]) -> dict[Path, list[Diagnostic]]:
        CHECKED.extend(files)
        return {
            path: []
            if dois(output.data)
            else [Diagnostic(Severity.ERROR, "validate.note", "no DOI line", Span(path))]
            for path, output in files.items()
        }


TOY = Format(
    "toy",
    "text/plain",
    extension=".toy.txt",
    article=f"{HERE}:render",
    checks=(Check(f"{HERE}:ToyValidator", "validate toy", "the toy checker"),),
    sniff=f"{HERE}:sniff",
    doi=f"{HERE}:dois",
    download=3,
)


@pytest.fixture
def toy_format(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one row (and the word the web page offers it under, in the language table)."""
    monkeypatch.setitem(FORMATS, "toy", TOY)
    table = languages._table()
    english = {**table["en"], "labels": {**table["en"]["labels"], "download-toy": "Toy"}}
    monkeypatch.setattr(languages, "_table", lambda: {**table, "en": english})
    CHECKED.clear()


@pytest.mark.slow
def test_a_format_added_in_one_row_is_built_validated_and_listed(
    toy_format: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "output"
    run = run_cli(capsys, "--output", output, "-j", "1", "-q")
    assert run.code == 0, run.err
    folder = output / SEED_ARTICLE
    toy = folder / "301114ar.toy.txt"
    assert toy.read_bytes() == b"toy edition of 301114ar\ndoi: 10.7202/301114ar\n"
    assert output / SEED_ARTICLE / toy.name in CHECKED  # the build ran its validator
    page = (folder / "301114ar.html").read_text(encoding="utf-8")
    assert '<a href="301114ar.toy.txt">Toy</a>' in page  # offered beside PDF, EPUB, JATS

    CHECKED.clear()
    run = run_cli(capsys, "validate", toy)  # recognised by its sniffer, checked by its row
    assert run.code == 0, run.err
    assert [toy] == CHECKED
    lost = tmp_path / "lost.toy.txt"
    lost.write_bytes(b"toy edition of 301114ar\n")
    run = run_cli(capsys, "validate", lost)
    assert run.code == 1 and "no DOI line" in run.err


def test_every_format_is_checked_or_says_why_not_and_its_callables_exist() -> None:
    """A row naming a renderer, validator, sniffer or reader that does not exist fails here,
    not in a build; a row with no check says why none is needed."""
    for kind, row in FORMATS.items():
        assert row.checks or row.unchecked, kind
        for check in row.checks:
            validator = formats.resolve(check.validator)
            assert callable(getattr(validator, "check", None)), (kind, check)
        for reference in (row.article, row.issue, row.site, row.sniff, row.foreign, row.doi):
            if reference:
                assert callable(formats.resolve(reference)), (kind, reference)
    with pytest.raises(ValueError, match="not declared"):
        Output(PurePosixPath("x.docx"), b"", "docx", "application/octet-stream")


def test_each_file_galley_writes_is_recognised_as_its_own_format(seed_output: Path) -> None:
    """The sniffers `galley validate` uses tell every written format from the others."""
    from galley.validate.detect import kind_of

    written = {kind: seed_output / path for kind, path in SEED_FILES.items()}
    assert set(written) == {kind for kind, row in FORMATS.items() if row.sniff}
    for kind, path in written.items():
        assert kind_of(path.read_bytes()) == kind, path
    assert kind_of(b"<html><body><article>x</article></body></html>") == "html"
    assert kind_of(b"plain text") is None
