"""Front and back matter of real journals, in every format (tests/roots/frontmatter).

The article has three authors (corresponding, equal contribution, deceased, an author note,
CRediT roles), an editor, two funders with identifiers, a structured abstract in two
languages and a digest, an article number instead of pages in a volume without issues,
history dates, every back-matter section, a supplementary file, a related article and a
Portuguese translation with its own DOI. It is built once; each test reads what was written.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from galley import cli, languages
from tests.conftest import ROOT, SCHEMAS
from tests.inputs import FRONT_MATTER_ERRORS, apply
from tests.tools import epubcheck_messages, nu_messages

FRONTMATTER = ROOT / "tests" / "roots" / "frontmatter" / "source"
ARTICLE = Path("vol-12") / "e0200001"
XLINK = "{http://www.w3.org/1999/xlink}"
CROSSREF = "{http://www.crossref.org/schema/5.3.1}"
FR = "{http://www.crossref.org/fundref.xsd}"
REL = "{http://www.crossref.org/relations.xsd}"
OPF = "{http://www.idpf.org/2007/opf}"


def _parse(path: Path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root: etree._Element = etree.parse(str(path), parser).getroot()
    return root


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("frontmatter")
    code = cli.main(["--source", str(FRONTMATTER), "--output", str(folder), "-q"])
    assert code == 0, "the front-matter article must build"
    return folder


@pytest.fixture(scope="module")
def jats(output: Path) -> etree._Element:
    return _parse(output / ARTICLE / "e0200001.xml")


@pytest.fixture(scope="module")
def deposit(output: Path) -> etree._Element:
    return _parse(output / "vol-12" / "vol-12.crossref.xml")


def test_jats_and_crossref_pass_their_official_schemas(
    jats: etree._Element, deposit: etree._Element
) -> None:
    for schema_file, document in (
        (SCHEMAS / "jats-1.3-publishing" / "JATS-journalpublishing1-3-mathml3.xsd", jats),
        (SCHEMAS / "crossref-5.3.1" / "crossref5.3.1.xsd", deposit),
    ):
        schema = etree.XMLSchema(etree.parse(str(schema_file)))
        assert schema.validate(document.getroottree()), schema.error_log


def test_an_article_number_is_never_a_page(jats: etree._Element, deposit: etree._Element) -> None:
    meta = jats.find("front/article-meta")
    assert meta is not None
    assert meta.findtext("elocation-id") == "e0200001"
    assert meta.find("fpage") is None and meta.find("lpage") is None
    assert meta.find("issue") is None and meta.findtext("volume") == "12"
    for record in deposit.iter(f"{CROSSREF}journal_article"):
        assert record.find(f"{CROSSREF}pages") is None
        assert record.findtext(f"{CROSSREF}publisher_item/{CROSSREF}item_number") == "e0200001"
    assert deposit.find(f".//{CROSSREF}journal_issue/{CROSSREF}issue") is None


def test_no_page_number_appears_in_any_format(output: Path) -> None:
    folder = output / ARTICLE
    html = (folder / "e0200001.html").read_text(encoding="utf-8")
    # the article's own pages (its references' pages are in their citation_reference tags)
    assert 'name="citation_firstpage"' not in html and 'name="citation_lastpage"' not in html
    assert 'class="pagebreak"' not in html
    assert "e0200001" in html.split('<p class="citation">')[1].split("</p>")[0]
    with zipfile.ZipFile(folder / "e0200001.epub") as book:
        nav = book.read("EPUB/nav.xhtml").decode("utf-8")
        package = book.read("EPUB/package.opf").decode("utf-8")
    assert "page-list" not in nav and "pageBreakSource" not in package
    xmp = subprocess.run(
        ["pdfinfo", "-meta", str(folder / "e0200001.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "startingPage" not in xmp and "<prism:articleNumber>e0200001<" in xmp


def test_titles_abstracts_and_keywords_in_every_language_and_kind(jats: etree._Element) -> None:
    meta = jats.find("front/article-meta")
    assert meta is not None
    assert meta.findtext(
        "title-group/trans-title-group[@{http://www.w3.org/XML/1998/namespace}lang='pt']/trans-title"
    ) == ("Assimetria nos mercados de opções")
    abstract = meta.find("abstract[@{http://www.w3.org/XML/1998/namespace}lang='en']")
    assert abstract is not None and abstract.get("abstract-type") is None
    assert [s.findtext("title") for s in abstract.findall("sec")] == ["Background", "Findings"]
    translated = meta.find("trans-abstract[@{http://www.w3.org/XML/1998/namespace}lang='pt']")
    assert translated is not None
    assert [s.findtext("title") for s in translated.findall("sec")] == ["Contexto", "Resultados"]
    digest = meta.find("abstract[@abstract-type='executive-summary']")
    assert digest is not None and digest.findtext("title") == "Digest"
    assert len(digest.findall("p")) == 2
    # The article's own keywords inherit its language; the translated ones say theirs.
    assert {
        g.get("{http://www.w3.org/XML/1998/namespace}lang") for g in meta.iter("kwd-group")
    } == {None, "pt"}


def test_authors_notes_roles_and_editors(jats: etree._Element) -> None:
    meta = jats.find("front/article-meta")
    assert meta is not None
    authors = meta.findall("contrib-group[@content-type='authors']/contrib")
    assert [a.findtext("name/surname") for a in authors] == ["Lovelace", "Babbage", "Somerville"]
    assert authors[0].get("corresp") == "yes" and authors[0].get("equal-contrib") == "yes"
    assert authors[1].get("equal-contrib") == "yes" and authors[2].get("deceased") == "yes"
    role = authors[0].find("role[@vocab-term='Conceptualization']")
    assert role is not None and role.get("vocab") == "credit"
    assert role.get("vocab-term-identifier") == (
        "https://credit.niso.org/contributor-roles/conceptualization/"
    )
    assert authors[0].find("role[@vocab-term='Formal Analysis']") is not None
    notes = meta.find("author-notes")
    assert notes is not None
    assert {fn.get("fn-type") for fn in notes.findall("fn")} >= {"equal", "deceased"}
    assert "Science Museum" in "".join(notes.itertext())
    editor = meta.find("contrib-group[@content-type='editors']/contrib")
    assert editor is not None and editor.get("contrib-type") == "editor"
    assert [d.get("date-type") for d in meta.findall("history/date")] == [
        "received",
        "rev-recd",
        "accepted",
    ]


def test_funding_in_jats_and_crossref(jats: etree._Element, deposit: etree._Element) -> None:
    groups = jats.findall("front/article-meta/funding-group/award-group")
    assert [g.findtext("award-id") for g in groups] == ["EP/X000000/1", "RPG-2024-001"]
    first = groups[0].find("funding-source/institution-wrap/institution-id")
    assert first is not None and first.text == "10.13039/501100000266"
    assert first.get("vocab") == "open-funder-registry"
    second = groups[1].find("funding-source/institution-wrap/institution-id")
    assert second is not None and second.get("institution-id-type") == "ror"
    assert [r.findtext("name/surname") for r in groups[1].findall("principal-award-recipient")] == [
        "Babbage",
        "Somerville",
    ]
    statement = jats.findtext("front/article-meta/funding-group/funding-statement")
    assert statement and statement.startswith("The funders had no role")
    record = deposit.find(f".//{CROSSREF}journal_article")
    assert record is not None
    program = record.find(f"{FR}program")
    assert program is not None
    names = [
        a.text.strip() for a in program.iter(f"{FR}assertion") if a.get("name") == "funder_name"
    ]
    assert names == ["Engineering and Physical Sciences Research Council", "Leverhulme Trust"]
    ids = [a.text for a in program.iter(f"{FR}assertion") if a.get("name") == "funder_identifier"]
    assert ids == ["https://doi.org/10.13039/501100000266", "https://ror.org/012mzw131"]
    awards = [a.text for a in program.iter(f"{FR}assertion") if a.get("name") == "award_number"]
    assert awards == ["EP/X000000/1", "RPG-2024-001"]


def test_every_back_matter_section_has_its_jats_element(jats: etree._Element) -> None:
    back = jats.find("back")
    assert back is not None
    assert back.findtext("ack/title") == "Acknowledgements"
    assert back.find("sec[@sec-type='data-availability']") is not None
    # Competing interests are an author note (JATS4R), not back matter.
    notes = jats.find("front/article-meta/author-notes")
    assert notes is not None and notes.find("fn[@fn-type='coi-statement']") is not None
    assert back.find("fn-group/fn[@fn-type='con']") is not None
    assert back.findtext("app-group/app/title") == "Appendix A: Derivation"
    supplementary = back.find("sec[@sec-type='supplementary-material']/supplementary-material")
    assert supplementary is not None
    assert supplementary.get(f"{XLINK}href") == "supplementary/S1_Dataset.csv"
    assert supplementary.get("mimetype") == "text" and supplementary.get("mime-subtype") == "csv"
    assert supplementary.findtext("caption/title") == "S1 Dataset."
    body_titles = [sec.findtext("title") for sec in jats.findall("body/sec")]
    assert body_titles == ["Introduction", "Results"]  # the back matter left the body


def test_the_supplementary_file_is_published_beside_the_article(output: Path) -> None:
    copied = output / ARTICLE / "supplementary" / "S1_Dataset.csv"
    source = FRONTMATTER / ARTICLE / "supplementary" / "S1_Dataset.csv"
    assert copied.read_bytes() == source.read_bytes()
    html = (output / ARTICLE / "e0200001.html").read_text(encoding="utf-8")
    assert 'href="supplementary/S1_Dataset.csv"' in html


def test_references_carry_pmids_labels_and_every_cited_key_is_linked(
    jats: etree._Element,
) -> None:
    refs = {ref.get("id"): ref for ref in jats.iter("ref")}
    assert [ref.findtext("label") for ref in refs.values()] == ["1", "2", "3", "4"]
    yang = refs["ref-yang2020"]
    assert yang.findtext(".//pub-id[@pub-id-type='pmid']") == "32123456"
    assert yang.findtext(".//pub-id[@pub-id-type='pmcid']") == "PMC7000001"
    assert yang.findtext(".//given-names") == "Y"  # a one-letter given name stays a name
    assert refs["ref-black1973"].findtext(".//pub-id[@pub-id-type='doi']") == "10.1086/260062"
    body = jats.find("body")
    assert body is not None
    cited = {
        rid
        for x in body.iter("xref")
        if x.get("ref-type") == "bibr"
        for rid in x.get("rid", "").split()
    }
    assert cited == set(refs)
    group = next(x for x in body.iter("xref") if len(x.get("rid", "").split()) > 1)
    assert "".join(group.itertext()) == "1–4"


def test_the_translation_is_a_sub_article_and_its_own_record(
    jats: etree._Element, deposit: etree._Element
) -> None:
    sub = jats.find("sub-article")
    assert sub is not None and sub.get("article-type") == "translation"
    assert sub.get("{http://www.w3.org/XML/1998/namespace}lang") == "pt"
    assert sub.findtext("front-stub/article-id[@pub-id-type='doi']") == "10.5555/ojs.e0200001.pt"
    assert (
        sub.findtext("front-stub/title-group/article-title") == "Assimetria nos mercados de opções"
    )
    ids = [element.get("id") for element in jats.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    records = {
        r.findtext(f"{CROSSREF}doi_data/{CROSSREF}doi"): r
        for r in deposit.iter(f"{CROSSREF}journal_article")
    }
    assert set(records) == {"10.5555/ojs.e0200001", "10.5555/ojs.e0200001.pt"}
    relations = {
        doi: [
            (rel.get("relationship-type"), rel.text)
            for rel in record.iter(f"{REL}intra_work_relation")
        ]
        for doi, record in records.items()
    }
    assert relations["10.5555/ojs.e0200001"] == [("hasTranslation", "10.5555/ojs.e0200001.pt")]
    assert relations["10.5555/ojs.e0200001.pt"] == [("isTranslationOf", "10.5555/ojs.e0200001")]
    resources = [r.findtext(f"{CROSSREF}doi_data/{CROSSREF}resource") for r in records.values()]
    assert resources == ["https://ojs.example.org/articles/e0200001"] * 2
    original = records["10.5555/ojs.e0200001.pt"].find(f".//{CROSSREF}original_language_title")
    assert original is not None and original.text == "Skewness in option markets"


def test_each_language_version_has_its_page_book_and_print_edition(output: Path) -> None:
    folder = output / ARTICLE
    for name in ("e0200001.pt.html", "e0200001.pt.epub", "e0200001.pt.pdf"):
        assert (folder / name).is_file(), name
    original = (folder / "e0200001.html").read_text(encoding="utf-8")
    translation = (folder / "e0200001.pt.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="pt" href="e0200001.pt.html">' in original
    assert '<link rel="alternate" hreflang="en" href="e0200001.html">' in translation
    for word in ("Resumo", "Referências", "Como citar este artigo", "Palavras-chave"):
        assert word in translation, word
    assert '<html lang="pt">' in translation
    assert 'name="citation_doi" content="10.5555/ojs.e0200001.pt"' in translation
    messages = nu_messages(folder / "e0200001.html", folder / "e0200001.pt.html")
    assert [m for m in messages if m["type"] == "error"] == []
    for book in ("e0200001.epub", "e0200001.pt.epub"):
        assert epubcheck_messages(folder / book) == [], book


@pytest.mark.slow
def test_print_front_page_has_the_abstract_and_notes_and_short_running_heads(
    output: Path,
) -> None:
    pdf = output / ARTICLE / "e0200001.pdf"
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Background" in first and "Option prices assume Gaussian noise." in first
    assert "Corresponding author" in first and "contributed equally" in first
    assert "Conceptualization" in first  # roles in the notes block, not under each name
    # Two A4 pages since the print edition is set in two columns: page 2, a verso, carries the
    # journal; the recto's short "Lovelace et al." is checked on the book page in
    # tests/test_print_layout.py.
    second = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Open Journal of Samples, Volume 12, 2025" in " ".join(second.split())
    assert "Babbage, Somerville" not in second


def test_every_language_has_every_word() -> None:
    table = languages._table()
    english = set(table["en"]["labels"])
    for tag in ("fr", "es", "pt", "de", "it"):
        assert english - set(table[tag]["labels"]) == set(), tag
    assert languages.label("section", "pt-PT") == "Secção"
    assert languages.label("section", "pt-BR") == "Seção"
    assert languages.typography("colon-space", "fr") == "\u00a0"
    assert languages.typography("colon-space", "de") == ""


def test_citations_use_the_region_the_journal_declares(tmp_path: Path) -> None:
    from galley.read.article import locale_of
    from galley.read.journal import read_journal

    source = tmp_path / "source"
    shutil.copytree(FRONTMATTER, source)
    journal_file = source / "journal.yaml"
    journal_file.write_text(
        journal_file.read_text("utf-8").replace("lang: en", "lang: pt-BR"), encoding="utf-8"
    )
    journal = read_journal(journal_file)
    assert locale_of("pt", journal) == "pt-BR"
    assert locale_of("pt-PT", journal) == "pt-PT"
    assert locale_of("en", journal) == "en"


@pytest.mark.slow  # a whole build: every validator
@pytest.mark.parametrize("style", ["american-medical-association", "elsevier-vancouver"])
def test_numeric_styles_build_in_every_format_and_never_number_cite_this_article(
    tmp_path: Path, style: str
) -> None:
    source = tmp_path / "source"
    shutil.copytree(FRONTMATTER, source)
    journal = source / "journal.yaml"
    journal.write_text(journal.read_text("utf-8").replace("csl: plos", f"csl: {style}"), "utf-8")
    output = tmp_path / "output"
    assert cli.main(["--source", str(source), "--output", str(output), "-q"]) == 0
    html = (output / ARTICLE / "e0200001.html").read_text(encoding="utf-8")
    citation = html.split('<p class="citation">')[1].split("</p>")[0]
    assert not re.match(r"\s*(\[?\d+[.\]])", citation), citation
    assert "<div" not in citation
    labels = re.findall(r'<span class="reference-label">(\d+)\.</span>', html)
    assert labels == ["1", "2", "3", "4"]


@pytest.mark.parametrize("name", sorted(FRONT_MATTER_ERRORS))
def test_bad_front_matter_is_reported_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    case = FRONT_MATTER_ERRORS[name]
    source = tmp_path / "source"
    shutil.copytree(FRONTMATTER, source)
    article, line = apply(case, source / ARTICLE)
    assert cli.main(["check", "--source", str(source), "--output", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert re.search(
        rf"{re.escape(str(article))}:{line}(:\d+)?: error\[{re.escape(case.code)}\]", err
    ), err


def test_a_translation_without_a_doi_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source"
    shutil.copytree(FRONTMATTER, source)
    translation = source / ARTICLE / "article.pt.md"
    translation.write_text(
        translation.read_text("utf-8").replace("doi: 10.5555/ojs.e0200001.pt\n", ""), "utf-8"
    )
    assert cli.main(["check", "--source", str(source), "--output", str(tmp_path / "out")]) == 1
    assert re.search(
        rf"{re.escape(str(translation))}:\d+(:\d+)?: error\[translation.doi\]",
        capsys.readouterr().err,
    )


def test_a_history_date_after_publication_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source"
    shutil.copytree(FRONTMATTER, source)
    article = source / ARTICLE / "article.md"
    article.write_text(
        article.read_text("utf-8").replace("accepted: 2025-02-20", "accepted: 2025-04-20"), "utf-8"
    )
    run = cli.main(["check", "--source", str(source), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert run == 1
    assert re.search(
        rf"{re.escape(str(article))}:\d+(:\d+)?: error\[article.history-after\]", err
    ), err


@pytest.mark.slow  # a whole build: every validator
def test_a_deposit_needs_a_landing_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "source"
    shutil.copytree(FRONTMATTER, source)
    journal = source / "journal.yaml"
    journal.write_text(
        journal.read_text("utf-8").replace(
            "article-url: https://ojs.example.org/articles/{article}\n", ""
        ),
        "utf-8",
    )
    assert cli.main(["--source", str(source), "--output", str(tmp_path / "out"), "-q"]) == 1
    assert "error[crossref.landing-page]" in capsys.readouterr().err
