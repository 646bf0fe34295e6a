"""The article's body: what pandoc reads, checked before and after (nesting, links, raw
markup), its figures and supplementary files, back matter, and formulas typeset for print.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from galley import limits, mathjax, pandoc, xrefs
from galley.ast import ATTRIBUTES_AT, Node, RichText, iter_nodes, walk
from galley.codes import Code
from galley.diagnostics import Diagnostic, Span, error, warning
from galley.layout import GAP
from galley.model import Asset, BackSection, SupplementaryFile, TypesetFormula
from galley.read.frontmatter import within

_NESTING = re.compile(r"^(?:[ \t]*(?:>|(?:[-*+]|\d+[.)])(?=[ \t])))*")


def too_deep(body: str, start: Span) -> list[Diagnostic]:
    """The first line nested deeper than any output can carry, as an error at that line."""
    divs, code = 0, ""
    for number, line in enumerate(body.splitlines()):
        fence = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence and (not code or fence.group(1).startswith(code)):
            code = "" if code else fence.group(1)
        if code:
            continue  # code is text, however it is indented
        div = re.match(r"^\s*:{3,}\s*(\S?)", line)
        if div:
            divs += 1 if div.group(1) else -1
        prefix = _NESTING.match(line)
        markers = re.findall(r">|[-*+]|\d+[.)]", prefix.group() if prefix else "")
        indent = (len(line) - len(line.lstrip(" "))) // 2 if markers else 0
        depth = max(len(markers), indent + 1 if markers else 0) + max(divs, 0)
        if depth > limits.MAX_NESTING:
            return [
                error(
                    Code.ARTICLE_TOO_DEEP,
                    f"this line is nested {depth} levels deep (block quotes, lists or divs); "
                    f"galley's outputs carry {limits.MAX_NESTING} at most",
                    start.at((start.line or 1) + number),
                    "flatten the quotation or list; no article needs that depth",
                )
            ]
    return []


def bracket_problems(
    body: str, fields: Mapping[str, str], text: str, start: Span
) -> list[Diagnostic]:
    """Brackets nested deeper than pandoc's reader is given (galley/limits.py): each level
    multiplies its time, so a line of them would keep the build busy for hours."""
    locate = locator(text, start.path)
    found = []
    pieces = [(body, None), *((value, name) for name, value in fields.items())]
    for piece, name in pieces:
        for nesting in limits.deep_brackets(piece):
            if name is None:
                where = start.at((start.line or 1) + nesting.line - 1)
            else:
                where = locate(piece.split("\n")[nesting.line - 1].strip(), 1)
            found.append(
                error(
                    Code.ARTICLE_DEEP_BRACKETS,
                    f"square brackets nested {nesting.depth} deep"
                    + (f" in `{name.split(':')[0]}`" if name else "")
                    + f"; galley reads at most {limits.BRACKET_DEPTH} levels",
                    where,
                    "write the brackets that are text as \\[ and \\] (links, spans and "
                    "citations never need more than a few levels)",
                )
            )
    return found


def gap_lines(body: str, start: Span) -> list[Diagnostic]:
    """Each line of the body still marked to be filled in (`FILL IN:`), which would otherwise
    be published as it stands."""
    return [
        error(
            Code.INTAKE_GAP,
            f"the text is still to be filled in: {line.strip()[:80]}",
            start.at((start.line or 1) + number),
            "write the text in place of the line marked FILL IN, then check again",
        )
        for number, line in enumerate(body.split("\n"))
        if GAP in line
    ]


def locator(text: str, path: Path) -> xrefs.Locate:
    """Where the n-th occurrence of a piece of Markdown is, for messages about the body."""

    def locate(needle: str, nth: int = 1) -> Span:
        index = -1
        for _ in range(max(nth, 1)):
            index = text.find(needle, index + 1)
            if index < 0:
                return Span(path)
        return Span(path, text[:index].count("\n") + 1)

    return locate


def plain_tex(text: RichText) -> RichText:
    """TeX math with `]]>` spaced out: JATS keeps TeX in CDATA sections, which `]]>` would
    close (the space means nothing to TeX)."""
    if "]]>" not in text.ast_json:
        return text

    def visit(node: Node) -> Node | None:
        if node["t"] == "Math" and "]]>" in node["c"][1]:
            node["c"][1] = node["c"][1].replace("]]>", "]] >")
        return None

    return RichText.from_ast(text.kind, walk(text.nodes, visit))


def typeset_math(
    parsed: pandoc.Parsed, locate: xrefs.Locate, problems: list[Diagnostic]
) -> tuple[TypesetFormula, ...]:
    """Every formula, checked by both engines that show it (pandoc's MathML on screen,
    MathJax's SVG in print) and typeset for print; a formula either refuses is an error at
    its line."""
    formulas: dict[tuple[str, bool], None] = {}
    for piece in (parsed.body, *parsed.fields.values()):
        for node in iter_nodes(piece.nodes, "Math"):
            formulas[(node["c"][1], node["c"][0]["t"] == "DisplayMath")] = None
    refused = [*pandoc.math_problems(list(formulas))]
    typeset, print_refused = mathjax.typeset(list(formulas))
    refused += [item for item in print_refused if item[0] not in {tex for tex, _ in refused}]
    for tex, reason in refused:
        shown = " ".join(tex.split())
        problems.append(
            error(
                Code.MATH_TEX,
                f"the formula '{shown[:60]}' cannot be typeset" + (f": {reason}" if reason else ""),
                locate(tex.strip().splitlines()[0] if tex.strip() else tex, 1),
                "correct the TeX (a missing brace, an unknown command?)",
            )
        )
    return tuple(typeset)


BACK_KINDS = (
    "ack",
    "data-availability",
    "coi-statement",
    "author-contributions",
    "appendix",
    "supplementary-material",
    "notes",
    "glossary",
)


def split_back_matter(blocks: list[Node]) -> tuple[list[Node], tuple[BackSection, ...]]:
    """Sections marked on their heading (`# Acknowledgements {.ack}`) leave the body for the
    back matter: each runs to the next heading of its level or higher."""
    body: list[Node] = []
    back: list[BackSection] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        kinds = (
            [kind for kind in block["c"][1][1] if kind in BACK_KINDS]
            if block["t"] == "Header"
            else []
        )
        if not kinds:
            body.append(block)
            index += 1
            continue
        level = block["c"][0]
        end = index + 1
        while end < len(blocks) and not (
            blocks[end]["t"] == "Header" and blocks[end]["c"][0] <= level
        ):
            end += 1
        back.append(
            BackSection(
                kinds[0],
                block["c"][1][0],
                RichText.from_ast("inlines", block["c"][2]),
                RichText.from_ast("blocks", blocks[index + 1 : end]),
            )
        )
        index = end
    return body, tuple(back)


def read_supplementary(
    back: Sequence[BackSection], folder: Path, locate: xrefs.Locate, problems: list[Diagnostic]
) -> tuple[SupplementaryFile, ...]:
    """Each paragraph of a supplementary-material section that starts with a link to a file
    of the article's folder is one supplementary file, the paragraph its caption."""
    found: list[SupplementaryFile] = []
    for section in back:
        if section.kind != "supplementary-material":
            continue
        for block in section.body.nodes:
            if block["t"] not in ("Para", "Plain") or not block["c"]:
                continue
            lead = block["c"][0]
            target = lead["c"][2][0] if lead["t"] == "Link" else ""
            if not target or target.startswith("#") or _is_url(target):
                continue
            where = locate(target, 1)
            file = _local_file(target, folder, where, problems, "supplementary file")
            if file is None:
                continue
            media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            words = [node for node in lead["c"][1] if node["t"] not in ("Space", "SoftBreak")]
            label = None
            if len(words) == 1 and words[0]["t"] == "Strong" and block["c"][1:]:
                # `[**S1 Fig**](s1.tif) The case...`: a label, then the caption
                label = RichText.from_ast("inlines", words[0]["c"])
                caption = block["c"][1:]
                while caption and caption[0]["t"] in ("Space", "SoftBreak"):
                    caption = caption[1:]
            else:
                caption = lead["c"][1] + block["c"][1:]
            found.append(
                SupplementaryFile(
                    lead["c"][0][0] or f"supp-{len(found) + 1}",
                    Asset(target, media_type, file.read_bytes()),
                    RichText.from_ast("inlines", caption),
                    label,
                )
            )
    return tuple(found)


def link_files(blocks: list[Node], ids: set[str]) -> list[Node]:
    """`[S1 Table](#supp-s1)`: a link to a supplementary file (its `{#id}` on the file's
    link) is a cross-reference to it."""

    def visit(node: Node) -> Node | None:
        if node["t"] == "Link" and node["c"][2][0][1:] in ids and node["c"][2][0][:1] == "#":
            node["c"][0][1].append("xref")
            node["c"][0][2].append(["ref-type", "supplementary-material"])
        return None

    result: list[Node] = walk(blocks, visit)
    return result


def _is_url(target: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target)) or target.startswith("//")


