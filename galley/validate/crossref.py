"""Crossref deposit files: the Crossref 5.3.1 schema (found through the schema setting)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from galley import schemas
from galley.codes import Code
from galley.diagnostics import Diagnostic, Span, error
from galley.validate import secure_parser
from galley.validate.jats import _schema, entity_problems, load_soon

if TYPE_CHECKING:
    from galley.render import Output


class CrossrefValidator:
    def __init__(self, schema_dir: Path | None = None) -> None:
        self.schema_dir = schema_dir
        self.entry: Path | None = None  # another version's XSD from the same bundle

    def prepare(self) -> None:
        """Find the XSD now (a missing one is an error at once) and start parsing it."""
        load_soon(self.entry or schemas.locate(schemas.CROSSREF_5_3_1, self.schema_dir))

    def check(self, files: Mapping[Path, Output]) -> dict[Path, list[Diagnostic]]:
        return {path: self.validate(output.data, path) for path, output in files.items()}

    @property
    def schema(self) -> etree.XMLSchema:
        return _schema(self.entry or schemas.locate(schemas.CROSSREF_5_3_1, self.schema_dir))

    def validate(self, data: bytes, path: Path) -> list[Diagnostic]:
        try:
            document = etree.fromstring(data, secure_parser()).getroottree()
        except etree.XMLSyntaxError as exc:
            return [
                error(
                    Code.CROSSREF_XML,
                    f"not well-formed XML: {exc.msg}",
                    Span(path, exc.lineno, exc.offset),
                )
            ]
        found = entity_problems(document, path)
        if found:
            return found
        schema = self.schema
        if not schema.validate(document):
            for entry in schema.error_log:
                found.append(
                    error(
                        Code.CROSSREF_XSD,
                        entry.message,
                        Span(path, entry.line),
                        "the Crossref 5.3.1 schema does not allow this here",
                    )
                )
        return found
