"""Jinja templates, one set per format under templates/<format>/, shared pieces in _shared/.

Templates hold all markup; Python hands them the model and pandoc's rendered fragments.
A broken template is reported like bad source: the template file, its line, what to fix.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

import jinja2

from galley import languages
from galley.diagnostics import GalleyError, Span, error
from galley.identifiers import doi_url

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class Templates:
    """A Jinja environment over one templates folder, loaded once per run."""

    def __init__(self, folder: Path = DEFAULT_TEMPLATES) -> None:
        self.folder = folder.resolve()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.folder),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals["label"] = self.label
        self.env.globals["colon"] = self.colon
        self.env.filters["language_name"] = languages.name
        self.env.filters["doi_url"] = doi_url

    def label(self, key: str, lang: str) -> str:
        """A fixed heading ("References") in the article's language (galley.languages)."""
        return languages.label(key, lang)

    def colon(self, lang: str) -> str:
        """A colon after a heading word, spaced as the language wants ("Mots-clés :")."""
        return f"{languages.typography('colon-space', lang) or ''}:"

    def read_static(self, name: str) -> bytes:
        """A file shipped beside the templates (a stylesheet, a font licence), as bytes."""
        path = (self.folder / name).resolve()
        if self.folder not in path.parents or not path.is_file():
            raise GalleyError(
                error(
                    "template.missing",
                    f"{name} not found in {self.folder}",
                    Span(self.folder / name),
                    "restore it from git",
                )
            )
        return path.read_bytes()

    def add_filters(self, **filters: Any) -> None:
        self.env.filters.update(filters)

    def render(self, name: str, **context: Any) -> str:
        """Render templates/<name>; any template problem becomes a positioned GalleyError."""
        try:
            return self.env.get_template(name).render(**context)
        except GalleyError:
            raise
        except jinja2.TemplateNotFound as exc:
            raise GalleyError(
                error(
                    "template.missing",
                    f"template {exc.name} not found in {self.folder}",
                    Span(self.folder / name),
                    "restore it from git or fix the include",
                )
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            path = Path(exc.filename) if exc.filename else self.folder / name
            raise GalleyError(
                error(
                    "template.syntax",
                    f"template syntax error: {exc.message}",
                    Span(path, exc.lineno),
                    "fix the Jinja tag on that line",
                )
            ) from None
        except jinja2.TemplateError as exc:
            raise GalleyError(
                error(
                    "template.error",
                    f"template error: {exc}",
                    self._template_span(name),
                    "the template uses a name the model does not have; check the spelling",
                )
            ) from None
        except Exception as exc:  # a template is code: whatever it raises is its problem
            raise GalleyError(
                error(
                    "template.error",
                    f"the template failed: {type(exc).__name__}: {exc}",
                    self._template_span(name),
                    "check the expression on that line (a division, an index, a filter)",
                )
            ) from None

    def _template_span(self, name: str) -> Span:
        """The innermost template frame of the exception being handled."""
        frames = traceback.extract_tb(sys.exc_info()[2])
        for frame in reversed(frames):
            if frame.filename.startswith(str(self.folder)):
                return Span(Path(frame.filename), frame.lineno)
        return Span(self.folder / name)
