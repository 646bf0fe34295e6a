"""Reference strings into CSL items, by a trained sequence labeller.

A bibliography typed in a Word manuscript is a list of strings. Each string is cut into tokens
and labelled by a conditional random field (CRFsuite, through python-crfsuite) trained on
references that citeproc rendered, in hundreds of real CSL styles, from records whose fields
are known (`scripts/refparse_train.py` makes the model; `refparse.crfsuite` is that model).
The labels are then put together into a CSL item. No rule here knows a citation style: the
styles taught the model; the code below joins what it labelled, and mends what the model most
often cuts wrongly by how every reference is built (a title runs from one full stop to the
next).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

MODEL = Path(__file__).with_name("refparse.crfsuite")

# What the model labels a token as. "O" is a token of no field (punctuation, "In", "pp.").
LABELS = (
    "family",  # an author's family name (or a whole organisation's name)
    "given",  # an author's given names or initials
    "editor",  # an editor's names
    "date",  # the year of issue, with its month and day
    "title",
    "container",  # the journal, the book of a chapter, the proceedings
    "volume",
    "issue",
    "pages",
    "publisher",
    "location",  # the publisher's place
    "edition",
    "genre",  # "PhD thesis", "Technical report"
    "doi",
    "url",
    "accessed",
    "O",
)

TOKEN = re.compile(
    r"(?:https?://|www\.)\S*[^\s.,;)\]>]"  # a URL
    r"|10\.\d{4,9}/\S*[^\s.,;)\]>]"  # a DOI
    r"|\d+(?:\.\d+)+(?=[\s,;:)]|$)"  # a version or a decimal number (3.2)
    r"|\w+(?:['’\-–]\w+)*"  # a word, a number, a range (1033–1038), a hyphenated name
    r"|[^\w\s]",  # one punctuation mark
)
GLOBAL_PATTERNS = (
    ("volume-issue", r"\b\d+ ?\( ?\d+[^)]*\)"),
    ("volume-pages", r"\b\d+ ?[:,] ?(?:pp?\. )?[e]?\d+(?:[-–]\d+)?\b"),
    ("range", r"\b\d+[-–]\d+\b"),
    ("in", r"(?:^|[.,] )(?:In|in|Em|Dans|En) :?"),
    ("pp", r"\bpp?\s?\."),
    ("edition", r"\b(?:ed|edn|edition|éd|edição)\b"),
    ("editors", r"\b(?:[Ee]ds?|[Ee]ditors?|[Oo]rgs?|[Cc]oords?)\b"),
    ("place-publisher", r"\w ?: [A-Z]\w+"),
    ("url", r"https?://|www\."),
    ("doi", r"\b10\.\d{4,9}/"),
    ("thesis", r"(?i)thesis|dissert|tese|thèse|mestrado|doutorado"),
)
MONTHS = {
    m
    for names in (
        "jan feb mar apr may jun jul aug sep sept oct nov dec",
        "january february march april june july august september october november december",
        "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    )
    for m in names.split()
}


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)]


def _shape(word: str) -> str:
    shape = re.sub(r"[A-ZÀ-Þ]", "X", word)
    shape = re.sub(r"[a-zß-ÿ]", "x", shape)
    shape = re.sub(r"\d", "d", shape)
    return re.sub(r"(.)\1+", r"\1\1", shape)[:6]


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _word_features(token: str) -> dict[str, Any]:
    word = _plain(token)
    letters = token.replace("-", "").replace("’", "").replace("'", "")
    features: dict[str, Any] = {"w": word, "shape": _shape(token)}
    if not token[0].isalnum():
        features["punct"] = token
        return features
    features["suf3"] = word[-3:]
    features["pre2"] = word[:2]
    features["len"] = min(len(token), 8)
    if letters.isupper() and letters.isalpha() and len(letters) <= 3:
        features["initials"] = True
    if letters.isupper() and len(letters) > 3:
        features["caps"] = True
    if token[0].isupper() and letters[1:].islower():
        features["title"] = True
    if re.fullmatch(r"(1[5-9]|20)\d\d[a-z]?", token):
        features["year"] = True
    elif token.isdigit():
        features["number"] = min(len(token), 5)
    elif re.fullmatch(r"\d+[-–]\d+", token):
        features["range"] = True
    elif any(c.isdigit() for c in token):
        features["digits"] = True
    if word in MONTHS:
        features["month"] = True
    if token.startswith(("http", "www.")):
        features["url"] = True
    if (token.startswith("10.") and "/" in token) or "doi.org/10." in token:
        features["doi"] = True
    return features


Spans = Sequence[tuple[int, int]]


def flatten(inlines: Sequence[Any]) -> tuple[str, list[tuple[int, int]]]:
    """A reference's inlines (pandoc's AST) as one line of text and where it is in italics:
    styles set journals and book titles in italics, and Word keeps it."""
    pieces: list[tuple[str, bool]] = []

    def walk(nodes: Sequence[Any], italic: bool) -> None:
        for node in nodes:
            kind = node.get("t")
            if kind == "Str":
                pieces.append((node["c"], italic))
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                pieces.append((" ", italic))
            elif kind == "Emph":
                walk(node["c"], not italic)
            elif kind in (
                "Strong",
                "SmallCaps",
                "Underline",
                "Superscript",
                "Subscript",
                "Strikeout",
            ):
                walk(node["c"], italic)
            elif kind == "Quoted":
                pieces.append(("“", italic))
                walk(node["c"][1], italic)
                pieces.append(("”", italic))
            elif kind == "Span" and "csl-left-margin" in node["c"][0][1]:
                continue
            elif kind in ("Link", "Span", "Cite"):
                walk(node["c"][1], italic)
            elif kind in ("Code", "Math"):
                pieces.append((node["c"][1], italic))
            elif kind in ("Para", "Plain"):
                walk(node["c"], italic)

    walk(inlines, False)
    text = ""
    spans: list[tuple[int, int]] = []
    for piece, italic in pieces:
        piece = re.sub(r"\s+", " ", piece)
        if piece.startswith(" ") and (not text or text.endswith(" ")):
            piece = piece[1:]
        start = len(text)
        text += piece
        if italic and piece.strip():
            if spans and spans[-1][1] >= start - 1:
                spans[-1] = (spans[-1][0], len(text))
            else:
                spans.append((start, len(text)))
    stripped = text.rstrip()
    return stripped, [(a, min(b, len(stripped))) for a, b in spans if a < len(stripped)]


def features(tokens: Sequence[Token], italics: Spans = ()) -> list[dict[str, Any]]:
    """Each token's features, with its neighbours' and where it stands in the string."""
    words = [_word_features(t.text) for t in tokens]
    for word, token in zip(words, tokens, strict=True):
        if any(a <= token.start < b for a, b in italics):
            word["italic"] = True
    count = len(tokens)
    whole = " ".join(t.text for t in tokens)
    # What the whole string holds tells its kind, which tells each token's field: a volume
    # and issue say journal, "In" and a place before a publisher say chapter or book.
    context = {
        f"has:{name}": True for name, pattern in GLOBAL_PATTERNS if re.search(pattern, whole)
    }
    # Full stops that end a part ("Title. Journal"), not an initial's or an abbreviation's
    # ("J. D.", "gen. nov."): counted before and after each token, they place it among the
    # reference's parts whatever commas its title holds.
    ends = [
        i
        for i, t in enumerate(tokens)
        if t.text in (".", "?", "!")
        and not (i > 0 and words[i - 1].get("initials"))
        and (i + 1 == count or tokens[i + 1].text[:1].isupper() or tokens[i + 1].text[:1].isdigit())
    ]
    depth = 0
    quoted = False
    result = []
    for i, own in enumerate(words):
        item: dict[str, Any] = dict(own) | context
        item["pos"] = int(10 * i / max(count, 1))
        item["first"] = i == 0
        item["last"] = i == count - 1
        before = sum(1 for e in ends if e < i)
        item["sentence"] = min(before, 6)
        item["sentence-left"] = min(len(ends) - before, 6)
        item["paren"] = depth > 0
        item["quoted"] = quoted
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < count:
                other = words[j]
                if len(other["w"]) <= 4:  # function words ("in", "eds", "pp"), not content
                    item[f"{offset}:w"] = other["w"]
                item[f"{offset}:shape"] = other["shape"]
                for key in ("initials", "year", "punct", "title", "number", "month", "italic"):
                    if key in other:
                        item[f"{offset}:{key}"] = other[key]
            else:
                item[f"{offset}:edge"] = True
        if i > 0 and i + 1 < count:
            item["between"] = f"{words[i - 1]['shape']}_{words[i + 1]['shape']}"
        text = tokens[i].text
        if text in "([":
            depth += 1
        elif text in ")]":
            depth = max(0, depth - 1)
        elif text in '"“”«»':
            quoted = not quoted
        result.append(_crf_items(item))
    return result


def _crf_items(item: dict[str, Any]) -> dict[str, Any]:
    """python-crfsuite takes strings as categorical features and numbers as weights."""
    return {k: (v if isinstance(v, str) else str(v)) for k, v in item.items() if v is not False}


# --------------------------------------------------------------------------- parsing


@dataclass
class Parsed:
    """One reference string and what the model made of it."""

    text: str
    item: dict[str, Any]
    labels: list[tuple[str, str]] = field(default_factory=list)  # (token, label)


@cache
def _tagger() -> Any:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL))
    return tagger


LIST_NUMBER = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d+[.)]?)\s+(?=\S)")


def strip_number(text: str, italics: Spans = ()) -> tuple[str | None, str, list[tuple[int, int]]]:
    """A typed list number ("12.", "[12]") apart from the reference it numbers."""
    match = LIST_NUMBER.match(text)
    if not match:
        return None, text, list(italics)
    cut = match.end()
    moved = [(max(a - cut, 0), b - cut) for a, b in italics if b > cut]
    return re.sub(r"\D", "", match.group()), text[cut:], moved


def parse(entries: Iterable[str | tuple[str, Spans]]) -> list[Parsed]:
    """Each reference (a string, or a string and where it is in italics) as a CSL item."""
    tagger = _tagger()
    result = []
    for entry in entries:
        text, italics = (entry, ()) if isinstance(entry, str) else entry
        tokens = tokenize(text)
        labels = tagger.tag(features(tokens, italics)) if tokens else []
        result.append(
            Parsed(
                text,
                to_csl(text, tokens, labels),
                list(zip((t.text for t in tokens), labels, strict=True)),
            )
        )
    return result


def _segments(
    text: str, tokens: Sequence[Token], labels: Sequence[str]
) -> list[tuple[str, str, int, int]]:
    """Runs of one label as (label, text, first token, last token); punctuation inside a
    run of one field belongs to it."""
    runs: list[tuple[str, int, int]] = []
    for index, label in enumerate(labels):
        if runs and runs[-1][0] == label:
            runs[-1] = (label, runs[-1][1], index)
        else:
            runs.append((label, index, index))
    # "Title: a subtitle" is one title though the colon was labelled O
    merged: list[tuple[str, int, int]] = []
    for run in runs:
        if (
            len(merged) >= 2
            and merged[-1][0] == "O"
            and merged[-2][0] == run[0]
            and run[0] in ("title", "container", "publisher", "location", "genre")
            and all(
                not tokens[i].text[0].isalnum() for i in range(merged[-1][1], merged[-1][2] + 1)
            )
            and tokens[merged[-1][1]].text not in ".("
        ):
            merged.pop()
            merged[-1] = (run[0], merged[-1][1], run[2])
        else:
            merged.append(run)
    merged = _mend(merged, tokens)
    return [(label, text[tokens[a].start : tokens[b].end], a, b) for label, a, b in merged]


def _boundary(tokens: Sequence[Token], index: int) -> bool:
    """A full stop that ends a field: not an initial's, and before a capital, a digit or the end."""
    if tokens[index].text not in ".?!":
        return False
    before = tokens[index - 1].text if index else ""
    after = tokens[index + 1].text if index + 1 < len(tokens) else ""
    initial = len(before) == 1 and before.isupper()
    return not initial and (not after or after[0].isupper() or after[0].isdigit())


