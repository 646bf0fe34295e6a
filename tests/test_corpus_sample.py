"""The corpus harness on its fixed sample: six real articles (one per publisher's folder, plus
two that once broke), each imported, completed only as the README says, built with every
validator, and compared with its original (benchmarks/corpus.py; the whole corpus is the
benchmark, not a test)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT


def _harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_harness", ROOT / "benchmarks/corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_corpus_sample_meets_every_target(tmp_path: Path) -> None:
    harness = _harness()
    names = harness.articles(harness.SAMPLE)
    assert len(names) == 6 and len({Path(name).parent.name for name in names}) >= 5
    # each article in a folder of its own, one after the other, in this process: the
    # validators started for the first stay warm for the next (the benchmark runs each in
    # a new process)
    results = [
        harness.run_one(name, tmp_path / str(index), harness.in_process)
        for index, name in enumerate(names)
    ]
    for result in results:
        assert result.tracebacks == 0, (result.article, result.messages)
        assert result.import_code == 0 and result.build_code == 0, (
            result.article,
            result.messages,
        )
        assert result.errors == {}, (result.article, result.errors)
        assert result.recall_met, (result.article, result.recall, result.missing_words)
        assert result.unreported == [], (result.article, result.lost)
        assert result.pmc[1] <= result.pmc[0], (result.article, result.pmc_new)
        assert result.jats4r[1] <= result.jats4r[0], (result.article, result.jats4r_new)
        assert (result.print_recall or 0) >= harness.PRINT_TARGET, (
            result.article,
            result.print_recall,
        )
        assert result.failures() == [] and result.verdict == "clean"
