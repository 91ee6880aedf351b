"""Saved web pages: block elements become numbered lines, page furniture is left out (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction, Tag
from bs4.element import NavigableString, PageElement

from soundtrack_playlists.importing.article import SourceLine
from soundtrack_playlists.importing.grids import grid_lines
from soundtrack_playlists.importing.html_tables import html_grid

# Never part of an article's text.
_SKIPPED = frozenset(
    {
        "script", "style", "noscript", "template", "nav", "footer", "aside", "form",
        "iframe", "svg", "button", "select", "head", "menu", "dialog", "canvas",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that end the line before them and start a new one.
_BLOCKS = _HEADINGS | frozenset(
    {
        "p", "div", "li", "dt", "dd", "tr", "blockquote", "section", "article",
        "header", "main", "figure", "figcaption", "table", "ul", "ol", "dl", "hr", "pre",
        "address", "details", "summary", "caption",
    }
)  # fmt: skip
# Classes and ids that mark furniture on pages that use plain <div>s for everything.
_FURNITURE_WORDS = ("cookie", "newsletter", "share", "sidebar", "related", "comments", "advert")
# Class names of the fields of a track-list site's song block: title, artist, scene.
_FIELD_WORDS = ("title", "artist", "song", "track", "scene", "performer", "description")


@dataclass
class _Builder:
    lines: list[SourceLine] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    number: int = 0
    heading: bool = False

    def start(self, number: int, heading: bool = False) -> None:
        self.flush()
        self.number, self.heading = number, heading

    def add(self, text: str, number: int) -> None:
        if not self.parts or not "".join(self.parts).strip():
            self.number = number
        self.parts.append(text)

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            self.lines.append(SourceLine(self.number, text, self.heading))
        self.parts, self.heading = [], False


def html_lines(html: str) -> list[SourceLine]:
    """The page's text as lines, each numbered with the source line it starts on."""
    soup = BeautifulSoup(html, "html.parser")
    root = soup.body or soup
    builder = _Builder()
    _walk(root, builder)
    builder.flush()
    return builder.lines


_END_BLOCK = None  # on the stack: the block element opened before it ends here


def _walk(root: Tag, builder: _Builder) -> None:
    """Depth-first over the tree with an explicit stack: a page nested deeper than Python's
    recursion limit is still just a page."""
    stack: list[tuple[PageElement, bool] | None] = [(c, False) for c in reversed(root.contents)]
    while stack:
        item = stack.pop()
        if item is _END_BLOCK:
            builder.flush()
            continue
        child, in_heading = item
        if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            builder.add(str(child), _line_of(child))
            continue
        if not isinstance(child, Tag) or _is_furniture(child) or not _opens(child, builder):
            continue
        if child.name == "br":
            builder.start(child.sourceline or builder.number, heading=in_heading)
            continue
        heading = in_heading or child.name in _HEADINGS
        if child.name == "pre":
            _pre(child, builder)
            continue
        if child.name == "table" and (grid := html_grid(child)) is not None:
            builder.flush()
            builder.lines += grid_lines(grid)
            continue
        if child.name in _BLOCKS or _is_field(child):
            builder.start(child.sourceline or builder.number, heading=heading)
            if child.name == "li":
                builder.add("- ", child.sourceline or builder.number)
            stack.append(_END_BLOCK)
        stack.extend((grandchild, heading) for grandchild in reversed(child.contents))


def _opens(tag: Tag, builder: _Builder) -> bool:
    """Whether to read a tag at all. A table row reads as `Title – Artist`: header cells and
    number-only cells are left out."""
    if tag.name not in ("td", "th"):
        return True
    text = tag.get_text(" ", strip=True)
    if tag.name == "th" or not text or text.rstrip(".").isdigit():
        return False
    if "".join(builder.parts).strip():
        builder.add(" – ", builder.number)
    return True


def _pre(tag: Tag, builder: _Builder) -> None:
    """Preformatted text keeps its own line breaks."""
    first = tag.sourceline or builder.number
    for offset, line in enumerate(tag.get_text().split("\n")):
        builder.start(first + offset)
        builder.add(line, first + offset)
    builder.flush()


def _line_of(string: NavigableString) -> int:
    parent = string.parent
    line = parent.sourceline if parent is not None and parent.sourceline else 0
    # Text that starts with line breaks begins further down the source.
    return line + len(str(string)) - len(str(string).lstrip("\n")) if line else 0


def _is_field(tag: Tag) -> bool:
    """`<span class="song-title">`: a track-list site's field is a line of its own."""
    if tag.name not in ("span", "a", "strong", "em", "b", "i", "small"):
        return False
    names = " ".join([*(tag.get("class") or []), str(tag.get("data-testid") or "")]).lower()
    return any(word in names for word in _FIELD_WORDS)


def _is_furniture(tag: Tag) -> bool:
    if tag.name in _SKIPPED:
        return True
    if tag.get("role") in ("navigation", "banner", "contentinfo", "complementary"):
        return True
    if tag.get("hidden") is not None or tag.get("aria-hidden") == "true":
        return True
    names = " ".join([*(tag.get("class") or []), str(tag.get("id") or "")]).lower()
    return any(word in names for word in _FURNITURE_WORDS)
