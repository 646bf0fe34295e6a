"""Diagnostics: every problem galley reports carries where it is and how to fix it.

One exception type (`GalleyError`) carries one or more diagnostics, so a reader can
report every problem in a file at once instead of stopping at the first.
"""

from __future__ import annotations

import enum
import functools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from galley.codes import Code, FamilyCode


class Severity(enum.IntEnum):
    """Ordered so that `max()` over a report gives its worst entry."""

    INFO = 0
    WARNING = 1
    ERROR = 2


@dataclass(frozen=True, order=True)
class Span:
    """A position in a file; line and column are 1-based and optional."""

    path: Path
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        text = display_path(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.col is not None:
                text += f":{self.col}"
        return text

    def at(self, line: int | None, col: int | None = None) -> Span:
        """The same file at another position."""
        return Span(self.path, line, col)


@dataclass(frozen=True)
class Diagnostic:
    """One finding: `path:line:col: severity[code]: message`, then a hint line."""

    severity: Severity
    code: str
    message: str
    span: Span | None = None
    hint: str | None = None

    def format(self) -> str:
        where = f"{self.span}: " if self.span else ""
        text = f"{where}{self.severity.name.lower()}[{self.code}]: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.format()


def error(
    code: Code | FamilyCode, message: str, span: Span | None = None, hint: str | None = None
) -> Diagnostic:
    """Shorthand for an error diagnostic (its code a member of galley.codes)."""
    return Diagnostic(Severity.ERROR, str(code), message, span, hint)


def warning(
    code: Code | FamilyCode, message: str, span: Span | None = None, hint: str | None = None
) -> Diagnostic:
    """Shorthand for a warning diagnostic."""
    return Diagnostic(Severity.WARNING, str(code), message, span, hint)


class GalleyError(Exception):
    """The one exception galley raises for bad input, bad templates or invalid output."""

    def __init__(self, diagnostics: Iterable[Diagnostic] | Diagnostic) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


@dataclass
class Report:
    """Collects diagnostics over a run and decides the exit code (like black's Report)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    strict: bool = False

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.ERROR]

    @property
    def failed(self) -> bool:
        """True when the run must exit non-zero (warnings count under --strict)."""
        threshold = Severity.WARNING if self.strict else Severity.ERROR
        return any(d.severity >= threshold for d in self.diagnostics)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def raise_if_errors(diagnostics: Iterable[Diagnostic]) -> None:
    """Raise every error at once; warnings alone pass."""
    found = list(diagnostics)
    if any(d.severity == Severity.ERROR for d in found):
        raise GalleyError(found)


def display_path(path: Path) -> str:
    """Paths relative to the working directory read better in messages."""
    return _relative(path, os.getcwd())


@functools.lru_cache(maxsize=4096)
def _relative(path: Path, cwd: str) -> str:
    """Cached: a report of 20,000 references names the same few files 100,000 times."""
    try:
        return str(path.resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return str(path)


# Characters no output can carry (XML 1.0 forbids C0 controls but tab and line breaks; C1
# controls are invisible and mean nothing in text): one rule for files and YAML escapes.
CONTROL_CHARACTER = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def control_character(character: str, span: Span | None) -> Diagnostic:
    return error(
        Code.SOURCE_CONTROL_CHARACTER,
        f"the control character U+{ord(character):04X} cannot be carried by any output",
        span,
        "delete it (it often comes from a copy and paste out of a PDF or a word processor)",
    )
