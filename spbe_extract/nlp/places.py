"""Which government a region mention means, and which government the article is about.

``spbe_extract.regions.find_mentions`` finds names and their candidates; this module picks
one candidate from context (the level prefix, other mentions of the same name in the
article, the levels of neighbouring mentions, the home province) and gives each mention a
role: ``subject``, ``locative`` (``di Balikpapan``, ``se-Sulteng``), ``compared``
(``di bawah Pemprov Gorontalo``), ``evaluator`` (KemenPAN-RB) or ``national``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

from spacy.tokens import Doc

from spbe_extract.nlp.boilerplate import blocks_facts
from spbe_extract.nlp.pipeline import doc_text
from spbe_extract.nlp.rules import cue, word_regex, words_pattern
from spbe_extract.regions import Region, RegionMention, compact, find_mentions

_GOVERNMENT_PREFIX = re.compile(
    r"^(?:pemerintah|pemprov|pemprop|pemkab|pemkot|gubernur|bupati|wali\s*kota|walikota|"
    r"sekda\w*|wagub|wabup|wawali)", re.IGNORECASE)
_LOCATIVE_BEFORE = re.compile(r"(?:\b(?:di|ke|wilayah|kawasan|se)\s+|\bse-\s*)$", re.IGNORECASE)
# after a dateline place: "(ANTARA) -", ", Rabu, 22 Januari 2025 | 15:10 WIB –"
_DATELINE = re.compile(r"\s*(?:\([^)\n]{1,30}\))?\s*(?:,[^.\n]{0,60}?)?\s[–—-]\s")
_LEVEL_RANK = {"provinsi": 0, "kota": 1, "kabupaten": 2, "nasional": 3, "pusat": 4}


@cache
def _compared_regex() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{words_pattern(cue('comparison_demoters'))})\s+(?:\S+\s+)?$",
                      re.IGNORECASE)


def annotate_regions(doc: Doc) -> Doc:
    """Fill ``doc.spans['regions']`` (label = role, ``span._.region``) and ``doc._.home_region``."""
    text = doc_text(doc)
    blocked = [(s.start_char, s.end_char) for s in doc.spans.get("boilerplate", [])
               if blocks_facts(s.label_)]
    found = doc.user_data["spbe_mentions"] = find_mentions(text)  # officials reuse them
    mentions = [m for m in found if not any(a <= m.start < b for a, b in blocked)]
    resolved = _resolve_all(text, mentions)
    spans = []
    previous: tuple[int, str, Region] | None = None
    for mention, (region, ambiguous) in zip(mentions, resolved, strict=True):
        if region is None:
            continue
        role = "ambiguous" if ambiguous else _role(text, mention, region)
        if previous and re.fullmatch(r"\s*\(\s*", text[previous[0] : mention.start]):
            role = previous[1]  # "Sumatera Barat (Sumbar)": the alias repeats the name
        elif previous and _appositive_parent(text[previous[0] : mention.start], previous[2],
                                             mention, region):
            role = "locative"  # "Kabupaten Banjar, Kalimantan Selatan, ...": where it lies
        previous = (mention.end, role, region)
        span = doc.char_span(mention.start, mention.end, label=role, alignment_mode="expand")
        if span is not None:
            span._.region = region
            spans.append(span)
    doc.spans["regions"] = spans
    given = doc._.given or {}
    doc._.home_region = home_region(text, spans, given.get("title"))
    return doc


def _appositive_parent(between: str, before: Region, mention: RegionMention,
                       region: Region) -> bool:
    """A province named right after one of its kabupaten/kota, set off by a comma."""
    return (region.level == "provinsi" and before.parent_code == region.code
            and not (mention.prefix and _GOVERNMENT_PREFIX.match(mention.prefix))
            and bool(re.fullmatch(r"\s*[,(]\s*(?:(?:provinsi|prov\.?)\s+)?", between,
                                  re.IGNORECASE)))


def _role(text: str, mention: RegionMention, region: Region) -> str:
    if region.level == "nasional":
        return "national"
    if region.level == "pusat" and word_regex("evaluator_words").search(region.name):
        return "evaluator"
    before = text[max(0, mention.start - 40) : mention.start]
    if _DATELINE.match(text, mention.end) and not before.strip(" \t").endswith(
            tuple("abcdefghijklmnopqrstuvwxyz,")):
        return "locative"  # "JAKARTA, Rabu (22/1) – ...": where the story was written
    if _compared_regex().search(before):
        return "compared"
    if mention.prefix is None and _LOCATIVE_BEFORE.search(before):
        return "locative"
    if mention.prefix and _LOCATIVE_BEFORE.search(before) and not _GOVERNMENT_PREFIX.match(
        mention.prefix
    ):
        return "locative"
    return "subject"


def _resolve_all(text: str, mentions: list[RegionMention]) -> list[tuple[Region | None, bool]]:
    """One region per mention (prefix, same name elsewhere, neighbours) and whether the
    choice is a toss-up (``Bekasi`` in an article naming both Kabupaten and Kota Bekasi)."""
    first = [m.resolved() for m in mentions]
    by_name: dict[str, Counter[Region]] = defaultdict(Counter)
    provinces: Counter[str] = Counter()
    for region in first:
        if region is not None:
            by_name[compact(region.bare)][region] += 1
            provinces[region.code.split(".")[0] if region.code else ""] += 1
    result: list[tuple[Region | None, bool]] = []
    for i, (mention, region) in enumerate(zip(mentions, first, strict=True)):
        if region is None and mention.candidates:
            result.append(_choose(text, mention, mentions, first, i, by_name, provinces))
        else:
            result.append((region, False))
    return result


def _bare_key(mention: RegionMention) -> str:
    return compact(mention.text[len(mention.prefix or "") :])


def _choose(text: str, mention: RegionMention, mentions: list[RegionMention],
            first: list[Region | None], i: int, by_name: dict[str, Counter[Region]],
            provinces: Counter[str]) -> tuple[Region, bool]:
    candidates = list(mention.candidates)
    if mention.level_hint:
        candidates = [r for r in candidates if r.level == mention.level_hint] or candidates
    known = by_name.get(_bare_key(mention))
    if known:
        fitting = sorted((r for r in candidates if r in known), key=lambda r: -known[r])
        if fitting:
            tie = len(fitting) > 1 and known[fitting[0]] == known[fitting[1]]
            return fitting[0], tie
    neighbour_levels = _neighbour_levels(text, mention, mentions, first, i)
    if neighbour_levels:
        fitting = [r for r in candidates if r.level in neighbour_levels]
        candidates = fitting or candidates
    return min(candidates, key=lambda r: (
        -provinces[(r.code or "").split(".")[0]] if r.level != "provinsi" else 0,
        _LEVEL_RANK[r.level])), False


def _neighbour_levels(text: str, mention: RegionMention, mentions: list[RegionMention],
                      first: list[Region | None], i: int) -> set[str]:
    """Levels of resolved mentions in the same sentence (``Pemprov Malut ... Gorontalo``)."""
    start = max(text.rfind(".", 0, mention.start), text.rfind("\n", 0, mention.start))
    stop_dot = text.find(".", mention.end)
    stop = len(text) if stop_dot < 0 else stop_dot
    levels = set()
    for other, region in zip(mentions, first, strict=True):
        inside = other is not mention and region is not None and start < other.start < stop
        if inside and region.level in {"provinsi", "kabupaten", "kota"}:
            levels.add(region.level)
    return levels


def home_region(text: str, spans: list, title: str | None = None) -> Region | None:
    """The government the article is mainly about: title, government prefixes, frequency."""
    first_line_end = text.find("\n")
    title_end = first_line_end if 0 < first_line_end < 200 else 0
    scores: Counter[Region] = Counter()
    order: dict[Region, int] = {}
    for span in spans:
        region = span._.region
        if span.label_ in {"national", "evaluator"} or region is None:
            continue
        weight = {"subject": 1.0, "locative": 0.5, "compared": 0.25, "ambiguous": 0.0}[span.label_]
        if _GOVERNMENT_PREFIX.match(span.text):
            weight += 1.0
        if span.start_char < title_end:
            weight += 2.0
        scores[region] += weight
        order.setdefault(region, span.start_char)
    if title:
        for mention in find_mentions(title):
            region = mention.resolved()
            if region is not None and region in scores:
                scores[region] += 2.0
    if not scores:
        return None
    return max(scores, key=lambda r: (scores[r], -order[r]))
