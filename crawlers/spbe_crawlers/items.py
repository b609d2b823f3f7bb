"""The item every spider yields: one article page, ready for ``spbe_extract.ingest``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import scrapy


class ArticleItem(scrapy.Item):
    """One crawled article.

    ``key`` is the canonical ``portal:id`` (``antara:4426553``, ``infopublik:877123``,
    ``60dtk.com:1532``); ``published`` a timezone-aware datetime or None; ``text`` the main
    text with related-article lines removed; ``html`` the raw page; ``meta`` portal extras
    (WordPress ``post_id``, ``date_gmt``, ``modified_gmt``).
    """

    url = scrapy.Field()
    key = scrapy.Field()
    source = scrapy.Field()
    title = scrapy.Field()
    published = scrapy.Field()
    author = scrapy.Field()
    html = scrapy.Field()
    text = scrapy.Field()
    meta = scrapy.Field()


def item_to_json(item: ArticleItem) -> dict[str, Any]:
    """A JSON-safe dict of the item (datetimes as ISO 8601)."""
    data = dict(item)
    if isinstance(data.get("published"), datetime):
        data["published"] = data["published"].isoformat()
    return data
