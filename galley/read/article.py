"""An article file and its translations: the front matter read into the model, the body
handed to the body and reference readers, every problem in the file reported at once.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from galley import languages, limits, pandoc, xrefs
from galley.ast import Node, RichText, iter_nodes, walk
from galley.citation import cite_as
from galley.codes import Code
from galley.diagnostics import (
    Diagnostic,
    GalleyError,
    Span,
    display_path,
    error,
    raise_if_errors,
    warning,
)
from galley.identifiers import is_language_tag, language_tag
from galley.imported import Imported, excuse
from galley.layout import TRANSLATION_FILE
from galley.model import (
    Abstract,
    Article,
    Asset,
    BackSection,
    Contributor,
    Funding,
    HistoryDate,
    Issue,
    Journal,
    KeywordGroup,
    NumberedObject,
    Pages,
    Reference,
    RelatedArticle,
    SourceMap,
    SupplementaryFile,
    Title,
    TypesetFormula,
)
from galley.read.body import (
    bracket_problems,
    gap_lines,
    link_files,
    locator,
    plain_tex,
    read_assets,
    read_supplementary,
    split_back_matter,
    too_deep,
    typeset_math,
    unsafe_markup,
    without_page_ids,
)
from galley.read.frontmatter import (
    HINTS,
    gap_problems,
    parse_date,
    read_text,
    split_front_matter,
    unknown_fields,
    unknown_keys,
    validate,
)
from galley.read.metadata import (
    landing_page,
    read_contributors,
    read_doi,
    read_funding,
    read_history,
    read_license,
    read_related,
)
from galley.read.pages import read_pages
from galley.read.references import (
    citeproc_item,
    read_nocite,
    read_reference,
    read_references,
    unknown_citations,
)
from galley.sourceschema import ABSTRACT_TYPES, ArticleSource, CslItem
from galley.typography import keep_units
from galley.yamlsource import LineMap, load_yaml

KNOWN_ARTICLE_KEYS = {
    "title",
    "subtitle",
    "short-title",
    "title-note",
    "lang",
    "author",
    "affiliations",
    "abstract",
    "keywords",
    "license",
    "copyright",
    "article-type",
    "section",
    "doi",
    "citation",
    "date",
    "bibliography",
    "references",
    "nocite",
    "number-sections",
    "crossref",
    "editor",
    "reviewer",
    "funding",
    "history",
    "abstracts",
    "related",
    "imported",
}


# Names Windows keeps for devices, with any extension: no file or folder may have them.
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}
)


def _refuse_links_out(path: Path, issue_folder: Path) -> None:
    """An article folder (or its article file) that is a link to elsewhere than its issue:
    galley reads nothing outside the source it was given."""
    folder = path.parent
    for candidate, inside in ((folder, issue_folder), (path, folder)):
        target = candidate.resolve()
        if candidate.is_symlink() and not target.is_relative_to(inside.resolve()):
            raise GalleyError(
                error(
                    Code.ARTICLE_LINK_OUTSIDE,
                    f"{candidate.name} is a link to {target}, outside "
                    f"{'its issue folder' if candidate is folder else 'its article folder'}",
                    Span(path),
                    "copy the article into the source instead of linking to it",
                )
            )


def read_article(path: Path, issue: Issue) -> tuple[Article, list[Diagnostic]]:
    """One article: front matter, references and body into a checked Article, with its
    translations (`article.<lang>.md` beside it: the same article in another language)."""
    name = path.parent.name
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        # The folder's name is the article's id: in file names, URLs, EPUB paths, DOIs.
        raise GalleyError(
            error(
                Code.ARTICLE_FOLDER_NAME,
                f"the article folder '{name}' has characters an id cannot carry (spaces, "
                "accents, punctuation)",
                Span(path),
                "rename the folder with letters, digits, '-', '_' and '.' only (and its "
                "entry in issue.yaml)",
            )
        )
    if name.split(".")[0].upper() in RESERVED_NAMES:
        raise GalleyError(
            error(
                Code.ARTICLE_FOLDER_NAME,
                f"the article folder '{name}' has a name Windows reserves for a device: its "
                "outputs could not be copied to or opened on Windows",
                Span(path),
                "rename the folder (and its entry in issue.yaml)",
            )
        )
    _refuse_links_out(path, issue.path)
    article, problems, base = _read_article_file(path, issue, None)
    translations = []
    for candidate in sorted(path.parent.iterdir()):
        match = TRANSLATION_FILE.match(candidate.name)
        if not match or not candidate.is_file():
            continue
        try:
            translation, found, _ = _read_article_file(candidate, issue, (base, match.group(1)))
        except GalleyError as exc:
            problems.extend(exc.diagnostics)
            continue
        problems.extend(found)
        translations.append(translation)
    raise_if_errors(problems)
    if translations:
        versions = ((article.lang, article.id), *((t.lang, t.id) for t in translations))
        article = replace(
            article,
            translations=tuple(replace(t, versions=versions) for t in translations),
            versions=versions,
        )
    return article, problems


@dataclass(frozen=True)
class _Base:
    """What a translation inherits from the article it translates."""

    article: Article
    source: ArticleSource
    items: list[CslItem]
    ref_spans: dict[str, Span]
    nocite: list[str]


# Keys a translation may give; the rest (authors, references, license...) are the original's.
TRANSLATION_KEYS = {
    "section",
    "title",
    "subtitle",
    "short-title",
    "title-note",
    "lang",
    "abstract",
    "abstracts",
    "keywords",
    "doi",
    "citation",
    "number-sections",
    "crossref",
}


# The field a translation's citations in the original's order go in: its name sorts before
# every other field's, and pandoc's citeproc numbers citations in the order it meets them.
CITATION_ORDER = "!citation-order"


@dataclass
class _Front:
    """An article file's front matter, read: what the body's parse and the model need."""

    path: Path
    issue: Issue
    text: str
    body: str
    body_line: int
    linemap: LineMap
    source: ArticleSource
    lang: str
    imported: Imported | None
    original: Article | None  # the article a translation translates
    inherited: ArticleSource | None  # the original's front matter, for a translation
    doi: str
    pages: Pages
    titles: dict[str, str]
    subtitles: dict[str, str]
    abstracts: dict[str, str]
    contributors: tuple[Contributor, ...]
    editors: tuple[Contributor, ...]
    items: list[CslItem]
    ref_spans: dict[str, Span]
    nocite: list[str]
    history: tuple[HistoryDate, ...]
    related: tuple[RelatedArticle, ...]

    @property
    def start(self) -> Span:
        return Span(self.path, self.body_line)


@dataclass
class _Body:
    """The body as pandoc read it, numbered, checked, and split from its back matter."""

    parsed: pandoc.Parsed
    objects: tuple[NumberedObject, ...]
    formulas: tuple[TypesetFormula, ...]
    deferred: list[Diagnostic]
    assets: tuple[Asset, ...]
    back: tuple[BackSection, ...]
    supplementary: tuple[SupplementaryFile, ...]


def _read_article_file(
    path: Path, issue: Issue, translating: tuple[_Base, str] | None
) -> tuple[Article, list[Diagnostic], _Base]:
    """An article file into the model in four stages: its front matter, its body (one
    pandoc call), its bibliography in the style's order, the article; each stage's errors
    end the reading, all of the stage's at once."""
    problems: list[Diagnostic] = []
    front = _read_front(path, issue, translating, problems)
    fields = _pandoc_fields(front, translating is None)
    body = _read_body(front, fields, problems)
    parsed = body.parsed
    references = _bibliography(front, parsed, problems, warn_uncited=translating is None)
    original = front.original
    source, lang = front.source, front.lang
    article = Article(
        id=f"{original.id}.{translating[1]}" if original and translating else path.parent.name,
        path=path.parent,
        source_file=path,
        issue=issue,
        lang=lang,
        title=parsed.fields[f"title:{lang}"],
        subtitle=parsed.fields.get(f"subtitle:{lang}"),
        title_note=parsed.fields.get("title-note"),
        article_type=source.article_type,
        section=_for_edition(
            source.section, lang, front.inherited.section if front.inherited else None
        ),
        doi=front.doi,
        url=source.citation.url
        or landing_page(issue.journal, issue, path.parent.name, front.doi, lang, original),
        contributors=_with_notes(front, parsed) if translating is None else front.contributors,
        abstracts=_abstracts(front, parsed),
        keywords=tuple(
            KeywordGroup(key or lang, tuple(values))
            for key, values in source.keywords.items()
            if values
        ),
        license=read_license(source.license, source.copyright) or issue.journal.license,
        references=references,
        body=parsed.body,
        cite_as=None,
        deferred=tuple(body.deferred),
        date=parse_date(source.date) if source.date else issue.date,
        source=SourceMap(front.linemap),
        short_title=_for_edition(
            source.short_title, lang, front.inherited.short_title if front.inherited else None
        ),
        assets=body.assets,
        objects=body.objects,
        formulas=body.formulas,
        pages=front.pages,
        translated_titles=tuple(
            Title(key, parsed.fields[f"title:{key}"], parsed.fields.get(f"subtitle:{key}"))
            for key in front.titles
            if key != lang
        ),
        editors=front.editors,
        history=front.history,
        funding=_funding(front, parsed, problems),
        back=body.back,
        supplementary=body.supplementary,
        related=front.related,
        translation_of=original.id if original else None,
        imported=front.imported,
        declared_citation=_declared_citation(source),
    )
    problems[:] = excuse(problems, front.imported)
    raise_if_errors(problems)
    article = replace(article, cite_as=cite_as(article))
    return article, problems, _Base(article, source, front.items, front.ref_spans, front.nocite)


