"""Word spacing and line breaks chosen paragraph by paragraph, so that justified print text has
no loose lines.

WeasyPrint fills a line first-fit and justifies it by stretching its word spaces only: a line
whose next word does not fit, and cannot be hyphenated, is set loose ("As   shown   in").
Narrower word spaces move a paragraph's line breaks and often take such a line away, but set
on the whole text they make as many loose lines elsewhere. So each paragraph with a loose
line is laid out again with each spacing of print.css (`.spacing-1`, ...), alone on the pages,
and keeps the one that leaves it fewest loose lines. A loose line left then is given the last
word of the line before it, as a paragraph-wide line breaker (Knuth and Plass's) would choose:
the space between the two words becomes a no-break space, so that the line before ends a word
earlier; kept where the paragraph is then set better. The lines of a paragraph depend on its
text and on its column's width only, never on where a page breaks it: the choice holds in the
final layout. (Letter spacing moves more breaks, but Pango drops ligatures where it is set.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from galley.pagination import BLOCK_ANCHOR
from galley.render.text import inner_markup

# The spacings print.css offers (-0.02, -0.04, +0.03, +0.06, -0.01, -0.03 em: at most a fifth
# of EB Garamond's 0.2 em space taken away, less than a third added), tried in this order,
# each only on the paragraphs the ones before left loose. Measured on three real articles
# (benchmarks/print_density.py): the first two take most loose lines away (6.9 % -> 3.5 %),
# the other four a seventh of the rest (3.5 % -> 3.0 %).
SPACINGS = tuple(f"spacing-{n}" for n in range(1, 7))
STRETCH = 0.3  # em: a space stretched past its face's width by more (EB Garamond: 2.5 times)
ANCHORS = re.compile(rf'id="({BLOCK_ANCHOR}\d+)"')
# A loose line is given the last word of the line before it, or of each of the two or three
# lines before it (the room spread over more lines); each paragraph tries one such move a
# round. Measured on the 8,000 real words of test_print_layout: loose lines 2.3 % -> 1.7 %
# (English), 0.75 % -> 0.5 % (Portuguese); no paragraph gains after the fourth round.
DEPTH = 3
ROUNDS = 4
LONGEST_JOIN = 24  # characters: two words joined are never a token that overfills a line

Join = tuple[str, str]  # a line's last word and the next line's first, to be kept together


@dataclass(frozen=True)
class Lines:
    """How one paragraph was set: its loose lines, and its hyphenated fragments set alone on
    a line ("met-" / "ric with…", which WeasyPrint does with some narrower spaces)."""

    loose: int = 0
    alone: int = 0
    texts: tuple[str, ...] = ()  # its lines, as set
    at: tuple[int, ...] = ()  # which of them are loose

    @property
    def fault(self) -> tuple[int, int]:
        """Fewer fragments alone first, then fewer loose lines: a spacing that strands a
        fragment is never kept for the loose lines it takes away."""
        return (self.alone, self.loose)

    def moves(self) -> Iterator[tuple[Join, ...]]:
        """For each loose line, the joins that move one word down to it: from the line
        before, then also from the one or two before that."""
        for line in self.at:
            joins: tuple[Join, ...] = ()
            for above in range(line, max(line - DEPTH, 0), -1):
                before, after = self.texts[above - 1].split(), self.texts[above].split()
                if not before or not after or before[-1].endswith("-"):
                    break  # a hyphenated word's break is not a space to join
                if len(before[-1]) + len(after[0]) > LONGEST_JOIN:
                    break
                joins += ((before[-1], after[0]),)
                yield joins


def evened(body: Markup, trial: Callable[[Markup, set[str]], Any]) -> Markup:
    """`body` with a spacing on each paragraph its face's own spaces set with loose lines,
    where one sets it better, then the joins that set it better still. `trial(body, shown)`
    lays out the text blocks of the block anchors `shown` alone (`only`): a fraction of the
    cost of the whole layout."""
    own = set(ANCHORS.findall(body))
    if not own:
        return body
    try:
        best = {
            anchor: (lines, "")
            for anchor, lines in paragraphs(trial(body, own)).items()
            if anchor in own and any(lines.fault)
        }
        for spacing in SPACINGS:
            trying = {anchor for anchor, (lines, _) in best.items() if any(lines.fault)}
            if not trying:
                break
            laid = paragraphs(trial(spaced(body, dict.fromkeys(trying, spacing)), trying))
            for anchor in trying:
                if anchor in laid and laid[anchor].fault < best[anchor][0].fault:
                    best[anchor] = (laid[anchor], spacing)
    except Exception:  # WeasyPrint's own failures: the whole layout will report them
        return body
    chosen = {anchor: spacing for anchor, (_, spacing) in best.items() if spacing}
    body = spaced(body, chosen) if chosen else body
    loose = {anchor: lines for anchor, (lines, _) in best.items() if lines.loose}
    try:
        kept = _joins(body, trial, loose)
    except Exception:  # as above: the spacings chosen are kept
        return body
    return joined(body, kept) if kept else body


def _joins(
    body: Markup, trial: Callable[[Markup, set[str]], Any], loose: dict[str, Lines]
) -> dict[str, list[Join]]:
    """The joins kept for the paragraphs of `loose` (as each is set now): each round, each
    paragraph tries its next move, kept if it sets the paragraph better."""
    kept: dict[str, list[Join]] = {}
    tried: dict[str, set[tuple[Join, ...]]] = {anchor: set() for anchor in loose}
    for _ in range(ROUNDS):
        trying = {}
        for anchor, lines in loose.items():
            move = next((m for m in lines.moves() if m not in tried[anchor]), None)
            if move is not None:
                trying[anchor] = move
                tried[anchor].add(move)
        if not trying:
            break
        joins = {anchor: kept.get(anchor, []) + list(move) for anchor, move in trying.items()}
        laid = paragraphs(trial(joined(body, joins), set(trying)))
        for anchor in trying:
            if anchor in laid and laid[anchor].fault < loose[anchor].fault:
                loose[anchor] = laid[anchor]
                kept[anchor] = joins[anchor]
        loose = {anchor: lines for anchor, lines in loose.items() if lines.loose}
    return kept


def paragraphs(document: Any) -> dict[str, Lines]:
    """How each text block of a WeasyPrint layout was set, by its block anchor."""
    from weasyprint.formatting_structure import boxes

    anchors: dict[int, str | None] = {}  # an element (by id) -> its block anchor
    found: dict[str, Lines] = {}

    def walk(box: Any, parent: Any) -> None:
        if isinstance(box, boxes.LineBox):
            element = getattr(parent, "element", None)
            if element is None:
                return
            if id(element) not in anchors:
                anchors[id(element)] = _anchor(element)
            anchor = anchors[id(element)]
            if anchor is not None:
                was = found.get(anchor, Lines())
                text = "".join(_texts(box)).strip()
                alone = " " not in text and text.endswith("-")
                loose = _loose(box)
                found[anchor] = Lines(
                    was.loose + loose,
                    was.alone + alone,
                    (*was.texts, text),
                    (*was.at, len(was.texts)) if loose else was.at,
                )
            return
        for child in getattr(box, "children", ()):
            walk(child, box)

    for page in document.pages:
        walk(page._page_box, None)
    return found


def _anchor(element: Any) -> str | None:
    """The block anchor a text block begins with (`number_blocks`), if it is one."""
    for inner in element:
        identifier = inner.get("id") or ""
        if identifier.startswith(BLOCK_ANCHOR):
            return str(identifier)
    return None


def _texts(box: Any) -> Iterator[str]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def _loose(line: Any) -> bool:
    """Whether a justified line's spaces are stretched by more than STRETCH em (WeasyPrint
    gives each text box of the line the same justification spacing)."""
    from weasyprint.formatting_structure import boxes

    def spaced(box: Any) -> Any:
        if isinstance(box, boxes.TextBox):
            return box if " " in box.text or "\u00a0" in box.text else None
        return next(filter(None, map(spaced, getattr(box, "children", ()))), None)

    text = spaced(line)
    if text is None:
        return False
    stretch = text.justification_spacing + (text.style["word_spacing"] or 0)
    return bool(stretch > STRETCH * text.style["font_size"])


def spaced(body: Markup, spacings: dict[str, str]) -> Markup:
    """`body` with each text block of an anchor in `spacings` given that spacing's class."""
    from lxml import html

    wrapper = html.fragment_fromstring(str(body), create_parent="div")
    for block, anchor in _blocks(wrapper, set(spacings)):
        block.set("class", f"{block.get('class') or ''} {spacings[anchor]}".strip())
    return inner_markup(wrapper)


