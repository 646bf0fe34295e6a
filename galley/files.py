"""Atomic file writes: a reader of output/ sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, Span, error

# The file that says a folder is galley's output (and so galley may sweep and overwrite in it).
MARKER = ".galley-output"
# The file that says a build is writing in the folder: left by a build killed mid-write.
WRITING = ".galley-writing"
# What a build leaves there that says it is galley's, from before the marker existed.
OWN_FILES = (".galley-state.json", "report.json")
# Files that keep an empty folder in a repository or a file manager: nobody's work.
PLACEHOLDERS = (".gitkeep", ".gitignore", ".keep", ".DS_Store")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.galley-", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sweep_temporaries(folder: Path) -> None:
    """Remove temporary files a killed build left behind: galley's own, never a finished
    output, never another program's `.something.tmp`."""
    if not folder.is_dir():
        return
    for path in folder.rglob(".*.galley-*.tmp"):
        if path.is_file():
            path.unlink(missing_ok=True)


def claim_output(output: Path, source: Path) -> list[Diagnostic]:
    """Whether galley may write (and sweep) in `output`: never the file system's root, a home
    folder, the source or a folder around it, nor a folder holding files that are not
    galley's. A folder galley writes in is marked (`mark_output`), so the next run knows it."""
    folder = output.resolve()
    sources = source.resolve()
    unsafe = (
        folder == folder.parent
        or folder == Path.home().resolve()
        or folder == sources
        or folder in sources.parents
        or sources in folder.parents
    )
    if unsafe:
        return [
            error(
                Code.OUTPUT_UNSAFE,
                f"galley will not write its outputs into {output}: it is the root, a home "
                "folder, or the source folder (or holds it, or is inside it)",
                Span(output),
                "give --output a folder of its own, such as output/ beside source/",
            )
        ]
    if folder.is_dir() and not (folder / MARKER).is_file():
        others = [p for p in folder.iterdir() if p.name not in PLACEHOLDERS]
        if others and not any((folder / name).is_file() for name in OWN_FILES):
            return [
                error(
                    Code.OUTPUT_NOT_GALLEYS,
                    f"{output} holds files that are not galley's ({others[0].name}…); galley "
                    "would overwrite and sweep in it",
                    Span(output),
                    "give --output an empty or new folder, or galley's own output folder",
                )
            ]
    return []


def mark_output(output: Path) -> None:
    """Say, in the folder galley writes to, that it is galley's (see `claim_output`)."""
    if not (output / MARKER).is_file():
        write_atomic(
            output / MARKER,
            b"galley writes its outputs here; it may overwrite and sweep in this folder.\n",
        )


LOCK_TIMEOUT = 15 * 60  # seconds a run waits for another one writing in the same folder


@contextlib.contextmanager
def output_lock(output: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """One galley run at a time writes in `output`: another waits for it (its sweep would
    delete the first one's temporary files mid-write). The lock is the folder's own (flock on
    its descriptor), so no file is left behind and a killed run releases it."""
    created = not output.exists()
    output.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(output, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                waiting()
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise GalleyError(
                            error(
                                Code.OUTPUT_LOCKED,
                                f"another galley run has been writing in {output} for "
                                f"{LOCK_TIMEOUT // 60} minutes",
                                Span(output),
                                "wait for it to finish, or stop it",
                            )
                        ) from None
                    time.sleep(0.2)
        yield
    finally:
        os.close(descriptor)  # releases the lock
        if created and not any(output.iterdir()):
            output.rmdir()  # a run that wrote nothing leaves no folder
