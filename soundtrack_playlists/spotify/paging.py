"""Reading a paged list by offset, telling a server that ignores `offset` from a page of holes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from soundtrack_playlists.errors import EndlessPages
from soundtrack_playlists.spotify import wire

T = TypeVar("T")


def pages(
    path: str,
    send: Callable[..., Any],
    parse: Callable[[wire.Reply], wire.Page[T]],
    *,
    limit: int,
    max_pages: int,
) -> Iterator[T | None]:
    """Every entry of every page, by offset (never a `next` URL: it could name a retired route).

    The answered `offset`, the entries and `next` are trusted: a page ends the list when it is
    empty or has no `next`, never `total`. A page that answers another offset than the one
    asked for means the server ignored ours; a page that repeats the previous one is taken for
    that only when its entries are distinct ones (a page of holes, or of one track added many
    times at once, may well look like the one before). A list that never ends stops too.
    """
    offset, previous = 0, None
    for _ in range(max_pages):
        reply = send("GET", path, {"limit": limit, "offset": offset})
        page = parse(reply)
        ignored = page.offset is not None and page.offset != offset
        repeated = page.marks == previous and _distinct(page.marks)
        if page.items and (ignored or repeated):
            raise EndlessPages(
                reply.where,
                f"the page at offset {offset} repeats an earlier one: the server ignored `offset`",
            )
        yield from page.items
        if not page.items or not page.has_next:
            return
        offset, previous = offset + len(page.items), page.marks
    raise EndlessPages(
        f"GET /{path}", f"more than {max_pages} pages of {limit}, more than any list has"
    )


def _distinct(marks: tuple[object, ...]) -> bool:
    """Whether a page's marks name entries that cannot recur: no hole, none twice."""
    return all(_whole(mark) for mark in marks) and len(set(marks)) == len(marks)


def _whole(mark: object) -> bool:
    if isinstance(mark, tuple):
        return all(part is not None for part in mark)
    return mark is not None
