"""The end-of-crawl figures, read from Scrapy's stats (shared by the spiders and ``spbe crawl``)."""

from __future__ import annotations

from typing import Any

FIGURES = (
    ("pages fetched", "response_received_count"),
    ("articles stored", "spbe/articles_stored"),
    ("skipped as known", "spbe/skipped_known"),
    ("skipped as irrelevant", "spbe/skipped_irrelevant"),
    ("skipped as older than --since", "spbe/skipped_old"),
    ("not fetched (robots.txt)", "spbe/skipped_robots"),
    ("errors", "spbe/errors"),
)


def crawl_summary(stats: dict[str, Any]) -> dict[str, int]:
    """``{"pages fetched": 12, "articles stored": 5, ...}`` from a crawler's stats."""
    return {label: int(stats.get(key, 0) or 0) for label, key in FIGURES}


def error_details(stats: dict[str, Any]) -> dict[str, int]:
    """Errors by reason (``HTTP 404``, ``no main text found``...)."""
    prefix = "spbe/errors/"
    return {k[len(prefix):].replace("_", " "): int(v) for k, v in stats.items()
            if k.startswith(prefix)}


def summary_line(stats: dict[str, Any]) -> str:
    return "; ".join(f"{label}: {n}" for label, n in crawl_summary(stats).items())
