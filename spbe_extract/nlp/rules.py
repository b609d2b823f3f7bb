"""The NLP stage's rule tables, read once from ``spbe_extract/data``.

Cue words live in ``data/nlp_cues.json`` and the SPBE evaluation calendar in
``data/evaluations.tsv``; this module only loads them and compiles word-list regexes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

DATA_FILES = ("nlp_cues.json", "evaluations.tsv", "predicate_bands.tsv")


def _read(name: str) -> str:
    return resources.files("spbe_extract").joinpath("data", name).read_text("utf-8")


@cache
def cues() -> dict[str, Any]:
    """The cue-word tables (see ``data/nlp_cues.json``)."""
    return json.loads(_read("nlp_cues.json"))


def cue(name: str) -> Any:
    """One table of ``nlp_cues.json`` by name."""
    return cues()[name]


def cue_words(name: str) -> Iterable[str]:
    """The words or phrases of a cue table (the keys of a table that maps them)."""
    table = cue(name)
    return table.keys() if isinstance(table, dict) else table


@cache
def evaluation_rows() -> tuple[tuple[int, str, str | None], ...]:
    """(year, results published ISO date, decree 'number/year' or None) per evaluation."""
    rows = []
    for line in _read("evaluations.tsv").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")] + ["", ""]
        rows.append((int(cells[0]), cells[1], cells[2] or None))
    return tuple(rows)


@cache
def predicate_bands() -> tuple[tuple[str, float], ...]:
    """(predikat, inclusive lower bound) from ``data/predicate_bands.tsv``, lowest first."""
    rows = []
    for line in _read("predicate_bands.tsv").splitlines():
        if line.strip() and not line.startswith("#"):
            name, bound = line.split("\t")[:2]
            rows.append((name.strip(), float(bound)))
    return tuple(sorted(rows, key=lambda row: row[1]))


def words_pattern(words: Iterable[str], reverse: bool = False) -> str:
    """A regex alternation of cue words/phrases, longest first, spaces matching any whitespace;
    ``reverse``: each spelt backwards, for matching reversed text (a ``*`` stem then leads)."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        wild = r"\w*" if word.endswith("*") else ""
        stem = word.rstrip("*")
        body = re.escape(stem[::-1] if reverse else stem).replace(r"\ ", r"\s+")
        parts.append(wild + body if reverse else body + wild)
    return "|".join(parts)


_WORD = re.compile(r"\w+")


def lower_words(text: str) -> set[str]:
    """The lower-case words of ``text`` (for ``may_match`` prefilters)."""
    return set(_WORD.findall(text.lower()))


@cache
def first_words(*names: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(first words, wildcard stems) of every cue of the lists ``names``: a text none of whose
    words is one of them, or starts with a stem, matches none of those cues."""
    firsts: set[str] = set()
    stems: set[str] = set()
    for name in names:
        for phrase in cue_words(name):
            first = _WORD.findall(phrase.lower())
            if not first:
                continue
            single = len(first) == 1 and not re.search(r"[^\w*]", phrase)
            if phrase.endswith("*") and single:
                stems.add(first[0])
            else:
                firsts.add(first[0])
    return frozenset(firsts), tuple(sorted(stems))


def may_match(words: set[str], *names: str) -> bool:
    """False when no cue of the lists ``names`` can occur in a text with these ``words``."""
    firsts, stems = first_words(*names)
    if not firsts.isdisjoint(words):
        return True
    return bool(stems) and any(w.startswith(stems) for w in words)


@dataclass(frozen=True)
class CueRegex:
    """A regex whose every match starts at a word of some cue lists.

    ``search``/``finditer`` behave as the compiled pattern's but try it only where such a
    word starts: for a long alternation, much faster than ``re`` trying it at every character.
    """

    pattern: re.Pattern[str]
    names: tuple[str, ...]

    def finditer(self, text: str, words: set[str] | None = None) -> Iterator[re.Match[str]]:
        """Matches in ``text``; ``words``: its ``lower_words``, when the caller has them."""
        end = 0
        for start in self._starts(text, words):
            if start < end:
                continue
            match = self.pattern.match(text, start)
            if match:
                end = max(match.end(), start + 1)
                yield match

    def _starts(self, text: str, words: set[str] | None) -> list[int]:
        """Where a word that may begin a cue starts, in order (words found by ``str.find``
        on the lower-cased text: far cheaper than a Python loop over every word)."""
        firsts, stems = first_words(*self.names)
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lower case is longer: offsets move
            return [w.start() for w in _WORD.finditer(text)
                    if _begins_cue(w.group().lower(), firsts, stems)]
        words = set(_WORD.findall(lowered)) if words is None else words
        present = words & firsts
        if stems:
            present.update(w for w in words if w.startswith(stems))
        return sorted(at for word in present for at in _whole_word_at(lowered, word))

    def search(self, text: str, words: set[str] | None = None) -> re.Match[str] | None:
        return next(self.finditer(text, words), None)


def _begins_cue(word: str, firsts: frozenset[str], stems: tuple[str, ...]) -> bool:
    return word in firsts or bool(stems and word.startswith(stems))


def _whole_word_at(text: str, word: str) -> Iterator[int]:
    """Every start of ``word`` in ``text`` as a whole ``\\w+`` word."""
    size = len(word)
    at = text.find(word)
    while at != -1:
        after = text[at + size : at + size + 1]
        if not _is_word_char(text[at - 1 : at]) and not _is_word_char(after):
            yield at
        at = text.find(word, at + size)


def _is_word_char(char: str) -> bool:
    """``char`` (one character or empty) is matched by ``\\w``."""
    return char.isalnum() or char == "_"


def cue_regex(pattern: str, *names: str) -> CueRegex:
    """A case-insensitive ``CueRegex``; ``pattern`` starts with a word of the lists ``names``."""
    return CueRegex(re.compile(pattern, re.IGNORECASE), names)


@cache
def word_regex(name: str) -> re.Pattern[str]:
    """Case-insensitive whole-word regex for the cue list ``name``."""
    return re.compile(rf"(?<![\w-])(?:{words_pattern(cue_words(name))})(?![\w])", re.IGNORECASE)


@cache
def needles(name: str) -> tuple[str, ...]:
    """Lower-case substrings, one of which any match of ``word_regex(name)`` contains."""
    return phrase_needles(tuple(cue_words(name)))


@cache
def phrase_needles(phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Lower-case substrings, one of which any match of ``words_pattern(phrases)`` contains."""
    longest = {max(_WORD.findall(w.lower()), key=len) for w in phrases if _WORD.search(w)}
    return tuple(sorted(n for n in longest if not any(o != n and o in n for o in longest)))


def may_contain(text: str, *names: str) -> bool:
    """False when ``text`` cannot hold a cue of the lists ``names`` (substring test, no
    regex)."""
    lowered = text.lower()
    return any(needle in lowered for needle in _needles_of(names))


def has_cue(text: str, name: str) -> bool:
    """A cue of the list ``name`` in ``text`` (the substring test first, then the regex)."""
    return may_contain(text, name) and word_regex(name).search(text) is not None


@cache
def _needles_of(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(needle for name in names for needle in needles(name))
