"""The one writer of galley source: every importer hands its article here.

What an importer makes is what an editor would have typed: front matter as YAML (block
scalars for text of several lines), the body as the Markdown galley reads (no raw HTML, no
smart quotes), CSL references, the article's files and its import report. The article
folder is written beside its final place and renamed into it at once: an interrupted
import leaves no half-written article, and an existing one is never touched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from galley import pandoc
from galley.ast import Node
from galley.codes import Code
from galley.diagnostics import Diagnostic, Span, warning
from galley.layout import ARTICLE_FILE, IMPORT_REPORT, ISSUE_FILE, REFERENCES_FILE, translation_file

MARKDOWN = (
    "markdown+ascii_identifiers-smart-raw_html-raw_tex-raw_attribute-simple_tables-multiline_tables"
)

# A file of the article: its bytes, or what writes it at a path (a copy, a conversion).
FileMaker = bytes | Callable[[Path], None]


class Literal(str):
    """A string written as a YAML block scalar (`|`)."""


def dump_yaml(data: Any) -> str:
    """YAML as an editor writes it: keys in the given order, text unescaped, long text as
    block scalars."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def literal(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, literal)
    Dumper.add_representer(Literal, literal)
    text: str = yaml.dump(
        data,
        Dumper=Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return text


def to_markdown(blocks: list[Node]) -> str:
    """pandoc's AST as the Markdown galley reads (no raw HTML, no smart quotes)."""
    document = {"pandoc-api-version": list(pandoc.api_version()), "meta": {}, "blocks": blocks}
    text = pandoc.convert(
        json.dumps(document, ensure_ascii=False),
        "json",
        MARKDOWN,
        extra=("--columns=100", "--markdown-headings=atx"),
    )
    return text


def article_text(fields: Mapping[str, Any], blocks: list[Node]) -> str:
    """An article file: its front matter, then its body."""
    return f"---\n{dump_yaml(dict(fields))}---\n\n{to_markdown(blocks)}"


def write_once(path: Path, text: str) -> None:
    """A journal's or issue's file, written only where there is none yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_article(
    target: Path,
    article: str,
    report: str,
    references: Sequence[Mapping[str, Any]] = (),
    translations: Mapping[str, str] | None = None,
    files: Mapping[str, FileMaker] | None = None,
) -> list[Diagnostic]:
    """The article folder `target`: article.md, its translations by language, its CSL
    references, its files by name, and its import report; all or nothing. Then the article
    is listed in its issue's `articles:`, when the issue lists them (what could not be is
    said)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())  # a folder as any other, not mkdtemp's 0700
        (staging / ARTICLE_FILE).write_text(article, encoding="utf-8")
        for lang, text in (translations or {}).items():
            (staging / translation_file(lang)).write_text(text, encoding="utf-8")
        if references:
            (staging / REFERENCES_FILE).write_text(
                dump_yaml([dict(item) for item in references]), encoding="utf-8"
            )
        for name, make in (files or {}).items():
            file = staging / name
            file.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(make, bytes):
                file.write_bytes(make)
            else:
                make(file)
        (staging / IMPORT_REPORT).write_text(report, encoding="utf-8")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return list_in_issue(target.parent / ISSUE_FILE, target.name)


def list_in_issue(issue_file: Path, name: str) -> list[Diagnostic]:
    """`name` added at the end of the issue's `articles:` (the table of contents' order),
    the file otherwise as the editor wrote it (comments, order, quoting); nothing when the
    issue lists no articles (its folders' order then holds the new one too)."""
    import yaml

    if not issue_file.is_file():
        return []
    text = issue_file.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None  # the reader says what is wrong with it
    if not isinstance(data, dict) or "articles" not in data:
        return []
    listed = data["articles"] or []
    if isinstance(listed, list) and name in [str(item) for item in listed]:
        return []
    entry = name if yaml.safe_load(name) == name else json.dumps(name)
    changed = _appended(text, entry)
    try:
        again = yaml.safe_load(changed) if changed is not None else None
    except yaml.YAMLError:
        again = None
    if (
        not isinstance(listed, list)
        or not isinstance(again, dict)
        or again.get("articles")
        != [
            *listed,
            name,
        ]
    ):
        return [
            warning(
                Code.IMPORT_ISSUE_ORDER,
                f"the article '{name}' could not be added to `articles:` in {issue_file.name}",
                Span(issue_file),
                f"add `{name}` to the list by hand, where it goes in the table of contents",
            )
        ]
    issue_file.write_text(str(changed), encoding="utf-8")
    return []


def _appended(text: str, entry: str) -> str | None:
    """The issue file's text with `entry` last in its `articles:` list (flow `[a, b]` or
    block `- a`), or None when the list is written in another form."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        found = re.match(
            r"^articles:[ \t]*(?P<flow>\[[^\]\n]*\])?[ \t]*(?:#.*)?$", line.rstrip("\n")
        )
        if not found:
            continue
        flow = found.group("flow")
        if flow is not None:
            inner = flow[1:-1].strip()
            lines[index] = line.replace(flow, f"[{inner}, {entry}]" if inner else f"[{entry}]", 1)
            return "".join(lines)
        last, indent = index, "  "
        for after in range(index + 1, len(lines)):
            item = re.match(r"^(\s*)-\s", lines[after])
            if item:
                last, indent = after, item.group(1)
            elif lines[after].strip() and not lines[after].lstrip().startswith("#"):
                break
        if not lines[last].endswith("\n"):
            lines[last] += "\n"
        lines.insert(last + 1, f"{indent}- {entry}\n")
        return "".join(lines)
    return None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
