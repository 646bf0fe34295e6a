"""Numbered objects and cross-references: figures, tables, equations and sections.

The source uses Quarto's syntax: `{#fig-map}` on a figure, `: Caption {#tbl-results}` on a
table, `$$ ... $$ {#eq-energy}` after a display equation, `# Methods {#sec-methods}` on a
heading, and `@fig-map`, `[-@tbl-results]`, `Figures [-@fig-a; -@fig-b]` in the text. The
reader runs `resolve` once on the body's AST: it numbers every object in document order,
normalises the forms Quarto allows (subfigure panels, div-form figures and tables, table
notes) into one shape, and turns each cross-reference into a link whose words come from the
article's language. Every format then works from the same numbered AST and the
`NumberedObject` table of the model: renderers never number anything themselves.

The normalised shapes, which renderers rely on:
- a figure is a pandoc `Figure` (a panel is a `Figure` of `Figure`s); its image's description
  holds the `fig-alt` text, or nothing when none was given;
- a table is `Div(id, ["table-wrap"])` holding the `Table` (without id) and, when it has
  notes, `Div(["table-notes"])` holding one `Div(note id, ["table-fn"], label=a)` per footnote
  written inside the table, then the blocks of a `::: {.table-notes}` block;
- a display equation with a label is `Span(id, ["equation"])` around its `Math` node;
- a cross-reference is `Link(["xref"], ref-type=fig|table|disp-formula|sec, "#id")`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from galley.ast import ATTRIBUTES_AT, Node, RichText, attr, iter_nodes, link, stringify, walk
from galley.codes import Code
from galley.diagnostics import Diagnostic, Span, error, warning
from galley.model import NumberedObject

# JATS @ref-type of a cross-reference to each kind of object.
REF_TYPES = {"fig": "fig", "tbl": "table", "eq": "disp-formula", "sec": "sec"}
PREFIXES = tuple(f"{kind}-" for kind in REF_TYPES)
_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_EQ_LABEL = re.compile(r"^\{#([^}\s]*)\}")
_TAG = re.compile(r"\\tag\*?\{([^{}]{1,12})\}")

Locate = Callable[[str, int], Span]


@dataclass(frozen=True)
class Words:
    """The words of numbered objects in the article's language (and the journal's choices)."""

    figure: str
    table: str
    figure_ref: str
    table_ref: str
    equation_ref: str
    section_ref: str
    delimiter: str = "."


@dataclass
class _State:
    words: Words
    number_sections: bool
    locate: Locate
    objects: dict[str, NumberedObject] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=lambda: {"fig": 0, "tbl": 0, "eq": 0})
    sections: list[int] = field(default_factory=list)
    tables: int = 0
    seen: dict[str, int] = field(default_factory=dict)


def resolve(
    blocks: list[Node], *, words: Words, number_sections: bool, locate: Locate
) -> tuple[list[Node], tuple[NumberedObject, ...], list[Diagnostic]]:
    """Number the body's objects and resolve its cross-references.

    `locate(needle, n)` gives the source position of the n-th occurrence of `needle` in
    the Markdown, so every problem names the editor's line.
    """
    state = _State(words, number_sections, locate)
    body = _blocks(blocks, state)
    # formula images where `_blocks` does not look (emphasis, table cells, captions)
    body = walk(body, lambda node: _formula_image(node, state) if _is_formula_image(node) else None)
    body = _resolve_inlines(body, state)
    return body, tuple(state.objects.values()), state.problems


# --------------------------------------------------------------------------- registering


def _register(state: _State, obj: NumberedObject) -> None:
    count = state.seen.get(obj.id, 0) + 1
    state.seen[obj.id] = count
    if count > 1:
        state.problems.append(
            error(
                Code.XREF_DUPLICATE_LABEL,
                f"the label #{obj.id} is used {count} times",
                state.locate(f"#{obj.id}", count),
                "give each figure, table, equation and section its own label",
            )
        )
        return
    state.objects[obj.id] = obj


def _check_id(state: _State, identifier: str) -> bool:
    if _ID.match(identifier):
        return True
    state.problems.append(
        error(
            Code.XREF_BAD_LABEL,
            f"'#{identifier}' is not a usable label",
            state.locate(f"#{identifier}", 1),
            "use letters, digits, '-', '_' or '.' after the prefix, e.g. {#fig-map}",
        )
    )
    return False


# --------------------------------------------------------------------------- blocks


def _blocks(blocks: list[Node], state: _State) -> list[Node]:
    out: list[Node] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        tag = block["t"]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if tag == "Header":
            _header(block, state)
        elif tag == "Figure":
            block = _figure(block, state)
        elif tag == "Table" or (tag == "Div" and block["c"][0][0].startswith("tbl-")):
            notes = following if following is not None and _is_table_notes(following) else None
            block = _table(block, notes, state)
            index += notes is not None
        elif tag == "Div" and block["c"][0][0].startswith("fig-"):
            block = _figure_div(block, state)
        elif tag == "Div" and _is_table_notes(block):
            state.problems.append(
                error(
                    Code.TABLE_NOTES_ORPHAN,
                    "a `.table-notes` block must follow a table",
                    state.locate(".table-notes", 1),
                    "put the `::: {.table-notes}` block right after its table",
                )
            )
        elif tag == "Div":
            block["c"][1] = _blocks(block["c"][1], state)
        elif tag in ("Para", "Plain"):
            block["c"] = _equations(block["c"], state)
        elif tag == "BlockQuote":
            block["c"] = _blocks(block["c"], state)
        elif tag == "BulletList":
            block["c"] = [_blocks(item, state) for item in block["c"]]
        elif tag == "OrderedList":
            block["c"][1] = [_blocks(item, state) for item in block["c"][1]]
        out.append(block)
        index += 1
    return out


def _is_table_notes(block: Node) -> bool:
    return block["t"] == "Div" and "table-notes" in block["c"][0][1]


def _header(block: Node, state: _State) -> None:
    level, (identifier, classes, _pairs), inlines = block["c"]
    number = None
    if state.number_sections and "unnumbered" not in classes:
        del state.sections[level:]
        while len(state.sections) < level:
            state.sections.append(0)
        state.sections[level - 1] += 1
        number = ".".join(str(n) for n in state.sections if n) or None
    if not identifier:
        return
    if identifier.startswith("sec-") and not _check_id(state, identifier):
        return
    if identifier.startswith("sec-") or number:
        title = stringify(inlines)
        reference = f"{state.words.section_ref} {number}" if number else title
        _register(
            state,
            NumberedObject(
                identifier,
                "sec",
                number or "",
                number or "",
                reference,
                span=state.locate(f"#{identifier}", 1),
            ),
        )


# --------------------------------------------------------------------------- figures


def _figure(node: Node, state: _State, parent: NumberedObject | None = None, sub: int = 0) -> Node:
    (identifier, classes, pairs), caption, content = node["c"]
    alt = _take_alt(pairs, content)
    obj: NumberedObject | None = None
    if parent is not None:
        letter = string.ascii_lowercase[sub % 26]
        obj = NumberedObject(
            identifier or f"{parent.id}-{letter}",
            "fig",
            f"{parent.number}{letter}",
            f"({letter})",
            f"{state.words.figure_ref} {parent.number}{letter}",
            alt=alt,
            parent=parent.id,
            span=state.locate(f"#{identifier}", 1) if identifier else parent.span,
        )
        if identifier and _check_id(state, identifier):
            _register(state, obj)
    elif identifier.startswith(("fig-", "tbl-")) and _check_id(state, identifier):
        # `![Caption](table.png){#tbl-x}`: a table the journal gives as an image (Quarto's
        # form too) is numbered with the tables
        kind = identifier.split("-", 1)[0]
        obj = _numbered(state, identifier, kind, _figure_label(pairs, content), alt)
        _register(state, obj)
    if obj is not None and alt is None and not any(b["t"] == "Figure" for b in content):
        state.problems.append(
            warning(
                Code.FIGURE_ALT_MISSING,
                f"{obj.label.strip('()') if parent is None else obj.reference} has no "
                "alternative text",
                obj.span,
                'describe the image for readers who cannot see it: {#fig-... fig-alt="..."}',
            )
        )
    sub_index = 0
    new_content = []
    for block in content:
        if block["t"] == "Figure" and obj is not None:
            block = _figure(block, state, obj, sub_index)
            sub_index += 1
        new_content.append(block)
    node["c"] = [[identifier, classes, pairs], caption, new_content]
    return node


def _numbered(
    state: _State, identifier: str, kind: str, explicit: str | None, alt: str | None = None
) -> NumberedObject:
    """The next figure or table, or one the editor labelled (`label="Figure S1"`, an
    appendix's "Table A1", eLife's "Figure 1—figure supplement 1"): that label is printed
    and cross-references read it; the object takes no number of the sequence."""
    word, word_ref = (
        (state.words.figure, state.words.figure_ref)
        if kind == "fig"
        else (state.words.table, state.words.table_ref)
    )
    span = state.locate(f"#{identifier}", 1)
    if explicit and explicit.strip():
        label = " ".join(explicit.split())
        number = label[len(word) :].strip() if label.startswith(f"{word} ") else label
        return NumberedObject(identifier, kind, number, label, label, alt=alt, span=span)
    state.counters[kind] += 1
    number = str(state.counters[kind])
    return NumberedObject(
        identifier, kind, number, f"{word} {number}", f"{word_ref} {number}", alt=alt, span=span
    )


def _take_alt(pairs: list[list[str]], content: list[Node]) -> str | None:
    """The figure's `fig-alt`, moved into its image's description (pandoc's alt text)."""
    alt = _pop_pair(pairs, "fig-alt")
    own = [block for block in content if block["t"] != "Figure"]  # not a panel's subfigures
    images = [node for node in _iter(own) if node.get("t") == "Image"]
    for image in images:
        image_alt = _pop_pair(image["c"][0][2], "fig-alt")
        alt = alt or image_alt
    if len(images) == 1:
        images[0]["c"][1] = RichText.text(alt).nodes if alt else []
    return alt


def _figure_label(pairs: list[list[str]], content: list[Node]) -> str | None:
    """A figure's `label` attribute, written on the figure or on its image."""
    label = _pop_pair(pairs, "label")
    own = [block for block in content if block["t"] != "Figure"]
    for image in [node for node in _iter(own) if node.get("t") == "Image"]:
        label = _pop_pair(image["c"][0][2], "label") or label
    return label


def _pop_pair(pairs: list[list[str]], key: str) -> str | None:
    for index, (name, value) in enumerate(pairs):
        if name == key:
            del pairs[index]
            return value.strip() or None
    return None


def _iter(value: Any) -> list[Node]:
    found: list[Node] = []
    if isinstance(value, list):
        for item in value:
            found.extend(_iter(item))
    elif isinstance(value, dict):
        if "t" in value:
            found.append(value)
        for item in value.values():
            found.extend(_iter(item))
    return found


def _image_block(block: Node) -> Node | None:
    """A paragraph holding one image and nothing else, as a figure's content."""
    if block["t"] not in ("Para", "Plain"):
        return None
    inlines = [n for n in block["c"] if n["t"] not in ("Space", "SoftBreak")]
    if len(inlines) == 1 and inlines[0]["t"] == "Image":
        return {"t": "Plain", "c": inlines}
    return None


def _figure_div(div: Node, state: _State) -> Node:
    """Quarto's div form: `::: {#fig-x}` around one image (or several: a panel of
    subfigures), its caption the paragraphs that follow the images."""
    (identifier, classes, pairs), blocks = div["c"]
    figures: list[Node] = []
    caption: list[Node] = []
    for block in blocks:
        image = _image_block(block)
        if block["t"] == "Figure":
            figures.append(block)
        elif image is not None:
            figures.append({"t": "Figure", "c": [attr(), _caption([]), [image]]})
        else:
            caption.append(block)
    pairs = [pair for pair in pairs if not pair[0].startswith("layout")]
    if not figures:
        state.problems.append(
            error(
                Code.FIGURE_NO_IMAGE,
                f"the figure block #{identifier} holds no image",
                state.locate(f"#{identifier}", 1),
                "put the image `![](file.png)` inside the `::: {#fig-...}` block",
            )
        )
        return div
    if len(figures) == 1:
        (_, _, inner_pairs), inner_caption, content = figures[0]["c"]
        pairs += [pair for pair in inner_pairs if pair[0] == "fig-alt"]
        blocks_ = _caption_blocks(inner_caption) + caption
    else:
        content, blocks_ = figures, caption
    for block in figures:
        block["c"][1] = _caption(_caption_blocks(block["c"][1]))
    node = {
        "t": "Figure",
        "c": [[identifier, classes, pairs], _caption(blocks_), content],
    }
    return _figure(node, state)


def _caption_blocks(caption: list[Any]) -> list[Node]:
    """The blocks of a pandoc Caption ([short caption, blocks])."""
    blocks: list[Node] = caption[1]
    return blocks


def _caption(blocks: list[Node]) -> list[Any]:
    return [None, [_plain(block) for block in blocks]]


def _plain(block: Node) -> Node:
    return {"t": "Plain", "c": block["c"]} if block["t"] == "Para" else block


# --------------------------------------------------------------------------- tables


def _table(node: Node, notes: Node | None, state: _State) -> Node:
    """Every table becomes `Div(id, ["table-wrap"])`; its notes go inside it."""
    identifier = ""
    explicit = None
    if node["t"] == "Div":
        (identifier, _classes, pairs), blocks = node["c"]
        explicit = _pop_pair(pairs, "label")
        tables = [block for block in blocks if block["t"] == "Table"]
        rest = [block for block in blocks if block["t"] != "Table"]
        if len(tables) != 1:
            state.problems.append(
                error(
                    Code.TABLE_NOT_ONE,
                    f"the table block #{identifier} holds {len(tables)} tables",
                    state.locate(f"#{identifier}", 1),
                    "put exactly one table inside a `::: {#tbl-...}` block",
                )
            )
            return node
        table = tables[0]
        inner_notes = [b for b in rest if _is_table_notes(b)]
        caption_blocks = [b for b in rest if not _is_table_notes(b)]
        if caption_blocks and not _caption_blocks(table["c"][1]):
            table["c"][1] = _caption(caption_blocks)
        elif caption_blocks:
            inner_notes = [_notes_div(caption_blocks), *inner_notes]
        if inner_notes and notes is None:
            notes = _notes_div([b for div in inner_notes for b in div["c"][1]])
    else:
        table = node
        identifier = table["c"][0][0]
        explicit = _pop_pair(table["c"][0][2], "label")
    table["c"][0][0] = ""
    state.tables += 1
    if identifier.startswith("tbl-") and _check_id(state, identifier):
        _register(state, _numbered(state, identifier, "tbl", explicit))
    base = identifier or f"table-{state.tables}"
    footnotes: list[Node] = []

    def note(found: Node) -> Node | None:
        if found["t"] != "Note":
            return None
        letter = string.ascii_lowercase[len(footnotes) % 26]
        note_id = f"{base}-fn-{letter}"
        footnotes.append(
            {"t": "Div", "c": [attr(note_id, ["table-fn"], [("label", letter)]), found["c"]]}
        )
        call = link([{"t": "Str", "c": letter}], f"#{note_id}", classes=["table-fn-ref"])
        call["c"][0][2].append(["ref-type", "table-fn"])
        return {"t": "Superscript", "c": [call]}

    table["c"][2:] = walk(table["c"][2:], note)
    table["c"][1] = walk(table["c"][1], note)
    content = [table]
    general = notes["c"][1] if notes is not None else []
    if footnotes or general:
        content.append(_notes_div([*footnotes, *general]))
    return {"t": "Div", "c": [attr(identifier, ["table-wrap"]), content]}


def _notes_div(blocks: list[Node]) -> Node:
    return {"t": "Div", "c": [attr("", ["table-notes"]), blocks]}


# --------------------------------------------------------------------------- equations


def _formula_image(node: Node, state: _State) -> Node:
    """A formula the journal gives as an image: `![](e1.png){.formula}` in the text,
    `{.display-formula}` set apart, `{#eq-x}` numbered as display equations are (or with its
    own `label="(8a)"`). It becomes the shape a formula of TeX has: an inline one a
    `Span(["formula"])`, a display one a `Span(id, ["equation"])`."""
    identifier, classes, pairs = node["c"][0]
    if not identifier.startswith("eq-") and "display-formula" not in classes:
        node["c"][0] = attr("", [c for c in classes if c != "formula"], pairs)
        return {"t": "Span", "c": [attr("", ["formula"]), [node]]}
    explicit = _pop_pair(pairs, "label")
    node["c"][0] = attr("", [c for c in classes if c != "display-formula"], pairs)
    if identifier.startswith("eq-") and _check_id(state, identifier):
        _equation(state, identifier, explicit.strip("() ") if explicit else None)
        return {"t": "Span", "c": [attr(identifier, ["equation"]), [node]]}
    return {"t": "Span", "c": [attr("", ["equation"]), [node]]}


def _equation(state: _State, identifier: str, number: str | None) -> None:
    """A numbered display equation: the next number, or the one the editor gave it."""
    if number is None:
        state.counters["eq"] += 1
        number = str(state.counters["eq"])
    _register(
        state,
        NumberedObject(
            identifier,
            "eq",
            number,
            f"({number})",
            f"{state.words.equation_ref} {number}",
            span=state.locate(f"#{identifier}", 1),
        ),
    )


def _is_formula_image(node: Node) -> bool:
    if node["t"] != "Image":
        return False
    identifier, classes, _pairs = node["c"][0]
    return identifier.startswith("eq-") or bool({"formula", "display-formula"} & set(classes))


def _equations(inlines: list[Node], state: _State) -> list[Node]:
    """`$$ ... $$ {#eq-x}`: the label after a display equation becomes its id."""
    out: list[Node] = []
    index = 0
    while index < len(inlines):
        node = inlines[index]
        if _is_formula_image(node):
            out.append(_formula_image(node, state))
            index += 1
            continue
        if node["t"] == "Math" and node["c"][0]["t"] == "DisplayMath":
            after = index + 1
            while after < len(inlines) and inlines[after]["t"] in ("Space", "SoftBreak"):
                after += 1
            label = inlines[after] if after < len(inlines) else None
            if label is not None and label["t"] == "Str" and label["c"].startswith("{#"):
                match = _EQ_LABEL.match(label["c"])
                identifier = match.group(1) if match else ""
                if not match or not identifier.startswith("eq-"):
                    state.problems.append(
                        error(
                            Code.XREF_BAD_LABEL,
                            f"'{label['c']}' after a display equation is not an equation label",
                            state.locate(label["c"], 1),
                            "label a display equation as `$$ ... $$ {#eq-name}`",
                        )
                    )
                elif _check_id(state, identifier):
                    tag = _TAG.search(node["c"][1])
                    if tag:  # `\tag{8a}`: the number the editor gave it, taken out of the TeX
                        node["c"][1] = _TAG.sub("", node["c"][1]).strip()
                    _equation(state, identifier, tag.group(1).strip() if tag else None)
                    out.append({"t": "Span", "c": [attr(identifier, ["equation"]), [node]]})
                    rest = label["c"][match.end() :] if match else ""
                    if rest:
                        out.append({"t": "Str", "c": rest})
                    index = after + 1
                    continue
        out.append(node)
        index += 1
    return out


# --------------------------------------------------------------------------- references


def _resolve_inlines(value: Any, state: _State) -> Any:
    """Replace each cross-reference group by its links, knowing what precedes it."""
    if isinstance(value, dict):
        return {key: _resolve_inlines(item, state) for key, item in value.items()}
    if not isinstance(value, list):
        return value
    out: list[Any] = []
    for item in value:
        if isinstance(item, dict) and item.get("t") == "Span" and "galley-xref" in item["c"][0][1]:
            out.extend(_links(item, state, sentence_start=_starts_sentence(out)))
        elif isinstance(item, dict) and item.get("t") == "Link" and _is_text_xref(item):
            out.append(_text_link(item, state))
        else:
            out.append(_resolve_inlines(item, state))
    return out


def _is_text_xref(node: Node) -> bool:
    target: str = node["c"][2][0]
    made = {"xref", "table-fn-ref"} & set(node["c"][0][1])  # galley's own links
    return not made and target.startswith("#") and target[1:].startswith(PREFIXES)


def _text_link(node: Node, state: _State) -> Node:
    """`[Figure 1B](#fig-map)`: a cross-reference whose words the editor wrote (a panel, a
    range), checked like `@fig-map` but printed as written."""
    identifier = node["c"][2][0][1:]
    found = state.objects.get(identifier)
    if found is None:
        kind = identifier.split("-", 1)[0]
        state.problems.append(
            error(
                Code.XREF_UNKNOWN,
                f"the link to #{identifier} matches no labelled {_KIND_WORDS[kind]}",
                state.locate(f"(#{identifier})", 1),
                f"label the {_KIND_WORDS[kind]} `{{#{identifier}}}` or fix the link",
            )
        )
        return node
    content = _resolve_inlines(node["c"][1], state) or RichText.text(found.reference).nodes
    return link(
        content, f"#{identifier}", classes=["xref"], pairs=[("ref-type", REF_TYPES[found.kind])]
    )


def _starts_sentence(before: list[Any]) -> bool:
    for node in reversed(before):
        if not isinstance(node, dict):
            return False
        if node.get("t") in ("Space", "SoftBreak"):
            continue
        return node.get("t") == "Str" and node["c"].rstrip()[-1:] in (".", "!", "?")
    return True


def _links(group: Node, state: _State, *, sentence_start: bool) -> list[Node]:
    out: list[Node] = []
    for index, item in enumerate(group["c"][1]):
        pairs = dict(item["c"][0][2])
        identifier, mode = pairs.get("xref-id", ""), pairs.get("xref-mode", "")
        prefix, suffix = (part["c"][1] for part in item["c"][1])
        if index:
            out += [{"t": "Str", "c": ","}, {"t": "Space"}]
        if prefix:
            out += [*prefix, {"t": "Space"}]
        kind = identifier.split("-", 1)[0]  # one of REF_TYPES: the Lua filter grouped them
        found = state.objects.get(identifier)
        if found is None:
            state.problems.append(
                error(
                    Code.XREF_UNKNOWN,
                    f"cross-reference '@{identifier}' matches no labelled {_KIND_WORDS[kind]}",
                    state.locate(f"@{identifier}", 1),
                    f"label the {_KIND_WORDS[kind]} `{{#{identifier}}}` or fix the reference",
                )
            )
            continue
        text = found.number if mode == "SuppressAuthor" and found.number else found.reference
        if sentence_start and index == 0 and not prefix:
            text = text[:1].upper() + text[1:]
        words = RichText.text(text).nodes
        out.append(
            link(words, f"#{identifier}", classes=["xref"], pairs=[("ref-type", REF_TYPES[kind])])
        )
        out += suffix
    return out


_KIND_WORDS = {"fig": "figure", "tbl": "table", "eq": "equation", "sec": "section"}


def unknown_targets(
    values: list[Any], locate: Locate, ids: set[str] | None = None
) -> list[Diagnostic]:
    """A link to `#id` where the article has no element of that id: the one rule on a link
    inside the article (`check` and the build read the same source through it), so that no
    output is made with a cross-reference to nothing. `ids`: those given outside `values`."""
    ids = set(ids or ())
    for node in iter_nodes(values):
        index = ATTRIBUTES_AT.get(node["t"])
        if index is not None and node["c"][index][0]:
            ids.add(node["c"][index][0])
    problems: list[Diagnostic] = []
    counts: dict[str, int] = {}
    for node in _links_outside_citations(values):
        target: str = node["c"][2][0]
        if not target.startswith("#") or target[1:] in ids or target[1:].startswith(PREFIXES):
            continue  # a figure's, table's… label: `resolve` said it
        counts[target] = counts.get(target, 0) + 1
        where = locate(f"({target})", counts[target])
        for written in (f"({unquote(target)})", f"<{unquote(target)}>"):  # pandoc reads #a%20b
            if where.line is None:
                where = locate(written, counts[target])
        problems.append(
            error(
                Code.XREF_UNKNOWN,
                f"the link to {target[:60]} matches no id in the article",
                where,
                f"give the element it points to the id `{{{target}}}`, or fix the link",
            )
        )
    return problems


def _links_outside_citations(value: Any) -> list[Node]:
    """The links of `value`, not those citeproc made in a citation (to `#ref-key`: an unknown
    key is the citations' check to say)."""
    found: list[Node] = []
    if isinstance(value, list):
        for item in value:
            found += _links_outside_citations(item)
    elif isinstance(value, dict) and value.get("t") != "Cite":
        if value.get("t") == "Link":
            found.append(value)
        for item in value.values():
            found += _links_outside_citations(item)
    return found
