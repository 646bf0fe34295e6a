"""All validators of a run, set up once (schemas and JVMs are the costly part of a build).

Which validator checks which format comes from `galley.formats.FORMATS` alone: the suite
makes each named validator once, batches every file by the checks its format declares,
and runs the helper processes (JVMs, a browser) side by side.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from galley import schemas
from galley.diagnostics import Diagnostic, GalleyError
from galley.formats import FORMATS, Check, resolve
from galley.render import Output
from galley.timing import timed
from galley.validate import Checker

Progress = Callable[[str], None]


def checked_kinds() -> frozenset[str]:
    """The kinds some validator checks, from the one declaration of every format (read
    when asked: a format added to the table is checked from then on)."""
    return frozenset(kind for kind, row in FORMATS.items() if row.checks)


def job_kinds() -> frozenset[str]:
    """Checked inside the article's job, where the output was made; the rest are checked in
    batches by the pipeline, one helper process for all files of a run."""
    return frozenset(kind for kind, row in FORMATS.items() if row.checks and row.in_job)


class Validators:
    """One validator per standard; each sees only bytes and returns diagnostics."""

    def __init__(self, schema_dir: Path | None) -> None:
        self.schema_dir = schema_dir
        self._made: dict[str, Checker] = {}

    def checker(self, check: Check) -> Checker:
        """The validator a check names, made once per suite."""
        if check.validator not in self._made:
            self._made[check.validator] = resolve(check.validator)(self.schema_dir)
        return self._made[check.validator]

    def prepare(self) -> None:
        """Find every schema and tool now, so a missing one fails once, early; the XSDs
        are parsed and the helper processes started in the background from here. Everything
        missing is said at once: every schema set, then every tool."""
        schemas.require(self.schema_dir)
        missing: list[Diagnostic] = []
        for check in dict.fromkeys(c for row in FORMATS.values() for c in row.checks):
            try:
                self.checker(check).prepare()
            except GalleyError as exc:
                missing.extend(d for d in exc.diagnostics if d not in missing)
        if missing:
            raise GalleyError(missing)

    def validate(
        self,
        outputs: list[tuple[Path, Output]],
        progress: Progress | None = None,
        timings: dict[str, float] | None = None,
        kinds: Collection[str] | None = None,
    ) -> dict[Path, list[Diagnostic]]:
        """Diagnostics for each output of the given kinds (every checked kind by default),
        keyed by where it will be written."""
        kinds = checked_kinds() if kinds is None else kinds
        results: dict[Path, list[Diagnostic]] = {path: [] for path, _ in outputs}
        spent: dict[str, float] = timings if timings is not None else {}
        batches: dict[Check, dict[Path, Output]] = {}
        for path, output in outputs:
            if output.kind in kinds:
                for check in FORMATS[output.kind].checks:
                    batches.setdefault(check, {})[path] = output

        def run(check: Check) -> dict[Path, list[Diagnostic]]:
            with timed(spent, check.timing):
                return self.checker(check).check(batches[check])

        helpers = [check for check in batches if check.helper]
        if helpers and progress:
            names = dict.fromkeys(
                FORMATS[o.kind].name for c in helpers for o in batches[c].values()
            )
            progress(f"checking {', '.join(names)} ({', '.join(check.label for check in helpers)})")
        # The helpers are independent processes: run them side by side, the in-process
        # checks meanwhile.
        with ThreadPoolExecutor(max_workers=max(1, len(helpers))) as pool:
            running = [pool.submit(run, check) for check in helpers]
            found = [run(check) for check in batches if not check.helper]
            found += [future.result() for future in running]
        for each in found:
            for path, problems in each.items():
                results[path] += problems
        return results
