"""HTML: the Nu HTML Checker (vnu.jar, the W3C's validator), every page of a run in one JVM.

A build checks all its pages with the command-line checker, one JVM. `serve` keeps Nu's own
web service running on 127.0.0.1 for its whole life instead (`keep_running`), so a rebuild's
pages are checked in a fraction of a second; they are posted to it, never fetched from
anywhere, and if the service cannot start the command line checks them. (For a single build
on two cores the service is slower: its start-up costs more CPU than the command line's.)
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from galley import limits, nodejs
from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error
from galley.validate.java import SHORT_RUN, java

if TYPE_CHECKING:
    from galley.render import Output

ENV_VAR = "GALLEY_VNU_JAR"
NPM_JAR = Path("vnu-jar") / "build" / "dist" / "vnu.jar"


def vnu_jar() -> Path:
    """vnu.jar from $GALLEY_VNU_JAR, else from npm's `vnu-jar` among galley's tools."""
    candidate = Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else nodejs.modules() / NPM_JAR
    if not candidate.is_file():
        raise GalleyError(
            error(
                Code.TOOL_VNU_MISSING,
                f"the Nu HTML Checker (vnu.jar) is not at {candidate}",
                hint="run `galley tools install` once (it installs vnu-jar), or set "
                f"{ENV_VAR} to a vnu.jar",
            )
        )
    return candidate


class HtmlValidator:
    """Checks HTML pages and CSS with vnu.jar; all pages of a call share one JVM start."""

    def __init__(self, schema_dir: Path | None = None) -> None:
        """Its tools come with galley's packages, not through the schema setting."""

    def check(self, files: Mapping[Path, Output]) -> dict[Path, list[Diagnostic]]:
        return self.validate_many({path: output.data for path, output in files.items()})

    def prepare(self) -> None:
        java()
        vnu_jar()
        if _SERVICE.resident:
            _SERVICE.start()

    def validate_many(self, pages: Mapping[Path, bytes]) -> dict[Path, list[Diagnostic]]:
        """Diagnostics for each page (keyed by the path it will be written to)."""
        results: dict[Path, list[Diagnostic]] = {path: [] for path in pages}
        if not pages:
            return results
        reports = _SERVICE.check(pages) if _SERVICE.resident else None
        if reports is not None:
            for page, report in reports.items():
                messages = report.get("messages", [])
                results[page] = _diagnostics(
                    messages, functools.partial(_at, page), page.suffix == ".css"
                )
            return results
        with tempfile.TemporaryDirectory() as scratch:
            by_file: dict[str, Path] = {}
            for index, (page, data) in enumerate(pages.items()):
                local = Path(scratch) / f"page{index}{page.suffix}"
                local.write_bytes(data)
                by_file[local.name] = page
            try:
                process = self._run(scratch, by_file)
            except subprocess.TimeoutExpired:
                raise GalleyError(
                    error(
                        Code.HTML_VNU,
                        f"the Nu HTML Checker did not finish within {limits.HELPER_SECONDS:.0f} s",
                    )
                ) from None
        try:
            report = json.loads(process.stderr or process.stdout)
        except json.JSONDecodeError:
            output = (process.stderr or process.stdout).strip()[:500]
            raise GalleyError(
                error(Code.HTML_VNU, f"the Nu HTML Checker did not run: {output}")
            ) from None
        found = _diagnostics(
            report.get("messages", []),
            lambda message: by_file.get(Path(urlparse(message.get("url", "")).path).name),
            False,
        )
        unplaced = [diagnostic for diagnostic in found if diagnostic.span is None]
        if unplaced:  # a message about no file given (the checker itself failing, say)
            raise GalleyError(unplaced)
        for diagnostic in found:
            assert diagnostic.span is not None and diagnostic.span.path is not None
            results[diagnostic.span.path].append(diagnostic)
        return results

    @staticmethod
    def _run(scratch: str, by_file: Mapping[str, Path]) -> subprocess.CompletedProcess[str]:
        """Nu's command line on the pages written in `scratch`, bounded in time."""
        return subprocess.run(
            [
                java(),
                *SHORT_RUN,
                "-jar",
                str(vnu_jar()),
                "--format",
                "json",
                "--exit-zero-always",
                "--also-check-css",
                *sorted(str(Path(scratch) / name) for name in by_file),
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=limits.HELPER_SECONDS,
        )


def _at(page: Path, _message: dict[str, Any]) -> Path:
    return page


def _diagnostics(
    messages: list[dict[str, Any]],
    target: Callable[[dict[str, Any]], Path | None],
    css: bool,
) -> list[Diagnostic]:
    """Nu's errors and warnings (not its infos), each at its page and line."""
    found = []
    for message in messages:
        kind, subtype = message.get("type"), message.get("subType")
        if kind == "info" and subtype != "warning":
            continue
        severity = Severity.WARNING if kind == "info" else Severity.ERROR
        page = target(message)
        line = message.get("lastLine") or None
        text = message.get("message", "")
        if css and not text.startswith("CSS: "):  # as the command line says it
            text = f"CSS: {text}"
        span = Span(page, line, message.get("firstColumn")) if page else None
        found.append(Diagnostic(severity, Code.HTML_NU, text, span))
    return found


class NuService:
    """Nu's web service (`nu.validator.servlet.Main`) on a free port of 127.0.0.1, for the
    life of this process."""

    def __init__(self) -> None:
        self.resident = False
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.lock = threading.Lock()
        atexit.register(self.stop)

    def start(self) -> None:
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self._start()

    def _start(self) -> None:
        with socket.socket() as probe:  # a port nobody uses now
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [
                java(),
                *SHORT_RUN,
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(vnu_jar()),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def check(self, pages: Mapping[Path, bytes]) -> dict[Path, dict[str, Any]] | None:
        """Nu's JSON report for each page, or None if the service is not there."""
        self.start()
        with self.lock:
            if not self._ready():
                self.stop()
                return None
            reports = {}
            for page, data in pages.items():
                kind = "text/css" if page.suffix == ".css" else "text/html"
                request = urllib.request.Request(
                    f"http://127.0.0.1:{self.port}/?out=json",
                    data=data,
                    headers={"Content-Type": f"{kind}; charset=utf-8"},
                )
                try:
                    with _LOCAL.open(request, timeout=120) as answer:
                        reports[page] = json.loads(answer.read())
                except (OSError, ValueError):
                    self.stop()
                    return None
            return reports

    def _ready(self, wait: float = 60.0) -> bool:
        """Whether the service answers (it takes a few seconds to start)."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None


_SERVICE = NuService()


def keep_running(at_once: bool = True) -> None:
    """Check pages with Nu's web service, kept for this process's life once started: at once
    (`serve`: every rebuild finds it warm), or at the first build that checks a page (a
    process that builds many times, such as the test session)."""
    if at_once:
        try:
            _SERVICE.start()
        except GalleyError:  # no Java or no vnu.jar: each build says so
            return
    _SERVICE.resident = True


_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
