"""Where the third-party schemas are: a setting, never a copy inside the project.

Lookup order: `--schemas DIR`, then the environment variable GALLEY_SCHEMAS, then the
per-user cache (`$XDG_CACHE_HOME/galley/schemas`, filled by `galley schemas fetch`
from the publishers' sites). Each holds one folder per schema bundle.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, error

ENV_VAR = "GALLEY_SCHEMAS"


@dataclass(frozen=True)
class Bundle:
    """A schema bundle: its folder name, entry point, and where the publisher offers it."""

    name: str
    entry: str
    url: str
    description: str
    prefer: str = ""  # in the archive, the entry in a path holding this (SchXslt: 2.0)


JATS_PUBLISHING_1_3 = Bundle(
    "jats-1.3-publishing",
    "JATS-journalpublishing1-3-mathml3.xsd",
    "https://jats.nlm.nih.gov/publishing/1.3/JATS-Publishing-1-3-MathML3-XSD.zip",
    "JATS 1.3 Journal Publishing tag set, XSD with MathML 3 (NISO Z39.96-2021)",
)
CROSSREF_5_3_1 = Bundle(
    "crossref-5.3.1",
    "crossref5.3.1.xsd",
    "https://gitlab.com/crossref/schema/-/archive/0.3.1/schema-0.3.1.zip?path=schemas",
    "Crossref metadata deposit schema 5.3.1",
)
JATS4R = Bundle(
    "jats4r",
    "jats4r.sch",
    "https://github.com/JATS4R/jats-schematrons/archive/"
    "80d168796e253ffb5a40de835da1a24354eddb36.zip",
    "JATS4R's schematrons (recommendations for reusable JATS)",
)
SCHXSLT = Bundle(
    "schxslt",
    "pipeline-for-svrl.xsl",
    "https://github.com/schxslt/schxslt/archive/84ee9dd8b8cafd4b966869b9a8b33acdf8dbad45.zip",
    "SchXslt, the Schematron compiler for XSLT 2.0",
    prefer="2.0",
)
BUNDLES = (JATS_PUBLISHING_1_3, CROSSREF_5_3_1, JATS4R, SCHXSLT)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "galley" / "schemas"


def search_path(explicit: Path | None = None) -> list[Path]:
    """The folders searched for schema bundles, in order."""
    folders = []
    if explicit is not None:
        folders.append(explicit)
    if os.environ.get(ENV_VAR):
        folders.append(Path(os.environ[ENV_VAR]))
    folders.append(cache_dir())
    return folders


def locate(bundle: Bundle, explicit: Path | None = None) -> Path:
    """The entry-point XSD of `bundle`, or an error that says how to provide it."""
    for folder in search_path(explicit):
        candidate = folder / bundle.name / bundle.entry
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(folder) for folder in search_path(explicit))
    raise GalleyError(
        error(
            Code.SCHEMA_MISSING,
            f"the {bundle.description} is not available (looked in {looked})",
            hint=f"set {ENV_VAR} to a folder holding {bundle.name}/{bundle.entry}, or run "
            "`galley tools install` once while online (it fetches every schema set)",
        )
    )


def require(explicit: Path | None = None) -> None:
    """Every schema set a build needs, or one error naming each that is missing (a newcomer
    learns of all four at once, not one per attempt)."""
    missing: list[Diagnostic] = []
    for bundle in BUNDLES:
        try:
            locate(bundle, explicit)
        except GalleyError as exc:
            missing.extend(exc.diagnostics)
    if missing:
        raise GalleyError(missing)


def fetch(bundle: Bundle, target: Path | None = None, url: str | None = None) -> Path:
    """Download `bundle` from its publisher into the cache (or `target`); returns its entry XSD.

    The archive is unpacked into a temporary folder and moved into place only when its
    entry point is found, so an interrupted download never leaves a half-filled cache.
    """
    destination = (target or cache_dir()) / bundle.name
    request = urllib.request.Request(url or bundle.url, headers={"User-Agent": "galley"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            payload = response.read()
    except OSError as exc:
        raise GalleyError(
            error(
                Code.SCHEMA_FETCH,
                f"could not download {bundle.name}: {exc}",
                hint=f"check the network, or set {ENV_VAR} to a local copy",
            )
        ) from None
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent) as scratch:
        try:
            archive = zipfile.ZipFile(io.BytesIO(payload))
        except zipfile.BadZipFile:
            raise GalleyError(
                error(Code.SCHEMA_FETCH, f"{bundle.name}: the download is not a zip archive")
            ) from None
        root = Path(scratch).resolve()
        for member in archive.infolist():
            path = (root / member.filename).resolve()
            if root not in path.parents and path != root:
                raise GalleyError(
                    error(
                        Code.SCHEMA_FETCH,
                        f"{bundle.name}: unsafe path {member.filename} in archive",
                    )
                )
        archive.extractall(root)
        entries = sorted(
            root.rglob(bundle.entry), key=lambda p: (bundle.prefer not in str(p), str(p))
        )
        if not entries:
            raise GalleyError(
                error(
                    Code.SCHEMA_FETCH,
                    f"{bundle.name}: {bundle.entry} is not in the downloaded archive",
                )
            )
        staged = root / "staged"
        shutil.move(str(entries[0].parent), staged)
        if destination.exists():
            shutil.rmtree(destination)
        staged.rename(destination)
    return destination / bundle.entry
