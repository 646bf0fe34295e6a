"""Reading a source file: its text (size, encoding, control characters), its YAML front
matter split from the body, and that YAML checked against the source schema, every
problem at its line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from galley.codes import Code
from galley.diagnostics import (
    CONTROL_CHARACTER,
    Diagnostic,
    GalleyError,
    Span,
    control_character,
    error,
    warning,
)
from galley.layout import GAP
from galley.model import Date
from galley.yamlsource import LineMap

MAX_SOURCE_BYTES = 10 * 1024 * 1024

Model = TypeVar("Model", bound=BaseModel)

# Fix hints by field name: what an editor should write.
HINTS = {
    "title": 'give the title as `title: "..."`',
    "author": "list the authors under `author:`, each with `name: {given: ..., family: ...}`",
    "family": "give the author's family name: `name: {given: Guy, family: Lafleur}`",
    "doi": "write the bare DOI, e.g. `doi: 10.7202/301114ar` (no https://doi.org/, no 'doi:')",
    "doi-prefix": 'write the DOI prefix as a quoted string, e.g. `doi-prefix: "10.7202"`',
    "issued": "write the date as YYYY, YYYY-MM or YYYY-MM-DD",
    "date": "write the date as YYYY, YYYY-MM or YYYY-MM-DD",
    "page": "write the page range as `page: 27-37`",
    "lang": "use a BCP 47 language tag such as fr, en or fr-CA",
    "article-type": "use a JATS article type such as research-article or book-review",
    "type": "use a CSL item type such as article-journal, book, chapter or report",
    "id": "give each reference a unique `id` made of letters, digits, '_', '-' or '.'",
    "email": "write a plain address such as name@example.org",
    "url": "write a full address starting with https://",
    "issn": "write the ISSN as NNNN-NNNC, e.g. 0843-4468",
    "volume": "write the volume number, e.g. `volume: 4`",
    "issue": "write the issue number, e.g. `issue: 1`",
    "publisher": "give the publisher's name",
}


def within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


# --------------------------------------------------------------------------- files


def read_text(path: Path) -> str:
    """A source file as text: UTF-8, at most 10 MB, or a clear error."""
    span = Span(path)
    if not path.is_file():
        raise GalleyError(
            error(Code.SOURCE_MISSING, f"{path.name} is missing", span, f"create {path}")
        )
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise GalleyError(
            error(
                Code.SOURCE_TOO_LARGE,
                f"{path.name} is {size:,} bytes; the limit is {MAX_SOURCE_BYTES:,}",
                span,
                "split the file or move data out of it",
            )
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GalleyError(
            error(
                Code.SOURCE_ENCODING,
                f"{path.name} is not valid UTF-8 (byte {exc.start})",
                span.at(line),
                "save the file as UTF-8",
            )
        ) from None
    # Windows line ends (CRLF) and old Mac ones (CR) are line ends like any other
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise GalleyError(
            error(
                Code.SOURCE_BINARY,
                f"{path.name} contains a NUL byte",
                span.at(line),
                "is this a text file?",
            )
        )
    control = CONTROL_CHARACTER.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - text.rfind("\n", 0, control.start())
        raise GalleyError(control_character(control.group(), span.at(line, column)))
    return text


def validate(model: type[Model], data: Any, linemap: LineMap) -> Model:
    """Validate loaded YAML into a source model; every problem becomes a positioned error."""
    if not isinstance(data, dict):
        raise GalleyError(
            error(
                Code.METADATA_NOT_MAPPING,
                "expected a mapping of `key: value` lines",
                linemap.span(),
                "see the annotated example in docs/user/source-format.md",
            )
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise GalleyError(_pydantic_diagnostics(exc, linemap)) from None


def _pydantic_diagnostics(exc: ValidationError, linemap: LineMap) -> list[Diagnostic]:
    found: dict[tuple[Any, ...], Diagnostic] = {}
    for problem in exc.errors():
        # Keep only the parts of the location that are real keys/indices of the YAML.
        loc: list[str | int] = []
        missing = problem["type"] == "missing"
        for index, part in enumerate(problem["loc"]):
            last = index == len(problem["loc"]) - 1
            if (*loc, part) in linemap.lines or (missing and last):
                loc.append(part)
        key = tuple(loc)
        if key in found:
            continue  # one message per place: unions report once per alternative
        name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
        where = _dotted(loc)
        if problem["type"] == "missing":
            message = f"missing required field `{where}`"
            span = linemap.span(key[:-1])
        else:
            message = f"`{where}`: {_message(problem)}" if where else _message(problem)
            span = linemap.span(key)
        found[key] = error(Code.METADATA_INVALID, message, span, HINTS.get(name))
    return list(found.values())


def gap_problems(data: Any, linemap: LineMap, at: tuple[str | int, ...] = ()) -> list[Diagnostic]:
    """Each value left to fill in (by an import or a new article's skeleton), at its line."""
    if isinstance(data, dict):
        return [d for key, value in data.items() for d in gap_problems(value, linemap, (*at, key))]
    if isinstance(data, list):
        return [
            d
            for index, value in enumerate(data)
            for d in gap_problems(value, linemap, (*at, index))
        ]
    if isinstance(data, str) and data.startswith(GAP):
        return [
            error(
                Code.INTAKE_GAP,
                f"`{_dotted(at)}` is still to be filled in: {data[len(GAP) :].strip()}",
                linemap.span(at),
                "write the value from the manuscript or the author (or remove the key if the "
                "article has none), then check again",
            )
        ]
    return []


def _message(problem: Any) -> str:
    text = str(problem["msg"]).removeprefix("Value error, ")
    if problem["type"] == "string_pattern_mismatch":
        return f"{problem['input']!r} is not in the expected form"
    if problem["type"] == "literal_error":
        return f"{problem['input']!r} is not one of the accepted values"
    return text


def _dotted(loc: Sequence[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def unknown_keys(data: dict[str, Any], known: Iterable[str], linemap: LineMap) -> list[Diagnostic]:
    """Likely typos of known keys; other keys (Quarto's `format`, say) pass quietly."""
    known = sorted(known)
    found = []
    for key in data:
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
        if close:
            found.append(
                warning(
                    Code.METADATA_UNKNOWN_KEY,
                    f"unknown key `{key}` is ignored",
                    linemap.span((key,)),
                    f"did you mean `{close[0]}`?",
                )
            )
    return found


# Blocks whose keys are open by design: CSL items and names take any CSL variable.
OPEN_BLOCKS = frozenset({"CslItem", "CslName", "CslDate"})


def unknown_fields(
    model: BaseModel, linemap: LineMap, at: tuple[str | int, ...] = ()
) -> list[Diagnostic]:
    """An error for each key inside a known block (an author, an affiliation, an award,
    `funding`, `citation`...) that galley has no field for: dropped silently, it would be
    an edit lost. The top level's own unknown keys are `unknown_keys`' (Quarto's `format`
    belongs there)."""
    found: list[Diagnostic] = []
    if at and type(model).__name__ in OPEN_BLOCKS:
        return found
    written = getattr(model, "at", None)  # a block that says where it was written
    if isinstance(written, tuple) and written:
        at = written
    if at:
        fields = sorted(aliases(type(model)) - {"galley:at"})
        for key in model.model_extra or {}:
            close = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
            found.append(
                error(
                    Code.METADATA_UNKNOWN_FIELD,
                    f"`{key}` is not a field galley reads here; it would be dropped",
                    linemap.span((*at, key)),
                    f"did you mean `{close[0]}`?"
                    if close
                    else f"the fields here are {', '.join(f'`{f}`' for f in fields)}",
                )
            )
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        key = info.alias or name
        if isinstance(value, BaseModel):
            found += unknown_fields(value, linemap, (*at, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found += unknown_fields(item, linemap, (*at, key, index))
    return found


def aliases(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


def parse_date(value: str, season: str | None = None) -> Date:
    parts = [int(part) for part in value.split("-")]
    return Date(
        parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None, season
    )


# --------------------------------------------------------------------------- articles


_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """(front matter, body, line where the body starts)."""
    if not re.match(r"---[ \t]*\r?\n", text):
        raise GalleyError(
            error(
                Code.ARTICLE_NO_FRONT_MATTER,
                "the file does not start with YAML front matter",
                Span(path, 1),
                "start the file with a line `---`, the metadata, then `---`",
            )
        )
    first_newline = text.index("\n") + 1
    end = _FRONT_MATTER_END.search(text, first_newline)
    if end is None:
        raise GalleyError(
            error(
                Code.ARTICLE_FRONT_MATTER_OPEN,
                "the YAML front matter is never closed",
                Span(path, 1),
                "end the metadata with a line `---` before the body",
            )
        )
    front = text[first_newline : end.start()]
    rest_start = text.find("\n", end.end())
    body = "" if rest_start < 0 else text[rest_start + 1 :]
    body_line = text[: end.end()].count("\n") + 2
    return front, body, body_line
