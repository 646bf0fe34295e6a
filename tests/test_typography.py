"""Typography on the AST, as every format gets it."""

from __future__ import annotations

import shutil
from pathlib import Path

from galley.ast import stringify
from galley.read import read_project
from galley.render.text import render_titles
from galley.typography import CODE_WORD, codes_whole
from tests.conftest import SOURCE
from tests.tools import edit


def _spanned(text: str) -> list[str]:
    """The words of `text` that `codes_whole` sets apart as codes."""
    nodes = [{"t": "Str", "c": word} for word in text.split()]
    return [
        stringify(node["c"][1])
        for node in codes_whole([{"t": "Para", "c": nodes}])[0]["c"]
        if node["t"] == "Span" and node["c"][0][1] == [CODE_WORD]
    ]


def test_codes_are_set_apart_from_the_words_a_dictionary_hyphenates() -> None:
    text = "5\u2032-GATCGGAAGAGCACACG-3\u2032 gatcggaagagcacacg INTRODUCTION TNFRSF1A-deficient"
    assert _spanned(text) == [
        "GATCGGAAGAGCACACG",
        "gatcggaagagcacacg",
        "INTRODUCTION",
        "TNFRSF1A",  # not "deficient"
    ]
    address = "https://github.com/elifesciences/XML-mapping"
    text = f"at {address}, doi:10.7554/eLife.00666 or production@example.org."
    assert _spanned(text) == [address, "10.7554/eLife.00666", "production@example.org"]
    # words, short acronyms (never hyphenated anyway), a short run of nucleotide letters
    assert _spanned("Kramers–Moyal expansion NADPH GAPDH attaca cattagttacg Bremen") == []


def test_a_contents_page_gives_a_title_as_the_articles_own_page_does(tmp_path: Path) -> None:
    """The issue's contents set a title's codes apart and compose its letters ("ẑ", typed as
    "z" and a combining circumflex) as the article's page does."""
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    edit(
        next(source.rglob("article.md")),
        "title: \"L'évolution des organismes",
        "title: \"L'évolution z\u0302 des ONGQCI organismes",
    )
    read = read_project(source)
    assert read.project is not None
    (article,) = read.project.articles
    title = str(render_titles([article])[article.id])
    assert f'<span class="{CODE_WORD}">ONGQCI</span>' in title
    assert "\u1e91" in title and "\u0302" not in title