def _read_front(
    path: Path, issue: Issue, translating: tuple[_Base, str] | None, problems: list[Diagnostic]
) -> _Front:
    """The front matter: checked against the schema (a translation's against what it may
    give), read into values; a translation takes the rest from its original."""
    text = read_text(path)
    front, body, body_line = split_front_matter(text, path)
    raise_if_errors(too_deep(body, Span(path, body_line)))
    data, linemap = load_yaml(front, path, line_offset=1)
    journal = issue.journal
    raise_if_errors(gap_problems(data, linemap))
    if translating is None:
        source = validate(ArticleSource, data, linemap)
        problems += unknown_keys(data, KNOWN_ARTICLE_KEYS, linemap)
        problems += unknown_fields(source, linemap)
        lang = language_tag(source.lang or journal.lang)
        imported = _imported(source)
        if not source.author:
            problems.append(
                error(
                    Code.ARTICLE_NO_AUTHOR,
                    "the article names no author",
                    linemap.span(),
                    HINTS["author"],
                )
            )
    else:
        base, tag = translating
        source = _translation_source(base, data, linemap, tag, problems)
        lang = language_tag(source.lang or tag)
        imported = base.article.imported
    if not is_language_tag(lang):
        problems.append(
            error(
                Code.ARTICLE_LANG,
                f"'{lang}' is not a language tag",
                linemap.span(("lang",)),
                HINTS["lang"],
            )
        )
    # a translation without its own DOI is said once, by `translation.doi`
    doi = read_doi(source, linemap, problems, required=translating is None)
    pages = read_pages(source, linemap, problems)
    titles = _by_language(source.title, lang, linemap, "title", problems)
    subtitles = _by_language(source.subtitle, lang, linemap, "subtitle", problems)
    abstracts = _by_language(source.abstract, lang, linemap, "abstract", problems)
    if translating is None:
        contributors = read_contributors(source.author, "author", source, linemap, problems)
        editors = read_contributors(source.editor, "editor", source, linemap, problems)
        editors += read_contributors(source.reviewer, "reviewer", source, linemap, problems)
        items, ref_spans = read_references(source, path.parent, linemap, problems)
        nocite = read_nocite(source, items, linemap, problems)
        history = read_history(source, linemap, problems)
    else:
        contributors, editors = base.article.contributors, base.article.editors
        items, ref_spans, nocite = base.items, base.ref_spans, base.nocite
        history = base.article.history
    related = read_related(source, linemap, problems)
    problems[:] = excuse(problems, imported)
    raise_if_errors(problems)
    return _Front(
        path,
        issue,
        text,
        body,
        body_line,
        linemap,
        source,
        lang,
        imported,
        translating[0].article if translating else None,
        translating[0].source if translating else None,
        doi,
        pages,
        titles,
        subtitles,
        abstracts,
        contributors,
        editors,
        items,
        ref_spans,
        nocite,
        history,
        related,
    )


