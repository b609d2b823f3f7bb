"""Title, date, author and main text of an article page: site selectors first, then trafilatura.

Spiders describe a portal's markup with :class:`PageRules`; :func:`extract_page` applies them
and falls back to the generic extractor (trafilatura) for whatever the selectors miss.
Related-article blocks (``.baca-juga``) are removed before the text is read, and lines such
as ``Baca juga: ...`` or ``Pewarta: ...`` are removed after (see ``data/boilerplate_lines.txt``).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import trafilatura
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector
from parsel import Selector

from spbe_crawlers.dates import find_dateline, is_dateline, parse_published

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "section",
           "article", "tr", "figure", "figcaption", "ul", "ol", "table", "pre"}
_NEVER_TEXT = ("script", "style", "noscript", "iframe", "form", "button", "svg", "template")


@dataclass(frozen=True)
class PageRules:
    """CSS selectors for one portal's article markup (each tuple is tried in order)."""

    title: tuple[str, ...] = ("h1",)
    dateline: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    author_pattern: str = (
        r"(?:Pewarta|Penulis|Reporter|Oleh)\s*:?\s+(.+?)\s*"
        r"(?:$|\||,|\s-\s|\b(?:Editor|Redaktur|Copyright)\b|©)"
    )


@dataclass
class Page:
    """What was read from one article page."""

    title: str | None
    published: datetime | None
    author: str | None
    text: str
    canonical: str | None
    used_fallback: bool


@cache
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    """The line patterns of ``data/boilerplate_lines.txt``."""
    path = Path(__file__).with_name("data") / "boilerplate_lines.txt"
    lines = path.read_text("utf-8").splitlines()
    return tuple(
        re.compile(rf"^(?:{line.strip()})$", re.IGNORECASE)
        for line in lines
        if line.strip() and not line.startswith("#")
    )


def clean_lines(text: str) -> str:
    """Whitespace-normalised non-empty lines, without related-article and credit lines."""
    kept = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line and not any(p.match(line) for p in boilerplate_patterns()):
            kept.append(line)
    return "\n".join(kept)


def element_text(element: lxml_html.HtmlElement, drop: tuple[str, ...] = ()) -> str:
    """Text of ``element`` with one line per block and per ``<br>``, ``drop`` nodes removed."""
    root = copy.deepcopy(element)
    for selector in (*_NEVER_TEXT, *drop):
        for node in CSSSelector(selector)(root):
            node.drop_tree()
    parts: list[str] = []

    def walk(node: lxml_html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCKS:
            parts.append("\n")
        if tag == "br":
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCKS:
            parts.append("\n")

    walk(root)
    return clean_lines("".join(parts))


def _first_text(sel: Selector, selectors: tuple[str, ...]) -> str | None:
    for css in selectors:
        for node in sel.css(css):
            text = " ".join(" ".join(node.css("::text").getall()).split())
            if text:
                return text
    return None


def _meta(sel: Selector, *names: str) -> str | None:
    for name in names:
        value = sel.css(f'meta[property="{name}"]::attr(content), '
                        f'meta[name="{name}"]::attr(content)').get()
        if value and value.strip():
            return value.strip()
    return None


def _json_ld(sel: Selector, field: str) -> str | None:
    for block in sel.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for entry in data if isinstance(data, list) else [data]:
            if isinstance(entry, dict) and isinstance(entry.get(field), str):
                return entry[field]
    return None


def _body_text(sel: Selector, rules: PageRules) -> str:
    for css in rules.body:
        for node in sel.css(css):
            text = element_text(node.root, rules.drop)
            if len(text) >= 40:
                return text
    return ""


def _fallback_text(html: str, url: str | None, title: str | None) -> str:
    """Main text by trafilatura, without a leading title line or bare dateline lines."""
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True
    )
    lines = clean_lines(text or "").splitlines()
    if lines and title and lines[0].strip() == title.strip():
        lines = lines[1:]
    return "\n".join(line for line in lines if not is_dateline(line))


def _published(sel: Selector, rules: PageRules, default_tz: str) -> datetime | None:
    for css in rules.dateline:
        stamp = sel.css(f"{css}::attr(datetime)").get()
        if stamp and (moment := parse_published(stamp, default_tz)):
            return moment
    dateline = _first_text(sel, rules.dateline)
    found = find_dateline(dateline, default_tz) if dateline else None
    if found:
        return found
    stamp = _meta(sel, "article:published_time", "og:published_time", "pubdate", "date")
    return parse_published(stamp or _json_ld(sel, "datePublished"), default_tz)


_CREDIT_LINE = re.compile(r"^\s*(?:Pewarta|Penulis|Reporter)\s*:\s*(.+?)\s*$", re.IGNORECASE)


def _author(sel: Selector, rules: PageRules) -> str | None:
    credit = _first_text(sel, rules.author)
    if credit:
        match = re.search(rules.author_pattern, credit, re.IGNORECASE)
        return match.group(1).strip() if match else credit
    for node in sel.css("body ::text").getall():
        if match := _CREDIT_LINE.match(node):
            return match.group(1)
    return _meta(sel, "author", "article:author")


def extract_page(
    html: str, url: str | None = None, rules: PageRules | None = None, default_tz: str = "+07:00"
) -> Page:
    """Read an article page; the text is empty when neither selectors nor trafilatura find one."""
    rules = rules or PageRules()
    sel = Selector(text=html or "<html></html>")
    body = _body_text(sel, rules)
    fallback = not body
    title = _first_text(sel, rules.title) or _meta(sel, "og:title") or _first_text(sel, ("title",))
    text = body or _fallback_text(html, url, title)
    return Page(
        title=title,
        published=_published(sel, rules, default_tz),
        author=_author(sel, rules),
        text=text,
        canonical=sel.css('link[rel="canonical"]::attr(href)').get(),
        used_fallback=fallback,
    )


def parse_fragment(html: str, drop: tuple[str, ...] = ()) -> str:
    """Text of an HTML fragment (a WordPress ``content.rendered``), cleaned like a page body."""
    if not html.strip():
        return ""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    return element_text(root, drop)
