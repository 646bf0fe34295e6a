"""The fonts galley ships (SIL Open Font License): the print face, EB Garamond, as one font
file per weight and style, and the screen's math face, STIX Two Math.

galley ships the face (galley/fonts/, from npm's @fontsource/eb-garamond) cut into script
subsets (latin, latin-ext, greek, cyrillic, vietnamese) meant for browsers, which pick a subset
by `unicode-range`.
WeasyPrint does not: it takes glyphs of one subset from another file, so "ā", "ł" or "†"
print as unrelated glyphs. galley merges the subsets of each weight and style into one
TrueType font with fontTools, once, into the user cache (keyed by the subsets' contents),
and the print stylesheet uses those.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
from pathlib import Path

from galley.codes import Code
from galley.diagnostics import GalleyError, error
from galley.files import write_atomic

FONTS_ENV = "GALLEY_FONTS"
PACKAGED = Path(__file__).resolve().parent / "fonts"
FAMILY = "eb-garamond"
SUBSETS = ("latin", "latin-ext", "greek", "greek-ext", "cyrillic", "cyrillic-ext", "vietnamese")
FACES = ((400, "normal"), (400, "italic"), (600, "normal"), (600, "italic"))
# Chromium draws MathML with the system's fonts: without a math font a radical loses its bar
# and primes float away. The web page and the e-book carry this one (npm's
# @fontsource/stix-two-math: the whole face, with its OpenType MATH table).
MATH_FONT = "stix-two-math-400-normal.woff2"


def source_dir() -> Path:
    """Where the subsets are: $GALLEY_FONTS, else the ones galley ships."""
    return Path(os.environ[FONTS_ENV]) if os.environ.get(FONTS_ENV) else PACKAGED


def subset_files(weight: int, style: str) -> list[Path]:
    """The subsets of one face present in the source folder, latin first."""
    folder = source_dir()
    return [
        folder / f"{FAMILY}-{subset}-{weight}-{style}.woff2"
        for subset in SUBSETS
        if (folder / f"{FAMILY}-{subset}-{weight}-{style}.woff2").is_file()
    ]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "galley" / "fonts"


def math_font() -> bytes:
    """STIX Two Math as the web page and the e-book link it."""
    try:
        return (PACKAGED / MATH_FONT).read_bytes()
    except OSError:
        raise GalleyError(
            error(
                Code.TOOL_FONTS_MISSING,
                f"the math font is not in {PACKAGED} ({MATH_FONT} is missing)",
                hint="reinstall galley (it ships the font)",
            )
        ) from None


@functools.cache
def print_fonts() -> dict[tuple[int, str], Path]:
    """One merged font file per (weight, style), made once and cached."""
    found: dict[tuple[int, str], Path] = {}
    for weight, style in FACES:
        files = subset_files(weight, style)
        if not files or files[0].name != f"{FAMILY}-latin-{weight}-{style}.woff2":
            raise GalleyError(
                error(
                    Code.TOOL_FONTS_MISSING,
                    f"the print font is not in {source_dir()} "
                    f"({FAMILY}-latin-{weight}-{style}.woff2 is missing)",
                    hint="reinstall galley (it ships the font), or set GALLEY_FONTS to a "
                    "folder of @fontsource/eb-garamond's woff2 files",
                )
            )
        digest = hashlib.sha256()
        for file in files:
            digest.update(file.name.encode() + file.read_bytes())
        target = cache_dir() / digest.hexdigest()[:16] / f"{FAMILY}-{weight}-{style}.ttf"
        if not target.is_file():
            write_atomic(target, _merge(files))
        found[(weight, style)] = target
    return found


def _merge(files: list[Path]) -> bytes:
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    sources = []
    for file in files:
        font = TTFont(str(file))
        font.flavor = None  # WOFF2 to plain TrueType, which the merger reads
        buffer = io.BytesIO()
        font.save(buffer)
        buffer.seek(0)
        sources.append(buffer)
    merged = Merger().merge(sources)
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()
