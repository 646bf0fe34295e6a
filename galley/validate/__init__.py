"""Validators: one module per standard; each sees only bytes and returns diagnostics.

A validator never knows how a file was made, so the same code checks galley's own outputs
and files received from elsewhere (`galley validate FILE`). Which validator checks which
format is declared in `galley.formats.FORMATS`; each follows `Checker`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lxml import etree

if TYPE_CHECKING:
    from galley.diagnostics import Diagnostic
    from galley.render import Output


class Checker(Protocol):
    """A validator as the suite sees it: made with the schema setting, set up once (a
    missing tool or schema fails early), then given batches of files keyed by the path
    each will be written to."""

    def __init__(self, schema_dir: Path | None = None) -> None: ...

    def prepare(self) -> None: ...

    def check(self, files: Mapping[Path, Output]) -> dict[Path, list[Diagnostic]]: ...


def secure_parser() -> etree.XMLParser:
    """No entity expansion, no DTD loading, no network: outputs and inputs are untrusted."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )
