"""What galley publishes says exactly what the source says: Quarto's forms read as Quarto
reads them, nothing dropped silently, a translation cited with the original's numbers.

Most cases use tests/roots/quarto: a bilingual article (English, Brazilian Portuguese) in
Quarto's syntax, in a numeric style (NLM), with funding given as Quarto's list of entries.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from galley.ast import stringify
from galley.model import Article, PersonName
from galley.read import read_project
from tests.conftest import ROOT, run_cli
from tests.tools import edit, line_of

QUARTO = ROOT / "tests" / "roots" / "quarto" / "source"
ARTICLE = Path("v3n2") / "silva"


@pytest.fixture
def quarto(tmp_path: Path) -> Path:
    """A scratch copy of the Quarto root that a test may change."""
    copy = tmp_path / "source"
    shutil.copytree(QUARTO, copy)
    return copy


def _article(source: Path = QUARTO) -> Article:
    read = read_project(source)
    assert read.project is not None, [d.format() for d in read.diagnostics]
    (article,) = read.project.articles
    return article


def test_a_translation_cites_each_reference_with_the_originals_number() -> None:
    """The Portuguese text cites in another order than the English; in a numeric style it
    keeps the original's numbers and reference list all the same."""
    article = _article()
    (translation,) = article.translations
    numbers = {reference.id: reference.label for reference in article.references}
    assert numbers == {"costa2015": "1", "almeida2019": "2", "barros2021": "3", "dias2023": "4"}
    assert [(r.id, r.label) for r in translation.references] == [
        (r.id, r.label) for r in article.references
    ]
    text = stringify(translation.body.nodes)
    # dias2023 is cited first in Portuguese, yet stays 4; costa2015 cited last stays 1
    assert "Os balanços recentes concordam (4)" in text
    assert "A vazão caiu (2,3)" in text and "desde 1990 (1)" in text


def test_a_translation_named_for_its_language_may_give_its_region() -> None:
    """article.pt.md saying `lang: pt-BR` is the Brazilian Portuguese edition; its files keep
    the name the file gives."""
    (translation,) = _article().translations
    assert translation.lang == "pt-BR"
    assert translation.id == "silva.pt"


def test_a_translation_naming_another_language_says_which_rename_fixes_it(
    quarto: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = quarto / ARTICLE / "article.pt.md"
    edit(file, "lang: pt-BR", "lang: es")
    run = run_cli(capsys, "check", "--source", quarto, "--output", tmp_path / "out")
    assert run.code == 1
    where = f"article.pt.md:{line_of(file, 'lang: es')}"
    assert f"{where}:1: error[translation.lang]: this file is named for 'pt'" in run.err
    assert "rename the file article.es.md (or article.es.md)" not in run.err
    assert "rename the file article.es.md" in run.err


def test_quartos_list_of_funding_entries_is_read_as_quarto_reads_it() -> None:
    """Statements joined, every award kept; `source: {ref: ...}` is the affiliation that
    paid; `recipient` a plain name or a `ref:` to an author."""
    funding = _article().funding
    assert funding is not None and funding.statement is not None
    assert funding.statement.plain == "This work was funded by FACEPE and by the research council."
    assert funding.open_access == "The article processing charge was paid by FACEPE."
    first, second = funding.awards
    assert first.id == "APQ-0001-2024"
    assert [f.name for f in first.funders] == [
        "Fundação de Amparo à Ciência e Tecnologia de Pernambuco"
    ]
    assert first.funders[0].country == "Brazil"
    assert first.recipients == (PersonName("Ana", "Silva"),)
    assert [f.name for f in second.funders] == [
        "Conselho Nacional de Desenvolvimento Científico e Tecnológico"
    ]
    assert second.recipients == (PersonName("João", "Pereira"),)


def test_an_unknown_key_inside_a_known_block_is_an_error_at_its_line(
    quarto: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelt award key was dropped without a word (the award then had no funder)."""
    file = quarto / ARTICLE / "article.md"
    edit(
        file,
        "      - id: APQ-0001-2024\n        source:",
        "      - id: APQ-0001-2024\n        sorce:",
    )
    edit(file, "    corresponding: true", "    corespondent: true")
    run = run_cli(capsys, "check", "--source", quarto, "--output", tmp_path / "out")
    assert run.code == 1
    at, author = line_of(file, "sorce:"), line_of(file, "corespondent:")
    assert f"article.md:{at}:9: error[metadata.unknown-field]: `sorce`" in run.err, run.err
    assert "did you mean `source`?" in run.err
    assert f"article.md:{author}:5: error[metadata.unknown-field]: `corespondent`" in run.err


def test_a_funder_given_by_an_affiliation_id_that_is_not_there_is_an_error(
    quarto: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = quarto / ARTICLE / "article.md"
    edit(file, "          ref: facepe", "          ref: fapesp")
    run = run_cli(capsys, "check", "--source", quarto, "--output", tmp_path / "out")
    assert run.code == 1
    assert f"article.md:{line_of(file, 'ref: fapesp') - 1}" in run.err
    assert "error[funding.source-ref]: `source: {ref: fapesp}` matches no affiliation" in run.err


def test_a_footnote_on_the_title_is_the_titles_note() -> None:
    """Quarto's `title: ...^[note]`: the title stays words, the note is the title note every
    format calls from the title (as `title-note:` is)."""
    article = _article()
    assert article.title.plain == "River flow in the semi-arid north-east"
    assert "Note" not in article.title.ast_json
    assert article.title_note is not None
    assert article.title_note.plain == "Extracted from the first author's thesis."


def test_text_only_fields_carry_formulas_as_text_not_tex() -> None:
    """The web page's metadata (Highwire, JSON-LD) and the Dublin Core record: the abstract's
    formulas as Unicode text, never TeX source."""
    from galley.render import BuildInfo, article_formats
    from galley.templating import Templates

    article = _article()
    assert article.abstract is not None
    plain = article.abstract.text.plain
    assert "D ≤ 0.12" in plain and "10⁻³" in plain and "\\le" not in plain
    page = article_formats()["html"](article, Templates(), BuildInfo(0)).data.decode()
    head = page[: page.index("</head>")]
    assert "D ≤ 0.12" in head and "\\le" not in head and "10^{-3}" not in head
    record = Templates().render("deposit/oai_dc.xml.jinja", article=article)
    assert "D ≤ 0.12" in record and "\\le" not in record


@pytest.mark.parametrize(
    ("dates", "said"),
    [
        # published in February, accepted in March: out of order at the month both give
        ("  accepted: 2026-03-20\ndate: 2026-02", "error[article.history-after]"),
        # published in 2026 (no month): an acceptance in March is not after it
        ("  accepted: 2026-03-20\ndate: 2026", None),
        ("  accepted: 2025-08-20", "error[article.history-order]"),  # before its receipt
    ],
    ids=["accepted after publication", "a year holds the day", "accepted before received"],
)
def test_history_dates_in_order_or_an_error(
    dates: str, said: str | None, quarto: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = quarto / ARTICLE / "article.md"
    edit(file, "  accepted: 2026-03-20\ndate: 2026-05-04", dates)
    run = run_cli(capsys, "check", "--source", quarto, "--output", tmp_path / "out")
    if said is None:
        assert run.code == 0, run.err
    else:
        assert run.code == 1 and said in run.err, run.err
        assert f"article.md:{line_of(file, 'accepted:')}:" in run.err
