"""Deposit packages, made from outputs the build has already validated (never re-rendered).

- MECA (NISO RP-30-2020) zip per article: manifest.xml listing every item with its media
  type and role, the JATS, PDF, EPUB and figures, and checksums.sha256 (SHA-256 of each item);
- a Dublin Core (oai_dc) record of the article, for OAI-PMH harvesting;
- a PubMed Central-style folder (JATS named after the article, PDF and figures beside it),
  when the journal enables it (`pmc: true` in journal.yaml).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from galley import languages
from galley.codes import Code
from galley.diagnostics import Diagnostic, Span, error
from galley.formats import FORMATS, Deposit
from galley.model import Article
from galley.render import BuildInfo, Output, article_dir
from galley.templating import Templates
from galley.validate import secure_parser
from galley.zipfiles import deterministic_zip

MANIFEST_NS = "{https://manuscriptexchange.org/schema/manifest}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
CHECKSUMS = "checksums.sha256"


def _item(kind: str) -> Deposit:
    """A kind's MECA item, as galley.formats.FORMATS declares it."""
    item = FORMATS[kind].deposit
    assert item is not None, f"{kind} has no place in a MECA package"
    return item


def deposit_dir(article: Article) -> PurePosixPath:
    return article_dir(article) / "deposit"


def packages(
    article: Article, outputs: list[Output], templates: Templates, info: BuildInfo
) -> list[Output]:
    """The deposit files of one article, from its validated outputs."""
    stamp = info.timestamp(article.date)
    contents = [o for o in outputs if FORMATS[o.kind].deposit is not None]
    contents.sort(key=lambda o: (_item(o.kind).rank, str(o.path)))
    items = []
    entries: list[tuple[str, bytes, int]] = []
    editions = {translation.id: translation.lang for translation in article.translations}
    for index, output in enumerate(contents, start=1):
        href = f"content/{output.path.relative_to(article_dir(article))}"
        item = _item(output.kind)
        kind, description = item.item_type, item.description
        extension = FORMATS[output.kind].extension
        edition = output.path.name[: -len(extension)] if extension else ""
        if edition in editions:  # a translation's edition: said with its language
            lang = editions[edition]
            description = f"{description}, {languages.name(lang)} translation ({lang})"
        items.append(
            {
                "id": f"item-{index}",
                "type": kind,
                "description": description,
                "media_type": output.media_type,
                "href": href,
            }
        )
        entries.append((href, output.data, zipfile.ZIP_DEFLATED))
    manifest = templates.render("deposit/manifest.xml.jinja", items=items).encode("utf-8")
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data, _ in entries)
    archive = deterministic_zip(
        [
            ("manifest.xml", manifest, zipfile.ZIP_DEFLATED),
            (CHECKSUMS, sums.encode("ascii"), zipfile.ZIP_DEFLATED),
            *entries,
        ],
        stamp,
    )
    folder = deposit_dir(article)
    result = [
        Output(
            folder / f"{article.id}.meca.zip", archive, "meca", "application/zip", doi=article.doi
        ),
        Output(
            folder / f"{article.id}.oai_dc.xml",
            templates.render("deposit/oai_dc.xml.jinja", article=article).encode("utf-8"),
            "oai_dc",
            "application/xml",
            doi=article.doi,
        ),
    ]
    if article.journal.pmc:
        issue = article.issue
        parts = [article.journal.id, issue.volume, issue.number, article.id]
        base = "-".join(part for part in parts if part)
        pmc = article_dir(article) / "pmc"
        for output in contents:
            declared = FORMATS[output.kind]
            item = _item(output.kind)
            own = output.path.stem == article.id  # not a translation's edition
            if not item.pmc or (item.pmc == "original" and not own):
                continue
            if declared.extension:  # the article's own file, named as PMC asks
                name = PurePosixPath(f"{base}{declared.extension}")
            else:
                name = output.path.relative_to(article_dir(article))
            result.append(Output(pmc / name, output.data, "pmc", output.media_type))
    return result


@dataclass(frozen=True)
class Expected:
    """What a written package must hold: the validated bytes of each item, by name."""

    items: dict[str, bytes]


def expected_items(article: Article, outputs: list[Output]) -> Expected:
    return Expected(
        {
            f"content/{o.path.relative_to(article_dir(article))}": o.data
            for o in outputs
            if FORMATS[o.kind].deposit is not None
        }
    )


def verify_package(path: Path, expected: Expected) -> list[Diagnostic]:
    """Read a written MECA zip back: it unzips, its manifest and checksums match its contents,
    and every item is byte for byte the file the build validated."""
    where = Span(path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
        broken = archive.testzip()
    except (OSError, zipfile.BadZipFile) as exc:
        return [error(Code.DEPOSIT_UNZIP, f"the package does not unzip: {exc}", where)]
    if broken:
        return [error(Code.DEPOSIT_UNZIP, f"{broken} is damaged in the package", where)]
    found = []
    names = set(archive.namelist()) - {"manifest.xml", CHECKSUMS}
    manifest = etree.fromstring(archive.read("manifest.xml"), secure_parser())
    listed = {instance.get(XLINK_HREF) for instance in manifest.iter(f"{MANIFEST_NS}instance")}
    if listed != names:
        found.append(
            error(
                Code.DEPOSIT_MANIFEST,
                f"the manifest lists {sorted(listed)} but the package holds {sorted(names)}",
                where,
            )
        )
    sums = {}
    for line in archive.read(CHECKSUMS).decode("ascii").splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    for name in sorted(names):
        data = archive.read(name)
        if sums.get(name) != hashlib.sha256(data).hexdigest():
            found.append(error(Code.DEPOSIT_CHECKSUM, f"{name}: checksum does not match", where))
        if expected.items.get(name) != data:
            found.append(
                error(Code.DEPOSIT_ITEM, f"{name} is not the file the build validated", where)
            )
    if set(expected.items) != names:
        found.append(error(Code.DEPOSIT_ITEMS, "the package does not hold every output", where))
    return found
