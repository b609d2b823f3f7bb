"""What the NLP stage reads in full: the lines of an article that can hold a fact.

An index fact needs a value (``3,22``, ``nilai 3``, ``angka tiga``); its reading also uses
the sentences around it (a holder named in the line before, a predikat in the line after),
index names (the topic of later values) and evaluation years. An official needs an office
title (``Bupati``, ``Kadiskominfo``). A line (a paragraph, in news text) that is none of
these cannot change what the readers find, so ``focus`` leaves it out: spaCy and every
component read a ``Reading``, the kept lines joined by their own line breaks (a break
stands where lines were left out), and offsets found in it map back to the article.
The title and the first body line (the dateline) are always read; article-wide cues
(boilerplate, dates) are read from the whole text. The cues are those the readers use
(``numbers``, ``facts``, ``titles.tsv``, ``organizations.tsv``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spbe_extract.nlp.numbers import may_hold_value
from spbe_extract.nlp.rules import lower_words, may_match, word_regex

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
ALWAYS_READ = 2  # the title and the dateline paragraph


@dataclass(frozen=True)
class Reading:
    """The text read in full, made of pieces of the article.

    ``starts[i]`` is where piece ``i`` begins in ``text`` and ``origins[i]`` where it begins
    in the article; a piece is a kept line with the line breaks that follow it.
    """

    text: str
    starts: tuple[int, ...]
    origins: tuple[int, ...]

    def to_article(self, start: int, end: int) -> tuple[int, int]:
        """An article span for a span of ``text`` that lies within one piece."""
        if not self.starts:
            return start, end
        i = max(0, bisect.bisect_right(self.starts, start) - 1)
        shift = self.origins[i] - self.starts[i]
        return start + shift, end + shift

    def to_reading(self, start: int, end: int) -> tuple[int, int] | None:
        """The part of an article span that was read, as a span of ``text`` (None: not read)."""
        inside = []
        for i, origin in enumerate(self.origins):
            size = (self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text))
            size -= self.starts[i]
            lo, hi = max(start, origin), min(end, origin + size)
            if lo < hi:
                inside.append((lo - origin + self.starts[i], hi - origin + self.starts[i]))
        return (inside[0][0], inside[-1][1]) if inside else None


def focus(text: str) -> Reading:
    """The lines of ``text`` that can hold or frame a fact or an official, as a ``Reading``."""
    lines = list(_lines(text))
    kept = _kept(text, lines)
    parts: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    size = 0
    for i, (start, end) in enumerate(lines):
        if i not in kept:
            continue
        if starts and origins[-1] + len(parts[-1]) != start:  # lines were left out
            parts[-1] = parts[-1].rstrip("\n") + "\n\n"
            size = starts[-1] + len(parts[-1])
        piece = text[start:end]
        starts.append(size)
        origins.append(start)
        parts.append(piece)
        size += len(piece)
    return Reading("".join(parts), tuple(starts), tuple(origins))


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line with the line breaks and blank lines after it."""
    spans = [[m.start(), m.end()] for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    for k, span in enumerate(spans):
        span[1] = spans[k + 1][0] if k + 1 < len(spans) else len(text)
    if spans:
        spans[0][0] = 0
    return [(a, b) for a, b in spans]


def _kept(text: str, lines: list[tuple[int, int]]) -> set[int]:
    from spbe_extract.nlp.officials_context import definitions

    defined = definitions(text)
    keep = set(range(min(ALWAYS_READ, len(lines))))
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        words = lower_words(line)
        if may_hold_value(line, words):
            keep.update(range(max(0, i - 1), min(len(lines), i + 2)))  # and its neighbours
        elif i not in keep and frames_facts(line, words, defined):
            keep.add(i)
    return keep


def frames_facts(line: str, words: set[str], defined: dict[str, str]) -> bool:
    """An evaluation year, an office title or an index name (``words``: the line's words;
    ``defined``: the unit abbreviations the article defines); cheapest test first."""
    from spbe_extract.nlp.facts import INDEX_NAME_CUES, index_name_regex
    from spbe_extract.nlp.officials_lexicon import lexicon
    from spbe_extract.nlp.officials_phrase import may_name_title

    if (_YEAR.search(line) and may_match(words, "evaluation_words")
            and word_regex("evaluation_words").search(line)):
        return True
    if may_name_title(line, lexicon(), defined):
        return True
    return may_match(words, *INDEX_NAME_CUES) and bool(index_name_regex().search(line, words))
