"""ANTARA news, national (www.antaranews.com) or a regional edition (kaltim.antaranews.com).

Discovers articles through the RSS feeds (``/rss/terkini.xml`` and sections), the tag pages
and the search for SPBE keywords, following pagination until a page holds nothing new.
Article URLs are ``/berita/<id>/<slug>``; AMP copies (``/amp/berita/...``) fold into them.

    scrapy crawl antara -a edition=kaltim -a since=2024-01-01
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote_plus, urlsplit, urlunsplit

from spbe_crawlers.article_spider import ArticleSpider
from spbe_crawlers.extract_html import PageRules
from spbe_crawlers.relevance import split_terms

ARTICLE_PATH = re.compile(r"^(?:/amp)?/berita/(\d+)(?:/|$)")


class AntaraSpider(ArticleSpider):
    """ANTARA: ``-a edition=kaltim``, ``-a feeds=terkini,nasional``, ``-a tags=spbe``,
    ``-a queries=SPBE,...`` (comma separated; empty to skip that source)."""

    name = "antara"
    article_path = ARTICLE_PATH
    rules = PageRules(
        title=(".wrap__article-detail-title", "h1"),
        dateline=(".wrap__article-detail-info",),
        body=(".wrap__article-detail-content", ".post-content"),
        author=(".wrap__article-detail-content p.text-muted", ".post-content p.text-muted"),
        drop=(".baca-juga", "p.text-muted", ".wrap__article-detail-related",
              ".adsbygoogle", ".ads", "figure"),
    )

    def __init__(
        self,
        edition: str = "www",
        feeds: str = "terkini",
        tags: str = "spbe",
        queries: str = "SPBE,sistem pemerintahan berbasis elektronik",
        **kwargs: Any,
    ) -> None:
        self.edition = (edition or "www").strip().lower()
        self.default_base_url = f"https://{self.edition}.antaranews.com"
        self.portal = "antara" if self.edition == "www" else f"antara-{self.edition}"
        super().__init__(**kwargs)
        self.feeds = split_terms(feeds)
        self.tags = split_terms(tags)
        self.queries = split_terms(queries)

    async def start(self) -> Any:
        for feed in self.feeds:
            yield self.listing_request(self.url(f"/rss/{feed}.xml"), self.parse_feed)
        for tag in self.tags:
            yield self.listing_request(self.url(f"/tag/{quote_plus(tag)}"), self.parse_listing)
        for query in self.queries:
            yield self.listing_request(
                self.url(f"/search?q={quote_plus(query)}"), self.parse_listing
            )

    def canonical_url(self, url: str) -> str:
        """``/amp/berita/1/x?utm=..#top`` -> ``/berita/1/x``."""
        parts = urlsplit(url)
        path = parts.path[4:] if parts.path.startswith("/amp/") else parts.path
        return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
