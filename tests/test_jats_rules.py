"""The JATS validator catches what the XSD cannot, and names the rule and the element."""

from __future__ import annotations

from pathlib import Path

import pytest

from galley.diagnostics import Severity
from galley.validate.jats import JatsValidator
from tests.conftest import SCHEMAS, SEED_ARTICLE


@pytest.fixture(scope="module")
def seed_jats(seed_output: Path) -> bytes:
    return (seed_output / SEED_ARTICLE / "301114ar.xml").read_bytes()


@pytest.fixture(scope="module")
def validator() -> JatsValidator:
    return JatsValidator(SCHEMAS)


def _line(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1


def _codes(
    validator: JatsValidator, data: bytes, doi: str | None = "10.7202/301114ar"
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in validator.validate(data, Path("a.xml"), expected_doi=doi):
        found.setdefault(problem.code, []).append(f"{problem.span}: {problem.message}")
    return found


def test_the_seed_jats_passes_every_rule(validator: JatsValidator, seed_jats: bytes) -> None:
    """Every rule but JATS4R's licence rule, which the seed cannot meet: it states no
    licence, and galley never invents one; the warning names the source field to fill."""
    problems = list(validator.validate(seed_jats, Path("a.xml"), expected_doi="10.7202/301114ar"))
    assert [p for p in problems if p.severity == Severity.ERROR] == []
    (warning,) = problems
    assert warning.code == "jats4r.permissions-errors"
    assert warning.hint is not None and "license:" in warning.hint


@pytest.mark.parametrize(
    ("old", "new", "code", "element"),
    [
        (
            b'<issn pub-type="ppub" publication-format="print">0843-4468',
            b'<issn pub-type="ppub" publication-format="print">0843-4467',
            "jats.issn",
            b'<issn pub-type="ppub" publication-format="print">',
        ),
        (b"<fpage>27</fpage>", b"<fpage>38</fpage>", "jats.page-order", b"<fpage>"),
        (
            b'<xref ref-type="aff" rid="aff1"/>',
            b'<xref ref-type="aff" rid="aff9"/>',
            "jats.xref-target",
            b'rid="aff9"',
        ),
        (b"<surname>Lafleur</surname>", b"<surname> </surname>", "jats.empty", b"<surname>"),
        (b">10.7202/301114ar<", b">10.7202/301115ar<", "jats.doi-mismatch", b">10.7202/301115ar<"),
        (b"<volume>4</volume>", b"<volume>4</volume><colour>red</colour>", "jats.xsd", b"<colour>"),
    ],
)
def test_each_rule_names_the_element_and_its_line(
    validator: JatsValidator, seed_jats: bytes, old: bytes, new: bytes, code: str, element: bytes
) -> None:
    broken = seed_jats.replace(old, new, 1)
    assert broken != seed_jats
    found = _codes(validator, broken)
    assert code in found, found
    line = _line(broken, element)
    assert any(entry.startswith(f"a.xml:{line}:") for entry in found[code]), found[code]
    tag = element.split(b" ")[0].strip(b"<>").decode()
    if code != "jats.doi-mismatch":
        assert any(tag in entry for entry in found[code]), found[code]


def test_a_missing_doi_is_an_error(validator: JatsValidator, seed_jats: bytes) -> None:
    broken = seed_jats.replace(b'<article-id pub-id-type="doi">10.7202/301114ar</article-id>', b"")
    assert "jats.doi-missing" in _codes(validator, broken, doi=None)


def test_entities_are_never_expanded(validator: JatsValidator, seed_jats: bytes) -> None:
    hostile = (
        seed_jats.replace(
            b"<!DOCTYPE article PUBLIC",
            b'<!DOCTYPE article [<!ENTITY x SYSTEM "file:///etc/passwd">]><!-- PUBLIC',
            1,
        )
        .replace(b'-mathml3.dtd">', b"-mathml3.dtd -->", 1)
        .replace(b"<volume>4</volume>", b"<volume>&x;</volume>")
    )
    problems = validator.validate(hostile, Path("a.xml"))
    assert {problem.code for problem in problems} == {"xml.entity"}
    assert any("'x'" in problem.message for problem in problems)
    assert not any("root:" in problem.message for problem in problems)
