"""Dates and years in Indonesian news: publication dates, and the years a sentence states.

Publication dates come from bylines and datelines (``Kamis, 31 Oktober 2024 | 06:27 WIB``),
the ``Hari (dd/mm/yyyy)`` form (``Senin (13/05/2024)``), a bare ``25/2/2023`` and the URL
(``/2023/02/23/``). Dates written with a month name are read by ``dateparser``
(``languages=['id']``); zones WIB/WITA/WIT are understood, and the local date is kept.
Years are classified so that regulation years (``Nomor 95 Tahun 2018``), plan periods
(``2021-2026``) and calendar dates are never taken for an evaluation year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Literal

from spbe_extract.nlp.rules import cue, may_contain, phrase_needles, words_pattern

YearKind = Literal["plain", "regulation", "range", "date", "announced"]

# The look-behind comes last (after the four digits) so that ``re`` can skip to a 1 or a 2.
_YEAR = re.compile(r"((?:19[89]|20[0-4])\d)(?<![\d.,:]\d{4})(?![\d/]|[.,]\d)")
_HAS_DIGIT = re.compile(r"\d")
_REGULATION_BEFORE = re.compile(
    r"(?:\b(?:nomor|no\.?|nmr\.?)\s*\d+[a-z]?\s*(?:tahun|thn\.?|th\.?)?\s*"
    r"|\b\d+\s*/\s*"
    r"|\b(?:perpres|pp|uu|perda|pergub|perbup|perwali|perwal|permen\w*|kepmen\w*|inpres|se)"
    r"\s+\d+\s+(?:tahun|thn\.?)\s*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class YearMention:
    """A four-digit year in the text and what kind of year it is."""

    start: int
    end: int
    year: int
    kind: YearKind


@cache
def _month_regex() -> str:
    return words_pattern(cue("dates")["months"])


@cache
def _zone_regex() -> str:
    return words_pattern(cue("dates")["zones"])


@cache
def _weekday_regex() -> str:
    return words_pattern(cue("dates")["weekdays"])


@cache
def _month_before() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_month_regex()})\.?\s*$", re.IGNORECASE)


@cache
def _announced_before() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{words_pattern(cue('announcement_cues'))})\s+(?:\w+\s+){{0,2}}$",
                      re.IGNORECASE)


@lru_cache(maxsize=512)  # the facts reader asks again for the sentences it reads
def find_years(text: str) -> tuple[YearMention, ...]:
    """Every year in ``text`` with its kind (plain, regulation, range or calendar date)."""
    found = []
    for match in _YEAR.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        after = text[match.end() : match.end() + 12]
        found.append(YearMention(match.start(), match.end(), int(match.group(1)),
                                 _year_kind(before, after)))
    return tuple(found)


def _year_kind(before: str, after: str) -> YearKind:
    """The kind of a year from the 40 characters before it and the 12 after it. Each regex
    runs only where a cheap test (a last character, a digit, a cue's substring) allows it."""
    tail = before.rstrip()
    lowered = before.lower()
    if before.endswith("/") and re.search(r"\d{1,2}/\d{1,2}/$", before):
        return "date"
    if _HAS_DIGIT.search(before) and _REGULATION_BEFORE.search(before):
        return "regulation"
    if (any(n in lowered for n in phrase_needles(tuple(cue("dates")["months"])))
            and _month_before().search(before)):
        return "date"
    if may_contain(lowered, "announcement_cues") and _announced_before().search(before):
        return "announced"  # "diumumkan pada 2024": when results came out, not their year
    if re.match(r"\s*[-–—/]\s*(?:19|20)\d\d", after) or (
        tail.endswith(("-", "–", "—", "/")) and re.search(r"(?:19|20)\d\d\s*[-–—/]\s*$", before)
    ):
        return "range"
    return "plain"


# ---- publication date ---------------------------------------------------------


@dataclass(frozen=True)
class DateMention:
    """A full calendar date written in the text (or with the year missing)."""

    start: int
    end: int
    day: int
    month: int
    year: int | None
    weekday: bool


_NUMERIC_CORE = re.compile(r"\d/\d")
_YEAR_PREFIXES = ("19", "20", "21")
_MARGIN = 40  # characters around a core that a full date (weekday, time, zone) may take


@cache
def _month_core() -> re.Pattern[str]:
    return re.compile(rf"\d\s+(?:{_month_regex()})\.?\s+\d{{4}}", re.IGNORECASE)


def _numeric_cores(text: str) -> list[re.Match[str]]:
    """The ``d/d`` cores of numeric dates, found from the slashes (``str.find``: far cheaper
    than scanning the whole text with a regex); leftmost first, not overlapping."""
    found = []
    slash = text.find("/", 1)
    while slash != -1:
        m = _NUMERIC_CORE.match(text, slash - 1)
        if m:
            found.append(m)
        slash = text.find("/", m.end() + 1 if m else slash + 1)  # cores never overlap
    return found


def _month_cores(text: str) -> list[re.Match[str]]:
    """The ``d Month yyyy`` cores of written dates whose year is 1900-2199 (publication
    dates are 1990-2100), leftmost first, not overlapping.

    Found from their years (``str.find``), walking back over the month word to the day: the
    same matches as scanning the whole text with the core regex, at a fraction of the cost.
    """
    core, starts = _month_core(), set()
    for prefix in _YEAR_PREFIXES:
        at = text.find(prefix, 1)
        while at != -1:
            start = _day_before(text, at)
            if start is not None:
                starts.add(start)
            at = text.find(prefix, at + 1)
    found: list[re.Match[str]] = []
    for start in sorted(starts):
        m = core.match(text, start)
        if m and not (found and found[-1].end() > start):
            found.append(m)
    return found


def _day_before(text: str, year: int) -> int | None:
    """Where ``<digit> <word>[.] `` ends right before ``year`` (the last digit of a day)."""
    i = year
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == year:
        return None
    i -= text[i - 1 : i] == "."
    word_end = i
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    if i == word_end:
        return None
    day_end = i
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i - 1 if i < day_end and text[i - 1 : i].isdigit() else None


def _around(pattern: re.Pattern[str], cores: list[re.Match[str]], text: str) -> list[re.Match[str]]:
    """The matches of ``pattern`` that contain one of the ``cores`` (each starts at the last
    digit of a day): ``pattern`` is tried only where a weekday or that day begins, since its
    leading optional weekday makes it slow to scan a whole text with."""
    found: list[re.Match[str]] = []
    for hit in cores:
        if found and found[-1].end() > hit.start():
            continue  # this date was read with the previous one
        day = hit.start() - 1 if hit.start() and text[hit.start() - 1].isdigit() else hit.start()
        lo = max(0, day - _MARGIN)
        starts = [m.start() for m in _weekday_word().finditer(text, lo, day)]
        for start in (*starts, day):
            m = pattern.match(text, start)
            if m and m.end() >= hit.end():
                found.append(m)
                break
    return found


@cache
def _weekday_word() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_weekday_regex()})\b", re.IGNORECASE)


