"""The back catalogue goes through: what broke real articles, each on a small excerpt of the
real markup (from ../shared/corpus/real), imported, read, checked and rendered.

Each test wraps its excerpt in the least of an article (journal, DOI, one author, a paragraph)
and imports it as a user would; what it proves is in its name. The whole corpus is measured
by benchmarks/corpus.py; `test_the_corpus_sample_meets_every_target` runs it on six.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pypdf
import pytest
import yaml
from lxml import etree, html

from galley import cli
from galley.model import Article
from galley.read import read_project
from galley.render import BuildInfo, article_formats
from galley.templating import Templates

AUTHOR = (
    '<contrib-group><contrib contrib-type="author"><name><surname>Rambaut</surname>'
    '<given-names>Andrew</given-names></name><xref ref-type="aff" rid="aff1"/></contrib>'
    "</contrib-group>"
    '<aff id="aff1"><label>1</label><addr-line>Department of Zoology, University of Oxford, '
    "Oxford, United Kingdom</addr-line></aff>"
)
EDITOR_ADDITIONS = (
    "article-url: https://journal.example.org/{article}\n"
    "crossref: {depositor: Test, email: production@example.org, registrant: Test}\n"
)


def jats(
    body: str = "<p>A paragraph of text.</p>",
    *,
    contribs: str = AUTHOR,
    meta: str = "",
    back: str = "",
    after: str = "",
    lang: str = "en",
    pages: str = "<elocation-id>e88</elocation-id>",
) -> str:
    """A small published article around the excerpt."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<article xmlns:mml="http://www.w3.org/1998/Math/MathML" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" article-type="research-article" '
        f'xml:lang="{lang}"><front><journal-meta>'
        '<journal-id journal-id-type="publisher-id">plos</journal-id>'
        "<journal-title-group><journal-title>PLoS Biology</journal-title></journal-title-group>"
        '<issn pub-type="epub">1545-7885</issn>'
        "<publisher><publisher-name>Public Library of Science</publisher-name></publisher>"
        "</journal-meta><article-meta>"
        '<article-id pub-id-type="doi">10.1371/journal.pbio.0040088</article-id>'
        "<title-group><article-title>Relaxed Phylogenetics and Dating</article-title>"
        f"</title-group>{contribs}"
        '<pub-date pub-type="epub"><day>14</day><month>3</month><year>2006</year></pub-date>'
        f"<volume>4</volume><issue>5</issue>{pages}{meta}</article-meta></front>"
        f"<body>{body}</body><back>{back}</back>{after}</article>\n"
    )


def imported(tmp_path: Path, xml: str, name: str = "journal.pbio.0040088.xml") -> Path:
    """The article imported into tmp_path/source with the README's additions; its folder."""
    (tmp_path / "exports").mkdir(exist_ok=True)
    original = tmp_path / "exports" / name
    original.write_text(xml, encoding="utf-8")
    source = tmp_path / "source"
    assert cli.main(["import", str(original), "--into", str(source), "-q"]) == 0
    with (source / "journal.yaml").open("a", encoding="utf-8") as file:
        file.write(EDITOR_ADDITIONS)
    (folder,) = [p.parent for p in source.rglob("article.md")]
    return folder


def numbered_references(count: int) -> str:
    """A numbered reference list of `count` journal articles, r1, r2..."""
    return "".join(
        f'<ref id="r{n}"><label>{n}</label><element-citation publication-type="journal">'
        f"<person-group><name><surname>Author{n}</surname><given-names>A</given-names></name>"
        f"</person-group><article-title>Title {n}</article-title><source>Nature</source>"
        f"<year>200{n}</year><volume>{n}</volume></element-citation></ref>"
        for n in range(1, count + 1)
    )


def front(folder: Path, name: str = "article.md") -> dict[str, object]:
    text = (folder / name).read_text(encoding="utf-8")
    data: dict[str, object] = yaml.safe_load(text.split("---\n")[1])
    return data


def body(folder: Path, name: str = "article.md") -> str:
    return (folder / name).read_text(encoding="utf-8").split("---\n", 2)[2]


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main(
        ["check", "--source", str(tmp_path / "source"), "--output", str(tmp_path / "out")]
    )
    return code, capsys.readouterr().err


def web_page(tmp_path: Path) -> html.HtmlElement:
    """The imported article's web page as the renderer makes it (no validators), parsed."""
    read = read_project(tmp_path / "source")
    assert read.project is not None, [d.format() for d in read.diagnostics]
    (article,) = read.project.articles
    return html.fromstring(article_formats()["html"](article, Templates(), BuildInfo(0)).data)


def rendered_jats(tmp_path: Path) -> etree._Element:
    """The article's JATS as the renderer makes it (no layout, no validators)."""
    read = read_project(tmp_path / "source")
    assert read.project is not None, [d.format() for d in read.diagnostics]
    (article,) = read.project.articles
    output = article_formats()["jats"](article, Templates(), BuildInfo(1700000000))
    root: etree._Element = etree.fromstring(output.data)
    return root


# --------------------------------------------------------------------------- the importer


def test_an_affiliation_given_after_its_label_or_as_bare_text_keeps_its_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PMC's pone.0000217 and PLOS's editors: `<aff><label>1</label>words</aff>`, `<aff>words</aff>`
    editor = (
        '<contrib-group><contrib contrib-type="editor"><name><surname>Holmes</surname>'
        "<given-names>Eddie</given-names></name><role>Academic Editor</role>"
        '<xref ref-type="aff" rid="edit1"/></contrib></contrib-group>'
        '<aff id="edit1">Massey University, New Zealand</aff>'
    )
    labelled = AUTHOR.replace(
        "<addr-line>Department of Zoology, University of Oxford, Oxford, United Kingdom "
        "</addr-line>",
        "Department of Zoology, University of Oxford",
    )
    folder = imported(tmp_path, jats(contribs=labelled + editor))
    data = front(folder)
    names = [aff["name"] for aff in data["affiliations"]]  # type: ignore[index]
    assert "Massey University, New Zealand" in names
    assert "Department of Zoology, University of Oxford" in str(data)
    assert check(tmp_path, capsys)[0] == 0


def test_a_language_tag_in_capitals_is_written_in_its_standard_form(tmp_path: Path) -> None:
    folder = imported(tmp_path, jats(lang="EN"))  # PLOS's NLM 3.0 files: xml:lang="EN"
    assert front(folder)["lang"] == "en"
    assert "lang: en\n" in (tmp_path / "source" / "journal.yaml").read_text("utf-8")


def test_an_article_numbered_by_equal_first_and_last_pages_keeps_both(tmp_path: Path) -> None:
    # Rev. Saúde Pública 48(2) 366: fpage = lpage; a first page alone would let the layout
    # make up a last page
    folder = imported(tmp_path, jats(pages="<fpage>366</fpage><lpage>366</lpage>"))
    assert front(folder)["citation"] == {"page": "366-366"}