def _pandoc_fields(front: _Front, original: bool) -> dict[str, str]:
    """The Markdown of the front matter that pandoc reads with the body, by name."""
    source = front.source
    fields = {f"title:{key}": value for key, value in front.titles.items()}
    fields |= {f"subtitle:{key}": value for key, value in front.subtitles.items()}
    fields |= {f"abstract:{key}": value for key, value in front.abstracts.items()}
    if source.title_note:
        fields["title-note"] = source.title_note
    for index, other in enumerate(source.abstracts):
        fields[f"other-abstract:{index}"] = other.text
    for index, author in enumerate(source.author if original else []):
        if author.note:
            fields[f"author-note:{index}"] = author.note
    if source.funding and source.funding.statement and original:
        fields["funding-statement"] = source.funding.statement
    return fields


def _read_body(front: _Front, fields: dict[str, str], problems: list[Diagnostic]) -> _Body:
    """The body and the fields in one pandoc call; then numbered and cross-referenced, its
    formulas typeset, its images and files found, its back matter split off."""
    path, journal, source = front.path, front.issue.journal, front.source
    raise_if_errors(
        [
            *bracket_problems(front.body, fields, front.text, front.start),
            *gap_lines(front.body, front.start),
        ]
    )
    items = front.items
    if len(items) >= limits.LONG_BIBLIOGRAPHY:  # minutes of citeproc: said, not silent
        seconds = limits.pandoc_seconds(len(items))
        sys.stderr.write(
            f"{display_path(path)}: formatting {len(items):,} references in "
            f"{journal.csl.stem} (pandoc's citeproc; at most {seconds:.0f} s)\n"
        )
    if front.original is not None and any(r.label for r in front.original.references):
        # A translation of an article in a numeric style keeps the original's numbers: its
        # references cited first in the original's order, in a field read before the body
        # and dropped after.
        order = " ".join(f"[@{reference.id}]" for reference in front.original.references)
        fields = {CITATION_ORDER: order, **fields}
    parsed = pandoc.parse(
        front.body,
        fields,
        references=[citeproc_item(item) for item in items],
        nocite=front.nocite,
        csl=journal.csl,
        lang=locale_of(front.lang, journal),
        span=front.start,
    )
    problems.extend(parsed.warnings)
    parsed = replace(
        parsed,
        body=RichText.from_ast("blocks", keep_units(parsed.body.nodes)),
        fields={
            k: RichText.from_ast(v.kind, keep_units(v.nodes)) for k, v in parsed.fields.items()
        },
    )
    locate = locator(front.text, path)
    plain = {
        name: plain_tex(value) for name, value in parsed.fields.items() if name != CITATION_ORDER
    }
    plain = _title_footnote(plain, front, problems)
    tex = [n["c"][1] for value in plain.values() for n in iter_nodes(value.nodes, "Math")]
    as_text = pandoc.math_text(tex)  # fields that reach text-only places
    if as_text:
        plain = {k: RichText.from_ast(v.kind, v.nodes, as_text) for k, v in plain.items()}
    body_nodes, objects, found = xrefs.resolve(
        without_page_ids(plain_tex(parsed.body).nodes),
        words=_words(journal, source, front.lang),
        number_sections=(
            journal.number_sections if source.number_sections is None else source.number_sections
        ),
        locate=locate,
    )
    problems.extend(found)
    parsed = replace(parsed, body=RichText.from_ast("blocks", body_nodes), fields=plain)
    formulas = typeset_math(parsed, locate, problems)
    deferred = unknown_citations(parsed.body, items, front.body, front.start)
    unsafe_markup(
        [parsed.body.nodes, *(v.nodes for v in plain.values())], front.text, path, problems
    )
    assets = read_assets(parsed.body, path.parent, front.body, front.start, problems)
    body_nodes, back = split_back_matter(body_nodes)
    supplementary = read_supplementary(back, path.parent, locate, problems)
    body_nodes = link_files(body_nodes, {file.id for file in supplementary})
    problems.extend(
        xrefs.unknown_targets(
            [body_nodes, *(s.body.nodes for s in back), *(v.nodes for v in plain.values())],
            locate,
            {section.id for section in back},
        )
    )
    parsed = replace(parsed, body=RichText.from_ast("blocks", body_nodes))
    if not parsed.body:
        problems.append(
            error(
                Code.ARTICLE_EMPTY_BODY,
                "the article has no body text",
                front.start,
                "write the article's text after the front matter",
            )
        )
    problems[:] = excuse(problems, front.imported)
    raise_if_errors(problems)
    return _Body(parsed, objects, formulas, deferred, assets, back, supplementary)


