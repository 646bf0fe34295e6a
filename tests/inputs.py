"""Bad and questionable source, one case per input code: each a small edit of the bundled
sample (as Sphinx keeps a test root per case, but over one project) and the code, severity
and line it must be reported with, by `galley` (a build) or `galley check`.

One applier (`apply`) for every case, so the tests that build, check or warn read the same
table; `tests/test_codes.py` counts a code as tested when a case names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.tools import edit, line_of


@dataclass(frozen=True)
class Case:
    file: str  # in the sample article's folder
    old: str
    new: str
    marker: str  # text on the line the diagnostic must name
    code: str
    severity: str  # error or warning
    command: str  # "build" (the whole build refuses it) or "check"
    root: str = "sample"  # the project edited: the bundled sample, or tests/roots/<root>


def _cases(
    severity: str,
    command: str,
    table: dict[str, tuple[str, str, str, str, str]],
    root: str = "sample",
) -> dict[str, Case]:
    return {name: Case(*entry, severity, command, root) for name, entry in table.items()}


def apply(case: Case, article: Path) -> tuple[Path, int]:
    """The case's edit made in a copy of the sample article's folder: the edited file and
    the line its diagnostic must name."""
    path = (article / case.file).resolve()
    edit(path, case.old, case.new)
    return path, line_of(path, case.marker)


BUILD_ERRORS = _cases(
    "error",
    "build",
    {
        # name: (file, old text, new text, text on the reported line, diagnostic code)
        "missing title": (
            "article.md",
            'title: "L\'évolution des organismes québécois de coopération internationale"\n',
            "",
            "lang: fr",  # missing fields are reported where the metadata mapping starts
            "metadata.invalid",
        ),
        "malformed DOI": (
            "article.md",
            "doi: 10.7202/301114ar",
            "doi: 10.7202 301114ar",
            "doi: 10.7202 301114ar",
            "article.doi-syntax",
        ),
        "broken YAML": ("article.md", "lang: fr", "lang: [fr", "lang: [fr", "yaml.syntax"),
        # YAML notices an unclosed quote where the next quote is, many lines below
        "unclosed quote": ("article.md", "lang: fr", 'lang: "fr', 'lang: "fr', "yaml.syntax"),
        "wrong type": (
            "article.md",
            "family: Lafleur",
            "family: [La, fleur]",
            "family:",
            "metadata.invalid",
        ),
        "fpage after lpage": (
            "article.md",
            "page: 27-37",
            "page: 37-27",
            "page: 37-27",
            "article.page-order",
        ),
        "unknown affiliation": (
            "article.md",
            "- ref: aqoci",
            "- ref: aqcoi",
            "- ref: aqcoi",
            "article.affiliation-ref",
        ),
        "reference without type": (
            "references.yaml",
            "  type: report\n  author:\n    - literal: Association",
            "  author:\n    - literal: Association",
            "- id: aqoci1988a",
            "metadata.invalid",
        ),
        # Text from the source reaches the outputs as text: no live script, no event handler.
        "javascript link": (
            "article.md",
            "À l'automne 1990",
            "[À l'automne](javascript:alert(document.cookie)) 1990",
            "javascript:alert",
            "article.link-scheme",
        ),
        "javascript link in the abstract": (
            "article.md",
            "  Les organismes québécois",
            "  [Les organismes](JavaScript:alert(1)) québécois",
            "JavaScript:alert",
            "article.link-scheme",
        ),
        "event handler": (
            "article.md",
            "À l'automne 1990",
            '[À l\'automne]{onmouseover="alert(1)"} 1990',
            "onmouseover=",
            "article.attribute",
        ),
        "style that loads": (
            "article.md",
            "À l'automne 1990",
            '[À l\'automne]{style="cursor:url(https://evil.example/x.cur)"} 1990',
            "style=",
            "article.attribute",
        ),
        "nesting deeper than any output carries": (
            "article.md",
            "À l'automne 1990",
            ">" * 2000 + " À l'automne 1990",
            ">>>>>>>>",
            "article.too-deep",
        ),
        "affiliation id twice": (
            "article.md",
            "  - id: aqoci\n",
            "  - id: aqoci\n    name: Autre\n  - id: aqoci  # again\n",
            "# again",
            "article.affiliation-id",
        ),
        "bibliography in another format": (
            "article.md",
            "bibliography: references.yaml",
            "bibliography: references.bib",
            "bibliography: references.bib",
            "article.bibliography-format",
        ),
        "two different DOIs": (
            "article.md",
            "  type: article-journal\n",
            "  type: article-journal\n  doi: 10.7202/301115ar\n",
            "doi: 10.7202/301115ar",
            "article.doi-conflict",
        ),
        "front matter never closed": (
            "article.md",
            "never cited in the text\n---\n",
            "never cited in the text\n",
            "---",
            "article.front-matter-open",
        ),
        "ORCID with a wrong check digit": (
            "article.md",
            "    roles: Directeur des programmes",
            "    orcid: 0000-0002-1825-0098\n    roles: Directeur des programmes",
            "orcid:",
            "article.orcid",
        ),
        "unknown citation style": (
            "../../journal.yaml",
            "csl: apa",
            "csl: nosuchstyle",
            "csl: nosuchstyle",
            "journal.csl",
        ),
        "journal language": (
            "../../journal.yaml",
            "lang: fr",
            "lang: fr_FR!",
            "lang: fr_FR!",
            "journal.lang",
        ),
        "reference id twice": (
            "references.yaml",
            "- id: aqoci1988b",
            "- id: aqoci1988a  # twice",
            "# twice",
            "references.duplicate-id",
        ),
        "control character": (
            "article.md",
            "À l'automne 1990",
            "À l'automne\x07 1990",
            "\x07",
            "source.control-character",
        ),
        "a key that is not text": (
            "article.md",
            "lang: fr",
            "[lang]: fr",
            "[lang]: fr",
            "yaml.key",
        ),
        "no DOI": ("article.md", "doi: 10.7202/301114ar\n", "", "title: ", "article.doi-missing"),
        "not a page range": (
            "article.md",
            "page: 27-37",
            "page: 27-37-45",
            "page:",
            "article.pages",
        ),
        "related article without a DOI": (
            "article.md",
            "bibliography: references.yaml",
            "related:\n  - type: commentary\n    doi: nonsense\nbibliography: references.yaml",
            "doi: nonsense",
            "article.related-doi",
        ),
        "two tables under one label": (
            "article.md",
            "# Origine et jeunesse",
            "::: {#tbl-two}\n| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |\n:::\n\n"
            "# Origine et jeunesse",
            "{#tbl-two}",
            "table.not-one",
        ),
        "bad issue volume": (
            "../issue.yaml",
            "volume: 4",
            "volume: [4]",
            "volume: [4]",
            "metadata.invalid",
        ),
    },
)

# Warnings: the source is built, and the editor is told what to look at, at its line.
CHECK_WARNINGS = _cases(
    "warning",
    "check",
    {
        "a misspelt key": (
            "article.md",
            "lang: fr",
            "lang: fr\nsectoin: Dossier",
            "sectoin:",
            "metadata.unknown-key",
        ),
        "an author without a given name": (
            "article.md",
            "      given: Guy\n",
            "",
            "- name:",
            "metadata.name",
        ),
        "a reference DOI typed as a link": (
            "references.yaml",
            "  title: Rapport annuel\n",
            "  title: Rapport annuel\n  DOI: https://doi.org/10.1000/xyz123\n",
            "DOI: https://doi.org",
            "references.doi-normalised",
        ),
        "a reference typed twice": (
            "references.yaml",
            "- id: aqoci1989a",
            "- id: aqoci1990z\n  type: report\n  author:\n    - literal: AQOCI\n  issued: 1990\n"
            "  year-suffix: a\n  title: Rapport annuel\n\n- id: aqoci1989a",
            "- id: aqoci1990a",
            "citations.duplicate",
        ),
        "an article DOI outside Crossref's pattern": (
            "article.md",
            "doi: 10.7202/301114ar",
            "doi: 10.7202/301114ar<1>",
            "doi: 10.7202/301114ar<1>",
            "doi.syntax",
        ),
    },
)

CHECK_ERRORS = _cases(
    "error",
    "check",
    {
        # name: (file, old, new, reported text, code)
        "a line of the body left to fill in": (
            "article.md",
            "# La concertation face aux défis de la coopération\n",
            "# La concertation face aux défis de la coopération\n\n"
            "FILL IN: the paragraph on Quebec's 1990 budget\n",
            "FILL IN: the paragraph",
            "intake.gap",
        ),
        "link to no id": (  # the build's JATS would hold an <xref> to nothing
            "article.md",
            "constitue un milieu plutôt jeune au Québec.",
            "constitue un milieu plutôt jeune au Québec ([figure 1](#fig1)).",
            "([figure 1](#fig1))",
            "xref.unknown",
        ),
        "bad DOI": (
            "article.md",
            "doi: 10.7202/301114ar",
            "doi: 10.7202/301114 ar",
            "doi: 10.7202/301114 ar",
            "article.doi-syntax",
        ),
        "wrong prefix": (
            "article.md",
            "doi: 10.7202/301114ar",
            "doi: 10.9999/301114ar",
            "doi: 10.9999/301114ar",
            "doi.prefix",
        ),
        "bad ISSN check digit": (
            "../../journal.yaml",
            "print: 0843-4468",
            "print: 0843-4467",
            "print: 0843-4467",
            "journal.issn",
        ),
        "unknown citation key": (
            "article.md",
            "Mais les uns et les autres",
            "Mais [@aqoci1992] les uns et les autres",
            "[@aqoci1992]",
            "citation.unknown-key",
        ),
        "reference without title": (
            "references.yaml",
            "  year-suffix: a\n  title: Rapport annuel\n\n- id: aqoci1988b",
            "  year-suffix: a\n\n- id: aqoci1988b",
            "- id: aqoci1988a",
            "citations.missing-field",
        ),
        "fpage after lpage, said by check": (
            "article.md",
            "page: 27-37",
            "page: 37-27",
            "page: 37-27",
            "article.page-order",
        ),
        "suffix off pattern": (
            "article.md",
            "doi: 10.7202/301114ar",
            "doi: 10.7202/301114",
            "doi: 10.7202/301114",
            "doi.suffix",
        ),
        "volume disagrees with the issue": (
            "article.md",
            "  page: 27-37",
            "  page: 27-37\n  volume: 5",
            "volume: 5",
            "metadata.inconsistent",
        ),
    },
)

# The front matter of tests/roots/frontmatter (Quarto's blocks, funding, translations).
FRONT_MATTER_ERRORS = _cases(
    "error",
    "check",
    {
        # name: (file, old text, new text, text on the reported line, code)
        "funding of the wrong type": (
            "article.md",
            "  awards:\n",
            "  awards: 3\n  x:\n",
            "awards: 3",
            "metadata.invalid",
        ),
        "unknown funder id form": (
            "article.md",
            'funder-id: "10.13039/501100000266"',
            'funder-id: "501100000266"',
            "funder-id:",
            "funding.funder-id",
        ),
        "pages and article number": (
            "article.md",
            "  article-number: e0200001",
            "  article-number: e0200001\n  page: 1-12",
            "article-number:",
            "article.pages-and-number",
        ),
        "e-location as a page": (
            "article.md",
            "  article-number: e0200001",
            "  page: e0200001",
            "page: e0200001",
            "article.page-elocation",
        ),
        "footnote on a translated title": (  # the article's own title's would be its note
            "article.md",
            "  pt: Assimetria nos mercados de opções",
            "  pt: Assimetria nos mercados de opções^[Uma nota.]",
            "title:",
            "article.title-note",
        ),
        "unknown award recipient": (
            "article.md",
            "recipient: ada",
            "recipient: {ref: adda}",
            "recipient: {ref: adda}",
            "funding.person",
        ),
    },
    "frontmatter",
)

CASES: dict[str, Case] = {**BUILD_ERRORS, **CHECK_WARNINGS, **CHECK_ERRORS, **FRONT_MATTER_ERRORS}
assert len(CASES) == sum(
    map(len, (BUILD_ERRORS, CHECK_WARNINGS, CHECK_ERRORS, FRONT_MATTER_ERRORS))
)
