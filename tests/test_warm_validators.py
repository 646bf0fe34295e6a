"""Validators that start early or stay running give the same verdicts as a cold start.

`serve` keeps Nu's web service for its life; EPUBCheck checks a minimal book as soon as its
JVM starts; the XSDs are parsed in threads during set-up. These prove each path finds what
the ordinary one finds, and that the service listens on the loopback only.
"""

from __future__ import annotations

import socket
import threading
import zipfile
from pathlib import Path

import pytest

from galley.diagnostics import Diagnostic
from galley.validate import epub, html
from galley.validate.jats import _schema, load_soon

PAGE = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head><title>x</title>\n<style>p { colr: red }</style>'
    b'\n</head>\n<body><p style="colr: blue">x<div></p>\n</body>\n</html>\n'
)
CSS = b"body {\n  colr: red;\n  margin: 0\n}\n"


def _messages(found: dict[Path, list[Diagnostic]]) -> dict[Path, list[tuple[str, str, str]]]:
    return {
        page: sorted((d.severity.value, d.code, d.message) for d in diagnostics)
        for page, diagnostics in found.items()
    }


@pytest.mark.slow  # a JVM
def test_nu_as_a_service_finds_what_the_command_line_finds(tmp_path: Path) -> None:
    pages = {tmp_path / "a.html": PAGE, tmp_path / "a.css": CSS}
    validator = html.HtmlValidator()
    resident = html._SERVICE.resident  # the test session keeps it (conftest): set aside here
    html._SERVICE.resident = False
    html._SERVICE.stop()
    cold = validator.validate_many(pages)
    assert html._SERVICE.process is None  # a build uses the command line

    html.keep_running()
    try:
        warm = validator.validate_many(pages)
        service = html._SERVICE
        assert service.process is not None and service.process.poll() is None
        # listening on 127.0.0.1, not on every interface
        with socket.create_connection(("127.0.0.1", service.port), timeout=5):
            pass
        outside = [
            address
            for *_, (address, *_) in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
            if not address.startswith("127.")
        ]
        for address in outside:
            with pytest.raises(OSError), socket.create_connection((address, service.port), 2):
                pass
        again = validator.validate_many({tmp_path / "b.html": b"<!DOCTYPE html><p>x"})
    finally:
        html._SERVICE.resident = False
        html._SERVICE.stop()
        if resident:
            html.keep_running()

    assert _messages(warm) == _messages(cold)
    assert any("“colr”" in d.message for d in warm[tmp_path / "a.css"])
    # at the line of the <div>, the sixth (the command line says 5 after a <style>)
    lines = {d.span.line for d in warm[tmp_path / "a.html"] if "Unclosed" in d.message if d.span}
    assert lines == {6}
    assert any("title" in d.message for d in again[tmp_path / "b.html"])


@pytest.mark.slow  # a JVM
def test_the_epubcheck_warm_up_book_is_valid_and_later_books_are_still_checked(
    tmp_path: Path,
) -> None:
    book = tmp_path / "warm.epub"
    with zipfile.ZipFile(book, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        for name, text in epub._WARM_UP_BOOK.items():
            archive.writestr(name, text)
    validator = epub.EpubValidator()
    validator.prepare()  # starts the JVM and the warm-up check
    assert validator.validate(book.read_bytes(), book) == []
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        for name, text in epub._WARM_UP_BOOK.items():
            archive.writestr(name, text.replace("<dc:title>w</dc:title>", ""))
    codes = {d.code for d in validator.validate(broken.read_bytes(), broken)}
    assert "epubcheck.RSC-005" in codes


def test_an_xsd_asked_for_while_it_loads_is_parsed_once(tmp_path: Path) -> None:
    xsd = tmp_path / "tiny.xsd"
    xsd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:element name="a" type="xs:string"/></xs:schema>',
        encoding="utf-8",
    )
    first = load_soon(xsd)
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(_schema(xsd))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(schema is first.result() for schema in seen) and len(seen) == 4
    broken = tmp_path / "broken.xsd"
    broken.write_text(
        "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'><xs:nope/></xs:schema>"
    )
    with pytest.raises(Exception, match="not valid"):
        _schema(broken)
