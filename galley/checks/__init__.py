"""Preflight checks over the model: DOIs, article metadata, citations.

Each check records a result for what it examined (pass, warning or error), so the preflight
report can show what was verified, not only what failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from galley.diagnostics import Diagnostic, Severity, Span
from galley.model import Project

if TYPE_CHECKING:  # requests only when asked for
    from galley.checks.online import CrossrefClient


@dataclass(frozen=True)
class Result:
    """One check of one subject: passed, or the diagnostic that says what is wrong."""

    check: str
    subject: str
    problem: Diagnostic | None = None
    span: Span | None = None

    @property
    def status(self) -> str:
        if self.problem is None:
            return "pass"
        return {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(
            self.problem.severity, "info"
        )


@dataclass
class Checklist:
    results: list[Result] = field(default_factory=list)

    def passed(self, check: str, subject: str, span: Span | None = None) -> None:
        self.results.append(Result(str(check), subject, None, span))

    def failed(self, check: str, subject: str, problem: Diagnostic) -> None:
        self.results.append(Result(str(check), subject, problem, problem.span))

    def record(
        self, check: str, subject: str, problems: Iterable[Diagnostic], span: Span | None = None
    ) -> None:
        """A pass when `problems` is empty, else one result per problem."""
        found = list(problems)
        if not found:
            self.passed(check, subject, span)
        for problem in found:
            self.failed(check, subject, problem)

    @property
    def problems(self) -> list[Diagnostic]:
        return [r.problem for r in self.results if r.problem is not None]


def run_checks(project: Project, online: CrossrefClient | None = None) -> Checklist:
    """Every preflight check over every article of the project (online ones if asked)."""
    from galley.checks import citations, doi, metadata

    checklist = Checklist()
    doi.check(project, checklist)
    metadata.check(project, checklist)
    citations.check(project, checklist)
    if online is not None:
        from galley.checks import online as remote

        remote.check(project, checklist, online)
    return checklist
