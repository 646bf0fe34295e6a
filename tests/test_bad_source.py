"""Bad source gets a clear, positioned error, a non-zero exit, and never touches good outputs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import SEED_ARTICLE, run_cli
from tests.inputs import BUILD_ERRORS, CHECK_WARNINGS, apply
from tests.tools import edit, line_of


def assert_reported(err: str, path: Path, line: int, code: str) -> None:
    """`path:line[:col]: error[code]` appears in the output."""
    pattern = rf"{re.escape(str(path))}:{line}(:\d+)?: error\[{re.escape(code)}\]"
    assert re.search(pattern, err), err


def _build(capsys: pytest.CaptureFixture[str], source: Path, output: Path) -> tuple[int, str]:
    run = run_cli(capsys, "--source", source, "--output", output)
    return run.code, run.err


@pytest.mark.parametrize("name", sorted(BUILD_ERRORS))
def test_bad_source_is_reported_with_file_and_line_and_writes_nothing(
    name: str, source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = BUILD_ERRORS[name]
    broken, line = apply(case, source_copy / SEED_ARTICLE)
    output = tmp_path / "output"
    exit_code, err = _build(capsys, source_copy, output)
    assert exit_code == 1
    assert_reported(err, broken, line, case.code)
    assert "hint:" in err or case.code == "yaml.syntax"
    assert not list(output.rglob("*.xml"))


@pytest.mark.slow  # a whole build: every validator
def test_a_failed_rebuild_keeps_the_previous_good_outputs(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "output"
    assert _build(capsys, source_copy, output)[0] == 0

    # Every output stays as the last good build left it (the report is of each run).
    def outputs() -> dict[Path, bytes]:
        return {
            p: p.read_bytes()
            for p in output.rglob("*")
            if p.is_file() and not p.name.startswith("report.")
        }

    good = outputs()
    assert len(good) >= 3
    edit(source_copy / SEED_ARTICLE / "article.md", "doi: 10.7202/301114ar", "doi: 301114ar")
    edit(source_copy / SEED_ARTICLE / "article.md", "section: Dossier", "section: Autre")
    exit_code, err = _build(capsys, source_copy, output)
    assert exit_code == 1
    assert "error[article.doi-syntax]" in err
    assert "its previous outputs are kept" in err
    assert outputs() == good  # every file as it was, and no temporary file left behind


def test_every_problem_in_a_file_is_reported_at_once(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    edit(article, "doi: 10.7202/301114ar", "doi: doi 10.7202")
    edit(article, "page: 27-37", "page: 37-27")
    edit(article, "lang: fr", "lang: 'français!'")
    exit_code, err = _build(capsys, source_copy, tmp_path / "output")
    assert exit_code == 1
    for code in ("article.doi-syntax", "article.page-order", "article.lang"):
        assert f"error[{code}]" in err


def test_unknown_citation_key_names_the_line_of_the_citation(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    edit(article, "Mais les uns et les autres", "Mais [@aqoci1999] les uns et les autres")
    exit_code, err = _build(capsys, source_copy, tmp_path / "output")
    assert exit_code == 1
    line = line_of(article, "[@aqoci1999]")
    assert_reported(err, article.resolve(), line, "citation.unknown-key")
    assert "citation '@aqoci1999' matches no reference" in err
    assert not list((tmp_path / "output").rglob("*.xml"))


def test_an_unknown_citation_key_hides_no_other_reference_problem(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    edit(article, "Mais les uns et les autres", "Mais [@aqoci1999] les uns et les autres")
    edit(source_copy / SEED_ARTICLE / "references.yaml", "  title: Rapport annuel\n", "")
    run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "out")
    assert run.code == 1
    assert "error[citation.unknown-key]" in run.err
    assert "error[citations.missing-field]: reference @aqoci1988a (report) has no title" in run.err


@pytest.mark.slow  # a whole build: every validator
def test_a_cited_reference_becomes_a_linked_xref(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    edit(article, "Mais les uns et les autres", "Mais [@aqoci1990b, p. 3] les uns et les autres")
    output = tmp_path / "output"
    assert _build(capsys, source_copy, output)[0] == 0
    (jats,) = output.rglob("301114ar.xml")
    root = etree.parse(str(jats)).getroot()
    (xref,) = root.findall("body//xref[@ref-type='bibr']")
    # Each cited item is its own link, as citeproc links it; the parentheses are the group's.
    assert xref.text == "AQOCI, 1990b, p. 3"
    assert (xref.getparent().text or "").endswith("Mais (") and xref.tail.startswith(")")
    (ref,) = root.findall(f"back/ref-list/ref[@id='{xref.get('rid')}']")
    assert ref.findtext("element-citation/article-title", "").startswith("Débloquer")


def test_a_bibliography_outside_the_article_folder_is_refused(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    (source_copy / "secret.yaml").write_text("- id: x\n  type: book\n", encoding="utf-8")
    edit(article, "bibliography: references.yaml", "bibliography: ../../secret.yaml")
    exit_code, err = _build(capsys, source_copy, tmp_path / "output")
    assert exit_code == 1
    line = line_of(article, "bibliography:")
    assert_reported(err, article.resolve(), line, "article.bibliography-outside")


def test_non_utf8_and_missing_front_matter_get_clear_errors(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    article.write_bytes(article.read_bytes().replace(b"Lafleur", "Lafl\xe8ur".encode("latin-1")))
    exit_code, err = _build(capsys, source_copy, tmp_path / "output")
    assert exit_code == 1
    line = _line_of_bytes(article, b"Lafl\xe8ur")
    assert_reported(err, article.resolve(), line, "source.encoding")
    article.write_text("Just a body, no metadata.\n", encoding="utf-8")
    exit_code, err = _build(capsys, source_copy, tmp_path / "output")
    assert exit_code == 1
    assert_reported(err, article.resolve(), 1, "article.no-front-matter")


def _line_of_bytes(path: Path, needle: bytes) -> int:
    data = path.read_bytes()
    return data[: data.index(needle)].count(b"\n") + 1


@pytest.mark.parametrize(
    "broken",
    ["{{ journal.titel }}", "{{ journal.title }}{{ 1 // 0 }}"],
    ids=["unknown name", "an exception of its own"],
)
def test_a_broken_template_is_reported_with_its_line(
    broken: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from tests.conftest import ROOT

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    partial = templates / "jats" / "_journal_meta.xml.jinja"
    edit(partial, "{{ journal.title }}", broken)
    run = run_cli(capsys, "--templates", templates, "--output", tmp_path / "output")
    assert run.code == 1
    line = line_of(partial, broken)
    assert_reported(run.err, partial, line, "template.error")
    assert "Traceback" not in run.err
    assert not list((tmp_path / "output").rglob("*.xml"))


@pytest.mark.slow  # a whole build, every validator
def test_a_full_disk_is_a_message_and_keeps_the_last_good_outputs(
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno

    from galley import pipeline
    from galley.files import claim_output

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    real = pipeline.write_atomic
    room = [3]  # the disk fills after the marker and two outputs

    def filling(path: Path, data: bytes) -> None:
        if room[0] <= 0:
            full(path, data)
        room[0] -= 1
        real(path, data)

    monkeypatch.setattr(pipeline, "write_atomic", filling)
    output = tmp_path / "output"
    run = run_cli(capsys, "--source", source_copy, "--output", output)
    assert run.code == 1
    assert "error[output.write]: could not write" in run.err
    assert "No space left on device" in run.err and "Traceback" not in run.err
    assert "2 file(s) written" in run.out  # what was written is said
    assert (output / ".galley-output").is_file() and (output / ".galley-writing").is_file()
    assert claim_output(output, source_copy) == []  # the next build may write there again


@pytest.mark.slow  # a whole build, every validator
def test_an_issue_listing_an_absent_article_keeps_its_contents_and_deposit(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The article that exists is built; the issue's contents, e-book and deposit, which
    would silently lack the other, are not."""
    issue = source_copy / SEED_ARTICLE.parent / "issue.yaml"
    edit(issue, "  - 301114ar", "  - 301114ar\n  - absent")
    output = tmp_path / "output"
    exit_code, err = _build(capsys, source_copy, output)
    assert exit_code == 1
    assert_reported(err, issue.resolve(), line_of(issue, "- absent"), "issue.unknown-article")
    assert (output / SEED_ARTICLE / "301114ar.xml").is_file()
    assert not (output / SEED_ARTICLE.parent / "nps-4-1.crossref.xml").exists()


