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


def _page(article: Article) -> str:
    from galley.render import BuildInfo, article_formats
    from galley.templating import Templates

    return article_formats()["html"](article, Templates(), BuildInfo(0)).data.decode()


def test_each_language_edition_speaks_its_own_language() -> None:
    """The Portuguese web page: CRediT roles in Portuguese, its own running title, the
    funding section (the statement marked as English), "6 %" kept on one line, and the
    JATS it offers is the original's, which holds the translation."""
    article = _article()
    (translation,) = article.translations
    assert translation.short_title == "Vazão no semiárido"
    assert article.short_title == "Semi-arid river flow"
    page = _page(translation)
    assert "Conceituação, Análise formal" in page and "Investigação" in page
    assert '<h2 id="funding-title">Financiamento</h2>' in page
    assert '<p class="funding-statement" lang="en">This work was funded by <span' in page
    assert "A vazão caiu 6\u00a0% entre" in page  # a no-break space, in the text
    assert 'href="silva.xml"' in page and "silva.pt.xml" not in page
    english = _page(article)
    assert "Conceptualization, Formal analysis" in english
    assert 'class="funding-statement">This work' in english  # its own language: no mark


def test_a_value_given_per_edition_is_each_editions_own(quarto: Path) -> None:
    """`section:` and `short-title:` may be given once per language in the original."""
    file = quarto / ARTICLE / "article.md"
    edit(
        file,
        "short-title: Semi-arid river flow\n",
        "short-title: {en: Semi-arid river flow, pt: Rios do semiárido}\n"
        "section: {en: Original article, pt: Artigo original}\n",
    )
    edit(quarto / ARTICLE / "article.pt.md", "short-title: Vazão no semiárido\n", "")
    article = _article(quarto)
    (translation,) = article.translations
    assert (article.section, article.short_title) == ("Original article", "Semi-arid river flow")
    assert (translation.section, translation.short_title) == (
        "Artigo original",
        "Rios do semiárido",
    )


def test_the_contents_page_lists_each_translation_and_article_numbers(
    tmp_path: Path,
) -> None:
    from galley.render import BuildInfo, issue_formats
    from galley.templating import Templates

    read = read_project(ROOT / "tests" / "roots" / "frontmatter" / "source")
    assert read.project is not None
    (contents,) = read.project.issues
    page = issue_formats()["html"](contents, Templates(), BuildInfo(0)).data.decode()
    assert "Mary Somerville · e0200001</p>" in page  # an article number, as pages would be
    assert (
        'This article in other languages: <a href="e0200001/e0200001.pt.html" hreflang="pt" '
        'lang="pt">Português</a>'
    ) in page


def test_dublin_core_and_meca_describe_each_translation_with_its_language() -> None:
    from pathlib import PurePosixPath

    from galley.deposit import packages
    from galley.render import BuildInfo, Output, article_dir
    from galley.templating import Templates

    article = _article()
    record = Templates().render("deposit/oai_dc.xml.jinja", article=article)
    assert '<dc:title xml:lang="pt-BR">Vazão dos rios no semiárido nordestino</dc:title>' in record
    assert "<dc:language>pt-BR</dc:language>" in record
    assert "<dc:relation>https://doi.org/10.5555/rbq.2026.0007.pt</dc:relation>" in record
    assert "; 27–28</dc:source>" in record  # an en dash between the pages
    folder = article_dir(article)
    made = [
        Output(folder / "silva.epub", b"en", "epub", "application/epub+zip"),
        Output(folder / "silva.pt.epub", b"pt", "epub", "application/epub+zip"),
    ]
    (meca, *_) = packages(article, made, Templates(), BuildInfo(0))
    import io
    import zipfile

    manifest = zipfile.ZipFile(io.BytesIO(meca.data)).read("manifest.xml").decode()
    assert "<item-description>E-book edition (EPUB 3)</item-description>" in manifest
    assert "E-book edition (EPUB 3), Português translation (pt-BR)" in manifest
    assert PurePosixPath(meca.path).name == "silva.meca.zip"


def test_the_outputs_of_a_deleted_article_are_swept_and_nothing_else(tmp_path: Path) -> None:
    """Files galley recorded for an article or issue gone from the source are removed; a
    file someone changed since is kept (and named); files galley never wrote stay."""
    from galley.state import Entry, State, _sha256

    source, output = tmp_path / "source", tmp_path / "output"
    (source / "v1" / "kept").mkdir(parents=True)
    (source / "v1" / "issue.yaml").write_text("volume: 1\n")
    (source / "v1" / "kept" / "article.md").write_text("---\n---\n")
    files = {
        "v1/kept/kept.html": b"kept",
        "v1/gone/gone.html": b"gone",
        "v1/gone/gone.pdf": b"pdf",
        "v1/gone/deposit/gone.meca.zip": b"zip",
        "v2/index.html": b"old issue",
        "v2/v2.epub": b"old book",
    }
    for name, data in files.items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_bytes(data)
    (output / "v1" / "gone" / "notes.txt").write_bytes(b"the editor's own file")
    saved = State(files={name: _sha256(data) for name, data in files.items()})
    saved.files["_static/galley.css"] = _sha256(b"css")  # the site's, in no issue
    for name in ("v1/kept", "v1/gone", "v2/old"):
        own = [path for path in files if path.startswith(f"{name}/{name.split('/')[1]}.")]
        outputs = [{"path": path, "sha256": _sha256(files[path])} for path in own]
        saved.articles[name] = Entry("key", {}, outputs, [])
    (output / "v1" / "gone" / "gone.pdf").write_bytes(b"changed by hand")

    swept, kept = saved.sweep(source, output)
    assert swept == ["v1/gone", "v2/old", "v2"]
    assert kept == ["v1/gone/gone.pdf"]
    assert sorted(str(p.relative_to(output)) for p in output.rglob("*") if p.is_file()) == [
        "v1/gone/gone.pdf",
        "v1/gone/notes.txt",
        "v1/kept/kept.html",
    ]
    assert not (output / "v2").exists() and list(saved.articles) == ["v1/kept"]


