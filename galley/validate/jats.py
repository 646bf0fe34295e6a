"""JATS 1.3 Journal Publishing: the official XSD, plus the rules an XSD cannot express."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from galley import schemas
from galley.codes import Code
from galley.diagnostics import Diagnostic, Span, error
from galley.identifiers import is_doi, issn_problem
from galley.validate import secure_parser
from galley.validate.jats4r import Jats4rValidator

if TYPE_CHECKING:
    from galley.render import Output

XLINK = "http://www.w3.org/1999/xlink"

# Elements that mean nothing when empty; the XSD allows them empty, deposit targets do not.
MUST_HAVE_TEXT = (
    "journal-id",
    "journal-title",
    "issn",
    "publisher-name",
    "article-id",
    "article-title",
    "subject",
    "surname",
    "given-names",
    "collab",
    "institution",
    "role",
    "year",
    "volume",
    "issue",
    "issue-title",
    "fpage",
    "lpage",
    "kwd",
    "source",
    "pub-id",
    "email",
    "contrib-id",
    "license-p",
    "copyright-statement",
)


_LOADING: dict[Path, Future[etree.XMLSchema]] = {}
_LOCK = threading.Lock()


def load_soon(path: Path) -> Future[etree.XMLSchema]:
    """Start parsing an XSD in a thread of its own, once per run and per schema file.

    Parsing the JATS or the Crossref XSD costs over a second and libxml2 does it without the
    GIL, so both load side by side while the articles are read and laid out."""
    with _LOCK:
        future = _LOADING.get(path)
        if future is None:
            future = _LOADING[path] = Future()
            threading.Thread(target=_load, args=(path, future), daemon=True).start()
        return future


def _load(path: Path, future: Future[etree.XMLSchema]) -> None:
    try:
        future.set_result(etree.XMLSchema(etree.parse(str(path), secure_parser())))
    except BaseException as exc:  # handed to whoever asks for the schema
        future.set_exception(exc)


def _schema(path: Path) -> etree.XMLSchema:
    return load_soon(path).result()


class JatsValidator:
    """Checks one JATS document against the schema found through the schema setting."""

    def __init__(self, schema_dir: Path | None = None) -> None:
        self.schema_dir = schema_dir
        self.jats4r = Jats4rValidator(schema_dir)

    def prepare(self) -> None:
        """Find the XSD now (a missing one is an error at once) and start parsing it."""
        load_soon(schemas.locate(schemas.JATS_PUBLISHING_1_3, self.schema_dir))
        self.jats4r.prepare()

    def check(self, files: Mapping[Path, Output]) -> dict[Path, list[Diagnostic]]:
        return {path: self.validate(o.data, path, o.doi) for path, o in files.items()}

    @property
    def schema(self) -> etree.XMLSchema:
        return _schema(schemas.locate(schemas.JATS_PUBLISHING_1_3, self.schema_dir))

    def validate(
        self, data: bytes, path: Path, expected_doi: str | None = None
    ) -> list[Diagnostic]:
        """Every problem in `data` (a file that would be written to `path`)."""
        try:
            document = etree.fromstring(data, secure_parser()).getroottree()
        except etree.XMLSyntaxError as exc:
            return [
                error(
                    Code.JATS_XML,
                    f"not well-formed XML: {exc.msg}",
                    Span(path, exc.lineno, exc.offset),
                )
            ]
        found = entity_problems(document, path)
        if found:
            return found  # the schema cannot judge a document whose text hides in entities
        schema = self.schema
        if not schema.validate(document):
            for entry in schema.error_log:
                found.append(
                    error(
                        Code.JATS_XSD,
                        f"{entry.message}",
                        Span(path, entry.line),
                        "the JATS 1.3 schema does not allow this here",
                    )
                )
        found.extend(rule_problems(document, path, expected_doi))
        found.extend(self.jats4r.validate(data, path, document))
        return found


def entity_problems(document: etree._ElementTree, path: Path) -> list[Diagnostic]:
    """Entity declarations and references: never expanded, so reported instead."""
    found = []
    dtd = document.docinfo.internalDTD
    if dtd is not None:
        for entity in dtd.iterentities():
            found.append(
                error(
                    Code.XML_ENTITY,
                    f"the document declares the entity '{entity.name}'",
                    Span(path, 1),
                    "write the characters themselves (UTF-8); entities are not expanded",
                )
            )
    for reference in document.getroot().iter(etree.Entity):
        found.append(
            error(
                Code.XML_ENTITY,
                f"entity reference {reference.text} is not expanded",
                Span(path, reference.sourceline),
                "write the character itself",
            )
        )
    return found


def rule_problems(
    document: etree._ElementTree, path: Path, expected_doi: str | None = None
) -> list[Diagnostic]:
    """The checks beyond the XSD: empty elements, ISSNs, DOI, page order, xref targets."""
    found: list[Diagnostic] = []
    root = document.getroot()

    def where(element: etree._Element) -> Span:
        return Span(path, element.sourceline)

    for name in MUST_HAVE_TEXT:
        for element in root.iter(name):
            if not "".join(element.itertext()).strip():
                found.append(
                    error(
                        Code.JATS_EMPTY,
                        f"<{name}> is empty",
                        where(element),
                        f"fill in <{name}> or leave the element out",
                    )
                )
    for element in root.iter("issn"):
        problem = issn_problem((element.text or "").strip())
        if problem:
            found.append(error(Code.JATS_ISSN, f"<issn>: {problem}", where(element)))

    meta = root.find("front/article-meta")
    if meta is None:
        found.append(error(Code.JATS_ARTICLE_META, "<article-meta> is missing", Span(path, 1)))
        return found
    dois = meta.findall("article-id[@pub-id-type='doi']")
    if not dois:
        found.append(
            error(
                Code.JATS_DOI_MISSING,
                '<article-meta> has no <article-id pub-id-type="doi">',
                where(meta),
            )
        )
    for element in dois:
        value = (element.text or "").strip()
        if value and not is_doi(value):
            found.append(
                error(
                    Code.JATS_DOI_SYNTAX,
                    f"<article-id pub-id-type=\"doi\">: '{value}' is not a DOI",
                    where(element),
                )
            )
        if expected_doi is not None and value.lower() != expected_doi.lower():
            found.append(
                error(
                    Code.JATS_DOI_MISMATCH,
                    f'<article-id pub-id-type="doi"> is '
                    f"'{value}', but the source's DOI is '{expected_doi}'",
                    where(element),
                )
            )
    fpage, lpage = meta.find("fpage"), meta.find("lpage")
    if fpage is not None and lpage is not None:
        first, last = (fpage.text or "").strip(), (lpage.text or "").strip()
        if first.isdigit() and last.isdigit() and int(first) > int(last):
            found.append(
                error(
                    Code.JATS_PAGE_ORDER, f"<fpage> {first} is after <lpage> {last}", where(fpage)
                )
            )

    ids = {element.get("id") for element in root.iter(etree.Element) if element.get("id")}
    for element in root.iter("xref"):
        for rid in (element.get("rid") or "").split():
            if rid not in ids:
                found.append(
                    error(
                        Code.JATS_XREF_TARGET,
                        f'<xref rid="{rid}"> points to no element with that id',
                        where(element),
                        "fix the reference or add the target's id",
                    )
                )
    return found
