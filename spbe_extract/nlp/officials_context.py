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
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from operator import itemgetter

from spacy.tokens import Doc

from spbe_extract import regions
from spbe_extract.nlp.officials_lexicon import Lexicon, lexicon
from spbe_extract.nlp.officials_text import Line, Word, lines_of
from spbe_extract.nlp.pipeline import article_text, doc_text, sentence_bounds
from spbe_extract.regions import Region, RegionMention, compact

PERSON_LABELS = {"PER", "PERSON"}
_FIRST = itemgetter(0)
_UNIT_HEADS = ("Dinas", "Badan", "Bidang", "Biro", "Bagian", "Inspektorat", "Sekretariat",
               "Kementerian")
# A head starts a word: the lookbehind comes after its first letter, so the regex engine can
# skip ahead to the capitals the heads start with.
_DEFINITION = re.compile(
    r"(?P<long>(?:" + "|".join(rf"{head[0]}(?<!\w.){head[1:]}" for head in _UNIT_HEADS) + r")"
    r"(?:,?\s+(?:dan\s+)?[A-Z][\w-]*)+)\s*\((?P<abbr>[A-Za-z][\w-]*)\)"
)


@dataclass
class DocContext:
    """Article-level facts the officials extractor consults."""

    text: str
    lines: list[Line]
    mentions: dict[int, list[RegionMention]]  # line start -> region mentions in that line
    doc: Doc | None = field(default=None, repr=False, compare=False)
    home_given: str | Region | None = None  # overrides ``doc._.home_region``
    boilerplate: list[tuple[int, int]] | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    persons: list[tuple[int, int]] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)
    lex: Lexicon = field(default_factory=lexicon, repr=False, compare=False)
    _unit_regions: dict[str, set[str]] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def home(self) -> Region | None:
        """The region a local office named without one belongs to (read on first use)."""
        value = self.home_given
        if value is None and self.doc is not None:
            value = _ext(self.doc, "home_region")
        if isinstance(value, Region):
            return value
        if isinstance(value, str) and value:
            return regions.by_name(value) or next(iter(regions.lookup(value)), None)
        return None

    def in_boilerplate(self, start: int, line: Line, lex: Lexicon) -> bool:
        """True when ``start`` lies in boilerplate (or, without the span group, a marked line)."""
        if self.boilerplate is not None:
            return any(s <= start < e for s, e in self.boilerplate)
        head = self.text[line.start : line.end].strip().lower()
        return head.startswith(lex.related_markers + lex.byline_markers)

    def sentence(self, start: int, line: Line) -> tuple[str, int, int]:
        """The sentence holding ``start`` (the line when the doc has no sentences)."""
        i = bisect.bisect_right(self.sentences, start, key=_FIRST) - 1
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
        key = compact(unit or "")
        found = self._unit_regions.get(key)
        if found is None:
            found = self._unit_regions[key] = _regions_of_unit(self, key, self.lex)
        return next(iter(found)) if len(found) == 1 else None


def _ext(doc: Doc, name: str):
    return getattr(doc._, name) if Doc.has_extension(name) else None


def build_context(doc: Doc, lex: Lexicon, home: str | Region | None = None) -> DocContext:
    """Read the article-level facts from ``doc``."""
    text = doc_text(doc)
    lines = lines_of(text, lex.splitter)
    ctx = DocContext(
        text=text,
        lines=lines,
        mentions=_mentions_by_line(doc, text, lines),
        doc=doc,
        home_given=home,
        lex=lex,
    )
    if "boilerplate" in doc.spans:
        ctx.boilerplate = [(s.start_char, s.end_char) for s in doc.spans["boilerplate"]]
    if "spbe_sentences" in doc.user_data or doc.has_annotation("SENT_START"):
        ctx.sentences = sentence_bounds(doc)  # ``spbe_sentences`` set both
    ctx.persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in PERSON_LABELS]
    ctx.definitions = definitions(article_text(doc))
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


