"""Two builds of the same source, at different times, give byte-identical files."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # every test here is a whole build


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("epoch", [None, "1700000000"], ids=["publication date", "epoch"])
def test_every_output_and_package_is_byte_identical(tmp_path: Path, epoch: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    runs = []
    for name in ("first", "second"):
        out = tmp_path / name
        subprocess.run(
            [sys.executable, "build.py", "deposit", "--output", str(out), "-q"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        runs.append(_files(out))
        time.sleep(1.1)  # a second apart: any clock in an output would show
    first, second = runs
    kinds = {Path(name).suffix for name in first}
    assert {".xml", ".html", ".epub", ".pdf", ".zip", ".css", ".json"} <= kinds
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    if epoch:  # the e-book says it was modified at SOURCE_DATE_EPOCH, not at build time
        book = next(name for name in first if name.endswith("301114ar.epub"))
        with zipfile.ZipFile(io.BytesIO(first[book])) as archive:
            opf = archive.read("EPUB/package.opf").decode()
        assert '<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>' in opf
