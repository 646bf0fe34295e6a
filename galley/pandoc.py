"""The only module that runs pandoc (the binary shipped inside the pypandoc-binary wheel).

Two operations, following pandoc's own split of readers and writers:
- `parse`: Markdown (body plus the Markdown-valued metadata fields) to the JSON AST, with
  citations resolved by pandoc's citeproc against a CSL style, in one call per article;
- `write`: AST pieces to one output format in one call, returning each piece rendered.

pandoc runs with `--sandbox`, so untrusted source can make it read no file and fetch no
URL; the CSL style and template are given on the command line, which the sandbox allows.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from galley import limits
from galley.ast import Node, RichText, stringify
from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, Span, error, warning

# Raw HTML/TeX would let source smuggle markup past the writers (and entities past the
# XML checks); smart punctuation would rewrite what the editor typed.
READER = "markdown+ascii_identifiers-smart-raw_html-raw_tex-raw_attribute"
FRAGMENTS_TEMPLATE = Path(__file__).parent / "pandoc_templates" / "fragments.txt"
# Runs before citeproc: cross-references (@fig-x) are not bibliography citations.
CROSSREF_FILTER = Path(__file__).parent / "pandoc_filters" / "crossrefs.lua"
# Fragment markers carry a nonce made from the input, which the input cannot contain:
# text that imitates a marker (in a TeX formula's CDATA, say) never splits a fragment.
_FRAGMENT = r"<!--galley:{nonce}:begin ([^\n>]+?)-->(.*?)<!--galley:{nonce}:end-->"
_WARNING_LINE = re.compile(r"line (\d+)")


@functools.cache
def binary() -> str:
    """Path of the pandoc binary from the pypandoc-binary wheel (never a system pandoc)."""
    import pypandoc  # imported lazily: it probes the system at import time

    path: str = pypandoc.get_pandoc_path()
    return path


@functools.cache
def version() -> str:
    """pandoc's version, part of what an output depends on."""
    first_line = _run(["--version"], "").stdout.splitlines()[0]
    return first_line.split()[-1]


@functools.cache
def api_version() -> tuple[int, ...]:
    """The AST version this pandoc reads and writes."""
    document = json.loads(_run(["-f", "markdown", "-t", "json"], "").stdout)
    return tuple(document["pandoc-api-version"])


def _run(
    args: Sequence[str], text: str, *, source: Span | None = None, seconds: float | None = None
) -> subprocess.CompletedProcess[str]:
    """pandoc, sandboxed and bounded (galley/limits.py); `source` is what it reads, named
    in every message when pandoc fails or reaches a bound on it."""
    limit = seconds or limits.pandoc_seconds()
    reading = f" reading {source.path}" if source is not None else ""
    try:
        process = subprocess.run(
            [binary(), *limits.pandoc_options(), "--sandbox", *args],
            input=text,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=limit,
        )
    except subprocess.TimeoutExpired:
        raise GalleyError(
            error(
                Code.PANDOC_LIMIT,
                f"pandoc needed more than {limit:.0f} s{reading}",
                source,
                "look for deeply nested markup (brackets, emphasis, lists) near the line "
                "given, or split the text; GALLEY_PANDOC_SECONDS raises the bound",
            )
        ) from None
    if "Heap exhausted" in process.stderr or process.returncode == _HEAP_EXHAUSTED:
        raise GalleyError(
            error(
                Code.PANDOC_LIMIT,
                f"pandoc needed more than {limits.PANDOC_MEMORY}B of memory{reading}",
                source,
                "look for deeply nested markup (brackets, spans, emphasis) or a huge table",
            )
        )
    if process.returncode != 0:
        said = " ".join(process.stderr.split())[:400]
        raise GalleyError(
            error(
                Code.PANDOC_FAILED,
                f"pandoc failed (exit {process.returncode}){reading}: {said}",
                source,
                f"check {source.path}: pandoc could not read it"
                if source is not None
                else "this is a bug in galley or in the source markup; report it with the source",
            )
        )
    return process


# What a Haskell program's runtime returns when its heap reaches +RTS -M.
_HEAP_EXHAUSTED = 251


@dataclass(frozen=True)
class Entry:
    """One bibliography entry as citeproc formatted it: its number in a numeric style
    ("12", from the style's left-margin label "12." or "[12]") and its text."""

    label: str | None
    text: RichText


@dataclass(frozen=True)
class Parsed:
    """What pandoc made of an article: its Markdown metadata fields, body, and bibliography
    (in the style's order)."""

    fields: dict[str, RichText]
    body: RichText
    bibliography: dict[str, Entry]
    warnings: tuple[Diagnostic, ...]


