"""Run settings, gathered once from the command line and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from galley.diagnostics import GalleyError, error
from galley.templating import DEFAULT_TEMPLATES

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
                "config.source-date-epoch",
                f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds",
                hint="unset it or use e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)",
            )
        )
    return int(value)
