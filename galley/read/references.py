"""CSL references: read from the bibliography file or the front matter, checked, cited
or listed with nocite, and rendered by citeproc into the model's references.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from galley import pandoc
from galley.ast import RichText, cite_ids, iter_nodes
from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, Span, error, warning
from galley.identifiers import strip_doi
from galley.model import Date, Reference
from galley.read.frontmatter import HINTS, read_text, validate, within
from galley.read.metadata import person_name
from galley.sourceschema import ArticleSource, CslItem
from galley.yamlsource import LineMap, load_yaml

# --------------------------------------------------------------------------- references


def read_references(
    source: ArticleSource, folder: Path, linemap: LineMap, problems: list[Diagnostic]
) -> tuple[list[CslItem], dict[str, Span]]:
    """CSL items from `references:` and from the `bibliography` files, with their spans."""
    batches: list[tuple[list[Any], LineMap, tuple[str | int, ...]]] = []
    if source.references:
        batches.append((source.references, linemap, ("references",)))
    for index, name in enumerate(source.bibliography):
        where = linemap.span(("bibliography", index))
        file = (folder / name).resolve()
        if not within(file, folder.resolve()):
            problems.append(
                error(
                    Code.ARTICLE_BIBLIOGRAPHY_OUTSIDE,
                    f"bibliography '{name}' is outside the article's folder",
                    where,
                    "keep reference files beside article.md",
                )
            )
            continue
        if file.suffix.lower() not in (".yaml", ".yml", ".json"):
            problems.append(
                error(
                    Code.ARTICLE_BIBLIOGRAPHY_FORMAT,
                    f"bibliography '{name}' is not CSL YAML (.yaml) or CSL JSON (.json)",
                    where,
                    "convert it, e.g. `pandoc refs.bib -t csljson -o refs.json`",
                )
            )
            continue
        try:
            data, file_linemap = _load_bibliography(file)
        except GalleyError as exc:
            problems.extend(exc.diagnostics)
            continue
        prefix: tuple[str | int, ...] = ()
        if isinstance(data, dict) and "references" in data:
            data, prefix = data["references"], ("references",)
        if not isinstance(data, list):
            problems.append(
                error(
                    Code.REFERENCES_NOT_LIST,
                    "a bibliography file holds a list of CSL items (or `references:` with one)",
                    file_linemap.span(),
                    "see the example in docs/user/source-format.md",
                )
            )
            continue
        batches.append((data, file_linemap, prefix))

    items: list[CslItem] = []
    spans: dict[str, Span] = {}
    for data, item_linemap, prefix in batches:
        # each item's positions, gathered in one pass over the file's line map (a pass per
        # item would make 20,000 references take hours)
        per_item: dict[object, dict[tuple[str | int, ...], tuple[int, int]]] = {}
        depth = len(prefix) + 1
        for path, position in item_linemap.lines.items():
            if len(path) >= depth and path[: depth - 1] == prefix:
                per_item.setdefault(path[depth - 1], {})[path[depth:]] = position
        for index, raw in enumerate(data):
            key = (*prefix, index)
            sub = LineMap(item_linemap.path, item_linemap.line_offset, per_item.get(index, {}))
            if not sub.lines:
                sub.lines[()] = item_linemap.lines.get(key, (1, 1))
            try:
                item = validate(CslItem, raw, sub)
            except GalleyError as exc:
                problems.extend(exc.diagnostics)
                continue
            span = sub.span()
            if item.id in spans:
                problems.append(
                    error(
                        Code.REFERENCES_DUPLICATE_ID,
                        f"reference id '{item.id}' is used twice (first at {spans[item.id]})",
                        span,
                        "give each reference its own id",
                    )
                )
                continue
            spans[item.id] = span
            if item.doi and strip_doi(item.doi) != item.doi:
                bare = strip_doi(item.doi)
                problems.append(
                    warning(
                        Code.REFERENCES_DOI_NORMALISED,
                        f"reference {item.id}: DOI '{item.doi}' was written as a link or with "
                        f"a prefix; using '{bare}'",
                        sub.span(("DOI",)) if ("DOI",) in sub.lines else sub.span(("doi",)),
                        HINTS["doi"],
                    )
                )
                item = item.model_copy(update={"doi": bare})
            items.append(item)
    return items, spans


def _load_bibliography(file: Path) -> tuple[Any, LineMap]:
    text = read_text(file)
    if file.suffix.lower() == ".json":
        try:
            return json.loads(text), LineMap(file)
        except json.JSONDecodeError as exc:
            raise GalleyError(
                error(
                    Code.REFERENCES_JSON,
                    f"invalid JSON: {exc.msg}",
                    Span(file, exc.lineno, exc.colno),
                )
            ) from None
    return load_yaml(text, file)


def read_nocite(
    source: ArticleSource, items: Sequence[CslItem], linemap: LineMap, problems: list[Diagnostic]
) -> list[str]:
    """pandoc's `nocite`: '@*' lists every reference; '@a, @b' lists some uncited ones."""
    if not source.nocite:
        return []
    keys = re.findall(r"@([\w*][\w:.#$%&+?<>~/-]*)", source.nocite)
    if "*" in keys:
        return [item.id for item in items]
    known = {item.id for item in items}
    for key in keys:
        if key not in known:
            problems.append(
                error(
                    Code.CITATION_UNKNOWN_KEY,
                    f"`nocite` lists '@{key}', which is not a reference id",
                    linemap.span(("nocite",)),
                    "fix the key or add the reference",
                )
            )
    return keys


