"""The word spacing chosen per paragraph for justified print text (galley.render.spacing): what
a trial layout holds, how a spacing is given, and what is kept when a trial fails. The lines
it sets are measured on real text in test_print_layout.py."""

from __future__ import annotations

from typing import Any

from lxml import html
from markupsafe import Markup

from galley.pagination import BLOCK_ANCHOR
from galley.render import spacing

PAGE = f"""<!DOCTYPE html>
<html><head><style>p {{ color: black }}</style></head><body>
<header class="first-page"><h1>Title</h1><p>Front</p></header>
<main class="article-body"><div class="columns">
<h2>Methods</h2>
<p><span id="{BLOCK_ANCHOR}0"></span>First <em>paragraph</em>.</p>
<figure><img src="fig1.png" alt="Fig 1"></figure>
<p><span id="{BLOCK_ANCHOR}1"></span>Second paragraph.</p>
<ul><li><span id="{BLOCK_ANCHOR}2"></span>An item.</li></ul>
</div></main>
<div class="back-matter"><ol class="references"><li>A reference.</li></ol></div>
</body></html>"""


def test_a_trial_lays_out_the_paragraphs_shown_and_keeps_every_other_element_empty() -> None:
    """Only the shown blocks keep their content and display; every other element stays, empty
    and not displayed, so that `h2 + p` and `:first-child` match as in the whole page; the
    columns holding a shown block are filled in turn (balancing lays them out again)."""
    page = html.document_fromstring(spacing.only(PAGE, {f"{BLOCK_ANCHOR}1"}))
    main = page.find(".//main")
    assert main is not None
    columns = main[0]
    assert [child.tag for child in columns] == ["h2", "p", "figure", "p", "ul"]
    shown = columns[3]
    assert shown.text_content() == "Second paragraph." and shown.get("style") is None
    for hidden in (columns[0], columns[1], columns[2], columns[4]):
        assert hidden.get("style") == "display: none"
        assert len(hidden) == 0 and not (hidden.text or "").strip()
    assert "column-fill: auto" in (columns.get("style") or "")
    assert page.find(".//header").get("style") == "display: none"
    assert page.find(".//div[@class='back-matter']") is None  # emptied: its class is gone
    assert page.find(".//head/style") is not None  # the head is never touched


def test_a_spacing_is_given_to_the_block_an_anchor_begins() -> None:
    body = Markup(PAGE.split('<div class="columns">')[1].split("</div></main>")[0])
    spaced = spacing.spaced(
        body, {f"{BLOCK_ANCHOR}0": "spacing-2", f"{BLOCK_ANCHOR}2": "spacing-1"}
    )
    tree = html.fragment_fromstring(str(spaced), create_parent="div")
    assert [(e.tag, e.get("class")) for e in tree.xpath("//*[@class]")] == [
        ("p", "spacing-2"),
        ("li", "spacing-1"),
    ]
    assert "Second paragraph." in spaced and "<p><span" in spaced  # the others untouched


def test_a_trial_that_fails_leaves_the_text_as_it_was() -> None:
    """WeasyPrint's own failures in a trial are the whole layout's to report: the text keeps
    the face's own spacing everywhere."""
    body = Markup(f'<p><span id="{BLOCK_ANCHOR}0"></span>Text.</p>')

    def failing(body: Markup, shown: set[str]) -> Any:
        raise AssertionError("layout failed")

    assert spacing.evened(body, failing) is body


def test_text_without_blocks_is_never_laid_out_for_a_trial() -> None:
    def never(body: Markup, shown: set[str]) -> Any:
        raise AssertionError("laid out")

    body = Markup("<p>No anchor.</p>")
    assert spacing.evened(body, never) is body
