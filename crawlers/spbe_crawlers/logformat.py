"""Log lines that name an item by its key and URL instead of dumping its whole HTML."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import logformatter


def _name(item: Any) -> str:
    try:
        return f"{item.get('key') or '-'} {item.get('url')}"
    except AttributeError:
        return repr(item)[:200]


class ShortLogFormatter(logformatter.LogFormatter):
    """Scraped items at DEBUG and dropped items at INFO, one short line each."""

    def scraped(self, item: Any, response: Any, spider: Any) -> Any:
        return {"level": logging.DEBUG, "msg": "scraped %(item)s", "args": {"item": _name(item)}}

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> Any:
        return {
            "level": logging.INFO,
            "msg": "dropped %(item)s: %(reason)s",
            "args": {"item": _name(item), "reason": str(exception).split(":")[0]},
        }
