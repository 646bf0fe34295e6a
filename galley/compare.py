"""Compare two JATS files: a journal's check that a migration kept its articles whole.

Three measures, printed side by side: the share of the original body's words found, in order,
in the other (and the other's words the original does not have); the counts of the elements a
migration must keep; and the metadata fields (DOI, title, names, dates, volume, issue, pages
or article number, ISSNs, licence). Formulas are compared by count, not by their words: one
file may give MathML where the other gives TeX.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from galley.importers.jats import read_jats

MML = "http://www.w3.org/1998/Math/MathML"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
COUNTED = (
    "sec",
    "p",
    "fig",
    "table-wrap",
    "disp-formula",
    "inline-formula",
    "label",
    "fn",
    "ref",
    "contrib",
    "aff",
    "kwd",
    "abstract",
    "trans-abstract",
    "funding-group",
    "award-group",
    "ack",
    "sub-article",
    "elocation-id",
    "fpage",
)
# Not words: formulas (MathML or TeX) and labels (the words of numbering).
SKIPPED = {"tex-math", "label", "alternatives", "object-id", "ref-list"}


@dataclass
class Comparison:
    original_words: int
    found_words: int
    other_words: int
    invented_words: int
    moved_words: int
    counts: dict[str, tuple[int, int]]
    metadata: dict[str, tuple[str, str]]
    missing: list[str] = field(default_factory=list)  # a sample of the words not found

    @property
    def word_share(self) -> float:
        return self.found_words / self.original_words if self.original_words else 1.0

    @property
    def count_differences(self) -> dict[str, tuple[int, int]]:
        return {key: value for key, value in self.counts.items() if value[0] != value[1]}

    @property
    def metadata_differences(self) -> dict[str, tuple[str, str]]:
        return {key: value for key, value in self.metadata.items() if value[0] != value[1]}

    @property
    def summary(self) -> str:
        return (
            f"{self.word_share:.2%} of the original's words found; "
            f"{len(self.count_differences)} count(s) and "
            f"{len(self.metadata_differences)} metadata field(s) differ"
        )


INLINE = {
    "italic", "bold", "sup", "sub", "sc", "monospace", "underline", "strike", "xref",
    "ext-link", "uri", "email", "named-content", "styled-content", "abbrev", "inline-formula",
    "span", "roman", "sans-serif", "overline",
}


def words(*elements: etree._Element | None) -> list[str]:
    """The words of the elements' text (formulas, labels and reference lists left out),
    normalised; inline markup never splits a word, blocks always do."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        skip = tag in SKIPPED or tag.startswith(f"{{{MML}}}")
        gap = "" if tag in INLINE else " "
        parts.append(gap)
        if not skip:
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
        parts.append(gap)
        if node.tail:
            parts.append(node.tail)

    for element in elements:
        if element is not None:
            walk(element)
    text = unicodedata.normalize("NFKC", "".join(parts)).casefold()
    return re.findall(r"\w+", text)


def text_of(root: etree._Element) -> tuple[list[str], list[str]]:
    """An article's text: its body; then its back matter (not the reference list) and author
    notes, which two files may order differently (a statement in the notes or the back)."""
    back = root.find("back")
    rest = [child for child in back if child.tag != "ref-list"] if back is not None else []
    rest += root.findall("front/article-meta/author-notes/fn")
    return words(root.find("body")), words(*rest)


def in_order(original: list[str], other: list[str]) -> tuple[int, list[str], set[int]]:
    """How many of `original`'s words appear in `other` in the same order (the longest common
    subsequence difflib finds); which were not found; which of `other`'s were matched."""
    matcher = difflib.SequenceMatcher(None, original, other, autojunk=False)
    found, used, matched = 0, set(), set()
    for block in matcher.get_matching_blocks():
        found += block.size
        matched.update(range(block.a, block.a + block.size))
        used.update(range(block.b, block.b + block.size))
    missing = [word for index, word in enumerate(original) if index not in matched]
    return found, missing, used


def _matched(original: list[str], other: list[str]) -> set[int]:
    matcher = difflib.SequenceMatcher(None, original, other, autojunk=False)
    return {
        index
        for block in matcher.get_matching_blocks()
        for index in range(block.a, block.a + block.size)
    }


