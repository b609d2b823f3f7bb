"""What the officials extractor knows about the whole article before reading a title.

- the article's home region (``doc._.home_region``, set by the pipeline) for local offices
  named without a region;
- boilerplate spans (``doc.spans['boilerplate']``): nothing there is an official;
- sentence spans for evidence;
- person spans from a NER model (``doc.ents`` labelled PER/PERSON), when one ran;
- unit abbreviations the article defines itself (``Dinas Komunikasi dan Informasi
  (Diskominfo)``) and the region each unit is named with (``Diskominfosan Maluku Utara``), so
  a later ``Kadis Kominfosan`` gets the right region.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc

from spbe_extract import regions
from spbe_extract.nlp.officials_lexicon import Lexicon, lexicon
from spbe_extract.nlp.officials_text import Line, lines_of
from spbe_extract.nlp.pipeline import article_text, doc_text, sentence_bounds
from spbe_extract.regions import Region, RegionMention, compact

PERSON_LABELS = {"PER", "PERSON"}
_DEFINITION = re.compile(
    r"\b(?P<long>(?:Dinas|Badan|Bidang|Biro|Bagian|Inspektorat|Sekretariat|Kementerian)"
    r"(?:,?\s+(?:dan\s+)?[A-Z][\w-]*)+)\s*\((?P<abbr>[A-Za-z][\w-]*)\)"
)


@dataclass
class DocContext:
    """Article-level facts the officials extractor consults."""

    text: str
    lines: list[Line]
    mentions: dict[int, list[RegionMention]]  # line start -> region mentions in that line
    home: Region | None = None
    boilerplate: list[tuple[int, int]] | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    persons: list[tuple[int, int]] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)
    unit_regions: dict[str, set[str]] = field(default_factory=dict)

    def in_boilerplate(self, start: int, line: Line, lex: Lexicon) -> bool:
        """True when ``start`` lies in boilerplate (or, without the span group, a marked line)."""
        if self.boilerplate is not None:
            return any(s <= start < e for s, e in self.boilerplate)
        head = self.text[line.start : line.end].strip().lower()
        return head.startswith(lex.related_markers + lex.byline_markers)

    def sentence(self, start: int, line: Line) -> tuple[str, int, int]:
        """The sentence holding ``start`` (the line when the doc has no sentences)."""
        i = bisect.bisect_right([s for s, _ in self.sentences], start) - 1
        if i >= 0 and self.sentences[i][0] <= start < self.sentences[i][1]:
            s, e = self.sentences[i]
        else:
            s, e = line.start, line.end
        raw = self.text[s:e]
        s += len(raw) - len(raw.lstrip())
        e -= len(raw) - len(raw.rstrip())
        return self.text[s:e], s, e

    def unit_region(self, unit: str | None) -> str | None:
        """The one region the article names this unit with, if it names exactly one."""
        found = self.unit_regions.get(compact(unit or ""), set())
        return next(iter(found)) if len(found) == 1 else None


def _ext(doc: Doc, name: str):
    return getattr(doc._, name) if Doc.has_extension(name) else None


def _home(doc: Doc, override: str | Region | None) -> Region | None:
    value = override if override is not None else _ext(doc, "home_region")
    if isinstance(value, Region):
        return value
    if isinstance(value, str) and value:
        return regions.by_name(value) or next(iter(regions.lookup(value)), None)
    return None


def build_context(doc: Doc, lex: Lexicon, home: str | Region | None = None) -> DocContext:
    """Read the article-level facts from ``doc``."""
    text = doc_text(doc)
    abbreviations = frozenset(lex.honorifics | set(lex.acting) | lex.cues.get("name_abbrev", set())
                              | {"no", "kab", "prov", "kec", "jl"})
    lines = list(lines_of(text, abbreviations))
    ctx = DocContext(
        text=text,
        lines=lines,
        mentions=_mentions_by_line(doc, text, lines),
        home=_home(doc, home),
    )
    if "boilerplate" in doc.spans:
        ctx.boilerplate = [(s.start_char, s.end_char) for s in doc.spans["boilerplate"]]
    if doc.has_annotation("SENT_START"):
        ctx.sentences = sentence_bounds(doc)
    ctx.persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in PERSON_LABELS]
    ctx.definitions = definitions(article_text(doc))
    ctx.unit_regions = _unit_regions(ctx, lex)
    return ctx


def _mentions_by_line(doc: Doc, text: str, lines: list[Line]) -> dict[int, list[RegionMention]]:
    """Region mentions per line start: those the regions component found, else per line."""
    found = doc.user_data.get("spbe_mentions")
    if found is None:
        return {ln.start: _line_mentions(text, ln) for ln in lines}
    starts = [ln.start for ln in lines]
    by_line: dict[int, list[RegionMention]] = {s: [] for s in starts}
    for mention in found:
        i = bisect.bisect_right(starts, mention.start) - 1
        if i >= 0 and mention.end <= lines[i].end:
            by_line[starts[i]].append(mention)
    return by_line


def _line_mentions(text: str, line: Line) -> list[RegionMention]:
    found = regions.find_mentions(text[line.start : line.end])
    return [
        RegionMention(m.start + line.start, m.end + line.start, m.text, m.level_hint,
                      m.candidates, m.prefix)
        for m in found
    ]


def expand_unit(abbr: str, ctx: DocContext | None, lex: Lexicon) -> str | None:
    """A unit abbreviation written out: the article's own definition, else the table."""
    return written_out(abbr, ctx.definitions if ctx is not None else {}, lex)


