"""Every optional field of the source format reaches the JATS and stays schema-valid."""

from __future__ import annotations

import shutil

import pytest
from lxml import etree

from galley import cli
from tests.conftest import SCHEMAS, SEED_ARTICLE, SOURCE

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ALI = "{http://www.niso.org/schemas/ali/1.0/}"

EXTRA = """\
subtitle: "Un *bilan* de vingt ans"
keywords:
  fr: [coopération internationale, ONG]
  en: [international cooperation, NGOs]
license:
  url: https://creativecommons.org/licenses/by/4.0/
  text: Distribué selon les termes de la licence CC BY 4.0.
copyright:
  holder: Les Presses de l'Université du Québec
  year: 1991
"""

AUTHORS = """\
author:
  - name:
      given: Guy
      family: Lafleur
    orcid: https://orcid.org/0000-0002-1825-0097
    email: guy.lafleur@example.org
    corresponding: true
    roles: [Directeur des programmes]
    affiliations:
      - ref: aqoci
  - name: Marie-Ève Tremblay
    affiliations:
      - name: Université du Québec à Montréal
        department: École de travail social
        city: Montréal
        country: Canada
"""


@pytest.fixture(scope="module")
def full_jats(tmp_path_factory: pytest.TempPathFactory) -> etree._Element:
    tmp_path = tmp_path_factory.mktemp("full")
    source_copy = tmp_path / "source"
    shutil.copytree(SOURCE, source_copy)
    article = source_copy / SEED_ARTICLE / "article.md"
    text = article.read_text(encoding="utf-8")
    start = text.index("author:")
    end = text.index("affiliations:\n  - id: aqoci")
    text = text[:start] + AUTHORS + text[end:]
    text = text.replace("abstract: |\n", "abstract:\n  en: An abstract in *English*.\n  fr: |\n")
    text = text.replace("\n  Les organismes québécois", "\n    Les organismes québécois", 1)
    text = text.replace("bibliography: references.yaml", EXTRA + "bibliography: references.yaml")
    article.write_text(text, encoding="utf-8")
    code = cli.main(["--source", str(source_copy), "--output", str(tmp_path / "out"), "-q"])
    assert code == 0
    (path,) = (tmp_path / "out").rglob("301114ar.xml")
    return etree.parse(str(path)).getroot()


def test_full_metadata_is_schema_valid(full_jats: etree._Element) -> None:
    xsd = SCHEMAS / "jats-1.3-publishing" / "JATS-journalpublishing1-3-mathml3.xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    assert schema.validate(full_jats.getroottree()), schema.error_log


def test_contributors_carry_orcid_email_and_their_own_affiliations(
    full_jats: etree._Element,
) -> None:
    meta = full_jats.find("front/article-meta")
    assert meta is not None
    first, second = meta.findall("contrib-group/contrib")
    assert first.get("corresp") == "yes"
    assert first.findtext("contrib-id[@contrib-type='orcid']") is None
    assert first.findtext("contrib-id[@contrib-id-type='orcid']") == (
        "https://orcid.org/0000-0002-1825-0097"
    )
    assert first.findtext("email") == "guy.lafleur@example.org"
    assert second.findtext("name/surname") == "Tremblay"
    assert second.findtext("name/given-names") == "Marie-Ève"
    rid = second.find("xref").get("rid")  # type: ignore[union-attr]
    aff = meta.find(f"contrib-group/aff[@id='{rid}']")
    assert aff is not None
    assert aff.findtext("institution[@content-type='dept']") == "École de travail social"
    assert aff.findtext("city") == "Montréal"
    assert aff.findtext("country") == "Canada"


def test_subtitle_abstracts_keywords_and_permissions(full_jats: etree._Element) -> None:
    meta = full_jats.find("front/article-meta")
    assert meta is not None
    subtitle = meta.find("title-group/subtitle")
    assert subtitle is not None and subtitle.findtext("italic") == "bilan"
    assert meta.find("abstract").get(XML_LANG) == "fr"  # type: ignore[union-attr]
    trans = meta.find("trans-abstract")
    assert trans is not None and trans.get(XML_LANG) == "en"
    assert trans.findtext("p/italic") == "English"
    groups = {
        group.get(XML_LANG): [k.text for k in group.findall("kwd")]
        for group in meta.findall("kwd-group")
    }
    assert groups == {  # the article's own keywords inherit its language (fr)
        None: ["coopération internationale", "ONG"],
        "en": ["international cooperation", "NGOs"],
    }
    permissions = meta.find("permissions")
    assert permissions is not None
    assert permissions.findtext("copyright-year") == "1991"
    assert permissions.findtext("copyright-holder") == "Les Presses de l'Université du Québec"
    assert permissions.findtext(f"license/{ALI}license_ref") == (
        "https://creativecommons.org/licenses/by/4.0/"
    )
