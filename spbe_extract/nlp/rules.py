"""The NLP stage's rule tables, read once from ``spbe_extract/data``.

Cue words live in ``data/nlp_cues.json`` and the SPBE evaluation calendar in
``data/evaluations.tsv``; this module only loads them and compiles word-list regexes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
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


def words_pattern(words: Iterable[str]) -> str:
    """A regex alternation of cue words/phrases, longest first, spaces matching any whitespace."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        wild = word.endswith("*")
        body = re.escape(word.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(body + (r"\w*" if wild else ""))
    return "|".join(parts)


@cache
def word_regex(name: str) -> re.Pattern[str]:
    """Case-insensitive whole-word regex for the cue list ``name``."""
    table = cue(name)
    words = table.keys() if isinstance(table, dict) else table
    return re.compile(rf"(?<![\w-])(?:{words_pattern(words)})(?![\w])", re.IGNORECASE)
