"""Word manuscripts in: DOCX files made from the corpus articles, imported, built, compared.

Each corpus article, imported from its JATS, is written back as an author's Word manuscript
(`tests/manuscripts.py`): so what the manuscript holds is known, field by field. The Word
import must bring back the body (words in order), every figure, table, footnote and equation,
the first page, and the bibliography parsed into CSL with the citations linked to it.
Hostile or unfinished Word files each get their message, and nothing is written for them.
"""

from __future__ import annotations

import html
import http.server
import io
import json
import re
import shutil
import threading
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

from galley import cli
from galley.compare import compare, counts
from galley.importers import refparse
from galley.importers.jats import read_jats
from galley.read.journal import find_csl
from tests.conftest import ARTICLES, CORPUS, ELIFE, PLOS, ROOT, SCHEMAS, SCIELO, run_cli
from tests.manuscripts import Field, endnote, make_manuscript, mendeley, word_manuscript, zotero
from tests.tools import JsonHandler

ARTICLE = "manuscript"


@dataclass
class Manuscript:
    docx: Path
    order: list[str]  # the ids of the references, in the order the bibliography printed them
    truth: Path  # the article folder imported from the JATS: what the manuscript holds
    source: Path  # a source folder with the journal and the issue
    folder: Path  # where the Word import wrote the article


def _plain(text: Any) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text or "").casefold())
    return "".join(c for c in decomposed if c.isalnum())


def _issue_only(journal: Path, issue: Path, into: Path) -> Path:
    """A source folder holding the journal and one issue, no article."""
    (into / issue.name).mkdir(parents=True)
    shutil.copy(journal / "journal.yaml", into / "journal.yaml")
    shutil.copy(issue / "issue.yaml", into / issue.name / "issue.yaml")
    return into / issue.name


def _journal_csl(journal: Path) -> Path:
    name = yaml.safe_load((journal / "journal.yaml").read_text(encoding="utf-8"))["csl"]
    found = find_csl(name, journal)
    assert found is not None
    return found


@pytest.fixture(scope="session")
def manuscripts(imported: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Manuscript]:
    """Each corpus article as a Word manuscript, imported into an empty issue."""
    folder = tmp_path_factory.mktemp("manuscripts")
    made = {}
    for name, (journal, article) in ARTICLES.items():
        truth = imported / journal / article
        docx = folder / f"{name}.docx"
        order = make_manuscript(truth, _journal_csl(imported / journal), docx)
        issue = _issue_only(imported / journal, truth.parent, folder / name / "source")
        code = cli.main(["import", str(docx), "--into", str(issue), "--article", ARTICLE, "-q"])
        assert code == 0, f"the {name} manuscript must import"
        made[name] = Manuscript(docx, order, truth, issue.parent, issue / ARTICLE)
    return made


