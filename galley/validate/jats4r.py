"""JATS4R: the community's recommendations for reusable JATS, checked with its schematrons.

JATS4R publishes ISO Schematron (XSLT 2 query binding). galley compiles `jats4r.sch` once
with SchXslt on SaxonC-HE (`saxonche`), keeps the compiled stylesheet in the user cache
beside copies of the lookup files it reads (credit-roles.xml, lang.xml...), and applies it
to every JATS document: a failed assertion of role "error" is an error, of role "warning" a
warning, each at the element it concerns.

Where a rule fails only because the source does not hold the information it needs (no
licence was declared, a figure has no alternative text), inventing the value is not an
option: that error is reported as a warning naming the source field to fill in.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from galley import schemas
from galley.codes import Code, Family
from galley.diagnostics import Diagnostic, GalleyError, Severity, Span, error
from galley.files import write_atomic
from galley.validate import secure_parser

SVRL = "http://purl.oclc.org/dsdl/svrl"
XSL = "http://www.w3.org/1999/XSL/Transform"
XSD = "http://www.w3.org/2001/XMLSchema"
_STEP = re.compile(r"Q\{([^}]*)\}([\w.-]+)(\[\d+\])?")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(\[[^\]]*\])?\s*>")


@dataclass(frozen=True)
class Missing:
    """A JATS4R error that means the source lacks something, and what to write where."""

    pattern: re.Pattern[str]
    field: str


# Rules that need information only the editor can give: reported as warnings naming it.
SOURCE_LACKS = (
    Missing(
        re.compile(r"Missing top-level <permissions>|<permissions> .*(license|copyright)", re.I),
        "`license:` (and `copyright:`) in article.md, or a journal-wide `license:` in journal.yaml",
    ),
    Missing(
        re.compile(r"Text that describes the linked object", re.I),
        "a description of the link: write [what it is](https://...) rather than a bare address",
    ),
    Missing(
        re.compile(r"<graphic> .*alt-text|must have an <alt-text>|alt-text", re.I),
        'alternative text for the figure: {#fig-... fig-alt="..."} in article.md',
    ),
)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "galley" / "jats4r"


@functools.cache
def compiled(schema_dir: Path | None) -> Path:
    """jats4r.sch compiled to XSLT (once; cached on disk by the inputs' contents)."""
    schematron = schemas.locate(schemas.JATS4R, schema_dir)
    pipeline = schemas.locate(schemas.SCHXSLT, schema_dir)
    digest = hashlib.sha256()
    for folder in (schematron.parent, pipeline.parent):
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                digest.update(file.name.encode() + file.read_bytes())
    target = cache_dir() / digest.hexdigest()[:16]
    stylesheet = target / "jats4r.xsl"
    if stylesheet.is_file():
        return stylesheet
    processor = _processor()
    compiler = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(pipeline))
    compiler.set_parameter("phase", processor.make_string_value("#ALL"))
    xslt = compiler.transform_to_string(source_file=str(schematron))
    if not xslt:
        raise GalleyError(error(Code.JATS4R_COMPILE, f"SchXslt could not compile {schematron}"))
    for lookup in schematron.parent.glob("*.xml"):  # read relative to the stylesheet
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(lookup, target / lookup.name)
    write_atomic(stylesheet, _with_functions(xslt.encode("utf-8"), schematron))
    return stylesheet


def _with_functions(xslt: bytes, schematron: Path) -> bytes:
    """SchXslt leaves out the schema's own xsl:function elements (they use an `xsd:` prefix
    it does not declare): carry them into the compiled stylesheet."""
    source = etree.parse(str(schematron), secure_parser()).getroot()
    compiled_root = etree.fromstring(xslt, secure_parser())
    have = {f.get("name") for f in compiled_root.findall(f"{{{XSL}}}function")}
    nsmap = {**compiled_root.nsmap, "xsd": XSD}
    root = etree.Element(compiled_root.tag, dict(compiled_root.attrib), nsmap=nsmap)
    root.text = compiled_root.text
    root.extend(list(compiled_root))
    for function in source.findall(f"{{{XSL}}}function"):
        if function.get("name") not in have:
            root.append(function)
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return data


@functools.cache
def _processor_for(pid: int) -> Any:
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


def _processor() -> Any:
    """One SaxonC processor per process (a forked worker makes its own)."""
    return _processor_for(os.getpid())


