"""Importing published JATS: the three corpus articles come into galley and go out again.

The round trip (import -> build -> compare with the original) is the measure of a lossless
import: body words in order, the counts of the elements a migration must keep, the citations'
references and the metadata fields. Each count that differs is listed below with the reason
it differs; any other difference fails. Hostile files, re-imports and the `compare` command
have fast tests of their own.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from galley.compare import Comparison, compare, words
from tests.conftest import (
    ARTICLES,
    CORPUS,
    EDITOR_ADDITIONS,
    ELIFE,
    PLOS,
    SCIELO,
    import_files,
    run_cli,
)
from tests.tools import tree

# Counts that differ, rightly: (original, galley, why).
EXPECTED_DIFFERENCES: dict[str, dict[str, tuple[int, int, str]]] = {
    PLOS: {
        "label": (53, 52, "galley labels no affiliation of a single-affiliation byline ('1')"),
        "p": (
            48,
            46,
            "a supplementary file's caption is one paragraph ('(TIF)' joins it); "
            "the data availability statement, custom metadata in PLOS, is a paragraph",
        ),
        "sec": (
            9,
            10,
            "the data availability statement is a sec-type='data-availability' "
            "section (JATS4R), not custom metadata",
        ),
        "pub-id[doi]": (0, 9, "DOIs written in the references' text are tagged as DOIs"),
        "xref[bibr]": (
            28,
            26,
            "a collapsed range '[3–5]' is one xref to every reference it "
            "stands for (the citations check counts them alike)",
        ),
        "xref[corresp]": (
            1,
            0,
            "the corresponding author's e-mail is on the contrib, not in a corresp note",
        ),
    },
    ELIFE: {
        "aff": (5, 4, "non-byline members of group authors are not carried (reported)"),
        "contrib": (
            18,
            11,
            "the 7 non-byline members of the two group authors are not carried (reported)",
        ),
        "fn": (
            25,
            12,
            "author notes are one note per author, not one per symbol; the "
            "contribution and competing-interest notes are one statement each; the note "
            "in the history is not carried (reported)",
        ),
        "fpage": (95, 94, "the citation in the history note is not carried (reported)"),
        "kwd": (7, 4, "research-organism keywords are not carried (reported)"),
        "label": (
            55,
            43,
            "no labels on affiliations, author-note symbols and corresp; chemical "
            "structures are not carried (reported); the source-data files the figures "
            "carry and the video are published with their labels",
        ),
        "p": (
            166,
            164,
            "the history note is not carried (reported); the DOI paragraphs of "
            "supplementary files and the video's join their caption",
        ),
        "xref[supplementary-material]": (
            2,
            3,
            "the cross-reference to the video links the file it is published as",
        ),
        "sec": (
            25,
            24,
            "the 'additional information' section held only note groups, which "
            "are statements of their own kinds",
        ),
        "pub-id[doi]": (78, 77, "the citation in the history note is not carried (reported)"),
        "sub-article[article-commentary]": (
            1,
            0,
            "the decision letter is not carried (galley carries translations; reported)",
        ),
        "sub-article[reply]": (1, 0, "the author response is not carried (reported)"),
        "xref[aff]": (10, 11, "the reviewing editor's affiliation is linked from the editor"),
        "xref[corresp]": (3, 0, "corresponding authors' e-mails are on the contribs"),
        "xref[fig]": (20, 19, "a cross-reference without words is not carried (reported)"),
        "xref[fn]": (
            27,
            7,
            "author notes are linked once per author and kind; the "
            "contribution and competing-interest notes are statements",
        ),
        "xref[other]": (
            16,
            0,
            "links to funding sources, datasets and the video are not carried (their words are)",
        ),
        "xref[table-fn]": (
            5,
            4,
            "a table note called twice is called at its first place (reported)",
        ),
    },
    SCIELO: {
        "contrib": (3, 4, "the associate editor, a note in SciELO, is an editor contrib"),
        "fn": (
            6,
            1,
            "the editor note is an editor; data availability, funding and the "
            "journal's notes are back sections and the funding statement",
        ),
        "label": (10, 2, "no labels on affiliations and notes: their words are the titles"),
        "p": (
            109,
            104,
            "authors' bios are not carried (reported); the editor note is an "
            "editor; the funding note is the funding statement",
        ),
        "sec": (7, 8, "the data availability note is a sec-type='data-availability' section"),
        "pub-id[]": (5, 0, "untyped identifiers that are DOIs are typed 'doi'"),
        "pub-id[doi]": (16, 21, "untyped identifiers that are DOIs are typed 'doi'"),
    },
}


def test_a_folder_of_three_journals_imports_into_a_source_folder_each(imported: Path) -> None:
    for journal, article in ARTICLES.values():
        folder = imported / journal / article
        assert (imported / journal / "journal.yaml").is_file()
        assert (folder.parent / "issue.yaml").is_file()
        for name in ("article.md", "references.yaml", "import-report.md"):
            assert (folder / name).is_file(), f"{journal}: {name}"
    # The SciELO article's Portuguese translation is a translation file beside it.
    assert (imported / "osoc" / ARTICLES[SCIELO][1] / "article.pt.md").is_file()


def test_what_cannot_be_carried_is_named_with_its_element_and_line(imported: Path) -> None:
    report = (imported / "elife" / ARTICLES[ELIFE][1] / "import-report.md").read_text()
    assert "(line 6548) `<sub-article>`: a sub-article of type 'article-commentary'" in report
    assert "`<contrib>`: a group author's member (non-byline contributor)" in report
    scielo = (imported / "osoc" / ARTICLES[SCIELO][1] / "import-report.md").read_text()
    assert "(line 48) `<bio>`: an author's bio" in scielo


def test_files_beside_the_xml_are_carried(imported: Path) -> None:
    folder = imported / "plos" / ARTICLES[PLOS][1]
    # The figures' images (the formulas' images are not needed: their TeX and MathML are).
    assert sorted(p.name for p in (folder / "figures").iterdir()) == [
        f"journal.pone.0116752.g00{n}.png" for n in (1, 2, 3)
    ]
    supplementary = sorted(p.name for p in (folder / "supplementary").iterdir())
    assert supplementary == [
        "journal.pone.0116752.s001.pdf",
        "journal.pone.0116752.s002.tiff",
        "journal.pone.0116752.s003.tiff",
        "journal.pone.0116752.s004.tiff",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("name", [PLOS, ELIFE, SCIELO])
def test_the_round_trip_keeps_the_article_whole(name: str, round_trips: dict[str, Path]) -> None:
    result: Comparison = compare(CORPUS / f"{name}.xml", round_trips[name])
    assert result.word_share >= 0.995, result.missing
    # Nothing invented: what galley adds is headings of back sections it names and author
    # names its citation style writes outside the citation link.
    assert result.invented_words <= 0.01 * result.other_words
    assert result.cited_found == result.cited
    for found in result.translations.values():
        assert found.found >= 0.995 * found.original, found.missing
    assert result.metadata_differences == {}
    expected = {key: (a, b) for key, (a, b, _) in EXPECTED_DIFFERENCES[name].items()}
    assert result.count_differences == expected


@pytest.mark.slow
def test_the_round_trip_numbers_figures_and_equations_as_the_journal_did(
    round_trips: dict[str, Path],
) -> None:
    ns = {"xlink": "http://www.w3.org/1999/xlink"}
    plos = etree.parse(round_trips[PLOS]).getroot()
    labels = [label.text for label in plos.iterfind(".//disp-formula/label")]
    assert labels[:4] == ["(1)", "(2a)", "(2b)", "(3)"]
    elife = etree.parse(round_trips[ELIFE]).getroot()
    supplement = elife.find(".//fig[@id='fig-sfig1']")
    assert supplement is not None and supplement.findtext("label") == (
        "Figure 1—figure supplement 1"
    )
    panel = elife.find(".//xref[@rid='fig-fig1']")
    assert panel is not None and "".join(panel.itertext()) == "Figure 1A"
    files = plos.findall(".//supplementary-material")
    assert [f.findtext("label") for f in files] == [
        "S1 Supporting Information",
        "S1 Fig",
        "S2 Fig",
        "S3 Fig",
    ]
    assert files[1].get(f"{{{ns['xlink']}}}href") == "supplementary/journal.pone.0116752.s002.tiff"


def test_a_reimport_checks_and_never_overwrites(corpus: Path, tmp_path: Path) -> None:
    into = tmp_path / "source"
    assert import_files([corpus / f"{PLOS}.xml"], into) == 0
    before = tree(into)
    assert import_files([corpus / f"{PLOS}.xml"], into) == 1  # the article is there: an error
    assert import_files([corpus / f"{ELIFE}.xml"], into) == 1  # another journal's ISSN
    assert tree(into) == before


def test_a_reimport_names_the_conflict(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "source"
    assert import_files([corpus / f"{PLOS}.xml"], into) == 0
    capsys.readouterr()
    again = run_cli(capsys, "import", corpus / f"{PLOS}.xml", "--into", into)
    assert again.code == 1 and "error[import.exists]" in again.out + again.err
    other = run_cli(capsys, "import", corpus / f"{ELIFE}.xml", "--into", into)
    assert other.code == 1 and "error[import.journal-conflict]" in other.out + other.err
    assert "journal.yaml" in other.out + other.err


HOSTILE = {
    "external-entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        "<article><body><p>&secret;</p></body></article>\n",
        "import.entity",
    ),
    "billion-laughs": (
        '<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
        "<article><body><p>&lol3;</p></body></article>\n",
        "import.entity",
    ),
    "doctype-url": (
        '<?xml version="1.0"?>\n<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal '
        'Publishing DTD v1.3 20210610//EN" "http://127.0.0.1:9/JATS-journalpublishing1-3.dtd">\n'
        "<article><body><p>&nbsp;</p></body></article>\n",
        "import.entity",
    ),
    "not-xml": ("<article><body><p>unclosed</body></article>\n", "import.xml"),
    "not-jats": ('<?xml version="1.0"?>\n<html><body/></html>\n', "import.not-jats"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_file_gets_a_clear_error_and_writes_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, code = HOSTILE[case]
    file = tmp_path / f"{case}.xml"
    file.write_text(text, encoding="utf-8")
    into = tmp_path / "source"
    result = run_cli(capsys, "import", file, "--into", into)
    assert result.code == 1
    assert f"error[{code}]" in result.out + result.err
    assert f"{case}.xml" in result.out + result.err
    assert "root:" not in result.out + result.err and "/etc/passwd" not in result.out
    assert not into.exists() or not any(into.iterdir())


def test_a_file_too_large_for_one_article_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "huge.xml"
    with file.open("wb") as handle:  # 50 MB, sparse: the size alone refuses it
        handle.truncate(50 * 1024 * 1024)
    result = run_cli(capsys, "import", file, "--into", tmp_path / "source")
    assert result.code == 1 and "error[import.too-large]" in result.out + result.err


def test_compare_finds_a_dropped_paragraph_and_a_changed_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = CORPUS / f"{PLOS}.xml"
    same = run_cli(capsys, "compare", original, original)
    assert same.code == 0
    # the body, back matter, notes and the funding statement
    assert "text words: 4351 of 4351 found (100.00%" in same.out
    assert "citations: 30 of 30" in same.out
    root = etree.parse(original).getroot()
    paragraph = root.find("body/sec/p")
    assert paragraph is not None
    dropped = len(words(paragraph))
    paragraph.getparent().remove(paragraph)
    title = root.find("front/article-meta/title-group/article-title")
    assert title is not None
    title.text = "Another title"
    changed = tmp_path / "changed.xml"
    changed.write_bytes(etree.tostring(root))
    result = run_cli(capsys, "compare", original, changed)
    assert result.code == 1
    assert f"text words: {4351 - dropped} of 4351 found" in result.out
    assert "p                                         48        47  ≠" in result.out
    assert "title      ≠ A Kramers-Moyal" in result.out


@pytest.mark.slow
def test_jats4r_finds_no_error_in_galleys_jats_of_the_corpus(
    round_trips: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """`validate` runs JATS4R's schematrons (as every build does): galley's JATS of each
    corpus article has no JATS4R error, where the published originals have some."""
    ours = run_cli(capsys, "validate", *round_trips.values())
    assert ours.code == 0, ours.err
    assert "valid: 3 file(s); 0 error(s)" in ours.out
    theirs = run_cli(capsys, "validate", CORPUS / f"{SCIELO}.xml")
    assert theirs.code == 1
    assert "error[jats4r." in theirs.out + theirs.err


def test_an_import_from_the_bare_corpus_lists_every_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The corpus holds only the XML: each figure gets a grey placeholder, each file a line
    in the report, and the build names the supplementary files still to add."""
    into = tmp_path / "source"
    assert import_files([CORPUS / f"{PLOS}.xml"], into) == 0
    folder = into / ARTICLES[PLOS][1]
    report = (folder / "import-report.md").read_text()
    assert report.count("is a grey placeholder to replace") == 3
    assert "add it as supplementary/journal.pone.0116752.s002.tiff" in report
    assert (folder / "figures" / "journal.pone.0116752.g001.png").read_bytes()[:4] == b"\x89PNG"
    with (into / "journal.yaml").open("a", encoding="utf-8") as file:
        file.write(EDITOR_ADDITIONS)
    capsys.readouterr()
    build = run_cli(capsys, "--source", into, "--output", tmp_path / "out", "-q")
    assert build.code == 1
    assert "error[article.file-missing]: supplementary file " in build.out + build.err
    assert "journal.pone.0116752.s002.tiff' does not exist" in build.out + build.err