def parse(
    body: str,
    fields: Mapping[str, str],
    *,
    references: Sequence[Mapping[str, Any]],
    nocite: Sequence[str],
    csl: Path,
    lang: str,
    span: Span,
) -> Parsed:
    """Parse the body and Markdown-valued fields, resolving citations with citeproc.

    `span` is where the body starts in its source file, so pandoc's own warnings
    (an undefined note, say) can point at the editor's line.
    """
    # Entries with Markdown in them go in the metadata, where pandoc reads every string as
    # Markdown; the others (most, often all) in a CSL JSON file, which pandoc reads about
    # three times faster: what a bibliography of thousands costs is mostly this reading.
    plain_ones = [_plain(item) for item in references]
    plain = [dict(item) for item, clear in zip(references, plain_ones, strict=True) if clear]
    meta: dict[str, Any] = {
        # pandoc reads a field with a line break as blocks only if it ends with one
        "galley-fields": {
            name: value if "\n" not in value.strip() else value.rstrip("\n") + "\n"
            for name, value in fields.items()
        },
        "references": [
            dict(item) for item, clear in zip(references, plain_ones, strict=True) if not clear
        ],
        "lang": lang,
        "link-citations": True,
    }
    if nocite:
        meta["nocite"] = ", ".join(f"@{key}" for key in nocite)
    # JSON (which is YAML): every string quoted exactly, so pandoc's YAML reads no given name
    # `Y` or `N` as a boolean and folds no line of a multi-paragraph field.
    front = "---\n" + json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n---\n\n"
    with tempfile.TemporaryDirectory(prefix="galley-") as scratch:
        extra = []
        if plain:
            plain_file = Path(scratch) / "references.json"
            plain_file.write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")
            extra.append(f"--bibliography={plain_file}")
        process = _run(
            [
                "-f",
                READER,
                "-t",
                "json",
                f"--lua-filter={CROSSREF_FILTER}",
                "--citeproc",
                *extra,
                f"--csl={csl}",
            ],
            front + body,
            source=span,
            seconds=limits.pandoc_seconds(len(references)),
        )
    try:
        document = json.loads(process.stdout)
    except RecursionError:
        raise GalleyError(
            error(
                Code.ARTICLE_TOO_DEEP,
                "the text nests too deeply to be read (quotations, lists, divs or emphasis)",
                span.at((span.line or 1) + _busiest_line(body) - 1),
                "flatten the nesting near this line; no article needs more than a few levels",
            )
        ) from None
    _encode_links(document)
    shift = (span.line or 1) - (front.count("\n") + 1)
    warnings = tuple(_pandoc_warnings(process.stderr, span, shift))

    parsed_fields: dict[str, RichText] = {}
    for name, value in document["meta"].get("galley-fields", {}).get("c", {}).items():
        parsed_fields[name] = _meta_to_richtext(value)

    blocks: list[Node] = document["blocks"]
    bibliography: dict[str, Entry] = {}
    if blocks and blocks[-1]["t"] == "Div" and blocks[-1]["c"][0][0] == "refs":
        for entry in blocks.pop()["c"][1]:
            identifier = entry["c"][0][0]
            if identifier.startswith("ref-"):
                bibliography[identifier[4:]] = _entry(entry["c"][1])
    return Parsed(parsed_fields, RichText.from_ast("blocks", blocks), bibliography, warnings)