def test_a_space_at_the_end_of_an_italic_run_stays_between_the_words(tmp_path: Path) -> None:
    folder = imported(
        tmp_path,
        jats("<p>Sporulating <italic>B. subtilis </italic>cells and <bold> bold</bold>ly.</p>"),
    )
    assert "Sporulating *B. subtilis* cells and **bold**ly." in " ".join(body(folder).split())


def test_the_spaces_mathml_text_carries_are_kept_in_tex(tmp_path: Path) -> None:
    formula = (
        '<inline-formula><mml:math id="M1"><mml:mi>x</mml:mi><mml:mtext> </mml:mtext>'
        "<mml:mtext>is</mml:mtext><mml:mtext> </mml:mtext><mml:mtext>an outlier</mml:mtext>"
        "</mml:math></inline-formula>"
    )
    folder = imported(tmp_path, jats(f"<p>Then {formula} here.</p>"))
    tex = re.search(r"\$([^$]+)\$", body(folder))
    assert tex is not None and "isan" not in tex.group(1).replace("\\text{", "")
    assert r"\ \text{is}\ \text{an outlier}" in tex.group(1)


def test_a_mathml_space_in_points_stays_as_narrow_in_tex(tmp_path: Path) -> None:
    # PLOS ONE 10(3) e0117688: `<mspace width="1pt"/>` around each operator became
    # `\mspace{180mu}` (10 em) in texmath, inline formulas 400 ex wide
    spaces = ("1pt", "4.pt", "5.0pt", "1.em")
    formula = "<mml:mo>+</mml:mo>".join(
        f'<mml:mi>x</mml:mi><mml:mspace width="{width}"/>' for width in spaces
    )
    folder = imported(
        tmp_path,
        jats(
            f'<p>Then <inline-formula><mml:math id="M1">{formula}</mml:math>'
            "</inline-formula> here.</p>"
        ),
    )
    tex = re.search(r"\$([^$]+)\$", body(folder))
    assert tex is not None
    assert re.findall(r"\\mspace\{(\d+)mu\}|\\(quad)", tex.group(1)) == [
        ("2", ""),
        ("7", ""),
        ("9", ""),
        ("", "quad"),
    ]  # 0.1, 0.4, 0.5 and 1 em: 18 mu to the em


def test_bold_italic_mathml_becomes_tex_that_reads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PLOS Comput Biol 11(3) e1004082, Table 1: texmath writes \textit{\textbf{η}}
    formula = (
        '<inline-formula id="pcbi.1004082.e032"><mml:math id="M32" display="inline">'
        '<mml:mrow><mml:mover><mml:mtext mathvariant="bold">b</mml:mtext>'
        '<mml:mo accent="true">‾</mml:mo></mml:mover><mml:mo>=</mml:mo>'
        '<mml:mtext mathvariant="bold">U</mml:mtext><mml:mrow><mml:mtext mathvariant="bold">'
        'Λ</mml:mtext></mml:mrow><mml:mtext mathvariant="bold-italic">η</mml:mtext></mml:mrow>'
        "</mml:math></inline-formula>"
    )
    folder = imported(tmp_path, jats(f"<p>Then {formula} here.</p>"))
    assert r"\boldsymbol{η}" in body(folder)
    code, err = check(tmp_path, capsys)
    assert code == 0 and "math.tex" not in err


def test_an_empty_formula_is_left_out_and_said(tmp_path: Path) -> None:
    # eLife 14093: an empty <mml:math> right before another formula wrote `$$$\alpha =$`
    empty = '<inline-formula><mml:math id="inf26"><mml:mrow/></mml:math></inline-formula>'
    alpha = (
        '<inline-formula><mml:math id="inf27"><mml:mi>\u03b1</mml:mi><mml:mo>=</mml:mo></mml:math>'
    )
    folder = imported(tmp_path, jats(f"<p>angle ({empty}{alpha}</inline-formula>137°).</p>"))
    assert r"($\alpha =$137°)" in body(folder)
    assert "an empty formula" in (folder / "import-report.md").read_text("utf-8")


def test_a_table_with_an_empty_row_stays_one_table(tmp_path: Path) -> None:
    rows = "".join(
        f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in (("Age", "0.1"), ("", ""), ("Sex", "0.2"))
    )
    table = (
        '<table-wrap id="t1"><label>Table 1</label><caption><title>Effects.</title></caption>'
        f"<table><thead><tr><th>Variable</th><th>b</th></tr></thead><tbody>{rows}</tbody>"
        "</table></table-wrap>"
    )
    folder = imported(
        tmp_path, jats(f'<p>See <xref ref-type="table" rid="t1">Table 1</xref>.</p>{table}')
    )
    root = rendered_jats(tmp_path)
    (found,) = root.iter("table")
    assert len(found.findall(".//tr")) == 4
    assert "Sex" in "".join(found.itertext())
    assert "table-notes" not in body(folder)


def test_a_box_with_sections_keeps_the_article_sections_whole(tmp_path: Path) -> None:
    # PLOS Medicine 9(3) e1001186: Box 1 is a boxed-text of one sec, inside a section
    box = (
        '<sec id="s3"><title>Introduction</title><p>Before the box.</p>'
        '<boxed-text id="box1"><sec id="s3a1"><title>Box 1. The Task Force</title>'
        "<p>In the box.</p></sec></boxed-text><p>After the box.</p></sec>"
    )
    folder = imported(tmp_path, jats(box))
    assert "**Box 1. The Task Force**" in body(folder)
    root = rendered_jats(tmp_path)
    (section,) = root.iter("sec")
    assert [child.tag for child in section] == ["title", "p", "boxed-text", "p"]


def test_files_a_figure_carries_are_published_with_the_supplementary_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # eLife 00666: a figure supplement's source data sits in its caption; the text links it
    figure = (
        "<p>Source data: "
        '<xref ref-type="supplementary-material" rid="fig3sdata1">Figure 3—source data 1'
        '</xref>.</p><fig id="fig3"><label>Figure 3.</label><caption><title>A figure.</title>'
        '<p><supplementary-material id="fig3sdata1"><label>Figure 3—source data 1.</label>'
        "<caption><title>The data.</title></caption>"
        '<media mimetype="application" mime-subtype="xlsx" '
        'xlink:href="elife-00666-fig3-data1.xlsx"/>'
        '</supplementary-material></p></caption><graphic xlink:href="elife-00666-fig3.tif"/></fig>'
    )
    folder = imported(tmp_path, jats(figure))
    text = body(folder)
    supplementary = text[text.index("{.supplementary-material}") :]
    assert (
        "[**Figure 3—source data 1**](supplementary/elife-00666-fig3-data1.xlsx)" in supplementary
    )
    assert "{#supp-fig3sdata1}" in supplementary
    (folder / "supplementary").mkdir(exist_ok=True)
    (folder / "supplementary" / "elife-00666-fig3-data1.xlsx").write_bytes(b"stand-in")
    code, err = check(tmp_path, capsys)
    assert code == 0, err


