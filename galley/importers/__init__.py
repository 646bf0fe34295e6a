"""Importers: published or submitted articles in, galley source out.

Each importer reads one kind of file (JATS, a Word manuscript) and writes what an editor would
have typed: `journal.yaml`, `issue.yaml`, and an article folder with `article.md`,
`references.yaml` and its files, plus an import report of what could not be carried. The
normal reader then reads that source like any other: import is the start of the editor's
work, never a second model.
"""
