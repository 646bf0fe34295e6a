"""Research content in every format: math, figures, tables and cross-references.

One article (tests/roots/research) uses every construct galley documents: figures with alt
text, a panel of subfigures, pipe, grid and wide tables with notes, labelled and unlabelled
display equations, inline math, boxed text, code, and Quarto cross-references. It is built
once; each test checks what the build wrote, with the reference validators where one exists.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from galley import cli
from tests.conftest import ROOT, SCHEMAS
from tests.tools import (
    axe_violations,
    epubcheck_messages,
    headless_chromium,
    nu_messages,
    served,
)

RESEARCH = ROOT / "tests" / "roots" / "research" / "source"
ARTICLE = Path("jrs-1-1") / "lovelace"
ARTIFACTS = ROOT / "tests" / "artifacts"
MML = "{http://www.w3.org/1998/Math/MathML}"
XLINK = "{http://www.w3.org/1999/xlink}"
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The research article built once, every format, every validator."""
    output = tmp_path_factory.mktemp("research")
    code = cli.main(["--source", str(RESEARCH), "--output", str(output), "-q", "--strict"])
    assert code == 0, "the research article must build without an error or a warning"
    return output / ARTICLE


@pytest.fixture(scope="module")
def jats(built: Path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root: etree._Element = etree.parse(str(built / "lovelace.xml"), parser).getroot()
    return root


def test_jats_is_valid_against_the_official_schema(jats: etree._Element) -> None:
    schema_file = SCHEMAS / "jats-1.3-publishing" / "JATS-journalpublishing1-3-mathml3.xsd"
    schema = etree.XMLSchema(etree.parse(str(schema_file)))
    assert schema.validate(jats.getroottree()), schema.error_log


def test_figures_carry_ids_labels_caption_titles_and_alt_text(jats: etree._Element) -> None:
    body = jats.find("body")
    assert body is not None
    figures = {fig.get("id"): fig for fig in body.iter("fig", "fig-group")}
    assert {identifier: fig.findtext("label") for identifier, fig in figures.items()} == {
        "fig-map": "Figure 1",
        "fig-panels": "Figure 2",
        "fig-drift": "(a)",
        "fig-diffusion": "(b)",
        "fig-wide": "Figure 3",
    }
    assert figures["fig-panels"].tag == "fig-group"
    assert [f.get("id") for f in figures["fig-panels"].findall("fig")] == [
        "fig-drift",
        "fig-diffusion",
    ]
    for identifier in ("fig-map", "fig-drift", "fig-diffusion", "fig-wide"):
        graphic = figures[identifier].find("graphic")
        assert graphic is not None and graphic.findtext("alt-text"), identifier
        assert graphic.get(f"{XLINK}href", "").startswith("figures/")
    caption = figures["fig-map"].find("caption")
    assert caption is not None
    title = caption.find("title")
    assert title is not None and caption.find("p") is None  # a one-paragraph caption is a title
    assert title.find("ext-link") is not None and title.find("inline-formula") is not None
    panels = figures["fig-panels"].find("caption")
    assert panels is not None
    assert "".join(panels.find("title").itertext()).startswith("Estimated coefficients")


def test_tables_carry_ids_labels_titles_and_their_notes(jats: etree._Element) -> None:
    wraps = {wrap.get("id"): wrap for wrap in jats.iter("table-wrap")}
    assert {k: w.findtext("label") for k, w in wraps.items()} == {
        "tbl-results": "Table 1",
        "tbl-sites": "Table 2",
        "tbl-wide": "Table 3",
    }
    results = wraps["tbl-results"]
    assert results.findtext("caption/title") == "Kramers–Moyal coefficients."
    assert results.findtext("caption/p") == "Estimated from 24 series."
    foot = results.find("table-wrap-foot")
    assert foot is not None
    note = foot.find("fn")
    assert note is not None and note.findtext("label") == "a"
    assert "Bootstrap standard error" in "".join(note.itertext())
    assert "All estimates at" in "".join(foot.itertext())
    call = results.find(".//xref[@ref-type='table-fn']")
    assert call is not None and call.get("rid") == note.get("id")
    assert len(wraps["tbl-wide"].findall(".//thead/tr/th")) == 12


def test_formulas_have_ids_labels_and_both_mathml_and_tex(jats: etree._Element) -> None:
    body = jats.find("body")
    assert body is not None
    display = body.findall(".//disp-formula")
    assert [f.get("id") for f in display] == ["eq-moments", "eq-km", "disp-formula-1"]
    assert [f.findtext("label") for f in display] == ["(1)", "(2)", None]
    formulas = list(jats.iter("disp-formula", "inline-formula"))
    ids = [f.get("id") for f in formulas]
    assert all(ids) and len(set(ids)) == len(ids)
    for formula in formulas:
        alternatives = formula.find("alternatives")
        assert alternatives is not None
        math, tex = alternatives.find(f"{MML}math"), alternatives.find("tex-math")
        assert math is not None and tex is not None
        assert math.get("id") == f"{formula.get('id')}-mml"
        assert tex.get("id") == f"{formula.get('id')}-tex"
    title = jats.find("front/article-meta/title-group/article-title")
    assert title is not None and title.find("inline-formula") is not None


def test_cross_references_link_with_their_type_and_words(jats: etree._Element) -> None:
    ids = {element.get("id") for element in jats.iter() if element.get("id")}
    xrefs = list(jats.iter("xref"))
    assert all(xref.get("rid") in ids for xref in xrefs)
    kinds = {(xref.get("ref-type"), xref.get("rid")) for xref in xrefs}
    for expected in (
        ("fig", "fig-map"),
        ("fig", "fig-panels"),
        ("fig", "fig-drift"),
        ("table", "tbl-results"),
        ("table", "tbl-wide"),
        ("disp-formula", "eq-km"),
        ("sec", "sec-methods"),
        ("bibr", "ref-black1973"),
        ("table-fn", "tbl-results-fn-a"),
    ):
        assert expected in kinds
    words = {xref.get("rid"): "".join(xref.itertext()) for xref in xrefs}
    assert words["fig-map"] == "Figure 1"
    assert words["eq-km"] == "Eq. 2"
    assert words["tbl-wide"] == "3"  # [-@tbl-wide]: the number alone
    assert words["fig-drift"] == "2a"
    assert words["sec-methods"] == "Methods"  # sections are not numbered: their title


def test_boxed_text_and_code_are_kept_as_jats_has_them(jats: etree._Element) -> None:
    boxes = list(jats.iter("boxed-text"))
    assert len(boxes) == 1 and "Reading the coefficients" in "".join(boxes[0].itertext())
    code = jats.find(".//code")
    assert code is not None and code.get("language") == "python"


def test_web_page_is_valid_html_with_mathml_labels_and_links(built: Path) -> None:
    page = built / "lovelace.html"
    assert [m for m in nu_messages(page) if m["type"] == "error"] == []
    html = page.read_text(encoding="utf-8")
    assert html.count("<math") >= 8
    assert "\\frac" not in re.sub(r"<annotation.*?</annotation>", "", html, flags=re.S)
    assert 'aria-hidden="true">' not in html.split("<figcaption")[1]  # captions are read
    assert '<span class="caption-label">Figure 1.</span>' in html
    assert '<span class="caption-label">Table 1.</span>' in html
    assert '<span class="equation-label">(2)</span>' in html
    targets = set(re.findall(r'href="#([^"]+)"', html))
    ids = set(re.findall(r'id="([^"]+)"', html))
    assert targets <= ids, targets - ids


def test_epub_passes_epubcheck_and_declares_mathml(built: Path) -> None:
    book = built / "lovelace.epub"
    assert epubcheck_messages(book) == []
    with zipfile.ZipFile(book) as archive:
        package = etree.fromstring(archive.read("EPUB/package.opf"))
        chapter = archive.read("EPUB/text/lovelace.xhtml").decode("utf-8")
        names = archive.namelist()
    items = {item.get("href"): item for item in package.iter(f"{OPF}item")}
    assert "mathml" in items["text/lovelace.xhtml"].get("properties", "").split()
    assert "EPUB/text/lovelace/figures/map.png" in names
    meta = {(m.get("property"), m.text) for m in package.iter(f"{OPF}meta") if m.get("property")}
    assert ("schema:accessMode", "visual") in meta
    assert ("schema:accessibilityFeature", "MathML") in meta
    assert ("schema:accessibilityFeature", "alternativeText") in meta
    assert "<math" in chapter and 'alt="A grey rectangle' in chapter


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 360])
def test_web_page_fits_the_window_and_axe_finds_no_serious_violation(
    built: Path, width: int
) -> None:
    """Wide equations and tables scroll in their own box; the page itself never scrolls
    sideways, on a desktop or a phone."""
    with served(built.parent.parent) as site, headless_chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{site}/{ARTICLE}/lovelace.html", wait_until="networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        widest = page.evaluate(
            "Math.max(...[...document.querySelectorAll('math[display=block]')]"
            ".map(m => m.getBoundingClientRect().right))"
        )
        assert widest > 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"research-web-{width}.png"), full_page=True)
        serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert serious == [], json.dumps(serious, indent=2)


