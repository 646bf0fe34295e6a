"""Shared fixtures: the workplace's shared folder, a built seed, and scratch copies of source/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from galley import cli

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
SEED_ARTICLE = Path("nps-4-1") / "301114ar"


def _shared() -> Path:
    """../shared beside the checkout (CI), or the workplace's copy for a clone made elsewhere."""
    candidates = [Path(os.environ["GALLEY_SHARED"])] if os.environ.get("GALLEY_SHARED") else []
    candidates += [ROOT.parent / "shared", Path("/work/shared")]
    for candidate in candidates:
        if (candidate / "schemas").is_dir() and (candidate / "seed").is_dir():
            return candidate
    raise RuntimeError(
        "the shared folder (schemas and seed) was not found beside the checkout; "
        "set GALLEY_SHARED to it"
    )


SHARED = _shared()
SCHEMAS = SHARED / "schemas"
os.environ.setdefault("GALLEY_SCHEMAS", str(SCHEMAS))


@pytest.fixture(scope="session")
def seed_text() -> str:
    (path,) = sorted((SHARED / "seed").glob("*.txt"))
    return path.read_text(encoding="utf-8")


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Run:
    """Run the command line in-process, as `python build.py ARGS` would."""
    code = cli.main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


@pytest.fixture(scope="session")
def seed_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real source/ built once into a scratch output folder."""
    output = tmp_path_factory.mktemp("output")
    code = cli.main(["--output", str(output), "-q"])
    assert code == 0, "building the bundled sample failed"
    return output


@pytest.fixture
def source_copy(tmp_path: Path) -> Iterator[Path]:
    """A scratch copy of source/ that a test may break."""
    copy = tmp_path / "source"
    shutil.copytree(SOURCE, copy)
    yield copy
