"""Print pages in the text: numbering text blocks for layout, and page markers for the e-formats.

The print layout reports where each page begins as (text block, characters before); the
same numbering of blocks here lets the web page and the e-book mark those places, so a
reader can cite the print page from any edition.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from galley.ast import Node, span
from galley.model import Pagination

INLINE_BLOCKS = {"Para": 0, "Plain": 0, "Header": 2}  # block type -> index of its inlines
BLOCK_ANCHOR = "galley-block-"


def _inlines_of(block: Node) -> list[Node] | None:
    index = INLINE_BLOCKS.get(block["t"])
    if index is None:
        return None
    content: Any = block["c"]
    inlines: list[Node] = content if block["t"] != "Header" else content[index]
    return inlines


def _each_text_block(blocks: list[Node], visit: Callable[[Node], None]) -> None:
    """Document order, the same for layout and markers (notes are inlines: never entered)."""
    for block in blocks:
        if _inlines_of(block) is not None:
            visit(block)
            continue
        content: Any = block.get("c")
        if block["t"] in ("BlockQuote",):
            _each_text_block(content, visit)
        elif block["t"] == "Div":
            _each_text_block(content[1], visit)
        elif block["t"] == "BulletList":
            for item in content:
                _each_text_block(item, visit)
        elif block["t"] == "OrderedList":
            for item in content[1]:
                _each_text_block(item, visit)
        elif block["t"] == "DefinitionList":
            for _term, definitions in content:
                for definition in definitions:
                    _each_text_block(definition, visit)


def number_blocks(blocks: list[Node]) -> list[Node]:
    """An empty anchor span at the start of every text block, for the layout to find."""
    counter = 0

    def visit(block: Node) -> None:
        nonlocal counter
        inlines = _inlines_of(block)
        assert inlines is not None
        inlines.insert(0, span([], identifier=f"{BLOCK_ANCHOR}{counter}"))
        counter += 1

    _each_text_block(blocks, visit)
    return blocks


def block_texts(blocks: list[Node]) -> list[str]:
    """The visible characters of every text block, in the order `number_blocks` counts them.

    Print footnotes (spans of class "footnote") float to the page foot: not counted here.
    """
    texts: list[str] = []

    def collect(items: list[Node], parts: list[str]) -> None:
        for item in items:
            tag = item["t"]
            if tag == "Str":
                parts.append(item["c"])
            elif tag == "Code":  # formulas count for nothing: print shows them as images
                parts.append(item["c"][1])
            elif tag in (
                "Emph",
                "Strong",
                "Underline",
                "Strikeout",
                "Superscript",
                "Subscript",
                "SmallCaps",
            ):
                collect(item["c"], parts)
            elif tag in ("Span", "Link", "Quoted", "Cite"):
                if tag == "Span" and "footnote" in item["c"][0][1]:
                    continue
                collect(item["c"][1], parts)

    def visit(block: Node) -> None:
        parts: list[str] = []
        inlines = _inlines_of(block)
        assert inlines is not None
        collect(inlines, parts)
        texts.append("".join(ch for ch in "".join(parts) if not ch.isspace()))

    _each_text_block(blocks, visit)
    return texts


def visible_chars(text: str) -> int:
    """Characters that count for positions: the non-blank ones."""
    return sum(1 for character in text if not character.isspace())


def mark_pages(
    blocks: list[Node], pagination: Pagination | None, marker: Callable[[int], Node]
) -> list[Node]:
    """Insert a page marker where each print page begins (in place; returns `blocks`)."""
    if pagination is None:
        return blocks
    wanted: dict[int, list[tuple[int, int]]] = {}
    for start in pagination.starts:
        if start.block is not None:
            wanted.setdefault(start.block, []).append((start.chars, start.page))
    counter = 0

    def visit(block: Node) -> None:
        nonlocal counter
        for chars, page in sorted(wanted.get(counter, []), reverse=True):
            inlines = _inlines_of(block)
            assert inlines is not None
            if chars == 0:
                inlines.insert(0, marker(page))
            else:
                _insert_after_chars(inlines, chars, marker(page))
        counter += 1

    _each_text_block(blocks, visit)
    return blocks


def _insert_after_chars(inlines: list[Node], chars: int, node: Node) -> bool:
    """Put `node` where `chars` visible characters have gone by (after a split word)."""
    seen = 0

    def walk(items: list[Node]) -> bool:
        nonlocal seen
        for index, item in enumerate(items):
            tag = item["t"]
            if tag == "Str":
                length = visible_chars(item["c"])
                if seen + length >= chars:
                    items.insert(index + 1, node)
                    return True
                seen += length
            elif tag == "Code":
                seen += visible_chars(item["c"][1])
            elif tag in (
                "Emph",
                "Strong",
                "Underline",
                "Strikeout",
                "Superscript",
                "Subscript",
                "SmallCaps",
            ):
                if walk(item["c"]):
                    return True
            elif tag in ("Span", "Link", "Quoted", "Cite") and walk(item["c"][1]):
                return True
        return False

    if not walk(inlines):
        inlines.append(node)
    return True


def reference_pages(pagination: Pagination | None) -> dict[str, int]:
    """Pages that begin in the reference list: by entry id ("" for before the list)."""
    if pagination is None:
        return {}
    return {
        start.reference: start.page for start in pagination.starts if start.reference is not None
    }


def page_marker(page: int, epub: bool = False) -> Node:
    """The inline marker of the start of print page `page`.

    In EPUB, the DPUB-ARIA/EPUB pattern reading systems expose (an empty `doc-pagebreak`
    named by aria-label); on the web, the folio shown in the margin of the text, hidden from
    screen readers so it does not break sentences.
    """
    if epub:
        pairs = [("role", "doc-pagebreak"), ("aria-label", str(page)), ("epub:type", "pagebreak")]
        return span([], identifier=f"page-{page}", classes=["pagebreak"], pairs=pairs)
    return span(
        [{"t": "Str", "c": str(page)}],
        identifier=f"page-{page}",
        classes=["pagebreak"],
        pairs=[("aria-hidden", "true")],
    )
