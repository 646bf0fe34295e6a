"""`python build.py deposit`: MECA, oai_dc and PMC packages made of the validated outputs."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from galley.deposit import expected_items, verify_package
from tests.conftest import SEED_ARTICLE

MANIFEST = "{https://manuscriptexchange.org/schema/manifest}"
XLINK = "{http://www.w3.org/1999/xlink}href"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def deposited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from galley import cli

    output = tmp_path_factory.mktemp("deposit")
    assert cli.main(["deposit", "--output", str(output), "-q"]) == 0
    return output


def test_the_meca_package_holds_the_validated_files_with_checksums(deposited: Path) -> None:
    folder = deposited / SEED_ARTICLE
    package = folder / "deposit" / "301114ar.meca.zip"
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None
        manifest = etree.fromstring(archive.read("manifest.xml"))
        items = {
            i.find(f"{MANIFEST}instance").get(XLINK): (
                i.get("item-type"),
                i.find(f"{MANIFEST}instance").get("media-type"),
            )
            for i in manifest.iter(f"{MANIFEST}item")
        }
        assert items == {
            "content/301114ar.xml": ("article-metadata", "application/jats+xml"),
            "content/301114ar.pdf": ("manuscript", "application/pdf"),
            "content/301114ar.epub": ("manuscript", "application/epub+zip"),
        }
        sums = dict(
            reversed(line.split("  "))
            for line in archive.read("checksums.sha256").decode().splitlines()
        )
        for name in items:
            data = archive.read(name)
            assert sums[name] == hashlib.sha256(data).hexdigest()
            assert data == (folder / Path(name).name).read_bytes()  # the built, validated file


def test_a_damaged_or_altered_package_is_detected(deposited: Path, tmp_path: Path) -> None:
    folder = deposited / SEED_ARTICLE
    good = (folder / "deposit" / "301114ar.meca.zip").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "content/301114ar.xml":
                data = data.replace(b"Lafleur", b"Lafleure")
            target.writestr(info, data)
    altered = tmp_path / "altered.zip"
    altered.write_bytes(buffer.getvalue())

    class Output:  # the three validated outputs, as the build would hand them over
        def __init__(self, name: str, kind: str) -> None:
            self.path = SEED_ARTICLE / name
            self.kind = kind
            self.data = (folder / name).read_bytes()

    from galley.model import Article

    article = type(
        "A",
        (),
        {"issue": type("I", (), {"id": "nps-4-1"})(), "id": "301114ar", "translation_of": None},
    )()
    outputs = [
        Output("301114ar.xml", "jats"),
        Output("301114ar.pdf", "pdf"),
        Output("301114ar.epub", "epub"),
    ]
    expected = expected_items(article, outputs)  # type: ignore[arg-type]
    assert verify_package(folder / "deposit" / "301114ar.meca.zip", expected) == []
    codes = {d.code for d in verify_package(altered, expected)}
    assert codes == {"deposit.checksum", "deposit.item"}
    (tmp_path / "cut.zip").write_bytes(good[: len(good) // 2])
    assert {d.code for d in verify_package(tmp_path / "cut.zip", expected)} == {"deposit.unzip"}
    del Article


def test_the_oai_dc_record_describes_the_article(deposited: Path) -> None:
    record = etree.parse(str(deposited / SEED_ARTICLE / "deposit" / "301114ar.oai_dc.xml"))
    root = record.getroot()
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
    assert root.findtext(f"{DC}title") == (
        "L'évolution des organismes québécois de coopération internationale"
    )
    assert root.findtext(f"{DC}creator") == "Lafleur, Guy"
    identifiers = [e.text for e in root.iter(f"{DC}identifier")]
    assert "https://doi.org/10.7202/301114ar" in identifiers
    assert root.findtext(f"{DC}language") == "fr"
    assert "Nouvelles pratiques sociales; Vol. 4 No. 1 (1991); 27–37" in [
        e.text for e in root.iter(f"{DC}source")
    ]


def test_the_pmc_folder_names_files_after_the_article(deposited: Path) -> None:
    pmc = deposited / SEED_ARTICLE / "pmc"
    assert sorted(p.name for p in pmc.iterdir()) == ["nps-4-1-301114ar.pdf", "nps-4-1-301114ar.xml"]
    assert (pmc / "nps-4-1-301114ar.xml").read_bytes() == (
        deposited / SEED_ARTICLE / "301114ar.xml"
    ).read_bytes()


def test_build_alone_writes_no_packages(seed_output: Path) -> None:
    assert not (seed_output / SEED_ARTICLE / "deposit").exists()
    assert not (seed_output / SEED_ARTICLE / "pmc").exists()
