"""EPUB accessibility: Ace by DAISY, the reference checker, run beside EPUBCheck on every book.

Ace opens each content document in headless Chromium and runs axe-core and its own EPUB
rules. galley runs its core in one Node process for the whole build (galley/node/
ace-service.js) with the Debian Chromium; a critical or serious violation is an error, a
moderate or minor one a warning, each at the file inside the book it concerns.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import shlex
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from galley import limits, nodejs
from galley.codes import Code, Family
from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error
from galley.services import LineService

if TYPE_CHECKING:
    from galley.render import Output

CHROMIUM_ENV = "GALLEY_CHROMIUM"
SEVERITIES = {
    "critical": Severity.ERROR,
    "serious": Severity.ERROR,
    "moderate": Severity.WARNING,
    "minor": Severity.WARNING,
}


@functools.cache
def chromium() -> str:
    """The headless browser Ace runs in: $GALLEY_CHROMIUM, else Chromium or Chrome on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    candidates: list[str | None] = [configured] if configured else []
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    raise GalleyError(
        error(
            Code.TOOL_CHROMIUM_MISSING,
            "Chromium is not installed: Ace by DAISY checks e-books in a headless browser",
            hint="install it (Debian: apt-get install chromium), or set "
            f"{CHROMIUM_ENV} to a Chromium or Chrome executable",
        )
    )


def _command() -> list[str]:
    nodejs.package("@daisy/ace-core", "Ace by DAISY")
    return nodejs.command("ace-service.js")


def _environment() -> dict[str, str]:
    # Ace's runner gives the browser 5 s to start; on a machine busy with a build (two test
    # workers, a JVM each) Chromium takes longer, and Ace then fails every book
    return nodejs.environment(
        PUPPETEER_EXECUTABLE_PATH=str(_bounded_chromium()),
        ACE_TIMEOUT_INITIAL=str(int(limits.BROWSER_START_SECONDS * 1000)),
    )


@functools.cache
def _bounded_chromium() -> Path:
    """Chromium as Ace launches it, with its pages' script heap bounded (galley/limits.py):
    Ace's runner takes no browser options, so a small launcher adds them."""
    folder = Path(tempfile.mkdtemp(prefix="galley-chromium-"))
    atexit.register(shutil.rmtree, folder, True)
    launcher = folder / "chromium"
    launcher.write_text(
        "#!/bin/sh\n"
        f"exec {shlex.quote(chromium())} "
        f'--js-flags={shlex.quote(limits.NODE_MEMORY)} "$@"\n',
        encoding="utf-8",
    )
    launcher.chmod(0o700)
    return launcher


_SERVICE = LineService(_command, _environment)


class AceValidator:
    """Checks EPUB bytes with Ace and turns its EARL report into diagnostics."""

    def __init__(self, schema_dir: Path | None = None) -> None:
        """Its tools come with galley's packages, not through the schema setting."""

    def check(self, files: Mapping[Path, Output]) -> dict[Path, list[Diagnostic]]:
        return self.validate_many({path: output.data for path, output in files.items()})

    def prepare(self) -> None:
        nodejs.node()
        nodejs.package("@daisy/ace-core", "Ace by DAISY")
        chromium()
        _SERVICE.start()  # Node and the browser start while the articles are laid out

    def validate_many(self, books: Mapping[Path, bytes]) -> dict[Path, list[Diagnostic]]:
        """Every book, checked by the one Ace this process keeps running."""
        results: dict[Path, list[Diagnostic]] = {path: [] for path in books}
        with tempfile.TemporaryDirectory() as scratch:
            for index, (target, data) in enumerate(books.items()):
                book = Path(scratch) / f"book{index}.epub"
                book.write_bytes(data)
                report_dir = Path(scratch) / f"report{index}"
                try:
                    answer = _SERVICE.ask(f"{report_dir}\t{book}")
                    if answer != "done":
                        raise OSError(answer.partition("\t")[2] or answer)
                    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
                except (OSError, json.JSONDecodeError) as exc:
                    results[target].append(
                        error(Code.EPUB_ACE, f"Ace by DAISY did not run: {exc}", Span(target))
                    )
                    continue
                results[target] = parse_report(report, target)
        return results


def parse_report(report: dict[str, Any], path: Path) -> list[Diagnostic]:
    """Each failed assertion of Ace's report, at its document inside the book."""
    found = []
    for document in report.get("assertions", []):
        subject = document.get("earl:testSubject", {}).get("url", "")
        where = Span(Path(f"{path}!/{subject}") if subject else path)
        for assertion in document.get("assertions", []):
            if assertion.get("earl:result", {}).get("earl:outcome") != "fail":
                continue
            test = assertion.get("earl:test", {})
            severity = SEVERITIES.get(test.get("earl:impact", ""), Severity.WARNING)
            result = assertion.get("earl:result", {})
            pointer = result.get("earl:pointer", {}).get("css", [])
            detail = result.get("dct:description", "")
            message = test.get("dct:description") or test.get("dct:title", "")
            if pointer:
                message += f" (at {', '.join(pointer[:3])})"
            found.append(
                Diagnostic(
                    severity,
                    Family.ACE.code(test.get("dct:title", "rule")),
                    " ".join(str(message).split()),
                    where,
                    " ".join(str(detail).split())[:300] or None,
                )
            )
    return found
