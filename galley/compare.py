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
from copy import deepcopy
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
    "elocation-id",
    "fpage",
)
# Not words: formulas (MathML or TeX), labels (the words of numbering) and the words of
# in-text citations, which the journal's citation style writes from the reference cited
# ("Yoon et al., 2005a", "[3–5]"): citations are compared by the references they link;
# the marks calling notes ("*", "a") likewise.
SKIPPED = {"tex-math", "label", "object-id", "ref-list"}


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
    cited: int = 0  # citations of references in the original (a range counts each)
    cited_found: int = 0  # of them, citations of the same references in the other
    translations: dict[str, Words] = field(default_factory=dict)  # by language

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
            f"{self.cited_found} of {self.cited} citations link the same references; "
            f"{len(self.count_differences)} count(s) and "
            f"{len(self.metadata_differences)} metadata field(s) differ"
        )


INLINE = {
    "italic",
    "bold",
    "sup",
    "sub",
    "sc",
    "monospace",
    "underline",
    "strike",
    "xref",
    "ext-link",
    "uri",
    "email",
    "named-content",
    "styled-content",
    "abbrev",
    "inline-formula",
    "span",
    "roman",
    "sans-serif",
    "overline",
}


def words(*elements: etree._Element | None) -> list[str]:
    """The words of the elements' text (formulas, labels and reference lists left out),
    normalised; inline markup never splits a word, blocks always do."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        skip = (
            not isinstance(node.tag, str)  # a comment or processing instruction: not text
            or tag in SKIPPED
            or tag.startswith(f"{{{MML}}}")
            or (tag == "xref" and node.get("ref-type") in ("bibr", "fn", "table-fn"))
        )
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
    """An article's (or a translation's) text: its body; then its back matter (not the
    reference list) and author notes, which two files may order differently (a statement
    in the notes or the back)."""
    back = root.find("back")
    rest = [c for c in back if c.tag not in ("ref-list", "sub-article")] if back is not None else []
    # The funding statement said again as a note of the back (SciELO): its words once.
    statements = {
        _text(s) for s in root.iterfind("front/article-meta/funding-group/funding-statement")
    }
    if statements:
        rest = [_without_notes(element, statements) for element in rest]
    # The funding statement itself: a back note in one file may be the statement in the other
    rest += root.findall("front/article-meta/funding-group/funding-statement")
    rest += root.findall("front/article-meta/author-notes/fn")
    rest += root.findall("front-stub/author-notes/fn")
    # PLOS keeps its data availability statement in custom metadata
    rest += [
        meta.find("meta-value")
        for meta in root.iterfind("front/article-meta/custom-meta-group/custom-meta")
        if "data" in _text(meta.find("meta-name")).casefold()
    ]
    return words(root.find("body")), words(*rest)


def _without_notes(element: etree._Element, texts: set[str]) -> etree._Element:
    """A copy of `element` without the notes whose words are one of `texts`."""
    copy = deepcopy(element)
    for fn in list(copy.iter("fn")):
        if _text(fn) in texts and fn.getparent() is not None:
            fn.getparent().remove(fn)
    return copy


@dataclass
class Words:
    """How many of the original's words the other holds, in order or moved."""

    original: int
    found: int
    other: int
    invented: int
    moved: int
    missing: list[str]


def match_words(original: etree._Element, other: etree._Element | None) -> Words:
    (theirs, theirs_rest) = text_of(original)
    (ours, ours_rest) = text_of(other) if other is not None else ([], [])
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
    return Words(
        original=len(theirs) + len(theirs_rest),
        found=in_order_found + moved,
        other=len(ours) + len(ours_rest),
        invented=sum(pool.values()),
        moved=moved,
        missing=missing,
    )


def translations(root: etree._Element) -> dict[str, etree._Element]:
    """The article's translations (sub-articles), by language."""
    return {
        sub.get(XML_LANG) or "": sub
        for sub in root.iter("sub-article")
        if sub.get("article-type") == "translation"
    }


def in_order(original: list[str], other: list[str]) -> tuple[int, list[str], set[int]]:
    """How many of `original`'s words appear in `other` in the same order (the longest common
    subsequence difflib finds); which were not found; which of `other`'s were matched."""
    matcher = difflib.SequenceMatcher(None, original, other, autojunk=False)
    found, used, matched = 0, set[int](), set[int]()
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


