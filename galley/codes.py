"""Every diagnostic code galley reports, in one place: what it means and what it is about.

- "input": something in the source or an imported file; a bad-input test shows each one.
- "output": a check of what galley made (a template's or galley's own slip, or a file
  given to `validate`).
- "environment": the machine, the network or a tool (Java, Node, Crossref, a port).

Call sites name a member (`Code.ARTICLE_DOI_MISSING`), so mypy catches a misspelt code;
tests/test_codes.py keeps the list and the code in step (every member used, no code typed
as a string) and checks that every input code has a test that provokes it. The codes other
tools give their findings (JATS4R's patterns, EPUBCheck's and Ace's rules) are a `Family`:
galley's prefix and the tool's own name.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NewType

# A code made of a family's prefix and a tool's own rule name (`jats4r.permissions-errors`).
FamilyCode = NewType("FamilyCode", str)


class _Described(StrEnum):
    """A code, with what it is about (input, output, environment) and its message as a
    reader sees it; its value is the code as printed."""

    about: str
    message: str

    def __new__(cls, value: str, about: str, message: str) -> _Described:
        member = str.__new__(cls, value)
        member._value_ = value
        member.about = about
        member.message = message
        return member


class Code(_Described):
    """A diagnostic code galley reports (`article.doi-missing`)."""

    ARTICLE_AFFILIATION_ID = "article.affiliation-id", "input", "affiliation id '…' is used twice"
    ARTICLE_AFFILIATION_REF = (
        "article.affiliation-ref",
        "input",
        "affiliation `ref: …` matches no id under `affiliations`",
    )
    ARTICLE_ATTRIBUTE = (
        "article.attribute",
        "input",
        'the attribute …="…" would run or load something in the outputs',
    )
    ARTICLE_BIBLIOGRAPHY_FORMAT = (
        "article.bibliography-format",
        "input",
        "bibliography '…' is not CSL YAML (.yaml) or CSL JSON (.json)",
    )
    ARTICLE_BIBLIOGRAPHY_OUTSIDE = (
        "article.bibliography-outside",
        "input",
        "bibliography '…' is outside the article's folder",
    )
    ARTICLE_DEEP_BRACKETS = (
        "article.deep-brackets",
        "input",
        "square brackets nested … deep; galley reads at most …",
    )
    ARTICLE_LINK_OUTSIDE = (
        "article.link-outside",
        "input",
        "… is a link to …, outside its issue folder",
    )
    ARTICLE_DOI_CONFLICT = (
        "article.doi-conflict",
        "input",
        "`doi` (…) and `citation.doi` (…) differ",
    )
    ARTICLE_DOI_MISSING = "article.doi-missing", "input", "the article has no DOI"
    ARTICLE_DOI_NORMALISED = (
        "article.doi-normalised",
        "input",
        "DOI '…' was written as a link or with a prefix; using '…'",
    )
    ARTICLE_DOI_SYNTAX = "article.doi-syntax", "input", "'…' is not a valid DOI"
    ARTICLE_EMPTY_BODY = "article.empty-body", "input", "the article has no body text"
    ARTICLE_FILE_LARGE = "article.file-large", "input", "… '…' is larger than … bytes"
    ARTICLE_FILE_MISSING = "article.file-missing", "input", "… '…' does not exist"
    ARTICLE_FILE_OUTSIDE = "article.file-outside", "input", "… '…' is outside the article's folder"
    ARTICLE_FOLDER_NAME = (
        "article.folder-name",
        "input",
        "the article folder '…' has characters an id cannot carry (spaces, a…",
    )
    ARTICLE_FRONT_MATTER_OPEN = (
        "article.front-matter-open",
        "input",
        "the YAML front matter is never closed",
    )
    ARTICLE_HISTORY_ORDER = (
        "article.history-order",
        "input",
        "history: … … comes before … …",
    )
    ARTICLE_HISTORY_AFTER = (
        "article.history-after",
        "input",
        "history: … … is after the publication date …",
    )
    ARTICLE_IMAGE_LARGE = "article.image-large", "input", "image '…' is larger than … bytes"
    ARTICLE_IMAGE_MISSING = "article.image-missing", "input", "image '…' does not exist"
    ARTICLE_IMAGE_OUTSIDE = (
        "article.image-outside",
        "input",
        "image '…' is outside the article's folder",
    )
    ARTICLE_IMAGE_REMOTE = (
        "article.image-remote",
        "input",
        "image '…' is not a file in the article's folder; remote images are…",
    )
    ARTICLE_IMAGE_TYPE = (
        "article.image-type",
        "input",
        "image '…' is not PNG, JPEG, GIF, SVG or WebP",
    )
    ARTICLE_LANG = "article.lang", "input", "'…' is not a language tag"
    ARTICLE_LINK_SCHEME = (
        "article.link-scheme",
        "input",
        "the link '…' is not http(s), mailto or doi, nor a file or section o…",
    )
    ARTICLE_NO_AUTHOR = "article.no-author", "input", "the article names no author"
    ARTICLE_NO_FRONT_MATTER = (
        "article.no-front-matter",
        "input",
        "the file does not start with YAML front matter",
    )
    ARTICLE_ORCID = "article.orcid", "input", "an ORCID iD with a wrong form or check digit"
    ARTICLE_PAGE_ELOCATION = (
        "article.page-elocation",
        "input",
        "'…' looks like an article number (e-location id), not a page",
    )
    ARTICLE_PAGE_ORDER = "article.page-order", "input", "first page … comes after last page …"
    ARTICLE_PAGES = "article.pages", "input", "'…' is not a page range"
    ARTICLE_PAGES_AND_NUMBER = (
        "article.pages-and-number",
        "input",
        "the article declares both pages and an article number",
    )
    ARTICLE_RELATED_DOI = "article.related-doi", "input", "'…' is not a DOI"
    ARTICLE_TITLE_LANG = (
        "article.title-lang",
        "input",
        "the title is given in … but not in the article's language (…)",
    )
    ARTICLE_TITLE_NOTE = (
        "article.title-note",
        "input",
        "the … has a footnote galley cannot place (beside `title-note:`, on a subtitle)",
    )
    ARTICLE_TOO_DEEP = (
        "article.too-deep",
        "input",
        "the text nests too deeply to be read (quotations, lists, divs or em…",
    )
    BUILD_NOT_WRITTEN = (
        "build.not-written",
        "output",
        "…: not written; its previous outputs are kept",
    )
    CITATION_UNKNOWN_KEY = (
        "citation.unknown-key",
        "input",
        "`nocite` lists '@…', which is not a reference id",
    )
    CITATIONS_DOI = "citations.doi", "input", "reference @…: '…' is not a valid DOI"
    CITATIONS_DUPLICATE = "citations.duplicate", "input", "reference @… repeats @…"
    CITATIONS_MISSING_FIELD = "citations.missing-field", "input", "reference @… (…) has no …"
    CITATIONS_UNCITED = (
        "citations.uncited",
        "input",
        "reference @… is neither cited nor listed in `nocite`; it is left ou…",
    )
    CLUSTER_DASK_MISSING = (
        "cluster.dask-missing",
        "environment",
        "--scheduler needs Dask distributed, which is not installed",
    )
    CLUSTER_UNREACHABLE = "cluster.unreachable", "environment", "no Dask scheduler answered at …: …"
    CONFIG_SOURCE_DATE_EPOCH = (
        "config.source-date-epoch",
        "environment",
        "SOURCE_DATE_EPOCH=… is not a number of seconds",
    )
    CROSSREF_CREDENTIALS = (
        "crossref.credentials",
        "environment",
        "no Crossref login: galley needs the depositor's username and password",
    )
    CROSSREF_DEPOSIT_FILE = (
        "crossref.deposit-file",
        "output",
        "the deposit file has no <…> in its head",
    )
    CROSSREF_DEPOSITOR = (
        "crossref.depositor",
        "input",
        "journal.yaml does not say who deposits with Crossref",
    )
    CROSSREF_FAILURE = (
        "crossref.failure",
        "output",
        "…: Crossref says: … (or: not in the submission log)",
    )
    CROSSREF_LANDING_PAGE = (
        "crossref.landing-page",
        "input",
        "… has no landing page; Crossref needs one for its DOI",
    )
    CROSSREF_NOTHING = "crossref.nothing", "output", "no Crossref deposit file under …"
    CROSSREF_PENDING = (
        "crossref.pending",
        "environment",
        "Crossref received … but had not processed it after … s",
    )
    CROSSREF_REDIRECT = (
        "crossref.redirect",
        "environment",
        "Crossref (…) answered HTTP … pointing elsewhere (…); galley does not follow it",
    )
    CROSSREF_REFUSED = (
        "crossref.refused",
        "environment",
        "Crossref (…) refused the deposit: HTTP …: …",
    )
    CROSSREF_REGISTERED = "crossref.registered", "output", "…: registered (…)"
    CROSSREF_UNREACHABLE = (
        "crossref.unreachable",
        "environment",
        "could not reach Crossref at … (…)",
    )
    CROSSREF_WARNING = "crossref.warning", "output", "…: Crossref says (…): …"
    CROSSREF_XML = "crossref.xml", "output", "not well-formed XML: …"
    CROSSREF_XSD = "crossref.xsd", "output", "the Crossref deposit breaks Crossref's schema"
    DEPOSIT_CHECKSUM = "deposit.checksum", "output", "…: checksum does not match"
    DEPOSIT_ITEM = "deposit.item", "output", "… is not the file the build validated"
    DEPOSIT_ITEMS = "deposit.items", "output", "the package does not hold every output"
    DEPOSIT_MANIFEST = "deposit.manifest", "output", "the manifest lists … but the package holds …"
    DEPOSIT_UNZIP = "deposit.unzip", "output", "… is damaged in the package"
    DOCX_GAP = "docx.gap", "input", "…: … (a value the Word file does not give; fill it in)"
    DOCX_NOT_CARRIED = "docx.not-carried", "input", "…: … (what galley could not carry)"
    DOCX_ARTICLE_ID = "docx.article-id", "input", "no article id can be made from …"
    DOCX_COMMENTS = (
        "docx.comments",
        "input",
        "… has … comment(s) (the first: “…”); galley never drops them silently",
    )
    DOCX_CORRUPT = "docx.corrupt", "input", "… is not a readable .docx (a .docx is a zip file): …"
    DOCX_EMBEDDED_OBJECT = (
        "docx.embedded-object",
        "input",
        "… embeds an object (a chart, a spreadsheet, an old equation) in …;…",
    )
    DOCX_DECIDED = (
        "docx.decided",
        "input",
        "…: … tracked change(s) accepted or rejected, or comment(s) dropped, as told",
    )
    DOCX_ENCRYPTED = (
        "docx.encrypted",
        "input",
        "… is protected by a password; galley cannot read it",
    )
    DOCX_LEGACY = "docx.legacy", "input", "… is a Word 97–2003 document (.doc), not .docx"
    DOCX_NO_ISSUE = "docx.no-issue", "input", "… is not an issue folder (it has no issue.yaml)"
    DOCX_TABLE_HEADER = (
        "docx.table-header",
        "input",
        "table … (“…”): no header row, which the build needs",
    )
    DOCX_TEXTBOX_IMAGE = (
        "docx.textbox-image",
        "input",
        "… has an image inside a text box in …; pandoc cannot see it, so it…",
    )
    DOCX_TOO_LARGE = "docx.too-large", "input", "… is … bytes; the limit is …"
    DOCX_TRACKED_CHANGES = (
        "docx.tracked-changes",
        "input",
        "… has … tracked change(s), the first in …; galley never keeps them…",
    )
    DOI_CONSISTENCY = "doi.consistency", "output", "… carries …, not the article's DOI …"
    DOI_DEPOSIT = "doi.deposit", "output", "… registers … beyond the issue's DOIs, each once"
    DOI_DUPLICATE = "doi.duplicate", "input", "DOI … is also the DOI of …"
    DOI_PREFIX = "doi.prefix", "input", "DOI … has the prefix …, but the journal's is …"
    DOI_SUFFIX = "doi.suffix", "input", "DOI suffix '…' does not follow the journal's pattern …"
    DOI_SYNTAX = (
        "doi.syntax",
        "input",
        "'…' has characters outside Crossref's recommended DOI pattern",
    )
    EPUB_ACE = "epub.ace", "environment", "Ace by DAISY did not run: …"
    EPUB_EPUBCHECK = "epub.epubcheck", "environment", "EPUBCheck did not run: …"
    EPUB_MEMBER_PATH = "epub.member-path", "output", "the member '…' is named outside the book"
    FIGURE_ALT_MISSING = "figure.alt-missing", "input", "… has no alternative text"
    FIGURE_NO_IMAGE = "figure.no-image", "input", "the figure block #… holds no image"
    FUNDING_SOURCE_REF = (
        "funding.source-ref",
        "input",
        "`source: {ref: …}` matches no affiliation `id`",
    )
    FUNDING_FUNDER_ID = "funding.funder-id", "input", "'…' is not a Crossref Funder ID"
    FUNDING_NO_SOURCE = "funding.no-source", "input", "the award … names no funder"
    FUNDING_PERSON = "funding.person", "input", "`…: …` matches no author `id`"
    FUNDING_ROR = "funding.ror", "input", "'…' is not a ROR id"
    HTML_NU = "html.nu", "output", "the Nu HTML Checker refuses the page or style sheet"
    HTML_VNU = "html.vnu", "environment", "the Nu HTML Checker did not run: …"
    IMPORT_ISSUE_ORDER = (
        "import.issue-order",
        "input",
        "the article '…' could not be added to `articles:` in issue.yaml",
    )
    IMPORT_ENTITY = "import.entity", "input", "… declares entities (…); they are never expanded"
    IMPORT_EXISTS = (
        "import.exists",
        "input",
        "… already exists; the import never overwrites an article",
    )
    IMPORT_ISSUE_CONFLICT = "import.issue-conflict", "input", "… says … …, the article …"
    IMPORT_JOURNAL_CONFLICT = (
        "import.journal-conflict",
        "input",
        "… is from the journal with … ISSN …, but … has …",
    )
    IMPORT_JOURNAL_PREFIX = (
        "import.journal-prefix",
        "input",
        "the article's DOI prefix … is not the journal's …",
    )
    IMPORT_XML = "import.xml", "input", "… is not well-formed XML: …"
    IMPORT_MISSING = "import.missing", "input", "… does not exist"
    IMPORT_NOT_CARRIED = "import.not-carried", "input", "<…>: …"
    IMPORT_BROKEN_MATH = (
        "import.broken-math",
        "input",
        "the original's formula holds '…' as text (an escaped entity…",
    )
    IMPORT_NOT_JATS = "import.not-jats", "input", "… is not a JATS article (its root is <…>)"
    IMPORT_TOO_LARGE = "import.too-large", "input", "… is … bytes; the limit for one article is …"
    INIT_ANSWER = "init.answer", "input", "--…: … (an answer `galley init` would refuse later)"
    INIT_EXISTS = "init.exists", "input", "… already exists (init never overwrites)"
    INTAKE_GAP = "intake.gap", "input", "`…` is still to be filled in: …"
    ISSUE_UNKNOWN_ARTICLE = (
        "issue.unknown-article",
        "input",
        "issue.yaml lists article '…', but … does not exist",
    )
    JATS_ARTICLE_META = "jats.article-meta", "output", "<article-meta> is missing"
    JATS_DOI_MISMATCH = (
        "jats.doi-mismatch",
        "output",
        "<article-id pub-id-type=\"doi\"> is '…', but the source's DOI is '…'",
    )
    JATS_DOI_MISSING = (
        "jats.doi-missing",
        "output",
        '<article-meta> has no <article-id pub-id-type="doi">',
    )
    JATS_DOI_SYNTAX = (
        "jats.doi-syntax",
        "output",
        "<article-id pub-id-type=\"doi\">: '…' is not a DOI",
    )
    JATS_EMPTY = "jats.empty", "output", "<…> is empty"
    JATS_ISSN = "jats.issn", "output", "<issn>: …"
    JATS_PAGE_ORDER = "jats.page-order", "output", "<fpage> … is after <lpage> …"
    JATS_XML = "jats.xml", "output", "not well-formed XML: …"
    JATS_XREF_TARGET = (
        "jats.xref-target",
        "output",
        '<xref rid="…"> points to no element with that id',
    )
    JATS_XSD = "jats.xsd", "output", "the JATS breaks the official JATS 1.3 schema"
    JATS4R_COMPILE = "jats4r.compile", "environment", "SchXslt could not compile …"
    JOURNAL_CSL = "journal.csl", "input", "no citation style '…'"
    JOURNAL_CSL_FILE = (
        "journal.csl-file",
        "input",
        "… is not well-formed XML / declares a DTD / is not a CSL style",
    )
    JOURNAL_ISSN = "journal.issn", "input", "the journal has no ISSN"
    JOURNAL_LANG = "journal.lang", "input", "'…' is not a language tag"
    MARKDOWN_PANDOC = "markdown.pandoc", "input", "pandoc's warning about the Markdown: …"
    MATH_TEX = "math.tex", "input", "a TeX formula that cannot be typeset"
    METADATA_ABSTRACT = (
        "metadata.abstract",
        "input",
        "the journal requires an abstract and this article has none",
    )
    METADATA_INCONSISTENT = (
        "metadata.inconsistent",
        "input",
        "citation.issn … is not one of the journal's ISSNs",
    )
    METADATA_INVALID = "metadata.invalid", "input", "a metadata value of the wrong type or form"
    METADATA_NAME = "metadata.name", "input", "author … (…) has no given name"
    METADATA_NOT_MAPPING = (
        "metadata.not-mapping",
        "input",
        "expected a mapping of `key: value` lines",
    )
    METADATA_UNKNOWN_FIELD = (
        "metadata.unknown-field",
        "input",
        "`…` is not a field galley reads here; it would be dropped",
    )
    METADATA_UNKNOWN_KEY = "metadata.unknown-key", "input", "unknown key `…` is ignored"
    NEW_EXISTS = "new.exists", "input", "… already exists"
    NEW_NAME = "new.name", "input", "'…' is not ISSUE/ARTICLE"
    NEW_NO_ISSUE = "new.no-issue", "input", "there is no issue '…' in …"
    NEW_VALUE = "new.value", "input", "--…: … (a value of a new issue the reader would refuse)"
    ONLINE_BAD_ANSWER = (
        "online.bad-answer",
        "environment",
        "Crossref's answer to … is not the JSON it should be",
    )
    ONLINE_MISMATCH = "online.mismatch", "environment", "ISSN: the source has …, Crossref has …"
    ONLINE_NOT_REGISTERED = "online.not-registered", "environment", "Crossref does not know …"
    ONLINE_REDIRECT = (
        "online.redirect",
        "environment",
        "… redirects to another host (…); galley does not follow it",
    )
    ONLINE_REFERENCE_UNKNOWN = (
        "online.reference-unknown",
        "environment",
        "reference @…: Crossref does not know …",
    )
    ONLINE_SUGGESTION = (
        "online.suggestion",
        "environment",
        "a DOI Crossref suggests for a reference without one",
    )
    ONLINE_UNAVAILABLE = (
        "online.unavailable",
        "environment",
        "Crossref answered … to …, after … retries",
    )
    ONLINE_UNREACHABLE = "online.unreachable", "environment", "could not reach …: …"
    ONLINE_UNRESOLVED = "online.unresolved", "environment", "doi.org does not resolve …"
    OUTPUT_CHANGED = (
        "output.changed",
        "output",
        "… was changed since galley wrote it; kept, though its article is no longer in …",
    )
    OUTPUT_LOCKED = (
        "output.locked",
        "environment",
        "another galley run has been writing in … for … minutes",
    )
    OUTPUT_INTERRUPTED = (
        "output.interrupted",
        "environment",
        "the last build stopped while writing (killed, or the disk was full): …",
    )
    OUTPUT_NOT_GALLEYS = (
        "output.not-galleys",
        "input",
        "… holds files that are not galley's (……); galley would overwrite an…",
    )
    OUTPUT_UNSAFE = (
        "output.unsafe",
        "input",
        "galley will not write its outputs into …: it is the root, a home fo…",
    )
    OUTPUT_REMOVED = (
        "output.removed",
        "output",
        "…: no longer in the source; its outputs were removed",
    )
    OUTPUT_WRITE = "output.write", "environment", "could not write …: …"
    PANDOC_FAILED = "pandoc.failed", "environment", "pandoc failed (exit …): …"
    PANDOC_LIMIT = "pandoc.limit", "input", "pandoc needed more than … (time or memory) to read …"
    PANDOC_FRAGMENTS = (
        "pandoc.fragments",
        "output",
        "pandoc's … output holds fragments …, not the ones galley asked for",
    )
    PDF_COLUMNS = (
        "pdf.columns",
        "output",
        "the …-column print layout failed (…); … is printed in one column",
    )
    PDF_DOI = "pdf.doi", "output", "XMP does not carry the DOI …"
    PDF_FETCH_REFUSED = (
        "pdf.fetch-refused",
        "input",
        "the print layout needs …, but only the article's folder and the fon…",
    )
    PDF_FONT_NOT_EMBEDDED = "pdf.font-not-embedded", "output", "font … is not embedded"
    PDF_LANG = "pdf.lang", "output", "the PDF declares no language (/Lang)"
    PDF_LAYOUT = "pdf.layout", "environment", "print layout failed: …"
    PDF_PAGE_COUNT = (
        "pdf.page-count",
        "output",
        "… declares pages …–… (… pages), but the print layout takes … (…–…)",
    )
    PDF_PDFA = "pdf.pdfa", "output", "XMP does not identify PDF/A-…"
    PDF_TAGGED = "pdf.tagged", "output", "the PDF is not marked as tagged (MarkInfo)"
    PDF_TITLE = "pdf.title", "output", "the PDF has no title"
    PDF_UNREADABLE = "pdf.unreadable", "output", "the PDF cannot be read: …"
    PDF_XMP = "pdf.xmp", "output", "the PDF has no XMP metadata"
    PROJECT_NOT_FOUND = (
        "project.not-found",
        "input",
        "no journal here: neither … nor a folder above it holds source/journal.yaml",
    )
    REFERENCES_DOI_NORMALISED = (
        "references.doi-normalised",
        "input",
        "reference …: DOI '…' was written as a link or with a prefix; using '…'",
    )
    REFERENCES_DUPLICATE_ID = (
        "references.duplicate-id",
        "input",
        "reference id '…' is used twice (first at …)",
    )
    REFERENCES_JSON = "references.json", "input", "invalid JSON: …"
    REFERENCES_NOT_LIST = (
        "references.not-list",
        "input",
        "a bibliography file holds a list of CSL items (or `references:` wit…",
    )
    SCHEMA_FETCH = "schema.fetch", "environment", "could not download …: …"
    SCHEMA_MISSING = "schema.missing", "environment", "the … is not available (looked in …)"
    SERVE_PORT = "serve.port", "environment", "cannot listen on 127.0.0.1:…: …"
    SERVE_REBUILD = (
        "serve.rebuild",
        "environment",
        "the rebuild failed in a way that is not a diagnostic",
    )
    SOURCE_BINARY = "source.binary", "input", "… contains a NUL byte"
    SOURCE_CONTROL_CHARACTER = (
        "source.control-character",
        "input",
        "the control character U+… cannot be carried by any output",
    )
    SOURCE_ENCODING = "source.encoding", "input", "… is not valid UTF-8 (byte …)"
    SOURCE_MISSING = "source.missing", "input", "… is missing"
    SOURCE_NO_ISSUES = "source.no-issues", "input", "no issue folders under …"
    SOURCE_NOT_FOUND = "source.not-found", "input", "… does not exist"
    SOURCE_OTHER_ARTICLE = (
        "source.other-article",
        "input",
        "… (not built now) has … problem(s); issue make-up leaves it out",
    )
    SOURCE_OUTSIDE = "source.outside", "input", "… is not under the source folder …"
    SOURCE_TOO_LARGE = "source.too-large", "input", "… is … bytes; the limit is …"
    TABLE_NOT_ONE = "table.not-one", "input", "the table block #… holds … tables"
    TABLE_NOTES_ORPHAN = "table.notes-orphan", "input", "a `.table-notes` block must follow a table"
    TEMPLATE_ERROR = "template.error", "input", "template error: …"
    TEMPLATE_LABEL = "template.label", "output", "no label '…' for language '…' or English"
    TEMPLATE_MISSING = "template.missing", "input", "… not found in …"
    TEMPLATE_SYNTAX = "template.syntax", "input", "template syntax error: …"
    TOOL_CHROMIUM_MISSING = (
        "tool.chromium-missing",
        "environment",
        "Chromium is not installed: Ace by DAISY checks e-books in a headles…",
    )
    TOOL_EPUBCHECK_MISSING = "tool.epubcheck-missing", "environment", "EPUBCheck's jar is missing"
    TOOL_FONTS_MISSING = (
        "tool.fonts-missing",
        "environment",
        "the print font is not in … (…-latin-…-….woff2 is missing)",
    )
    TOOL_INSTALL_FAILED = "tool.install-failed", "environment", "npm ci in … failed: …"
    TOOL_JAVA_MISSING = (
        "tool.java-missing",
        "environment",
        "Java is not installed, and EPUBCheck and the Nu HTML Checker need it",
    )
    TOOL_MATHJAX = "tool.mathjax", "environment", "MathJax stopped while typesetting formulas: …"
    TOOL_NODE_MISSING = (
        "tool.node-missing",
        "environment",
        "Node.js is not installed (galley runs MathJax and Ace by DAISY on it)",
    )
    TOOL_NPM_ABSENT = (
        "tool.npm-absent",
        "environment",
        "npm is not installed (galley installs its validators and MathJax with it)",
    )
    TOOL_NPM_MISSING = "tool.npm-missing", "environment", "… (…) is not installed in …"
    TOOL_VNU_MISSING = (
        "tool.vnu-missing",
        "environment",
        "the Nu HTML Checker (vnu.jar) is not at …",
    )
    TRANSLATION_DOI = "translation.doi", "input", "a translation needs a DOI of its own"
    TRANSLATION_KEY = (
        "translation.key",
        "input",
        "`…` belongs in the original article, not in its translation",
    )
    TRANSLATION_LANG = "translation.lang", "input", "this file is named for '…' but says `lang: …`"
    VALIDATE_MISSING = "validate.missing", "input", "… does not exist"
    VALIDATE_NOTE = "validate.note", "output", "what `validate` checked a file against"
    VALIDATE_TOO_LARGE = "validate.too-large", "input", "… is not unpacked: …"
    VALIDATE_UNKNOWN_KIND = (
        "validate.unknown-kind",
        "input",
        "… is not JATS, HTML, EPUB, PDF or Crossref",
    )
    XML_ENTITY = "xml.entity", "input", "entity reference … is not expanded"
    XREF_BAD_LABEL = "xref.bad-label", "input", "'#…' is not a usable label"
    XREF_DUPLICATE_LABEL = "xref.duplicate-label", "input", "the label #… is used … times"
    XREF_UNKNOWN = "xref.unknown", "input", "the link to #… matches no labelled …"
    YAML_ANCHOR = (
        "yaml.anchor",
        "input",
        "YAML anchors and aliases (&name, *name) are not accepted in source…",
    )
    YAML_DUPLICATE_KEY = "yaml.duplicate-key", "input", "key '…' appears twice"
    YAML_KEY = "yaml.key", "input", "mapping keys must be plain text"
    YAML_SYNTAX = "yaml.syntax", "input", "YAML syntax error: …"
    YAML_TOO_DEEP = "yaml.too-deep", "input", "the YAML is nested too deeply to be metadata"


class Family(_Described):
    """Codes whose second part is another tool's name for its rule."""

    ACE = "ace", "output", "an accessibility rule of Ace by DAISY (axe-core) an e-book breaks"
    EPUBCHECK = "epubcheck", "output", "an EPUBCheck message, by its ID (RSC-005, OPF-014…)"
    JATS4R = "jats4r", "output", "a JATS4R recommendation the JATS breaks, by its pattern"

    def code(self, name: str) -> FamilyCode:
        return FamilyCode(f"{self.value}.{name}")


def reference() -> str:
    """docs/reference/codes.md: the list as a page (`python -m galley.codes` writes it)."""
    lines = [
        "# Diagnostic codes",
        "",
        "Every code galley reports, from `galley/codes.py` (`python -m galley.codes >",
        "docs/reference/codes.md` writes this page; a test keeps it in step). *input*: the",
        "source or an imported file; *output*: a check of what galley made; *environment*: the",
        "machine, the network or a tool.",
        "",
        "| code | about | message |",
        "|---|---|---|",
    ]
    for code in sorted(Code):
        said = code.message.replace("|", "\\|")
        lines.append(f"| `{code}` | {code.about} | {said} |")
    lines += [
        "",
        "Families: the second part is the other tool's own name for its rule.",
        "",
        "| code | about | message |",
        "|---|---|---|",
    ]
    for family in sorted(Family):
        lines.append(f"| `{family}.*` | {family.about} | {family.message} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(reference(), end="")