@cache
def _numeric_regex() -> re.Pattern[str]:
    weekday = rf"(?P<wd>\b(?:{_weekday_regex()})\b\s*,?\s*\(?\s*)?"
    return re.compile(
        weekday + r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])",
        re.IGNORECASE,
    )


def _numeric_dates(text: str) -> list[DateMention]:
    """``Senin (13/05/2024)``, ``(7/2/23)``, ``Rabu (22/2)``, a bare ``25/2/2023``."""
    found = []
    for m in _around(_numeric_regex(), _numeric_cores(text), text):
        year = m.group("y")
        if year is None and not m.group("wd"):
            continue  # "22/2" alone may be anything; with a weekday it is a date
        full_year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
        found.append(DateMention(m.start(), m.end(), int(m.group("d")), int(m.group("m")),
                                 full_year, bool(m.group("wd"))))
    return found


@cache
def _month_name_regex() -> re.Pattern[str]:
    return re.compile(
        rf"(?P<wd>\b(?:{_weekday_regex()})\b\s*,?\s*)?"
        rf"(?P<date>\b\d{{1,2}}\s+(?:{_month_regex()})\.?\s+\d{{4}})"
        r"(?P<time>\s*[|,-]?\s*(?:pukul\s*)?\d{1,2}[:.]\d{2}\s*"
        rf"(?P<zone>{_zone_regex()})?)?",
        re.IGNORECASE,
    )


