"""How Datasette shows our columns: every index value links to its evidence and article.

Used by the ``render_cell`` hook for table pages and canned queries alike: a value
column becomes a link to the evidence sentence (the article page scrolled to it) and,
when the article has a web address, a second link to the original article.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from spbe_extract.web.pages import article_href, evidence_href, region_href, safe_url

VALUE_COLUMNS = {"value", "news_value", "target_value", "consensus_value"}
REGION_COLUMNS = {"region", "province"}
ARTICLE_ID_COLUMNS = {"article_id", "evidence_article_id"}
FLAG_COLUMNS = {"conflict", "consensus", "official_mismatch", "year_inferred"}
# (fact id column, article id column) pairs that locate a value's evidence, by preference
EVIDENCE_KEYS = (("evidence_fact_id", "evidence_article_id"), ("fact_id", "article_id"))


def _get(row: Any, key: str) -> Any:
    try:
        return row[key]
    except (IndexError, KeyError):
        return None


def _evidence_ids(row: Any, table: str | None) -> tuple[Any, Any]:
    for fact_key, article_key in EVIDENCE_KEYS:
        if _get(row, fact_key) is not None and _get(row, article_key) is not None:
            return _get(row, fact_key), _get(row, article_key)
    if table == "index_facts":
        return _get(row, "id"), _get(row, "article_id")
    return None, None


def _value(value: Any, row: Any, table: str | None, ds: Any) -> Markup | None:
    fact_id, article_id = _evidence_ids(row, table)
    if fact_id is None or not isinstance(value, int | float):
        return None
    html = (
        f'<a class="evidence" href="{escape(evidence_href(ds, article_id, fact_id))}" '
        f'title="evidence sentence">{value:g}</a>'
    )
    url = safe_url(_get(row, "article_url") or _get(row, "url"))
    if url:
        html += f' <a class="source" href="{escape(url)}" title="original article">↗</a>'
    return Markup(html)


def _official(value: Any, row: Any, ds: Any, database: str) -> Markup | None:
    region, year = _get(row, "region"), _get(row, "year")
    if not isinstance(value, int | float) or region is None or year is None:
        return None
    query = urlencode({"region": region, "year": year})
    href = ds.urls.table(database, "official_results") + "?" + query
    return Markup(f'<a class="official" href="{escape(href)}">{value:g}</a>')


def render(
    row: Any, value: Any, column: str, table: str | None, database: str, ds: Any
) -> Markup | None:
    """HTML for one cell, or None to let Datasette render it."""
    if value is None:
        return None
    if column in VALUE_COLUMNS:
        return _value(value, row, table, ds)
    if column == "official_value":
        return _official(value, row, ds, database)
    if column in REGION_COLUMNS and isinstance(value, str) and table != "regions":
        return Markup(f'<a href="{escape(region_href(ds, value))}">{escape(value)}</a>')
    if column in ARTICLE_ID_COLUMNS and isinstance(value, int):
        return Markup(f'<a href="{escape(article_href(ds, value))}">{value}</a>')
    if column in FLAG_COLUMNS and value in (0, 1):
        return Markup('<span class="flag">yes</span>' if value else "")
    return None