def _local_file(
    target: str, folder: Path, where: Span, problems: list[Diagnostic], what: str
) -> Path | None:
    """A file inside the article's folder, or an error saying why not."""
    file = (folder / target).resolve()
    if not within(file, folder.resolve()) or Path(target).is_absolute():
        problems.append(
            error(
                Code.ARTICLE_FILE_OUTSIDE,
                f"{what} '{target}' is outside the article's folder",
                where,
                "keep the files beside article.md",
            )
        )
        return None
    if not file.is_file():
        problems.append(
            error(
                Code.ARTICLE_FILE_MISSING,
                f"{what} '{target}' does not exist",
                where,
                f"add {file.name} to the article's folder",
            )
        )
        return None
    if file.stat().st_size > MAX_ASSET_BYTES:
        problems.append(
            error(
                Code.ARTICLE_FILE_LARGE,
                f"{what} '{target}' is larger than {MAX_ASSET_BYTES:,} bytes",
                where,
                "deposit it in a data repository and cite it instead",
            )
        )
        return None
    return file


# What a link in the source may point at, besides the article's own files and sections.
SAFE_SCHEMES = ("http", "https", "mailto", "doi")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def refused_link(target: str) -> bool:
    """Whether galley publishes no link to `target`: a scheme other than SAFE_SCHEMES
    (javascript:, data:, file:...) or a protocol-relative `//host`. The one rule the build
    and every importer apply, so that an import never writes a link the build refuses."""
    scheme = _SCHEME.match(target)
    unsafe = scheme is not None and scheme.group(1).lower() not in SAFE_SCHEMES
    return unsafe or target.lstrip().startswith("//")