@pytest.mark.slow  # two whole builds
def test_a_build_says_which_deleted_articles_it_swept(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import SEED_ARTICLE
    from tests.tools import edit, issue_of_copies

    first, second = issue_of_copies(source_copy, 2, declared_pages=False, short=True)
    output = tmp_path / "out"
    assert run_cli(capsys, "--source", source_copy, "--output", output, "-q").code == 0
    assert (output / SEED_ARTICLE.parent / second.name / f"{second.name}.pdf").is_file()
    shutil.rmtree(second)
    edit(source_copy / SEED_ARTICLE.parent / "issue.yaml", f"  - {second.name}\n", "")
    run = run_cli(capsys, "--source", source_copy, "--output", output)
    assert run.code == 0, run.err
    assert f"info[output.removed]: {SEED_ARTICLE.parent}/{second.name}: no longer" in run.err
    assert not (output / SEED_ARTICLE.parent / second.name).exists()
    assert (output / SEED_ARTICLE.parent / first.name / f"{first.name}.pdf").is_file()


def test_an_imported_translation_keeps_its_own_kicker(imported: Path) -> None:
    """SciELO's Portuguese edition heads itself "Artigo": the import writes it as the
    translation's `section:`, and its page says it (not the English "Article")."""
    from tests.conftest import ARTICLES, SCIELO

    journal, folder = ARTICLES[SCIELO]
    text = (imported / journal / folder / "article.pt.md").read_text(encoding="utf-8")
    assert "\nsection: Artigo\n" in text
    read = read_project(imported / journal)
    assert read.project is not None
    (article,) = [a for a in read.project.articles if a.id == Path(folder).name]
    (translation,) = article.translations
    assert translation.section == "Artigo" and article.section != "Artigo"


def test_an_award_without_a_funder_is_an_error_at_its_line(
    quarto: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It made an <award-group> with no funding source, which JATS4R refused with no line
    of the source to fix."""
    file = quarto / ARTICLE / "article.md"
    edit(
        file,
        "        source: Conselho Nacional de Desenvolvimento Científico e Tecnológico\n",
        "",
    )
    run = run_cli(capsys, "check", "--source", quarto, "--output", tmp_path / "out")
    assert run.code == 1
    line = line_of(file, "- id: 405060/2023-1")
    assert f"article.md:{line}:9: error[funding.no-source]: the award 405060/2023-1" in run.err


@pytest.mark.slow  # a whole build: every validator
def test_the_bilingual_quarto_article_builds_clean_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JATS (XSD, JATS4R), both web pages (Nu), both e-books (EPUBCheck, Ace), both print
    editions and the deposit: no error and no warning; the Portuguese print edition carries
    the funding in Portuguese."""
    import subprocess

    output = tmp_path / "out"
    run = run_cli(capsys, "--source", QUARTO, "--output", output)
    assert run.code == 0 and "0 error(s), 0 warning(s)" in run.out, run.err
    folder = output / ARTICLE
    assert sorted(p.name for p in folder.iterdir()) == [
        "silva.epub",
        "silva.html",
        "silva.pdf",
        "silva.pt.epub",
        "silva.pt.html",
        "silva.pt.pdf",
        "silva.xml",
    ]
    text = subprocess.run(
        ["pdftotext", str(folder / "silva.pt.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "FINANCIAMENTO" in text and "p. 27–28" in text


def test_a_formula_in_the_title_is_text_wherever_only_text_goes() -> None:
    """The alpha's TeX ("\\alpha") reached citation_title, JSON-LD, the e-book's navigation
    and cover beside the letter: the MathML's TeX annotation came along with its text."""
    read = read_project(ROOT / "tests" / "roots" / "research" / "source")
    assert read.project is not None
    (article,) = read.project.articles
    page = _page(article)
    alpha = "\u03b1"
    assert f'<meta name="citation_title" content="Third-order noise in {alpha}-stable' in page
    assert '"headline": "Third-order noise in \\u03b1-stable option markets"' in page
    assert "\\alpha" not in page[: page.index("</head>")]