def test_dois_are_read_as_the_original_means_them(tmp_path: Path) -> None:
    from galley.importers.jats import Report, reference

    def doi(markup: str) -> object:
        ref = etree.fromstring(
            f'<ref id="b1" xmlns:xlink="http://www.w3.org/1999/xlink"><element-citation '
            f'publication-type="journal"><source>J</source>{markup}</element-citation></ref>'
        )
        item = reference(ref, Report(tmp_path / "a.xml"))
        assert item is not None
        return item.get("DOI"), item.get("URL")

    # BMC's percent-encoded slash, eLife 04493's space after a dot
    assert doi('<pub-id pub-id-type="doi">10.1186%2F1471-2105-9-544</pub-id>')[0] == (
        "10.1186/1471-2105-9-544"
    )
    assert doi('<pub-id pub-id-type="doi">10.1371/journal.pbio. 1001425</pub-id>')[0] == (
        "10.1371/journal.pbio.1001425"
    )
    # a web page's address in its comment (PLOS)
    assert doi(
        '<comment>Available: <ext-link ext-link-type="uri" xlink:href="http://www.who.int/x">'
        "http://www.who.int/x</ext-link>. Accessed 2013.</comment>"
    ) == (None, "http://www.who.int/x")


def test_a_journal_without_a_title_is_called_as_its_journal_id_says(tmp_path: Path) -> None:
    # PLoS Genetics 8(8) e1002912 has no <journal-title>: its NLM abbreviation names it
    xml = jats().replace(
        "<journal-title-group><journal-title>PLoS Biology</journal-title></journal-title-group>",
        '<journal-id journal-id-type="nlm-ta">PLoS Genet</journal-id>',
    )
    imported(tmp_path, xml)
    journal = yaml.safe_load((tmp_path / "source" / "journal.yaml").read_text("utf-8"))
    assert journal["title"] == "PLoS Genet"


# --------------------------------------------------------------------------- gaps


GAPPY = dict(
    contribs="",  # PLoS Biol 3(11) e408: an unsigned synopsis
    body=(
        '<p>As shown <xref ref-type="bibr" rid="B1">[1]</xref>, '
        '<xref ref-type="bibr" rid="B2">[2]</xref>.</p>'
        '<table-wrap id="t1"><label>Table 1</label><caption><title>No header row.</title>'
        "</caption><table><tbody><tr><td>a</td><td>1</td></tr></tbody></table></table-wrap>"
    ),
    back=(
        '<ref-list><ref id="B1"><label>1</label><element-citation publication-type="journal">'
        "<person-group><name><surname>Lee</surname><given-names>A</given-names></name>"
        "</person-group><article-title>A title</article-title><year>2004</year>"
        "<volume>3</volume><fpage>034004</fpage><lpage>1</lpage></element-citation></ref>"
        '<ref id="B2"><label>2</label><element-citation publication-type="journal">'
        "<person-group><name><surname>Ray</surname><given-names>B</given-names></name>"
        "</person-group><article-title>Another</article-title><source>Nature</source>"
        '<year>2001</year><pub-id pub-id-type="doi">10.111/j.1365-2648.2004.03071.x</pub-id>'
        "</element-citation></ref></ref-list>"
    ),
    after=(  # SciELO: a translation published without a DOI of its own
        '<sub-article article-type="translation" xml:lang="pt" id="s1"><front-stub>'
        "<title-group><article-title>Filogenética relaxada</article-title></title-group>"
        "</front-stub><body><p>Um parágrafo.</p></body></sub-article>"
    ),
)


def test_what_the_original_lacks_is_recorded_as_its_gaps(tmp_path: Path) -> None:
    folder = imported(tmp_path, jats(**GAPPY))
    recorded = front(folder)["imported"]
    assert recorded == {
        "from": "journal.pbio.0040088.xml",
        "gaps": {
            "table-headers": ["tbl-t1"],
            "translation-doi": ["pt"],
            "authors": [],
            "reference-fields": ["@B1: container-title"],
            "reference-doi": ["@B2: 10.111/j.1365-2648.2004.03071.x"],
            "reference-pages": ["@B1: 034004-1"],
        },
    }
    report = (folder / "import-report.md").read_text("utf-8")
    assert "**as published** (`imported.gaps`): the original names no author" in report


def test_a_gap_of_the_original_is_a_warning_that_names_it_and_a_new_article_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = imported(tmp_path, jats(**GAPPY))
    code, err = check(tmp_path, capsys)
    assert code == 0, err
    for code_ in ("article.no-author", "translation.doi", "citations.missing-field"):
        assert re.search(
            rf"warning\[{re.escape(code_)}\]: .*\(as published: journal\.pbio\.0040088\.xml ", err
        ), code_
    assert "hint: kept as the journal published it" in err
    # The same source without the `imported:` block, as a new manuscript: refused as before.
    text = (folder / "article.md").read_text("utf-8")
    text = re.sub(r"imported:\n(  .*\n)+", "", text)
    (folder / "article.md").write_text(text, "utf-8")
    code, err = check(tmp_path, capsys)
    assert code == 1 and "error[article.no-author]" in err
    signed = text.replace("lang: en\n", "lang: en\nauthor: {name: {given: A, family: Lee}}\n")
    (folder / "article.md").write_text(signed, "utf-8")
    code, err = check(tmp_path, capsys)
    assert code == 1
    assert "error[translation.doi]" in err  # the translation is read first: it stops there
    (folder / "article.pt.md").unlink()
    code, err = check(tmp_path, capsys)
    assert code == 1
    for code_ in ("citations.missing-field", "citations.doi"):
        assert f"error[{code_}]" in err, code_


def test_an_unknown_kind_of_gap_is_an_error_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = imported(tmp_path, jats())
    text = (folder / "article.md").read_text("utf-8")
    text = text.replace("imported:\n", "imported:\n  gaps: {licence: []}\n", 1)
    (folder / "article.md").write_text(text, "utf-8")
    code, err = check(tmp_path, capsys)
    assert code == 1
    assert "`licence` is not a kind of gap: use " in err


def test_elided_reference_pages_are_written_out_in_jats(tmp_path: Path) -> None:
    from galley.identifiers import page_range, pages_in_order

    # PLOS ONE 11(1) e0146913 and eLife 00133 print "1032–9", "S208–19", "19702–07"
    assert page_range("1032-9") == ("1032", "1039")
    assert page_range("S208-19") == ("S208", "S219")
    assert page_range("19702-07") == ("19702", "19707")
    assert page_range("e1-e5") == ("e1", "e5")
    assert not pages_in_order(*page_range("034004-1"))  # type: ignore[misc]


# --------------------------------------------------------------------------- objects as images


IMAGES = (
    # PLOS Comput Biol 9(10) e1003292: formulas given only as images, a labelled one cited
    '<p>Formally, if <inline-formula><inline-graphic xlink:href="journal.pcbi.1003292.e001"/>'
    "</inline-formula> denotes the abundance, "
    '<xref ref-type="disp-formula" rid="pcbi.1003292.e003">Eq. (1)</xref> gives it as:'
    '<disp-formula id="pcbi.1003292.e003"><graphic xlink:href="journal.pcbi.1003292.e003"/>'
    "<label>(1)</label></disp-formula>and also<disp-formula>"
    '<graphic xlink:href="journal.pcbi.1003292.e004"/></disp-formula></p>'
    # PLOS Biol 4(5) e88: a table given only as an image
    '<p>See <xref ref-type="table" rid="pbio-0040088-t001">Table 1</xref>.</p>'
    '<table-wrap id="pbio-0040088-t001"><label>Table 1</label><caption><title>Rates.</title>'
    '</caption><graphic xlink:href="pbio.0040088.t001"/></table-wrap>'
)


