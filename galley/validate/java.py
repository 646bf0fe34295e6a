"""The Java runtime that EPUBCheck and the Nu HTML Checker need, found once or explained."""

from __future__ import annotations

import functools
import shutil

from galley.diagnostics import GalleyError, error


@functools.cache
def java() -> str:
    """Path of `java`, or an error that says how to install it."""
    path = shutil.which("java")
    if path is None:
        raise GalleyError(
            error(
                "tool.java-missing",
                "Java is not installed, and EPUBCheck and the Nu HTML Checker need it",
                hint="install a Java runtime (11 or newer): on Debian/Ubuntu "
                "`apt-get install default-jre-headless`, on macOS `brew install openjdk`",
            )
        )
    return path
