"""Downloader middleware: Scrapy's retries, with an exponential pause before each retry."""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response


class BackoffRetryMiddleware(RetryMiddleware):
    """Retry 5xx/429/timeouts like Scrapy does, but wait ``base * 2**n`` seconds first.

    The wait holds the request's download slot, so a struggling site also sees fewer
    other requests meanwhile. ``RETRY_BACKOFF_BASE`` and ``RETRY_BACKOFF_MAX`` tune it.
    """

    def _backoff(self, retry: Request) -> float:
        settings = self.crawler.settings
        base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        tries = int(retry.meta.get("retry_times", 1))
        return min(base * 2 ** (tries - 1), settings.getfloat("RETRY_BACKOFF_MAX", 60.0))

    async def _pause_if_retry(self, result: Any) -> Any:
        if isinstance(result, Request):
            await asyncio.sleep(self._backoff(result))
        return result

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        return await self._pause_if_retry(super().process_response(request, response))

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        return await self._pause_if_retry(super().process_exception(request, exception))