@pytest.mark.slow
def test_epub_passes_ace_with_no_serious_or_critical_violation(built: Path) -> None:
    """Ace by DAISY run directly (its CLI), not through galley's build-time service."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is needed (Debian: apt-get install chromium)"
    report_dir = built.parent / "ace-report"
    subprocess.run(
        [
            "node",
            str(ROOT / "node_modules" / "@daisy" / "ace-cli" / "bin" / "ace.js"),
            "--silent",
            "--force",
            "--outdir",
            str(report_dir),
            str(built / "lovelace.epub"),
        ],
        check=True,
        env={"PATH": "/usr/bin:/bin", "PUPPETEER_EXECUTABLE_PATH": chromium, "HOME": "/tmp"},
    )
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    failures = [
        (a["earl:test"]["dct:title"], a["earl:test"]["earl:impact"])
        for document in report["assertions"]
        for a in document["assertions"]
        if a["earl:result"]["earl:outcome"] == "fail"
    ]
    assert [f for f in failures if f[1] in ("serious", "critical")] == []


@pytest.fixture(scope="module")
def pdf_pages(built: Path) -> Iterator[list[Path]]:
    """The print edition as PNG pages, kept in tests/artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / "research-page"
    for old in ARTIFACTS.glob("research-page-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", str(built / "lovelace.pdf"), str(prefix)], check=True
    )
    yield sorted(ARTIFACTS.glob("research-page-*.png"))