def joined(body: Markup, joins: dict[str, list[Join]]) -> Markup:
    """`body` with the words of each join kept together, in the text block of its anchor."""
    from lxml import html

    wrapper = html.fragment_fromstring(str(body), create_parent="div")
    for block, anchor in _blocks(wrapper, set(joins)):
        for before, after in joins[anchor]:
            _join(block, before, after)
    return inner_markup(wrapper)


def _join(block: Any, before: str, after: str) -> None:
    """The space between `before` and `after` in `block` made a no-break space, where the
    two words stand together once in its text, with the space in one text node."""
    words = rf"(?<!\S){re.escape(before)}(\s+){re.escape(after)}(?!\S)"
    found = list(re.finditer(words, block.text_content()))
    if len(found) != 1:
        return
    start, end = found[0].span(1)
    at = 0
    for node, field in _text_nodes(block):
        value = getattr(node, field) or ""
        if at <= start and end <= at + len(value):
            setattr(node, field, f"{value[: start - at]}\u00a0{value[end - at :]}")
            return
        at += len(value)


def _text_nodes(element: Any) -> Iterator[tuple[Any, str]]:
    """Each text node of `element`, in its text's order, as (element, "text" or "tail")."""
    yield element, "text"
    for child in element:
        if isinstance(child.tag, str):
            yield from _text_nodes(child)
        yield child, "tail"


def only(page: str, shown: set[str]) -> str:
    """The print page with nothing laid out but the text blocks of the anchors `shown`: every
    other element is emptied and not displayed, but stays (what selectors such as `h2 + p`
    match is unchanged)."""
    from lxml import html

    document = html.document_fromstring(page)
    kept: set[Any] = set()
    ancestors: set[Any] = set()
    for block, _ in _blocks(document, shown):
        kept.add(block)
        ancestors.update(block.iterancestors())

    def hide(element: Any) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child in kept:
                continue
            if child in ancestors:  # columns filled in turn: balancing them lays out again
                child.set("style", f"{child.get('style') or ''}; column-fill: auto".lstrip("; "))
                hide(child)
            else:  # emptied, to be laid out fast; still there for the selectors' sake
                child.clear(keep_tail=True)
                child.set("style", "display: none")

    hide(document.body)
    return str(html.tostring(document, doctype="<!DOCTYPE html>", encoding="unicode"))


def _blocks(tree: Any, anchors: set[str]) -> Iterator[tuple[Any, str]]:
    """The text blocks of a parsed page that begin with one of the `anchors`, and it."""
    for span in tree.iter("span"):
        if span.get("id") in anchors:
            yield span.getparent(), span.get("id")
