"""Words of one line with their character offsets, as the officials extractor reads them.

The extractor works on its own word split (not spaCy tokens) so that a name such as
``Iksan R.A. Arsad`` or a degree such as ``SE.MM`` is one word whatever the tokenizer does,
and offsets always point into the article text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from spbe_extract.regions import compact

_WORD = re.compile(r"\w+(?:[.'’\-]\w+)*\.?|[^\w\s]")
_INITIALS = re.compile(r"[A-Z](?:\.[A-Z])*\.?")
_LOWER_FUNCTION = {"di", "ke", "dari", "dan", "yang", "untuk", "atau", "pada", "se", "vs"}


class Word(NamedTuple):
    """A word or punctuation mark and its span in the article text (see ``make_word``)."""

    text: str
    start: int
    end: int
    key: str  # folded text (``regions.compact``)
    is_alpha: bool

    @property
    def is_cap(self) -> bool:
        """Starts with a capital letter."""
        return self.text[:1].isupper()

    @property
    def is_initial(self) -> bool:
        """A name initial: ``M``, ``M.``, ``R.A.``."""
        return bool(_INITIALS.fullmatch(self.text))

    @property
    def is_upper(self) -> bool:
        """All capitals and longer than an initial (``OPU``, ``NTT``)."""
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) > 1 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class Line:
    """One line of the article text (a paragraph, a caption, a heading); its words are split
    when first used (most lines of an article never need them)."""

    start: int
    end: int
    raw: str = field(repr=False)
    abbreviations: frozenset[str] = field(repr=False, compare=False)

    @cached_property
    def words(self) -> tuple[Word, ...]:
        return tuple(words_of(self.raw, self.start, self.abbreviations))


def _keeps_dot(core: str, abbreviations: set[str]) -> bool:
    """Whether a final dot belongs to the word (initials, ``Drs.``, ``Plt.``) or ends a clause."""
    return bool(_INITIALS.fullmatch(core)) or "." in core or compact(core) in abbreviations


def make_word(text: str, start: int, end: int) -> Word:
    """A ``Word`` with its folded key."""
    key = compact(text)
    return Word(text, start, end, key, bool(key) and text[:1].isalpha())


def words_of(text: str, offset: int, abbreviations: set[str]) -> list[Word]:
    """The words of ``text`` (which starts at ``offset`` in the article)."""
    words: list[Word] = []
    for match in _WORD.finditer(text):
        token, start = match.group(), offset + match.start()
        if len(token) > 1 and token.endswith(".") and not _keeps_dot(token[:-1], abbreviations):
            words.append(make_word(token[:-1], start, start + len(token) - 1))
            words.append(make_word(".", start + len(token) - 1, start + len(token)))
        else:
            words.append(make_word(token, start, start + len(token)))
    return words


def lines_of(text: str, abbreviations: frozenset[str]) -> Iterator[Line]:
    """The non-empty lines of the article (words split on first use)."""
    start = 0
    for raw in text.split("\n"):
        end = start + len(raw)
        if raw.strip():
            yield Line(start, end, raw, abbreviations)
        start = end + 1


def is_headline(line: Line) -> bool:
    """A line written in Title Case (a heading, a related headline or a bare caption).

    Names read from such lines are weak: every word is capitalised, so a verb after a name
    (``Gubernur Beri Apresiasi``) cannot be told from the name. A line with a full stop
    is a sentence (a photo caption such as ``Bupati X Budi Santoso.``), not a heading.
    """
    alpha = [w for w in line.words if w.is_alpha and w.text.lower() not in _LOWER_FUNCTION]
    if len(alpha) < 3 or any(w.text == "." for w in line.words):
        return False  # a sentence (or a caption sentence), not a heading
    capitalised = sum(1 for w in alpha if w.is_cap)
    return capitalised / len(alpha) >= 0.8
