"""Text from the source reaches every output as text, never as markup.

Hostile strings (CDATA ends, markup, entities, quotes, template syntax, script links, event
handlers, control and bidi characters, forged galley fragment markers) are written into every
field of an article, its references and its issue, and into its body and its notes (and a
formula holds a CDATA end). Whatever is read is rendered in every format that needs no JVM;
each output must parse, keep the element structure a harmless text gives, hold the strings
only as text, and the Crossref deposit must carry exactly one `doi_data` per article.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from galley import pandoc
from galley.diagnostics import GalleyError, Span
from galley.read import read_project
from galley.read.journal import read_journal
from galley.render import BuildInfo, article_formats, issue_formats
from galley.templating import Templates
from tests.conftest import ROOT, SEED_ARTICLE, SOURCE

PAYLOADS = [
    "]]>",
    "<b>bold</b>",
    "<script>alert(1)</script>",
    "&amp;",
    "&e;",
    '"',
    "'",
    "{{ 7 * 7 }}",  # (spaced: `*7 … 7*` would be the author's Markdown emphasis)
    "{% raw %}",
    "javascript:alert(1)",
    'x" onmouseover="alert(1)',
    "<!--galley:title-->",
    "<!--galley:end-->",
    "\u202egnp.exe",  # right-to-left override
    "\u0007",  # a control character XML cannot carry
    "</article-title>",
]
HARMLESS = "plain words"
# Fields that hold one line of text, as paths into the article's front matter.
FRONT_FIELDS: list[tuple[Any, ...]] = [
    ("title",),
    ("subtitle",),
    ("section",),
    ("keywords", 0),
    ("author", 0, "name", "family"),
    ("author", 0, "roles"),
    ("affiliations", 0, "name"),
]

hostile = st.lists(
    st.sampled_from(PAYLOADS) | st.text(alphabet="abc XYZ", min_size=1, max_size=4),
    min_size=1,
    max_size=4,
).map(" ".join)


def _set(data: Any, path: tuple[Any, ...], value: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _write_source(folder: Path, text: str) -> Path:
    """The seed with `text` in every field, its body, a footnote and a formula."""
    source = folder / "source"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(SOURCE, source)
    article = source / SEED_ARTICLE / "article.md"
    _, front, body = article.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(front)
    data["keywords"] = ["first"]
    for path in FRONT_FIELDS:
        _set(data, path, text)
    data["abstract"] = f"{text}\n\n{data['abstract']}"
    formula = "A formula $x ]]> y < z <!--galley:end--> w$ and a note.[^hostile]"
    body = f"{text}\n\n{formula}\n\n[^hostile]: {text}\n\n{body}"
    article.write_text(
        "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body, encoding="utf-8"
    )
    references = source / SEED_ARTICLE / "references.yaml"
    items = yaml.safe_load(references.read_text(encoding="utf-8"))
    items[1]["title"] = text
    items[1]["container-title"] = text
    references.write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    issue = source / SEED_ARTICLE.parent / "issue.yaml"
    meta = yaml.safe_load(issue.read_text(encoding="utf-8"))
    meta["title"] = text
    issue.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return source


def _render(source: Path) -> dict[str, bytes] | None:
    """Every output but the print edition (whose text is the HTML's), each EPUB's XML files
    apart, or None if the source is refused (cleanly)."""
    read = read_project(source, [])
    if read.project is None or not read.project.issues:
        assert read.diagnostics and all(d.span for d in read.diagnostics)
        return None
    templates, info = Templates(ROOT / "templates"), BuildInfo(0)
    contents = read.project.issues[0]
    if not contents.articles:  # the article refused, with where and why
        assert read.diagnostics and all(d.span and d.message for d in read.diagnostics)
        return None
    (article,) = contents.articles
    outputs = {}
    try:
        made = {name: make(article, templates, info) for name, make in article_formats().items()}
        made |= {
            f"{name}-issue": make(contents, templates, info)
            for name, make in issue_formats().items()
        }
    except GalleyError as exc:  # refused cleanly, with where and why
        assert all(d.span and d.message for d in exc.diagnostics), exc.diagnostics
        return None
    for name, output in made.items():
        if output.data.startswith(b"PK"):  # an EPUB: each of its XML files
            with zipfile.ZipFile(io.BytesIO(output.data)) as book:
                for member in book.namelist():
                    if member.endswith((".xhtml", ".opf", ".svg", ".xml", ".ncx")):
                        outputs[f"{name}!{member}"] = book.read(member)
        else:
            outputs[name] = output.data
    return outputs


def _parse(name: str, data: bytes) -> etree._Element:
    if name in ("html", "html-issue"):
        parser = etree.HTMLParser(no_network=True)
        return etree.fromstring(data, parser)
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _in_math(element: etree._Element) -> bool:
    """Inside a formula, whose MathML follows its TeX: the text is markup there by design."""
    return any(etree.QName(e).localname in ("math", "tex-math") for e in element.iterancestors())


def _structure(root: etree._Element) -> Counter[str]:
    """Every element and attribute name in the document, counted."""
    found: Counter[str] = Counter()
    for element in root.iter():
        if (
            isinstance(element.tag, str)
            and not _in_math(element)
            # citeproc keeps a lowercase name's case with a span of its own
            and element.get("class") != "nocase"
        ):
            found[element.tag] += 1
            found.update(f"{element.tag}@{name}" for name in element.attrib)
    return found


@pytest.fixture(scope="module")
def harmless(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Counter[str]]:
    outputs = _render(_write_source(tmp_path_factory.mktemp("harmless"), HARMLESS))
    assert outputs is not None
    return {name: _structure(_parse(name, data)) for name, data in outputs.items()}


@settings(
    max_examples=20,
    derandomize=True,  # the same examples on every run: CI is reproducible
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile)
def test_hostile_text_reaches_every_output_as_text(
    text: str, harmless: dict[str, Counter[str]], tmp_path: Path
) -> None:
    outputs = _render(_write_source(tmp_path, text))
    if outputs is None:
        return
    for name, data in outputs.items():
        root = _parse(name, data)
        structure = _structure(root)
        if name.endswith(".svg"):  # a cover: a longer title takes more lines
            assert structure.keys() == harmless[name].keys(), name
        else:
            assert structure == harmless[name], (name, structure - harmless[name])
        for element in root.iter():
            for attribute, value in element.attrib.items():
                assert not attribute.lower().startswith("on"), (name, attribute)
                if etree.QName(attribute).localname in ("href", "src", "action", "data"):
                    assert not value.strip().lower().startswith("javascript:"), (name, value)
        assert b"<!--galley:" not in data, name
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", data), name
    deposit = etree.fromstring(outputs["crossref-issue"])
    namespace = {"cr": deposit.nsmap[None]}
    assert len(deposit.findall(".//cr:journal_article/cr:doi_data", namespace)) == 1


def test_link_targets_are_percent_encoded_wherever_they_come_from() -> None:
    """A URL typed with brackets or accents, and a SICI DOI citeproc writes as a link: what
    every validator accepts (the text shown stays as typed)."""
    journal = read_journal(SOURCE / "journal.yaml")
    parsed = pandoc.parse(
        "See [here](https://exämple.org/q?a=[2]) [@sici].",
        {"abstract": "See [there](<https://example.org/a[1]b>)."},
        references=[
            {
                "id": "sici",
                "type": "article-journal",
                "title": "Old",
                "DOI": "10.1890/0012-9658(2002)083[2248:ESORWD]2.0.CO;2",
                "issued": {"date-parts": [[2002]]},
            }
        ],
        nocite=[],
        csl=journal.csl,
        lang="en",
        span=Span(Path("article.md"), 1),
    )
    nodes = [parsed.body.nodes, parsed.fields["abstract"].nodes]
    nodes += [entry.text.nodes for entry in parsed.bibliography.values()]
    targets, pending = [], [nodes]
    while pending:
        node = pending.pop()
        if isinstance(node, dict) and node.get("t") == "Link":
            targets.append(node["c"][-1][0])
        pending.extend(
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
        )
    assert sorted(targets) == [
        "#ref-sici",
        "https://doi.org/10.1890/0012-9658(2002)083%5B2248:ESORWD%5D2.0.CO;2",
        "https://ex%C3%A4mple.org/q?a=%5B2%5D",
        "https://example.org/a%5B1%5Db",
    ]
