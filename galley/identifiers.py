"""Syntax and checksums of the identifiers scholarly metadata carries (DOI, ISSN, ORCID, BCP 47).

Shared by the reader (source checks), the JATS validator and the preflight checks, so a
rule is written once.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import langcodes

# What a DOI is (the DOI Handbook: the directory "10.", a registrant code, "/", a suffix of
# any printable characters): anything else is an error.
DOI_SYNTAX = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
# Crossref's recommended pattern for modern DOIs (it matches over 99% of registered DOIs): a
# DOI outside it (an old SICI with brackets) is registered all the same, so only a warning.
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9]+$")
_DOI_DECORATIONS = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
ISSN_PATTERN = re.compile(r"^\d{4}-\d{3}[\dX]$")
ORCID_PATTERN = re.compile(r"^(?:https://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
# Well-formed BCP 47 language tags (RFC 5646 section 2.1, without grandfathered tags).
BCP47_PATTERN = re.compile(
    r"^(?P<language>[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?"
    r"(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z\d]{2,8})+)*"
    r"(?:-x(?:-[A-Za-z\d]{1,8})+)?$"
)
_PAGE = r"(?:[A-Za-z]*\d+[A-Za-z]*|[ivxlcdmIVXLCDM]+)"  # 27, S12, 12a, or roman: xxvii
_PAGE_RANGE = re.compile(rf"^\s*({_PAGE})\s*(?:[-\u2010-\u2015]+\s*({_PAGE}))?\s*$")
_ROMAN = re.compile(r"^m{0,4}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def strip_doi(value: str) -> str:
    """The bare DOI from a value typed as a URL or with a `doi:` prefix."""
    return _DOI_DECORATIONS.sub("", value.strip())


def is_doi(value: str) -> bool:
    return bool(DOI_SYNTAX.match(value))


def is_modern_doi(value: str) -> bool:
    """Within Crossref's recommended pattern (a DOI outside it deserves a second look)."""
    return bool(DOI_PATTERN.match(value))


def doi_prefix(doi: str) -> str:
    return doi.split("/", 1)[0]


def doi_url(doi: str) -> str:
    """The resolver link, percent-encoded where a DOI holds what a URL may not ("[", "<", "#")."""
    return f"https://doi.org/{quote(doi, safe='/:;()._-~!$&*+,=@')}"


def issn_check_digit(first_seven: str) -> str:
    """ISO 3297 check character for the first seven digits of an ISSN."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_seven, range(8, 1, -1), strict=True)
    )
    remainder = (11 - total % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def issn_problem(value: str) -> str | None:
    """Why `value` is not a valid ISSN, or None."""
    if not ISSN_PATTERN.match(value):
        return f"'{value}' is not an ISSN of the form NNNN-NNNC"
    digits = value.replace("-", "")
    expected = issn_check_digit(digits[:7])
    if digits[7].upper() != expected:
        return f"ISSN {value} has check digit {digits[7]}, but its digits give {expected}"
    return None


def orcid_problem(value: str) -> str | None:
    """Why `value` is not a valid ORCID iD (ISO 7064 11,2 checksum), or None."""
    match = ORCID_PATTERN.match(value.strip())
    if not match:
        return f"'{value}' is not an ORCID iD like https://orcid.org/0000-0002-1825-0097"
    digits = match.group(1).replace("-", "")
    total = 0
    for digit in digits[:-1]:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    expected = "X" if result == 10 else str(result)
    if digits[-1].upper() != expected:
        return f"ORCID iD {value} has check digit {digits[-1]}, but its digits give {expected}"
    return None


def orcid_url(value: str) -> str:
    match = ORCID_PATTERN.match(value.strip())
    return f"https://orcid.org/{match.group(1)}" if match else value


def is_language_tag(value: str) -> bool:
    return bool(BCP47_PATTERN.match(value))


def language_tag(value: str) -> str:
    """A language tag in its standard form (EN -> en, pt-br -> pt-BR): BCP 47 tags are
    case-insensitive, but Crossref's schema and the HTML `lang` checks are not."""
    try:
        return str(langcodes.standardize_tag(value.strip()))
    except ValueError:
        return value


def roman_or_int(page: str | None) -> int | None:
    """A page's number when it is one (27, or roman xxvii: 27), for ordering; else None."""
    if not page:
        return None
    if page.isdigit():
        return int(page)
    if _ROMAN.match(page):
        values = [_ROMAN_VALUES[c] for c in page.lower()]
        return sum(
            -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
        )
    return None


def roman(number: int, upper: bool = False) -> str:
    """A number as a roman numeral (xxvii), for front-matter folios."""
    parts = []
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while number >= value:
            parts.append(letters)
            number -= value
    text = "".join(parts)
    return text.upper() if upper else text


def parse_pages(value: str) -> tuple[str, str | None] | None:
    """'27-37' (any dash) to ('27', '37'); a single page to ('27', None); else None."""
    match = _PAGE_RANGE.match(value)
    if not match:
        return None
    return match.group(1), match.group(2)


def page_range(value: str) -> tuple[str, str | None] | None:
    """A cited page range with an elided last page written out, as JATS `lpage` wants it:
    "327-43" is (327, 343), "S208-19" (S208, S219); else as `parse_pages` reads it."""
    found = parse_pages(value)
    if found is None:
        return None
    first, last = found
    if last is None:
        return first, None
    head = re.match(r"^(\D*)(\d+)$", first)
    if head and last.isdigit() and len(last) < len(head.group(2)):
        prefix, digits = head.groups()
        last = prefix + digits[: len(digits) - len(last)] + last
    return first, last


def pages_in_order(first: str, last: str) -> bool:
    """Whether the last page comes after the first, their digits compared (JATS4R's rule)."""
    a, b = re.sub(r"[^\d]", "", first), re.sub(r"[^\d]", "", last)
    return not (a and b) or int(a) <= int(b)
