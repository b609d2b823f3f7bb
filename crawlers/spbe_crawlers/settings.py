"""Scrapy settings of the spbe-extract crawlers: polite by default.

Override any of them with ``-s NAME=value`` (``scrapy crawl``) or ``--set NAME=value``
(``spbe crawl``). The store comes from ``SPBE_DB`` (env or setting); an empty ``SPBE_DB``
disables storage so a crawl only feeds Scrapy's own exporters (``-O out.jsonl``).
"""

from __future__ import annotations

import os

BOT_NAME = "spbe_crawlers"
SPIDER_MODULES = ["spbe_crawlers.spiders"]
NEWSPIDER_MODULE = "spbe_crawlers.spiders"

# Where crawled articles go (any SQLAlchemy URL) and which words make a page relevant.
SPBE_DB = os.environ.get("SPBE_DB", "sqlite:///spbe.db")
SPBE_TERMS = [
    "SPBE",
    "Sistem Pemerintahan Berbasis Elektronik",
    "Sistem Pemerintah Berbasis Elektronik",
]
SPBE_EXTRA_TERMS: list[str] = []  # added to SPBE_TERMS; `-a terms=a,b` does the same per crawl
SPBE_DEFAULT_TZ = "+07:00"  # a date without WIB/WITA/WIT is read as WIB
SPBE_STORE_BATCH = 20  # articles written per store transaction

# Politeness: who we are, robots.txt, at most 2 requests per domain, adaptive delays.
# Set SPBE_CONTACT (an e-mail or URL) so site owners can reach whoever runs the crawl.
USER_AGENT = "spbe-extract/0.1 (research crawler collecting news on SPBE e-government; {})".format(
    os.environ.get("SPBE_CONTACT", "no contact given")
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # each delay varies by ±50%
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
REDIRECT_MAX_TIMES = 5

# Retries with exponential backoff (see middlewares.BackoffRetryMiddleware).
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry, doubled for each next one
RETRY_BACKOFF_MAX = 60.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spbe_crawlers.middlewares.BackoffRetryMiddleware": 550,
}

ITEM_PIPELINES = {
    "spbe_crawlers.pipelines.RelevancePipeline": 200,
    "spbe_crawlers.pipelines.StorePipeline": 300,
}

# Breadth-first crawl order keeps listings ahead of deep pagination.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

DEFAULT_DROPITEM_LOG_LEVEL = "INFO"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
HTTPCACHE_ENABLED = False
LOG_FORMATTER = "spbe_crawlers.logformat.ShortLogFormatter"
