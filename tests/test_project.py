"""A journal project anywhere: `galley init`, `galley new article`, the project found from the
current folder, PATH arguments under the source folder, the journal's own templates, and the
command-line conventions (verdict last on stdout, a partial check's report under its own name)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

from galley import state
from galley.templating import DEFAULT_TEMPLATES, Templates
from tests.conftest import SEED_ARTICLE, run_cli

ANSWERS = (
    "--title",
    "Revue d’études critiques",
    "--publisher",
    "Presses de l’Exemple",
    "--doi-prefix",
    "10.5555",
    "--article-url",
    "https://revue.example.org/{issue}/{article}",
    "--issn-print",
    "0843-4468",
    "--lang",
    "fr",
    "--email",
    "production@example.org",
    "--csl",
    "nlm-citation-sequence",
)


@pytest.fixture
def journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "revue"
    run = run_cli(capsys, "init", folder, *ANSWERS)
    assert run.code == 0, run.err
    assert run.out.splitlines()[-1].startswith("ok: journal started in")
    return folder


def test_init_writes_a_journal_issue_and_example_article(journal: Path) -> None:
    source = journal / "source"
    (issue,) = [p.parent for p in source.glob("*/issue.yaml")]
    assert (source / "journal.yaml").read_text(encoding="utf-8").count("0843-4468") == 1
    assert 'csl: "nlm-citation-sequence"' in (source / "journal.yaml").read_text(encoding="utf-8")
    assert (issue / "example" / "article.md").is_file()
    assert "  - example" in (issue / "issue.yaml").read_text(encoding="utf-8")
    assert (journal / ".gitignore").read_text() == "/output/\n"


@pytest.mark.slow
def test_galley_run_inside_a_new_journal_builds_it(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`galley init` then `galley`, run in an issue folder below the journal: the journal's
    source/ is built into its own output/ (nothing of galley's checkout is touched)."""
    (issue,) = [p.parent for p in (journal / "source").glob("*/issue.yaml")]
    monkeypatch.chdir(issue)
    run = run_cli(capsys, "-q")
    assert run.code == 0, run.err
    jats = journal / "output" / issue.name / "example" / "example.xml"
    root = etree.parse(str(jats)).getroot()
    assert root.findtext(".//journal-title") == "Revue d’études critiques"
    assert root.findtext(".//issn[@publication-format='print']") == "0843-4468"
    assert root.findtext(".//article-id[@pub-id-type='doi']").startswith("10.5555/")
    assert (journal / "output" / issue.name / f"{issue.name}.crossref.xml").is_file()
    assert run.out.splitlines()[-1].startswith("ok: built example")
    assert f"report in {journal / 'output' / 'report.html'}" in run.out


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--issn-print", "0843-4467", "check digit"),
        ("--doi-prefix", "10.12", "not a DOI prefix"),
        ("--lang", "french!", "not a language tag"),
        ("--article-url", "revue.example.org", "not a pattern of article pages"),
        ("--csl", "no-such-style", "not a citation style"),
    ],
)
def test_init_refuses_a_wrong_answer_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, words: str
) -> None:
    answers = list(ANSWERS)
    answers[answers.index(option) + 1] = value
    run = run_cli(capsys, "init", tmp_path / "j", *answers)
    assert run.code == 1
    assert f"error[init.answer]: {option}:" in run.err and words in run.err
    assert not (tmp_path / "j").exists()


def test_init_without_a_terminal_says_which_answer_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "init", tmp_path / "j", "--title", "T", "--publisher", "P")
    assert run.code == 1 and "error[init.answer]: DOI prefix (10.NNNN): not given" in run.err
    assert not (tmp_path / "j").exists()


