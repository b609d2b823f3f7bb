"""The crawl's link to the spbe-extract store: one ``Store`` per crawler, opened on first use."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class StoreLink:
    """Opens ``Store(SPBE_DB)`` lazily; with an empty ``SPBE_DB`` nothing is stored or known."""

    def __init__(self, url: str | None) -> None:
        self.url = (url or "").strip()
        self._store: Any = None

    @property
    def enabled(self) -> bool:
        return bool(self.url) and self.url.lower() != "none"

    @property
    def store(self) -> Any:
        if self._store is None and self.enabled:
            from spbe_extract.store import Store

            self._store = Store(self.url)
            logger.info("storing articles in %r", self._store)
        return self._store

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        keys = [k for k in keys if k]
        return self.store.known_keys(keys) if self.enabled and keys else set()

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        urls = [u for u in urls if u]
        return self.store.known_urls(urls) if self.enabled and urls else set()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def store_link(crawler: Crawler) -> StoreLink:
    """The crawler's StoreLink (created on first call, shared by the spider and pipelines)."""
    link = getattr(crawler, "_spbe_store_link", None)
    if link is None:
        link = StoreLink(crawler.settings.get("SPBE_DB"))
        crawler._spbe_store_link = link  # type: ignore[attr-defined]
    return link