def unsafe_markup(values: list[Any], text: str, path: Path, problems: list[Diagnostic]) -> None:
    """Text from the source reaches every output as text: no link runs a script or leaves
    for a scheme a reader's software may act on, no attribute becomes an event handler or
    a style that loads something."""
    start = Span(path, 1)
    for node in iter_nodes(values):
        kind = node["t"]
        if kind == "Link":
            target = node["c"][2][0]
            if refused_link(target):
                problems.append(
                    error(
                        Code.ARTICLE_LINK_SCHEME,
                        f"the link '{target[:80]}' is not http(s), mailto or doi, nor a file "
                        "or section of the article",
                        start.at(_line_in(text, target[:40], start)),
                        "link to a web address (https://…), an e-mail (mailto:…), a DOI, or "
                        "a file beside article.md",
                    )
                )
        index = ATTRIBUTES_AT.get(kind)
        if index is None:
            continue
        for key, value in node["c"][index][2]:
            name = key.lower()
            loads = name == "style" and re.search(r"url\(|expression\(|@import", value, re.I)
            if name.startswith("on") or loads or name in ("href", "src", "srcset", "xlink:href"):
                problems.append(
                    error(
                        Code.ARTICLE_ATTRIBUTE,
                        f'the attribute {key}="{value[:60]}" would run or load something '
                        "in the outputs",
                        start.at(_attribute_line(text, key, value, start)),
                        "remove it: galley's outputs carry no scripts, and styles come from "
                        "the templates",
                    )
                )


IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
MAX_ASSET_BYTES = 20 * 1024 * 1024


