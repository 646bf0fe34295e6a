"""The web edition: valid, accessible HTML, the metadata indexers read, the seed's citation."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from lxml import html

from tests.conftest import SEED_ARTICLE
from tests.tools import nu_messages


@pytest.fixture(scope="module")
def page_path(seed_output: Path) -> Path:
    return seed_output / SEED_ARTICLE / "301114ar.html"


@pytest.fixture(scope="module")
def page(page_path: Path) -> html.HtmlElement:
    return html.parse(str(page_path)).getroot()


def _meta(page: html.HtmlElement, name: str) -> list[str]:
    return [str(element.get("content")) for element in page.xpath(f"//meta[@name='{name}']")]


def test_every_page_and_stylesheet_passes_the_nu_checker(seed_output: Path) -> None:
    files = sorted(seed_output.rglob("*.html")) + sorted(seed_output.rglob("*.css"))
    # article page, issue contents, home page, preflight report, stylesheet
    assert len(files) == 5
    assert nu_messages(*files) == []


def test_the_page_is_structured_for_assistive_technology(page: html.HtmlElement) -> None:
    assert page.get("lang") == "fr"
    assert len(page.xpath("//h1")) == 1
    assert len(page.xpath("//main")) == 1
    assert page.xpath("//header[@class='site-header']") and page.xpath("//footer")
    levels = [int(h.tag[1]) for h in page.xpath("//h1|//h2|//h3|//h4|//h5|//h6")]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert page.xpath("//a[@class='skip-link']/@href") == ["#main"]


def test_front_matter_shows_the_seed_metadata(page: html.HtmlElement, seed_text: str) -> None:
    front = " ".join(page.xpath("string(//header[@class='article-front'])").split())
    for text in (
        "Nouvelles pratiques sociales",
        "Volume 4, numéro 1, printemps 1991",
        "Coopération internationale : nouveaux défis",
        "27–37",
        "Guy Lafleur",
        "Directeur des programmes",
        "Association québécoise des organismes de coopération internationale",
    ):
        assert text in front
    assert page.xpath("//p[@class='article-doi']/a/@href") == ["https://doi.org/10.7202/301114ar"]
    abstract = " ".join(page.xpath("string(//section[@class='abstract'])").split())
    resume = " ".join(seed_text.split("Résumé de l'article", 1)[1].split("\n\n")[1].split())
    assert abstract.endswith(resume)


def test_footnote_and_its_call_link_to_each_other(page: html.HtmlElement) -> None:
    (call,) = page.xpath("//a[@role='doc-noteref']")
    note_id = call.get("href").lstrip("#")
    (note,) = page.xpath(f"//li[@id='{note_id}']")
    assert note.text_content().strip().startswith("Le terme ONG est utilisé")
    assert note.xpath(".//a[@role='doc-backlink']/@href") == [f"#{call.get('id')}"]


def test_the_reference_list_has_the_seven_entries(page: html.HtmlElement) -> None:
    entries = page.xpath("//section[@id='references']//li")
    assert len(entries) == 7
    assert entries[0].get("id") == "ref-aqoci1988a"
    assert (
        entries[0]
        .text_content()
        .startswith(
            "Association québécoise des organismes de coopération internationale (AQOCI). (1988a)"
        )
    )


def test_highwire_tags_carry_the_seed_values(page: html.HtmlElement, seed_text: str) -> None:
    title = seed_text.strip().splitlines()[0]
    assert _meta(page, "citation_title") == [title]
    assert _meta(page, "citation_author") == ["Lafleur, Guy"]
    assert _meta(page, "citation_publication_date") == ["1991"]
    assert _meta(page, "citation_journal_title") == ["Nouvelles pratiques sociales"]
    issns = re.findall(r"^(\d{4}-\d{3}[\dX]) \(", seed_text, re.M)
    assert _meta(page, "citation_issn") == issns == ["0843-4468", "1703-9312"]
    assert _meta(page, "citation_volume") == ["4"]
    assert _meta(page, "citation_issue") == ["1"]
    pages = re.search(r"4\(1\), (\d+)–(\d+)\.", seed_text)
    assert pages is not None
    assert _meta(page, "citation_firstpage") == [pages.group(1)]
    assert _meta(page, "citation_lastpage") == [pages.group(2)]
    assert _meta(page, "citation_doi") == ["10.7202/301114ar"]
    assert _meta(page, "citation_language") == ["fr"]
    assert _meta(page, "citation_abstract")[0].startswith("Les organismes québécois")
    assert _meta(page, "citation_publisher") == ["Les Presses de l'Université du Québec à Montréal"]


def test_dublin_core_and_schema_org_describe_the_same_article(page: html.HtmlElement) -> None:
    assert _meta(page, "DC.identifier") == ["doi:10.7202/301114ar"]
    assert _meta(page, "DC.creator") == ["Lafleur, Guy"]
    assert _meta(page, "DC.language") == ["fr"]
    (script,) = page.xpath("//script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@type"] == "ScholarlyArticle"
    assert data["identifier"]["value"] == "10.7202/301114ar"
    assert data["author"][0]["familyName"] == "Lafleur"
    assert (data["pageStart"], data["pageEnd"]) == ("27", "37")
    volume = data["isPartOf"]["isPartOf"]
    assert data["isPartOf"]["issueNumber"] == "1" and volume["volumeNumber"] == "4"
    assert volume["isPartOf"]["issn"] == ["0843-4468", "1703-9312"]


def test_cite_this_article_matches_the_seed(page: html.HtmlElement, seed_text: str) -> None:
    printed = seed_text.split("Citer cet article", 1)[1].split("Résumé de l'article", 1)[0]
    expected = " ".join(re.sub(r"[*<>]", "", printed).split())
    (citation,) = page.xpath("//section[@id='cite-as']/p[@class='citation']")
    assert " ".join(citation.text_content().split()) == expected
    assert citation.xpath(".//em/text()")[0] == "Nouvelles pratiques sociales"  # italic, as APA


def test_issue_contents_link_every_article_and_download(seed_output: Path) -> None:
    toc_path = seed_output / SEED_ARTICLE.parent / "index.html"
    toc = html.parse(str(toc_path)).getroot()
    hrefs = toc.xpath("//main//a/@href")
    assert "301114ar/301114ar.html" in hrefs
    assert "301114ar/301114ar.xml" in hrefs and "301114ar/301114ar.epub" in hrefs
    for href in hrefs:
        assert (toc_path.parent / href).is_file(), href


def test_pages_need_nothing_from_the_network(seed_output: Path) -> None:
    for path in seed_output.rglob("*.html"):
        page = html.parse(str(path)).getroot()
        # <link rel="schema.DC"> names a vocabulary; nothing is fetched from it.
        fetched = "//link[not(starts-with(@rel, 'schema.'))]/@href|//script/@src|//img/@src"
        for url in page.xpath(fetched + "|//style/text()"):
            assert not re.search(r"^https?:|//|@import", url), (path, url)
    css = next(seed_output.rglob("*.css")).read_text(encoding="utf-8")
    assert "@import" not in css
    for url in re.findall(r"url\(([^)]*)\)", css):  # only files written beside it
        name = url.strip("'\"")
        assert not re.search(r"^[a-z]+:|//|/", name), name
        assert (next(seed_output.rglob("*.css")).parent / name).is_file(), name