def _month_name_dates(text: str) -> list[DateMention]:
    """``Kamis, 31 Oktober 2024 | 06:27 WIB``, ``Selasa, 07 Februari 2023``, a header date."""
    found = []
    for m in _around(_month_name_regex(), _month_cores(text), text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        lead = text[line_start : m.start()]
        header = m.start() < 600 and bool(re.fullmatch(r"(?:[A-Z][\w.]*[\s,]+){0,4}", lead))
        if not (m.group("wd") or m.group("time") or header):
            continue  # "tertanggal 11 Januari 2024" in the body is not the publication date
        parsed = parse_date(m.group("date"))
        if parsed:
            found.append(DateMention(m.start(), m.end(), parsed.day, parsed.month, parsed.year,
                                     bool(m.group("wd"))))
    return found


@cache
def _date_parser():  # type: ignore[no-untyped-def]
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["id"], settings={"PREFER_DAY_OF_MONTH": "first"})


@cache
def parse_date(text: str) -> date | None:
    """An Indonesian calendar date (``31 Oktober 2024``, ``7 Feb 2023``).

    ``day month-name year`` is read from the month table; other forms (and impossible days)
    go to dateparser. A trailing WIB/WITA/WIT zone is dropped: the local date is the
    publication date.
    """
    text = re.sub(rf"\s*\b(?:{_zone_regex()})\b", "", text, flags=re.IGNORECASE).strip()
    months = cue("dates")["months"]
    parts = text.replace(".", " ").split()
    if len(parts) == 3 and parts[1].lower() in months:
        day, year = parts[0], parts[2]
        if day.isdigit() and year.isdigit():
            found = _safe_date(int(year), months[parts[1].lower()], int(day))
            if found:
                return found
    formats = ["%d %B %Y"] if len(parts) == 3 and parts[1].lower() in months else None
    data = _date_parser().get_date_data(text, date_formats=formats)
    return data.date_obj.date() if data and data.date_obj else None


def date_from_url(url: str | None) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) from a URL path such as ``/2023/02/23/`` or ``/2023/02/``."""
    if not url:
        return None
    m = re.search(r"/((?:19|20)\d\d)/(\d{1,2})(?:/(\d{1,2}))?(?:/|$)", url)
    if not m:
        return None
    month = int(m.group(2))
    day = int(m.group(3)) if m.group(3) else None
    return (int(m.group(1)), month if 1 <= month <= 12 else None, day)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_published(
    text: str, url: str | None = None, skip: Sequence[tuple[int, int]] = ()
) -> date | None:
    """The article's publication date from its text and URL, or None when neither gives one.

    Candidates are byline/dateline dates outside ``skip`` spans (related-article lists).
    A URL date bounds them: the latest text date not after it wins, else the URL date;
    a text date without a year (``Rabu (22/2)``) takes the URL's year.
    """
    from_url = date_from_url(url)
    url_date = _safe_date(*from_url) if from_url and from_url[1] and from_url[2] else None
    candidates: list[date] = []
    for mention in _numeric_dates(text) + _month_name_dates(text):
        if any(a <= mention.start < b for a, b in skip):
            continue
        year = mention.year or (from_url[0] if from_url else None)
        found = _safe_date(year, mention.month, mention.day) if year else None
        if found and 1990 <= found.year <= 2100:
            candidates.append(found)
    if url_date:
        earlier = [d for d in candidates if d <= url_date and (url_date - d).days <= 31]
        return max(earlier) if earlier else url_date
    if from_url:
        same_month = [d for d in candidates if (d.year, d.month) == from_url[:2]]
        same_year = [d for d in candidates if d.year == from_url[0]]
        pool = same_month or same_year
        return max(pool) if pool else None
    return max(candidates) if candidates else None
