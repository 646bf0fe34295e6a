"""Where the per-article jobs run: here, in a pool of processes, or on a Dask cluster.

Whatever runs them, results come back in the order the jobs were given, so the outputs and
the report of a parallel or distributed build are those of a serial one, byte for byte.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from galley.codes import Code
from galley.diagnostics import GalleyError, error
from galley.jobs import ArticleResult, Job, run

Progress = Callable[[str], None]


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_jobs(
    jobs: list[Job],
    workers: int,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> list[list[ArticleResult]]:
    """Run every job and return their results in job order."""
    if scheduler:
        return _on_cluster(jobs, scheduler, progress)
    if workers <= 1 or len(jobs) <= 1:
        results = []
        for job in jobs:
            if progress:
                progress(f"building {_name(job)}")
            results.append(run(job))
        return results
    # forkserver: workers forked from a clean server process, never from this one, whose
    # native libraries (SaxonC runs JATS4R) do not survive a fork once started.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["galley.jobs"])
    with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=context) as pool:
        results = []
        for job, result in zip(jobs, pool.map(run, jobs), strict=True):
            if progress:
                progress(f"built {_name(job)}")
            results.append(result)
        return results


def _on_cluster(
    jobs: list[Job], scheduler: str, progress: Progress | None
) -> list[list[ArticleResult]]:
    try:
        from distributed import Client
    except ImportError:
        raise GalleyError(
            error(
                Code.CLUSTER_DASK_MISSING,
                "--scheduler needs Dask distributed, which is not installed",
                hint="pip install -e '.[cluster]' (on this machine and on every worker)",
            )
        ) from None
    try:
        client = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise GalleyError(
            error(
                Code.CLUSTER_UNREACHABLE,
                f"no Dask scheduler answered at {scheduler}: {exc}",
                hint="start one with `dask scheduler` and workers with `dask worker ADDRESS`, "
                "or leave out --scheduler to build on this machine",
            )
        ) from None
    with client:
        if progress:
            progress(f"building {len(jobs)} job(s) on {scheduler}")
        futures = client.map(run, jobs, pure=False)
        results: list[list[ArticleResult]] = client.gather(futures)  # type: ignore[no-untyped-call]
        return results


def _name(job: Job) -> str:
    articles = job.chain.articles
    return f"{articles[0].issue.id}/{articles[0].id}" + (
        f" (+{len(articles) - 1})" if len(articles) > 1 else ""
    )
