"""The web view's own pages, served by Datasette routes: region, article, search.

Each handler reads with bound parameters (SQL in ``spbe_extract.store.web_sql``) and
renders a template from ``web/templates``; Jinja escapes everything the database or
the query string holds, and the only HTML built here (highlighted text, the chart)
escapes its pieces with ``markupsafe``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from datasette import Response
from markupsafe import Markup, escape

from spbe_extract import regions
from spbe_extract.store import web_sql as sql
from spbe_extract.web.chart import Point, svg_chart

SEARCH_LIMIT = 50


# ---------------------------------------------------------------- links


def article_href(ds: Any, article_id: int, anchor: str | None = None) -> str:
    """The article page, optionally scrolled to ``#fact-N`` / ``#official-N``."""
    path = ds.urls.path(f"/-/spbe/article/{int(article_id)}")
    return f"{path}#{anchor}" if anchor else path


def evidence_href(ds: Any, article_id: int, fact_id: int) -> str:
    return article_href(ds, article_id, f"fact-{int(fact_id)}")


def region_href(ds: Any, name: str) -> str:
    return ds.urls.path("/-/spbe/region?r=" + quote(name, safe=""))


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links (no ``javascript:``)."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


# ---------------------------------------------------------------- highlighting


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str
    anchor: str


