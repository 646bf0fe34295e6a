"""Jinja templates, one set per format under templates/<format>/, shared pieces in _shared/.

Templates hold all markup; Python hands them the model and pandoc's rendered fragments.
A journal's own templates/ folder overrides galley's file by file (as Sphinx's
templates_path does): a file found there is used, any other comes from galley's set.
A broken template is reported like bad source: the template file, its line, what to fix.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

import jinja2

from galley import languages
from galley.codes import Code
from galley.credit import credit_term
from galley.diagnostics import GalleyError, Span, error
from galley.identifiers import doi_url
from galley.model import Abstract

_HERE = Path(__file__).resolve().parent
# galley's own set: inside the package when installed from a wheel (setup.py copies it there),
# the checkout's top-level templates/ otherwise.
DEFAULT_TEMPLATES = (
    _HERE / "templates" if (_HERE / "templates").is_dir() else _HERE.parent / "templates"
)


def search_path(folder: Path) -> list[Path]:
    """The folders a template is looked up in: the journal's own first, then galley's."""
    folders = [folder.resolve()] if folder.is_dir() else []
    return [*folders, DEFAULT_TEMPLATES] if DEFAULT_TEMPLATES not in folders else folders


class Templates:
    """A Jinja environment over the templates search path, loaded once per run."""

    def __init__(self, folder: Path = DEFAULT_TEMPLATES) -> None:
        self.folders = search_path(folder)
        self.folder = self.folders[0]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.folders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals["label"] = self.label
        self.env.globals["abstract_heading"] = self.abstract_heading
        self.env.globals["colon"] = self.colon
        self.env.filters["language_name"] = languages.name
        self.env.globals["role_name"] = self.role_name
        self.env.filters["doi_url"] = doi_url

    def role_name(self, role: str, lang: str) -> str:
        """A contributor's role as the edition in `lang` says it: a CRediT role in that
        language's words, any other role as typed."""
        term = credit_term(role)
        if term is None:
            return role
        return languages.label(f"credit-{term[1].rstrip('/').rsplit('/', 1)[-1]}", lang)

    def label(self, key: str, lang: str) -> str:
        """A fixed heading ("References") in the article's language (galley.languages)."""
        return languages.label(key, lang)

    def abstract_heading(self, abstract: Abstract) -> str:
        """An abstract's own title, else its kind's name ("toc": PLOS's summary for the
        contents, beside the abstract: two headings "Abstract"), else "Abstract"."""
        if abstract.title:
            return abstract.title
        if abstract.kind:
            return languages.label(f"abstract-{abstract.kind}", abstract.lang, otherwise="abstract")
        return languages.label("abstract", abstract.lang)

    def colon(self, lang: str) -> str:
        """A colon after a heading word, spaced as the language wants ("Mots-clés :")."""
        return f"{languages.typography('colon-space', lang) or ''}:"

    def read_static(self, name: str) -> bytes:
        """A file shipped beside the templates (a stylesheet, a font licence), as bytes."""
        for folder in self.folders:
            path = (folder / name).resolve()
            if folder in path.parents and path.is_file():
                return path.read_bytes()
        raise GalleyError(
            error(
                Code.TEMPLATE_MISSING,
                f"{name} not found in {self.folder}",
                Span(self.folder / name),
                "restore it from git",
            )
        )

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
                    Code.TEMPLATE_MISSING,
                    f"template {exc.name} not found in {self.folder}",
                    Span(self.folder / name),
                    "restore it from git or fix the include",
                )
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            path = Path(exc.filename) if exc.filename else self.folder / name
            raise GalleyError(
                error(
                    Code.TEMPLATE_SYNTAX,
                    f"template syntax error: {exc.message}",
                    Span(path, exc.lineno),
                    "fix the Jinja tag on that line",
                )
            ) from None
        except jinja2.TemplateError as exc:
            raise GalleyError(
                error(
                    Code.TEMPLATE_ERROR,
                    f"template error: {exc}",
                    self._template_span(name),
                    "the template uses a name the model does not have; check the spelling",
                )
            ) from None
        except Exception as exc:  # a template is code: whatever it raises is its problem
            raise GalleyError(
                error(
                    Code.TEMPLATE_ERROR,
                    f"the template failed: {type(exc).__name__}: {exc}",
                    self._template_span(name),
                    "check the expression on that line (a division, an index, a filter)",
                )
            ) from None

    def _template_span(self, name: str) -> Span:
        """The innermost template frame of the exception being handled."""
        frames = traceback.extract_tb(sys.exc_info()[2])
        for frame in reversed(frames):
            if any(frame.filename.startswith(str(folder)) for folder in self.folders):
                return Span(Path(frame.filename), frame.lineno)
        return Span(self.folder / name)