def unknown_citations(
    body: RichText, items: Sequence[CslItem], text: str, start: Span
) -> list[Diagnostic]:
    known = {item.id for item in items}
    found = []
    reported: set[str] = set()
    for node in iter_nodes(body.nodes, "Cite"):
        for key in cite_ids(node):
            if key in known or key in reported:
                continue
            reported.add(key)
            match = re.search(rf"@{re.escape(key)}(?![\w:.#$%&+?<>~/-]*[\w])", text)
            line = text[: match.start()].count("\n") + (start.line or 1) if match else start.line
            found.append(
                error(
                    Code.CITATION_UNKNOWN_KEY,
                    f"citation '@{key}' matches no reference",
                    start.at(line),
                    "fix the key, or add the reference to the article's bibliography",
                )
            )
    return found


def _csl_dict(item: CslItem) -> dict[str, Any]:
    data = item.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True)
    data["id"], data["type"] = item.id, item.type
    return data


def citeproc_item(item: CslItem) -> dict[str, Any]:
    """The item as citeproc should format it.

    citeproc computes year suffixes itself and ignores `year-suffix`; a suffix the printed
    bibliography already fixed (1988a, 1988b) is kept by giving the year as a literal, so
    the formatted list and in-text citations show the same labels as the JATS <year>.
    """
    data = _csl_dict(item)
    if item.year_suffix and item.issued and item.issued.date_parts:
        data["issued"] = {"literal": f"{item.issued.date_parts[0][0]}{item.year_suffix}"}
        data.pop("year-suffix", None)
    return data


def read_reference(item: CslItem, entry: pandoc.Entry, span: Span) -> Reference:
    issued = None
    if item.issued and item.issued.date_parts:
        parts = item.issued.date_parts[0]
        issued = Date(
            parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None
        )
    return Reference(
        id=item.id,
        type=item.type,
        authors=tuple(person_name(name) for name in item.author),
        editors=tuple(person_name(name) for name in item.editor),
        issued=issued,
        year_suffix=item.year_suffix,
        title=item.title,
        container_title=item.container_title,
        collection_title=item.collection_title,
        volume=item.volume,
        issue=item.issue,
        page=item.page,
        edition=item.edition,
        publisher=item.publisher,
        publisher_place=item.publisher_place,
        number_of_pages=item.number_of_pages,
        doi=strip_doi(item.doi) if item.doi else None,
        url=item.url,
        isbn=item.isbn,
        note=item.note,
        csl_json=json.dumps(_csl_dict(item), ensure_ascii=False, sort_keys=True),
        formatted=entry.text,
        span=span,
        pmid=item.pmid,
        pmcid=item.pmcid,
        label=entry.label,
    )