@pytest.mark.slow
def test_print_shows_typeset_math_never_tex_or_mathml(built: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(built / "lovelace.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for raw in ("\\frac", "\\left", "\\partial", "{#eq", "mml:", "$"):
        assert raw not in text, raw
    assert "(1)" in text and "(2)" in text  # equation numbers
    assert "Figure 1." in text and "Table 1." in text and "Eq. 2" in text


@pytest.mark.slow
def test_print_figures_and_tables_fit_the_page(built: Path, pdf_pages: list[Path]) -> None:
    """Nothing is drawn in the outer margin: figures are scaled, the wide table is turned."""
    from PIL import Image

    sizes = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", str(built / "lovelace.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    shapes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", sizes)
    assert ("648", "432") in shapes, shapes  # the 12-column table is set on a turned page
    assert len(pdf_pages) == len(shapes) >= 3
    for png in pdf_pages:
        image = Image.open(png).convert("L")
        width, height = image.size
        margin = int(0.45 * 72)  # the outer margins are at least 0.65 in; keep clear of 0.45
        for box in ((0, 0, margin, height), (width - margin, 0, width, height)):
            darkest = min(image.crop(box).get_flattened_data())
            assert darkest > 200, f"{png.name}: something is printed in the margin {box}"


@pytest.mark.parametrize(
    ("old", "new", "needle", "code"),
    [
        (
            "(figures/wide.png)",
            "(figures/missing.png)",
            "figures/missing.png",
            "article.image-missing",
        ),
        ("@fig-map shows", "@fig-mapp shows", "@fig-mapp", "xref.unknown"),
        ("{#fig-wide fig-alt", "{#fig-map fig-alt", "{#fig-map fig-alt", "xref.duplicate-label"),
        (
            "\\frac{M^{(n)}(x, \\tau)}{\\tau}",
            "\\frac{M^{(n)}(x, \\tau)}{\\tau",
            "\\frac{M^{(n)}(x, \\tau)}{\\tau",
            "math.tex",
        ),
        ("@eq-km:", "@eq-kmm:", "@eq-kmm", "xref.unknown"),
    ],
    ids=["missing figure", "unknown figure", "duplicate label", "bad TeX", "unknown equation"],
)
def test_bad_research_content_is_reported_at_its_source_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, needle: str, code: str
) -> None:
    source = tmp_path / "source"
    shutil.copytree(RESEARCH, source)
    article = source / ARTICLE / "article.md"
    text = article.read_text(encoding="utf-8")
    assert old in text
    article.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(
        n for n, row in enumerate(article.read_text("utf-8").splitlines(), 1) if needle in row
    )
    if code == "xref.duplicate-label":
        line = [
            n
            for n, row in enumerate(article.read_text("utf-8").splitlines(), 1)
            if "{#fig-map" in row
        ][-1]
    output = tmp_path / "output"
    code_ = cli.main(["--source", str(source), "--output", str(output), "-q"])
    err = capsys.readouterr().err
    assert code_ == 1
    assert re.search(rf"{re.escape(str(article))}:{line}: error\[{re.escape(code)}\]", err), err
    assert not (output / ARTICLE).exists()
