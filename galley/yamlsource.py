"""YAML as production editors write it, loaded safely and with line numbers kept.

Why not `yaml.safe_load`: it forgets where each value came from (messages need lines),
silently keeps the last of two duplicate keys, expands aliases (a "billion laughs" risk
for untrusted source), and applies YAML 1.1 guesses that corrupt metadata: `10.1000`
becomes the float 10.1 and `no` (Norwegian) becomes False. Here plain scalars become
int, bool (`true`/`false` only), null, or else stay the exact string typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from galley.codes import Code
from galley.diagnostics import CONTROL_CHARACTER, GalleyError, Span, control_character, error

YamlPath = tuple[str | int, ...]

_INT = re.compile(r"[-+]?[0-9]+\Z")


@dataclass
class LineMap:
    """Where each value of a loaded document starts, keyed by its path of keys/indices."""

    path: Path
    line_offset: int = 0
    lines: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def span(self, key: YamlPath = ()) -> Span:
        """The span of `key`, or of its nearest ancestor that has one."""
        key = tuple(key)
        while key not in self.lines and key:
            key = key[:-1]
        line, col = self.lines.get(key, (1, 1))
        return Span(self.path, line + self.line_offset, col)


class _AnchorRefused(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("anchor")
        self.mark = mark


# libyaml's parser when PyYAML has it (a 20,000-entry bibliography in a second, not a minute);
# the values are built here from its events, so the rules below hold with either parser.
_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64  # metadata needs a few levels; a deeper document is an attack or a slip
_DISCARD = object()  # a value already reported (a duplicate key's, a non-text key's)


@dataclass
class _Frame:
    value: Any  # the dict or list being filled, or _DISCARD
    path: YamlPath
    key: str | None = None  # in a mapping: the key whose value comes next
    key_mark: yaml.Mark | None = None
    skip: bool = False  # the next value belongs to a key already reported
    start: yaml.Mark | None = None  # where the container began


def load_yaml(text: str, path: Path, line_offset: int = 0) -> tuple[Any, LineMap]:
    """Load one YAML document; raise GalleyError with the position of any problem."""
    linemap = LineMap(path, line_offset)
    problems: list[Any] = []
    try:
        value = _build(yaml.parse(text, Loader=_PARSER), linemap, problems)
    except _AnchorRefused as refused:
        raise GalleyError(
            error(
                Code.YAML_ANCHOR,
                "YAML anchors and aliases (&name, *name) are not accepted in source files",
                Span(path, refused.mark.line + 1 + line_offset, refused.mark.column + 1),
                "write the value out in full",
            )
        ) from None
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in (exc.problem or ""):  # libyaml's own bound, met first
            raise GalleyError(
                _too_deep(
                    Span(
                        path,
                        (exc.problem_mark.line + 1 + line_offset) if exc.problem_mark else None,
                    )
                )
            ) from None
        # The context mark is where the unfinished construct began (an opening quote or
        # bracket): usually where the editor slipped. The problem mark is where YAML noticed.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.problem_mark:
            problem = f"{exc.context}, {problem} (line {exc.problem_mark.line + 1 + line_offset})"
        hint = (
            "check indentation and quoting; values containing ': ' or starting with "
            "'@', '*', '&', '[' or '{' must be quoted"
        )
        noticed = exc.problem_mark or mark
        opened = _unclosed_quote(text, noticed.line + 1 if noticed else len(text.splitlines()))
        if opened is not None:  # YAML reads on to the next quote and notices far below
            line, col = opened + 1 + line_offset, None
            problem = f"the quote opened on this line is not closed ({problem})"
            quote = _opening_quote(text.splitlines()[opened])
            hint = f"end the value on line {line} with the closing {quote} it opened with"
        raise GalleyError(
            error(Code.YAML_SYNTAX, f"YAML syntax error: {problem}", Span(path, line, col), hint)
        ) from None
    except yaml.YAMLError as exc:
        raise GalleyError(error(Code.YAML_SYNTAX, f"YAML error: {exc}", Span(path))) from None
    if problems:
        raise GalleyError(problems)
    return value, linemap


def _build(events: Any, linemap: LineMap, problems: list[Any]) -> Any:
    """The document's values from the parser's events, each position kept in `linemap`."""
    stack: list[_Frame] = []
    root: Any = None
    documents = 0

    def place(value: Any, mark: yaml.Mark, *, is_key_text: bool) -> YamlPath | None:
        """Put a finished value where it belongs; the path it got, or None if discarded."""
        nonlocal root
        if not stack:
            root = value
            linemap.lines[()] = (mark.line + 1, mark.column + 1)
            return ()
        frame = stack[-1]
        if frame.value is _DISCARD:
            return None
        if isinstance(frame.value, list):
            child = (*frame.path, len(frame.value))
            frame.value.append(value)
            linemap.lines[child] = (mark.line + 1, mark.column + 1)
            return child
        if frame.key is None and not frame.skip:  # this value is a key
            if not is_key_text:
                at = Span(linemap.path, mark.line + 1 + linemap.line_offset, mark.column + 1)
                problems.append(
                    error(Code.YAML_KEY, "mapping keys must be plain text", at, "quote the key")
                )
                frame.skip = True
                return None
            name = "" if value is None else str(value)
            if name in frame.value:
                problems.append(
                    error(
                        Code.YAML_DUPLICATE_KEY,
                        f"key '{name}' appears twice",
                        Span(
                            linemap.path,
                            mark.line + 1 + linemap.line_offset,
                            mark.column + 1,
                        ),
                        "keep one of them; YAML would silently use the last",
                    )
                )
                frame.skip = True
                return None
            frame.key, frame.key_mark = name, mark
            return None
        if frame.skip:
            frame.skip = False
            return None
        assert frame.key is not None and frame.key_mark is not None
        child = (*frame.path, frame.key)
        frame.value[frame.key] = value
        # Point at the key, which is where an editor looks for the field.
        linemap.lines[child] = (frame.key_mark.line + 1, frame.key_mark.column + 1)
        frame.key = frame.key_mark = None
        return child

    def next_path() -> YamlPath:
        """Where a value starting now will go (for the positions inside it)."""
        if not stack:
            return ()
        frame = stack[-1]
        if isinstance(frame.value, list):
            return (*frame.path, len(frame.value))
        if isinstance(frame.value, dict) and frame.key is not None:
            return (*frame.path, frame.key)
        return (*frame.path, "?")

    for event in events:
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _AnchorRefused(mark)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise yaml.MarkedYAMLError(
                    None, None, "expected a single document, found another", mark
                )
        elif isinstance(event, yaml.ScalarEvent):
            value = _scalar(event.value, event.style)
            where = place(value, mark, is_key_text=True)
            control = CONTROL_CHARACTER.search(event.value)
            if control:  # written as an escape ("\a") in a double-quoted string
                at = linemap.span(where) if where is not None else linemap.span(next_path())
                problems.append(control_character(control.group(), at))
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(stack) >= MAX_DEPTH:
                raise GalleyError(
                    _too_deep(
                        Span(linemap.path, mark.line + 1 + linemap.line_offset, mark.column + 1)
                    )
                )
            parent = stack[-1] if stack else None
            discarded = parent is not None and (
                parent.value is _DISCARD
                or parent.skip
                or (isinstance(parent.value, dict) and parent.key is None)
            )
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            path = next_path()
            if not discarded:
                linemap.lines[path] = (mark.line + 1, mark.column + 1)
            stack.append(_Frame(_DISCARD if discarded else container, path, start=mark))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = stack.pop()
            start = frame.start
            assert start is not None
            if frame.value is _DISCARD:
                if stack and stack[-1].value is not _DISCARD:
                    place(None, start, is_key_text=False)
                continue
            place(frame.value, start, is_key_text=False)
    return root


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[\w-]+\s*:\s+)?(["'])(.*)$""")


