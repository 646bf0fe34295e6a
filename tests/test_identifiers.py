"""Identifier rules shared by the reader, the validators and the checks."""

from __future__ import annotations

from galley.identifiers import (
    is_doi,
    is_language_tag,
    issn_problem,
    orcid_problem,
    parse_pages,
    strip_doi,
)


def test_issn_check_digits_of_the_seed_journal_are_accepted() -> None:
    assert issn_problem("0843-4468") is None
    assert issn_problem("1703-9312") is None
    assert issn_problem("0317-8471") is None  # check digit 1
    assert issn_problem("2434-561X") is None  # check digit X


def test_issn_with_a_wrong_check_digit_or_shape_is_explained() -> None:
    assert "give 8" in (issn_problem("0843-4469") or "")
    assert "NNNN-NNNC" in (issn_problem("08434468") or "")


def test_orcid_checksum() -> None:
    assert orcid_problem("0000-0002-1825-0097") is None
    assert orcid_problem("https://orcid.org/0000-0001-5109-3700") is None
    assert orcid_problem("0000-0002-1694-233X") is None
    assert "check digit" in (orcid_problem("0000-0002-1825-0098") or "")


def test_doi_syntax_and_normalisation() -> None:
    assert is_doi("10.7202/301114ar")
    assert not is_doi("10.7202 301114ar")
    assert not is_doi("https://doi.org/10.7202/301114ar")
    assert strip_doi("https://doi.org/10.7202/301114ar") == "10.7202/301114ar"
    assert strip_doi("doi:10.7202/301114ar") == "10.7202/301114ar"


def test_language_tags() -> None:
    for tag in ("fr", "fr-CA", "en-GB", "zh-Hant-TW", "es-419"):
        assert is_language_tag(tag), tag
    for tag in ("français", "f", "fr_CA", ""):
        assert not is_language_tag(tag), tag


def test_page_ranges_with_any_dash() -> None:
    assert parse_pages("27-37") == ("27", "37")
    assert parse_pages("27–37") == ("27", "37")
    assert parse_pages("e1001") == ("e1001", None)
    assert parse_pages("twenty") is None
