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


class _Loader(yaml.SafeLoader):
    """Refuses anchors and aliases while composing, before any alias can be expanded."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _AnchorRefused(event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str, path: Path, line_offset: int = 0) -> tuple[Any, LineMap]:
    """Load one YAML document; raise GalleyError with the position of any problem."""
    linemap = LineMap(path, line_offset)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except _AnchorRefused as refused:
        raise GalleyError(
            error(
                "yaml.anchor",
                "YAML anchors and aliases (&name, *name) are not accepted in source files",
                Span(path, refused.mark.line + 1 + line_offset, refused.mark.column + 1),
                "write the value out in full",
            )
        ) from None
    except RecursionError:
        raise GalleyError(
            error(
                "yaml.too-deep",
                "the YAML is nested too deeply to be metadata",
                Span(path),
                "metadata needs a few levels of nesting at most",
            )
        ) from None
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the unfinished construct began (an opening quote or
        # bracket): usually where the editor slipped. The problem mark is where YAML noticed.
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 + line_offset if mark else None
        col = mark.column + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.problem_mark:
            problem = f"{exc.context}, {problem} (line {exc.problem_mark.line + 1 + line_offset})"
        raise GalleyError(
            error(
                "yaml.syntax",
                f"YAML syntax error: {problem}",
                Span(path, line, col),
                "check indentation and quoting; values containing ': ' or starting with "
                "'@', '*', '&', '[' or '{' must be quoted",
            )
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - composer errors are all marked
        raise GalleyError(error("yaml.syntax", f"YAML error: {exc}", Span(path))) from None
    if node is None:
        return None, linemap
    problems: list[Any] = []
    try:
        value = _construct(node, (), linemap, problems)
    except RecursionError:
        raise GalleyError(
            error(
                "yaml.too-deep",
                "the YAML is nested too deeply to be metadata",
                Span(path),
                "metadata needs a few levels of nesting at most",
            )
        ) from None
    if problems:
        raise GalleyError(problems)
    return value, linemap


def _construct(node: yaml.Node, key: YamlPath, linemap: LineMap, problems: list[Any]) -> Any:
    linemap.lines[key] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    error("yaml.key", "mapping keys must be plain text", linemap.span(key))
                )
                continue
            name = str(key_node.value)
            child = (*key, name)
            if name in result:
                problems.append(
                    error(
                        "yaml.duplicate-key",
                        f"key '{name}' appears twice",
                        Span(
                            linemap.path,
                            key_node.start_mark.line + 1 + linemap.line_offset,
                            key_node.start_mark.column + 1,
                        ),
                        "keep one of them; YAML would silently use the last",
                    )
                )
                continue
            result[name] = _construct(value_node, child, linemap, problems)
            # Point at the key, which is where an editor looks for the field.
            linemap.lines[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(item, (*key, index), linemap, problems)
            for index, item in enumerate(node.value)
        ]
    if isinstance(node, yaml.ScalarNode):
        control = CONTROL_CHARACTER.search(node.value)
        if control:  # written as an escape ("\a") in a double-quoted string
            problems.append(control_character(control.group(), linemap.span(key)))
        return _scalar(node)
    return None  # pragma: no cover - the composer makes only the three node kinds


def _scalar(node: yaml.ScalarNode) -> Any:
    text: str = node.value
    if node.style is not None:  # quoted or block scalar: always the exact text
        return text
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered in ("", "~", "null"):
        return None
    if _INT.match(text) and len(text) <= 18:
        return int(text)
    return text  # a longer "number" is no count or year: text, which the checks then refuse
