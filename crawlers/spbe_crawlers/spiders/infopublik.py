"""InfoPublik (infopublik.id): ``/kategori/<kanal>/<id>/<slug>`` articles.

Discovered from channel listings (``/kategori/<kanal>``) and the site search for SPBE
keywords, following pagination until a page holds nothing new. The numeric id is the key.

    scrapy crawl infopublik -a channels=nusantara -a since=2024-01-01
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote_plus, urlsplit, urlunsplit

from spbe_crawlers.article_spider import ArticleSpider
from spbe_crawlers.extract_html import PageRules
from spbe_crawlers.relevance import split_terms

ARTICLE_PATH = re.compile(r"^/kategori/[\w-]+/(\d+)/[\w-]+")


class InfoPublikSpider(ArticleSpider):
    """InfoPublik: ``-a channels=nusantara,berita``, ``-a queries=SPBE,...``,
    ``-a search_path=/search?q={q}`` (the search URL pattern)."""

    name = "infopublik"
    article_path = ARTICLE_PATH
    portal = "infopublik"
    default_base_url = "https://infopublik.id"
    rules = PageRules(
        title=(".detail-berita h1", "h1.title", "h1"),
        dateline=(".detail-berita .byline", ".byline", ".date"),
        body=(".detail-berita .konten", ".detail-konten", ".konten"),
        author=(".detail-berita .byline", ".byline"),
        drop=(".berita-terkait", ".baca-juga", ".related", ".share", "figure"),
    )

    def __init__(
        self,
        channels: str = "nusantara,berita",
        queries: str = "SPBE,sistem pemerintahan berbasis elektronik",
        search_path: str = "/search?q={q}",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.channels = split_terms(channels)
        self.queries = split_terms(queries)
        self.search_path = search_path

    async def start(self) -> Any:
        for channel in self.channels:
            yield self.listing_request(self.url(f"/kategori/{channel}"), self.parse_listing)
        for query in self.queries:
            path = self.search_path.format(q=quote_plus(query))
            yield self.listing_request(self.url(path), self.parse_listing)

    def canonical_url(self, url: str) -> str:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