@functools.cache
def _executable(stylesheet: Path, pid: int) -> Any:
    with _quiet_stderr():  # Saxon warns about the compiled stylesheet on stderr
        return (
            _processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(stylesheet))
        )


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    saved = os.dup(2)
    with open(os.devnull, "wb") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class Jats4rValidator:
    """Applies JATS4R's compiled schematrons to JATS bytes."""

    def __init__(self, schema_dir: Path | None = None) -> None:
        self.schema_dir = schema_dir

    def prepare(self) -> None:
        compiled(self.schema_dir)

    def validate(
        self, data: bytes, path: Path, document: etree._ElementTree | None = None
    ) -> list[Diagnostic]:
        """Every JATS4R error and warning for `data` (written to `path`)."""
        executable = _executable(compiled(self.schema_dir), os.getpid())
        if document is None:
            document = etree.fromstring(data, secure_parser()).getroottree()
        text = _DOCTYPE.sub(b"", data, count=1).decode("utf-8")  # no DTD is ever fetched
        text = _with_id_types(text, document)
        node = _processor().parse_xml(xml_text=text)
        # Recoverable rule errors (a rule that expects one id where JATS allows several in
        # @rid) go to stderr; the report still holds every other rule's result.
        with _quiet_stderr():
            report = executable.transform_to_string(xdm_node=node)
        return parse_report(report.encode("utf-8"), path, document)


def _with_id_types(text: str, document: etree._ElementTree) -> str:
    """The document with an internal DTD subset saying which attributes are IDs and IDREFs.

    JATS4R's rules use XPath's idref(), which needs attribute types that only a DTD gives;
    the JATS DTD is never fetched, so galley declares just these, generated from the
    document itself (no entity, nothing to fetch)."""
    root = document.getroot()
    with_id = sorted(
        {
            e.tag
            for e in root.iter(etree.Element)
            if e.get("id") and isinstance(e.tag, str) and not e.tag.startswith("{")
        }
    )
    with_rid = sorted(
        {
            e.tag
            for e in root.iter(etree.Element)
            if e.get("rid") and isinstance(e.tag, str) and not e.tag.startswith("{")
        }
    )
    lines = [f"<!ATTLIST {tag} id ID #IMPLIED>" for tag in with_id]
    lines += [f"<!ATTLIST {tag} rid IDREFS #IMPLIED>" for tag in with_rid]
    subset = f"<!DOCTYPE {root.tag} [\n" + "\n".join(lines) + "\n]>\n"
    declaration = re.match(r"\s*<\?xml[^>]*\?>\s*", text)
    head = declaration.group(0) if declaration else ""
    return head + subset + text[len(head) :]


def parse_report(svrl: bytes, path: Path, document: etree._ElementTree) -> list[Diagnostic]:
    """SVRL's failed assertions and successful reports, at the elements they name."""
    found: list[Diagnostic] = []
    pattern = "jats4r"
    for element in etree.fromstring(svrl, secure_parser()):
        if element.tag == f"{{{SVRL}}}active-pattern":
            pattern = element.get("id") or element.get("name") or "jats4r"
            continue
        if element.tag not in (f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
            continue
        text = " ".join("".join(element.itertext()).split())
        message = re.sub(r"\s*\(See https?://\S+\)\.?$", "", text)
        severity = Severity.ERROR if element.get("role") == "error" else Severity.WARNING
        hint = None
        if severity == Severity.ERROR:
            for lack in SOURCE_LACKS:
                if lack.pattern.search(text):
                    severity = Severity.WARNING
                    hint = f"the source does not say this; add {lack.field}"
                    break
        line = _line(document, element.get("location") or "")
        found.append(
            Diagnostic(severity, Family.JATS4R.code(pattern), message, Span(path, line), hint)
        )
    return found


def _line(document: etree._ElementTree, location: str) -> int | None:
    """The source line of the element an SVRL location (an XPath of EQNames) names."""
    steps = []
    for namespace, name, index in _STEP.findall(location):
        test = f"*[local-name()='{name}' and namespace-uri()='{namespace}']"
        steps.append(test + (index or ""))
    if not steps:
        return None
    try:
        found = document.xpath("/" + "/".join(steps))
    except etree.XPathError:
        return None
    return found[0].sourceline if found and hasattr(found[0], "sourceline") else None