def _regions_of_unit(ctx: DocContext, key: str, lex: Lexicon) -> set[str]:
    """The regions the article body names the unit (folded ``key``) with: those of the region
    mentions the unit is named right before (``_unit_before``).

    The unit's words, or an abbreviation of it, are in the folded text of such a line: other
    lines are passed over at once."""
    needles = (key, *_abbreviations_of(key, ctx, lex))
    found: set[str] = set()
    for line in ctx.lines:
        mentions = ctx.mentions[line.start]
        if not mentions:
            continue
        folded = _folded(line.raw)
        if not any(needle in folded for needle in needles):
            continue
        if ctx.in_boilerplate(line.start, line, lex):
            continue
        for mention in mentions:
            region = mention.resolved()
            if region is None or region.level in ("pusat", "nasional"):
                continue
            unit = _unit_before(line, mention.start, ctx, lex) if _may_follow_unit(
                ctx.text[line.start : mention.start], ctx, lex) else None
            if unit and compact(unit) == key:
                found.add(region.name)
    return found


def _abbreviations_of(key: str, ctx: DocContext, lex: Lexicon) -> list[str]:
    """The folded abbreviations ``expand_unit`` writes out as the unit folded to ``key``."""
    own = [abbr for abbr, unit in ctx.definitions.items() if compact(unit) == key]
    return own + [abbr for abbr in lex.abbreviations_of.get(key, ()) if abbr not in ctx.definitions]


_folded = getattr(compact, "__wrapped__", compact)  # without its cache: lines do not repeat


_LAST_WORD_REVERSED = re.compile(r"\W*(\w+)")  # the last word of a text read backwards
_WIDTH = 48  # characters read before a region mention at first (widened when short)


class _ShortWindow(Exception):
    """The words read before a mention do not reach far enough back: read more."""


def _short(whole: bool) -> bool:
    """False when the words read start the line (the rule sees the line's start), else widen."""
    if not whole:
        raise _ShortWindow
    return False


def _may_follow_unit(before: str, ctx: DocContext, lex: Lexicon) -> bool:
    """False when the word right before a mention (``di``, ``ke``) rules out a unit name."""
    last = _LAST_WORD_REVERSED.match(before[::-1])
    if last is None or before.rstrip()[-1:] == ")":
        return True
    word = last.group(1)[::-1]
    return (word[:1].isupper() or lex.cue("connector", word)
            or expand_unit(word, ctx, lex) is not None)


def _unit_before(line: Line, start: int, ctx: DocContext, lex: Lexicon) -> str | None:
    """The unit named right before a region mention: ``Diskominfosan`` / ``(Kominfotik)``.

    Only the words just before the mention matter: they are read from a short window, widened
    when the rule reaches its start."""
    width = _WIDTH
    while True:
        words, whole = line.words_before(start, width)
        try:
            return _unit_ending(words, whole, ctx, lex)
        except _ShortWindow:
            width *= 4


def _unit_ending(words: list[Word], whole: bool, ctx: DocContext, lex: Lexicon) -> str | None:
    """``_unit_before`` on the last ``words`` before the mention (``whole``: from the line's
    start; otherwise ``_short`` stops wherever the rule would look further back)."""
    while (words or _short(whole)) and (
            words[-1].text in (")", "(") or lex.cue_key("connector", words[-1].key)):
        if words[-1].text == ")" and (len(words) > 1 or _short(whole)):
            unit = expand_unit(words[-2].text, ctx, lex)
            if unit:
                return unit
        words.pop()
    for n in (2, 1):
        if len(words) >= n or _short(whole):
            unit = expand_unit(" ".join(w.text for w in words[-n:]), ctx, lex)
            if unit:
                return unit
    return _written_unit_before(words, whole, lex)


def _written_unit_before(words: list[Word], whole: bool, lex: Lexicon) -> str | None:
    """``Dinas Komunikasi dan Informatika`` ending right before the region."""
    i = len(words)
    while (i > 0 or _short(whole)) and (words[i - 1].is_cap or words[i - 1].text in ("dan", ",")):
        i -= 1
        if words[i].is_cap and lex.cue_key("unit_type", words[i].key):
            return " ".join(w.text for w in words[i:]).replace(" ,", ",")
    return None
