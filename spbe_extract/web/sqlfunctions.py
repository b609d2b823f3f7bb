"""SQL functions the web view registers on its SQLite connections."""

from __future__ import annotations

from functools import lru_cache

from spbe_extract import regions


@lru_cache(maxsize=1024)
def _resolved(query: str) -> tuple[frozenset[str], frozenset[str]]:
    found = regions.resolve_query(query)
    return frozenset(r.name for r in found), frozenset(r.code for r in found if r.code)


def region_match(query: str | None, name: str | None, code: str | None) -> int:
    """1 when a row's region fits a user's filter ('Kaltim', 'Gorontalo', '75.71'), else 0.

    An empty filter matches everything; a filter naming no known region matches names
    that contain it (case-insensitive), like ``spbe query --region``.
    """
    query = (query or "").strip()
    if not query:
        return 1
    names, codes = _resolved(query)
    if not names:
        return int(query.lower() in (name or "").lower())
    return int(name in names or (code is not None and code in codes))