def _without_notes(node: Node) -> list[Node] | None:
    return [] if node["t"] == "Note" else None


def _title_footnote(
    fields: dict[str, RichText], front: _Front, problems: list[Diagnostic]
) -> dict[str, RichText]:
    """A footnote on the title (`^[...]`, as Quarto allows) is the title's note, called from
    the title in every format as `title-note:` is; one galley cannot place (on a subtitle,
    or beside a `title-note:`) is an error at its line."""
    fields = dict(fields)
    title = f"title:{front.lang}"
    for name, value in list(fields.items()):
        if not (name.startswith(("title:", "subtitle:")) and any(iter_nodes(value.nodes, "Note"))):
            continue
        key = name.split(":")[0]
        if name == title and "title-note" not in fields:
            notes = [block for note in iter_nodes(value.nodes, "Note") for block in note["c"]]
            fields[name] = RichText.from_ast(value.kind, walk(value.nodes, _without_notes))
            single = len(notes) == 1 and notes[0]["t"] in ("Para", "Plain")
            fields["title-note"] = (
                RichText.from_ast("inlines", notes[0]["c"])
                if single
                else RichText.from_ast("blocks", notes)
            )
            continue
        problems.append(
            error(
                Code.ARTICLE_TITLE_NOTE,
                f"the {key} has a footnote galley cannot place"
                + (" beside `title-note:`" if key == "title" else ""),
                front.linemap.span((key,)),
                "a footnote on the title becomes its note; give one note only (`^[...]` in "
                "the title, or `title-note:`), none on a subtitle",
            )
        )
    return fields