def test_formulas_and_tables_given_as_images_are_imported_as_such(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    for name in (
        "journal.pcbi.1003292.e001",
        "journal.pcbi.1003292.e003",
        "journal.pcbi.1003292.e004",
        "pbio.0040088.t001",
    ):
        (exports / f"{name}.png").write_bytes(_png())
    folder = imported(tmp_path, jats(IMAGES))
    text = " ".join(body(folder).split())
    assert "![](figures/journal.pcbi.1003292.e001.png){.formula} denotes" in text
    assert "@eq-pcbi.1003292.e003 gives it as:![](figures/journal.pcbi.1003292.e003.png)" in text
    assert "{#eq-pcbi.1003292.e003}" in text
    assert "![](figures/journal.pcbi.1003292.e004.png){.display-formula}" in text
    assert "{#tbl-pbio-0040088-t001}" in text
    assert front(folder)["imported"]["gaps"]["formula-images"] == []  # type: ignore[index]


def test_formulas_and_tables_given_as_images_are_jats_formulas_and_tables(
    tmp_path: Path,
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    for name in (
        "journal.pcbi.1003292.e001",
        "journal.pcbi.1003292.e003",
        "journal.pcbi.1003292.e004",
        "pbio.0040088.t001",
    ):
        (exports / f"{name}.png").write_bytes(_png())
    imported(tmp_path, jats(IMAGES))
    root = rendered_jats(tmp_path)
    inline = root.find(".//inline-formula")
    assert inline is not None and inline.find("inline-graphic") is not None
    numbered, plain = root.findall(".//disp-formula")
    assert numbered.get("id") == "eq-pcbi.1003292.e003"
    assert numbered.findtext("label") == "(1)" and numbered.find("graphic") is not None
    assert plain.find("label") is None and plain.find("graphic") is not None
    xref = root.find(".//xref[@ref-type='disp-formula']")
    assert xref is not None and xref.get("rid") == "eq-pcbi.1003292.e003"
    wrap = root.find(".//table-wrap")
    assert wrap is not None and wrap.findtext("label") == "Table 1"
    assert wrap.find("graphic") is not None and wrap.find("caption/title") is not None
    from galley.validate.jats import JatsValidator

    schema = JatsValidator().schema
    assert schema.validate(root.getroottree()), schema.error_log


def _png() -> bytes:
    from tests.tools import _png as png

    return png()


# --------------------------------------------------------------------------- PMC


def test_galleys_jats_of_an_imported_article_passes_the_pmc_style_checker(
    tmp_path: Path,
) -> None:
    """`<issn pub-type>` and `<tex-math>` as a complete LaTeX document, as PMC requires."""
    from tests.conftest import SCHEMAS

    formula = (
        '<inline-formula><mml:math id="M1"><mml:msup><mml:mi>x</mml:mi><mml:mn>2</mml:mn>'
        "</mml:msup></mml:math></inline-formula>"
    )
    display = (
        '<disp-formula id="e1"><label>(1)</label><mml:math id="M2" display="block">'
        "<mml:mi>y</mml:mi><mml:mo>=</mml:mo><mml:mn>1</mml:mn></mml:math></disp-formula>"
    )
    categories = (
        '<article-categories><subj-group subj-group-type="heading"><subject>Research Article'
        "</subject></subj-group></article-categories>"
    )
    xml = jats(f"<p>Then {formula} and {display}</p>").replace(
        "<title-group>", categories + "<title-group>"
    )
    imported(tmp_path, xml)
    root = rendered_jats(tmp_path)
    checker = etree.XSLT(etree.parse(str(SCHEMAS / "pmc-stylechecker/xsl/nlm-stylechecker.xsl")))
    report = checker(root.getroottree()).getroot()
    errors = [" ".join("".join(e.itertext()).split()) for e in report.iter("error")]
    assert errors == []
    tex = root.find(".//tex-math")
    assert tex is not None and (tex.text or "").startswith("\\documentclass")
    assert (tex.text or "").endswith("$x^{2}$\\end{document}")


def test_figures_of_a_floats_group_go_where_the_text_first_cites_them(tmp_path: Path) -> None:
    # BMC and Hindawi files keep every figure in <floats-group> after the back matter
    text = (
        '<sec id="s1"><title>Results</title><p>First paragraph.</p>'
        '<p>As <xref ref-type="fig" rid="F1">Figure 1</xref> shows.</p><p>Last.</p></sec>'
    )
    floats = (
        '<floats-group><fig id="F1"><label>Figure 1</label><caption><p>Growth.</p></caption>'
        '<graphic xlink:href="F1"/></fig><fig id="F2"><label>Figure 2</label><caption>'
        '<p>Never cited.</p></caption><graphic xlink:href="F2"/></fig></floats-group>'
    )
    (tmp_path / "exports").mkdir()
    for name in ("F1", "F2"):
        (tmp_path / "exports" / f"{name}.png").write_bytes(_png())
    folder = imported(tmp_path, jats(text, after=floats))
    words = " ".join(body(folder).split())
    assert words.index("@fig-F1 shows.") < words.index("{#fig-F1}") < words.index("Last.")
    assert words.index("Last.") < words.index("{#fig-F2}")
    root = rendered_jats(tmp_path)
    assert [f.findtext("label") for f in root.iter("fig")] == ["Figure 1", "Figure 2"]
    report = (folder / "import-report.md").read_text("utf-8")
    assert report.count("placed where the text first cites it") == 2


def test_a_note_on_the_title_is_a_title_note_in_every_version(tmp_path: Path) -> None:
    # SciELO Rev. Latino-Am. Enfermagem 28 e3231: the title calls a note, as does each
    # translation's
    title = (
        "<article-title>Analysis of competences"
        '<xref ref-type="fn" rid="fn1">*</xref></article-title>'
    )
    translation = (
        '<sub-article article-type="translation" xml:lang="pt" id="s1"><front-stub>'
        '<article-id pub-id-type="doi">10.1371/journal.pbio.0040088.pt</article-id>'
        '<title-group><article-title>Análise de competências<xref ref-type="fn" rid="fn2">*'
        "</xref></article-title></title-group></front-stub><body><p>Um parágrafo.</p></body>"
        '<back><fn-group><fn id="fn2"><label>*</label><p>Extraído da tese.</p></fn></fn-group>'
        "</back></sub-article>"
    )
    xml = jats(
        back='<fn-group><fn id="fn1"><label>*</label><p>Paper extracted from the thesis.</p>'
        "</fn></fn-group>",
        after=translation,
    ).replace("<article-title>Relaxed Phylogenetics and Dating</article-title>", title)
    folder = imported(tmp_path, xml)
    data, translated = front(folder), front(folder, "article.pt.md")
    assert data["title"] == "Analysis of competences"
    assert data["title-note"] == "Paper extracted from the thesis."
    assert (translated["title"], translated["title-note"]) == (
        "Análise de competências",
        "Extraído da tese.",
    )
    root = rendered_jats(tmp_path)
    meta_title = root.find("front/article-meta/title-group/article-title")
    assert meta_title is not None and "".join(meta_title.itertext()) == "Analysis of competences*"
    xref = meta_title.find("xref")
    assert xref is not None and xref.get("rid") == "fn-title"
    note = root.find("front/article-meta/author-notes/fn[@id='fn-title']")
    assert note is not None and "Paper extracted" in "".join(note.itertext())
    sub = root.find("sub-article/front-stub/author-notes/fn[@id='pt-fn-title']")
    assert sub is not None and "Extraído da tese." in "".join(sub.itertext())
    read = read_project(tmp_path / "source")
    assert read.project is not None
    (article,) = read.project.articles
    page = article_formats()["html"](article, Templates(), BuildInfo(1700000000)).data.decode()
    assert 'id="title-note" role="doc-footnote"' in page
    assert "Paper extracted from the thesis." in page
    assert "<title>Analysis of competences" in page and "[^" not in page


def test_a_formula_broken_in_the_original_is_said_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # an entity escaped twice in the published MathML printed `\operatorname{x007B;}`
    formula = (
        '<inline-formula><mml:math id="M1"><mml:mo>&amp;#x007B;</mml:mo><mml:mi>x</mml:mi>'
        "</mml:math></inline-formula>"
    )
    original = tmp_path / "broken.xml"
    original.write_text(jats(f"<p>Set {formula}.</p>"), "utf-8")
    capsys.readouterr()
    code = cli.main(["import", str(original), "--into", str(tmp_path / "source")])
    err = capsys.readouterr().err
    assert code == 0
    assert "warning[import.broken-math]" in err
    assert re.search(r"broken\.xml:2: warning\[import\.broken-math\]: .*'&#x007B;'", err)


def test_links_galley_cannot_publish_keep_their_words_and_plos_related_dois_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        '<p>Data at <ext-link ext-link-type="ftp" xlink:href="ftp://ftp.ncbi.nih.gov/genomes">'
        "the NCBI FTP site</ext-link> and "
        '<ext-link ext-link-type="uri" xlink:href="javascript:alert(1)">here</ext-link> and '
        '<ext-link ext-link-type="uri" xlink:href="//cdn.example.org/x">there</ext-link>.</p>'
    )
    related = (  # PLoS Biol 3(11) e408: the related article by `info:doi/`
        '<related-article ext-link-type="uri" id="related1" related-article-type="companion" '
        'xlink:href="info:doi/10.1371/journal.pgen.1002644" xlink:type="simple">'
        "<article-title>Improvement of tactile discrimination</article-title></related-article>"
    )
    folder = imported(tmp_path, jats(text, meta=related))
    words = " ".join(body(folder).split())
    assert "Data at the NCBI FTP site and here and there." in words
    assert "ftp:" not in words and "javascript" not in words and "//cdn" not in words
    report = (folder / "import-report.md").read_text("utf-8")
    assert "a link to 'ftp://ftp.ncbi.nih.gov/genomes': its words are kept" in report
    assert front(folder)["related"] == [
        {
            "type": "companion",
            "doi": "10.1371/journal.pgen.1002644",
            "text": "Improvement of tactile discrimination",
        }
    ]
    assert check(tmp_path, capsys)[0] == 0


def test_a_range_of_bracketed_citations_cites_every_reference_it_spans(tmp_path: Path) -> None:
    # PLoS ONE 3(7) e2554: "<xref>[5]</xref>–<xref>[9]</xref>" stands for 5, 6, 7, 8 and 9
    refs = numbered_references(4)
    text = (
        '<p>As shown <xref ref-type="bibr" rid="r1">[1]</xref>–'
        '<xref ref-type="bibr" rid="r4">[4]</xref>, indeed.</p>'
    )
    folder = imported(tmp_path, jats(text, back=f"<ref-list>{refs}</ref-list>"))
    assert "[@r1; @r2; @r3; @r4]" in body(folder)
    assert "nocite" not in front(folder)


def test_bracketed_citations_before_a_list_in_a_paragraph_are_one_group(tmp_path: Path) -> None:
    # The words of a paragraph before a list (or a figure, a code block) it holds are a
    # paragraph of their own: its citations were left in their brackets, printed twice
    refs = numbered_references(2)
    text = (
        '<p>As shown [<xref ref-type="bibr" rid="r1">1</xref>,'
        '<xref ref-type="bibr" rid="r2">2</xref>]:<list list-type="bullet">'
        "<list-item><p>one</p></list-item></list></p>"
    )
    folder = imported(tmp_path, jats(text, back=f"<ref-list>{refs}</ref-list>"))
    assert "As shown [@r1; @r2]:" in body(folder), body(folder)


def test_a_subscript_inside_a_subscript_keeps_its_words(tmp_path: Path) -> None:
    # PLOS Comput Biol 11(3) e1004082: "<sub><italic>i</italic> = 1…<italic>N</italic>
    # <sub>tot</sub></sub>" wrote an empty subscript
    text = (
        "<p>Neurons r<sub><italic>i</italic> = 1…<italic>N</italic><sub>tot</sub></sub>, "
        "where each.</p>"
    )
    imported(tmp_path, jats(text))
    root = rendered_jats(tmp_path)
    subs = list(root.iter("sub"))
    assert subs and all("".join(s.itertext()).strip() for s in subs)
    assert "tot" in "".join(subs[0].itertext())


def test_code_in_a_paragraph_stays_code_and_code_of_several_lines_a_block(
    tmp_path: Path,
) -> None:
    # elife-00666: a <code xml:space="preserve"> of 14 lines inside a <p> became plain text
    # of the paragraph, hyphenated in print ("graft_only_hot-")
    text = (
        "<p>Set <code>max_size</code> first. For example: "
        '<code xml:space="preserve">&lt;MotifGraft name="motif"\n  RMSD_tolerance="3.0"/&gt;'
        "</code> and so on.</p>"
    )
    imported(tmp_path, jats(text))
    root = rendered_jats(tmp_path)
    (inline,) = root.iter("monospace")
    assert "".join(inline.itertext()) == "max_size"
    (block,) = root.iter("preformat")
    assert "".join(block.itertext()) == '<MotifGraft name="motif"\n  RMSD_tolerance="3.0"/>'
    paragraphs = [" ".join("".join(p.itertext()).split()) for p in root.iter("p")]
    assert "Set max_size first. For example:" in paragraphs and "and so on." in paragraphs


def test_a_glossary_of_abbreviations_is_carried_to_every_format(tmp_path: Path) -> None:
    # PLoS Biol 10(3) e1001289: <glossary><title>Abbreviations</title><def-list>…
    glossary = (
        "<glossary><title>Abbreviations</title><def-list><def-item><term>BCI</term>"
        "<def><p>brain–computer interface</p></def></def-item><def-item><term>TMS</term>"
        "<def><p>transcranial magnetic stimulation</p></def></def-item></def-list></glossary>"
    )
    folder = imported(tmp_path, jats(back=glossary))
    assert "# Abbreviations {.glossary}" in body(folder)
    root = rendered_jats(tmp_path)
    found = root.find("back/glossary")
    assert found is not None and found.findtext("title") == "Abbreviations"
    terms = [t.text for t in found.iter("term")]
    assert terms == ["BCI", "TMS"]


def test_a_link_to_a_box_keeps_its_words_and_reaches_the_box(tmp_path: Path) -> None:
    # eLife's kitchen sink: "<xref ref-type="boxed-text" rid="box1">Box 1</xref>"
    text = (
        '<p>See <xref ref-type="boxed-text" rid="box1">Box 1</xref>.</p>'
        '<boxed-text id="box1"><label>Box 1.</label><caption><title>Definitions</title>'
        "</caption><p>A boxed paragraph.</p></boxed-text>"
    )
    folder = imported(tmp_path, jats(text))
    assert "See [Box 1](#box1)." in body(folder)
    root = rendered_jats(tmp_path)
    box = root.find(".//boxed-text")
    xref = root.find("body//xref")
    assert box is not None and xref is not None and xref.get("rid") == box.get("id") == "box1"


def test_a_citation_group_right_before_a_parenthesis_is_no_link(tmp_path: Path) -> None:
    # PLOS Comput Biol 12(2) e1004692: "[10–18](see “Related literature” in Discussion)"
    refs = numbered_references(2)
    text = (
        '<p>In wide use [<xref ref-type="bibr" rid="r1">1</xref>,'
        '<xref ref-type="bibr" rid="r2">2</xref>](see “Related literature”). These.</p>'
    )
    folder = imported(tmp_path, jats(text, back=f"<ref-list>{refs}</ref-list>"))
    assert r"[@r1; @r2]\(see “Related literature”). These." in " ".join(body(folder).split())
    root = rendered_jats(tmp_path)
    paragraph = "".join(root.find("body/p").itertext())  # type: ignore[union-attr]
    assert "(see “Related literature”). These." in paragraph
    assert root.find(".//ext-link") is None


def test_a_group_author_is_named_without_its_members_who_are_reported(tmp_path: Path) -> None:
    # PLoS Med 9(8) e1001300: the members are listed inside <collab>; its name was 5,695 long
    group = (
        '<contrib-group><contrib contrib-type="author"><collab>Collaborative Group for '
        "Meta-Analysis<contrib-group><contrib><name><surname>Ahuja</surname><given-names>Shama"
        "</given-names></name><aff>Bureau of Tuberculosis, New York</aff></contrib>"
        "</contrib-group></collab></contrib></contrib-group>"
    )
    folder = imported(tmp_path, jats(contribs=AUTHOR + group))
    authors = front(folder)["author"]
    assert authors[1] == {"name": {"literal": "Collaborative Group for Meta-Analysis"}}  # type: ignore[index]
    report = (folder / "import-report.md").read_text("utf-8")
    assert "`<contrib>`: a member listed inside a group author" in report
    assert "`<aff>`: the affiliation of a group author's member" in report


def test_a_cross_reference_to_a_section_keeps_the_words_printed(tmp_path: Path) -> None:
    # PLoS ONE 2(2) e217 (PMC): "see <xref ref-type="sec" rid="s4b">Appendix A</xref>"
    text = (
        '<sec id="s1"><title>Results</title><p>Derived in <xref ref-type="sec" rid="s4b">'
        'Appendix A</xref>.</p></sec><sec id="s4b"><title>Appendix A: Derivation</title>'
        "<p>Equilibria.</p></sec>"
    )
    folder = imported(tmp_path, jats(text))
    assert "Derived in [Appendix A](#sec-s4b)." in body(folder)


def test_a_web_address_written_without_its_scheme_links_to_the_web(tmp_path: Path) -> None:
    # Rev. Saúde Pública 48(2) 347: xlink:href="www.who.int/kms/initiatives/ehealth/en/"
    text = (
        '<p>See <ext-link ext-link-type="uri" xlink:href="www.who.int/kms/initiatives/ehealth/en/">'
        "the WHO page</ext-link>.</p>"
    )
    folder = imported(tmp_path, jats(text))
    assert "[the WHO page](http://www.who.int/kms/initiatives/ehealth/en/)" in body(folder)


def test_a_translation_prints_cross_references_in_its_own_words(tmp_path: Path) -> None:
    # Rev. Saúde Pública 48(2) 225: "Tabela 1" in Portuguese, "Table 1" in its translation
    def article(word: str, lang: str, prefix: str) -> str:
        return (
            f'<p>See <xref ref-type="table" rid="{prefix}t1">{word} 1</xref>.</p>'
            f'<table-wrap id="{prefix}t1"><label>{word} 1</label><caption><title>T.</title>'
            "</caption><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr>"
            "</tbody></table></table-wrap>"
        )

    translation = (
        '<sub-article article-type="translation" xml:lang="en" id="s1"><front-stub>'
        '<article-id pub-id-type="doi">10.1371/journal.pbio.0040088.en</article-id>'
        "<title-group><article-title>Relaxed</article-title></title-group></front-stub>"
        f"<body>{article('Table', 'en', 'en-')}</body></sub-article>"
    )
    imported(tmp_path, jats(article("Tabela", "pt", ""), lang="pt", after=translation))
    root = rendered_jats(tmp_path)
    original = [x.text for x in root.iterfind("body//xref[@ref-type='table']")]
    translated = [x.text for x in root.iterfind("sub-article/body//xref[@ref-type='table']")]
    assert original == ["Tabela 1"] and translated == ["Table 1"]


def test_every_table_of_one_table_wrap_is_kept(tmp_path: Path) -> None:
    # eLife's sample 00666: "Table 2 is structured into two sub-tables"
    def table(word: str) -> str:
        return (
            f"<table><thead><tr><th>Protein</th><th>{word}</th></tr></thead>"
            "<tbody><tr><td>Ypt7p</td><td>103</td></tr></tbody></table>"
        )

    wrap = (
        '<table-wrap id="table2"><label>Table 2.</label><caption><p>Two sub-tables.</p>'
        f"</caption>{table('Molar ratio in RPL reactions')}{table('Ratio on vacuoles')}"
        "</table-wrap>"
    )
    imported(tmp_path, jats(f"<p>Text.</p>{wrap}"))
    root = rendered_jats(tmp_path)
    cells = " ".join("".join(t.itertext()) for t in root.iter("table"))
    assert len(list(root.iter("table"))) == 2
    assert "Molar ratio in RPL reactions" in cells and "Ratio on vacuoles" in cells


def test_every_funding_note_of_the_back_reaches_the_funding_statement(tmp_path: Path) -> None:
    # Rev. Saúde Pública 48(2) 240: a grant holder's note, then "Trabalho financiado pela FAPESP"
    back = (
        '<fn-group><fn fn-type="financial-disclosure"><p>A autora foi bolsista da Capes.</p></fn>'
        '<fn fn-type="financial-disclosure"><p>Trabalho financiado pela FAPESP.</p></fn>'
        '<fn fn-type="financial-disclosure"><p>A autora foi bolsista da Capes.</p></fn>'
        "</fn-group>"
    )
    folder = imported(tmp_path, jats(back=back))
    statement = "".join(rendered_jats(tmp_path).find(".//funding-statement").itertext())
    assert statement == "A autora foi bolsista da Capes. Trabalho financiado pela FAPESP."
    report = (folder / "import-report.md").read_text("utf-8")
    assert "joined to the funding statement" in report
    assert "saying what the funding statement says" in report


def test_a_translations_author_notes_keep_their_words(tmp_path: Path) -> None:
    # Rev. Saúde Pública 48(2) 232: "Article based on the doctoral thesis ..." in the front-stub
    translation = (
        '<sub-article article-type="translation" xml:lang="en" id="s1"><front-stub>'
        '<article-id pub-id-type="doi">10.1371/journal.pbio.0040088.en</article-id>'
        "<title-group><article-title>Relaxed</article-title></title-group><author-notes>"
        "<corresp>Correspondence: Andrew Rambaut</corresp>"
        '<fn fn-type="other"><p>Article based on the doctoral thesis of Rambaut A.</p></fn>'
        "</author-notes></front-stub><body><p>A paragraph.</p></body></sub-article>"
    )
    imported(tmp_path, jats(lang="pt", after=translation))
    sub = rendered_jats(tmp_path).find("sub-article")
    assert sub is not None
    notes = ["".join(n.itertext()) for n in sub.iter("notes")]
    assert any("Article based on the doctoral thesis of Rambaut A." in n for n in notes)


def _figure_without_alt_text(tmp_path: Path) -> Article:
    """An imported article whose one figure has no `<alt-text>` (PLOS ONE e0117688)."""
    text = (
        '<p>As <xref ref-type="fig" rid="g001">Fig 1</xref> shows.</p><fig id="g001">'
        "<label>Fig 1</label><caption><title>Hip and femur meshes.</title></caption>"
        '<graphic xlink:href="g001"/></fig>'
    )
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "g001.png").write_bytes(_png())
    imported(tmp_path, jats(text))
    read = read_project(tmp_path / "source")
    assert read.project is not None
    (article,) = read.project.articles
    return article


