"""Item pipelines: drop pages that are not about SPBE, then hand the rest to the store.

Storage goes through ``spbe_extract.ingest.ingest_articles``, the same code that files go
through, in small batches.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from spbe_crawlers.items import ArticleItem
from spbe_crawlers.relevance import RelevanceFilter, split_terms
from spbe_crawlers.storage import store_link

logger = logging.getLogger(__name__)


class RelevancePipeline:
    """Keeps items whose title or text mention a term of ``SPBE_TERMS`` (+ extra terms)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.filter: RelevanceFilter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevancePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        settings = self.crawler.settings
        terms = split_terms(settings.getlist("SPBE_TERMS"))
        terms += split_terms(settings.getlist("SPBE_EXTRA_TERMS"))
        terms += split_terms(getattr(self.crawler.spider, "extra_terms", None))
        self.filter = RelevanceFilter(terms)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        assert self.filter is not None
        if not self.filter.matches(item.get("title"), item.get("text")):
            self.crawler.stats.inc_value("spbe/skipped_irrelevant")
            raise DropItem(f"not about SPBE: {item.get('url')}", log_level="INFO")
        return item


class StorePipeline:
    """Files items into the store as ``ArticleInput`` in batches of ``SPBE_STORE_BATCH``.

    A batch is written when full and when the spider closes (also on Ctrl-C). A crawl
    killed hard loses at most one unwritten batch, which ``--resume`` fetches again because
    those articles are not in the store. No-op when ``SPBE_DB`` is empty.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.link = store_link(crawler)
        self.batch_size = max(1, crawler.settings.getint("SPBE_STORE_BATCH", 20))
        self.pending: list[ArticleItem] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def close_spider(self) -> None:
        self.flush()
        self.link.close()

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if not self.link.enabled:
            self.crawler.stats.inc_value("spbe/articles_passed_on")
            return item
        self.pending.append(item)
        if len(self.pending) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        """Write the pending items; a store failure is logged and counted, never raised."""
        batch, self.pending = self.pending, []
        if not batch:
            return
        from spbe_extract.ingest import ingest_articles

        stats = self.crawler.stats
        try:
            report = ingest_articles(self.link.store, [to_article_input(i) for i in batch])
        except Exception as err:  # the store says why; the crawl goes on
            stats.inc_value("spbe/errors", len(batch))
            stats.inc_value("spbe/errors/store", len(batch))
            logger.error("could not store %d articles: %s", len(batch), err)
            return
        stats.inc_value("spbe/articles_stored", report.added)
        if report.known:
            stats.inc_value("spbe/skipped_known", report.known)
            logger.info("%d of %d articles were already stored", report.known, len(batch))
        for skipped in report.skipped:
            stats.inc_value("spbe/errors")
            stats.inc_value("spbe/errors/rejected_by_ingest")
            logger.warning("not stored %s: %s", skipped.path, skipped.reason)


def to_article_input(item: ArticleItem) -> Any:
    """The ``ArticleInput`` of a crawled item (the tz-aware date is also kept in ``meta``)."""
    from spbe_extract.model import ArticleInput

    published = item.get("published")
    meta = dict(item.get("meta") or {})
    if published is not None:
        meta["published_at"] = published.isoformat()
    return ArticleInput(
        text=item["text"], title=item.get("title"), url=item.get("url"),
        published=published, source=item.get("source"), html=item.get("html"),
        key=item.get("key"), author=item.get("author"), meta=meta,
    )