def test_a_chapter_in_a_book_reads_back_as_a_chapter(tmp_path: Path) -> None:
    """JATS says a chapter as a book reference with a chapter-title (as galley writes one);
    read back, it is a CSL chapter in its book, not a book with a journal."""
    from galley.importers.jats import Report, reference

    ref = etree.fromstring(
        '<ref id="B41"><element-citation publication-type="book">'
        "<chapter-title>A gentrificação generalizada</chapter-title>"
        "<source>De volta à cidade</source><publisher-name>Annablume</publisher-name>"
        "<fpage>59</fpage><lpage>87</lpage></element-citation></ref>"
    )
    item = reference(ref, Report(tmp_path / "a.xml"))
    assert item is not None
    assert (item["type"], item["title"], item["container-title"]) == (
        "chapter",
        "A gentrificação generalizada",
        "De volta à cidade",
    )


def test_an_import_into_a_journal_with_another_doi_prefix_says_so(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import run_cli

    into = tmp_path / "source"
    xml = corpus / f"{PLOS}.xml"
    assert run_cli(capsys, "import", xml, "--into", into, "-q").code == 0
    journal = into / "journal.yaml"  # one file: its journal is the source folder
    text = journal.read_text(encoding="utf-8")
    journal.write_text(re.sub(r"doi-prefix: \S+", "doi-prefix: '10.9999'", text), "utf-8")
    shutil.rmtree(into / ARTICLES[PLOS][1])
    run = run_cli(capsys, "import", xml, "--into", into)
    assert run.code == 0
    assert "warning[import.journal-prefix]: the article's DOI prefix 10.1371 is not" in run.err
    # an issue folder that says another volume: refused
    issue = into / ARTICLES[PLOS][1].split("/")[0] / "issue.yaml"
    issue.write_text(issue.read_text("utf-8").replace("volume: '10'", "volume: '11'"), "utf-8")
    shutil.rmtree(into / ARTICLES[PLOS][1])
    run = run_cli(capsys, "import", xml, "--into", into)
    assert run.code == 1 and "error[import.issue-conflict]" in run.err