def test_a_figure_without_alt_text_is_named_by_its_label_on_the_page_and_in_the_book(
    tmp_path: Path,
) -> None:
    # The image was first given an empty alt, which the figure's name then could not replace:
    # every figure of an article without alt text was alt="" on the web and in the e-book
    article = _figure_without_alt_text(tmp_path)
    page = html.fromstring(article_formats()["html"](article, Templates(), BuildInfo(0)).data)
    (image,) = page.xpath("//figure//img")
    assert image.get("alt") == "Fig 1"
    book = article_formats()["epub"](article, Templates(), BuildInfo(0)).data
    with zipfile.ZipFile(io.BytesIO(book)) as files:
        chapter = files.read(
            next(n for n in files.namelist() if n.endswith(".xhtml") and "/text/" in n)
        )
    assert b'alt="Fig 1"' in chapter and b'alt=""' not in chapter


@pytest.mark.slow  # a print layout
def test_a_figure_without_alt_text_is_named_in_the_tagged_pdf(tmp_path: Path) -> None:
    """The PDF's Figure element carries the figure's name as its /Alt (WeasyPrint takes the
    image's alt; without one it wrote none and logged an error)."""
    from galley.render import pdf

    article = _figure_without_alt_text(tmp_path)
    data = pdf.render(article, Templates(), BuildInfo(0), 1).output.data
    root = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"]
    figures = []
    stack = [root]
    while stack:
        element = stack.pop().get_object()
        if isinstance(element, dict):
            if element.get("/S") == "/Figure":
                figures.append(element)
            kids = element.get("/K", [])
            stack.extend(kids if isinstance(kids, list) else [kids])
    assert [str(figure.get("/Alt")) for figure in figures] == ["Fig 1"]


