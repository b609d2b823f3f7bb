"""What every spbe spider shares: base URL override, --since, --max-articles, the known-key
check before an article is requested, pagination that stops on stale pages, error counting.

A portal spider finds :class:`Candidate` articles in its listings and feeds, passes them to
:meth:`ArticleSpider.follow_articles`, which decides which ones to fetch, and turns article
pages into items with :meth:`ArticleSpider.article_item`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from spbe_crawlers.dates import find_dateline, parse_published, parse_since
from spbe_crawlers.extract_html import PageRules, extract_page
from spbe_crawlers.items import ArticleItem
from spbe_crawlers.storage import StoreLink, store_link
from spbe_crawlers.summary import summary_line

STAT = "spbe"
# Links of the listing itself, not of menus, sidebars ("Terpopuler") and footers.
OUTSIDE_PAGE_CHROME = (
    "//a[@href][not(ancestor::aside or ancestor::nav or ancestor::header or ancestor::footer)]"
)
SKIP_SITEMAPS = re.compile(r"(page|categor|tag|author|user|taxonom|image|video)[^/]*$", re.I)


@dataclass
class Candidate:
    """An article link found in a listing, feed, sitemap or API page."""

    url: str
    key: str | None
    published: datetime | None = None
    meta: dict[str, Any] = field(default_factory=dict)


class ArticleSpider(scrapy.Spider):
    """Base of the portal spiders. Arguments (``-a name=value``) common to all of them:

    ``base_url`` (point the spider at another host, e.g. a local copy), ``since``
    (skip articles published before this date), ``max_articles`` (fetch at most N article
    pages), ``terms`` (extra relevance keywords, comma separated).
    """

    default_base_url = ""
    portal = ""
    rules = PageRules()
    article_path: re.Pattern[str] | None = None  # path of article links on HTML listings

    def __init__(
        self,
        base_url: str | None = None,
        since: str | None = None,
        max_articles: str | int | None = None,
        terms: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.origin = self.origin_url(base_url)
        self.base_url = (base_url or self.origin).rstrip("/")
        if not self.base_url:
            raise ValueError(f"spider {self.name} needs a base URL (-a base_url=...)")
        self.since = parse_since(since)
        self.max_articles = int(max_articles) if max_articles not in (None, "", "0") else None
        self.extra_terms = terms
        self.queued_keys: set[str] = set()
        self.seen_listings: set[str] = set()

    # ------------------------------------------------------------------ set-up

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArticleSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.default_tz = crawler.settings.get("SPBE_DEFAULT_TZ", "+07:00")
        return spider

    @property
    def link(self) -> StoreLink:
        return store_link(self.crawler)

    def origin_url(self, base_url: str | None) -> str:
        """The public site the articles belong to (a base URL may be a local copy of it)."""
        return (self.default_base_url or base_url or "").rstrip("/")

    def url(self, path: str) -> str:
        """``path`` on the (possibly overridden) base URL."""
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def fetch_url(self, url: str) -> str:
        """Where to fetch a public URL: on the base URL when it is a local copy of the site."""
        return _rebase(url, self.origin, self.base_url)

    def public_url(self, url: str) -> str:
        """The public URL of a fetched one (the inverse of :meth:`fetch_url`)."""
        return _rebase(url, self.base_url, self.origin)

    def count(self, name: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"{STAT}/{name}", n)

    @property
    def requested_total(self) -> int:
        state = getattr(self, "state", None)
        return int(state.get("articles_requested", 0)) if state is not None else 0

    def _note_requested(self) -> None:
        state = getattr(self, "state", None)
        if state is not None:
            state["articles_requested"] = self.requested_total + 1
        self.count("articles_requested")

    def budget_left(self) -> bool:
        """False once ``max_articles`` article pages have been requested."""
        done = self.requested_total or self.crawler.stats.get_value(
            f"{STAT}/articles_requested", 0
        )
        return self.max_articles is None or done < self.max_articles

    def listing_request(self, url: str, callback: Any, **kwargs: Any) -> scrapy.Request:
        """A request for a listing/feed page (always re-read, even when resuming).

        Requests bypass Scrapy's duplicate filter: the spider dedupes by key itself, so a
        crawl killed hard (whose queue and seen-list on disk are lost) finds everything again.
        """
        kwargs.setdefault("errback", self.on_error)
        return scrapy.Request(url, callback=callback, dont_filter=True, **kwargs)

    def next_listing(self, url: str | None, callback: Any, **kwargs: Any) -> Any:
        """The request for a further listing page, or None when it was already read."""
        if not url or url in self.seen_listings:
            return None
        self.seen_listings.add(url)
        return self.listing_request(url, callback, **kwargs)

    @property
    def queued(self) -> set[str]:
        """Keys (or URLs) of articles requested so far, kept in the job state for --resume."""
        state = getattr(self, "state", None)
        if state is not None and "queued" in state and not self.queued_keys:
            self.queued_keys.update(state["queued"])
        if state is not None:
            state["queued"] = self.queued_keys
        return self.queued_keys

    # ------------------------------------------------------------------ candidates

    def is_old(self, published: datetime | None) -> bool:
        return bool(self.since and published and published < self.since)

    def follow_articles(
        self, candidates: Iterable[Candidate], callback: Any = None
    ) -> tuple[list[scrapy.Request], bool]:
        """Requests for the candidates worth fetching, and whether the page was *fresh*.

        A page is fresh when it holds at least one article that is neither in the store nor
        older than ``since``; spiders stop paginating after a page that is not fresh.
        """
        unique: dict[str, Candidate] = {}
        for c in candidates:
            unique.setdefault(c.key or c.url, c)
        items = list(unique.values())
        known = self.link.known_keys(c.key for c in items if c.key)
        known |= self.link.known_urls(c.url for c in items if not c.key)
        requests, fresh = [], False
        for c in items:
            ident = c.key or c.url
            if ident in known:
                self.count("skipped_known")
                continue
            if self.is_old(c.published):
                self.count("skipped_old")
                continue
            fresh = True
            if ident in self.queued or c.url in self.queued:
                continue
            if not self.budget_left():
                break
            self.queued.update((ident, c.url))
            self._note_requested()
            requests.append(self.article_request(c, callback))
        if not self.budget_left():
            fresh = False
        return requests, fresh

    def article_request(self, c: Candidate, callback: Any = None) -> scrapy.Request:
        return scrapy.Request(
            self.fetch_url(c.url),
            callback=callback or self.parse_article,
            errback=self.on_error,
            cb_kwargs={"key": c.key, "hint": c.meta},
            priority=1,
            dont_filter=True,
        )

    # ------------------------------------------------------------------ listings

    def links_in(
        self, response: Response, pattern: re.Pattern[str], key_of: Any
    ) -> list[Candidate]:
        """Article links matching ``pattern`` on an HTML listing, dated from their card."""
        found = []
        for anchor in response.xpath(OUTSIDE_PAGE_CHROME):
            href = self.public_url(response.urljoin(anchor.attrib["href"]))
            if not pattern.search(urlsplit(href).path):
                continue
            url = self.canonical_url(href)
            found.append(Candidate(url, key_of(url), self.card_date(anchor, pattern)))
        return found

    def card_date(self, anchor: Any, pattern: re.Pattern[str]) -> datetime | None:
        """The date printed in the listing card around ``anchor``: the nearest ancestor
        with a date, as long as it holds no other article's link."""
        own = anchor.attrib["href"]
        for level in anchor.xpath("ancestor::*[position() <= 5]")[::-1]:
            others = [h for h in level.css("a::attr(href)").getall()
                      if h != own and pattern.search(urlsplit(h).path)]
            if others:
                return None
            when = find_dateline(" ".join(level.css("::text").getall()), self.default_tz)
            if when is not None:
                return when
        return None

    def key_of(self, url: str) -> str | None:
        """``portal:id`` of an article URL (from ``article_path``'s first group), or None."""
        match = self.article_path.search(urlsplit(url).path) if self.article_path else None
        return f"{self.source_name()}:{match.group(1)}" if match else None

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """An HTML listing (tag, channel, search): its articles, then its next page if fresh."""
        if self.article_path is None:
            raise TypeError(f"spider {self.name!r} reads no HTML listings: it has no article_path")
        candidates = self.links_in(response, self.article_path, self.key_of)
        requests, fresh = self.follow_articles(candidates)
        yield from requests
        following = self.next_page(response)
        if following and fresh:
            request = self.next_listing(following, self.parse_listing)
            if request is not None:
                yield request
        elif following:
            self.logger.info("stop paginating at %s: nothing new on it", response.url)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        """An RSS/Atom feed: request its articles (feeds are not paginated)."""
        entries = self.feed_entries(response)
        if not entries:
            self.logger.info("no entries in the feed %s", response.url)
        found = (self.feed_candidate(*entry) for entry in entries)
        requests, _ = self.follow_articles(c for c in found if c is not None)
        yield from requests

    def feed_candidate(
        self, link: str, published: datetime | None, guid: str | None
    ) -> Candidate | None:
        """The article behind a feed entry, or None when the link is not an article."""
        if self.article_path and not self.article_path.search(urlsplit(link).path):
            return None
        return Candidate(self.canonical_url(link), self.key_of(link), published)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        """A sitemap index (follow its article sitemaps) or a urlset (request its articles)."""
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
        try:
            sitemap = Sitemap(body)
        except Exception as err:  # lxml raises several kinds on garbage
            self.skip(response.url, f"unreadable sitemap ({err.__class__.__name__})")
            return
        entries = list(sitemap)
        if sitemap.type == "sitemapindex":
            wanted = [e for e in entries if not SKIP_SITEMAPS.search(e["loc"])] or entries
            for entry in wanted:
                if self.is_old(parse_published(entry.get("lastmod"), self.default_tz)):
                    continue
                request = self.next_listing(self.fetch_url(entry["loc"]), self.parse_sitemap)
                if request is not None:
                    yield request
            return
        found = (
            self.sitemap_candidate(
                self.public_url(e["loc"]), parse_published(e.get("lastmod"), self.default_tz)
            )
            for e in entries
        )
        requests, _ = self.follow_articles(c for c in found if c is not None)
        yield from requests

    def sitemap_candidate(self, loc: str, lastmod: datetime | None) -> Candidate | None:
        """The article at a sitemap ``loc`` (``lastmod`` only bounds ``since``), or None."""
        return self.feed_candidate(loc, lastmod, None)

    def next_page(self, response: Response) -> str | None:
        """The listing's next-page link (``rel=next`` or a pagination ``next`` anchor)."""
        href = response.css(
            'link[rel="next"]::attr(href), a[rel="next"]::attr(href), '
            ".pagination a.next::attr(href), .pagination li.next a::attr(href)"
        ).get()
        return self.fetch_url(response.urljoin(href)) if href else None

    def feed_entries(self, response: Response) -> list[tuple[str, datetime | None, str | None]]:
        """(link, published, guid) of each RSS ``item`` / Atom ``entry``."""
        sel = response.selector
        sel.remove_namespaces()
        entries = []
        for node in sel.xpath("//item | //entry"):
            link = node.xpath("link/text()").get() or node.xpath("link/@href").get()
            if not link:
                continue
            stamp = node.xpath("pubDate/text() | published/text() | updated/text()").get()
            entries.append(
                (
                    self.public_url(response.urljoin(link.strip())),
                    parse_published(stamp, self.default_tz),
                    node.xpath("guid/text() | id/text()").get(),
                )
            )
        return entries

    def canonical_url(self, url: str) -> str:
        """The URL an article is fetched at (spiders fold AMP and tracking variants here)."""
        return url.split("#")[0]

    # ------------------------------------------------------------------ articles

    def parse_article(
        self, response: Response, key: str | None = None, hint: dict[str, Any] | None = None
    ) -> Iterator[ArticleItem]:
        item = self.article_item(response, key, hint or {})
        if item is not None:
            yield item

    def article_item(
        self, response: Response, key: str | None, hint: dict[str, Any]
    ) -> ArticleItem | None:
        """An item from an article page, or None (logged and counted) when it cannot be used."""
        if not hasattr(response, "text"):
            return self.skip(response.url, "not a text page")
        page = extract_page(response.text, response.url, self.rules, self.default_tz)
        if not page.text.strip():
            return self.skip(response.url, "no main text found")
        if page.used_fallback:
            self.count("generic_extractor")
        published = page.published or hint.get("published")
        if self.is_old(published):
            self.count("skipped_old")
            return None
        meta = {k: v for k, v in hint.items() if k != "published"}
        key = key or self.key_of_page(response, page.canonical)
        return ArticleItem(
            url=self.public_url(response.url), key=key,
            source=self.source_name(), title=page.title, published=published,
            author=page.author, html=response.text, text=page.text, meta=meta,
        )

    def key_of_page(self, response: Response, canonical: str | None) -> str | None:
        """The key of a page reached without one (spiders with ids in the page override it)."""
        return None

    def source_name(self) -> str:
        return self.portal or urlsplit(self.base_url).netloc

    def closed(self, reason: str) -> None:
        self.logger.info("crawl %s: %s", reason, summary_line(self.crawler.stats.get_stats()))

    def skip(self, url: str, reason: str, detail: str = "") -> None:
        """Log and count a page that could not be used (``reason`` names the stat)."""
        self.logger.warning("skipped %s: %s%s", url, reason, f" ({detail})" if detail else "")
        self.count("errors")
        self.count(f"errors/{reason.replace(' ', '_')}")
        return None

    def on_error(self, failure: Failure) -> None:
        """Errback: log the failed request with its reason and count it."""
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError):
            status = failure.value.response.status
            self.skip(request.url, f"HTTP {status}")
        elif failure.check(IgnoreRequest):
            reason = str(failure.value) or "ignored"
            if "robots.txt" in reason:
                self.logger.info("not fetched (robots.txt forbids): %s", request.url)
                self.count("skipped_robots")
            else:
                self.skip(request.url, reason)
        else:
            self.skip(request.url, failure.type.__name__, failure.getErrorMessage())



def _rebase(url: str, old: str, new: str) -> str:
    """``url`` moved from site ``old`` to site ``new`` when it is on ``old`` (scheme ignored)."""
    if not old or not new or old == new:
        return url
    parts, before = urlsplit(url), urlsplit(old)
    if parts.netloc.removeprefix("www.") != before.netloc.removeprefix("www."):
        return url
    return new.rstrip("/") + url[len(f"{parts.scheme}://{parts.netloc}"):]
