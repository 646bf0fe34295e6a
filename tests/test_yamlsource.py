"""Source YAML keeps what the editor typed, with lines, and refuses what could hurt."""

from __future__ import annotations

from pathlib import Path

import pytest

from galley.diagnostics import GalleyError
from galley.yamlsource import load_yaml


def test_numbers_that_are_identifiers_stay_text() -> None:
    data, _ = load_yaml(
        "doi-prefix: 10.1000\nlang: no\nvolume: 4\nopen: true\nx: ~\n", Path("j.yaml")
    )
    assert data == {"doi-prefix": "10.1000", "lang": "no", "volume": 4, "open": True, "x": None}


def test_every_value_keeps_its_line() -> None:
    _, lines = load_yaml("a: 1\nb:\n  - c: 2\n    d: 3\n", Path("f.yaml"), line_offset=1)
    assert lines.span(("b", 0, "d")).line == 5
    assert lines.span(("b", 0, "missing")).line == 4
    assert str(lines.span(("a",))).endswith("f.yaml:2:1")


def test_aliases_are_refused_without_expanding_them() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    with pytest.raises(GalleyError) as caught:
        load_yaml(bomb, Path("bomb.yaml"))
    assert {d.code for d in caught.value.diagnostics} == {"yaml.anchor"}


def test_duplicate_keys_are_reported_at_the_second_one() -> None:
    with pytest.raises(GalleyError) as caught:
        load_yaml("title: A\nlang: fr\ntitle: B\n", Path("a.md"))
    (problem,) = caught.value.diagnostics
    assert (problem.code, problem.span.line if problem.span else None) == ("yaml.duplicate-key", 3)


def test_a_syntax_error_points_at_the_unclosed_construct() -> None:
    with pytest.raises(GalleyError) as caught:
        load_yaml('title: "unclosed\nlang: fr\n', Path("a.md"), line_offset=1)
    (problem,) = caught.value.diagnostics
    assert problem.code == "yaml.syntax"
    assert problem.span is not None and problem.span.line == 2


def test_an_unclosed_quote_is_named_with_the_quote_that_closes_it() -> None:
    """What the serve overlay and the terminal say must be enough to fix it: which line, and
    which character to type."""
    text = "title: 'Le Québec\nlang: fr\nabstract: 'Un résumé'\n"
    with pytest.raises(GalleyError) as caught:
        load_yaml(text, Path("a.md"), line_offset=1)
    (problem,) = caught.value.diagnostics
    assert problem.span is not None and problem.span.line == 2
    assert "the quote opened on this line is not closed" in problem.message
    assert problem.hint == "end the value on line 2 with the closing quote (') it opened with"
