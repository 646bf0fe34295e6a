"""TeX to SVG with MathJax (Node), for the print edition: WeasyPrint cannot lay out MathML.

One Node process (galley/node/tex2svg.js) serves a whole galley process, fed one batch of
formulas per article. The web and e-book editions use the MathML pandoc writes; print uses
these SVGs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from galley import nodejs
from galley.codes import Code
from galley.diagnostics import GalleyError, error
from galley.model import TypesetFormula
from galley.services import LineService

_SIZE = re.compile(r'\b(width|height)="([-\d.]+ex)"')
_ALIGN = re.compile(r"vertical-align:\s*([-\d.]+ex)")


def _command() -> list[str]:
    nodejs.package("mathjax-full", "print math")
    return nodejs.command("tex2svg.js")


_SERVICE = LineService(_command, nodejs.environment)


def typeset(
    formulas: Sequence[tuple[str, bool]],
) -> tuple[list[TypesetFormula], list[tuple[str, str]]]:
    """Each (TeX, display?) as SVG; and the formulas MathJax refused, with its reason."""
    if not formulas:
        return [], []
    done: list[TypesetFormula] = []
    failed: list[tuple[str, str]] = []
    try:
        answers = json.loads(_SERVICE.ask(json.dumps([list(item) for item in formulas])))
    except (OSError, json.JSONDecodeError) as exc:
        raise GalleyError(
            error(
                Code.TOOL_MATHJAX,
                f"MathJax stopped while typesetting formulas: {exc}",
                hint="run `galley tools install` once (it installs mathjax-full)",
            )
        ) from None
    for (tex, display), answer in zip(formulas, answers, strict=True):
        if "svg" not in answer:
            failed.append((tex, answer.get("error", "")))
            continue
        svg = answer["svg"]
        head = svg[: svg.index(">")]
        sizes = dict(_SIZE.findall(head))
        align = _ALIGN.search(head)
        done.append(
            TypesetFormula(
                tex,
                display,
                svg,
                sizes.get("width", "auto"),
                sizes.get("height", "auto"),
                align.group(1) if align else "0ex",
            )
        )
    return done, failed
