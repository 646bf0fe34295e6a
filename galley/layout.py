"""The names of galley's source layout, said once (docs/user/source-format.md):

    source/journal.yaml                     the journal, once
    source/<issue>/issue.yaml               an issue
    source/<issue>/<article>/article.md     YAML front matter + Markdown body
    source/<issue>/<article>/article.<lang>.md   a translation
    source/<issue>/<article>/references.yaml     CSL references
    source/<issue>/<article>/import-report.md    what an import could not carry

The reader, `galley init`/`new`, the importers' one writer (galley.importers.source) and
the preview server all take these names from here.
"""

from __future__ import annotations

import re

JOURNAL_FILE = "journal.yaml"
ISSUE_FILE = "issue.yaml"
ARTICLE_FILE = "article.md"
REFERENCES_FILE = "references.yaml"
IMPORT_REPORT = "import-report.md"
# A translation of the article: article.<BCP 47 tag>.md beside it.
TRANSLATION_FILE = re.compile(r"^article\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.md$")
# What an importer writes where the manuscript did not hold a value: `check` refuses it, so
# nothing half-guessed reaches a deposit.
GAP = "FILL IN:"


def translation_file(lang: str) -> str:
    return f"article.{lang}.md"


def folder_name(text: str) -> str:
    """An article folder's name made from any text (an id, a file's stem)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