def _finish(manuscript: Manuscript) -> None:
    """What the editor does after the import: fill the gaps the import marked (the DOI, any
    missing keyword) and complete the references the parser left without a required field."""
    path = manuscript.folder / "article.md"
    truth_front = yaml.safe_load(
        (manuscript.truth / "article.md").read_text(encoding="utf-8").split("---\n")[1]
    )
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^doi: .*$", f"doi: {truth_front['doi']}", text, flags=re.M)
    keywords = truth_front.get("keywords") or ["none"]
    if isinstance(keywords, dict):
        keywords = next(iter(keywords.values()))
    text = re.sub(r"^- 'FILL IN: no keywords were found'$", f"- {keywords[0]}", text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    truth = {i["id"]: i for i in yaml.safe_load((manuscript.truth / "references.yaml").read_text())}
    parsed = yaml.safe_load((manuscript.folder / "references.yaml").read_text(encoding="utf-8"))
    for item, key in zip(parsed, manuscript.order, strict=True):
        expected = truth[key]
        if any(field not in item for field in ("title", "issued")) or not (
            item.get("author") or item.get("editor")
        ):
            for field in ("type", "title", "issued", "author", "editor", "note"):
                item.pop(field, None)
                if field in expected:
                    item[field] = expected[field]
    (manuscript.folder / "references.yaml").write_text(
        yaml.safe_dump(parsed, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def _checked_jats(source: Path, jats: Path) -> Path:
    """galley's JATS of the one article under `source`, made and checked (XSD, galley's rules,
    JATS4R) as a build checks it, written to `jats`."""
    from galley.diagnostics import Severity
    from galley.read import read_project
    from galley.render import BuildInfo, article_formats
    from galley.templating import Templates
    from galley.validate.jats import JatsValidator

    read = read_project(source)
    errors = [d.format() for d in read.diagnostics if d.severity == Severity.ERROR]
    assert read.project is not None and not errors, errors
    (article,) = read.project.articles
    made = article_formats()["jats"](article, Templates(), BuildInfo(1700000000))
    problems = JatsValidator(SCHEMAS).validate(made.data, jats, article.doi)
    assert not [p for p in problems if p.severity == Severity.ERROR], problems
    jats.parent.mkdir(parents=True, exist_ok=True)
    jats.write_bytes(made.data)
    return jats


@pytest.fixture(scope="session")
def built(
    manuscripts: dict[str, Manuscript], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Each imported manuscript, finished by the editor, read and its JATS made and checked:
    what the tests compare. The whole build of an imported article (every format, every
    validator) is the round trip's, in conftest."""
    out = tmp_path_factory.mktemp("manuscripts-built")
    written = {}
    for name, manuscript in manuscripts.items():
        _finish(manuscript)
        written[name] = _checked_jats(manuscript.source, out / name / f"{name}.xml")
    return written


@pytest.fixture(scope="session")
def from_jats(imported: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """galley's JATS of each corpus article imported from the journal's own JATS: what the
    manuscript's import is held to (the same renderer, no whole build needed)."""
    out = tmp_path_factory.mktemp("from-jats")
    return {
        name: _checked_jats(imported / journal, out / name / f"{name}.xml")
        for name, (journal, _article) in ARTICLES.items()
    }


# --------------------------------------------------------------------------- the content


@pytest.mark.parametrize("name", [PLOS, ELIFE, SCIELO])
def test_a_manuscript_keeps_its_body_words_in_order(name: str, built: dict[str, Path]) -> None:
    result = compare(CORPUS / f"{name}.xml", built[name])
    assert result.word_share >= 0.99, (result.summary, result.missing[:40])


@pytest.mark.parametrize("name", [PLOS, ELIFE, SCIELO])
def test_every_table_figure_footnote_and_equation_is_kept(
    name: str, built: dict[str, Path], from_jats: dict[str, Path]
) -> None:
    """The same counts as galley's JATS of the article imported from the journal's JATS."""
    ours, theirs = (read_jats(path).getroot() for path in (built[name], from_jats[name]))
    for element in ("fig", "table-wrap", "disp-formula", "inline-formula", "ref"):
        assert counts(ours).get(element, 0) == counts(theirs).get(element, 0), element
    # footnotes and table notes (an author's notes, "Deceased.", are no part of the text)
    notes = "body//fn | back//fn[not(ancestor::fn-group[@content-type='author-contribution'])]"
    assert len(ours.xpath(notes)) == len(theirs.xpath(notes))


def _fields(item: dict[str, Any]) -> dict[str, str]:
    authors = item.get("author") or [{}]
    year = (item.get("issued") or {}).get("date-parts", [[""]])[0][0]
    return {
        "type": item.get("type", ""),
        "author": authors[0].get("family") or authors[0].get("literal", ""),
        "year": str(year),
        "title": item.get("title", ""),
        "container": item.get("container-title", ""),
    }


def _parsed_right(manuscript: Manuscript) -> tuple[int, list[str]]:
    truth = {i["id"]: i for i in yaml.safe_load((manuscript.truth / "references.yaml").read_text())}
    parsed = yaml.safe_load((manuscript.folder / "references.yaml").read_text(encoding="utf-8"))
    assert len(parsed) == len(manuscript.order)
    wrong = []
    for item, key in zip(parsed, manuscript.order, strict=True):
        ours, theirs = _fields(item), _fields(truth[key])
        bad = [f for f in ours if _plain(ours[f]) != _plain(theirs[f])]
        if bad:
            wrong.append(f"{key}: {bad} in {item['original'][:90]}")
    return len(parsed) - len(wrong), wrong


# The share of references the parser gets wholly right on these manuscripts, as the issue asks
# (measured: 156 of 171).
PARSED_RIGHT = 0.9


def test_references_are_parsed_into_the_right_csl(manuscripts: dict[str, Manuscript]) -> None:
    """Type, first author, year, title and container all right, over the three journals'
    styles (numeric PLOS, author-year eLife, APA)."""
    right = total = 0
    problems = []
    for manuscript in manuscripts.values():
        good, wrong = _parsed_right(manuscript)
        right += good
        total += len(manuscript.order)
        problems += wrong
    assert right / total >= PARSED_RIGHT, (f"{right}/{total}", problems[:20])


# References as the journals typed them (their JATS mixed-citation), which the labeller alone
# cut wrongly, and what the journals' element-citation says they hold.
TYPED = [
    (
        "Karpov S, Coupe S. 1998. A revision of choanoflagellate genera Kentrosiga, Schiller, "
        "1953 and Desmarella, Kent, 1880. Acta protozoologica 37:23–27.",
        {
            "title": "A revision of choanoflagellate genera Kentrosiga, Schiller, 1953 and "
            "Desmarella, Kent, 1880",
            "container-title": "Acta protozoologica",
        },
    ),
    (
        "Risken H. The Fokker-Planck Equation: Methods of Solution and Application. second "
        "edition. Berlin: Springer; 1996.",
        {"title": "The Fokker-Planck Equation: Methods of Solution and Application"},
    ),
    (
        "R Development Core Team. 2015. R: a language and environment for statistical "
        "computing. http://www.r-project.org/",
        {"author": [{"literal": "R Development Core Team"}]},
    ),
    (
        "Botelho, A. (2004). A produção do espaço e o empresariamento Urbano: o caso de "
        "Barcelona e seu fórum das culturas de 2004. GEOUSP-Espaço e Tempo, 8(2), 111–124.",
        {"container-title": "GEOUSP-Espaço e Tempo", "type": "article-journal"},
    ),
    (
        "Leite, R. P. (2007). Contra-usos da Cidade (2ª ed.). Editora Unicamp.",
        {"title": "Contra-usos da Cidade", "edition": "2", "type": "book"},
    ),
]


@pytest.mark.parametrize(("typed", "expected"), TYPED)
def test_a_title_runs_from_one_full_stop_to_the_next(typed: str, expected: dict[str, Any]) -> None:
    """Commas, years and places inside a title, a subtitle before its colon, an organisation
    as author, an edition in brackets: what the journal's own record holds."""
    (parsed,) = refparse.parse([typed])
    assert {key: parsed.item.get(key) for key in expected} == expected


def test_each_reference_keeps_its_original_string(manuscripts: dict[str, Manuscript]) -> None:
    manuscript = manuscripts[PLOS]
    parsed = yaml.safe_load((manuscript.folder / "references.yaml").read_text(encoding="utf-8"))
    with zipfile.ZipFile(manuscript.docx) as archive:
        document = archive.read("word/document.xml").decode()
    typed = html.unescape(" ".join(re.sub(r"<[^>]+>", "", document).split()))
    for item in parsed:
        assert item["original"][-40:] in typed


@pytest.mark.parametrize("name", [PLOS, ELIFE, SCIELO])
def test_in_text_citations_link_the_references_they_name(
    name: str, built: dict[str, Path], from_jats: dict[str, Path]
) -> None:
    """The built article cites the same references, as often, as the article galley built
    from the journal's own JATS (citations by first author and year)."""
    result = compare(from_jats[name], built[name])
    assert result.cited_found >= 0.95 * result.cited, result.summary


def test_the_first_page_fills_the_front_matter(manuscripts: dict[str, Manuscript]) -> None:
    for manuscript in manuscripts.values():
        ours = yaml.safe_load((manuscript.folder / "article.md").read_text().split("---\n")[1])
        truth = yaml.safe_load((manuscript.truth / "article.md").read_text().split("---\n")[1])
        title = (
            truth["title"]
            if isinstance(truth["title"], str)
            else next(iter(truth["title"].values()))
        )
        assert _plain(ours["title"]) == _plain(title)
        families = [a["name"].get("family") or a["name"].get("literal") for a in truth["author"]]
        ours_families = [a["name"].get("family", "") for a in ours["author"]]
        people = [f for f in families if " " not in f]  # a group's name is not a person's
        assert [f for f in ours_families if f in people] == people
        assert len(ours.get("affiliations", [])) == len(truth.get("affiliations", []))
        assert (
            _plain(ours["abstract"])[:200]
            == _plain(
                truth["abstract"]
                if isinstance(truth["abstract"], str)
                else next(iter(truth["abstract"].values()))
            )[:200]
        )


def test_labels_and_cross_references_come_from_the_typed_words(
    manuscripts: dict[str, Manuscript],
) -> None:
    text = (manuscripts[PLOS].folder / "article.md").read_text(encoding="utf-8")
    assert "{#fig-1" in text and "{#tbl-1}" in text
    assert re.search(r"\[(?:Fig|Figure)\s+1\]\(#fig-1\)", text)
    assert "\\tag{2b}" in text  # numbered by hand as printed
    assert (manuscripts[PLOS].folder / "figures" / "fig-1.png").read_bytes()[:4] == b"\x89PNG"


def test_what_the_manuscript_lacks_is_a_gap_that_check_refuses_with_its_line(
    manuscripts: dict[str, Manuscript], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manuscript = manuscripts[SCIELO]
    copy = tmp_path / "source"
    shutil.copytree(manuscript.source, copy)
    article = copy / manuscript.folder.parent.name / ARTICLE / "article.md"
    text = article.read_text(encoding="utf-8")
    text = re.sub(r"^doi: .*$", 'doi: "FILL IN: the DOI the journal assigns"', text, flags=re.M)
    article.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("doi:"))
    run = run_cli(capsys, "check", "--source", copy, "--output", tmp_path / "out")
    assert run.code == 1
    assert f"article.md:{line}:" in run.out + run.err
    assert "intake.gap" in run.out + run.err


# --------------------------------------------------------------------------- bad Word files


def _small_manuscript(folder: Path, extra: str = "") -> Path:
    """A one-page Word manuscript written by pandoc."""
    from galley import pandoc

    markdown = folder / "small.md"
    markdown.write_text(
        "A small study\n\nAna Lima^1^\n\n^1^ Universidade Federal, Recife, Brasil\n\n"
        "# Abstract\n\nWhat was studied.\n\nKeywords: one; two\n\n# Introduction\n\n"
        f"Some text (Lima, 2020).{extra}\n\n# References\n\n"
        "Lima, A. (2020). A title of the study. *Revista Brasileira de Testes*, 12(3), 45–67.\n",
        encoding="utf-8",
    )
    docx = folder / "small.docx"
    import subprocess

    subprocess.run(
        [pandoc.binary(), str(markdown), "-o", str(docx)], check=True, capture_output=True
    )
    return docx


def _rewrite(docx: Path, target: Path, change: Any) -> Path:
    """A copy of `docx` with word/document.xml changed by `change`."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = change(data.decode()).encode()
            out.writestr(info, data)
    return target


def _first_run(xml: str, insert: str) -> str:
    """`insert` put after the first text run of the body's third paragraph."""
    index = 0
    for _ in range(3):
        index = (
            xml.index("<w:p>", index + 1)
            if "<w:p>" in xml[index + 1 :]
            else xml.index("<w:p ", index + 1)
        )
    end = xml.index("</w:p>", index)
    return xml[:end] + insert + xml[end:]


TRACKED = (
    '<w:ins w:id="90" w:author="Reviewer" w:date="2026-01-01T00:00:00Z">'
    "<w:r><w:t>inserted words</w:t></w:r></w:ins>"
)
OBJECT = (
    '<w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" '
    'ProgID="Excel.Sheet.12"/></w:object></w:r>'
)
TEXTBOX = (
    '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
    "<w:p><w:r><w:drawing/></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _small_manuscript(tmp_path_factory.mktemp("small"))


@pytest.fixture
def issue(tmp_path: Path, imported: Path) -> Path:
    journal, article = ARTICLES[SCIELO]
    truth = imported / journal / article
    return _issue_only(imported / journal, truth.parent, tmp_path / "source")


def _refused(
    capsys: pytest.CaptureFixture[str], issue: Path, docx: Path, code: str, *args: str
) -> str:
    before = sorted(p.name for p in issue.iterdir())
    run = run_cli(capsys, "import", docx, "--into", issue, *args)
    said = run.out + run.err
    assert run.code == 1, said
    assert f"[{code}]" in said and docx.name in said and "hint:" in said, said
    assert sorted(p.name for p in issue.iterdir()) == before, "nothing is written"
    return said


def test_tracked_changes_are_refused_unless_the_editor_decides(
    small: Path, issue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docx = _rewrite(small, tmp_path / "tracked.docx", lambda x: _first_run(x, TRACKED))
    said = _refused(capsys, issue, docx, "docx.tracked-changes")
    assert "paragraph 3" in said and "--changes accept" in said
    run = run_cli(capsys, "import", docx, "--into", issue, "--changes", "accept")
    assert run.code == 0
    assert "inserted words" in (issue / "tracked" / "article.md").read_text(encoding="utf-8")
    said = run.out + run.err  # accepted as told, never silently: how many, and where
    assert "warning[docx.decided]: paragraph 3 (“" in said
    assert "1 tracked change(s) accepted (--changes accept)" in said
    args = ("--changes", "reject", "--article", "rejected")
    assert run_cli(capsys, "import", docx, "--into", issue, *args).code == 0
    assert "inserted words" not in (issue / "rejected" / "article.md").read_text(encoding="utf-8")


def test_comments_are_refused_or_dropped_into_the_report(
    tmp_path: Path, issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    comment = ' [Check this]{.comment-start id="0" author="Reviewer 2"}claim[]{.comment-end id="0"}'
    docx = _small_manuscript(tmp_path, comment)
    said = _refused(capsys, issue, docx, "docx.comments")
    assert "Reviewer 2" in said
    run = run_cli(capsys, "import", docx, "--into", issue, "--comments", "drop")
    assert run.code == 0
    report = (issue / "small" / "import-report.md").read_text(encoding="utf-8")
    assert "Reviewer 2: Check this" in report
    assert "warning[docx.decided]: paragraph 8 (“Some text" in run.out + run.err
    assert "1 comment(s) dropped (--comments drop)" in run.out + run.err


@pytest.mark.parametrize(
    ("insert", "code"),
    [(OBJECT, "docx.embedded-object"), (TEXTBOX, "docx.textbox-image")],
)
def test_what_pandoc_cannot_see_is_refused_with_its_paragraph(
    small: Path,
    issue: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    insert: str,
    code: str,
) -> None:
    docx = _rewrite(small, tmp_path / "object.docx", lambda x: _first_run(x, insert))
    assert "paragraph 3" in _refused(capsys, issue, docx, code)


def test_a_corrupt_file_is_refused(
    small: Path, issue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docx = tmp_path / "broken.docx"
    docx.write_bytes(small.read_bytes()[: small.stat().st_size // 2])
    _refused(capsys, issue, docx, "docx.corrupt")


def test_a_word_file_declaring_an_external_entity_is_refused_by_name(
    small: Path, issue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entity = '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'

    def declare(xml: str) -> str:
        head, _, rest = xml.partition("?>")
        return f"{head}?>{entity}{rest}"

    docx = _rewrite(small, tmp_path / "entity.docx", declare)
    said = _refused(capsys, issue, docx, "docx.corrupt")
    assert "word/document.xml declares a DTD or entities" in said
    assert "a bug in galley" not in said and "root:" not in said


def test_a_password_protected_file_is_refused(
    small: Path, issue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    docx = tmp_path / "locked.docx"
    with small.open("rb") as plain, docx.open("wb") as locked:
        OOXMLFile(plain).encrypt("secret", locked)
    assert "remove the password" in _refused(capsys, issue, docx, "docx.encrypted")


def test_an_old_doc_file_is_refused(
    issue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "old.docx"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    assert "save it as Word Document (.docx)" in _refused(capsys, issue, doc, "docx.legacy")


def test_a_zip_bomb_is_refused_unread(
    small: Path, issue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docx = tmp_path / "bomb.docx"
    shutil.copy(small, docx)
    with zipfile.ZipFile(docx, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", bytes(64 * 1024 * 1024))
    _refused(capsys, issue, docx, "docx.too-large")


def test_a_manuscript_goes_into_an_issue_folder_only(
    small: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "not-an-issue"
    elsewhere.mkdir()
    _refused(capsys, elsewhere, small, "docx.no-issue")


def test_what_an_import_leaves_out_or_cannot_find_is_said_as_a_warning(
    small: Path, issue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The import report's entries a production editor must act on are said when the import
    ends too: a value the Word file lacks (its DOI), content galley could not carry."""
    docx = _small_manuscript(tmp_path, " See [this page](javascript:alert(1)).")
    run = run_cli(capsys, "import", docx, "--into", issue)
    said = run.out + run.err
    assert run.code == 0, said
    assert "small.docx: warning[docx.gap]: doi: " in said, said
    assert "warning[docx.not-carried]: link “this page”: a link to 'javascript:" in said, said


def test_an_existing_article_is_never_overwritten(
    small: Path, issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "import", small, "--into", issue).code == 0
    _refused(capsys, issue, small, "import.exists")


# --------------------------------------------------------------------------- online matching


class Crossref(JsonHandler):
    """Crossref's bibliographic search, answered from the corpus's own reference data."""

    records: ClassVar[list[dict[str, Any]]] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path != "/works":
            self.send_response(404)
            self.end_headers()
            return
        query = set(re.findall(r"\w+", parse_qs(url.query)["query.bibliographic"][0].casefold()))
        scored = []
        for record in Crossref.records:
            words = set(re.findall(r"\w+", json.dumps(record, ensure_ascii=False).casefold()))
            shared = len(query & words) / max(len(query), 1)
            scored.append((round(100 * shared, 1), record))
        scored.sort(key=lambda pair: -pair[0])
        items = [dict(record, score=score) for score, record in scored[:3]]
        self.send_json({"status": "ok", "message": {"items": items}})


@pytest.fixture
def crossref(imported: Path) -> Iterator[str]:
    journal, article = ARTICLES[PLOS]
    references = yaml.safe_load((imported / journal / article / "references.yaml").read_text())
    Crossref.records = [
        {
            "DOI": item["DOI"],
            "title": [item.get("title", "")],
            "author": [
                {"family": a.get("family", a.get("literal", ""))} for a in item.get("author", [])
            ],
            "issued": item.get("issued", {}),
            "container-title": [item.get("container-title", "")],
        }
        for item in references
        if item.get("DOI")
    ]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Crossref)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_online_matching_finds_the_dois_and_reports_each_decision(
    imported: Path, crossref: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal, article = ARTICLES[PLOS]
    truth = imported / journal / article
    docx = tmp_path / "nodois.docx"
    order = make_manuscript(truth, _journal_csl(imported / journal), docx, strip_dois=True)
    issue = _issue_only(imported / journal, truth.parent, tmp_path / "source")
    args = ("--online", "--crossref-url", crossref, "--no-cache", "--article", ARTICLE)
    assert run_cli(capsys, "import", docx, "--into", issue, *args).code == 0
    references = yaml.safe_load((truth / "references.yaml").read_text(encoding="utf-8"))
    expected = {item["id"]: item.get("DOI") for item in references}
    parsed = yaml.safe_load((issue / ARTICLE / "references.yaml").read_text(encoding="utf-8"))
    found = {key: item.get("DOI") for key, item in zip(order, parsed, strict=True)}
    with_doi = [key for key in order if expected[key]]
    matched = [key for key in with_doi if found[key] == expected[key]]
    assert len(matched) >= 0.9 * len(with_doi), (matched, with_doi)
    assert not [key for key in order if found[key] and found[key] != expected[key]], "no wrong DOI"
    report = (issue / ARTICLE / "import-report.md").read_text(encoding="utf-8")
    assert report.count("**matched**") == len(matched)
    assert "**not matched**" in report  # the books without a DOI: each rejection shown


def test_online_matching_says_when_crossref_is_unreachable(
    small: Path, issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("--online", "--crossref-url", "http://127.0.0.1:9/api", "--no-cache")
    run = run_cli(capsys, "import", small, "--into", issue, *args)
    assert run.code == 0
    report = (issue / "small" / "import-report.md").read_text(encoding="utf-8")
    assert "could not reach" in report
    assert "Traceback" not in run.out + run.err


def test_an_article_id_that_cannot_be_one_is_refused(
    small: Path, issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _refused(capsys, issue, small, "docx.article-id", "--article", "«—»")


EXTERNAL_IMAGE = (
    '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
    'wordprocessingDrawing"><wp:extent cx="100" cy="100"/><wp:docPr id="9" name="Linked"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
    'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic='
    '"http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'r:link="rIdRemote"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline>'
    "</w:drawing></w:r>"
)
SIMPLE_FIELD = (
    '<w:fldSimple w:instr=" AUTHOR "><w:r><w:t>Words shown by a field</w:t></w:r></w:fldSimple>'
)
FIELD_LINK = (  # a HYPERLINK field code, as Word writes one typed with Ctrl+F9
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
    'HYPERLINK "javascript:alert(2)" </w:instrText></w:r><w:r><w:fldChar '
    'w:fldCharType="separate"/></w:r><w:r><w:t>field link</w:t></w:r><w:r><w:fldChar '
    'w:fldCharType="end"/></w:r>'
)


def test_what_word_links_to_is_reported_and_a_simple_fields_words_are_kept(
    tmp_path: Path, issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a remote image vanished, javascript:/data: links were written live, a fldSimple's
    # paragraph vanished: each without a word
    extra = " See [the demo](javascript:alert(1)) and [the data](data:text/html,hi)."
    small = _small_manuscript(tmp_path, extra)
    docx = tmp_path / "linked.docx"
    relationship = (
        '<Relationship Id="rIdRemote" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/image" Target="https://images.example.org/figure1.png" '
        'TargetMode="External"/>'
    )
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(docx, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename).decode("utf-8", "surrogateescape")
            if info.filename == "word/document.xml":
                data = _first_run(data, EXTERNAL_IMAGE + SIMPLE_FIELD)
                body = data.index("</w:r>", data.index("Some text")) + len("</w:r>")
                data = data[:body] + FIELD_LINK + data[body:]  # in the body's first paragraph
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace("</Relationships>", relationship + "</Relationships>")
            out.writestr(info, data.encode("utf-8", "surrogateescape"))
    run = run_cli(capsys, "import", docx, "--into", issue)
    assert run.code == 0, run.out + run.err
    folder = issue / "linked"
    article = (folder / "article.md").read_text(encoding="utf-8")
    report = (folder / "import-report.md").read_text(encoding="utf-8")
    assert "javascript:" not in article and "data:text" not in article
    assert "field link" in article and "a link to 'javascript:alert(2)'" in report
    assert "the demo" in article and "the data" in article  # the words stay
    assert "a link to 'javascript:alert(1)'" in report and "a link to 'data:text/html,hi'" in report
    assert "https://images.example.org/figure1.png" in report and "paragraph 3" in report
    assert "Words shown by a field" in article
    assert "a Word field (AUTHOR): kept as the words it shows" in report


def test_an_image_the_build_would_refuse_is_refused_at_import(
    small: Path, issue: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    docx = tmp_path / "huge.docx"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(docx, "w") as out:
        for info in source.infolist():
            out.writestr(info, source.read(info.filename))
        out.writestr("word/media/huge.png", buffer.getvalue())
    said = _refused(capsys, issue, docx, "docx.too-large")
    assert "word/media/huge.png decodes to 400,000,000 pixels" in said


def test_pandoc_reaching_its_memory_bound_on_a_word_file_names_it(
    issue: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a 3.6 MB .docx whose text inflates to 210 MB took pandoc to 23.5 GB: its heap is bounded
    # (here at pandoc's least, 64 MB, which a long manuscript exceeds)
    from galley import limits

    words = " ".join(f"w{n * 7919 % 1000003}" for n in range(150_000))  # no zip bomb
    long = _small_manuscript(tmp_path, " " + words)
    monkeypatch.setattr(limits, "PANDOC_MEMORY", "64m")
    said = _refused(capsys, issue, long, "pandoc.limit")
    assert "of memory reading" in said and "small.docx" in said


# --------------------------------------------------------------------------- Word's own files


@pytest.fixture
def word_issue(tmp_path: Path) -> Path:
    """An issue of the sample journal whose `issue.yaml` lists its articles, none there yet."""
    source = tmp_path / "source"
    (source / "vol-1").mkdir(parents=True)
    shutil.copy(ROOT / "source" / "journal.yaml", source / "journal.yaml")
    (source / "vol-1" / "issue.yaml").write_text(
        "volume: 1\nissue: 1\nissued: 2024\narticles:          # the order\n  - first\n",
        encoding="utf-8",
    )
    return source / "vol-1"


def _front(folder: Path) -> dict[str, Any]:
    front: dict[str, Any] = yaml.safe_load(
        (folder / "article.md").read_text(encoding="utf-8").split("---\n")[1]
    )
    return front


def _references(folder: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(
        (folder / "references.yaml").read_text(encoding="utf-8")
    )
    return items


def test_many_references_of_one_key_each_get_their_own(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = [f"World Health Organization. 2020. Report on topic {n}. Geneva." for n in range(30)]
    docx = word_manuscript(tmp_path / "who.docx", [["Some text."]], references=typed)
    run = run_cli(capsys, "import", docx, "--into", word_issue)
    assert run.code == 0 and "Traceback" not in run.out + run.err, run.out + run.err
    items = _references(word_issue / "who")
    assert [item["original"] for item in items] == typed  # every one kept, in order
    keys = [item["id"] for item in items]
    assert len(set(keys)) == 30
    base = keys[0]  # a, b, … z, aa: as many as there are
    assert [keys[1], keys[26], keys[27], keys[29]] == [f"{base}{s}" for s in ("a", "z", "aa", "ac")]


def test_the_title_author_and_abstract_styles_fill_the_front_matter(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pandoc's reference.docx styles (Title, Subtitle, Author, one paragraph per author,
    Abstract), as `pandoc x.xml -f jats -o x.docx` writes them."""
    import subprocess

    from galley import pandoc

    markdown = tmp_path / "styled.md"
    markdown.write_text(
        "---\ntitle: A styled study\nsubtitle: of three authors\nauthor:\n- Ana Lima\n"
        "- Bruno de Souza\n- Carla Dias\nabstract: |\n  What was studied.\n\n  What was found.\n"
        "---\n\n# Introduction\n\nSome text.\n",
        encoding="utf-8",
    )
    docx = tmp_path / "styled.docx"
    subprocess.run([pandoc.binary(), str(markdown), "-o", str(docx)], check=True)
    assert run_cli(capsys, "import", docx, "--into", word_issue).code == 0
    front = _front(word_issue / "styled")
    assert front["title"] == "A styled study" and front["subtitle"] == "of three authors"
    assert [a["name"] for a in front["author"]] == [
        {"given": "Ana", "family": "Lima"},
        {"given": "Bruno", "family": "de Souza"},
        {"given": "Carla", "family": "Dias"},
    ]
    assert front["abstract"] == "What was studied.\n\nWhat was found."
    body = (word_issue / "styled" / "article.md").read_text(encoding="utf-8").split("---\n")[2]
    assert "What was" not in body and "Some text." in body


def test_words_title_style_is_the_title(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docx = word_manuscript(tmp_path / "word.docx", [["Some text."]], title="Styled in Word")
    assert run_cli(capsys, "import", docx, "--into", word_issue).code == 0
    front = _front(word_issue / "word")
    assert front["title"] == "Styled in Word"
    assert [a["name"]["family"] for a in front["author"]] == ["Lima", "Souza"]


# The references a reference manager holds, as CSL (Zotero's and Mendeley's fields carry them
# so; each has the manager's own id, which the key replaces).
LIMA = {
    "type": "article-journal",
    "title": "A title of the study",
    "author": [{"family": "Lima", "given": "Ana"}, {"family": "Souza", "given": "Bruno"}],
    "container-title": "Revista Brasileira de Testes",
    "volume": "12",
    "issue": "3",
    "page": "45-67",
    "issued": {"date-parts": [[2020, 3]]},
    "DOI": "10.1234/rbt.2020.45",
}
SOUZA = {
    "type": "book",
    "title": "Methods for small studies",
    "author": [{"family": "Souza", "given": "Bruno"}],
    "publisher": "Editora Exemplo",
    "publisher-place": "Recife",
    "issued": {"date-parts": [[2019]]},
    "note": "Zotero keeps any CSL field: so does galley",
}
PRINTED = [
    "Lima, A., & Souza, B. (2020). A title of the study. Revista Brasileira de Testes, 12(3), "
    "45–67. https://doi.org/10.1234/rbt.2020.45",
    "Souza, B. (2019). Methods for small studies. Editora Exemplo.",
]


def _body(folder: Path) -> str:
    return (folder / "article.md").read_text(encoding="utf-8").split("---\n", 2)[2]


def test_zotero_citations_bring_their_csl_exactly(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lima, souza = {"id": 7, **LIMA}, {"id": "8", **SOUZA}
    body: list[list[str | Field]] = [
        ["Small studies matter ", zotero([lima, souza], "(Lima & Souza, 2020; Souza, 2019)"), "."],
        ["As shown ", zotero([lima], "(Lima & Souza, 2020, p. 12)", locator="12", label="page")],
    ]
    bibliography = ' ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} CSL_BIBLIOGRAPHY '
    docx = word_manuscript(
        tmp_path / "zotero.docx", body, references=PRINTED, bibliography=bibliography
    )
    run = run_cli(capsys, "import", docx, "--into", word_issue)
    assert run.code == 0, run.out + run.err
    folder = word_issue / "zotero"
    assert _references(folder) == [{"id": "lima2020", **LIMA}, {"id": "souza2019", **SOUZA}]
    text = _body(folder)
    assert "Small studies matter [@lima2020; @souza2019]." in text
    assert "As shown [@lima2020, p. 12]" in text
    assert "Lima & Souza" not in text and "Editora Exemplo" not in text  # printed: not kept
    report = (folder / "import-report.md").read_text(encoding="utf-8")
    assert "2 citation(s) of 2 reference(s) read from Zotero's fields" in report
    assert "ZOTERO_BIBL" in report and "not parsed again" in report


def test_an_uncited_zotero_entry_known_only_in_print_is_kept(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Zotero's bibliography may list items no citation carries (marked uncited, or typed
    as custom entries): their only data is the printed list, which is then parsed, without
    taking the cited items twice."""
    lima = {"id": 7, **LIMA}
    body: list[list[str | Field]] = [
        ["Small studies matter ", zotero([lima], "(Lima & Souza, 2020)"), "."],
    ]
    uncited = '{"uncited":[["http://zotero.org/users/1/items/ABCD1234"]],"omitted":[],"custom":[]}'
    bibliography = f" ADDIN ZOTERO_BIBL {uncited} CSL_BIBLIOGRAPHY "
    printed = [
        PRINTED[0],
        "Costa, C. (2018). An uncited report on small studies. Instituto Exemplo.",
    ]
    docx = word_manuscript(
        tmp_path / "uncited.docx", body, references=printed, bibliography=bibliography
    )
    run = run_cli(capsys, "import", docx, "--into", word_issue)
    assert run.code == 0, run.out + run.err
    folder = word_issue / "uncited"
    items = _references(folder)
    assert items[0] == {"id": "lima2020", **LIMA}  # the field's data, exactly, once
    assert [item.get("title") for item in items[1:]] == ["An uncited report on small studies"]
    report = (folder / "import-report.md").read_text(encoding="utf-8")
    assert "lists 1 entr(y/ies) no citation field carries" in report


def test_a_mendeley_simple_field_brings_its_csl(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body: list[list[str | Field]] = [
        ["Small studies matter ", mendeley([{"id": "ITEM-1", **LIMA}], "[1]", simple=True), "."]
    ]
    docx = word_manuscript(tmp_path / "mendeley.docx", body, references=PRINTED[:1])
    assert run_cli(capsys, "import", docx, "--into", word_issue).code == 0
    folder = word_issue / "mendeley"
    assert _references(folder) == [{"id": "lima2020", **LIMA}]  # the typed one is the same
    assert "Small studies matter [@lima2020]." in _body(folder)


# EndNote's records (its XML), and the CSL each must become.
ENDNOTE_ARTICLE = (
    "<Cite><Author>Lima</Author><Year>2020</Year><RecNum>3</RecNum><DisplayText>(Lima &amp; "
    'Souza, 2020)</DisplayText><record><rec-number>3</rec-number><foreign-keys><key app="EN" '
    'db-id="x9">3</key></foreign-keys><ref-type name="Journal Article">17</ref-type>'
    "<contributors><authors><author>Lima, Ana</author><author>Souza, Bruno</author></authors>"
    '</contributors><titles><title><style face="normal" font="default" size="100%">A title of '
    "the study</style></title><secondary-title>Revista Brasileira de Testes</secondary-title>"
    "</titles><periodical><full-title>Revista Brasileira de Testes</full-title></periodical>"
    "<pages>45-67</pages><volume>12</volume><number>3</number><dates><year>2020</year></dates>"
    "<urls><related-urls><url>https://example.org/lima</url></related-urls></urls>"
    "<electronic-resource-num>10.1234/rbt.2020.45</electronic-resource-num></record></Cite>"
)
ENDNOTE_ARTICLE_CSL = {
    "type": "article-journal",
    "author": [{"family": "Lima", "given": "Ana"}, {"family": "Souza", "given": "Bruno"}],
    "title": "A title of the study",
    "container-title": "Revista Brasileira de Testes",
    "issued": {"date-parts": [[2020]]},
    "volume": "12",
    "issue": "3",
    "page": "45-67",
    "DOI": "10.1234/rbt.2020.45",
    "URL": "https://example.org/lima",
}
ENDNOTE_BOOK = (
    '<Cite ExcludeAuth="1"><Author>World Health Organization</Author><Year>2019</Year><RecNum>4'
    '</RecNum><Pages>12</Pages><record><rec-number>4</rec-number><ref-type name="Book">6'
    "</ref-type><contributors><authors><author>World Health Organization,</author></authors>"
    "<secondary-authors><author>Dias, Carla</author></secondary-authors></contributors><titles>"
    "<title>Methods for small studies</title></titles><dates><year>2019</year></dates>"
    "<pub-location>Geneva</pub-location><publisher>WHO Press</publisher><isbn>978-92-4-000000-0"
    "</isbn><label>Book 4</label><research-notes>read twice</research-notes><keywords><keyword>"
    "methods</keyword><keyword>small samples</keyword></keywords><notes>Second edition in press"
    "</notes><access-date>2021-05-04</access-date></record></Cite>"
)
ENDNOTE_BOOK_CSL = {
    "type": "book",
    "author": [{"literal": "World Health Organization"}],
    "editor": [{"family": "Dias", "given": "Carla"}],
    "title": "Methods for small studies",
    "issued": {"date-parts": [[2019]]},
    "publisher-place": "Geneva",
    "publisher": "WHO Press",
    "note": "Second edition in press",
    "ISBN": "978-92-4-000000-0",
    "keyword": "methods, small samples",
    "accessed": {"literal": "2021-05-04"},
}


def test_endnote_records_become_csl_field_by_field(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """EndNote's XML in the instruction (HTML entities) and in a nested EN.CITE.DATA field's
    base64 `fldData`; its printed bibliography (EN.REFLIST) not parsed again."""
    body: list[list[str | Field]] = [
        ["First ", endnote(ENDNOTE_ARTICLE, "(Lima & Souza, 2020)"), "."],
        ["Then ", endnote(ENDNOTE_ARTICLE + ENDNOTE_BOOK, "(Lima, 2020; 2019, 12)", in_data=True)],
    ]
    printed = [*PRINTED[:1], "World Health Organization. (2019). Methods for small studies."]
    docx = word_manuscript(
        tmp_path / "endnote.docx", body, references=printed, bibliography=" ADDIN EN.REFLIST "
    )
    run = run_cli(capsys, "import", docx, "--into", word_issue)
    assert run.code == 0, run.out + run.err
    folder = word_issue / "endnote"
    assert _references(folder) == [
        {"id": "lima2020", **ENDNOTE_ARTICLE_CSL},
        {"id": "worldhealthorganization2019", **ENDNOTE_BOOK_CSL},
    ]
    text = _body(folder)
    assert "First [@lima2020]." in text
    assert "Then [@lima2020; -@worldhealthorganization2019, 12]" in text
    # what has no CSL field (EndNote's label, the editor's own notes) is said, never dropped
    assert "EndNote's label, research-notes: no CSL field holds them" in (
        folder / "import-report.md"
    ).read_text(encoding="utf-8")
    report = (folder / "import-report.md").read_text(encoding="utf-8")
    assert "EN.REFLIST" in report and "not parsed again" in report


def test_a_citation_field_whose_data_is_broken_keeps_its_words(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = Field(' ADDIN ZOTERO_ITEM CSL_CITATION {"citationItems": [{"itemDa', "(Lima, 2020)")
    docx = word_manuscript(
        tmp_path / "broken.docx", [["Small studies matter ", broken, "."]], references=PRINTED
    )
    run = run_cli(capsys, "import", docx, "--into", word_issue)
    assert run.code == 0, run.out + run.err
    said = run.out + run.err
    assert "warning[docx.not-carried]: paragraph 7 (“Small studies matter (Lima, 2020).…”)" in said
    assert "Zotero or Mendeley citation whose data cannot be read" in said
    assert "Small studies matter [@lima2020]." in _body(word_issue / "broken")  # as typed


def test_citations_side_by_side_are_one_group(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lima, souza = {"id": 1, **LIMA}, {"id": 2, **SOUZA}
    body: list[list[str | Field]] = [
        ["Grouped (", zotero([lima], "Lima 2020"), "; ", zotero([souza], "Souza 2019"), ")."],
        ["Typed ([1]; [2]) and [1], [2]."],
    ]
    numbered = [f"{n}. {text}" for n, text in enumerate(PRINTED, 1)]
    docx = word_manuscript(tmp_path / "grouped.docx", body, references=numbered)
    assert run_cli(capsys, "import", docx, "--into", word_issue).code == 0
    text = _body(word_issue / "grouped")
    assert "Grouped [@lima2020; @souza2019]." in text
    assert "Typed [@lima2020; @souza2019] and [@lima2020; @souza2019]." in text


def test_word_equations_become_tex(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Word's equations (OMML, as pandoc and Word write them) as TeX, inline and displayed."""
    import subprocess

    from galley import pandoc

    markdown = tmp_path / "math.md"
    markdown.write_text(
        "A study\n\n# Introduction\n\nEnergy $E = mc^{2}$ is\n\n"
        "$$\\frac{a}{b} = \\sqrt{x_{1}}$$\n\nwhere it ends.\n",
        encoding="utf-8",
    )
    docx = tmp_path / "math.docx"
    subprocess.run([pandoc.binary(), str(markdown), "-o", str(docx)], check=True)
    with zipfile.ZipFile(docx) as archive:
        assert b"<m:oMath" in archive.read("word/document.xml")  # Word's own equations
    assert run_cli(capsys, "import", docx, "--into", word_issue).code == 0
    text = _body(word_issue / "math")
    assert "Energy $E = mc^{2}$ is" in text
    assert "$$\\frac{a}{b} = \\sqrt{x_{1}}$$" in text


def test_a_table_without_a_header_row_is_named(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import docx as python_docx
    from docx.oxml.ns import qn

    document = python_docx.Document()
    document.add_paragraph("A study", style="Title")
    document.add_heading("Introduction", 1)
    document.add_paragraph("Table 1. Counts of the cases")
    table = document.add_table(rows=2, cols=2)
    for row, words in zip(table.rows, (("Recife", "12"), ("Natal", "7")), strict=True):
        for cell, word in zip(row.cells, words, strict=True):
            cell.text = word
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    look.set(qn("w:firstRow"), "0")  # Table Design > Header Row not ticked
    path = tmp_path / "table.docx"
    document.save(str(path))
    run = run_cli(capsys, "import", path, "--into", word_issue)
    assert run.code == 0
    said = run.out + run.err
    assert "warning[docx.table-header]: table 1 (“Counts of the cases…”): no header row" in said


def test_a_link_to_a_target_the_import_does_not_make_goes_to_the_figure_or_stays_words(
    tmp_path: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Word links to its bookmarks (`#fig1`, as pandoc's JATS-made manuscripts do); the import
    makes its own ids (`fig-1`), so `check` would refuse every such link (`xref.unknown`)."""
    import subprocess

    from PIL import Image

    from galley import pandoc

    Image.new("RGB", (20, 20), "white").save(tmp_path / "plot.png")
    markdown = tmp_path / "links.md"
    markdown.write_text(
        "A study\n\n# Introduction\n\nAs [Figure 1](#fig1) shows, and [the appendix](#app1) "
        "too.\n\n![](plot.png)\n\nFigure 1. The plot.\n",
        encoding="utf-8",
    )
    docx = tmp_path / "links.docx"
    subprocess.run([pandoc.binary(), str(markdown), "-o", str(docx)], check=True, cwd=tmp_path)
    run = run_cli(capsys, "import", docx, "--into", word_issue)
    assert run.code == 0
    text = _body(word_issue / "links")
    assert "As [Figure 1](#fig-1) shows, and the appendix too." in text
    said = run.out + run.err
    assert "warning[docx.not-carried]: link “the appendix”: 1 link(s) to #app1" in said


@pytest.mark.parametrize(
    ("listed", "after"),
    [
        (
            "articles:          # the order\n  - first\n",
            "articles:          # the order\n  - first\n  - small\n",
        ),
        (
            "articles: [first]  # the order\nfirst-page: 3\n",
            "articles: [first, small]  # the order\nfirst-page: 3\n",
        ),
        ("articles: []\n", "articles: [small]\n"),
        ("title: No list\n", "title: No list\n"),  # the folders' order holds it
    ],
)
def test_the_imported_article_is_listed_in_its_issue(
    listed: str, after: str, small: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue_file = word_issue / "issue.yaml"
    issue_file.write_text(f"volume: 1\nissue: 1\nissued: 2024\n{listed}", encoding="utf-8")
    assert run_cli(capsys, "import", small, "--into", word_issue).code == 0
    assert issue_file.read_text(encoding="utf-8") == f"volume: 1\nissue: 1\nissued: 2024\n{after}"


def test_an_issue_list_the_import_cannot_extend_is_said(
    small: Path, word_issue: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue_file = word_issue / "issue.yaml"
    before = "volume: 1\nissue: 1\nissued: 2024\narticles: [first,\n  second]\n"
    issue_file.write_text(before, encoding="utf-8")
    run = run_cli(capsys, "import", small, "--into", word_issue)
    assert run.code == 0
    said = run.out + run.err
    assert f"{issue_file}: warning[import.issue-order]: the article 'small' could not be" in said
    assert issue_file.read_text(encoding="utf-8") == before  # never half-edited


def test_an_endnote_date_beyond_its_year_is_reported_not_dropped() -> None:
    from lxml import etree

    from galley.importers.wordfields import endnote_record

    record = etree.fromstring(
        '<record><ref-type name="Report">27</ref-type><titles><title>A report</title></titles>'
        "<dates><year>2019</year><pub-dates><date>Mar 12</date></pub-dates></dates>"
        "<custom3>shelf 4</custom3></record>"
    )
    item, unmapped = endnote_record(record)
    assert item == {"type": "report", "title": "A report", "issued": {"date-parts": [[2019]]}}
    assert unmapped == ["custom3", "dates/pub-dates (Mar 12)"]
