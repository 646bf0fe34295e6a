"""The seed article carried faithfully from source/ to a valid, complete JATS 1.3 file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import SCHEMAS, SEED_ARTICLE

XLINK = "{http://www.w3.org/1999/xlink}href"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def jats(seed_output: Path) -> etree._Element:
    path = seed_output / SEED_ARTICLE / "301114ar.xml"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser).getroot()


def _text(element: etree._Element | None) -> str:
    assert element is not None
    return " ".join("".join(element.itertext()).split())


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _seed_body(seed_text: str) -> tuple[str, str]:
    """The seed's body text and its footnote, with the plain text's page-break artefacts undone."""
    body = seed_text[seed_text.index("À l'automne 1990") : seed_text.index("Bibliographie")]
    footnote = re.search(r"^1\. (Le terme ONG.*)$", body, re.M)
    assert footnote is not None
    body = body.replace(footnote.group(0), "")
    body = re.sub(r"(\w)-\n\n(\w)", r"\1\2", body)  # a word hyphenated across a page
    return body.replace("¹", ""), footnote.group(1)


def test_seed_jats_is_valid_against_the_official_xsd(jats: etree._Element) -> None:
    xsd_path = SCHEMAS / "jats-1.3-publishing" / "JATS-journalpublishing1-3-mathml3.xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd_path)))
    assert schema.validate(jats.getroottree()), schema.error_log
    assert jats.get("dtd-version") == "1.3"
    assert jats.get(XML_LANG) == "fr"
    assert jats.get("article-type") == "research-article"


def test_journal_meta_names_the_journal_its_issns_and_publisher(jats: etree._Element) -> None:
    meta = jats.find("front/journal-meta")
    assert meta is not None
    assert meta.findtext("journal-id[@journal-id-type='publisher-id']") == "nps"
    assert meta.findtext("journal-title-group/journal-title") == "Nouvelles pratiques sociales"
    assert meta.findtext("issn[@publication-format='print']") == "0843-4468"
    assert meta.findtext("issn[@publication-format='electronic']") == "1703-9312"
    assert meta.findtext("publisher/publisher-name") == (
        "Les Presses de l'Université du Québec à Montréal"
    )


def test_article_meta_carries_every_field_the_seed_shows(
    jats: etree._Element, seed_text: str
) -> None:
    meta = jats.find("front/article-meta")
    assert meta is not None
    doi = meta.findtext("article-id[@pub-id-type='doi']")
    assert doi == "10.7202/301114ar"
    assert f"https://doi.org/{doi}" in seed_text
    title = _text(meta.find("title-group/article-title"))
    assert title == "L'évolution des organismes québécois de coopération internationale"
    assert seed_text.lstrip().startswith(title)
    assert meta.findtext("article-categories/subj-group/subject")

    contrib = meta.find("contrib-group/contrib[@contrib-type='author']")
    assert contrib is not None
    assert contrib.findtext("name/surname") == "Lafleur"
    assert contrib.findtext("name/given-names") == "Guy"
    assert contrib.findtext("role") == "Directeur des programmes"
    xref = contrib.find("xref[@ref-type='aff']")
    assert xref is not None
    aff = meta.find(f"contrib-group/aff[@id='{xref.get('rid')}']")
    assert _text(aff) == "Association québécoise des organismes de coopération internationale"

    pub_date = meta.find("pub-date")
    assert pub_date is not None
    assert pub_date.findtext("season") == "printemps"
    assert pub_date.findtext("year") == "1991"
    assert meta.findtext("volume") == "4"
    assert meta.findtext("issue") == "1"
    assert meta.findtext("issue-title") == "Coopération internationale : nouveaux défis"
    assert meta.findtext("fpage") == "27"
    assert meta.findtext("lpage") == "37"
    self_uri = meta.find("self-uri")
    assert self_uri is not None
    assert self_uri.get(XLINK) == "https://id.erudit.org/iderudit/301114ar"
    assert f"Volume {meta.findtext('volume')}, numéro {meta.findtext('issue')}, printemps 1991" in (
        seed_text
    )


def test_abstract_is_the_seed_resume_in_french(jats: etree._Element, seed_text: str) -> None:
    abstract = jats.find("front/article-meta/abstract")
    assert abstract is not None
    assert abstract.get(XML_LANG) == "fr"
    resume = seed_text.split("Résumé de l'article", 1)[1].strip().split("\n\n", 1)[0]
    assert _words(_text(abstract)) == _words(resume)


def test_body_contains_every_word_of_the_seed_in_order(
    jats: etree._Element, seed_text: str
) -> None:
    body = jats.find("body")
    assert body is not None
    for call in body.iter("xref"):  # the footnote call's label is not a word of the text
        call.text = ""
    seed_body, _ = _seed_body(seed_text)
    assert _words(_text(body)) == _words(seed_body)


def test_footnote_is_a_real_footnote_called_after_ong(jats: etree._Element, seed_text: str) -> None:
    (note,) = jats.findall("back/fn-group/fn")
    _, seed_note = _seed_body(seed_text)
    assert _words(_text(note.find("p"))) == _words(seed_note)
    (call,) = jats.findall("body//xref[@ref-type='fn']")
    assert call.get("rid") == note.get("id")
    paragraph = call.getparent()
    assert paragraph is not None
    before = (paragraph.text or "") if call.getprevious() is None else ""
    assert before.rstrip().endswith("(ONG)")


def test_sections_follow_the_seed_headings(jats: etree._Element, seed_text: str) -> None:
    titles = [_text(title) for title in jats.findall("body//sec/title")]
    seed_body, _ = _seed_body(seed_text)
    capitals = [
        line
        for line in seed_body.splitlines()
        if line.strip() and line == line.upper() and re.search(r"[A-Z]{3}", line)
    ]
    assert len(capitals) == 10
    assert [title.upper() for title in titles] == capitals
    top = [_text(title) for title in jats.findall("body/sec/title")]
    assert top[0] == "Origine et jeunesse du milieu des OCI québécois"
    assert len(jats.findall("body/sec")) == 4
    assert len(jats.findall("body/sec/sec")) == 6


def test_quotation_is_a_block_quote_and_the_challenges_a_list(jats: etree._Element) -> None:
    (quote,) = jats.findall("body//disp-quote")
    assert _text(quote).startswith("«La présence de plus en plus grande")
    assert _text(quote).endswith("les pressions politiques qui s'imposent.»")
    (challenges,) = jats.findall("body//list")
    items = challenges.findall("list-item")
    assert len(items) == 4
    assert all(_text(item).startswith("Les OCI seront-ils") for item in items)


def test_bibliography_lists_the_seven_entries_as_structured_references(
    jats: etree._Element, seed_text: str
) -> None:
    refs = jats.findall("back/ref-list/ref")
    printed = [
        line
        for line in seed_text.split("Bibliographie", 1)[1].splitlines()
        if line.startswith("- ")
    ]
    assert len(refs) == len(printed) == 7
    for ref, line in zip(refs, printed, strict=True):
        citation = ref.find("element-citation")
        assert citation is not None
        collab = citation.findtext("person-group[@person-group-type='author']/collab")
        year = citation.findtext("year")
        assert collab and year
        assert line[2:].startswith(f"{collab.upper()} ({year})")
        source = citation.findtext("source")
        assert source and source.upper() in line.upper()
        title = citation.findtext("article-title")
        if title:
            assert f"«{title}»" in line
        if citation.findtext("volume"):
            assert f"vol. {citation.findtext('volume')}, n° {citation.findtext('issue')}" in line
    assert jats.findall("body//xref[@ref-type='bibr']") == []  # listed, none cited
    report = refs[-1].find("element-citation")
    assert report is not None
    assert report.get("publication-type") == "report"
    assert report.findtext("size[@units='pages']") == "44"