def test_init_never_overwrites_a_journal(journal: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (journal / "source" / "journal.yaml").read_bytes()
    run = run_cli(capsys, "init", journal, *ANSWERS)
    assert run.code == 1 and "error[init.exists]" in run.err
    assert (journal / "source" / "journal.yaml").read_bytes() == before


def test_new_issue_is_read_as_written_and_takes_new_articles(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(journal)
    run = run_cli(
        capsys, "new", "issue", "2027-1", "--volume", "2", "--number", "1", "--issued", "2027-03"
    )
    assert run.code == 0, run.err
    from galley.read.journal import read_issue, read_journal

    issue = journal / "source" / "2027-1" / "issue.yaml"
    assert run.out.splitlines()[0] == str(issue.relative_to(journal))
    run = run_cli(capsys, "new", "article", "2027-1/smith")
    assert run.code == 0, run.err
    assert issue.read_text(encoding="utf-8").endswith("adds each\n  - smith\n")
    new, listed = read_issue(issue.parent, read_journal(journal / "source" / "journal.yaml"))
    assert (new.volume, new.number, new.date.year, new.date.month) == ("2", "1", 2027, 3)
    assert listed == ["smith"]


def test_new_issue_refuses_a_value_the_reader_would_refuse(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(journal)
    run = run_cli(capsys, "new", "issue", "2027-1", "--volume", "2", "--issued", "March 2027")
    assert run.code == 1 and "error[new.value]: --issued:" in run.err
    assert not (journal / "source" / "2027-1").exists()


def test_new_article_is_listed_and_check_refuses_it_until_filled(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (issue,) = [p.parent for p in (journal / "source").glob("*/issue.yaml")]
    monkeypatch.chdir(journal)
    run = run_cli(capsys, "new", "article", f"{issue.name}/dupont")
    assert run.code == 0, run.err
    listed = (issue / "issue.yaml").read_text(encoding="utf-8")
    assert listed.index("  - example") < listed.index("  - dupont")
    # a PATH is an issue or article of the source folder, typed from the journal's folder
    run = run_cli(capsys, "check", f"{issue.name}/dupont")
    assert run.code == 1
    assert "error[intake.gap]: `title` is still to be filled in" in run.err
    assert "import" not in run.err  # a skeleton's gaps are not an import's
    assert run.out.splitlines()[-1].startswith("failed:")
    # a partial check writes its own report, never the journal's
    assert (journal / "output" / f"check.{issue.name}_dupont.html").is_file()
    assert not (journal / "output" / "check.html").exists()


@pytest.mark.parametrize(
    ("where", "code"),
    [("no-slash", "new.name"), ("nowhere/x", "new.no-issue"), ("{issue}/example", "new.exists")],
)
def test_new_article_refuses_a_bad_place(
    journal: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    where: str,
    code: str,
) -> None:
    (issue,) = [p.parent for p in (journal / "source").glob("*/issue.yaml")]
    before = (issue / "example" / "article.md").read_bytes()
    monkeypatch.chdir(journal)
    run = run_cli(capsys, "new", "article", where.format(issue=issue.name))
    assert run.code == 1 and f"error[{code}]" in run.err
    assert (issue / "example" / "article.md").read_bytes() == before


def test_galley_outside_any_journal_says_how_to_start_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli(capsys, "check")
    assert run.code == 1
    assert "error[project.not-found]: no journal here" in run.err and "galley init" in run.err
    assert run.out.splitlines() == ["failed: check stopped: 1 error(s), see above"]
    assert list(tmp_path.iterdir()) == []


def test_the_journals_templates_override_galleys_file_by_file(tmp_path: Path) -> None:
    own = tmp_path / "templates"
    (own / "report").mkdir(parents=True)
    (own / "report" / "report.html.jinja").write_text("<p>{{ title }}: ours</p>\n")
    templates = Templates(own)
    assert templates.render("report/report.html.jinja", title="T") == "<p>T: ours</p>\n"
    # every other template and file is galley's own
    assert (
        templates.read_static("html/galley.css")
        == (DEFAULT_TEMPLATES / "html" / "galley.css").read_bytes()
    )
    # and an override is a change the next build sees
    before = state.environment(own, "", [])
    (own / "report" / "report.html.jinja").write_text("<p>{{ title }}: changed</p>\n")
    assert state.environment(own, "", []) != before


def test_a_check_of_one_article_keeps_the_whole_journals_report(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out"
    whole = run_cli(capsys, "check", "--source", source_copy, "--output", output)
    assert whole.code == 0, whole.err
    kept = (output / "check.html").read_bytes()
    assert b"Nouvelles pratiques sociales" in kept  # the journal's title, not the folder's
    part = run_cli(
        capsys, "check", "-q", "--source", source_copy, "--output", output, str(SEED_ARTICLE)
    )
    assert part.code == 0, part.err
    name = f"check.{SEED_ARTICLE.as_posix().replace('/', '_')}.html"
    assert part.out.splitlines() == [
        f"ok: {_passed(part.out)} passed, 0 warning(s), 0 error(s); full report in {output / name}"
    ]
    assert (output / "check.html").read_bytes() == kept


def _passed(line: str) -> str:
    return line.split("ok: ", 1)[1].split(" passed", 1)[0]


def test_quiet_strict_build_says_it_failed_last(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-q --strict` with a warning: the problem on stderr, and the verdict on stdout."""
    article = source_copy / SEED_ARTICLE / "article.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("doi: 10.7202/301114ar", "doi: doi:10.7202/301114ar"))
    run = run_cli(
        capsys, "check", "-q", "--strict", "--source", source_copy, "--output", tmp_path / "o"
    )
    assert run.code == 1 and "warning[article.doi-normalised]" in run.err
    (verdict,) = run.out.splitlines()
    assert verdict.startswith("failed:") and "1 warning(s)" in verdict


def test_every_subcommand_has_a_description_and_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    from galley import cli

    parser = cli._parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    for name, sub in commands.choices.items():  # type: ignore[union-attr]
        assert sub.description, name
        assert any("-q" in action.option_strings for action in sub._actions), name


def test_init_at_a_terminal_asks_for_what_the_options_leave_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter(
        ["10.5555", "https://j.example.org/{issue}/{article}", "", "", "", "p@example.org", ""]
    )
    asked: list[str] = []

    def answer(question: str) -> str:
        asked.append(question)
        return next(answers)

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", answer)
    run = run_cli(capsys, "init", tmp_path / "j", "--title", "J", "--publisher", "P")
    assert run.code == 0, run.err
    assert [q.split(" (")[0].split(":")[0] for q in asked] == [
        "DOI prefix",
        "Article landing pages",
        "Language",
        "Print ISSN",
        "Electronic ISSN",
        "The depositor's e-mail for Crossref",
        "Citation style",
    ]
    journal = (tmp_path / "j" / "source" / "journal.yaml").read_text(encoding="utf-8")
    assert 'lang: "en"' in journal and "issn:" not in journal  # the defaults, nothing invented
    assert 'csl: "apa"' in journal
    assert "warning[init.answer]: no ISSN" in run.err  # said now, not at the first build


def test_tools_where_names_each_tool_and_where_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_cli(capsys, "tools", "where")
    assert run.code == 0, run.err
    *found, verdict = run.out.splitlines()
    assert verdict == "ok: 10 of 10 tools and schema sets found"
    assert any(
        line.startswith("Nu HTML Checker (vnu.jar): ") and "vnu.jar" in line for line in found
    )


def test_tools_install_without_npm_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil as shutil_module

    real = shutil_module.which
    monkeypatch.setattr(
        shutil_module, "which", lambda name, *a, **k: None if name == "npm" else real(name)
    )
    run = run_cli(capsys, "tools", "install")
    assert run.code == 1 and "error[tool.npm-absent]" in run.err and "Node.js" in run.err