def _bibliography(
    front: _Front, parsed: pandoc.Parsed, problems: list[Diagnostic], warn_uncited: bool
) -> tuple[Reference, ...]:
    """The references in the style's order; those neither cited nor listed in `nocite`
    are not part of the bibliography (said once, for the original)."""
    items, spans = front.items, front.ref_spans
    by_id = {item.id: item for item in items}
    # A numeric style numbers the list (citation order): its order; otherwise the file's,
    # the order the editor set (author-date styles sort alike, up to fixed year suffixes).
    numbered = any(entry.label for entry in parsed.bibliography.values())
    order = list(parsed.bibliography) if numbered else [i.id for i in items]
    references = tuple(
        read_reference(by_id[key], parsed.bibliography[key], spans[key])
        for key in order
        if key in by_id and key in parsed.bibliography
    )
    if warn_uncited:
        for item in items:
            if item.id not in parsed.bibliography:
                problems.append(
                    warning(
                        Code.CITATIONS_UNCITED,
                        f"reference @{item.id} is neither cited nor listed in "
                        "`nocite`; it is left out of the bibliography",
                        spans[item.id],
                        f"cite it, add `@{item.id}` to `nocite`, or remove it",
                    )
                )
    return references


def _abstracts(front: _Front, parsed: pandoc.Parsed) -> tuple[Abstract, ...]:
    """The abstract in each language, then the other kinds (digests, key points...)."""
    return tuple(
        Abstract(key, parsed.fields[f"abstract:{key}"]) for key in front.abstracts
    ) + tuple(
        Abstract(
            other.lang or front.lang,
            parsed.fields[f"other-abstract:{index}"].to_blocks(),
            kind=ABSTRACT_TYPES[other.type],
            title=other.title,
        )
        for index, other in enumerate(front.source.abstracts)
    )


