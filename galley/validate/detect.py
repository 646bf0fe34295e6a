"""`galley validate FILE...`: the same validators on files made elsewhere.

The kind of each file is read from its bytes (not its name), and for XML the standard and
version from the document itself: JATS version and tag set from @dtd-version and the DOCTYPE,
Crossref's schema version from the namespace. When galley has that schema it is used; when
not, the file gets galley's rule checks and a plain note that no schema was applied.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from galley import schemas
from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error
from galley.validate import secure_parser
from galley.validate.ace import AceValidator
from galley.validate.crossref import CrossrefValidator
from galley.validate.epub import EpubValidator
from galley.validate.html import HtmlValidator
from galley.validate.jats import JatsValidator, entity_problems, rule_problems
from galley.validate.jats4r import Jats4rValidator
from galley.validate.pdf import PdfValidator
from galley.zipfiles import bomb

TAG_SETS = {
    "Journal Publishing": "publishing",
    "Journal Archiving": "archiving",
    "Archiving and Interchange": "archiving",
    "Article Authoring": "authoring",
}


def note(message: str, path: Path) -> Diagnostic:
    return Diagnostic(Severity.INFO, "validate.note", message, Span(path))


def kind_of(data: bytes, path: Path) -> str:
    """epub, pdf, html, jats, crossref, unknown, or too-large (a zip bomb), from the content."""
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if bomb(archive):
                    return "too-large"
                with archive.open("mimetype") as mimetype:
                    if mimetype.read(64) == b"application/epub+zip":
                        return "epub"
        except (KeyError, zipfile.BadZipFile, OSError, EOFError):
            return "unknown"
    if data.startswith(b"%PDF"):
        return "pdf"
    head = data[:2048].decode("utf-8", "replace").lower()
    if "<!doctype html" in head or "<html" in head:
        return "html"
    if "<doi_batch" in head:
        return "crossref"
    if re.search(r"<article[\s>]", head):
        return "jats"
    return "unknown"


def validate_files(paths: Sequence[Path], schema_dir: Path | None) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    pages: dict[Path, bytes] = {}
    for path in paths:
        if not path.is_file():
            found.append(error("validate.missing", f"{path} does not exist", Span(path)))
            continue
        data = path.read_bytes()
        kind = kind_of(data, path)
        if kind == "html":
            pages[path] = data
        elif kind == "epub":  # as the build checks a book: EPUBCheck, then Ace by DAISY
            found += EpubValidator().validate(data, path)
            ace = AceValidator()
            ace.prepare()
            found += ace.validate_many({path: data})[path]
        elif kind == "pdf":
            found.append(
                note(
                    "PDF: checked against galley's print claims (PDF/A-3b, tags, "
                    "embedded fonts, metadata)",
                    path,
                )
            )
            found += PdfValidator().validate(data, path)
        elif kind == "jats":
            found += _jats(data, path, schema_dir)
        elif kind == "crossref":
            found += _crossref(data, path, schema_dir)
        elif kind == "too-large":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                why = bomb(archive)
            found.append(
                error(
                    "validate.too-large",
                    f"{path.name} is not unpacked: {why}",
                    Span(path),
                    "an EPUB of that size is not a book; check where the file came from",
                )
            )
        else:
            found.append(
                error(
                    "validate.unknown-kind",
                    f"{path.name} is not JATS, Crossref, EPUB, HTML or PDF",
                    Span(path),
                )
            )
    if pages:
        for problems in HtmlValidator().validate_many(pages).values():
            found += problems
    return found


def _jats(data: bytes, path: Path, schema_dir: Path | None) -> list[Diagnostic]:
    try:
        document = etree.fromstring(data, secure_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        return [error("jats.xml", f"not well-formed XML: {exc.msg}", Span(path, exc.lineno))]
    version = document.getroot().get("dtd-version") or "unknown"
    public_id = document.docinfo.public_id or ""
    tag_set = next((name for key, name in TAG_SETS.items() if key in public_id), None)
    if tag_set is None:
        tag_set = "publishing"  # no DOCTYPE: JATS' most common tag set, said so below
        assumed = " (no DOCTYPE: assumed Journal Publishing)"
    else:
        assumed = ""
    if version == "1.3" and tag_set == "publishing":
        try:
            validator = JatsValidator(schema_dir)
            _ = validator.schema
        except GalleyError as exc:
            return [*exc.diagnostics, *rule_problems(document, path)]
        return [
            note(
                f"JATS {version} Journal Publishing{assumed}: official XSD and galley's rules", path
            ),
            *validator.validate(data, path),
        ]
    problems = entity_problems(document, path)
    if not problems:
        problems = rule_problems(document, path)
        try:  # JATS4R's recommendations hold for every version of JATS
            problems += Jats4rValidator(schema_dir).validate(data, path, document)
        except GalleyError as exc:
            problems += exc.diagnostics
    return [
        note(
            f"JATS {version} ({tag_set}){assumed}: galley has no schema for it; galley's "
            "rules and JATS4R's were checked",
            path,
        ),
        *problems,
    ]


def _crossref(data: bytes, path: Path, schema_dir: Path | None) -> list[Diagnostic]:
    try:
        root = etree.fromstring(data, secure_parser())
    except etree.XMLSyntaxError as exc:
        return [error("crossref.xml", f"not well-formed XML: {exc.msg}", Span(path, exc.lineno))]
    match = re.search(r"/schema/(\d+\.\d+\.\d+)$", etree.QName(root).namespace or "")
    version = match.group(1) if match else "unknown"
    bundle = schemas.CROSSREF_5_3_1
    entry = f"crossref{version}.xsd"
    try:
        folder = schemas.locate(bundle, schema_dir).parent
    except GalleyError as exc:
        return list(exc.diagnostics)
    if not (folder / entry).is_file():
        return [note(f"Crossref schema {version}: galley has no schema for it", path)]
    validator = CrossrefValidator(schema_dir)
    validator.entry = folder / entry
    return [note(f"Crossref deposit, schema {version}", path), *validator.validate(data, path)]
