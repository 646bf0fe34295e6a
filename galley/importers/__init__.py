"""Importers: published or submitted articles in, galley source out.

Each importer reads one kind of file (JATS, a Word manuscript) and writes what an editor would
have typed: `journal.yaml`, `issue.yaml`, and an article folder with `article.md`,
`references.yaml` and its files, plus an import report of what could not be carried. The
normal reader then reads that source like any other: import is the start of the editor's
work, never a second model.

Which importer takes a file is a table keyed by suffix (`IMPORTERS`, as Pelican keys its
readers and Sphinx its source parsers); every importer writes through the one writer of
source, `galley.importers.source`, and none imports another's helpers.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from galley.diagnostics import Diagnostic, GalleyError

if TYPE_CHECKING:
    from galley.checks.online import CrossrefClient


class _Report(Protocol):
    def diagnostics(self) -> list[Diagnostic]: ...


class _Imported(Protocol):
    @property
    def report(self) -> _Report: ...


ImportedT = TypeVar("ImportedT", bound=_Imported)


def import_each(
    runs: Iterable[Callable[[], ImportedT]],
) -> tuple[list[ImportedT], list[Diagnostic]]:
    """Run each file's import; one failing file never stops the others. What the imports
    could not carry comes back with the failures, as diagnostics."""
    done: list[ImportedT] = []
    problems: list[Diagnostic] = []
    for run in runs:
        try:
            imported = run()
        except GalleyError as exc:
            problems.extend(exc.diagnostics)
            continue
        done.append(imported)
        problems.extend(imported.report.diagnostics())
    return done, problems


@dataclass
class Options:
    """What the editor decided for this import (the command line's choices)."""

    article: str | None = None  # the article folder's name, for a single manuscript
    changes: str = "refuse"  # tracked changes: refuse, accept or reject
    comments: str = "refuse"  # comments: refuse or drop (listed in the report)
    online: CrossrefClient | None = None  # to match references with Crossref, when asked


# module:function taking (files, into, options), by the suffix of the files it reads; a
# folder, or a file of any other suffix, goes to JATS, whose reader says what it is not.
IMPORTERS: dict[str, str] = {
    ".docx": "galley.importers.docx:import_manuscripts",
    ".docm": "galley.importers.docx:import_manuscripts",
    ".doc": "galley.importers.docx:import_manuscripts",
    ".xml": "galley.importers.jats:import_paths",
    ".nxml": "galley.importers.jats:import_paths",
}
DEFAULT_IMPORTER = "galley.importers.jats:import_paths"


def import_files(
    paths: Sequence[Path], into: Path, options: Options
) -> tuple[list[Any], list[Diagnostic]]:
    """Each file by the importer its suffix names, in the order of the table's importers."""
    chosen: dict[str, list[Path]] = {}
    for path in paths:
        name = DEFAULT_IMPORTER if path.is_dir() else IMPORTERS.get(path.suffix.lower())
        chosen.setdefault(name or DEFAULT_IMPORTER, []).append(path)
    done: list[Any] = []
    problems: list[Diagnostic] = []
    for reference in sorted(chosen, key=lambda r: r != DEFAULT_IMPORTER):
        module, _, function = reference.partition(":")
        run = getattr(importlib.import_module(module), function)
        imported, found = run(chosen[reference], into, options)
        done += imported
        problems += found
    return done, problems
