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
from pathlib import Path, PurePosixPath

from lxml import etree

from galley import schemas
from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error
from galley.formats import FORMATS, resolve
from galley.render import Output
from galley.validate import secure_parser
from galley.validate.crossref import CrossrefValidator
from galley.validate.jats import JatsValidator, entity_problems, rule_problems
from galley.validate.jats4r import Jats4rValidator
from galley.validate.pdf import PdfValidator
from galley.validate.suite import Validators
from galley.zipfiles import bomb

TAG_SETS = {
    "Journal Publishing": "publishing",
    "Journal Archiving": "archiving",
    "Archiving and Interchange": "archiving",
    "Article Authoring": "authoring",
}


def note(message: str, path: Path) -> Diagnostic:
    return Diagnostic(Severity.INFO, Code.VALIDATE_NOTE, message, Span(path))


def is_epub(data: bytes) -> bool:
    """A zip whose first member says it is an EPUB (an unsafe zip is `too_large`'s)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("mimetype") as mimetype:
            return bool(mimetype.read(64) == b"application/epub+zip")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        return False


def is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF")


def _head(data: bytes) -> str:
    return data[:2048].decode("utf-8", "replace").lower()


def is_html(data: bytes) -> bool:
    head = _head(data)
    return "<!doctype html" in head or "<html" in head


def is_crossref(data: bytes) -> bool:
    return "<doi_batch" in _head(data)


def is_jats(data: bytes) -> bool:
    return bool(re.search(r"<article[\s>]", _head(data))) and not is_html(data)


def kind_of(data: bytes) -> str | None:
    """The format of a file, from its content (never its name): the first whose sniffer
    knows it, or None."""
    for kind, row in FORMATS.items():
        if row.sniff is not None and resolve(row.sniff)(data):
            return kind
    return None


def too_large(data: bytes) -> str | None:
    """Why a zip is not unpacked (a zip bomb), or None."""
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return bomb(archive)
    except (zipfile.BadZipFile, OSError, EOFError):
        return None


def validate_files(paths: Sequence[Path], schema_dir: Path | None) -> list[Diagnostic]:
    """Each file checked as its format's row says: a reader of foreign files when it has
    one (another version's schema), else the validators the build runs."""
    found: list[Diagnostic] = []
    batches: dict[str, dict[Path, Output]] = {}
    for path in paths:
        if not path.is_file():
            found.append(error(Code.VALIDATE_MISSING, f"{path} does not exist", Span(path)))
            continue
        data = path.read_bytes()
        why = too_large(data)
        if why:
            found.append(
                error(
                    Code.VALIDATE_TOO_LARGE,
                    f"{path.name} is not unpacked: {why}",
                    Span(path),
                    "an EPUB of that size is not a book; check where the file came from",
                )
            )
            continue
        kind = kind_of(data)
        if kind is None:
            known = [row.name for row in FORMATS.values() if row.sniff]
            found.append(
                error(
                    Code.VALIDATE_UNKNOWN_KIND,
                    f"{path.name} is not {', '.join(known[:-1])} or {known[-1]}",
                    Span(path),
                )
            )
            continue
        row = FORMATS[kind]
        if row.foreign is not None:
            found += resolve(row.foreign)(data, path, schema_dir)
        else:
            output = Output(PurePosixPath(path.name), data, kind, row.media_type)
            batches.setdefault(kind, {})[path] = output
    suite = Validators(schema_dir)
    for kind, files in batches.items():
        for check in FORMATS[kind].checks:
            checker = suite.checker(check)
            checker.prepare()
            for problems in checker.check(files).values():
                found += problems
    return found


def foreign_pdf(data: bytes, path: Path, schema_dir: Path | None) -> list[Diagnostic]:
    return [
        note(
            "PDF: checked against galley's print claims (PDF/A-3b, tags, embedded fonts, metadata)",
            path,
        ),
        *PdfValidator().validate(data, path),
    ]


def foreign_jats(data: bytes, path: Path, schema_dir: Path | None) -> list[Diagnostic]:
    try:
        document = etree.fromstring(data, secure_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        return [error(Code.JATS_XML, f"not well-formed XML: {exc.msg}", Span(path, exc.lineno))]
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


def foreign_crossref(data: bytes, path: Path, schema_dir: Path | None) -> list[Diagnostic]:
    try:
        root = etree.fromstring(data, secure_parser())
    except etree.XMLSyntaxError as exc:
        return [error(Code.CROSSREF_XML, f"not well-formed XML: {exc.msg}", Span(path, exc.lineno))]
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
