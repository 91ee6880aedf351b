"""Which reader a source needs: told by its name or content type, else by its content (pure)."""

from __future__ import annotations

from soundtrack_playlists.importing.tables import is_table

TEXT, MARKDOWN, HTML, CSV, TSV = "text", "markdown", "html", "csv", "tsv"
FORMATS = (TEXT, MARKDOWN, HTML, CSV, TSV)
_BY_SUFFIX = {
    ".txt": TEXT,
    ".text": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".csv": CSV,
    ".tsv": TSV,
    ".tab": TSV,
}
_BY_CONTENT_TYPE = {
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "text/csv": CSV,
    "text/tab-separated-values": TSV,
    "text/markdown": MARKDOWN,
}
_HTML_OPENINGS = ("<!doctype html", "<html", "<head", "<body", "<meta", "<!--")
_HTML_TAGS = ("<p>", "<p ", "<br", "<h2", "<h3", "<li>", "<div")


def detect_format(name: str, text: str, content_type: str | None = None) -> str:
    """HTML, CSV/TSV, Markdown or plain text; content wins over a misleading name."""
    start = text.lstrip("\ufeff \t\r\n")[:2000].lower()
    if start.startswith(_HTML_OPENINGS) or sum(tag in start for tag in _HTML_TAGS) >= 2:
        return HTML
    if is_table(text):
        return TSV if "\t" in text.split("\n", 1)[0] else CSV
    media = (content_type or "").split(";", 1)[0].strip().lower()
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    found = _BY_CONTENT_TYPE.get(media) or _BY_SUFFIX.get(f".{suffix}", TEXT)
    if found in (CSV, TSV) and not _looks_delimited(text):
        return TEXT  # named .csv but written as an article
    return found


def _looks_delimited(text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return max(first.count(delimiter) for delimiter in ("\t", ",", ";")) >= 2
