"""Publication dates of crawled pages as timezone-aware datetimes.

Portal datelines look like ``Kamis, 31 Oktober 2024 20:15 WIB`` or
``Kamis, 31 Oktober 2024 | 06:27 WITA``; meta tags and feeds use ISO 8601 or RFC 822.
dateparser reads all of them (Indonesian month and day names, WIB/WITA/WIT offsets);
a date with no zone is taken as ``default_tz`` (WIB unless a setting says otherwise).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import dateparser

from spbe_extract.nlp.rules import cue, words_pattern

_EXPLICIT_ZONE = re.compile(
    r"(\bWI(?:B|TA|T)\b|\bUTC\b|\bGMT\b|[+-]\d{2}:?\d{2}\s*$|\dZ\s*$)", re.IGNORECASE
)
_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"}


def parse_offset(offset: str) -> timezone:
    """``+07:00`` -> a fixed timezone."""
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset.lstrip("+-").split(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


def parse_published(text: str | None, default_tz: str = "+07:00") -> datetime | None:
    """The moment ``text`` names, timezone aware, or None when it names no date."""
    if not text or not text.strip():
        return None
    cleaned = " ".join(text.replace("|", " ").split())
    explicit = bool(_EXPLICIT_ZONE.search(cleaned))
    settings = dict(_SETTINGS, RETURN_AS_TIMEZONE_AWARE=explicit)
    try:
        moment = dateparser.parse(cleaned, languages=["id", "en"], settings=settings)
    except (ValueError, OverflowError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=parse_offset(default_tz))
    offset = moment.utcoffset()
    return moment.replace(tzinfo=timezone(offset)) if offset is not None else moment


def parse_since(text: str | None, default_tz: str = "+07:00") -> datetime | None:
    """The ``--since`` bound (``2024-01-01``, ``1 Januari 2024``...), or None."""
    moment = parse_published(text, default_tz)
    if text and moment is None:
        raise ValueError(f"cannot read the date {text!r}")
    return moment


# Weekday and zone names are the NLP stage's (data/nlp_cues.json, "dates"): one list for both.
_DATELINE = re.compile(
    rf"(?:(?:{words_pattern(cue('dates')['weekdays'])}),?\s+)?"
    r"\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}"
    r"(?:\s*[|,-]?\s*(?:pukul\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?"
    rf"(?:\s*(?:{words_pattern(cue('dates')['zones'])})\b)?",
    re.IGNORECASE,
)


def find_dateline(text: str | None, default_tz: str = "+07:00") -> datetime | None:
    """The first ``[Hari,] 31 Oktober 2024 [| 06:27] [WIB]`` inside a byline, parsed."""
    for match in _DATELINE.finditer(text or ""):
        moment = parse_published(match.group(0), default_tz)
        if moment is not None:
            return moment
    return None


def is_dateline(line: str) -> bool:
    """True when ``line`` is nothing but a date (``Selasa, 8 Oktober 2024 16:45 WITA``)."""
    match = _DATELINE.fullmatch(line.strip())
    return match is not None
