"""Bounds on every external process galley runs, in one place: time and memory.

Source is untrusted: a line of nested brackets makes pandoc's reader take exponential time, a
few thousand nested spans take gigabytes. No process galley starts may run unbounded, and
reaching a bound is a message that names the source, never a hung build or "a bug in galley".
"""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

# pandoc (Haskell): its heap bounded by its runtime system; time by galley.
PANDOC_MEMORY = "3g"
PANDOC_SECONDS = 120.0
# citeproc's time grows with the references; a journal's longest lists run in seconds.
PANDOC_SECONDS_PER_REFERENCE = 0.05
# Java (EPUBCheck, Nu) and Node (Ace, MathJax): their heaps.
JAVA_MEMORY = "-Xmx2g"
NODE_MEMORY = "--max-old-space-size=2048"
# One answer of a helper (EPUBCheck on one book, Ace on one book, MathJax on one formula
# set); a helper that does not answer in time is stopped.
HELPER_SECONDS = 600.0
# How long the browser Ace runs in may take to start (Ace's own default, 5 s, is too short
# on a busy machine).
BROWSER_START_SECONDS = 60.0
# How deep block quotes, lists and divs may nest: far more than any article needs, far less
# than what would exhaust the stack of the tools that walk the document.
MAX_NESTING = 24
# The deepest nesting of brackets pandoc's Markdown reader is given: each further level
# multiplies its time by about three (7 levels 0.6 s, 9 levels 7 s, 12 levels 143 s).
BRACKET_DEPTH = 6
# A bibliography this long takes citeproc long enough (APA: minutes) to be announced.
LONG_BIBLIOGRAPHY = 2000
# Pixels galley decodes in one image (a 48 KB PNG can decode to 20000 x 20000 = 1.6 GB).
IMAGE_PIXELS = 60_000_000


def pandoc_seconds(references: int = 0) -> float:
    """How long one pandoc run may take, for an article with this many references."""
    return float(os.environ.get("GALLEY_PANDOC_SECONDS", 0)) or (
        PANDOC_SECONDS + PANDOC_SECONDS_PER_REFERENCE * references
    )


def pandoc_options() -> list[str]:
    """pandoc's runtime options that bound its heap (pandoc is built with -rtsopts)."""
    return ["+RTS", f"-M{PANDOC_MEMORY}", "-RTS"]


@dataclass(frozen=True)
class Nesting:
    """Brackets nested deeper than pandoc may be given: where (1-based line) and how deep."""

    line: int
    depth: int


_VERBATIM = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)|\$\$(?:.|\n)*?\$\$|\$[^$\n]+\$|\\.")


def deep_brackets(text: str, limit: int = BRACKET_DEPTH) -> Iterator[Nesting]:
    """Each paragraph whose square brackets nest deeper than `limit` (code, math and
    escaped characters aside): pandoc tries every bracket as a link, span or citation."""
    plain = _VERBATIM.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    depth, told = 0, False
    for number, line in enumerate(plain.split("\n"), 1):
        if not line.strip():
            depth, told = 0, False  # a blank line: a new paragraph
        for char in line:
            if char == "[":
                depth += 1
                if depth > limit and not told:
                    told = True
                    yield Nesting(number, depth)
            elif char == "]" and depth:
                depth -= 1


def within(seconds: float, call: Callable[[], T]) -> T:
    """`call()`, or TimeoutError once `seconds` have passed: a server trickling its answer a
    byte at a time never times out a read, so the whole request is bounded here."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"no whole answer within {seconds:.0f} s")
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


def decoded_pixels(data: bytes) -> int:
    """How many pixels a raster image decodes to, read from its header alone (a 48 KB PNG
    can declare 20000 x 20000); 0 when its header cannot be read (the renderers say so)."""
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's own bomb warning: said here instead
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except Image.DecompressionBombError as exc:  # "Image size (400000000 pixels) exceeds"
        said = re.search(r"\((\d+) pixels\)", str(exc))
        return int(said.group(1)) if said else IMAGE_PIXELS + 1
    except (OSError, ValueError, SyntaxError):
        return 0
    return int(width) * int(height)
