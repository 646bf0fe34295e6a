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
    """Build, serve output/ on 127.0.0.1:`port`, and rebuild on every change until stopped."""
    rebuild()
    handler = functools.partial(_Handler, directory=str(settings.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    announce(f"serving http://127.0.0.1:{server.server_port}/ (Ctrl-C to stop)")
    stop = stop or threading.Event()
    watched = (settings.source, settings.templates)
    seen = fingerprint(*watched)
    try:
        while not stop.wait(interval):
            current = fingerprint(*watched)
            if current != seen:
                seen = current
                announce("change detected: rebuilding")
                rebuild()
                seen = fingerprint(*watched)
    finally:
        server.shutdown()
        server.server_close()
