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


def test_a_join_makes_the_space_between_its_two_words_a_no_break_space() -> None:
    """Wherever the space lies (after an italic word too, a line break and indent of the
    source made one space); a pair found twice in the paragraph, or only inside longer words
    ("oof the" in "proof the"), is left as it was: which of them the layout meant is unknown."""
    anchor = f"{BLOCK_ANCHOR}0"
    body = Markup(
        f'<p><span id="{anchor}"></span>As shown in <em>Table</em> 2, the proof of the\n'
        f"  model of the cell.</p><p>As shown in the next.</p>"
    )
    joins = [("shown", "in"), ("Table", "2,"), ("the", "model"), ("of", "the"), ("oof", "the")]
    joined = spacing.joined(body, {anchor: joins})
    first, second = html.fragments_fromstring(str(joined))
    assert first.text_content() == (
        "As shown\u00a0in Table\u00a02, the proof of the\u00a0model of the cell."
    )
    assert first.find("em").tail == "\u00a02, the proof of the\u00a0model of the cell."
    assert second.text_content() == "As shown in the next."  # another block: untouched


def test_a_loose_line_is_offered_the_last_word_of_up_to_three_lines_above_it() -> None:
    """Each move keeps a line's last word with the next line's first, so that it moves down;
    a line ending in a hyphenated word, the paragraph's first line and two words too long to
    keep together (an address) end the moves."""
    lines = spacing.Lines(
        loose=3,
        texts=(
            "one two",
            "three four-",
            "five six",
            "seven eight",
            "nine ten",
            "https://example.org/a/long/address",
            "eleven",
        ),
        at=(0, 4, 6),
    )
    assert list(lines.moves()) == [
        (("eight", "nine"),),
        (("eight", "nine"), ("six", "seven")),  # "four-" / "five": no further
    ]
