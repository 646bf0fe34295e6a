"""The print edition: paged HTML laid out by WeasyPrint into a tagged PDF/A-3b.

Layout is also where the print pages become known, so this renderer returns, besides the
PDF, the article's `Pagination` (its folios and where each page begins in the text), which
the pipeline hands to every other format.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from markupsafe import Markup

from galley import languages
from galley.ast import Node
from galley.codes import Code
from galley.diagnostics import Diagnostic, GalleyError, Span, error, warning
from galley.fonts import print_fonts
from galley.identifiers import roman_or_int
from galley.model import Article, Asset, PageStart, Pagination
from galley.pagination import BLOCK_ANCHOR, block_texts, number_blocks
from galley.render import BuildInfo, Output, article_file, spacing
from galley.render.text import ArticleText, inner_markup, render_text
from galley.templating import Templates
from galley.typography import french

PDF_VARIANT = "pdf/a-3b"


@dataclass(frozen=True)
class Layout:
    """The print edition of one article and what its layout says about pages."""

    output: Output
    pagination: Pagination
    notices: tuple[Diagnostic, ...] = ()  # what the layout had to do otherwise than asked


def render(
    article: Article,
    templates: Templates,
    info: BuildInfo,
    first_page: int,
    columns: int | None = None,
) -> Layout:
    """Lay the article out from folio `first_page` and return the PDF and its pagination
    (in `columns` columns rather than the journal's, when given)."""
    import weasyprint  # costly import, only when printing
    from weasyprint.text.fonts import FontConfiguration

    expected: list[str] = []

    def prepare(blocks: list[Node]) -> list[Node]:
        blocks = number_blocks(blocks)
        blocks = french(blocks) if languages.typography("french-spacing", article.lang) else blocks
        expected.extend(block_texts(blocks))
        return blocks

    text = render_text(article, "inline", transform=prepare)
    text = replace(text, body=joined(text.body))
    layout = article.journal.print_layout
    if columns is not None:
        layout = replace(layout, columns=columns)
    if layout.columns > 1:
        text = replace(text, body=spanned(text.body))
    faces = print_fonts()
    templates.add_filters(between_blocks=between_blocks)
    stamp = info.timestamp(article.date).strftime("%Y-%m-%dT%H:%M:%SZ")

    def page_of(text: ArticleText, fitted: bool = False) -> str:
        if layout.columns > 1:
            text = replace(text, body=columned(text.body))
        return spaces_inside(
            templates.render(
                "pdf/article.html.jinja",
                fitted=fitted,
                article=article,
                issue=article.issue,
                journal=article.journal,
                text=text,
                first_page=first_page,
                recto_first=first_page % 2 == 1,
                created=stamp,
                short_title=_running_title(article, text),
                layout=layout,
            )
        )

    stylesheet = templates.render(
        "pdf/print.css.jinja",
        faces={f"{weight}-{style}": path.as_uri() for (weight, style), path in faces.items()},
        recto_first=first_page % 2 == 1,
        folio_style=_folio_style(article),
        layout=layout,
    )
    fetcher = _local_fetcher(
        sorted({path.parent for path in faces.values()}),
        {(article.path / a.name).resolve(): a for a in article.assets},
    )
    fonts_config = FontConfiguration()
    try:
        css = weasyprint.CSS(string=stylesheet, url_fetcher=fetcher, font_config=fonts_config)

        images: dict[str, Any] = {}  # each image (a formula's too) read once for all layouts

        def lay_out(page: str) -> Any:
            return weasyprint.HTML(
                string=page, base_url=article.path.as_uri() + "/", url_fetcher=fetcher
            ).render(stylesheets=[css], font_config=fonts_config, cache=images)

        if layout.justify:  # each paragraph set loose is given narrower spaces that help
            body = spacing.evened(
                text.body,
                lambda body, shown: lay_out(spacing.only(page_of(replace(text, body=body)), shown)),
            )
            text = replace(text, body=body)
        document = lay_out(page_of(text))
        body = text.body
        if lost := _lost(document, len(FLOWS.findall(body))):
            raise LostBlocks(lost)
        kept: tuple[int, float] | None = None  # the kept layout's pages and holes, once
        letters = 0  # ... and the letters it lays out, counted once a pass is made
        for _ in range(PASSES if layout.columns > 1 else 0):
            moves = carried_floats(document)
            if not moves:
                break
            if kept is None:
                kept, letters = (len(document.pages), holes(document)), _letters(document)
            # Laid out again with each carried float after the text that fills its gap; a
            # move may open a gap further on, which the next pass fills. A layout of more
            # pages or more holes than the one before it, or one that lost text, is not kept.
            moved = deferred(body, moves)
            try:
                again = lay_out(page_of(replace(text, body=moved)))
            except GalleyError:
                raise
            except Exception:  # WeasyPrint's columns may fail on the moved body: keep the last
                break
            if _letters(again) != letters:
                break
            measured = (len(again.pages), holes(again))
            if measured >= kept:
                break
            document, kept, body = again, measured, moved
        counts = _page_letters(document)
        if _short_last(counts):
            # The back matter set tight (references with no space between them, on a tighter
            # leading), kept if the last page's few lines then fit on the page before it, as
            # a compositor would.
            try:
                tight = lay_out(page_of(replace(text, body=body), fitted=True))
            except GalleyError:
                raise
            except Exception:  # one WeasyPrint cannot lay out keeps the layout before it
                tight = document
            if len(tight.pages) < len(counts) and _letters(tight) == sum(counts):
                document = tight
    except GalleyError:
        raise
    except Exception as exc:  # WeasyPrint reports layout failures as plain exceptions
        if layout.columns > 1:  # its column layout has crashes of its own: one column then
            fallback = render(article, templates, info, first_page, columns=1)
            notice = warning(
                Code.PDF_COLUMNS,
                f"the {layout.columns}-column print layout failed ({type(exc).__name__}: "
                f"{exc}); {article.id} is printed in one column",
                Span(article.source_file),
                "nothing to change in the source; the print layout of this article differs "
                "from the journal's until WeasyPrint lays it out in columns",
            )
            return replace(fallback, notices=(notice, *fallback.notices))
        raise GalleyError(
            error(Code.PDF_LAYOUT, f"print layout failed: {exc}", Span(article.source_file))
        ) from None
    if fetcher.refused:
        raise GalleyError(
            error(
                Code.PDF_FETCH_REFUSED,
                f"the print layout needs {fetcher.refused[0]}, "
                "but only the article's folder and the fonts may be read",
                Span(article.source_file),
                "put images in the article's folder",
            )
        )
    document.metadata = _with_citation_xmp(document.metadata, _xmp(article))
    data = document.write_pdf(
        pdf_variant=PDF_VARIANT, pdf_tags=True, pdf_identifier=article.identifier.encode("utf-8")
    )
    starts = tuple(_page_starts(document, expected))
    last = first_page + len(document.pages) - 1
    pagination = Pagination(
        first_page,
        last,
        tuple(PageStart(first_page + s.page, s.block, s.chars, s.reference) for s in starts),
    )
    output = Output(article_file(article, "pdf"), data, "pdf", "application/pdf", doi=article.doi)
    return Layout(output, pagination)


def between_blocks(fragment: str) -> Markup:
    """`fragment` without the white space that stands between tags on lines of its own (not
    the spaces between words and inline elements)."""
    return Markup(re.sub(r">\s*\n\s*<", "><", str(fragment)).strip())


WORD_JOINER = "\u2060"  # no break on either side; Pango draws nothing for it
# A hyphen of the text with fewer than three letters (or digits) on one side: "p-value",
# "x-axis", "destacando-se". A line may not end at it, as it may not end at a hyphenation
# point that leaves fewer than three (hyphenate-limit-chars in print.css.jinja).
VERBATIM = ("code", "pre", "svg", "math", "script", "style")
SHORT_HYPHEN = re.compile(r"(?<!\w)\w{1,2}-(?=\w)|(?<=\w)-(?=\w{1,2}(?!\w))")


def joined(body: Markup) -> Markup:
    """`body` with a word joiner after each hyphen that would strand a fragment of fewer than
    three characters at a line end ("p-/value"); not in code, where text is as typed."""
    from lxml import html

    if "-" not in body:
        return body
    wrapper = html.fragment_fromstring(str(body), create_parent="div")

    def join(text: str | None) -> str | None:
        return SHORT_HYPHEN.sub(lambda m: m[0] + WORD_JOINER, text) if text else text

    for element in wrapper.iter():
        verbatim = any(e.tag in VERBATIM for e in element.iterancestors())
        if not verbatim and element.tag not in VERBATIM:
            element.text = join(element.text)
        if not verbatim and element is not wrapper:  # the tail stands in the parent
            element.tail = join(element.tail)
            tail = element.tail or ""
            if tail[:1] == "-" and re.fullmatch(r"\w{1,2}", "".join(element.itertext())):
                element.tail = "-" + WORD_JOINER + tail[1:]  # "<i>x</i>-axis"
    return inner_markup(wrapper)


# WeasyPrint (70) measures a run of text with the space that ends it: a run followed by an
# inline element (a link, an emphasis, a code) that fits on its line only without that space
# is taken as too long, and its first word is hyphenated there and set alone ("196. Bern-" /
# "ers-Lee T. Hypertext Style: …", pcbi.1000204's references). Inside the element, the space
# starts a run instead, where it is a break like any other. Not <sup> or <sub>, where a
# space would print smaller.
SPACE_BEFORE_INLINE = re.compile(r" (<(?:a|span|em|i|b|strong|cite|q)\b[^>]*>)")


def spaces_inside(page: str) -> str:
    """`page` with each space that stands before an inline element moved inside it."""
    return SPACE_BEFORE_INLINE.sub(r"\1 ", page)


SPAN_TABLE = 3  # a table of more columns than this spans both columns of the text


def spanned(body: Markup) -> Markup:
    """The body for a page of two columns: each table too wide for a column marked to span
    both, and each section that holds one unwrapped, since such a table stands between two
    columns boxes (`columned`), outside any section; its id moves to its heading, where a
    link to it lands. The other sections stay, as Sect in the tagged PDF (H1-H6 alone make
    it weakly structured). Each block of the flow is numbered, for carried_floats."""
    from lxml import html

    wrapper = html.fragment_fromstring(str(body), create_parent="div")
    for table in wrapper.xpath("//div[contains(concat(' ', @class, ' '), ' table-wrap ')]"):
        columns = max(
            (sum(int(cell.get("colspan", "1") or 1) for cell in row) for row in table.iter("tr")),
            default=0,
        )
        if columns > SPAN_TABLE:  # a table to turn is set across both columns: see the CSS
            table.set("class", f"{table.get('class')} span")
    for section in list(wrapper.iter("section")):
        if section.xpath(f".//{OUT_OF_COLUMNS}"):
            _unwrap(section)
    for index, block in enumerate(_flow(wrapper)):
        block.set(FLOW, str(index))
    return inner_markup(wrapper)


def _flow(container: Any) -> Iterator[Any]:
    """The blocks of the flow in reading order: the container's children, and those of its
    sections, never what a block holds (a section in a box is the box's)."""
    for child in container:
        if child.tag == "section":
            yield from _flow(child)
        elif isinstance(child.tag, str):
            yield child


def columned(body: Markup) -> Markup:
    """`body` (as `spanned` and `deferred` made it) with each run of blocks between the
    spanning ones in a columns box of its own, the spanning ones between them. Not one box
    with `column-span`: WeasyPrint drops all that follows a spanning block, without an error,
    when the columns before it just fit their page (Kozea/WeasyPrint#489); between boxes, a
    spanning block is a block like any other."""
    from lxml import etree, html

    wrapper = html.fragment_fromstring(str(body), create_parent="div")
    run: Any = None
    for child in list(wrapper):
        if child.xpath(f"self::{OUT_OF_COLUMNS}"):
            run = None
            continue
        if run is None:
            run = etree.Element("div", {"class": "columns"})
            child.addprevious(run)
        run.append(child)  # the element moves with its tail text
    return inner_markup(wrapper)


def _unwrap(section: Any) -> None:
    """The section's content in its place, its id on its heading (or on an empty span)."""
    from lxml import etree

    identifier = section.get("id")
    heading = next((child for child in section if child.tag in HEADINGS), None)
    if identifier and heading is not None and not heading.get("id"):
        heading.set("id", identifier)
    elif identifier:
        section.insert(0, etree.Element("span", id=identifier))
    section.drop_tag()


# What stands between two columns boxes: a table across both columns.
OUT_OF_COLUMNS = "div[contains(concat(' ', @class, ' '), ' span ')]"


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


FLOW = "data-flow"  # each block of a two-column body, numbered in reading order
FLOWS = re.compile(rf' {FLOW}="\d+"')


class LostBlocks(Exception):
    """WeasyPrint's columns left blocks of the flow out, without an error (in one columns
    box, all that followed a spanning table: see `columned`): never printed as it is."""

    def __init__(self, lost: int) -> None:
        super().__init__(f"it left {lost} block(s) of the text out")


def _lost(document: Any, flows: int) -> int:
    """How many of the `flows` numbered blocks of the body the layout holds no box for."""
    return flows - len(_pieces(document)[0]) if flows else 0


def _letters(document: Any) -> int:
    """The letters and digits laid out on the pages (running heads, folios and tables'
    heads aside, which repeat on each page): the same in every layout of one text, whatever
    its line and page breaks."""
    return sum(_page_letters(document))


def _page_letters(document: Any) -> list[int]:
    """The letters and digits laid out on each page, as `_letters` counts them."""
    from weasyprint.formatting_structure import boxes

    def count(box: Any) -> int:
        if isinstance(box, boxes.MarginBox) or getattr(box, "is_header", False):
            return 0
        own = sum(ch.isalnum() for ch in box.text) if isinstance(box, boxes.TextBox) else 0
        return own + sum(count(child) for child in getattr(box, "children", ()))

    return [count(page._page_box) for page in document.pages]


SHORT_LAST = 0.2  # a last page holding less than this share of the page before it is fitted


def _short_last(letters: list[int]) -> bool:
    """Whether the last page, of pages holding these `letters`, holds only a few lines: less
    than SHORT_LAST of the page before it (two references, the end of a list), which setting
    the back matter tighter may bring back."""
    return len(letters) > 1 and letters[-1] < SHORT_LAST * letters[-2]


GAP = 0.25  # of a column's height: a float carried away from more than this left a hole


@dataclass(frozen=True)
class _Piece:
    """Where one fragment of a block of the flow was laid: its page, column and extent."""

    page: int
    column: int
    top: float
    bottom: float
    tag: str
    classes: str


def _pieces(document: Any) -> tuple[dict[int, list[_Piece]], list[float]]:
    """Where each block of the flow was laid, and the foot of each page's columns."""
    pieces: dict[int, list[_Piece]] = {}

    def walk(box: Any, page: int) -> None:
        element = getattr(box, "element", None)
        flow = (
            element.get(FLOW)
            if element is not None and "::" not in (box.element_tag or "")
            else None
        )
        if element is not None and flow is not None:
            pieces.setdefault(int(flow), []).append(
                _Piece(
                    page,
                    round(box.position_x),
                    box.position_y,
                    box.position_y + box.margin_height(),
                    box.element_tag or "",
                    element.get("class") or "",
                )
            )
            return
        for child in getattr(box, "children", ()):
            walk(child, page)

    for number, page in enumerate(document.pages):
        walk(page._page_box, number)
    return pieces, [_foot(page._page_box) for page in document.pages]


def holes(document: Any) -> float:
    """The height left empty at the foot of the columns of every page but the last, where a
    column ends more than GAP short of it: what a move of floats must not add to."""
    pieces, feet = _pieces(document)
    ends: dict[tuple[int, int], float] = {}
    tops: dict[int, float] = {}
    for piece in (p for ps in pieces.values() for p in ps):
        key = (piece.page, piece.column)
        ends[key] = max(ends.get(key, 0.0), piece.bottom)
        tops[piece.page] = min(tops.get(piece.page, piece.top), piece.top)
    last = len(document.pages) - 1
    gaps = [
        feet[page] - end
        for (page, _), end in ends.items()
        if page < last and feet[page] - end > GAP * (feet[page] - tops[page])
    ]
    return sum(gaps)


PASSES = 3  # layouts with floats moved, at most, after the first


def carried_floats(document: Any) -> dict[int, int]:
    """The figures (and tables at column width) WeasyPrint carried to the next column,
    leaving more than GAP of the column before them empty (it has no page floats), each
    with the block after which it would fill that gap: the paragraphs that follow it, as
    far as their height covers the gap, as LaTeX sets a float later, never earlier."""
    pieces, feet = _pieces(document)
    first_laid = {flow: (ps[0].page, ps[0].column, ps[0].top) for flow, ps in pieces.items()}
    order = sorted(pieces, key=first_laid.__getitem__)  # as read, whatever the numbers say
    moves: dict[int, int] = {}
    for before, flow in itertools.pairwise(order):
        first, last = pieces[flow][0], pieces[before][-1]
        classes = first.classes.split()
        if not _floating(first) or (first.page, first.column) == (last.page, last.column):
            continue
        if "span" in classes and first.page == last.page:  # set under the balanced columns
            continue
        on_page = [p for ps in pieces.values() for p in ps if p.page == last.page]
        # The foot of the page's columns, where both may end short of it (a float too tall
        # for what either left).
        top = min(p.top for p in on_page)
        bottom = max(feet[last.page], *(p.bottom for p in on_page))
        if "span" in classes and first.page > last.page and _floating(last):
            # A table across both columns carried past a figure that ends the page: the
            # figure, alone between two spanning blocks, leaves the column beside it empty;
            # set first, the table may fit where the figure began (floats of two kinds may
            # pass each other, as in LaTeX), and the figure then shares its rows with text.
            height = sum(p.bottom - p.top for p in pieces[flow] if p.page == first.page)
            if order.index(before) > 0 and height <= _room(pieces, order, before, bottom):
                moves[flow] = order[order.index(before) - 1]
                continue
        gap = bottom - last.bottom
        if gap <= GAP * (bottom - top):
            continue
        if "span" in classes:  # across both columns: the text before it fills two
            gap *= 2
        filled, after = 0.0, None
        for following in order[order.index(flow) + 1 :]:
            # Paragraphs fill the gap, and headings with them (the float then stands in the
            # next section, as floats do); anything else ends the text that may pass it.
            if filled >= gap or any(p.tag not in FILLERS for p in pieces[following]):
                break
            filled += sum(p.bottom - p.top for p in pieces[following])
            if all(p.tag == "p" for p in pieces[following]):  # never right after a heading
                after = following
        if after is not None:
            moves[flow] = after
    return moves


def _room(pieces: dict[int, list[_Piece]], order: list[int], figure: int, foot: float) -> float:
    """The height a spanning block set before `figure` would have on the figure's page: below
    the columns the text before the figure fills once balanced without it (from the top of
    the page or of the last spanning block before it) and above `foot`."""
    page = pieces[figure][-1].page
    top = min(p.top for p in pieces[figure] if p.page == page)
    text = 0.0
    for flow in reversed(order[: order.index(figure)]):
        on_page = [p for p in pieces[flow] if p.page == page]
        if not on_page or any("span" in p.classes.split() for p in on_page):
            break
        top = min(top, *(p.top for p in on_page))
        text += sum(p.bottom - p.top for p in on_page)
    return foot - top - text / 2


def _foot(page_box: Any) -> float:
    """Where the page's text ends at most: its content box's foot, or its notes' top."""
    from weasyprint.formatting_structure import boxes

    notes: list[float] = [
        child.position_y
        for child in page_box.children
        if isinstance(child, boxes.FootnoteAreaBox) and child.children
    ]
    foot: float = page_box.content_box_y() + page_box.height
    return min([foot, *notes])


FILLERS = ("p", *HEADINGS)  # the blocks that may be set before a float carried past a gap


def _floating(piece: _Piece) -> bool:
    """A figure or a table."""
    return piece.tag == "figure" or "table-wrap" in piece.classes.split()


def deferred(body: Markup, moves: dict[int, int]) -> Markup:
    """`body` (as `spanned` made it) with each block `moves` names set after its block."""
    from lxml import html

    wrapper = html.fragment_fromstring(str(body), create_parent="div")
    blocks = {int(block.get(FLOW)): block for block in wrapper.iter() if block.get(FLOW)}
    for flow, after in sorted(moves.items(), key=lambda move: -move[0]):
        if flow in blocks and after in blocks:
            blocks[after].addnext(blocks[flow])  # the element moves; its tail text stays
    for block in blocks.values():  # one set into a kept section must still span: unwrap it
        if block.xpath(f"self::{OUT_OF_COLUMNS}"):
            for section in list(block.iterancestors("section")):
                _unwrap(section)
    return inner_markup(wrapper)


def _folio_style(article: Article) -> str:
    """How folios print: as declared (roman front matter stays roman), or "3 / 12" for an
    article-numbered article, whose sheets are no citable pages."""
    first = article.pages.first
    if article.pages.numbered:
        return "of-total"
    if first and not first.isdigit() and roman_or_int(first):
        return "upper-roman" if first.isupper() else "lower-roman"
    return "decimal"


def _running_title(article: Article, text: ArticleText) -> Markup | str:
    """The title in the recto running head, beside the authors on one line: `short-title`,
    else the title itself when it is short (with its formulas), else cut at a word; either
    cut to what the line leaves beside the authors."""
    room = max(RUNNING_HEAD - len(article.authors_short) - 3, 20)
    if article.short_title:
        return _short(article.short_title, room)
    if len(article.title.plain) <= min(RUNNING_TITLE, room):
        return text.title
    return _short(text.title_text, min(RUNNING_TITLE, room))


RUNNING_TITLE = 60
RUNNING_HEAD = 84  # characters a running head holds on one line at its size (8.5 pt)


def _short(title: str, limit: int = RUNNING_TITLE) -> str:
    if len(title) <= limit:
        return title
    return title[: title.rfind(" ", 0, limit)] + "…"


def _with_citation_xmp(metadata: Any, description: bytes) -> Any:
    """WeasyPrint's metadata, with one more rdf:Description inside its rdf:RDF.

    (Its `xmp_metadata` list would add a second rdf:RDF, which XMP does not allow.)
    """
    from weasyprint.pdf.metadata import DocumentMetadata

    class CitationMetadata(DocumentMetadata):  # type: ignore[misc]
        def generate_rdf_metadata(self, *args: Any) -> bytes:
            rdf: bytes = super().generate_rdf_metadata(*args)
            return rdf.replace(b"</rdf:RDF>", description + b"</rdf:RDF>")

    fields = (
        "title",
        "authors",
        "description",
        "keywords",
        "generator",
        "created",
        "modified",
        "attachments",
        "lang",
        "custom",
        "xmp_metadata",
    )
    return CitationMetadata(**{name: getattr(metadata, name) for name in fields})


PRISM = "http://prismstandard.org/namespaces/basic/2.0/"
DC = "http://purl.org/dc/elements/1.1/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _xmp(article: Article) -> bytes:
    """The DOI and citation in XMP (PRISM and Dublin Core), as repositories harvest them;
    only what the article declares (no issue number for a volume without issues, no pages
    for an article number), built by a serializer."""
    from lxml import etree

    description = etree.Element(
        f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""}, nsmap={"prism": PRISM, "dc": DC}
    )
    issn = article.journal.issn_electronic or article.journal.issn_print or ""
    values = [
        (DC, "identifier", f"doi:{article.doi}" if article.doi else article.identifier),
        (PRISM, "doi", article.doi or None),
        (PRISM, "url", article.doi_url or article.url),
        (PRISM, "publicationName", article.journal.title),
        (PRISM, "issn", issn),
        (PRISM, "volume", article.issue.volume),
        (PRISM, "number", article.issue.number),
        (PRISM, "startingPage", article.pages.first),
        (PRISM, "endingPage", article.pages.last if article.pages.first else None),
    ]
    if article.pages.number:
        values.append((PRISM, "articleNumber", article.pages.number))
    for namespace, name, value in values:
        if value:
            etree.SubElement(description, f"{{{namespace}}}{name}").text = value
    xml: bytes = etree.tostring(description, encoding="utf-8")
    return xml


