"""CRediT, the Contributor Roles Taxonomy (ANSI/NISO Z39.104-2022): the 14 roles JATS4R's
recommendation tags with `vocab="credit"`, each with its term and identifier."""

from __future__ import annotations

import re

VOCABULARY = "https://credit.niso.org/"
ROLES = {
    "Conceptualization": "conceptualization",
    "Data curation": "data-curation",
    "Formal Analysis": "formal-analysis",
    "Funding acquisition": "funding-acquisition",
    "Investigation": "investigation",
    "Methodology": "methodology",
    "Project administration": "project-administration",
    "Resources": "resources",
    "Software": "software",
    "Supervision": "supervision",
    "Validation": "validation",
    "Visualization": "visualization",
    "Writing – original draft": "writing-original-draft",
    "Writing – review & editing": "writing-review-editing",
}


def _key(text: str) -> str:
    """Spelling variations editors type: case, hyphens or dashes, 'and' for '&'."""
    text = text.lower().replace(" and ", " & ")
    return re.sub(r"[\s\-–—_]+", "", text)


_BY_KEY: dict[str, tuple[str, str]] = {}
for _term, _slug in ROLES.items():
    _BY_KEY[_key(_term)] = _BY_KEY[_key(_slug)] = (_term, f"{VOCABULARY}contributor-roles/{_slug}/")


def credit_term(role: str) -> tuple[str, str] | None:
    """(the CRediT term, its identifier) when `role` names a CRediT role, else None."""
    return _BY_KEY.get(_key(role))