def test_an_unstructured_reference_prints_its_address_once(tmp_path: Path) -> None:
    # PLOS ONE 11(3) e0152459, ref. 28: its whole text was the title, address included, and
    # the style printed "Available: <address>" after it a second time
    address = "http://www.cnki.net/KCMS/detail/detail.aspx?QueryID=6&amp;filename=2004139508.nh"
    reference = (
        '<ref-list><ref id="r1"><label>1</label><mixed-citation publication-type="other">'
        "Hao S. Expression of p16 in vulvar neoplasia. M.Sc. Thesis. China Medical University. "
        f'2004. Available: <ext-link ext-link-type="uri" xlink:href="{address}">{address}'
        "</ext-link>.</mixed-citation></ref></ref-list>"
    )
    folder = imported(
        tmp_path, jats('<p>As shown <xref ref-type="bibr" rid="r1">[1]</xref>.</p>', back=reference)
    )
    (item,) = yaml.safe_load((folder / "references.yaml").read_text("utf-8"))
    assert item["title"].endswith("China Medical University. 2004.")
    assert item["URL"] == address.replace("&amp;", "&")
    read = read_project(tmp_path / "source")
    assert read.project is not None
    page = html.fromstring(
        article_formats()["html"](read.project.articles[0], Templates(), BuildInfo(0)).data
    )
    (entry,) = page.xpath("//li[starts-with(@id, 'ref-')]")
    words = " ".join(entry.text_content().split())
    assert words.count("cnki.net") == 1 and "Available" in words, words


