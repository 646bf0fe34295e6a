"""`python build.py serve`: a preview of output/ that rebuilds when source or templates change.

Binds to 127.0.0.1 only; polls file times (no extra dependency, works on every platform).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from pathlib import Path

from galley.config import Settings
from galley.diagnostics import GalleyError, error

Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(*folders: Path) -> Fingerprint:
    """Names, sizes and modification times of every file under `folders`."""
    entries = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                entries.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # the build's own messages are what the editor reads


def serve(
    settings: Settings,
    port: int,
    rebuild: Callable[[], None],
    announce: Callable[[str], None],
    interval: float = 0.5,
    stop: threading.Event | None = None,
) -> None:
    """Build, serve output/ on 127.0.0.1:`port`, and rebuild on every change until stopped.

    The port is taken first (a port in use is said at once); a rebuild that fails is said
    and the server goes on; what was saved during a rebuild starts another."""
    handler = functools.partial(_Handler, directory=str(settings.output))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise GalleyError(
            error(
                "serve.port",
                f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}",
                hint="another program (another `serve`?) uses it: stop it, or pass --port",
            )
        ) from None
    watched = (settings.source, settings.templates)
    seen = fingerprint(*watched)
    _attempt(rebuild, announce)
    settings.output.mkdir(parents=True, exist_ok=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    announce(f"serving http://127.0.0.1:{server.server_port}/ (Ctrl-C to stop)")
    stop = stop or threading.Event()
    try:
        while not stop.wait(interval):
            current = fingerprint(*watched)
            if current != seen:
                seen = current  # taken before the rebuild: a save during it is a change
                announce("change detected: rebuilding")
                _attempt(rebuild, announce)
    finally:
        server.shutdown()
        server.server_close()


def _attempt(rebuild: Callable[[], None], announce: Callable[[str], None]) -> None:
    """A rebuild whatever happens in it: the preview outlives a failed build."""
    try:
        rebuild()
    except Exception as exc:  # the build's own errors are diagnostics; this is anything else
        announce(f"the rebuild failed: {type(exc).__name__}: {exc}; the last good outputs stay")
