"""Words and typography by language: galley's one per-language table (languages.yaml).

Templates ask for fixed headings ("References") through `label`; the reader takes the
words of numbered objects ("Figure", "Table") from here too, so no language is hard-coded
anywhere else. A tag with a region (pt-PT) overrides its language (pt) key by key; what a
language lacks falls back to English.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from galley.codes import Code
from galley.diagnostics import GalleyError, Span, error

TABLE = Path(__file__).resolve().parent / "languages.yaml"
FALLBACK = "en"


@functools.cache
def _table() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    return data


def _chain(lang: str) -> list[str]:
    """The tags to look in, most specific first: pt-PT, pt, en."""
    parts = lang.split("-")
    chain = ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]
    known = {tag.lower(): tag for tag in _table()}
    found = [known[tag.lower()] for tag in chain if tag.lower() in known]
    return [*found, FALLBACK] if FALLBACK not in found else found


def label(
    key: str,
    lang: str,
    overrides: Mapping[str, Mapping[str, str]] | None = None,
    *,
    otherwise: str | None = None,
) -> str:
    """A fixed word or heading in `lang` (`overrides`: a journal's own words, by tag); the
    label `otherwise` where the table has none for `key` (a kind it does not name)."""
    for tag in _chain(lang):
        if overrides:
            value = overrides.get(tag, {}).get(key)
            if value:
                return value
        value = _table()[tag].get("labels", {}).get(key)
        if value:
            return str(value)
    if otherwise is not None:
        return label(otherwise, lang, overrides)
    raise GalleyError(
        error(
            Code.TEMPLATE_LABEL,
            f"no label '{key}' for language '{lang}' or English",
            Span(TABLE),
            f"add `{key}:` under `en: labels:` in galley/languages.yaml",
        )
    )


def typography(key: str, lang: str) -> Any:
    """A typographic rule of `lang` (the space before a colon, French spacing...)."""
    for tag in _chain(lang):
        rules = _table()[tag].get("typography", {})
        if key in rules:
            return rules[key]
    return None


def name(lang: str) -> str:
    """A language's name in that language ("Português"), or its tag when galley has none."""
    for tag in _chain(lang):
        if tag.lower() == lang.lower() or tag.lower() == lang.split("-")[0].lower():
            value = _table()[tag].get("name")
            if value:
                return str(value)
    return lang


def known(lang: str) -> bool:
    """Whether the table has words of its own for `lang` (else English is used)."""
    return _chain(lang)[0] != FALLBACK or lang.split("-")[0].lower() == FALLBACK


def intake_words(key: str) -> tuple[str, ...]:
    """Every language's words (regular expressions) for a manuscript heading or caption
    `key` ("references", "figure", "ack"...): a manuscript may be in any of them."""
    found: list[str] = []
    for rules in _table().values():
        for word in rules.get("intake", {}).get(key, []):
            if word not in found:
                found.append(word)
    return tuple(found)