def _unclosed_quote(text: str, before: int) -> int | None:
    """The first line before `before` (0-based) whose value opens a quote it never closes."""
    for number, line in enumerate(text.splitlines()[:before]):
        found = _QUOTED_VALUE.match(line)
        if not found:
            continue
        quote, rest = found.groups()
        if quote == '"':
            rest = rest.replace("\\\\", "").replace('\\"', "")  # escaped: not a quote
        else:
            rest = rest.replace("''", "")
        if quote not in rest:
            return number
    return None


def _opening_quote(line: str) -> str:
    """The quote a value on `line` opens with, as the editor should type it to close it."""
    found = _QUOTED_VALUE.match(line)
    return 'quote (")' if found is None or found.group(1) == '"' else "quote (')"


def _too_deep(span: Span) -> Any:
    return error(
        Code.YAML_TOO_DEEP,
        "the YAML is nested too deeply to be metadata",
        span,
        "metadata needs a few levels of nesting at most",
    )


def _scalar(text: str, style: str | None) -> Any:
    if style:  # quoted or block scalar: always the exact text (libyaml says plain with "")
        return text
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("", "~", "null"):
        return None
    if _INT.match(text) and len(text) <= 18:
        return int(text)
    return text  # a longer "number" is no count or year: text, which the checks then refuse
