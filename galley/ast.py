"""Small helpers over pandoc's JSON AST, the one document tree every format is written from.

The reader produces the AST once (through `galley.pandoc`); renderers adapt it to their
format's conventions (a citation becomes a link, a note a print footnote) with these pure
functions, then hand it back to a pandoc writer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Node = dict[str, Any]
Kind = Literal["inlines", "blocks"]


@dataclass(frozen=True)
class RichText:
    """A frozen piece of pandoc AST (a list of inlines or of blocks) and its plain text."""

    kind: Kind
    ast_json: str
    plain: str

    @classmethod
    def from_ast(
        cls, kind: Kind, nodes: list[Node], math: Mapping[str, str] | None = None
    ) -> RichText:
        """`math`: each formula's TeX as plain text (galley.pandoc.math_text), for the
        plain text of a field that carries text only; without it, the TeX."""
        text = stringify(nodes, math)
        return cls(kind, json.dumps(nodes, ensure_ascii=False, sort_keys=True), text)

    @classmethod
    def text(cls, text: str) -> RichText:
        """Plain text as inlines (words and spaces), for values that are never Markdown."""
        nodes: list[Node] = []
        for index, word in enumerate(text.split()):
            if index:
                nodes.append({"t": "Space"})
            nodes.append({"t": "Str", "c": word})
        return cls.from_ast("inlines", nodes)

    @property
    def nodes(self) -> list[Node]:
        """A fresh copy of the AST, safe for a renderer to transform."""
        value: list[Node] = json.loads(self.ast_json)
        return value

    def to_blocks(self) -> RichText:
        """The same text as blocks (one paragraph if it was inlines), for abstracts and notes."""
        if self.kind == "blocks":
            return self
        return RichText.from_ast("blocks", [{"t": "Para", "c": self.nodes}])

    def __bool__(self) -> bool:
        return bool(self.plain.strip())


def stringify(nodes: Any, math: Mapping[str, str] | None = None) -> str:
    """Plain text of any AST value, as pandoc's `stringify` (notes left out); a formula as
    `math` gives it, else as its TeX."""
    parts: list[str] = []
    _stringify(nodes, parts, math or {})
    return " ".join("".join(parts).split())


_INLINE_CONTAINERS = {
    "Emph",
    "Strong",
    "Strikeout",
    "Superscript",
    "Subscript",
    "SmallCaps",
    "Underline",
}


def _stringify(value: Any, parts: list[str], math: Mapping[str, str]) -> None:
    if isinstance(value, list):
        for item in value:
            _stringify(item, parts, math)
        return
    if not isinstance(value, dict) or "t" not in value:
        return
    tag = value["t"]
    content: Any = value.get("c")
    if tag == "Str":
        parts.append(content)
    elif tag in ("Space", "SoftBreak", "LineBreak"):
        parts.append(" ")
    elif tag == "Math":
        parts.append(math.get(content[1], content[1]))
    elif tag == "Code":
        parts.append(content[1])
    elif tag == "Note":
        return
    elif tag in _INLINE_CONTAINERS:
        _stringify(content, parts, math)
    elif tag == "Quoted":
        quote = '"' if content[0]["t"] == "DoubleQuote" else "'"
        parts.append(quote)
        _stringify(content[1], parts, math)
        parts.append(quote)
    elif tag in ("Link", "Image", "Cite") or tag == "Span":
        _stringify(content[1], parts, math)
    elif tag == "Header":
        _stringify(content[2], parts, math)
        parts.append(" ")
    elif tag == "Div":
        _stringify(content[1], parts, math)
        parts.append(" ")
    elif isinstance(content, list):
        # Blocks (Para, BlockQuote, lists, tables...): words never run across them.
        parts.append(" ")
        _stringify(content, parts, math)
        parts.append(" ")


def walk(value: Any, visit: Callable[[Node], Node | list[Node] | None]) -> Any:
    """Rebuild `value` bottom-up; `visit` returns a replacement, a list to splice, or None."""
    if isinstance(value, list):
        result: list[Any] = []
        for item in value:
            new = walk(item, visit)
            if isinstance(item, dict) and "t" in item:
                replaced = visit(new)
                if replaced is None:
                    result.append(new)
                elif isinstance(replaced, list):
                    result.extend(replaced)
                else:
                    result.append(replaced)
            else:
                result.append(new)
        return result
    if isinstance(value, dict):
        return {key: walk(item, visit) for key, item in value.items()}
    return value


def iter_nodes(value: Any, tag: str | None = None) -> Iterator[Node]:
    """Every node in `value`, depth first, optionally only those of one type."""
    if isinstance(value, list):
        for item in value:
            yield from iter_nodes(item, tag)
    elif isinstance(value, dict):
        if "t" in value and (tag is None or value["t"] == tag):
            yield value
        for item in value.values():
            yield from iter_nodes(item, tag)


def attr(
    identifier: str = "",
    classes: list[str] | None = None,
    pairs: list[tuple[str, str]] | None = None,
) -> list[Any]:
    """A pandoc Attr triple."""
    return [identifier, classes or [], [list(pair) for pair in pairs or []]]


def span(
    content: list[Node],
    identifier: str = "",
    classes: list[str] | None = None,
    pairs: list[tuple[str, str]] | None = None,
) -> Node:
    return {"t": "Span", "c": [attr(identifier, classes, pairs), content]}


def link(
    content: list[Node],
    target: str,
    identifier: str = "",
    classes: list[str] | None = None,
    pairs: list[tuple[str, str]] | None = None,
) -> Node:
    return {"t": "Link", "c": [attr(identifier, classes, pairs), content, [target, ""]]}


def cite(ids: Sequence[str], mode: str = "NormalCitation") -> Node:
    """A citation of the references `ids`, as pandoc's reader makes one."""
    citations = [
        {
            "citationId": identifier,
            "citationPrefix": [],
            "citationSuffix": [],
            "citationMode": {"t": mode},
            "citationNoteNum": 0,
            "citationHash": 0,
        }
        for identifier in ids
    ]
    return {"t": "Cite", "c": [citations, [{"t": "Str", "c": "@" + ids[0]}]]}


def cite_ids(node: Node) -> list[str]:
    """The reference ids of a Cite node."""
    return [citation["citationId"] for citation in node["c"][0]]


def headings(blocks: list[Node], max_level: int = 2) -> list[tuple[int, str, str]]:
    """(level, id, plain text) of the section headings, for tables of contents; an untitled
    section (some journals publish one) has no entry."""
    found = []
    for node in blocks:
        if node["t"] == "Header" and node["c"][0] <= max_level:
            text = stringify(node["c"][2])
            if text.strip():
                found.append((node["c"][0], node["c"][1][0], text))
        elif node["t"] == "Div":
            found.extend(headings(node["c"][1], max_level))
    return found


# Where pandoc keeps a node's attributes (`{#id .class key=value}`), by node type.
ATTRIBUTES_AT = {
    "Span": 0,
    "Div": 0,
    "Link": 0,
    "Image": 0,
    "Code": 0,
    "CodeBlock": 0,
    "Header": 1,
    "Table": 0,
    "Figure": 0,
}