def written_out(abbr: str, definitions: dict[str, str], lex: Lexicon) -> str | None:
    """``expand_unit`` with the article's definitions given as a dict."""
    key = compact(abbr)
    return definitions[key] if key in definitions else lex.orgs.get(key)


@lru_cache(maxsize=4)  # the focus and the officials reader ask for the same article
def definitions(text: str) -> dict[str, str]:
    """``Dinas Komunikasi dan Informasi (Diskominfo)`` -> {diskominfo: the long form}."""
    if "(" not in text:
        return {}
    lex = lexicon()
    found: dict[str, str] = {}
    for match in _DEFINITION.finditer(text):
        long = _inline_expanded(match.group("long"), lex)
        if long is not None:
            found.setdefault(compact(match.group("abbr")), long)
    return found


def _inline_expanded(long: str, lex: Lexicon) -> str | None:
    """``Dinas Kominfo dan Statistik`` -> ``Dinas Komunikasi, Informatika dan Statistik``.

    An abbreviation inside a long form is written out without its unit word, its own ``dan``
    becoming a list comma when the long form goes on; None when a word stays unexplained.
    """
    words = long.split()
    out = [words[0]]
    for k, word in enumerate(words[1:], start=1):
        expansion = lex.orgs.get(compact(word))
        if expansion is not None:
            inner = expansion.split(" ", 1)[1] if " " in expansion else expansion
            if k + 1 < len(words) and words[k + 1] == "dan":
                inner = inner.replace(" dan ", ", ")
            out.append(inner)
        elif word.isupper() and len(word) > 1:
            return None
        else:
            out.append(word)
    return " ".join(out)


def _unit_regions(ctx: DocContext, lex: Lexicon) -> dict[str, set[str]]:
    """Written-out unit name (folded) -> regions it is named with in the article body."""
    found: dict[str, set[str]] = defaultdict(set)
    for line in ctx.lines:
        if ctx.in_boilerplate(line.start, line, lex):
            continue
        for mention in ctx.mentions[line.start]:
            region = mention.resolved()
            if region is None or region.level in ("pusat", "nasional"):
                continue
            unit = _unit_before(line, mention.start, ctx, lex) if _may_follow_unit(
                ctx.text[line.start : mention.start], ctx, lex) else None
            if unit:
                found[compact(unit)].add(region.name)
    return found


_LAST_WORD = re.compile(r"(\w+)\W*$")


def _may_follow_unit(before: str, ctx: DocContext, lex: Lexicon) -> bool:
    """False when the word right before a mention (``di``, ``ke``) rules out a unit name."""
    last = _LAST_WORD.search(before)
    if last is None or before.rstrip()[-1:] == ")":
        return True
    word = last.group(1)
    return (word[:1].isupper() or lex.cue("connector", word)
            or expand_unit(word, ctx, lex) is not None)


def _unit_before(line: Line, start: int, ctx: DocContext, lex: Lexicon) -> str | None:
    """The unit named right before a region mention: ``Diskominfosan`` / ``(Kominfotik)``."""
    words = [w for w in line.words if w.end <= start]
    while words and (words[-1].text in (")", "(") or lex.cue("connector", words[-1].text)):
        if words[-1].text == ")" and len(words) > 1:
            unit = expand_unit(words[-2].text, ctx, lex)
            if unit:
                return unit
        words.pop()
    for n in (2, 1):
        if len(words) >= n:
            unit = expand_unit(" ".join(w.text for w in words[-n:]), ctx, lex)
            if unit:
                return unit
    return _written_unit_before(words, lex)


def _written_unit_before(words: list, lex: Lexicon) -> str | None:
    """``Dinas Komunikasi dan Informatika`` ending right before the region."""
    i = len(words)
    while i > 0 and (words[i - 1].is_cap or words[i - 1].text in ("dan", ",")):
        i -= 1
        if lex.cue("unit_type", words[i].text) and words[i].is_cap:
            return " ".join(w.text for w in words[i:]).replace(" ,", ",")
    return None