def read_assets(
    body: RichText, folder: Path, text: str, start: Span, problems: list[Diagnostic]
) -> tuple[Asset, ...]:
    """The images the text uses: local files inside the article's folder, nothing else.

    Remote images are never fetched and paths leaving the folder are refused, so a source
    file cannot make the build read or publish what it should not.
    """
    found: dict[str, Asset] = {}
    nodes = body.nodes
    named = {  # images a figure, a formula or a table names ("Figure 1", "Formula")
        id(image)
        for holder in iter_nodes(nodes)
        if holder["t"] == "Figure"
        or (holder["t"] == "Span" and {"formula", "equation"} & set(holder["c"][0][1]))
        for image in iter_nodes(holder["c"], "Image")
    }
    for node in iter_nodes(nodes, "Image"):
        target = node["c"][2][0]
        where = start.at(_line_in(text, target, start))
        if not node["c"][1] and id(node) not in named:
            problems.append(
                warning(
                    Code.FIGURE_ALT_MISSING,
                    f"image '{target}' has no alternative text",
                    where,
                    "describe it for readers who cannot see it: ![what it shows](file.png)",
                )
            )
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_REMOTE,
                    f"image '{target}' is not a file in "
                    "the article's folder; remote images are never fetched",
                    where,
                    "download it into the article's folder and link it by its relative path",
                )
            )
            continue
        file = (folder / target).resolve()
        if not within(file, folder.resolve()) or Path(target).is_absolute():
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_OUTSIDE,
                    f"image '{target}' is outside the article's folder",
                    where,
                    "keep images beside article.md",
                )
            )
            continue
        media_type = IMAGE_TYPES.get(file.suffix.lower())
        if media_type is None:
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_TYPE,
                    f"image '{target}' is not PNG, JPEG, GIF, SVG or WebP",
                    where,
                    "convert it",
                )
            )
            continue
        if not file.is_file():
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_MISSING,
                    f"image '{target}' does not exist",
                    where,
                    f"add {file.name} to the article's folder",
                )
            )
            continue
        if file.stat().st_size > MAX_ASSET_BYTES:
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_LARGE,
                    f"image '{target}' is larger than {MAX_ASSET_BYTES:,} bytes",
                    where,
                    "reduce it",
                )
            )
            continue
        data = file.read_bytes()
        pixels = limits.decoded_pixels(data) if media_type != "image/svg+xml" else 0
        if pixels > limits.IMAGE_PIXELS:
            problems.append(
                error(
                    Code.ARTICLE_IMAGE_LARGE,
                    f"image '{target}' decodes to {pixels:,} pixels; the limit is "
                    f"{limits.IMAGE_PIXELS:,} (print needs no more than about 5000 x 7000)",
                    where,
                    "scale it down",
                )
            )
            continue
        found.setdefault(target, Asset(target, media_type, data))
    return tuple(found[name] for name in sorted(found))


def _attribute_line(text: str, key: str, value: str, start: Span) -> int | None:
    """The line of `key=value` inside a `{...}` attribute block (not the first place the
    key's letters appear: a URL's `?src=` or the front matter)."""
    pattern = r"\{[^{}]*?(?<![\w-])" + re.escape(key) + r"\s*=\s*[\"']?" + re.escape(value[:20])
    found = re.search(pattern, text)
    if found is None:
        return _line_in(text, key + "=", start)
    return text[: found.start()].count("\n") + (start.line or 1)


def _line_in(text: str, needle: str, start: Span) -> int | None:
    index = text.find(needle)
    return text[:index].count("\n") + (start.line or 1) if index >= 0 else start.line


# Ids the page templates give their own parts (the notes, the references...): a heading of
# the text named alike ("# Notes {.notes}" is `notes` to pandoc) takes another.
PAGE_IDS = frozenset(
    {
        "main",
        "title",
        "article-title",
        "notes",
        "notes-title",
        "references",
        "references-title",
        "funding",
        "funding-title",
        "cite-as",
        "cite-as-title",
        "toc",
        "toc-title",
        "nav",
        "landmarks",
        "page-list",
        "cover",
        "collection",
    }
)


def without_page_ids(blocks: list[Node]) -> list[Node]:
    """The body with each heading whose id is one of the page's own renamed, and the links
    to it with it."""
    taken = {n["c"][1][0] for n in iter_nodes(blocks, "Header")} | PAGE_IDS
    renamed: dict[str, str] = {}
    for header in iter_nodes(blocks, "Header"):
        identifier = header["c"][1][0]
        if identifier in PAGE_IDS and identifier not in renamed:
            number = 1
            while f"{identifier}-{number}" in taken:
                number += 1
            renamed[identifier] = f"{identifier}-{number}"
            taken.add(renamed[identifier])
        if identifier in renamed:
            header["c"][1][0] = renamed[identifier]
    for link in iter_nodes(blocks, "Link") if renamed else ():
        target = link["c"][2][0]
        if target.startswith("#") and target[1:] in renamed:
            link["c"][2][0] = "#" + renamed[target[1:]]
    return blocks
