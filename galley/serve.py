"""`galley serve`: a live preview of output/ while the editor works.

Binds to 127.0.0.1 only. The page answers at once with what output/ holds, and the whole
build runs in the background. The source and templates are watched (watchfiles); after an
edit, the changed articles' web pages are rendered first, in memory, and the browser reloads
(server-sent events, through a small script added to every page served, never to the files);
then the build runs with every validator, and its verdict shows in the page: each problem
with its source file and line in an overlay, or a visible "ok". An edit inside article folders
builds those articles only (their problems alone are shown; the issue's and site's files
wait for the next whole build: any other change, or `galley`); any other change builds the
whole journal. A failing build never stops the preview, and output/ only ever holds what a
build validated.
"""

from __future__ import annotations

import functools
import http.server
import json
import queue
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import cast

from galley.codes import Code
from galley.config import Settings
from galley.diagnostics import Diagnostic, GalleyError, Severity, error
from galley.layout import ARTICLE_FILE

Rebuild = Callable[[list[Path]], list[Diagnostic]]  # these article folders (none: all)
Preview = Callable[[list[Path]], tuple[dict[str, bytes], list[Diagnostic]]]

EVENTS = "/_galley/events"
SCRIPT = "/_galley/live.js"
MAX_PATH = 1024  # no page galley writes has a longer address
LIVE_JS = b"""// galley serve: reload on a rebuild, show the build's problems over the page.
(function () {
  var source = new EventSource("/_galley/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("report", function (event) {
    var problems = JSON.parse(event.data);
    var box = document.getElementById("galley-overlay");
    if (box) { box.remove(); }
    box = document.createElement("aside");
    box.id = "galley-overlay";
    document.body.appendChild(box);
    if (!problems.length) {  // the verdict is seen, not guessed from an absence
      box.setAttribute("role", "status");
      box.style.cssText = "position:fixed;bottom:1em;right:1em;padding:0.3em 0.8em;" +
        "background:#e8f5e9;border:2px solid #2e7d32;color:#1b5e20;font:bold 14px sans-serif;" +
        "border-radius:4px;z-index:99999";
      box.textContent = "galley: ok, no problems";
      return;
    }
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;bottom:0;left:0;right:0;max-height:40%;overflow:auto;" +
      "background:#fff8f0;border-top:3px solid #a33;padding:0.5em 1em;font:14px sans-serif;" +
      "z-index:99999";
    problems.forEach(function (problem) {
      var line = document.createElement("p");
      line.textContent = problem;
      box.appendChild(line);
    });
  });
})();
"""


