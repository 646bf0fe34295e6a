"""`python build.py check`: the seed passes; each broken copy fails with the right message and
line; the preflight report holds everything; the Crossref deposit validates."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree, html

from tests.conftest import SCHEMAS, SEED_ARTICLE, run_cli
from tests.inputs import CHECK_ERRORS, apply
from tests.tools import edit, line_of, nu_messages


def test_the_seed_passes_check_and_gets_a_full_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_cli(capsys, "check", "--output", tmp_path / "out")
    assert run.code == 0, run.err
    assert "0 error(s)" in run.out and "Preflight" in run.out
    report = json.loads((tmp_path / "out" / "check.json").read_text(encoding="utf-8"))
    assert report["summary"]["error"] == 0
    checks = {r["check"] for r in report["results"] if r["status"] == "pass"}
    assert {
        "doi.prefix",
        "doi.unique",
        "doi.suffix",
        "metadata.consistent",
        "metadata.abstract",
        "citations.fields",
        "citations.doi",
    } <= checks
    assert nu_messages(tmp_path / "out" / "check.html") == []
    assert not list(tmp_path.rglob("*.xml"))  # check writes no outputs
    assert not (tmp_path / "out" / "report.html").exists()  # the build's report is the build's


@pytest.mark.parametrize("name", sorted(CHECK_ERRORS))
def test_each_defect_fails_check_with_its_message_and_line(
    name: str, source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CHECK_ERRORS[name]
    code = case.code
    broken, line = apply(case, source_copy / SEED_ARTICLE)
    run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "out")
    assert run.code == 1, run.err
    assert re.search(
        rf"{re.escape(str(broken))}:{line}(:\d+)?: error\[{re.escape(code)}\]", run.err
    ), run.err
    report = json.loads((tmp_path / "out" / "check.json").read_text(encoding="utf-8"))
    assert any(
        r["status"] == "error" and r["check"] == code and r["line"] == line
        for r in report["results"]
    )


def test_a_duplicate_doi_is_reported_at_the_second_article(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = source_copy / SEED_ARTICLE.parent
    shutil.copytree(issue / SEED_ARTICLE.name, issue / "301115ar")
    run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "out")
    assert run.code == 1
    second = (issue / "301115ar" / "article.md").resolve()
    line = line_of(second, "doi: 10.7202/301114ar")
    assert (
        f"{second}:{line}:1: error[doi.duplicate]: DOI 10.7202/301114ar is also the DOI" in run.err
    )


def test_uncited_unlisted_references_are_warned_about(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = source_copy / SEED_ARTICLE / "article.md"
    edit(article, 'nocite: "@*"', 'nocite: "@aqoci1988a, @aqoci1988b"')
    run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "out")
    assert run.code == 0
    assert run.err.count("warning[citations.uncited]") == 5
    run = run_cli(
        capsys, "check", "--strict", "--source", source_copy, "--output", tmp_path / "out"
    )
    assert run.code == 1


def test_the_html_report_lists_each_problem_and_counts_the_passes(
    source_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every warning a row of its own at its line; passes one row per check and file with
    their count and lines (the JSON report keeps every result)."""
    article = source_copy / SEED_ARTICLE / "article.md"
    edit(article, 'nocite: "@*"', 'nocite: "@aqoci1988a, @aqoci1988b"')
    run = run_cli(capsys, "check", "--source", source_copy, "--output", tmp_path / "out")
    assert run.code == 0, run.err
    results = json.loads((tmp_path / "out" / "check.json").read_text(encoding="utf-8"))
    warned = sorted(r["line"] for r in results["results"] if r["check"] == "citations.uncited")
    fields = [r for r in results["results"] if r["check"] == "citations.fields"]
    assert len(warned) == 5 and len(fields) == 2

    page = html.parse(str(tmp_path / "out" / "check.html"))
    problems, passed = (
        [[cell.text_content().strip() for cell in row.findall("td")] for row in table.iter("tr")]
        for table in page.xpath("//table")[1:]
    )
    references = fields[0]["file"]
    uncited = [row for row in problems if row[1:2] and row[1].startswith("citations.uncited")]
    assert [int(row[2].rsplit(":", 1)[1]) for row in uncited] == warned
    assert all(row[0] == "warning" and row[2].startswith(references) for row in uncited)
    lines = sorted(r["line"] for r in fields)
    assert [
        "citations.fields",
        str(SEED_ARTICLE.as_posix()),
        f"{references}:{lines[0]}–{lines[-1]}",
        str(len(fields)),
    ] in passed
    assert nu_messages(tmp_path / "out" / "check.html") == []


def test_the_crossref_deposit_validates_and_carries_the_article(seed_output: Path) -> None:
    deposit = seed_output / SEED_ARTICLE.parent / "nps-4-1.crossref.xml"
    document = etree.parse(str(deposit))
    xsd = SCHEMAS / "crossref-5.3.1" / "crossref5.3.1.xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    assert schema.validate(document), schema.error_log
    ns = {"c": "http://www.crossref.org/schema/5.3.1", "j": "http://www.ncbi.nlm.nih.gov/JATS1"}
    root = document.getroot()
    assert root.findtext("c:head/c:depositor/c:depositor_name", namespaces=ns) == "Érudit"
    assert root.findtext(".//c:journal_metadata/c:full_title", namespaces=ns) == (
        "Nouvelles pratiques sociales"
    )
    issns = {
        e.get("media_type"): e.text
        for e in root.iterfind(".//c:journal_metadata/c:issn", namespaces=ns)
    }
    assert issns == {"print": "0843-4468", "electronic": "1703-9312"}
    assert root.findtext(".//c:journal_volume/c:volume", namespaces=ns) == "4"
    assert root.findtext(".//c:journal_issue/c:issue", namespaces=ns) == "1"
    (article,) = root.iterfind(".//c:journal_article", namespaces=ns)
    assert article.findtext("c:doi_data/c:doi", namespaces=ns) == "10.7202/301114ar"
    assert article.findtext("c:doi_data/c:resource", namespaces=ns) == (
        "https://id.erudit.org/iderudit/301114ar"
    )
    assert article.findtext("c:pages/c:first_page", namespaces=ns) == "27"
    assert article.findtext("c:pages/c:last_page", namespaces=ns) == "37"
    person = article.find("c:contributors/c:person_name", namespaces=ns)
    assert person is not None and person.get("sequence") == "first"
    assert person.findtext("c:surname", namespaces=ns) == "Lafleur"
    assert article.findtext("j:abstract/j:p", namespaces=ns).startswith("Les organismes")
    assert len(article.findall("c:citation_list/c:citation", namespaces=ns)) == 7


def test_the_deposit_is_the_same_for_the_same_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed_output: Path
) -> None:
    deposit = seed_output / SEED_ARTICLE.parent / "nps-4-1.crossref.xml"
    text = deposit.read_text(encoding="utf-8")
    assert "<timestamp>19910101000000</timestamp>" in text  # the issue date, not the clock
    assert "<doi_batch_id>nps-4-1-19910101000000</doi_batch_id>" in text
