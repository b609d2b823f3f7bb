"""Any site through its sitemaps or RSS/Atom feeds, for portals without a dedicated spider.

``-a url=`` names sitemaps or feeds (comma separated); with only a base URL the spider reads
the ``Sitemap:`` lines of ``/robots.txt``, else ``/sitemap.xml``. Pages go through the
generic extractor. The key is ``<site>:<id>`` where the id is the first all-digit path
segment of 5+ digits (``/berita/12345/judul``), else the URL path.

    scrapy crawl sitemap -a url=https://diskominfo.example.go.id/sitemap.xml
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy.http import Response

from spbe_crawlers.article_spider import ArticleSpider
from spbe_crawlers.extract_html import PageRules
from spbe_crawlers.relevance import split_terms

NUMERIC_ID = re.compile(r"/(\d{5,})(?:[/.-]|$)")
XML_KIND = re.compile(rb"<(urlset|sitemapindex|rss|feed|rdf:RDF)\b")


class SitemapSpider(ArticleSpider):
    """Sitemap/RSS: ``-a url=https://site/sitemap.xml,https://site/feed``, ``-a portal=``
    (key prefix, default the host), ``-a include=REGEX`` (only article URLs matching it)."""

    name = "sitemap"
    rules = PageRules(
        title=("h1",),
        dateline=("time", ".date", ".tanggal", ".post-date"),
        body=(),  # no site selectors: the generic extractor reads every page
        author=(".author", ".penulis"),
        drop=(".baca-juga", ".related", ".berita-terkait"),
    )

    def __init__(
        self,
        url: str | None = None,
        portal: str | None = None,
        include: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.start_urls_given = split_terms(url)
        super().__init__(**kwargs)
        self.portal = portal or urlsplit(self.origin).netloc.removeprefix("www.")
        self.include = re.compile(include) if include else None

    def origin_url(self, base_url: str | None) -> str:
        if self.start_urls_given:
            parts = urlsplit(self.start_urls_given[0])
            return f"{parts.scheme}://{parts.netloc}"
        return (base_url or "").rstrip("/")

    async def start(self) -> Any:
        if not self.start_urls_given:
            yield self.listing_request(self.url("/robots.txt"), self.parse_robots)
        for given in self.start_urls_given:
            yield self.listing_request(self.fetch_url(given), self.parse_any)

    def parse_robots(self, response: Response) -> Iterator[Any]:
        """``Sitemap:`` lines of robots.txt, or ``/sitemap.xml`` when there are none."""
        lines = response.text.splitlines() if hasattr(response, "text") else []
        found = [line.split(":", 1)[1].strip() for line in lines
                 if line.lower().startswith("sitemap:")]
        for loc in found or [self.url("/sitemap.xml")]:
            yield self.listing_request(self.fetch_url(loc), self.parse_any)

    def parse_any(self, response: Response) -> Iterator[Any]:
        """A sitemap or a feed, told apart by its root element."""
        match = XML_KIND.search(response.body[:4096])
        if match is None and response.body[:2] != b"\x1f\x8b":
            self.skip(response.url, "neither a sitemap nor a feed")
            return
        if match is not None and match.group(1) in (b"rss", b"feed", b"rdf:RDF"):
            yield from self.parse_feed(response)
        else:
            yield from self.parse_sitemap(response)

    def key_of(self, url: str) -> str | None:
        path = urlsplit(url).path
        match = NUMERIC_ID.search(path)
        return f"{self.portal}:{match.group(1) if match else path.rstrip('/') or '/'}"

    def canonical_url(self, url: str) -> str:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))

    def feed_candidate(self, link: str, published: Any, guid: str | None) -> Any:
        if self.include and not self.include.search(link):
            return None
        return super().feed_candidate(link, published, guid)
