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

_BULLET = re.compile(r"^[\s•·\-–*>|]+")
_LIST_LINE_MAX = 160


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
def _inline_regex() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{words_pattern(cue('boilerplate')['inline'])})", re.IGNORECASE)


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        spans.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return spans


def find_boilerplate(text: str) -> list[Boilerplate]:
    """Boilerplate spans of ``text``, in text order (may touch but do not overlap)."""
    found: list[Boilerplate] = []
    starts = cue("boilerplate")["line_starts"]
    heads = tuple(cue("boilerplate")["list_heads"])
    seen: set[str] = set()
    in_list = False
    in_short_list = False  # after a bare "Baca juga:" line: headlines up to a blank line
    for start, end in _lines(text):
        raw = text[start:end]
        body = _BULLET.sub("", raw)
        offset = start + len(raw) - len(body)
        lowered = body.lower().strip()
        if not lowered:
            in_short_list = False
            continue
        if in_short_list and len(body) <= _LIST_LINE_MAX:
            found.append(Boilerplate(offset, end, "related"))
            continue
        if in_list and (len(body) > _LIST_LINE_MAX and re.search(r"[.!?]\s*$", body)):
            in_list = False
        if lowered.startswith(heads):
            in_list = True
        match = _line_start_regex().match(lowered)
        key = " ".join(lowered.split())
        if in_list:
            found.append(Boilerplate(offset, end, "related"))
        elif match and _is_marker(lowered, match.group(0)):
            label = starts[_key_of(match.group(0), starts)]
            found.append(Boilerplate(offset, end, label))
            in_short_list = label == "related" and not lowered[len(match.group(0)) :].strip(" :")
        elif len(key) >= 40 and key in seen:
            found.append(Boilerplate(offset, end, "repeat"))
        elif _may_hold_inline(lowered):
            found.extend(_inline(text, offset, end))
        seen.add(key)
    return found


def _key_of(matched: str, table: dict[str, str]) -> str:
    folded = " ".join(matched.lower().split())
    return folded if folded in table else next(k for k in table if folded.startswith(k.strip()))


def _is_marker(line: str, matched: str) -> bool:
    """A line-start marker counts when it is the whole line or introduces a short item."""
    rest = line[len(matched) :]
    if re.match(r"oleh\s+(?:karena|sebab|itu|sebab\w*)\b", line):
        return False  # "Oleh karena itu, ..." is prose
    if matched.rstrip().endswith((":", "(")) or not rest.strip():
        return True
    return bool(re.match(r"\s*[:\-–|]", rest)) or len(line) <= _LIST_LINE_MAX


def _may_hold_inline(lowered: str) -> bool:
    """A substring test before ``_inline``'s regex (most lines hold no marker)."""
    return any(n in lowered for n in phrase_needles(tuple(cue("boilerplate")["inline"])))


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