def _encode_links(value: Any) -> None:
    """Percent-encode every link target where a URL needs it, in place.

    Citeproc writes a reference's DOI or URL into a link exactly as typed: reserved and
    unreserved characters and existing escapes stay (RFC 3986); "[", "]", spaces, "<" and
    non-ASCII are encoded, as every validator demands. Done here rather than in a Lua filter,
    which cost pandoc a second pass over the document (0.8 s for 20,000 references).
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            tag = item.get("t")
            if tag is None:  # the document, or a metadata map
                stack.extend(item.values())
                continue
            content = item.get("c")
            if content is None or tag == "Str":
                continue
            if tag == "Link":
                content[2][0] = quote(content[2][0], safe=_URL_SAFE)
            stack.append(content)
        elif type(item) is list:
            stack.extend(item)


_URL_SAFE = "-._~:/?#@!$&'()*+,;=%"


# Text that means the same as Markdown and as CSL JSON: no Markdown or CSL markup character
# (emphasis, links, math, entities, quotes CSL would turn typographic), no line break, and
# no start that makes a Markdown list item of what follows (a lone initial, "A.", is a name
# to citeproc either way).
_MARKUP = re.compile(r"[\\`*_^~\[\]<>&$@#{}|\"'\n\r\t]|^\s|\s$|  ")
_BLOCK_START = re.compile(r"^(?:[-+*>]|\d+[.)]|[A-Za-z][.)]|\([A-Za-z0-9]+\)|=+|-+)\s+\S")


def _plain(value: Any) -> bool:
    """Whether a CSL entry (or any of its values) holds no Markdown at all."""
    if isinstance(value, str):
        return not _MARKUP.search(value) and not _BLOCK_START.match(value)
    if isinstance(value, Mapping):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    return isinstance(value, int | float | bool) or value is None


_LABEL = re.compile(r"^\W*(\w+?)\W*$")


def _entry(blocks: list[Node]) -> Entry:
    """An entry's text as inlines, and its number apart (numeric styles that align the
    number in a margin, `second-field-align`, write it as a span of its own)."""
    inlines: list[Node] = []

    def collect(nodes: list[Node]) -> None:
        for node in nodes:
            if node["t"] in ("Para", "Plain"):
                collect_inlines(node["c"])
            elif node["t"] == "Div":
                collect(node["c"][1])

    label: list[str] = []

    def collect_inlines(nodes: list[Node]) -> None:
        for node in nodes:
            classes = node["c"][0][1] if node["t"] in ("Span", "Div") else []
            if "csl-left-margin" in classes:
                label.append(stringify(node["c"][1]))
            elif {"csl-right-inline", "csl-block", "csl-indent"} & set(classes):
                if inlines and inlines[-1]["t"] != "Space":
                    inlines.append({"t": "Space"})
                collect_inlines(node["c"][1]) if node["t"] == "Span" else collect(node["c"][1])
            else:
                inlines.append(node)

    collect(blocks)
    while inlines and inlines[-1]["t"] in ("Space", "SoftBreak"):
        inlines.pop()
    match = _LABEL.match(label[0].strip()) if label else None
    return Entry(match.group(1) if match else None, RichText.from_ast("inlines", inlines))


_WARNING_START = re.compile(r"^\[WARNING\] ", re.M)
_FORMULA = re.compile(r"<(?:inline|disp)-formula>(.*?)</(?:inline|disp)-formula>", re.S)


def math_problems(formulas: Sequence[tuple[str, bool]]) -> list[tuple[str, str]]:
    """The formulas (TeX, display?) pandoc cannot turn into MathML, each with the reason.

    Every format but print shows the MathML pandoc makes: a formula it cannot convert would
    reach readers as raw TeX, so the reader refuses it. One pandoc call for all formulas.
    """
    if not formulas:
        return []
    blocks = [
        {"t": "Para", "c": [{"t": "Math", "c": [{"t": kind}, tex]}]}
        for tex, display in formulas
        for kind in ("DisplayMath" if display else "InlineMath",)
    ]
    document = {"pandoc-api-version": list(api_version()), "meta": {}, "blocks": blocks}
    process = _run(["-f", "json", "-t", "jats"], json.dumps(document, ensure_ascii=False))
    reasons = [
        _reason(chunk)
        for chunk in _WARNING_START.split(process.stderr)
        if chunk.startswith("Could not convert TeX math")
    ]
    if not reasons:
        return []
    written = _FORMULA.findall(process.stdout)
    if len(written) != len(formulas) or len(reasons) > len(formulas):
        # the formulas' own text split the output otherwise than one formula a paragraph:
        # ask again one at a time, so that each reason belongs to its formula
        if len(formulas) > 1:
            return [found for one in formulas for found in math_problems([one])]
        return [(formulas[0][0], reasons[0])]  # it did not convert (texmath said why)
    failed = [
        tex for (tex, _), markup in zip(formulas, written, strict=True) if "<mml:math" not in markup
    ]
    return [(tex, reasons[i] if i < len(reasons) else "") for i, tex in enumerate(failed)]


def _busiest_line(text: str) -> int:
    """The line (1-based) with the most nesting marks (emphasis, brackets, quotation and
    div markers): where a text too deep to read most likely is."""
    lines = text.split("\n") or [""]
    marks = [sum(line.count(mark) for mark in "*_[>:") for line in lines]
    return marks.index(max(marks)) + 1


def _reason(warning_text: str) -> str:
    """What texmath says went wrong, from its warning (the line after the caret)."""
    lines = [line.strip() for line in warning_text.splitlines()[1:] if line.strip()]
    useful = [line for line in lines if set(line) != {"^"}]
    return useful[1] if len(useful) > 1 else (useful[0] if useful else "")


def format_references(
    references: Sequence[Mapping[str, Any]], *, csl: Path, lang: str
) -> dict[str, Entry]:
    """Bibliography entries for `references`, formatted in the CSL style (e.g. "cite as")."""
    if not references:
        return {}
    parsed = parse(
        "",
        {},
        references=references,
        nocite=[str(item["id"]) for item in references],
        csl=csl,
        lang=lang,
        span=Span(Path("<citation>")),
    )
    return parsed.bibliography


def _meta_to_richtext(value: Node) -> RichText:
    tag = value["t"]
    if tag == "MetaInlines":
        return RichText.from_ast("inlines", value["c"])
    if tag == "MetaBlocks":
        blocks = value["c"]
        if len(blocks) == 1 and blocks[0]["t"] in ("Para", "Plain"):
            return RichText.from_ast("inlines", blocks[0]["c"])
        return RichText.from_ast("blocks", blocks)
    if tag == "MetaString":
        return RichText.text(value["c"])
    return RichText.text("")


def _pandoc_warnings(stderr: str, span: Span, shift: int) -> list[Diagnostic]:
    found = []
    for raw in stderr.splitlines():
        line = raw.strip()
        if not line.startswith("[WARNING]") or "Citeproc: citation" in line:
            continue  # unknown citations are reported by the reader, with their line
        text = line.removeprefix("[WARNING]").strip()
        match = _WARNING_LINE.search(text)
        where = span
        if match:
            source_line = int(match.group(1)) + shift
            where = span.at(source_line)
            text = _WARNING_LINE.sub(f"line {source_line}", text, count=1)
        found.append(warning(Code.MARKDOWN_PANDOC, text, where))
    return found


def convert_file(path: Path, reader: str, writer: str, extra: Sequence[str] = ()) -> str:
    """A whole file (a Word manuscript, say) from one format to another; pandoc runs
    sandboxed: it reads that file and nothing else."""
    return _run(["-f", reader, "-t", writer, *extra, str(path)], "", source=Span(path)).stdout


def math_text(formulas: Sequence[str]) -> dict[str, str]:
    """Each TeX formula as plain Unicode text, for fields that carry text only (a title in
    JSON-LD, a PDF's Subject): texmath's rendering in one pandoc call (x², 10⁻³, ≤), and,
    for what texmath leaves as TeX (\\frac, \\sqrt), pylatexenc's (a/b, √(2))."""
    unique = list(dict.fromkeys(f for f in formulas if f.strip()))
    if not unique:
        return {}
    blocks = [
        {"t": "Para", "c": [{"t": "Math", "c": [{"t": "InlineMath"}, tex]}]} for tex in unique
    ]
    document = {"pandoc-api-version": list(api_version()), "meta": {}, "blocks": blocks}
    out = _run(["-f", "json", "-t", "plain", "--wrap=none"], json.dumps(document)).stdout
    texts = [" ".join(p.split()) for p in re.split(r"\n\s*\n", out.strip())]
    if len(texts) != len(unique):  # paragraphs that did not come out one per formula
        return {tex: _latex_text(tex) for tex in unique}
    return {
        tex: _latex_text(tex) if text.startswith("$") or "\\" in text else text
        for tex, text in zip(unique, texts, strict=True)
    }


def _latex_text(tex: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    text: str = LatexNodes2Text(math_mode="text").latex_to_text(tex)
    return " ".join(text.split())


def convert(text: str, reader: str, writer: str, extra: Sequence[str] = ()) -> str:
    """A whole document from one format to another (what the importers need)."""
    return _run(["-f", reader, "-t", writer, *extra], text).stdout


def write(
    fmt: str,
    pieces: Mapping[str, RichText],
    body: list[Node] | None = None,
    *,
    args: Sequence[str] = (),
    transform: Any = None,
) -> dict[str, str]:
    """Render named AST pieces (and an optional body) to `fmt` in a single pandoc call.

    Returns each piece's rendering by name, plus "body" and "back" (pandoc's back
    matter, where the JATS writer puts the fn-group).
    """
    fragments = []
    for name, piece in pieces.items():
        nodes = piece.nodes if transform is None else transform(piece.nodes)
        kind = "MetaInlines" if piece.kind == "inlines" else "MetaBlocks"
        fragments.append(
            {
                "t": "MetaMap",
                "c": {"name": {"t": "MetaString", "c": name}, "content": {"t": kind, "c": nodes}},
            }
        )
    document = {
        "pandoc-api-version": list(api_version()),
        "meta": {"galley-fragments": {"t": "MetaList", "c": fragments}},
        "blocks": body or [],
    }
    text = json.dumps(document, ensure_ascii=False)
    nonce = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
    process = _run(
        [
            "-f",
            "json",
            "-t",
            fmt,
            "--wrap=none",
            f"--template={FRAGMENTS_TEMPLATE}",
            f"--variable=galley-nonce:{nonce}",
            *args,
        ],
        text,
    )
    found = re.findall(_FRAGMENT.format(nonce=nonce), process.stdout, re.S)
    names = [name for name, _ in found]
    if sorted(names) != sorted([*pieces, "body", "back"]):
        # A fragment marker the pieces did not ask for: something in the source got out of
        # its text (galley escapes all of it, so this is a bug): never join it into a file.
        raise GalleyError(
            error(
                Code.PANDOC_FRAGMENTS,
                f"pandoc's {fmt} output holds fragments {sorted(set(names))}, not the ones "
                "galley asked for",
                hint="this is a bug in galley; report it with the source",
            )
        )
    return dict(found)
