"""The same DOI in every output: read back from each file, whatever made it."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import etree, html

from galley.codes import Code
from galley.diagnostics import Diagnostic, Span, error
from galley.formats import FORMATS, resolve
from galley.validate import secure_parser

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
CROSSREF = "{http://www.crossref.org/schema/5.3.1}"


def dois_in(kind: str, data: bytes) -> set[str]:
    """Every DOI a file declares for the article(s) it is about."""
    read = FORMATS[kind].doi
    if read is None:
        raise ValueError(f"no DOI read-back for output kind '{kind}' (declared in FORMATS?)")
    reader: Callable[[bytes], set[str]] = resolve(read)
    return reader(data)


def jats_dois(data: bytes) -> set[str]:
    root = etree.fromstring(data, secure_parser())
    return {
        (e.text or "").strip()
        for e in root.findall("front/article-meta/article-id[@pub-id-type='doi']")
    }


def html_dois(data: bytes) -> set[str]:
    page = html.fromstring(data)
    return {str(v) for v in page.xpath("//meta[@name='citation_doi']/@content")}


def epub_dois(data: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        opf = etree.fromstring(book.read("EPUB/package.opf"), secure_parser())
    identifiers = [(e.text or "") for e in opf.iter(f"{DC}identifier")]
    return {i.removeprefix("urn:doi:") for i in identifiers if i.startswith("urn:doi:")}


def pdf_dois(data: bytes) -> set[str]:
    import pypdf

    catalog: Any = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
    if "/Metadata" not in catalog:
        return set()
    xmp = catalog["/Metadata"].get_object().get_data().decode("utf-8")
    return set(re.findall(r"<prism:doi>([^<]+)</prism:doi>", xmp))


def crossref_dois(data: bytes) -> set[str]:
    return set(registered(data))


def registered(data: bytes) -> list[str]:
    """Each DOI a Crossref deposit registers (one `doi_data` each), repeats kept."""
    root = etree.fromstring(data, secure_parser())
    return [
        (e.text or "").strip()
        for e in root.iter(f"{CROSSREF}doi")
        if e.getparent() is not None and e.getparent().tag == f"{CROSSREF}doi_data"
    ]


def deposit_consistency(path: Path, data: bytes, dois: list[str]) -> list[Diagnostic]:
    """An error unless the deposit registers exactly these DOIs, each once: a DOI more would
    point a DOI galley does not own at a URL (text escaping its field, a template's slip)."""
    found = registered(data)
    extra = sorted(set(found) - set(dois)) + sorted({d for d in found if found.count(d) > 1})
    if not extra:
        return []
    return [
        error(
            Code.DOI_DEPOSIT,
            f"{path.name} registers {', '.join(extra)} beyond the issue's DOIs, each once",
            Span(path),
            "a template or renderer wrote a doi_data of its own; check the templates",
        )
    ]


def doi_consistency(doi: str, files: list[tuple[Path, str, bytes]]) -> list[Diagnostic]:
    """An error for each file (path, kind, bytes) that does not carry `doi`."""
    found = []
    for path, kind, data in files:
        if not FORMATS[kind].doi:
            continue
        declared = dois_in(kind, data)
        if doi not in declared:
            shown = ", ".join(sorted(declared)) or "no DOI"
            found.append(
                error(
                    Code.DOI_CONSISTENCY,
                    f"{path.name} carries {shown}, not the article's DOI {doi}",
                    Span(path),
                    "a template or renderer lost the DOI; check the templates",
                )
            )
    return found