def _mend(runs: list[tuple[str, int, int]], tokens: Sequence[Token]) -> list[tuple[str, int, int]]:
    """A title runs from one field boundary to the next: what the model labelled otherwise
    inside it (", China", ", 1953") is part of it, and so are the words typed before it
    up to its colon ("The Fokker-Planck Equation: Methods of …")."""
    out = list(runs)
    for position, (label, first, last) in enumerate(out):
        if label != "title":
            continue
        # words before the title up to a boundary, ending with a colon: the title's beginning
        if position and out[position - 1][0] == "O" and tokens[out[position - 1][2]].text == ":":
            _, a, b = out[position - 1]
            starts = [i + 1 for i in range(a, b) if _boundary(tokens, i)]
            start = starts[-1] if starts else (a + 1 if tokens[a].text in ".," else None)
            if start is not None and start < b and tokens[start].text[0].isupper():
                out[position - 1] = ("O", a, start - 1)
                first = start
        # what follows the title up to the next boundary, when a field of the same kind
        # comes after that boundary (the model split the title, not the reference)
        end, absorbed = None, set()
        for label_, a, b in out[position + 1 :]:
            stop = next((i for i in range(a, b + 1) if _boundary(tokens, i)), None)
            if stop is not None:
                end = stop - 1
                break
            if label_ not in ("O", "editor", "location", "date", "container", "publisher"):
                break
            if any(tokens[i].text in '”"»' for i in range(a, b + 1)):
                break
            absorbed.add(label_)
        later = {r[0] for r in out if r[1] > (end or len(tokens))}
        if end is not None and absorbed - {"O"} and absorbed - {"O", "editor", "date"} <= later:
            out = [r for r in out if not (r[1] > last and r[2] <= end)]
            out = [(lb, max(a, end + 1) if a <= end < b else a, b) for lb, a, b in out]
            out.insert(position, ("title", first, end))
            out = [r for r in out if not (r[0] == "title" and r[1] == first and r[2] == last)]
        else:
            out[position] = ("title", first, last)
        break
    out.sort(key=lambda r: r[1])
    # "Book: a subtitle" the model left unlabelled after the colon
    for position, (label, a, b) in enumerate(out[1:], start=1):
        before = out[position - 1]
        if label == "O" and before[0] in ("title", "container") and tokens[a].text == ":":
            stop = next(
                (i for i in range(a + 1, b + 1) if tokens[i].text in "([" or _boundary(tokens, i)),
                b + 1,
            )
            if stop - 1 > a and any(tokens[i].text[0].isalpha() for i in range(a + 1, stop)):
                out[position - 1] = (before[0], before[1], stop - 1)
                out[position] = ("O", stop, b)
                if stop > b:
                    del out[position]
                break
    if any(r[0] == "container" for r in out):
        return out
    # words the model left unlabelled between a title and a volume: the journal
    for position, (label, a, b) in enumerate(out[1:-1], start=1):
        if label == "O" and out[position - 1][0] == "title" and out[position + 1][0] == "volume":
            starts = [i + 1 for i in range(a, b) if _boundary(tokens, i)]
            words = [
                i for i in range(starts[0] if starts else a, b + 1) if tokens[i].text[0].isalnum()
            ]
            if starts and words:
                out[position : position + 1] = [
                    ("O", a, words[0] - 1),
                    ("container", words[0], words[-1]),
                ]
                if words[-1] < b:
                    out.insert(position + 2, ("O", words[-1] + 1, b))
            break
    return out


