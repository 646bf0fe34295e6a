"""HTML: the Nu HTML Checker (vnu.jar, the W3C's validator), every page of a run in one JVM."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

from galley import nodejs
from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error
from galley.validate.java import java

ENV_VAR = "GALLEY_VNU_JAR"
NPM_JAR = Path("vnu-jar") / "build" / "dist" / "vnu.jar"


def vnu_jar() -> Path:
    """vnu.jar from $GALLEY_VNU_JAR, else from npm's `vnu-jar` among galley's tools."""
    candidate = Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else nodejs.modules() / NPM_JAR
    if not candidate.is_file():
        raise GalleyError(
            error(
                "tool.vnu-missing",
                f"the Nu HTML Checker (vnu.jar) is not at {candidate}",
                hint="run `galley tools install` once (it installs vnu-jar), or set "
                f"{ENV_VAR} to a vnu.jar",
            )
        )
    return candidate


class HtmlValidator:
    """Checks HTML pages and CSS with vnu.jar; all pages of a call share one JVM start."""

    def prepare(self) -> None:
        java()
        vnu_jar()

    def validate_many(self, pages: Mapping[Path, bytes]) -> dict[Path, list[Diagnostic]]:
        """Diagnostics for each page (keyed by the path it will be written to)."""
        results: dict[Path, list[Diagnostic]] = {path: [] for path in pages}
        if not pages:
            return results
        with tempfile.TemporaryDirectory() as scratch:
            by_file: dict[str, Path] = {}
            for index, (page, data) in enumerate(pages.items()):
                local = Path(scratch) / f"page{index}{page.suffix}"
                local.write_bytes(data)
                by_file[local.name] = page
            process = subprocess.run(
                [
                    java(),
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
            )
        try:
            report = json.loads(process.stderr or process.stdout)
        except json.JSONDecodeError:
            output = (process.stderr or process.stdout).strip()[:500]
            raise GalleyError(
                error("html.vnu", f"the Nu HTML Checker did not run: {output}")
            ) from None
        unplaced: list[Diagnostic] = []
        for message in report.get("messages", []):
            target = by_file.get(Path(urlparse(message.get("url", "")).path).name)
            kind, subtype = message.get("type"), message.get("subType")
            if kind == "info" and subtype != "warning":
                continue
            severity = Severity.WARNING if kind == "info" else Severity.ERROR
            line = message.get("lastLine") or None
            span = Span(target, line, message.get("firstColumn")) if target else None
            found = Diagnostic(severity, "html.nu", message.get("message", ""), span)
            if target is None:
                unplaced.append(found)
            else:
                results[target].append(found)
        if unplaced:  # a message about no file given (the checker itself failing, say)
            raise GalleyError(unplaced)
        return results
