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
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from galley import pandoc
from galley.ast import Node
from galley.layout import ARTICLE_FILE, IMPORT_REPORT, REFERENCES_FILE, translation_file

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
) -> None:
    """The article folder `target`: article.md, its translations by language, its CSL
    references, its files by name, and its import report; all or nothing."""
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


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
