"""Text around the story that is not the story: related-article lists, bylines, navigation.

Markers are in ``data/nlp_cues.json`` (``boilerplate``). A span is labelled ``related``
(related-article lists, ``Baca juga``), ``byline`` (``Pewarta:``, ``Redaktur``, ``Oleh``,
photo credits), ``copyright``, ``navigation`` or ``repeat`` (a paragraph seen before: an
article text saved twice). Nothing in a ``related``/``navigation``/``repeat`` span yields
facts; bylines stay readable for the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from spbe_extract.nlp.rules import cue, phrase_needles, words_pattern

_BULLET_CHARS = "•·-–*>|"  # _BULLET's characters but whitespace: a line starting so is cut
_BULLET = re.compile(r"^[\s•·\-–*>|]+")
_LIST_LINE_MAX = 160
_REPEAT_MIN = 40  # a repeated line this long (spaces folded) is a repeated paragraph


@dataclass(frozen=True)
class Boilerplate:
    """A character span of boilerplate and its kind."""

    start: int
    end: int
    label: str


@cache
def _line_start_regex() -> re.Pattern[str]:
    starts = cue("boilerplate")["line_starts"]
    return re.compile(rf"(?:{words_pattern(starts)})", re.IGNORECASE)


@cache
def _may_start_marker(first: str) -> bool:
    """A line starting with ``first`` may match ``_line_start_regex``: each of its words
    starts with a character matched there as here (cached per character)."""
    firsts = {re.escape(word[0]) for word in cue("boilerplate")["line_starts"]}
    return re.match(f"(?:{'|'.join(sorted(firsts))})", first, re.IGNORECASE) is not None


@cache
def _inline_regex() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{words_pattern(cue('boilerplate')['inline'])})", re.IGNORECASE)


def find_boilerplate(text: str) -> list[Boilerplate]:
    """Boilerplate spans of ``text``, in text order (may touch but do not overlap)."""
    found: list[Boilerplate] = []
    starts = cue("boilerplate")["line_starts"]
    heads = _list_heads()
    inline = _inline_needles(text)
    starts_at = _line_start_regex().match
    seen: set[str] = set()
    in_list = False
    in_short_list = False  # after a bare "Baca juga:" line: headlines up to a blank line
    next_start = 0
    for line in text.splitlines(keepends=True):
        start, next_start = next_start, next_start + len(line)
        raw = line.rstrip("\r\n")
        if not raw:
            in_short_list = False
            continue
        body = _BULLET.sub("", raw) if raw[0] in _BULLET_CHARS or raw[0].isspace() else raw
        lowered = body.lower().strip()
        if not lowered:
            in_short_list = False
            continue
        end = start + len(raw)
        offset = end - len(body)
        if in_short_list and len(body) <= _LIST_LINE_MAX:
            found.append(Boilerplate(offset, end, "related"))
            continue
        if in_list and (len(body) > _LIST_LINE_MAX and re.search(r"[.!?]\s*$", body)):
            in_list = False
        if lowered.startswith(heads):
            in_list = True
        key = _repeat_key(lowered)
        match = None if in_list or not _may_start_marker(lowered[0]) else starts_at(lowered)
        if in_list:
            found.append(Boilerplate(offset, end, "related"))
        elif match and _is_marker(lowered, match.group(0)):
            label = starts[_key_of(match.group(0), starts)]
            found.append(Boilerplate(offset, end, label))
            in_short_list = label == "related" and not lowered[len(match.group(0)) :].strip(" :")
        elif len(key) >= _REPEAT_MIN and key in seen:
            found.append(Boilerplate(offset, end, "repeat"))
        elif inline and any(n in lowered for n in inline):
            found.extend(_inline(text, offset, end))
        seen.add(key)
    return found


def _repeat_key(lowered: str) -> str:
    """A stripped line with its whitespace runs folded to one space (what repeats compare).

    Most lines are folded already, which two cheap tests tell: inside a line, ASCII
    whitespace but a space is a tab or ``\\x1f`` (the others end lines), and a printable
    string has no whitespace but spaces."""
    if "  " not in lowered:
        if lowered.isascii():
            if "\t" not in lowered and "\x1f" not in lowered:
                return lowered
        elif lowered.isprintable():
            return lowered
    return " ".join(lowered.split())


def _inline_needles(text: str) -> tuple[str, ...]:
    """The needles of the inline markers that occur in ``text`` (lower-cased once): a line
    can hold only these."""
    lowered = text.lower()
    return tuple(n for n in _all_inline_needles() if n in lowered)


@cache
def _all_inline_needles() -> tuple[str, ...]:
    return phrase_needles(tuple(cue("boilerplate")["inline"]))


@cache
def _list_heads() -> tuple[str, ...]:
    return tuple(cue("boilerplate")["list_heads"])


def _key_of(matched: str, table: dict[str, str]) -> str:
    folded = " ".join(matched.lower().split())
    if folded in table:
        return folded
    found = next((k for k in table if folded.startswith(k.strip())), None)
    if found is None:  # matched only case-insensitively ("ſumber:"): ask each word's pattern
        found = next(k for k in table if re.fullmatch(words_pattern([k]), matched, re.I))
    return found


def _is_marker(line: str, matched: str) -> bool:
    """A line-start marker counts when it is the whole line or introduces a short item."""
    rest = line[len(matched) :]
    if re.match(r"oleh\s+(?:karena|sebab|itu|sebab\w*)\b", line):
        return False  # "Oleh karena itu, ..." is prose
    if matched.rstrip().endswith((":", "(")) or not rest.strip():
        return True
    return bool(re.match(r"\s*[:\-–|]", rest)) or len(line) <= _LIST_LINE_MAX


def _inline(text: str, start: int, end: int) -> list[Boilerplate]:
    """``Baca juga: ...`` inside a paragraph: from the marker to the end of its sentence."""
    found = []
    for match in _inline_regex().finditer(text, start, end):
        stop = re.compile(r"[.!?](?=\s|$)").search(text, match.end(), end)
        found.append(Boilerplate(match.start(), stop.end() if stop else end, "related"))
    return found


def blocks_facts(label: str) -> bool:
    """True when nothing in a span with this label may yield a fact or an official."""
    return label in {"related", "navigation", "repeat", "copyright", "byline"}