def test_an_untitled_abstract_of_another_kind_is_headed_by_its_kind(tmp_path: Path) -> None:
    # PLOS Biology 4(5) e88: `<abstract abstract-type="toc">` beside the abstract, no title:
    # two sections headed "Abstract", two landmarks of one name (Ace: landmark-unique)
    meta = (
        "<abstract><p>We introduce a new approach.</p></abstract>"
        '<abstract abstract-type="toc"><p>This new method infers the clock.</p></abstract>'
    )
    imported(tmp_path, jats(meta=meta))
    read = read_project(tmp_path / "source")
    assert read.project is not None
    (article,) = read.project.articles
    page = html.fromstring(article_formats()["html"](article, Templates(), BuildInfo(0)).data)
    headings = [h.text_content() for h in page.xpath("//section[contains(@class, 'abstract')]/h2")]
    assert headings == ["Abstract", "Table of contents summary"]
    book = article_formats()["epub"](article, Templates(), BuildInfo(0)).data
    with zipfile.ZipFile(io.BytesIO(book)) as files:
        chapter = files.read(
            next(n for n in files.namelist() if n.endswith(".xhtml") and "/text/" in n)
        )
    assert b">Table of contents summary</h2>" in chapter


def test_a_section_the_original_left_untitled_has_no_empty_heading(tmp_path: Path) -> None:
    # PLOS Comput Biol 3(7) e158 (a retraction): `<sec id="s1"><title/>`: an empty <h2> on the
    # web and in the e-book (Nu: "Empty heading", Ace: empty-heading)
    text = '<sec id="s1"><title/><p>In volume 3, a bug in the script.</p></sec>'
    imported(tmp_path, jats(text))
    page = web_page(tmp_path)
    body = page.xpath("//div[contains(@class, 'article-body')]")[0]
    assert [h.text_content() for h in body.iter("h2", "h3") if not h.text_content().strip()] == []
    assert page.get_element_by_id("sec-s1") is not None  # links to it still land
    assert "a bug in the script" in body.text_content()


