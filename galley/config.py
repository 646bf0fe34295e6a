"""Run settings, gathered once from the command line and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from galley.codes import Code
from galley.diagnostics import GalleyError, error
from galley.layout import JOURNAL_FILE
from galley.templating import DEFAULT_TEMPLATES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# What makes a folder a journal project: its source folder holds the journal's metadata.
SOURCE_DIR, OUTPUT_DIR, TEMPLATES_DIR = "source", "output", "templates"


@dataclass(frozen=True)
class Settings:
    """Where to read, where to write, which templates and schemas to use."""

    source: Path = PROJECT_ROOT / "source"
    output: Path = PROJECT_ROOT / "output"
    templates: Path = DEFAULT_TEMPLATES
    schemas: Path | None = None
    select: tuple[Path, ...] = field(default_factory=tuple)
    strict: bool = False
    jobs: int = 0  # worker processes for the per-article jobs; 0: one per core
    scheduler: str | None = None  # a Dask scheduler's address: run the jobs there


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org), the only clock an output may show."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise GalleyError(
            error(
                Code.CONFIG_SOURCE_DATE_EPOCH,
                f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds",
                hint="unset it or use e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)",
            )
        )
    return int(value)


def find_project(start: Path) -> Path | None:
    """The journal project `start` is in: the nearest folder holding source/journal.yaml.

    Found the way MkDocs finds mkdocs.yml, so that `galley` works in the journal's folder or
    any folder below it (an issue, an article).
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / SOURCE_DIR / JOURNAL_FILE).is_file():
            return folder
    return None


def project_settings(
    start: Path,
    source: Path | None = None,
    output: Path | None = None,
    templates: Path | None = None,
) -> Settings:
    """Settings for the journal at or above `start`; an option given wins over the project.

    A --source given alone puts output/ and templates/ beside it, as in a project.
    """
    if source is not None:
        root = source.resolve().parent
    else:
        found = find_project(start)
        if found is None:
            raise GalleyError(
                error(
                    Code.PROJECT_NOT_FOUND,
                    f"no journal here: neither {start} nor a folder above it holds "
                    f"{SOURCE_DIR}/{JOURNAL_FILE}",
                    hint="run `galley init FOLDER` to start a journal, run galley inside a "
                    "journal's folder, or give --source",
                )
            )
        root, source = found, found / SOURCE_DIR
    return Settings(
        source=source,
        output=output if output is not None else root / OUTPUT_DIR,
        templates=templates if templates is not None else root / TEMPLATES_DIR,
    )
