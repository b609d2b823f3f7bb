"""Which government a region mention means, and which government the article is about.

``spbe_extract.regions.find_mentions`` finds names and their candidates; this module picks
one candidate from context (the level prefix, other mentions of the same name in the
article, the levels of neighbouring mentions, the home province) and gives each mention a
role: ``subject``, ``locative`` (``di Balikpapan``, ``se-Sulteng``), ``compared``
(``di bawah Pemprov Gorontalo``), ``evaluator`` (KemenPAN-RB) or ``national``.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Doc

from spbe_extract.nlp.boilerplate import blocks_facts
from spbe_extract.nlp.pipeline import doc_text
from spbe_extract.nlp.rules import cue, word_regex, words_pattern
from spbe_extract.regions import Region, RegionMention, compact, find_mentions

_GOVERNMENT_PREFIX = re.compile(  # used with .match: at the start of a prefix or span
    r"(?:pemerintah|pemprov|pemprop|pemkab|pemkot|gubernur|bupati|wali\s*kota|walikota|"
    r"sekda\w*|wagub|wabup|wawali)", re.IGNORECASE)
_LOCATIVE_WORDS = ("di", "ke", "wilayah", "kawasan", "se")  # "di Balikpapan" (and "se-Sulteng")
# after a dateline place: "(ANTARA) -", ", Rabu, 22 Januari 2025 | 15:10 WIB –"
_DATELINE = re.compile(r"\s*(?:\([^)\n]{1,30}\))?\s*(?:,[^.\n]{0,60}?)?\s[–—-]\s")
_LEVEL_RANK = {"provinsi": 0, "kota": 1, "kabupaten": 2, "nasional": 3, "pusat": 4}
_ALIAS_OPENER = re.compile(r"\s*\(\s*")
_PARENT_SEPARATOR = re.compile(r"\s*[,(]\s*(?:(?:provinsi|prov\.?)\s+)?", re.IGNORECASE)
_WORD_OR_COMMA_END = tuple("abcdefghijklmnopqrstuvwxyz,")
_ROLE_WEIGHT = {"subject": 1.0, "locative": 0.5, "compared": 0.25, "ambiguous": 0.0}


@cache
def _cue_before_regex() -> re.Pattern[str]:
    """The words right before a mention, spelt backwards: group ``compared`` for a comparison
    demoter one or two words before (``di bawah Pemprov``), else ``locative`` for a place word
    right before (``di Balikpapan``, ``se-Sulteng``). It is matched at the start of the
    reversed text before the mention: one anchored attempt, not a search from every position."""
    demoters = words_pattern(cue("comparison_demoters"), reverse=True)
    places = words_pattern(_LOCATIVE_WORDS, reverse=True)
    se = words_pattern(["se-"], reverse=True)
    return re.compile(rf"(?P<compared>(?:\s+\S+)?\s+(?:{demoters})\b)"
                      rf"|(?P<locative>\s+(?:{places})\b|\s*{se}\b)", re.IGNORECASE)


def annotate_regions(doc: Doc) -> Doc:
    """Fill ``doc.spans['regions']`` (label = role, ``span._.region``), the same as
    ``doc.user_data['spbe_regions']`` (start, end, role, region), and ``doc._.home_region``."""
    text = doc_text(doc)
    blocked = [(s.start_char, s.end_char) for s in doc.spans.get("boilerplate", [])
               if blocks_facts(s.label_)]
    found = doc.user_data["spbe_mentions"] = find_mentions(text)  # officials reuse them
    mentions = found
    if blocked:
        mentions = [m for m in found if not any(a <= m.start < b for a, b in blocked)]
    resolved = _resolve_all(text, mentions)
    spans = []
    placed: list[tuple[int, int, str, Region]] = []  # (start, end, role, region) of each span
    previous: tuple[int, str, Region] | None = None
    for mention, (region, ambiguous) in zip(mentions, resolved, strict=True):
        if region is None:
            continue
        role = "ambiguous" if ambiguous else _role(text, mention, region)
        if previous and _ALIAS_OPENER.fullmatch(text, previous[0], mention.start):
            role = previous[1]  # "Sumatera Barat (Sumbar)": the alias repeats the name
        elif previous and _appositive_parent(text, previous[0], previous[2], mention, region):
            role = "locative"  # "Kabupaten Banjar, Kalimantan Selatan, ...": where it lies
        previous = (mention.end, role, region)
        span = doc.char_span(mention.start, mention.end, label=role, alignment_mode="expand")
        if span is not None:
            span._.region = region
            spans.append(span)
            placed.append((span.start_char, span.end_char, role, region))
    doc.spans["regions"] = spans
    doc.user_data["spbe_regions"] = placed  # the same, without an Underscore per span (facts)
    given = doc._.given or {}
    title = given.get("title")
    doc._.home_region = home_region(text, placed, _title_mentions(text, found, title))
    return doc


def _title_mentions(text: str, found: list[RegionMention],
                    title: str | None) -> list[RegionMention]:
    """The mentions in ``title``: those of its line when ``text`` starts with it."""
    if not title:
        return []
    if text.startswith(title) and text[len(title) : len(title) + 1] in ("\n", ""):
        return [m for m in found if m.end <= len(title)]  # no name crosses a line break
    return find_mentions(title)


def _appositive_parent(text: str, before_end: int, before: Region, mention: RegionMention,
                       region: Region) -> bool:
    """A province named right after one of its kabupaten/kota (which ends at ``before_end``),
    set off by a comma."""
    return (region.level == "provinsi" and before.parent_code == region.code
            and not (mention.prefix and _GOVERNMENT_PREFIX.match(mention.prefix))
            and bool(_PARENT_SEPARATOR.fullmatch(text[before_end : mention.start])))


def _role(text: str, mention: RegionMention, region: Region) -> str:
    if region.level == "nasional":
        return "national"
    if region.level == "pusat" and word_regex("evaluator_words").search(region.name):
        return "evaluator"
    before = text[max(0, mention.start - 40) : mention.start]
    if not before.rstrip(" \t").endswith(_WORD_OR_COMMA_END) and _DATELINE.match(
            text, mention.end):
        return "locative"  # "JAKARTA, Rabu (22/1) – ...": where the story was written
    cue_before = _cue_before_regex().match(before[::-1])
    if cue_before is None:
        return "subject"
    if cue_before.lastgroup == "compared":
        return "compared"
    # a place word before, unless the prefix is the government itself ("di Pemkab Gorontalo")
    if mention.prefix is None or not _GOVERNMENT_PREFIX.match(mention.prefix):
        return "locative"
    return "subject"


def _resolve_all(text: str, mentions: list[RegionMention]) -> list[tuple[Region | None, bool]]:
    """One region per mention (prefix, same name elsewhere, neighbours) and whether the
    choice is a toss-up (``Bekasi`` in an article naming both Kabupaten and Kota Bekasi)."""
    first = [m.resolved() for m in mentions]
    by_name: dict[str, dict[str, int]] = {}  # bare name key -> region name -> mentions
    provinces: dict[str, int] = {}
    for region in first:
        if region is not None:
            counts = by_name.setdefault(compact(region.bare), {})
            counts[region.name] = counts.get(region.name, 0) + 1
            province = region.code.split(".")[0] if region.code else ""
            provinces[province] = provinces.get(province, 0) + 1
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
            first: list[Region | None], i: int, by_name: dict[str, dict[str, int]],
            provinces: dict[str, int]) -> tuple[Region, bool]:
    candidates = list(mention.candidates)
    if mention.level_hint:
        candidates = [r for r in candidates if r.level == mention.level_hint] or candidates
    known = by_name.get(_bare_key(mention))
    if known:
        fitting = sorted((r for r in candidates if r.name in known), key=lambda r: -known[r.name])
        if fitting:
            tie = len(fitting) > 1 and known[fitting[0].name] == known[fitting[1].name]
            return fitting[0], tie
    neighbour_levels = _neighbour_levels(text, mention, mentions, first, i)
    if neighbour_levels:
        fitting = [r for r in candidates if r.level in neighbour_levels]
        candidates = fitting or candidates
    return min(candidates, key=lambda r: (
        -provinces.get((r.code or "").split(".")[0], 0) if r.level != "provinsi" else 0,
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


def home_region(text: str, placed: list[tuple[int, int, str, Region]],
                title_mentions: list[RegionMention]) -> Region | None:
    """The government the article is mainly about: title, government prefixes, frequency.

    ``placed`` holds the (start, end, role, region) of each region span, in text order."""
    first_line_end = text.find("\n")
    title_end = first_line_end if 0 < first_line_end < 200 else 0
    scores: dict[str, float] = {}  # region name -> score, in order of first mention
    named: dict[str, Region] = {}
    for start, end, role, region in placed:
        if role in {"national", "evaluator"}:
            continue
        weight = _ROLE_WEIGHT[role]
        if _GOVERNMENT_PREFIX.match(text, start, end):
            weight += 1.0
        if start < title_end:
            weight += 2.0
        scores[region.name] = scores.get(region.name, 0.0) + weight
        named[region.name] = region
    for mention in title_mentions:
        region = mention.resolved()
        if region is not None and region.name in scores:
            scores[region.name] += 2.0
    if not scores:
        return None
    return named[max(scores, key=scores.__getitem__)]  # the first mentioned wins a tie
