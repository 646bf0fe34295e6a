"""PDF: what galley claims of its print edition, checked on the bytes with pypdf.

The claims: PDF/A-3b identification in XMP, every font embedded, a tagged structure
(MarkInfo and StructTreeRoot), a document language and title, and the article's DOI in XMP.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from galley.codes import Code
from galley.diagnostics import Diagnostic, Span, error

if TYPE_CHECKING:
    from galley.render import Output

PRISM = "http://prismstandard.org/namespaces/basic/2.0/"


class PdfValidator:
    """Reads a PDF with pypdf and reports each broken claim."""

    def __init__(self, schema_dir: Path | None = None) -> None:
        """Its tools come with galley's packages, not through the schema setting."""

    def prepare(self) -> None:
        """pypdf is a dependency: nothing to find."""

    def check(self, files: Mapping[Path, Output]) -> dict[Path, list[Diagnostic]]:
        return {path: self.validate(o.data, path, expected_doi=o.doi) for path, o in files.items()}

    def validate(
        self,
        data: bytes,
        path: Path,
        expected_doi: str | None = None,
        part: str = "3",
        conformance: str = "B",
    ) -> list[Diagnostic]:
        import pypdf
        from pypdf.errors import PdfReadError

        where = Span(path)
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
            root: Any = reader.trailer["/Root"]
        except (PdfReadError, KeyError, ValueError) as exc:
            return [error(Code.PDF_UNREADABLE, f"the PDF cannot be read: {exc}", where)]
        found = []
        try:
            metadata = reader.xmp_metadata
        except PdfReadError as exc:  # a damaged metadata stream: said, and the rest checked
            found.append(
                error(Code.PDF_XMP, f"the PDF's XMP metadata cannot be read: {exc}", where)
            )
            metadata = None
        if metadata is None and not found:
            found.append(error(Code.PDF_XMP, "the PDF has no XMP metadata", where))
        elif metadata is not None:
            xml = metadata.rdf_root.toxml()
            if f'pdfaid:part="{part}"' not in xml and f"<pdfaid:part>{part}<" not in xml:
                found.append(error(Code.PDF_PDFA, f"XMP does not identify PDF/A-{part}", where))
            if (
                f'pdfaid:conformance="{conformance}"' not in xml
                and f"<pdfaid:conformance>{conformance}<" not in xml
            ):
                found.append(
                    error(Code.PDF_PDFA, f"XMP does not give conformance {conformance}", where)
                )
            if expected_doi and f"<prism:doi>{expected_doi}</prism:doi>" not in xml:
                found.append(
                    error(Code.PDF_DOI, f"XMP does not carry the DOI {expected_doi}", where)
                )
        mark_info = root.get("/MarkInfo")
        if not (mark_info and mark_info.get_object().get("/Marked")):
            found.append(
                error(Code.PDF_TAGGED, "the PDF is not marked as tagged (MarkInfo)", where)
            )
        if "/StructTreeRoot" not in root:
            found.append(error(Code.PDF_TAGGED, "the PDF has no structure tree", where))
        if not root.get("/Lang"):
            found.append(error(Code.PDF_LANG, "the PDF declares no language (/Lang)", where))
        if not (reader.metadata and reader.metadata.title):
            found.append(error(Code.PDF_TITLE, "the PDF has no title", where))
        for name in sorted(unembedded_fonts(reader)):
            found.append(
                error(
                    Code.PDF_FONT_NOT_EMBEDDED,
                    f"font {name} is not embedded",
                    where,
                    "every font of an archival PDF must be embedded",
                )
            )
        return found


def unembedded_fonts(reader: Any) -> set[str]:
    """Names of the fonts used on any page without a font program in the file."""
    missing: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        if not fonts:
            continue
        for font in fonts.get_object().values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for descendant in font.get("/DescendantFonts") or []:
                descriptors.append(descendant.get_object().get("/FontDescriptor"))
            descriptors = [d.get_object() for d in descriptors if d is not None]
            if font.get("/Subtype") == "/Type3":
                continue
            if not any(
                any(key in d for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors
            ):
                missing.add(str(font.get("/BaseFont")))
    return missing
