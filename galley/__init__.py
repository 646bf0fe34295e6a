"""galley: structured article source to validated JATS, HTML, EPUB, PDF and Crossref deposits."""
