"""Indonesian numbers in text: ``3,22``, ``3.32``, ``4,00``, ``angka tiga``, ``tiga koma lima``.

This module is the one place that knows how Indonesian writes numbers: a comma is the
decimal mark (``3,22``), a point groups thousands (``1.503``) except in the ``3.32`` style
that news sites also use for small decimals, and number words count when a value noun
leads them (``angka tiga``) or when they carry a decimal (``tiga koma lima``). A bare
``tiga koma`` (``di atas tiga koma``) states no value and yields nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from spbe_extract.nlp.rules import cue, lower_words, may_contain, may_match, words_pattern

NumberKind = Literal["decimal", "integer", "words"]

_DIGITS = re.compile(
    r"(\d(?<![\w/.,:]\d)"  # not inside a date, a time, a code or a longer number (checked
    # after the first digit: a pattern led by a digit lets ``re`` skip ahead to digits)
    r"(?:\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d*(?:[.,]\d+)?))"  # 1.503,25 | 3,22 | 2024
    r"(?![/:]\d)(?![.,]\d)(?!\w*\d)"
)
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_ONE_GROUP = re.compile(r"\d\.\d{3}")
_PLAIN = re.compile(r"\d+[.,]\d+|\d+")
_THOUSANDS = re.compile(r"\d{1,3}\.\d{3}")
_DECIMALS = re.compile(r"[.,](\d+)$")


@dataclass(frozen=True)
class NumberMention:
    """A number in the text: its span, value and how it was written."""

    start: int
    end: int
    value: float
    kind: NumberKind
    text: str

    @property
    def decimals(self) -> int:
        """Digits after the decimal mark as written (``4,00`` -> 2, ``angka tiga`` -> 0)."""
        match = _DECIMALS.search(self.text) if self.kind == "decimal" else None
        return len(match.group(1)) if match else 0


def parse_number(text: str) -> float | None:
    """The value of a written number (``3,22`` -> 3.22, ``1.503`` -> 1503, ``tiga`` -> 3)."""
    text = text.strip()
    if _GROUPED.fullmatch(text) and (text.count(".") > 1 or "," in text
                                     or _ONE_GROUP.fullmatch(text)):
        return float(text.replace(".", "").replace(",", "."))
    if _PLAIN.fullmatch(text):
        return float(text.replace(",", "."))
    words = text.lower().split()
    return _words_value(words) if words else None


def _word_digit(word: str) -> int | None:
    value = cue("number_words").get(word)
    return int(value) if value is not None else None


def _words_value(words: list[str]) -> float | None:
    """``tiga`` -> 3, ``tiga koma lima`` -> 3.5, ``tiga koma dua dua`` -> 3.22."""
    whole = _word_digit(words[0])
    if whole is None:
        return None
    if len(words) == 1:
        return float(whole)
    if words[1] != "koma" or len(words) < 3:
        return None
    digits = [_word_digit(w) for w in words[2:]]
    if any(d is None or d > 9 for d in digits):
        return None
    return float(f"{whole}." + "".join(str(d) for d in digits))


@cache
def _digit_words() -> str:
    return words_pattern(k for k, v in cue("number_words").items() if v <= 9)


@cache
def _words_regex() -> re.Pattern[str]:
    digits = _digit_words()
    leads = words_pattern(cue("number_word_leads"))
    return re.compile(
        rf"(?:(?P<lead>\b(?:{leads}))\s+)?"
        rf"(?P<num>\b(?:{digits})\b(?:\s+koma(?:\s+(?:{digits})\b)+)?)",
        re.IGNORECASE,
    )


@cache
def _digit_word_regex() -> re.Pattern[str]:
    """A number word from nol to sembilan: every match of ``_words_regex`` holds one."""
    return re.compile(rf"\b(?:{_digit_words()})\b", re.IGNORECASE)


def _may_hold_number_words(text: str) -> bool:
    return may_contain(text, "number_words") and _digit_word_regex().search(text) is not None


@lru_cache(maxsize=512)  # the facts reader asks again for the sentences it reads
def find_numbers(text: str) -> tuple[NumberMention, ...]:
    """Every number written in digits, and number words that state a value, in text order."""
    found = [_digit_mention(m) for m in _DIGITS.finditer(text)]
    if not _may_hold_number_words(text):
        return tuple(found)
    for match in _words_regex().finditer(text):
        words = match.group("num").lower().split()
        if "koma" not in words and not match.group("lead"):
            continue
        if "koma" not in words and re.match(r"\s+koma\b", text[match.end("num"):]):
            continue  # "di atas tiga koma": no value stated
        value = _words_value(words)
        if value is not None:
            found.append(NumberMention(match.start("num"), match.end("num"), value, "words",
                                       match.group("num")))
    return tuple(sorted(found, key=lambda n: n.start))


def _digit_mention(match: re.Match[str]) -> NumberMention:
    text = match.group(1)
    if "." not in text and "," not in text:  # digits only: most numbers
        return NumberMention(match.start(1), match.end(1), float(text), "integer", text)
    value = parse_number(text)
    kind: NumberKind = "decimal"
    if text.count(".") == 1 and _THOUSANDS.fullmatch(text):
        kind = "integer"  # "3.500": a thousands group, not a decimal
        value = float(text.replace(".", ""))
    return NumberMention(match.start(1), match.end(1), float(value or 0), kind, text)


_VALUE_LIKE = re.compile(r"(?<![\w/.,:])(?:10|\d)[.,]\d{1,2}(?![\d])")
# cheap scans first (a pattern led by a character class skips ahead fast):
_DECIMAL_CORE = re.compile(r"\d[.,]\d")  # in every _VALUE_LIKE match
# a digit 1-5 with no digit before it, in every _lead_integer_regex match (leads end in a letter)
_LONE_SMALL_DIGIT = re.compile(r"[1-5](?<!\d[1-5])(?![\w.,/:])")


@cache
def _lead_integer_regex() -> re.Pattern[str]:
    leads = words_pattern(cue("number_word_leads"))
    return re.compile(rf"\b(?:{leads})\W{{0,3}}[1-5](?![\w.,/:])", re.IGNORECASE)


def may_hold_value(text: str, words: set[str] | None = None) -> bool:
    """A cheap test: does ``text`` write a number that could be an index value (a decimal up
    to 10 with at most two decimals, a value noun before 1-5, ``angka tiga``, ``tiga koma
    lima``)? False means ``find_numbers`` finds no such value in it. ``words``: the text's
    words from ``rules.lower_words``, when the caller has them."""
    if _DECIMAL_CORE.search(text) and _VALUE_LIKE.search(text):
        return True
    words = lower_words(text) if words is None else words
    leads = may_match(words, "number_word_leads")
    if leads and _LONE_SMALL_DIGIT.search(text) and _lead_integer_regex().search(text):
        return True
    return (leads or "koma" in words) and may_match(words, "number_words") and any(
        m.group("lead") or " koma" in m.group("num").lower()
        for m in _words_regex().finditer(text))
