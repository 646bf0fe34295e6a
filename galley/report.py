"""The preflight report: every check's result, for the terminal, as JSON and as an HTML page."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from galley.checks import Checklist, Result
from galley.diagnostics import Diagnostic, Report, Severity, display_path
from galley.templating import Templates


def entries(report: Report, checklist: Checklist) -> list[dict[str, Any]]:
    """Checks that passed, then every diagnostic of the run, as plain records."""
    listed: list[dict[str, Any]] = []
    for result in checklist.results:
        if result.problem is None:
            listed.append(_record(result.check, "pass", result.subject, None, result))
    for diagnostic in report.diagnostics:
        status = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(
            diagnostic.severity, "info"
        )
        listed.append(_record(diagnostic.code, status, None, diagnostic, None))
    return listed


def _record(
    check: str,
    status: str,
    subject: str | None,
    diagnostic: Diagnostic | None,
    result: Result | None,
) -> dict[str, Any]:
    span = diagnostic.span if diagnostic else (result.span if result else None)
    return {
        "check": check,
        "status": status,
        "subject": subject,
        "message": diagnostic.message if diagnostic else "passed",
        "file": display_path(span.path) if span else None,
        "line": span.line if span else None,
        "hint": diagnostic.hint if diagnostic else None,
    }


def summary(records: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(record["status"] for record in records)
    return {status: counts.get(status, 0) for status in ("pass", "warning", "error")}


def by_check(records: list[dict[str, Any]]) -> list[tuple[str, int, int, int]]:
    """(check, passes, warnings, errors) rows for the terminal table."""
    rows: dict[str, Counter[str]] = {}
    for record in records:
        family = record["check"].split(".")[0]
        rows.setdefault(family, Counter())[record["status"]] += 1
    return [(name, c["pass"], c["warning"], c["error"]) for name, c in sorted(rows.items())]


def render_json(records: list[dict[str, Any]]) -> bytes:
    """The report as JSON, one result per line: readable, diffable, and written by json's C
    encoder (an indented dump is pure Python, seconds for a bibliography of thousands)."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    lines = ",\n".join(f"  {dump(record)}" for record in records)
    results = f"[\n{lines}\n]" if records else "[]"
    return f'{{"results": {results},\n"summary": {dump(summary(records))}}}\n'.encode()


def passed(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Passed checks grouped by check and file, in the run's order: one row with a count and
    the lines it covers, not one per reference (a bibliography of thousands made a page of
    tens of thousands of identical rows that took seconds to write). report.json keeps
    every result."""
    groups: dict[tuple[Any, Any], dict[str, Any]] = {}
    for record in records:
        if record["status"] != "pass":
            continue
        key = (record["check"], record["file"])
        group = groups.get(key)
        if group is None:
            group = groups[key] = {"check": key[0], "file": key[1], "subjects": [], "lines": []}
        group["subjects"].append(record["subject"])
        if record["line"]:
            group["lines"].append(record["line"])
    rows = []
    for group in groups.values():
        subjects = group["subjects"]
        first, last = (min(group["lines"]), max(group["lines"])) if group["lines"] else (0, 0)
        rows.append(
            {
                "check": group["check"],
                "file": group["file"],
                "count": len(subjects),
                # a reference's subject is its article's key, then @ and its id
                "subject": ", ".join(dict.fromkeys(s.split(" @")[0] for s in subjects if s)),
                "lines": "" if not first else f"{first}" if first == last else f"{first}–{last}",
            }
        )
    return rows


def render_html(records: list[dict[str, Any]], templates: Templates, title: str) -> bytes:
    """The page for people: every problem on a row of its own, passes counted per check."""
    return templates.render(
        "report/report.html.jinja",
        # errors, then warnings (stable: each in the run's order)
        problems=sorted(
            (record for record in records if record["status"] != "pass"),
            key=lambda record: str(record["status"]),
        ),
        passed=passed(records),
        title=title,
        summary=summary(records),
        rows=by_check(records),
    ).encode("utf-8")


def report_paths(output: Path, part: str | None = None, name: str = "report") -> tuple[Path, Path]:
    """The whole run's report, or a partial run's (`part` names what it was run on); `name`
    tells a build's report (report) from `galley check`'s (check)."""
    stem = f"{name}.{part}" if part else name
    return output / f"{stem}.json", output / f"{stem}.html"