def _local_fetcher(folders: list[Path], assets: dict[Path, Asset]) -> Any:
    """A WeasyPrint fetcher that reads the fonts and serves the article's own images from
    the model (read by the reader), and nothing else.

    Refused addresses are remembered, so the build can fail with a clear message instead
    of WeasyPrint's warning and a silently missing image.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = [folder.resolve() for folder in folders]

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if path in assets:
                    asset = assets[path]
                    return URLFetcherResponse(url, asset.data, {"Content-Type": asset.media_type})
                if any(path == folder or folder in path.parents for folder in allowed):
                    return super().fetch(url, headers)
            elif url.startswith("data:"):
                return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"refused: {url}")

    return LocalFetcher(allowed_protocols={"file", "data"})


@dataclass(frozen=True)
class _Start:
    page: int
    block: int | None
    chars: int
    reference: str | None


def _page_starts(document: Any, expected: list[str]) -> Iterator[_Start]:
    """Where each page after the first begins, from WeasyPrint's laid-out boxes.

    `expected` holds each block's visible characters, which tells a hyphen the layout
    added at a line end (not counted) from one that is in the text (counted).
    """
    from weasyprint.formatting_structure import boxes

    state: dict[str, Any] = {"block": None, "chars": 0, "reference": None}

    def text_boxes(box: Any, in_refs: bool) -> Iterator[tuple[Any, bool]]:
        tag = box.element_tag or ""
        if tag.endswith(("::footnote-call", "::marker", "::before", "::after")):
            return
        element = box.element
        if element is not None and "::" not in tag:
            identifier = element.get("id") or ""
            classes = (element.get("class") or "").split()
            if "footnote" in classes:
                return
            if isinstance(box, boxes.InlineBox) and identifier.startswith(BLOCK_ANCHOR):
                state.update(block=int(identifier[len(BLOCK_ANCHOR) :]), chars=0, reference=None)
            if "references" in classes:
                in_refs = True
                state.update(reference="")
            if in_refs and element.tag == "li" and identifier.startswith("ref-"):
                state.update(reference=identifier[4:])
        if isinstance(box, boxes.TextBox):
            yield box, in_refs
        for child in getattr(box, "children", ()):
            yield from text_boxes(child, in_refs)

    def count(text: str) -> int:
        visible = "".join(ch for ch in text if not ch.isspace() and ch != WORD_JOINER)
        if visible.endswith("\u2010"):  # WeasyPrint's default hyphenate-character
            return len(visible) - 1
        block = state["block"]
        if visible.endswith("-") and block is not None and block < len(expected):
            position = state["chars"] + len(visible) - 1
            source = expected[block]
            if position >= len(source) or source[position] != "-":
                return len(visible) - 1  # a hyphen the layout added at the line end
        return len(visible)

    for index, page in enumerate(document.pages):
        flows = [
            child
            for child in page._page_box.children
            if not isinstance(child, boxes.MarginBox | boxes.FootnoteAreaBox)
        ]
        first = True
        for flow in flows:
            for box, in_refs in text_boxes(flow, False):
                if first and index > 0:
                    if in_refs or state["reference"] is not None:
                        yield _Start(index, None, 0, state["reference"] or "")
                    elif state["block"] is None:
                        yield _Start(index, 0, 0, None)
                    else:
                        yield _Start(index, state["block"], state["chars"], None)
                first = False
                state["chars"] += count(box.text)