def _clean(value: str) -> str:
    value = value.strip().strip(",;:")
    if value.endswith(".") and not re.search(r"\b[A-Z]\.$", value):
        value = value[:-1]
    value = value.strip()
    pairs = {"(": ")", "[": "]", "“": "”", '"': '"', "«": "»"}
    if len(value) > 1 and value[0] in pairs and value.endswith(pairs[value[0]]):
        value = value[1:-1].strip()
    elif value[:1] in pairs and pairs[value[0]] not in value:
        value = value[1:].strip()
    elif value[-1:] in pairs.values() and not any(
        o in value for o, c in pairs.items() if c == value[-1]
    ):
        value = value[:-1].strip()
    return value


def _names(tokens: Sequence[Token], labels: Sequence[str]) -> list[dict[str, str]]:
    """Authors from their family/given tokens: a person is a run of one part followed by a
    run of the other, in either order; a semicolon or "and" always ends one."""
    people: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] = {}
    order: list[str] = []
    for token, label in zip(tokens, labels, strict=True):
        if label not in ("family", "given"):
            if token.text in (";", "&") or _plain(token.text) in ("and", "e", "et", "y", "und"):
                if current:
                    people.append(current)
                current, order = {}, []
            elif token.text == "," and len(order) == 2:
                people.append(current)
                current, order = {}, []
            continue
        if order and order[-1] != label and label == order[0]:
            people.append(current)  # the part that began this person begins the next
            current, order = {}, []
        if not order or order[-1] != label:
            order.append(label)
        current.setdefault(label, []).append(token.text)
    if current:
        people.append(current)
    names = []
    for person in people:
        family = " ".join(person.get("family", []))
        given = _join_given(person.get("given", []))
        if not family and given:
            family, given = given, ""
        if family:
            names.append({"family": family, "given": given} if given else {"literal": family})
    return names


