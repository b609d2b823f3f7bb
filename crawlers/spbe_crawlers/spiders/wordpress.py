"""Any WordPress news site (60DTK, iniklik.id and most small regional portals).

Reads the REST API (``/wp-json/wp/v2/posts?search=SPBE``), page by page while pages hold
new posts, and fetches each new post by id. When the API is closed it falls back to the
``/feed/`` and the sitemap. The key is ``<site>:<post id>``; ``date_gmt`` and
``modified_gmt`` are kept in the item's meta.

    scrapy crawl wordpress -a site=60dtk.com -a since=2024-01-01
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timezone
from html import unescape
from typing import Any
from urllib.parse import quote_plus, urlsplit

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from spbe_crawlers.article_spider import ArticleSpider, Candidate
from spbe_crawlers.extract_html import PageRules, parse_fragment
from spbe_crawlers.items import ArticleItem

POST_ID = re.compile(r"[?&]p=(\d+)")
BODY_POST_ID = re.compile(r"\bpostid-(\d+)\b")
WP_DROP = (".jp-relatedposts", ".yarpp-related", ".related-posts", ".sharedaddy", ".baca-juga",
           ".crp_related", ".wp-block-related-posts", "figure")
API_FIELDS = "id,link,date,date_gmt,modified_gmt"


def _site_root(site: str | None) -> str:
    if not site:
        return ""
    site = site.strip().rstrip("/")
    return site if "://" in site else f"https://{site}"


def _utc(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp).replace(tzinfo=UTC)
    except ValueError:
        return None


class WordPressSpider(ArticleSpider):
    """WordPress: ``-a site=example.id`` (the site; ``base_url`` may point at a copy of it),
    ``-a search=SPBE``, ``-a per_page=100``, ``-a portal=`` (key prefix, default the host)."""

    name = "wordpress"
    rules = PageRules(
        title=("h1.entry-title", "h1.post-title", "h1"),
        dateline=(".entry-meta time.entry-date", "time.entry-date", ".posted-on time"),
        body=(".entry-content", ".post-content", "article .content"),
        author=(".entry-meta .author", ".byline .author", "a[rel='author']"),
        drop=WP_DROP,
    )

    def __init__(
        self,
        site: str | None = None,
        search: str = "SPBE",
        per_page: str | int = 100,
        portal: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.site = _site_root(site)
        super().__init__(**kwargs)
        self.search = search
        self.per_page = int(per_page)
        self.portal = portal or urlsplit(self.origin).netloc.removeprefix("www.")

    def origin_url(self, base_url: str | None) -> str:
        return (self.site or base_url or "").rstrip("/")

    async def start(self) -> Any:
        yield self.api_request(1)

    # ------------------------------------------------------------------ REST API

    def api_request(self, page: int) -> scrapy.Request:
        query = (f"search={quote_plus(self.search)}&per_page={self.per_page}&page={page}"
                 f"&_fields={API_FIELDS}")
        return self.listing_request(
            self.url(f"/wp-json/wp/v2/posts?{query}"), self.parse_api,
            errback=self.api_failed, cb_kwargs={"page": page},
        )

    def api_failed(self, failure: Failure) -> Iterator[Any]:
        """API closed or broken: on the first page fall back to the feed and sitemap."""
        page = failure.request.cb_kwargs.get("page", 1)  # type: ignore[attr-defined]
        if failure.check(HttpError) and page > 1:
            return  # past the last page
        self.logger.info("REST API unavailable (%s); reading /feed/ and the sitemap",
                         failure.getErrorMessage())
        yield from self.fallback_requests()

    def fallback_requests(self) -> Iterator[scrapy.Request]:
        self.count("api_fallback")
        yield self.listing_request(self.url("/feed/"), self.parse_feed)
        yield self.listing_request(self.url("/sitemap.xml"), self.parse_sitemap)

    def parse_api(self, response: Response, page: int) -> Iterator[Any]:
        try:
            posts = json.loads(response.text)
        except (ValueError, AttributeError):
            posts = None
        if not isinstance(posts, list):
            if page == 1:
                self.logger.info("REST API answered no JSON list at %s", response.url)
                yield from self.fallback_requests()
            return
        candidates = [self.api_candidate(p) for p in posts if isinstance(p, dict) and "id" in p]
        requests, fresh = self.follow_articles(candidates, self.parse_post)
        yield from requests
        total = int(response.headers.get("X-WP-TotalPages", b"0") or 0)
        if fresh and posts and (page < total or (not total and len(posts) >= self.per_page)):
            yield self.api_request(page + 1)
        elif page < total:
            self.logger.info("stop paginating the API at page %d: nothing new on it", page)

    def api_candidate(self, post: dict[str, Any]) -> Candidate:
        post_id = int(post["id"])
        return Candidate(
            url=self.url(f"/wp-json/wp/v2/posts/{post_id}?_embed=author"),
            key=f"{self.portal}:{post_id}",
            published=_utc(post.get("date_gmt")),
        )

    def parse_post(self, response: Response, key: str | None = None,
                   hint: dict[str, Any] | None = None) -> Iterator[ArticleItem]:
        try:
            post = json.loads(response.text)
        except ValueError:
            self.skip(response.url, "post is not JSON")
            return
        item = self.post_item(post, key)
        if item is not None:
            yield item

    def post_item(self, post: dict[str, Any], key: str | None) -> ArticleItem | None:
        html = (post.get("content") or {}).get("rendered") or ""
        text = parse_fragment(html, WP_DROP)
        link = str(post.get("link") or "")
        if not text:
            return self.skip(link or str(key), "post has no content")
        published = self.local_time(post)
        if self.is_old(published):
            self.count("skipped_old")
            return None
        authors = (post.get("_embedded") or {}).get("author") or [{}]
        title_html = (post.get("title") or {}).get("rendered") or ""
        return ArticleItem(
            url=link, key=key, source=self.portal, html=html, text=text,
            title=" ".join(scrapy.Selector(text=f"<p>{unescape(title_html)}</p>")
                           .css("::text").getall()).strip() or None,
            published=published, author=authors[0].get("name"),
            meta={"post_id": post.get("id"), "date_gmt": post.get("date_gmt"),
                  "modified_gmt": post.get("modified_gmt")},
        )

    @staticmethod
    def local_time(post: dict[str, Any]) -> datetime | None:
        """``date_gmt`` as an aware datetime in the site's own offset (``date - date_gmt``)."""
        utc = _utc(post.get("date_gmt"))
        local = _utc(post.get("date"))
        if utc is None:
            return None
        if local is None:
            return utc
        return utc.astimezone(timezone(local - utc))

    # ------------------------------------------------------------------ feed / sitemap pages

    def feed_candidate(
        self, link: str, published: datetime | None, guid: str | None
    ) -> Candidate | None:
        match = POST_ID.search(guid or "") or POST_ID.search(link)
        key = f"{self.portal}:{match.group(1)}" if match else None
        return Candidate(self.canonical_url(link), key, published)

    def key_of_page(self, response: Response, canonical: str | None) -> str | None:
        shortlink = response.css("link[rel='shortlink']::attr(href)").get() or ""
        classes = " ".join(response.css("body::attr(class), article::attr(id)").getall())
        match = POST_ID.search(shortlink) or BODY_POST_ID.search(classes)
        match = match or re.search(r"\bpost-(\d+)\b", classes)
        return f"{self.portal}:{match.group(1)}" if match else None

    def article_item(
        self, response: Response, key: str | None, hint: dict[str, Any]
    ) -> ArticleItem | None:
        item = super().article_item(response, key, hint)
        if item is not None:
            post_id = (item["key"] or "").rpartition(":")[2]
            item["meta"] = {
                "post_id": int(post_id) if post_id.isdigit() else None,
                "date_gmt": _meta_gmt(response, "article:published_time"),
                "modified_gmt": _meta_gmt(response, "article:modified_time"),
            }
        return item


def _meta_gmt(response: Response, name: str) -> str | None:
    stamp = response.css(f"meta[property='{name}']::attr(content)").get()
    try:
        moment = datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()