@pytest.mark.parametrize("name", sorted(CHECK_WARNINGS))
def test_questionable_source_is_reported_with_its_line(
    name: str, source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CHECK_WARNINGS[name]
    edited, line = apply(case, source_copy / SEED_ARTICLE)
    run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "out")
    pattern = rf"{re.escape(str(edited))}:{line}(:\d+)?: warning\[{re.escape(case.code)}\]"
    assert re.search(pattern, run.err), run.err


def test_a_broken_source_tree_is_named_plainly(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No issue folder; a folder chosen outside the source; a bibliography missing, in bad
    JSON, or not a list."""
    empty = tmp_path / "empty"
    empty.mkdir()
    shutil.copy(source_copy / "journal.yaml", empty / "journal.yaml")
    run = run_cli(capsys, "check", "--source", empty, "--output", tmp_path / "o1")
    assert run.code == 1 and "error[source.no-issues]" in run.err
    assert run.out.rstrip().endswith(f"full report in {tmp_path / 'o1' / 'check.html'}")
    run = run_cli(capsys, "--source", source_copy, "--output", tmp_path / "o2", tmp_path)
    assert run.code == 1 and "error[source.outside]" in run.err
    article = source_copy / SEED_ARTICLE / "article.md"
    for name, content, code in [
        ("absent.yaml", None, "source.missing"),
        ("refs.json", '[{"id": "x",', "references.json"),
        ("refs.yaml", "id: x\ntype: book\n", "references.not-list"),
    ]:
        if content is not None:
            (article.parent / name).write_text(content, encoding="utf-8")
        text = article.read_text(encoding="utf-8")
        article.write_text(
            re.sub(r"bibliography: \S+", f"bibliography: {name}", text), encoding="utf-8"
        )
        run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "o3")
        assert run.code == 1 and f"error[{code}]" in run.err, (name, run.err)


@pytest.mark.slow  # a whole build, every validator
def test_a_journal_without_a_depositor_builds_its_articles_but_no_deposit(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = source_copy / "journal.yaml"
    text = journal.read_text(encoding="utf-8")
    journal.write_text(text[: text.index("crossref:")], encoding="utf-8")
    output = tmp_path / "output"
    exit_code, err = _build(capsys, source_copy, output)
    assert exit_code == 1 and "error[crossref.depositor]" in err
    assert (output / SEED_ARTICLE / "301114ar.xml").is_file()
    assert not (output / SEED_ARTICLE.parent / "nps-4-1.crossref.xml").exists()


@pytest.mark.slow  # a whole build, every validator
@pytest.mark.parametrize(
    ("change", "code"),
    [("syntax", "template.syntax"), ("missing", "template.missing")],
)
def test_a_template_broken_or_missing_is_named(
    change: str, code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import ROOT

    templates = tmp_path / "templates"  # the journal's own, overriding galley's
    (templates / "jats").mkdir(parents=True)
    if change == "syntax":
        partial = templates / "jats" / "_journal_meta.xml.jinja"
        shutil.copy(ROOT / "templates" / "jats" / "_journal_meta.xml.jinja", partial)
        edit(partial, "{{ journal.title }}", "{% if journal.title %}{{ journal.title }}")
    else:  # an include naming a template found neither in the journal's nor in galley's
        page = templates / "jats" / "article.xml.jinja"
        shutil.copy(ROOT / "templates" / "jats" / "article.xml.jinja", page)
        edit(page, "jats/_journal_meta.xml.jinja", "jats/_journal_metadata.xml.jinja")
    run = run_cli(capsys, "--templates", templates, "--output", tmp_path / "output")
    assert run.code == 1 and f"error[{code}]" in run.err
    assert "Traceback" not in run.err


def test_validate_names_what_it_cannot_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a publication\n", encoding="utf-8")
    run = run_cli(capsys, "validate", notes, tmp_path / "absent.xml")
    assert run.code == 1
    assert "error[validate.unknown-kind]" in run.err and "error[validate.missing]" in run.err


TRANSLATION = """---
title: "The evolution of Quebec's international cooperation organisations"
lang: en
doi: 10.7202/301115ar
---

In the autumn of 1990.
"""


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({"article.md": ""}, "article.empty-body"),  # the seed's front matter, no text
        ({"article.md": "---\n- a list\n---\n\nText.\n"}, "metadata.not-mapping"),
        ({"article.en.md": TRANSLATION.replace("doi: 10.7202/301115ar\n", "")}, "translation.doi"),
        ({"article.en.md": TRANSLATION.replace("lang: en", "lang: de")}, "translation.lang"),
        ({"article.en.md": TRANSLATION + "\n"}, None),  # a good translation: no error
        (
            {"article.en.md": TRANSLATION.replace("lang: en", "lang: en\narticle-type: editorial")},
            "translation.key",
        ),
    ],
    ids=[
        "empty body",
        "not a mapping",
        "translation without DOI",
        "translation language",
        "a good translation",
        "translation key of the original",
    ],
)
def test_an_article_file_that_cannot_be_one_is_named(
    files: dict[str, str],
    code: str | None,
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, content in files.items():
        path = source_copy / SEED_ARTICLE / name
        if not content:
            content = "---".join(path.read_text(encoding="utf-8").split("---")[:2]) + "---\n"
        path.write_text(content, encoding="utf-8")
    run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "out")
    if code is None:
        assert run.code == 0, run.err
    else:
        assert run.code == 1 and f"error[{code}]" in run.err, run.err


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        (
            "doi: 10.7202/301114ar",
            "doi: 10.7202/301114ar\ndate: 1991-03\nhistory:\n  accepted: 1991-05",
            "article.history-after",
        ),
        (
            'title: "L\'évolution des organismes québécois de coopération internationale"',
            'title:\n  en: "The evolution"\n  es: "La evolución de los organismos"',
            "article.title-lang",
        ),
        (
            "doi: 10.7202/301114ar",
            "doi: 10.7202/301114ar\nfunding:\n  awards:\n    - id: X1\n      source:\n"
            "        text: A council\n        ror: not-a-ror",
            "funding.ror",
        ),
    ],
    ids=["history after publication", "title not in the article's language", "bad ROR id"],
)
def test_questionable_metadata_is_named(
    old: str,
    new: str,
    code: str,
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    edit(article, old, new)
    run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "out")
    assert f"[{code}]" in run.err, run.err


@pytest.mark.parametrize(
    ("markdown", "setup", "code"),
    [
        ("![carte](figures/carte.txt)", "figures/carte.txt", "article.image-type"),
        ("![carte](figures/carte.png)", "figures/carte.png:large", "article.image-large"),
        (
            "# Supporting information {.supplementary-material}\n\n[S1](../../journal.yaml) Data.",
            None,
            "article.file-outside",
        ),
        (
            "# Supporting information {.supplementary-material}\n\n[S1](data/s1.csv) Data.",
            "data/s1.csv:large",
            "article.file-large",
        ),
    ],
    ids=["not an image", "an image too large", "a file outside", "a file too large"],
)
def test_files_an_article_cannot_carry_are_refused(
    markdown: str,
    setup: str | None,
    code: str,
    source_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = source_copy / SEED_ARTICLE
    if setup:
        name, _, size = setup.partition(":")
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        with (folder / name).open("wb") as file:
            file.truncate(21 * 1024 * 1024 if size == "large" else 0)
            if not size:
                file.write(b"not an image\n")
    article = folder / "article.md"
    with article.open("a", encoding="utf-8") as file:
        file.write(f"\n{markdown}\n")
    run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "out")
    assert run.code == 1 and f"error[{code}]" in run.err, run.err
    assert f"{article.resolve()}:" in run.err or "article.md:" in run.err


def test_an_import_of_a_missing_file_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "import", tmp_path / "absent.docx", "--into", tmp_path / "source")
    assert run.code == 1 and "error[import.missing]" in run.err


def test_a_broken_article_beside_the_one_chosen_is_said_but_does_not_fail_the_run(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = source_copy / SEED_ARTICLE.parent
    shutil.copytree(issue / SEED_ARTICLE.name, issue / "301115ar")
    edit(issue / "issue.yaml", "  - 301114ar", "  - 301114ar\n  - 301115ar")
    other = issue / "301115ar" / "article.md"
    edit(other, "doi: 10.7202/301114ar", "doi: 10.7202/301115ar")
    edit(other, "lang: fr", "lang: [fr")
    chosen = issue / SEED_ARTICLE.name
    run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "out", chosen)
    assert run.code == 0, run.err
    assert "warning[source.other-article]: 301115ar (not built now) has 1 problem(s)" in run.err


def test_what_an_import_cannot_carry_is_said_on_the_terminal_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import CORPUS

    source = tmp_path / "source"
    run = run_cli(capsys, "import", CORPUS / "elife-kitchen-sink.xml", "--into", source)
    assert "warning[import.not-carried]" in run.err
    assert "elife-kitchen-sink.xml:6548" in run.err  # the element's line in the file


def test_what_pandoc_warns_about_the_markdown_is_said_at_its_source_line(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    text = article.read_text(encoding="utf-8")
    text += "\nSee [x].\n\n[x]: https://a.example.org\n[x]: https://b.example.org\n"
    article.write_text(text, encoding="utf-8")
    line = len(text.splitlines())  # the second definition
    run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "out")
    assert f"article.md:{line}: warning[markdown.pandoc]: Duplicate link reference" in run.err
