"""The Java runtime that EPUBCheck and the Nu HTML Checker need, found once or explained."""

from __future__ import annotations

import functools
import shutil

from galley import limits
from galley.codes import Code
from galley.diagnostics import GalleyError, error


@functools.cache
def java() -> str:
    """Path of `java`, or an error that says how to install it."""
    path = shutil.which("java")
    if path is None:
        raise GalleyError(
            error(
                Code.TOOL_JAVA_MISSING,
                "Java is not installed, and EPUBCheck and the Nu HTML Checker need it",
                hint="install a Java runtime (11 or newer): on Debian/Ubuntu "
                "`apt-get install default-jre-headless`, on macOS `brew install openjdk`",
            )
        )
    return path


# A checker's run is short and shares the cores with pandoc, WeasyPrint and Chromium: the
# client compiler alone and the serial collector halve the JVM's CPU time and shorten its
# wall time (measured here: EPUBCheck's first book 4.2 -> 2.8 s, 30 books 5.7 -> 3.7 s;
# Nu on an article's pages 1.2 -> 0.9 s). Nu's schema needs the larger stack under C1. The
# heap is bounded (galley/limits.py).
SHORT_RUN = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m", limits.JAVA_MEMORY)