def _funding(front: _Front, parsed: pandoc.Parsed, problems: list[Diagnostic]) -> Funding | None:
    """The original's funding, its statement said to be in the original's language (a
    translation shows the original's)."""
    if front.original is not None:
        return front.original.funding
    found = read_funding(front.source, front.contributors, parsed.fields, front.linemap, problems)
    return replace(found, lang=front.lang) if found else None


def _for_edition(
    value: str | dict[str, str] | None,
    lang: str,
    original: str | dict[str, str] | None = None,
) -> str | None:
    """A value given once or per language (`short-title: {en: ..., pt: ...}`), for the
    edition in `lang`; a translation without its own takes the original's entry for it."""
    for given in (value, original):
        if isinstance(given, dict):
            found = next((v for k, v in given.items() if _same_language(k, lang)), None)
            if found:
                return found
        elif given and given is value:
            return given
    return None


def _with_notes(front: _Front, parsed: pandoc.Parsed) -> tuple[Contributor, ...]:
    """The authors, each with its note as pandoc read it."""
    notes = {
        index: parsed.fields[f"author-note:{index}"]
        for index, author in enumerate(front.source.author)
        if author.note
    }
    return tuple(replace(c, note=notes.get(i)) for i, c in enumerate(front.contributors))


def _declared_citation(source: ArticleSource) -> tuple[tuple[str, str], ...]:
    """The container values the article's `citation` gives, for the consistency checks."""
    return tuple(
        (key, str(value))
        for key, value in (
            ("container-title", source.citation.container_title),
            ("volume", source.citation.volume),
            ("issue", source.citation.issue),
            ("issn", source.citation.issn),
        )
        if value is not None
    )


def _imported(source: ArticleSource) -> Imported | None:
    """The `imported:` block: the original an import came from and what it lacks."""
    if source.imported is None:
        return None
    gaps = tuple((kind, tuple(items)) for kind, items in source.imported.gaps.items())
    return Imported(source.imported.original, gaps)


def _same_language(declared: str, named: str) -> bool:
    """Whether one tag is the other with more subtags (pt and pt-BR), by BCP 47's prefix
    rule, letter case aside."""
    one, other = declared.lower().split("-"), named.lower().split("-")
    shorter, longer = sorted((one, other), key=len)
    return longer[: len(shorter)] == shorter


