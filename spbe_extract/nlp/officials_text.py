"""Words of one line with their character offsets, as the officials extractor reads them.

The extractor works on its own word split (not spaCy tokens) so that a name such as
``Iksan R.A. Arsad`` or a degree such as ``SE.MM`` is one word whatever the tokenizer does,
and offsets always point into the article text. A ``Word`` holds what the text of the word
says (the same object wherever the word occurs); a ``Line`` holds its words and their offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from spbe_extract.regions import compact

_WORD = re.compile(r"\w+(?:[.'’\-]\w+)*\.?|[^\w\s]")
_INITIALS = re.compile(r"[A-Z](?:\.[A-Z])*\.?")
_LOWER_FUNCTION = {"di", "ke", "dari", "dan", "yang", "untuk", "atau", "pada", "se", "vs"}
_KNOWN_CHUNKS = 50_000  # chunks of text whose words are remembered


class Word(NamedTuple):
    """A word or punctuation mark (see ``Splitter``); its offsets are in ``Line.split``."""

    text: str
    key: str  # folded text (``regions.compact``)
    is_alpha: bool
    is_cap: bool  # starts with a capital letter
    is_initial: bool  # a name initial: ``M``, ``M.``, ``R.A.``
    is_upper: bool  # all capitals and longer than an initial (``OPU``, ``NTT``)
    opens: bool  # the splitter's ``opens`` holds for the key (a title may start here)


Split = tuple[list[Word], list[int], list[int]]  # words, article offsets of starts and ends

_new_word = tuple.__new__  # a Word from its fields without NamedTuple's Python-level __new__
_Part = tuple[Word, int, int]  # a word of a chunk and its offsets in the chunk


class Splitter:
    """Splits text into ``Word``s; a final dot is split off unless it belongs to the word
    (initials, ``Drs.``, ``Plt.``: ``abbreviations`` holds the folded forms); ``opens``
    marks the words whose folded form may start a phrase (``Word.opens``).

    The text is cut at whitespace first (no word spans it); the words of each chunk
    (``Palu,`` -> ``Palu`` ``,``) are remembered, as chunks repeat from line to line.
    """

    def __init__(self, abbreviations: frozenset[str], opens: Callable[[str], bool]) -> None:
        self.abbreviations, self.opens = abbreviations, opens
        self._chunks: dict[str, tuple[_Part, ...]] = {}
        self._words: dict[str, Word] = {}

    def split(self, text: str, offset: int, pos: int = 0, endpos: int | None = None) -> Split:
        """The words of ``text[pos:endpos]`` (``text`` starts at ``offset`` in the article);
        ``pos`` and ``endpos`` must not cut a word (a space, or the ends of ``text``)."""
        found: Split = ([], [], [])
        add_word, add_start, add_end = found[0].append, found[1].append, found[2].append
        known = self._chunks
        find = text.find
        at = pos
        for chunk in (text[pos:endpos] if pos or endpos is not None else text).split():
            start = find(chunk, at)
            at = start + len(chunk)
            parts = known.get(chunk) or self._split(chunk)
            if len(parts) == 1:
                add_word(parts[0][0])
                add_start(offset + start)
                add_end(offset + at)
                continue
            start += offset
            for word, s, e in parts:
                add_word(word)
                add_start(start + s)
                add_end(start + e)
        return found

    def _split(self, chunk: str) -> tuple[_Part, ...]:
        """The words of one chunk of text without whitespace (remembered)."""
        if chunk.isalnum():  # one word (the common case)
            parts: list[_Part] = [(self.word(chunk), 0, len(chunk))]
        else:
            parts = [part for match in _WORD.finditer(chunk) for part in self._token(match)]
        if len(self._chunks) >= _KNOWN_CHUNKS:
            self._chunks.clear()
            self._words.clear()
        found = self._chunks[chunk] = tuple(parts)
        return found

    def _token(self, match: re.Match[str]) -> list[_Part]:
        """A token of a chunk, its final dot split off when it ends a clause."""
        token, start = match.group(), match.start()
        end = start + len(token)
        if len(token) > 1 and token.endswith(".") and not self._keeps_dot(token[:-1]):
            return [(self.word(token[:-1]), start, end - 1), (self.word("."), end - 1, end)]
        return [(self.word(token), start, end)]

    def _keeps_dot(self, core: str) -> bool:
        """Whether a final dot belongs to the word or ends a clause."""
        return bool(_INITIALS.fullmatch(core)) or "." in core or compact(core) in self.abbreviations

    def word(self, text: str) -> Word:
        """The ``Word`` of ``text`` (one object per text)."""
        found = self._words.get(text)
        if found is None:
            key = compact(text)
            letters = [c for c in text if c.isalpha()]
            found = self._words[text] = _new_word(Word, (
                text, key, bool(key) and text[:1].isalpha(), text[:1].isupper(),
                bool(_INITIALS.fullmatch(text)),
                len(letters) > 1 and all(c.isupper() for c in letters), self.opens(key)))
        return found


@dataclass(slots=True)
class Line:
    """One line of the article text (a paragraph, a caption, a heading); its words are split
    when first used (most lines of an article never need them)."""

    start: int
    end: int
    raw: str = field(repr=False)
    splitter: Splitter = field(repr=False, compare=False)
    _split: Split | None = field(default=None, repr=False, compare=False)

    @property
    def words(self) -> list[Word]:
        return self.split[0]

    @property
    def split(self) -> Split:
        """The words of the line and their offsets."""
        if self._split is None:
            self._split = self.splitter.split(self.raw, self.start)
        return self._split

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Article offsets of words ``i`` to ``j`` (exclusive)."""
        return self.split[1][i], self.split[2][j - 1]

    def words_before(self, end: int, width: int) -> tuple[list[Word], bool]:
        """The words of the line ending at or before ``end`` (an article offset), from about
        ``width`` characters before it, and whether they start with the line's first word."""
        if self._split is not None:  # already split
            words, _, ends = self._split
            return words[: bisect_right(ends, end)], True
        stop = end - self.start
        cut = self.raw.rfind(" ", 0, max(stop - width, 0)) + 1  # 0: read from the line start
        right = self.raw.find(" ", stop)  # the token under ``end`` is read whole, then dropped
        words, _, ends = self.splitter.split(self.raw, self.start, cut,
                                             len(self.raw) if right < 0 else right)
        return words[: bisect_right(ends, end)], cut == 0


def lines_of(text: str, splitter: Splitter) -> list[Line]:
    """The non-empty lines of the article (words split on first use)."""
    lines: list[Line] = []
    start = 0
    for raw in text.split("\n"):
        end = start + len(raw)
        if raw and not raw.isspace():
            lines.append(Line(start, end, raw, splitter))
        start = end + 1
    return lines


def is_headline(line: Line) -> bool:
    """A line written in Title Case (a heading, a related headline or a bare caption).

    Names read from such lines are weak: every word is capitalised, so a verb after a name
    (``Gubernur Beri Apresiasi``) cannot be told from the name. A line with a full stop
    is a sentence (a photo caption such as ``Bupati X Budi Santoso.``), not a heading.
    """
    if "." in line.raw and line.splitter.word(".") in line.words:
        return False  # a sentence (or a caption sentence), not a heading
    alpha = [w for w in line.words if w.is_alpha
             and (w.key not in _LOWER_FUNCTION or w.text.lower() not in _LOWER_FUNCTION)]
    if len(alpha) < 3:
        return False
    capitalised = sum(1 for w in alpha if w.is_cap)
    return capitalised / len(alpha) >= 0.8