def highlight(text: str, spans: Iterable[Span]) -> Markup:
    """``text`` with every span wrapped in ``<mark>`` and an anchor where it starts."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    anchors: dict[int, list[str]] = defaultdict(list)
    for s in spans:
        anchors[s.start].append(s.anchor)
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        out += [f'<span class="anchor" id="{escape(x)}"></span>' for x in anchors[a]]
        css = sorted({s.css for s in spans if s.start <= a and s.end >= b})
        piece = escape(text[a:b])
        out.append(f'<mark class="{" ".join(css)}">{piece}</mark>' if css else str(piece))
    return Markup("".join(out))


def mark_terms(text: str, term: str) -> Markup:
    """``text`` with every case-insensitive occurrence of ``term`` in ``<b class="hit">``."""
    if not term:
        return Markup(escape(text))
    low, needle, out, i = text.lower(), term.lower(), [], 0
    while (j := low.find(needle, i)) >= 0:
        out += [str(escape(text[i:j])), f'<b class="hit">{escape(text[j : j + len(needle)])}</b>']
        i = j + len(needle)
    out.append(str(escape(text[i:])))
    return Markup("".join(out))


# ---------------------------------------------------------------- helpers


async def _rows(db: Any, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in (await db.execute(query, params)).rows]


async def _render(
    ds: Any, request: Any, template: str, context: dict[str, Any], status: int = 200
) -> Response:
    html = await ds.render_template(template, context, request=request)
    return Response.html(html, status=status)


# ---------------------------------------------------------------- region page


async def _find_region(db: Any, key: str) -> tuple[dict[str, Any] | None, list[str]]:
    """The region a key names (code, name or alias), else the candidate names."""
    for query in (sql.REGION_BY_KEY, sql.REGION_SEEN):
        found = await _rows(db, query, {"key": key})
        if len(found) == 1:
            return found[0], []
    candidates = [r.name for r in regions.resolve_query(key)] if key else []
    if len(candidates) == 1:
        found = await _rows(db, sql.REGION_BY_KEY, {"key": candidates[0]})
        return (
            found[0]
            if found
            else {"name": candidates[0], "code": None, "level": None, "parent_code": None}
        ), []
    return None, candidates


def _points(ds: Any, values: Sequence[dict], official: Sequence[dict]) -> list[Point]:
    points = []
    for v in values:
        kind = "target" if v["kind"] == "target" else ("score" if v["consensus"] else "competing")
        label = (
            f"{v['year']} {v['kind']} {v['value']:g} — {v['n_articles']} article(s): {v['sources']}"
        )
        points.append(
            Point(
                v["year"],
                v["value"],
                kind,
                evidence_href(ds, v["evidence_article_id"], v["evidence_fact_id"]),
                label,
            )
        )
    for o in official:
        points.append(
            Point(
                o["year"],
                o["value"],
                "official",
                f"#official-{o['year']}",
                f"{o['year']} official result {o['value']:g}",
            )
        )
    return points


async def region_page(datasette: Any, request: Any) -> Response:
    """``/-/spbe/region?r=Kota Gorontalo``: time series, chart and every source."""
    db = datasette.get_database()
    key = request.args.get("r", "").strip()
    if not key:
        listing = await _rows(db, sql.REGIONS_LIST, {})
        return await _render(datasette, request, "spbe_regions.html", {"regions": listing})
    region, candidates = await _find_region(db, key)
    if region is None:
        return await _render(
            datasette,
            request,
            "spbe_region.html",
            {"key": key, "region": None, "candidates": candidates},
            status=404,
        )
    p = {"region": region["name"]}
    values = await _rows(db, sql.REGION_VALUES, p)
    official = await _rows(db, sql.REGION_OFFICIAL, p)
    parent = None
    if region.get("parent_code"):
        names = await _rows(db, sql.REGION_NAME, {"code": region["parent_code"]})
        parent = names[0]["name"] if names else None
    context = {
        "key": key,
        "region": region,
        "parent": parent,
        "candidates": [],
        "reconciled": await _rows(db, sql.REGION_RECONCILED, p),
        "values": values,
        "official": official,
        "sources": await _rows(db, sql.REGION_SOURCES, p),
        "targets": await _rows(db, sql.REGION_TARGETS, p),
        "chart": svg_chart(_points(datasette, values, official), f"SPBE index of {region['name']}"),
    }
    return await _render(datasette, request, "spbe_region.html", context)


# ---------------------------------------------------------------- article page


async def article_page(datasette: Any, request: Any) -> Response:
    """``/-/spbe/article/12``: the article text with every evidence sentence highlighted."""
    db = datasette.get_database()
    article_id = int(request.url_vars["article_id"])
    found = await _rows(db, sql.ARTICLE, {"id": article_id})
    if not found:
        return await _render(datasette, request, "spbe_article.html", {"article": None}, status=404)
    facts = await _rows(db, sql.ARTICLE_FACTS, {"id": article_id})
    people = await _rows(db, sql.ARTICLE_OFFICIALS, {"id": article_id})
    spans = [
        Span(f["evidence_start"], f["evidence_end"], "evidence", f"fact-{f['id']}") for f in facts
    ]
    spans += [
        Span(o["evidence_start"], o["evidence_end"], "official", f"official-{o['id']}")
        for o in people
    ]
    article = found[0]
    context = {
        "article": article,
        "facts": facts,
        "officials": people,
        "url": safe_url(article["url"]),
        "body": highlight(article["text"], spans),
    }
    return await _render(datasette, request, "spbe_article.html", context)


# ---------------------------------------------------------------- search page


def like_pattern(term: str) -> str:
    """A LIKE pattern matching ``term`` literally (``%`` and ``_`` escaped)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search_page(datasette: Any, request: Any) -> Response:
    """``/-/spbe/search?q=...``: matching articles with their evidence sentences."""
    db = datasette.get_database()
    term = request.args.get("q", "").strip()
    results = []
    if term:
        found = await _rows(
            db, sql.SEARCH_ARTICLES, {"pattern": like_pattern(term), "limit": SEARCH_LIMIT}
        )
        for article in found:
            evidence = await _rows(db, sql.SEARCH_EVIDENCE, {"id": article["id"]})
            for e in evidence:
                e["marked"] = mark_terms(e["evidence_sentence"], term)
            results.append({**article, "url": safe_url(article["url"]), "evidence": evidence})
    context = {"q": term, "results": results, "limit": SEARCH_LIMIT}
    return await _render(datasette, request, "spbe_search.html", context)
