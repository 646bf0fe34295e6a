"""All validators of a run, set up once (schemas and JVMs are the costly part of a build)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from galley.diagnostics import Diagnostic
from galley.render import KINDS, Output
from galley.timing import timed
from galley.validate.ace import AceValidator
from galley.validate.crossref import CrossrefValidator
from galley.validate.epub import EpubValidator
from galley.validate.html import HtmlValidator
from galley.validate.jats import JatsValidator
from galley.validate.pdf import PdfValidator

Progress = Callable[[str], None]
# The kinds some validator checks, from the one declaration of every kind.
ALL_KINDS = frozenset(kind for kind, declared in KINDS.items() if declared.validator)


class Validators:
    """One validator per standard; each sees only bytes and returns diagnostics."""

    def __init__(self, schema_dir: Path | None) -> None:
        self.jats = JatsValidator(schema_dir)
        self.epub = EpubValidator()
        self.ace = AceValidator()
        self.html = HtmlValidator()
        self.pdf = PdfValidator()
        self.crossref = CrossrefValidator(schema_dir)

    def prepare(self) -> None:
        """Find every schema and tool now, so a missing one fails once, early; the XSDs
        are parsed and the helper processes started in the background from here."""
        self.jats.prepare()
        self.jats.jats4r.prepare()
        self.crossref.prepare()
        self.epub.prepare()
        self.ace.prepare()
        self.html.prepare()

    def validate(
        self,
        outputs: list[tuple[Path, Output]],
        progress: Progress | None = None,
        timings: dict[str, float] | None = None,
        kinds: Collection[str] = ALL_KINDS,
    ) -> dict[Path, list[Diagnostic]]:
        """Diagnostics for each output of the given kinds, keyed by where it will be written."""
        results: dict[Path, list[Diagnostic]] = {path: [] for path, _ in outputs}
        spent: dict[str, float] = timings if timings is not None else {}

        def batch(name: str, check: Callable[[], Mapping[Path, list[Diagnostic]]]) -> None:
            with timed(spent, name):
                for path, found in check().items():
                    results[path] += found

        def of(validator: str) -> dict[Path, bytes]:
            return {
                p: o.data
                for p, o in outputs
                if KINDS[o.kind].validator == validator and o.kind in kinds
            }

        pages, books = of("html"), of("epub")
        if pages or books:
            if progress:
                progress("checking HTML, CSS and EPUB (Nu HTML Checker, EPUBCheck, Ace)")
            # The batches are independent (two JVMs and a browser): run them side by side.
            with ThreadPoolExecutor(max_workers=2) as pool:
                nu = pool.submit(
                    batch, "validate html (Nu)", lambda: self.html.validate_many(pages)
                )
                ace = pool.submit(
                    batch, "validate epub (Ace)", lambda: self.ace.validate_many(books)
                )
                batch("validate epub (EPUBCheck)", lambda: self.epub.validate_many(books))
                nu.result()
                ace.result()
        for path, output in outputs:
            validator = KINDS[output.kind].validator
            if output.kind not in kinds or validator not in ("jats", "pdf", "crossref"):
                continue
            with timed(spent, f"validate {output.kind}"):
                if validator == "jats":
                    results[path] += self.jats.validate(output.data, path, output.doi)
                elif validator == "pdf":
                    results[path] += self.pdf.validate(output.data, path, expected_doi=output.doi)
                else:
                    results[path] += self.crossref.validate(output.data, path)
        return results