def own(root: etree._Element) -> list[etree._Element]:
    """The article's own elements, not those of its sub-articles (counted apart)."""
    out: list[etree._Element] = []

    def walk(node: etree._Element) -> None:
        for child in node:
            if isinstance(child.tag, str) and child.tag != "sub-article":
                out.append(child)
                walk(child)

    walk(root)
    return out


def counts(root: etree._Element) -> dict[str, int]:
    """Counts of the article's own elements, and its sub-articles by type."""
    elements = own(root)
    tags = Counter(e.tag for e in elements)
    found = {tag: tags.get(tag, 0) for tag in COUNTED}
    for element in elements:
        if element.tag == "xref":
            key = f"xref[{element.get('ref-type') or ''}]"
        elif element.tag == "pub-id":
            key = f"pub-id[{element.get('pub-id-type') or ''}]"
        else:
            continue
        found[key] = found.get(key, 0) + 1
    for sub in root.iter("sub-article"):
        key = f"sub-article[{sub.get('article-type') or ''}]"
        found[key] = found.get(key, 0) + 1
    return found


def citations(root: etree._Element) -> Counter[str]:
    """The references the article's in-text citations link to (a range "[3–5]" counting
    4), each known by its first author and year, as often as cited."""
    refs = {ref.get("id"): _reference_key(ref) for ref in root.iter("ref")}
    order = list(refs)
    cited: Counter[str] = Counter()
    xrefs = [x for x in own(root) if x.tag == "xref" and x.get("ref-type") == "bibr"]
    for index, xref in enumerate(xrefs):
        rids = [rid for rid in (xref.get("rid") or "").split() if rid in refs]
        cited.update(refs[rid] for rid in rids)
        following = xrefs[index + 1] if index + 1 < len(xrefs) else None
        ranged = (xref.tail or "").strip() in ("–", "-", "—")
        if rids and ranged and following is not None and xref.getnext() is following:
            last = (following.get("rid") or "").split()[:1]
            if last and last[0] in refs and rids[-1] in refs:
                between = order[order.index(rids[-1]) + 1 : order.index(last[0])]
                cited.update(refs[rid] for rid in between)
    return cited


def _reference_key(ref: etree._Element) -> str:
    name = ref.find(".//name/surname")
    if name is None:
        name = ref.find(".//collab")
    year = ref.find(".//year")
    key = f"{_text(name).casefold()} {_text(year)[:4]}".strip()
    if key:
        return key
    # no structured name nor year: the first words of its text, its number left out
    return " ".join(re.findall(r"[^\W\d_]+", _text(ref).casefold())[:4])


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
    found = match_words(original, other)
    theirs_translated, ours_translated = translations(original), translations(other)
    translated = {
        lang: match_words(sub, ours_translated.get(lang)) for lang, sub in theirs_translated.items()
    }
    first, second = counts(original), counts(other)
    keys = sorted(set(first) | set(second), key=lambda k: (k not in COUNTED, k))
    a, b = metadata(original), metadata(other)
    cited_a, cited_b = citations(original), citations(other)
    return Comparison(
        original_words=found.original,
        found_words=found.found,
        other_words=found.other,
        invented_words=found.invented,
        moved_words=found.moved,
        counts={key: (first.get(key, 0), second.get(key, 0)) for key in keys},
        metadata={key: (a.get(key, ""), b.get(key, "")) for key in a},
        missing=found.missing[:40],
        translations=translated,
        cited=sum(cited_a.values()),
        cited_found=sum((cited_a & cited_b).values()),
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
    for lang, found in result.translations.items():
        share = found.found / found.original if found.original else 1.0
        lines.append(
            f"translation ({lang}) words: {found.found} of {found.original} found ({share:.2%}); "
            f"{found.invented} of {found.other} words not in the original's translation"
        )
        if found.missing:
            lines.append(f"  not found (first 40): {' '.join(found.missing[:40])}")
    lines.append(
        f"citations: {result.cited_found} of {result.cited} in-text citations link the same "
        "references (known by first author and year)"
    )
    lines.append("")
    lines.append(f"{'element':<34}{'original':>10}{'other':>10}")
    for key, (a, b) in result.counts.items():
        mark = "" if a == b else "  ≠"
        lines.append(f"{key:<34}{a:>10}{b:>10}{mark}")
    lines.append("")
    for key, (first, second) in result.metadata.items():
        mark = "=" if first == second else "≠"
        lines.append(f"{key:<10} {mark} {first}" + ("" if first == second else f"  |  {second}"))
    return "\n".join(lines)
