"""Importers: published or submitted articles in, galley source out.

Each importer reads one kind of file (JATS, a Word manuscript) and writes what an editor would
have typed: `journal.yaml`, `issue.yaml`, and an article folder with `article.md`,
`references.yaml` and its files, plus an import report of what could not be carried. The
normal reader then reads that source like any other: import is the start of the editor's
work, never a second model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

from galley.diagnostics import Diagnostic, GalleyError


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