def test_a_video_in_the_text_is_published_with_the_supplementary_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # eLife 00133: five videos in the text, reported lost, their files left behind, their
    # captions' two paragraphs read as one run ("Displayed 10x speed.**DOI:**") and their
    # labels ("Video 1.") gone; a cross-reference to one (eLife 00666) linked nowhere
    video = (
        '<p>Puncta move (<xref ref-type="video" rid="video1">Video 1</xref>).'
        '<media id="video1" mimetype="video" mime-subtype="avi" '
        'xlink:href="elife00133v001.avi"><label>Video 1.</label><caption><p>Movement of '
        "puncta. Displayed 10x speed.</p><p><bold>DOI:</bold> "
        '<ext-link ext-link-type="doi" xlink:href="10.7554/eLife.00133.008">'
        "http://dx.doi.org/10.7554/eLife.00133.008</ext-link></p></caption></media></p>"
        # a video without its file: its words are all galley can keep
        '<p><media id="video2" mimetype="video"><label>Video 2.</label><caption><p>Second.'
        "</p><p>More.</p></caption></media></p>"
    )
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "elife00133v001.avi").write_bytes(b"stand-in")  # beside the XML
    folder = imported(tmp_path, jats(video))
    text = body(folder)
    supplementary = text[text.index("{.supplementary-material}") :]
    assert (
        "[**Video 1**](supplementary/elife00133v001.avi){#supp-video1} Movement of puncta. "
        "Displayed 10x speed. **DOI:**" in " ".join(supplementary.split())
    )
    assert "elife00133v001.avi.avi" not in text  # the name's own extension, once
    assert "Puncta move ([Video 1](#supp-video1))." in text
    assert "**Video 2.** Second.\n\nMore." in text
    report = (folder / "import-report.md").read_text()
    assert "published with the supplementary files" in report
    assert "unknown inline element" not in report
    assert (folder / "supplementary" / "elife00133v001.avi").read_bytes() == b"stand-in"
    code, err = check(tmp_path, capsys)
    assert code == 0, err


def test_an_untitled_section_of_an_abstract_has_no_empty_heading(tmp_path: Path) -> None:
    # PLOS Pathogens 4(2) e45: `<abstract abstract-type="summary"><title>Author Summary</title>
    # <sec><title/><p>…`: an empty <h3> in the e-book (Ace: empty-heading)
    summary = (
        '<abstract abstract-type="summary"><title>Author Summary</title>'
        '<sec id="st1"><title/><p>Opportunistic fungal pathogens.</p></sec></abstract>'
    )
    imported(tmp_path, jats("<sec><title>Introduction</title><p>Text.</p></sec>", meta=summary))
    page = web_page(tmp_path)
    headings = [h.text_content().strip() for h in page.iter("h2", "h3", "h4")]
    assert "Author Summary" in headings and "" not in headings
    assert "Opportunistic fungal pathogens." in page.text_content()


def test_the_headings_inside_an_untitled_section_never_skip_a_level(tmp_path: Path) -> None:
    # PLOS Comput Biol 4(10) e1000204: each section holds an untitled one, which holds the
    # titled ones: their <h4> followed an <h2> once the empty <h3> was gone (5 Nu errors)
    text = (
        '<sec id="s3"><title>Libraries</title><sec id="s3a"><title/><p>Intro.</p>'
        '<sec id="s3a1"><title>The ACM Digital Library</title><p>ACM.</p>'
        '<sec id="s3a1a"><title>Its records</title><p>Records.</p></sec></sec>'
        '<sec id="s3a2"><title>IEEE Xplore</title><p>IEEE.</p></sec></sec>'
        '<sec id="s3b"><title>Then</title><p>After.</p></sec></sec>'
        '<sec id="s4"><title>Discussion</title><p>End.</p></sec>'
    )
    imported(tmp_path, jats(text))
    page = web_page(tmp_path)
    body = page.xpath("//div[contains(@class, 'article-body')]")[0]
    assert [(h.tag, h.text_content()) for h in body.iter("h2", "h3", "h4", "h5")] == [
        ("h2", "Libraries"),
        ("h3", "The ACM Digital Library"),
        ("h4", "Its records"),
        ("h3", "IEEE Xplore"),
        ("h3", "Then"),
        ("h2", "Discussion"),
    ]


@pytest.mark.slow  # the Nu HTML Checker (Java)
def test_accents_and_decomposed_letters_make_a_page_the_nu_checker_passes(tmp_path: Path) -> None:
    # PLOS ONE 10(3) e0118342: "z" and a combining circumflex in the text (not Unicode's
    # composed form), and texmath's accents alone in an <mo>: 169 Nu warnings on one page
    from tests.tools import nu_messages

    tilde = (
        '<inline-formula><mml:math id="M1"><mml:mover accent="true"><mml:mi>\u03be</mml:mi>'
        '<mml:mo>\u02dc</mml:mo></mml:mover><mml:mo>+</mml:mo><mml:mover accent="true">'
        "<mml:mi>x</mml:mi><mml:mo>\u02d9</mml:mo></mml:mover></mml:math></inline-formula>"
    )
    imported(tmp_path, jats(f"<p>The axis <italic>z\u0302</italic> and {tilde}.</p>"))
    read = read_project(tmp_path / "source")
    assert read.project is not None
    (article,) = read.project.articles
    data = article_formats()["html"](article, Templates(), BuildInfo(0)).data
    text = data.decode()
    assert "\u1e91" in text and "z\u0302" not in text  # ẑ, composed
    assert not re.search(r"<mo[^>]*>[\u0300-\u036f]", text)
    page = tmp_path / "page.html"
    page.write_bytes(data)
    found = [m["message"] for m in nu_messages(page)]
    assert not [m for m in found if "composing" in m or "Normalization" in m], found


def test_a_hat_over_several_letters_stays_the_one_chromium_stretches() -> None:
    """Over one letter an accent is its spacing form, centred on it; over several, a hat
    stays the combining circumflex: the only one Chromium's MathML stretches (STIX Two
    Math), so \\widehat keeps its width, at the price of one Nu warning."""
    from galley.render.text import rendered_html

    one = '<mover accent="true"><mi>z</mi><mo accent="true">\u0302</mo></mover>'
    more = '<mover accent="true"><mrow><mi>x</mi><mi>y</mi></mrow><mo accent="true">\u0302</mo>'
    assert rendered_html(one) == one.replace("\u0302", "\u02c6")
    assert rendered_html(more) == more
    assert rendered_html(more.replace("\u0302", "\u0303")) == more.replace("\u0302", "~")