def _join_given(parts: list[str]) -> str:
    """ "J", "D" → "J. D."; "JD" → "J. D."; full names kept as typed."""
    out = []
    for part in parts:
        if part.isupper() and part.isalpha() and len(part) <= 3:
            out += [f"{letter}." for letter in part]
        else:
            out.append(part)
    return " ".join(out)


def _editors(value: str) -> list[dict[str, str]]:
    value = re.sub(r"\b(?:eds?|editors?|orgs?|coords?|hrsg)\b\.?", "", value, flags=re.I)
    people = [p.strip(" ,.;()") for p in re.split(r";|,? and |,? & | e |, (?=[A-Z][a-z])", value)]
    return [{"literal": p} for p in people if p]


def to_csl(text: str, tokens: Sequence[Token], labels: Sequence[str]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    runs: dict[str, list[str]] = {}
    for label, value, _first, _last in _segments(text, tokens, labels):
        if label in ("O", "family", "given"):
            continue
        if label == "editor":
            item.setdefault("editor", []).extend(_editors(value))
            continue
        runs.setdefault(label, []).append(_clean(value))
    # A reference has one title and one container: two runs of one of them, and none of
    # the other, are both (the model hesitated at the full stop between them).
    titles, containers = runs.get("title", []), runs.get("container", [])
    if not titles and len(containers) >= 2:
        runs["title"], runs["container"] = containers[:1], containers[1:]
    elif not containers and len(titles) >= 2 and ("volume" in runs or "pages" in runs):
        runs["title"], runs["container"] = titles[:1], titles[1:]
    found = {label: values[0] for label, values in runs.items()}
    authors = _names(tokens, labels)
    if not authors:
        authors = _leading_author(text, tokens, labels, found)
    for number, author in enumerate(authors):
        # "R Development Core Team" is one name, however the model cut it
        given, family = author.get("given", "").replace(".", ""), author.get("family")
        whole = [f"{given} {family}", f"{family} {given}"]
        named = next((w for w in whole if w in text), "")
        if "given" in author and ORGANISATION.search(named):
            authors[number] = {"literal": named}
    _repair(found, text)
    if authors:
        item["author"] = authors
    if "title" in found:
        item["title"] = found["title"]
    if "container" in found:
        item["container-title"] = found["container"]
    for label, key in (
        ("volume", "volume"),
        ("issue", "issue"),
        ("pages", "page"),
        ("publisher", "publisher"),
        ("location", "publisher-place"),
        ("edition", "edition"),
        ("genre", "genre"),
        ("url", "URL"),
    ):
        if label in found:
            item[key] = found[label]
    if "doi" in found or "doi.org/10." in found.get("url", ""):
        doi = re.search(r"10\.\d{4,9}/\S+", found.get("doi") or found["url"])
        if doi:
            item["DOI"] = doi.group().rstrip(".")
            if "doi.org/" in item.get("URL", ""):
                del item["URL"]
    if "date" in found:
        year = re.search(r"\b(1[5-9]|20)\d\d", found["date"])
        if year:
            item["issued"] = {"date-parts": [[int(year.group())]]}
            suffix = re.search(rf"{year.group()}([a-z])\b", found["date"])
            if suffix:
                item["year-suffix"] = suffix.group(1)
        elif re.search(r"\b(n\.?\s?d|s\.?\s?d)\b", found["date"], re.I):
            pass
        else:
            item["issued"] = {"literal": found["date"]}
    if "accessed" in found:
        item["note"] = f"Accessed {found['accessed']}"
    item["type"] = _type(item)
    if "page" in item:
        item["page"] = item["page"].replace("-", "–")
    return item


SENTENCE = re.compile(r"(?<![A-Z])\. (?=[A-Z])")
EDITION = re.compile(r"\s*\((?:\d+\w*|\w+)\.? ?(?:ed|edn|edition|éd|edição)\b\.?\)?$", re.I)


def _repair(found: dict[str, str], text: str) -> None:
    """What the labeller most often confuses, put right by how every reference is built:
    a reference has a title; a journal follows its article's title after a full stop; an
    edition in brackets closes a title, never belongs to it."""
    for label in ("title", "container"):
        edition = EDITION.search(found.get(label, ""))
        if edition and "edition" not in found:
            typed = edition.group().strip(" ()")
            number = re.match(r"\d+", typed)  # CSL wants "2", which each style words itself
            found["edition"] = number.group() if number else typed
            found[label] = found[label][: edition.start()]
    container = found.get("container", "")
    if "title" not in found and container:
        chapter = container.find(". In ")
        breaks = list(SENTENCE.finditer(container))
        if chapter > 0:
            found["title"], found["container"] = container[:chapter], container[chapter + 5 :]
        elif breaks:
            cut = breaks[-1]
            found["title"], found["container"] = container[: cut.start()], container[cut.end() :]
        else:
            found["title"] = found.pop("container")
    container = found.get("container", "")
    breaks = [
        b
        for b in SENTENCE.finditer(container)
        if re.search(r"\b[a-z]{4,}$", container[: b.start()])
    ]
    book = re.search(r"[.,] (?:In|in|Em|Dans|En)\b", text)  # a chapter's book may have two parts
    if (
        "title" in found
        and breaks
        and not book
        and len(container[: breaks[-1].start()].split()) >= 3
    ):
        # "… antagonists. I. Production, isolation … activities. The Journal of antibiotics":
        # a sentence of lowercase words before the journal is the rest of the title
        cut = breaks[-1]
        found["title"] = f"{found['title']}. {container[: cut.start()]}"
        found["container"] = container[cut.end() :]
    title = found.get("title", "")
    breaks = list(SENTENCE.finditer(title))
    lone = not {"container", "publisher", "url", "doi", "genre", "location"} & found.keys()
    if "container" not in found and breaks and ("volume" in found or "pages" in found or lone):
        # "Title. Journal" labelled as one title: the journal is its last part
        found["title"], found["container"] = title[: breaks[-1].start()], title[breaks[-1].end() :]


ORGANISATION = re.compile(
    r"\b(?:team|consortium|group|committee|organi[sz]ation|association|society|institute|"
    r"department|ministry|council|agency|office|bureau|foundation|network|collaboration|"
    r"project|initiative|centre|center|university|service|commission)\b",
    re.I,
)


def _leading_author(
    text: str, tokens: Sequence[Token], labels: Sequence[str], found: dict[str, str]
) -> list[dict[str, str]]:
    """A reference that opens with a run the model did not take for a name, right before its
    date ("The ENCODE Consortium. 2012."), opens with its author: an organisation."""
    runs = [run for run in _segments(text, tokens, labels) if run[0] != "O"]
    if len(runs) < 3 or runs[0][0] not in ("title", "container", "publisher"):
        return []
    if runs[1][0] != "date" or runs[0][0] not in {r[0] for r in runs[2:]}:
        return []
    name = _clean(runs[0][1])
    label = runs[0][0]
    later = [r[1] for r in runs[2:] if r[0] == label]
    found[label] = _clean(later[0])
    return [{"literal": name}]


def _type(item: dict[str, Any]) -> str:
    container = str(item.get("container-title", "")).casefold()
    genre = str(item.get("genre", "")).casefold()
    if re.search(r"thes[ie]s|dissert|doctora|master|mestrado|doutorado|th[eè]se", genre):
        return "thesis"
    if re.search(r"report|relat[oó]rio|rapport|working paper", genre):
        return "report"
    if container:
        if re.search(r"conference|congress|symposium|workshop|congresso|encontro|semin", container):
            return "paper-conference"
        if "volume" in item or "issue" in item or ("DOI" in item and "publisher" not in item):
            return "article-journal"
        if re.search(r"proceedings|anais", container):
            return "paper-conference"
        if "editor" in item or "publisher" in item:
            return "chapter"
        return "article-journal"
    if "publisher" in item or "edition" in item or "publisher-place" in item:
        return "book"
    if "URL" in item:
        return "webpage"
    return "document"