class Hub:
    """The browsers listening for events, each with its own queue."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[queue.Queue[bytes]] = []
        self.last_report: bytes | None = None

    def listen(self) -> queue.Queue[bytes]:
        listener: queue.Queue[bytes] = queue.Queue()
        with self._lock:
            self._listeners.append(listener)
        if self.last_report is not None:
            listener.put(self.last_report)  # a page opened now sees the last verdict
        return listener

    def forget(self, listener: queue.Queue[bytes]) -> None:
        with self._lock:
            self._listeners.remove(listener)

    def send(self, event: str, data: object) -> None:
        message = f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()
        if event == "report":
            self.last_report = message
        with self._lock:
            for listener in self._listeners:
                listener.put(message)


class _Handler(http.server.SimpleHTTPRequestHandler):
    hub: Hub
    pages: dict[str, bytes]  # pages rendered ahead of the full build, by URL path

    def log_message(self, format: str, *args: object) -> None:
        pass  # the build's own messages are what the editor reads

    def do_GET(self) -> None:
        if not self._allowed():
            return
        try:
            self._get()
        except (OSError, ValueError):  # a path no file can have: nothing to serve
            self.send_error(404)

    def do_HEAD(self) -> None:
        if self._allowed():
            try:
                super().do_HEAD()
            except (OSError, ValueError):
                self.send_error(404)

    def _allowed(self) -> bool:
        """Only requests for this server by its own name: a page elsewhere that points a
        name of its own at 127.0.0.1 (DNS rebinding) must not read the preview, and a path no
        file can have (a NUL, thousands of characters) is refused before it reaches a file."""
        port = cast(http.server.HTTPServer, self.server).server_port
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in {f"127.0.0.1:{port}", f"localhost:{port}"}:
            self.send_error(421, "Misdirected Request: ask 127.0.0.1 by its address")
            return False
        path = urllib.parse.unquote(self.path.split("?", 1)[0])
        if "\x00" in path or len(self.path) > MAX_PATH:
            self.send_error(404)
            return False
        return True

    def _get(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            self._events()
        elif path == SCRIPT:
            self._send(LIVE_JS, "text/javascript")
        elif path in self.pages:
            self._send(_with_script(self.pages[path]), "text/html; charset=utf-8")
        elif path.endswith((".html", "/")):
            target = Path(self.translate_path(path))
            target = target / "index.html" if target.is_dir() else target
            if target.is_file():
                self._send(_with_script(target.read_bytes()), "text/html; charset=utf-8")
            else:
                self.send_error(404)
        else:
            super().do_GET()

    def _send(self, body: bytes, media_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        listener = self.hub.listen()
        try:
            self.wfile.write(b": galley\n\n")
            self.wfile.flush()
            while True:
                try:
                    message = listener.get(timeout=15)
                except queue.Empty:
                    message = b": still here\n\n"  # keeps the connection through proxies
                self.wfile.write(message)
                self.wfile.flush()
        except OSError:
            pass  # the browser went away
        finally:
            self.hub.forget(listener)


def _with_script(page: bytes) -> bytes:
    tag = f'<script src="{SCRIPT}"></script>'.encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


def _problems(found: Iterable[Diagnostic]) -> list[str]:
    return [d.format() for d in found if d.severity >= Severity.WARNING]


def serve(
    settings: Settings,
    port: int,
    rebuild: Rebuild,
    announce: Callable[[str], None],
    preview: Preview | None = None,
    stop: threading.Event | None = None,
    changes: Callable[[threading.Event, Settings], Iterator[set[Path]]] | None = None,
) -> None:
    """Serve output/ on 127.0.0.1:`port` at once, build in the background, and after each
    change render the changed pages first, then build and validate everything."""
    hub = Hub()
    pages: dict[str, bytes] = {}
    handler = type("Handler", (_Handler,), {"hub": hub, "pages": pages})
    settings.output.mkdir(parents=True, exist_ok=True)
    try:
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(handler, directory=str(settings.output))
        )
    except OSError as exc:
        raise GalleyError(
            error(
                Code.SERVE_PORT,
                f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}",
                hint="another program (another `serve`?) uses it: stop it, or pass --port",
            )
        ) from None
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    announce(f"serving http://127.0.0.1:{server.server_port}/ (Ctrl-C to stop)")
    stop = stop or threading.Event()

    def build(folders: list[Path]) -> None:
        found = _attempt(rebuild, folders, announce)
        pages.clear()  # output/ now holds the validated pages (or the last good ones)
        hub.send("report", _problems(found))
        hub.send("reload", "")

    first = threading.Thread(target=build, args=([],), daemon=True)  # the page answers meanwhile
    first.start()
    try:
        for changed in (changes or _watch)(stop, settings):  # watching from the start
            first.join()
            folders = _article_folders(changed, settings.source)
            inside = all(
                any(folder in path.resolve().parents for folder in folders) for path in changed
            )
            announce(
                "change detected: rebuilding "
                + (", ".join(folder.name for folder in folders) if inside else "everything")
            )
            if preview is not None and folders:
                try:  # the edited pages first, from memory: the browser need not wait
                    rendered, found = preview(folders)
                except Exception as exc:
                    rendered, found = (
                        {},
                        [error(Code.SERVE_REBUILD, f"{type(exc).__name__}: {exc}")],
                    )
                pages.update({f"/{path}": data for path, data in rendered.items()})
                hub.send("report", _problems(found))
                hub.send("reload", "")
            build(folders if inside else [])
    finally:
        first.join()
        server.shutdown()
        server.server_close()


def _article_folders(changed: Iterable[Path], source: Path) -> list[Path]:
    """The article folders (source/ISSUE/ARTICLE) holding the changed files."""
    root = source.resolve()
    folders = set()
    for path in changed:
        try:
            parts = path.resolve().relative_to(root).parts
        except ValueError:
            continue  # a template: every page changes, the full build sees to it
        if len(parts) >= 3 and (root / parts[0] / parts[1] / ARTICLE_FILE).is_file():
            folders.add(root / parts[0] / parts[1])
    return sorted(folders)


def _attempt(
    rebuild: Rebuild, folders: list[Path], announce: Callable[[str], None]
) -> list[Diagnostic]:
    """A rebuild whatever happens in it: the preview outlives a failed build."""
    try:
        return rebuild(folders)
    except Exception as exc:  # the build's own errors are diagnostics; this is anything else
        message = f"the rebuild failed: {type(exc).__name__}: {exc}; the last good outputs stay"
        announce(message)
        return [error(Code.SERVE_REBUILD, message)]


def _watch(stop: threading.Event, settings: Settings) -> Iterator[set[Path]]:
    """Each batch of changed files under the source and the journal's own templates, when it
    has any (watchfiles)."""
    import watchfiles

    folders = [folder for folder in (settings.source, settings.templates) if folder.is_dir()]
    for batch in watchfiles.watch(*folders, stop_event=stop, debounce=200, rust_timeout=500):
        yield {Path(path) for _, path in batch}
