"""Typography applied to the AST.

In every language and format, a number keeps its unit sign when a space is typed between
them ("6 %"): the space is a no-break one; and a footnote call follows its word with no
space (`keep_units`, applied when the article is read): neither ever starts a line.
A word of capitals ("TNFRSF1A"), a nucleotide sequence or an address is never hyphenated
(`codes_whole`).
French print: a no-break space before a colon and inside guillemets, a narrow no-break space
before ; ! ? (Lexique des règles typographiques en usage à l'Imprimerie nationale).
"""

from __future__ import annotations

import re
from typing import Any

from galley.ast import Node, span, walk

NBSP = "\u00a0"
NNBSP = "\u202f"
_BEFORE = {":": NBSP, ";": NNBSP, "!": NNBSP, "?": NNBSP, "»": NBSP}
_SPACE_BEFORE = re.compile(r"(?<=[^\s\u00a0\u202f(\[«])([:;!?»])")
_SPACE_AFTER = re.compile(r"«(?=[^\s\u00a0\u202f])")


# Signs that follow a number with a space and must not start a line without it.
_UNIT_SIGNS = ("%", "‰", "‱", "°C", "°F")


def keep_units(nodes: list[Node]) -> list[Node]:
    """A Space between a number and a unit sign ("6 %") as a no-break space, and a Space
    typed before a footnote call taken out, so that no line starts with either; in place."""

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                if isinstance(item, list | dict):
                    visit(item)
            return
        if not isinstance(value, list):
            return
        for item in value:
            if isinstance(item, list | dict):
                visit(item)
        for index in range(1, len(value) - 1):
            before, space, after = value[index - 1 : index + 2]
            if (
                isinstance(space, dict)
                and space.get("t") == "Space"
                and isinstance(before, dict)
                and before.get("t") == "Str"
                and before["c"][-1:].isdigit()
                and isinstance(after, dict)
                and after.get("t") == "Str"
                and after["c"].startswith(_UNIT_SIGNS)
            ):
                value[index] = {"t": "Str", "c": NBSP}
        value[:] = [
            item
            for index, item in enumerate(value)
            if not (
                isinstance(item, dict)
                and item.get("t") == "Space"
                and index + 1 < len(value)
                and isinstance(value[index + 1], dict)
                and value[index + 1].get("t") == "Note"
            )
        ]

    visit(nodes)
    return nodes


# A code rather than a word: capitals and digits ("TNFRSF1A", a primer's "GATCGGAAGAGC"), a
# sequence's small letters ("gatcggaagagcacacgtctg"), an address ("https://github.com/...",
# a DOI, "name@example.org"). No dictionary hyphenates it right, and a hyphen inside one reads as
# one of its characters ("https://git-" / "hub.com"); a code wider than its column still
# breaks (`overflow-wrap`), with no hyphen.
_END = r"\S*[^\s.,;:!?)\]]"  # an address ends before the punctuation that follows it
_ADDRESS = rf"(?:[a-z][a-z+.-]*://|www\.){_END}|\b10\.\d{{4,9}}/{_END}|[^\s@]+@[^\s@]+\.\w+"
_TOKEN = re.compile(rf"(?P<address>{_ADDRESS})|[^\W_]{{6,}}")
_NUCLEOTIDES = frozenset("acgtun")
CODE_WORD = "code-word"  # the class that sets it with `hyphens: manual` (every style sheet)


def _is_code(token: re.Match[str]) -> bool:
    word = token[0]
    return (
        bool(token["address"]) or word.isupper() or (len(word) >= 12 and set(word) <= _NUCLEOTIDES)
    )


def codes_whole(nodes: list[Node]) -> list[Node]:
    """Each code word of the text in a span of class CODE_WORD, so that it is never hyphenated."""

    def visit(node: Node) -> list[Node] | None:
        if node["t"] != "Str":
            return None
        text: str = node["c"]
        pieces: list[Node] = []
        start = 0
        for token in _TOKEN.finditer(text):
            if _is_code(token):
                if token.start() > start:
                    pieces.append({"t": "Str", "c": text[start : token.start()]})
                pieces.append(span([{"t": "Str", "c": token[0]}], classes=[CODE_WORD]))
                start = token.end()
        if not pieces:
            return None
        if start < len(text):
            pieces.append({"t": "Str", "c": text[start:]})
        return pieces

    result: list[Node] = walk(nodes, visit)
    return result


def french(blocks: list[Node]) -> list[Node]:
    """French spacing inside words and across pandoc's Space nodes."""

    def fix_str(node: Node) -> Node | None:
        if node["t"] != "Str":
            return None
        text: str = node["c"]
        if "://" in text:
            return None  # leave URLs alone
        text = _SPACE_BEFORE.sub(lambda m: _BEFORE[m.group(1)] + m.group(1), text)
        text = _SPACE_AFTER.sub("«" + NBSP, text)
        return {"t": "Str", "c": text}

    result: list[Node] = walk(blocks, fix_str)
    return _join_spaces(result)


def _join_spaces(value: object) -> list[Node]:
    """A breaking space before ':' or '»' (or after '«') becomes the right no-break space."""
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = _join_spaces(item) if isinstance(item, list | dict) else item
        return value  # type: ignore[return-value]
    if not isinstance(value, list):
        return value  # type: ignore[return-value]
    items: list[Any] = [
        _join_spaces(item) if isinstance(item, list | dict) else item for item in value
    ]
    for index, item in enumerate(items):
        if not (isinstance(item, dict) and item.get("t") == "Space"):
            continue
        after = items[index + 1] if index + 1 < len(items) else None
        before = items[index - 1] if index else None
        if isinstance(after, dict) and after.get("t") == "Str" and after["c"][:1] in _BEFORE:
            items[index] = {"t": "Str", "c": _BEFORE[after["c"][0]]}
        elif isinstance(before, dict) and before.get("t") == "Str" and before["c"].endswith("«"):
            items[index] = {"t": "Str", "c": NBSP}
    return items
