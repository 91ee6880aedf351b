"""The catalog routes of the Web API: search (Spotify-like or strict) and one track by id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from soundtrack_playlists.emulator import objects
from soundtrack_playlists.emulator.catalog import TRACK_ID, Catalog, CatalogTrack, seeded_unplayable
from soundtrack_playlists.emulator.faults import Faults
from soundtrack_playlists.emulator.fuzzy import FuzzySearcher
from soundtrack_playlists.emulator.params import int_param
from soundtrack_playlists.emulator.records import Token
from soundtrack_playlists.emulator.replies import ApiError, Reply
from soundtrack_playlists.emulator.search import Searcher, parse_query
from soundtrack_playlists.spotify import spec

JSON = dict[str, Any]
SEARCH_TYPES = {"album", "artist", "playlist", "track", "show", "episode", "audiobook"}


class CatalogRoutes:
    """GET /search and GET /tracks/{id}; mixed into WebApi, which sets these attributes."""

    catalog: Catalog
    searcher: Searcher
    strict_search: bool
    _faults: Callable[[], Faults]
    _fuzzy: FuzzySearcher | None = None

    @property
    def api_url(self) -> str:
        raise NotImplementedError

    def fuzzy_searcher(self) -> FuzzySearcher:
        """The Spotify-like engine, its word index built once per catalog, on first use.

        (A few seconds for a 41k-track catalog, well within a client's timeout.)
        """
        if self._fuzzy is None:
            self._fuzzy = FuzzySearcher.of(self.catalog)
        return self._fuzzy

    def playable(self, track: CatalogTrack) -> bool:
        """Whether the track plays in the user's market: its row says so and no fault hides it."""
        faults = self._faults()
        return track.playable and not seeded_unplayable(
            track.id, faults.unplayable_rate, faults.seed
        )

    def track_json(self, track: CatalogTrack, market: str | None) -> JSON:
        return objects.track_object(track, self.api_url, market, playable=self.playable(track))

    def _search(self, token: Token, params: dict[str, str], body: bytes) -> Reply:
        q = params.get("q", params.get("query", ""))  # Spotify's own next URLs say query=
        if not q.strip():
            raise ApiError(400, "No search query")
        types = [t.strip() for t in params.get("type", "").split(",") if t.strip()]
        if not types:
            raise ApiError(400, "Missing parameter type")
        if not set(types) <= SEARCH_TYPES:
            raise ApiError(400, "Bad search type field")
        limit = int_param(
            params, "limit", 5, spec.SEARCH_LIMIT_MIN, spec.SEARCH_LIMIT_MAX, "Invalid limit"
        )
        offset = int_param(params, "offset", 0, 0, spec.SEARCH_OFFSET_MAX, "Invalid offset")
        if offset + limit > spec.SEARCH_OFFSET_MAX:  # Spotify counts the two together
            raise ApiError(400, "Invalid offset")
        market = params.get("market") or None
        query_params = {"query": q, "type": ",".join(types)}
        if market:
            query_params["market"] = market
        url = f"{self.api_url}search"
        strict = self.strict_search or self._faults().strict_search
        engine: Searcher | FuzzySearcher = self.searcher if strict else self.fuzzy_searcher()
        answer: JSON = {}
        for kind in types:
            if kind == "track":
                total, hits = engine.search(parse_query(q), limit=limit, offset=offset)
                items = [self.track_json(self.catalog.tracks[i], market) for i in hits]
            else:  # the catalog holds tracks only
                total, items = 0, []
            answer[kind + "s"] = objects.page(
                url, query_params, items, limit=limit, offset=offset, total=total
            )
        return Reply(200, answer)

    def _get_track(self, token: Token, params: dict[str, str], body: bytes, track_id: str) -> Reply:
        if not TRACK_ID.match(track_id):
            raise ApiError(400, "Invalid base62 id")
        track = self.catalog.get(track_id)
        if track is None:
            raise ApiError(404, "Resource not found")
        market = params.get("market") or None
        other = self.catalog.get(self._faults().relinked.get(track_id, "")) if market else None
        if other is not None:  # Spotify plays another copy in the user's market
            return Reply(200, objects.relinked(self.track_json(other, market), track, self.api_url))
        return Reply(200, self.track_json(track, market))
