"""The diagnostic codes: listed once (galley/codes.py), each used, each input code tested."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from galley.codes import Code, reference
from tests.conftest import ROOT

REPORTERS = {"error", "warning", "note", "_info", "_refuse", "Diagnostic"}
# Input codes no test provokes yet (none today): the list may only shrink (a test that
# provokes one must take it off, or this test fails).
NOT_YET_TESTED: set[str] = set()


def _calls() -> tuple[set[str], list[str]]:
    """Every member of Code named anywhere in galley, and every diagnostic still made with
    a code typed as a string (which mypy cannot check)."""
    named: set[str] = set()
    typed: list[str] = []
    for path in (ROOT / "galley").rglob("*.py"):
        if path == ROOT / "galley" / "codes.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "Code"
            ):
                named.add(node.attr)
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            name = getattr(function, "id", None) or getattr(function, "attr", "")
            position = 1 if name == "Diagnostic" else 0
            if name in REPORTERS and len(node.args) > position:
                argument = node.args[position]
                if isinstance(argument, (ast.Constant, ast.JoinedStr)) and re.fullmatch(
                    r"[a-z0-9]+\.[a-z0-9.{}-]+", ast.unparse(argument).strip("'\"f")
                ):
                    typed.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return named, typed


def _tested() -> set[str]:
    text = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "tests").glob("*.py")
        if path.name != "test_codes.py"
    )
    return {code for code in Code if f'"{code}"' in text or f"[{code}]" in text}


def test_every_code_is_a_member_used_at_its_call_sites() -> None:
    named, typed = _calls()
    assert typed == [], "name these codes as members of galley.codes.Code"
    unused = {code.name for code in Code} - named
    assert unused == set(), "no longer used: remove them from galley/codes.py"
    assert {code.about for code in Code} == {"input", "output", "environment"}
    assert len({code.value for code in Code}) == len(Code)  # no alias: each code once


def test_every_input_code_has_a_bad_input_test() -> None:
    inputs = {str(code) for code in Code if code.about == "input"}
    tested = _tested()
    assert inputs - tested - NOT_YET_TESTED == set(), "write a bad-input test for these"
    assert NOT_YET_TESTED & tested == set(), "tested now: take them off NOT_YET_TESTED"
    assert inputs >= NOT_YET_TESTED


def test_the_codes_page_is_the_code_list() -> None:
    page = ROOT / "docs" / "reference" / "codes.md"
    assert page.read_text(encoding="utf-8") == reference(), (
        "run `python -m galley.codes > docs/reference/codes.md`"
    )


def test_the_documentation_builds_with_every_link_whole(tmp_path: Path) -> None:
    # MkDocs in strict mode: a page, a link or an anchor that went missing fails the build
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "reference" / "codes" / "index.html").is_file()