def counts(root: etree._Element) -> dict[str, int]:
    tags = Counter(e.tag for e in root.iter() if isinstance(e.tag, str))
    found = {tag: tags.get(tag, 0) for tag in COUNTED}
    for xref in root.iter("xref"):
        key = f"xref[{xref.get('ref-type') or ''}]"
        found[key] = found.get(key, 0) + 1
    for pub_id in root.iter("pub-id"):
        key = f"pub-id[{pub_id.get('pub-id-type') or ''}]"
        found[key] = found.get(key, 0) + 1
    return found


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def metadata(root: etree._Element) -> dict[str, str]:
    meta = root.find("front/article-meta")
    journal = root.find("front/journal-meta")
    if meta is None:
        return {}
    issns = sorted(_text(i) for i in journal.iter("issn")) if journal is not None else []
    date = meta.find("pub-date[@date-type='pub']")
    if date is None:
        date = meta.find("pub-date[@pub-type='epub']")
    if date is None:
        date = meta.find("pub-date")
    license_ = meta.find("permissions/license")
    href = license_.get("{http://www.w3.org/1999/xlink}href", "") if license_ is not None else ""
    return {
        "doi": _text(meta.find("article-id[@pub-id-type='doi']")),
        "title": _text(meta.find("title-group/article-title")),
        "names": "; ".join(
            _text(c.find("name/surname")) + ", " + _text(c.find("name/given-names"))
            for c in meta.iter("contrib")
            if (c.get("contrib-type") or "author") == "author" and c.find("name") is not None
        ),
        "date": "-".join(
            f"{int(_text(date.find(part))):02d}" if part != "year" else _text(date.find(part))
            for part in ("year", "month", "day")
            if date is not None and _text(date.find(part)).isdigit()
        ),
        "volume": _text(meta.find("volume")),
        "issue": _text(meta.find("issue")),
        "pages": "-".join(t for t in (_text(meta.find("fpage")), _text(meta.find("lpage"))) if t)
        or _text(meta.find("elocation-id")),
        "issn": ", ".join(issns),
        "license": re.sub(r"^https?://", "", href).rstrip("/"),
    }


def compare(original_path: Path, other_path: Path) -> Comparison:
    """Compare `other_path` (say, galley's JATS) with `original_path`."""
    original = read_jats(original_path).getroot()
    other = read_jats(other_path).getroot()
    (theirs, theirs_rest), (ours, ours_rest) = text_of(original), text_of(other)
    in_order_found, _, used = in_order(theirs, ours)
    matched = _matched(theirs, ours)
    # What the body walk did not find (a section one file keeps in the back, notes) is looked
    # for among the other's unmatched words: moved, not lost.
    pool = Counter([w for i, w in enumerate(ours) if i not in used] + ours_rest)
    missing = []
    moved = 0
    for word in [w for i, w in enumerate(theirs) if i not in matched] + theirs_rest:
        if pool[word]:
            pool[word] -= 1
            moved += 1
        else:
            missing.append(word)
    found = in_order_found + moved
    theirs, ours = theirs + theirs_rest, ours + ours_rest
    first, second = counts(original), counts(other)
    keys = sorted(set(first) | set(second), key=lambda k: (k not in COUNTED, k))
    a, b = metadata(original), metadata(other)
    return Comparison(
        original_words=len(theirs),
        found_words=found,
        other_words=len(ours),
        invented_words=sum(pool.values()),
        moved_words=moved,
        counts={key: (first.get(key, 0), second.get(key, 0)) for key in keys},
        metadata={key: (a.get(key, ""), b.get(key, "")) for key in a},
        missing=missing[:40],
    )


def render(result: Comparison) -> str:
    """The comparison as a plain-text report."""
    lines = [
        f"text words: {result.found_words} of {result.original_words} found "
        f"({result.word_share:.2%}; {result.moved_words} of them in a section the other file "
        f"puts elsewhere); {result.invented_words} of {result.other_words} words not in the "
        "original",
    ]
    if result.missing:
        lines.append(f"  not found (first {len(result.missing)}): {' '.join(result.missing)}")
    lines.append("")
    lines.append(f"{'element':<28}{'original':>10}{'other':>10}")
    for key, (a, b) in result.counts.items():
        mark = "" if a == b else "  ≠"
        lines.append(f"{key:<28}{a:>10}{b:>10}{mark}")
    lines.append("")
    for key, (a, b) in result.metadata.items():
        mark = "=" if a == b else "≠"
        lines.append(f"{key:<10} {mark} {a}" + ("" if a == b else f"  |  {b}"))
    return "\n".join(lines)