def _translation_source(
    base: _Base, data: Any, linemap: LineMap, lang: str, problems: list[Diagnostic]
) -> ArticleSource:
    """A translation's front matter over the original's: its own title, abstract, keywords
    and DOI; everything else (authors, references, licence, dates) is the original's."""
    if not isinstance(data, dict):
        validate(ArticleSource, data, linemap)  # raises the usual error
    for key in data:
        if key not in TRANSLATION_KEYS:
            problems.append(
                error(
                    Code.TRANSLATION_KEY,
                    f"`{key}` belongs in the original article, not in its translation",
                    linemap.span((key,)),
                    f"keep {', '.join(sorted(TRANSLATION_KEYS))} here; the rest comes from "
                    "article.md",
                )
            )
    declared = data.get("lang")
    if declared is not None and declared != lang:
        primary = str(declared).split("-")[0]
        if _same_language(str(declared), lang):  # article.pt.md says pt-BR: the finer tag
            lang = str(declared)
        else:
            problems.append(
                error(
                    Code.TRANSLATION_LANG,
                    f"this file is named for '{lang}' but says `lang: {declared}`",
                    linemap.span(("lang",)),
                    f"rename the file article.{declared}.md"
                    + (f" (or article.{primary}.md)" if primary != declared else "")
                    + ", or fix `lang`",
                )
            )
    if "doi" not in data and "doi" not in (data.get("citation") or {}):
        problems.append(
            error(
                Code.TRANSLATION_DOI,
                "a translation needs a DOI of its own",
                linemap.span(),
                "add `doi: 10.xxxx/...` (each language version is registered separately)",
            )
        )
    merged = base.source.model_dump(by_alias=True, exclude_none=True)
    # a translation's own, never the original's: `crossref:` holds words of its language
    for key in (
        "subtitle",
        "title-note",
        "abstract",
        "abstracts",
        "keywords",
        "short-title",
        "doi",
        "crossref",
    ):
        merged.pop(key, None)
    merged["citation"] = {
        k: v for k, v in merged.get("citation", {}).items() if k not in ("doi", "url")
    }
    translation = {k: v for k, v in data.items() if k in TRANSLATION_KEYS}
    if "citation" in translation and isinstance(translation["citation"], dict):
        translation["citation"] = {**merged["citation"], **translation["citation"]}
    merged.update(translation)
    merged["lang"] = lang
    return validate(ArticleSource, merged, linemap)


def _by_language(
    values: dict[str, str], lang: str, linemap: LineMap, key: str, problems: list[Diagnostic]
) -> dict[str, str]:
    """A field given once (in the article's language) or per language: {lang: text}, the
    article's own language first."""
    found = {(tag or lang): text for tag, text in values.items()}
    for tag in found:
        if not is_language_tag(tag):
            problems.append(
                error(
                    Code.ARTICLE_LANG,
                    f"{key} language '{tag}' is not a language tag",
                    linemap.span((key, tag)),
                    HINTS["lang"],
                )
            )
    if key == "title" and found and lang not in found:
        problems.append(
            error(
                Code.ARTICLE_TITLE_LANG,
                f"the title is given in {', '.join(found)} but not in the article's "
                f"language ({lang})",
                linemap.span((key,)),
                f"add `{lang}:` under `title:`, or set `lang:` to the title's language",
            )
        )
    return dict(sorted(found.items(), key=lambda item: item[0] != lang))


def locale_of(lang: str, journal: Journal) -> str:
    """The citation locale: the article's language, with the journal's region when the
    journal declares the same language more precisely (pt with a pt-BR journal: pt-BR)."""
    if "-" not in lang and journal.lang.split("-")[0].lower() == lang.lower():
        return journal.lang
    return lang


def _words(journal: Journal, source: ArticleSource, lang: str) -> xrefs.Words:
    """Caption and cross-reference words: the language's, the journal's, then Quarto's
    `crossref:` options in the article."""
    overrides = journal.label_overrides
    options = source.crossref

    def word(key: str, option: str | None) -> str:
        return option or languages.label(key, lang, overrides)

    return xrefs.Words(
        figure=word("figure", options.fig_title),
        table=word("table", options.tbl_title),
        figure_ref=word("figure-ref", options.fig_prefix),
        table_ref=word("table-ref", options.tbl_prefix),
        equation_ref=word("equation-ref", options.eq_prefix),
        section_ref=word("section-ref", options.sec_prefix),
        delimiter=options.title_delim or str(languages.typography("caption-delimiter", lang)),
    )
