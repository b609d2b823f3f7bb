"""SPBE index facts: which number in a sentence is an index value, and of whom, when, what.

A sentence is read in full only when it holds a number. Each number must pass the value
filters (not a difference, scale bound, band, threshold, count, rank, percentage,
aspect score, provisional value or another index); the accepted numbers cut the sentence
into segments, and each value takes its region, year, kind, relation and predicate from
its own segment first (``Kabupaten X 2,95, Kabupaten Y 2,88``; ``dari 3,31 pada 2022
menjadi 4,00 pada 2023``), then from the sentence, then from the article (home region,
evaluation year in context, SPEC year inference).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property

from spacy.tokens import Doc

from spbe_extract.model import Evidence, IndexFact
from spbe_extract.nlp import evaluations
from spbe_extract.nlp.boilerplate import blocks_facts
from spbe_extract.nlp.dates import YearMention, find_years
from spbe_extract.nlp.numbers import NumberMention, find_numbers
from spbe_extract.nlp.pipeline import (
    article_boilerplate,
    article_text,
    doc_text,
    sentence_bounds,
)
from spbe_extract.nlp.rules import (
    CueRegex,
    cue,
    cue_regex,
    cue_words,
    has_cue,
    may_contain,
    predicate_bands,
    word_regex,
    words_pattern,
)
from spbe_extract.regions import LEVEL_PREFIXES, Region, by_name, compact

_YEAR_LIKE = re.compile(r"\b(?:19|20)\d\d")
_ONE_TO_FIVE_WORDS = ("satu", "dua", "tiga", "empat", "lima")
_ONE_TO_FIVE = re.compile(rf"\b(?:{'|'.join(_ONE_TO_FIVE_WORDS)})\b", re.IGNORECASE)
_AFTER_DECIMAL = re.compile(r"\d[.,]\d")
_NEXT_WORD = re.compile(r"\s*([\w%]+)")
_DIGIT = re.compile(r"\d")
_OUT_OF = re.compile(r"\s*dari\s+\d")
_WORD = re.compile(r"[\w%]+(?:[-'][\w]+)*")
_YEAR_BLOCKER = re.compile(
    r"[,;:]|\b(?:menjadi|jadi|dan|serta|sedangkan|namun|sementara|kemudian|dibanding\w*|"
    r"sedang|tetapi|tapi|lalu|yang)\b", re.IGNORECASE)
_PREDICATE_STOP = re.compile(r"[;]|\b(?:menjadi|sedangkan|sementara|namun|kemudian)\b",
                             re.IGNORECASE)
# ", masih ada daerah berpredikat Kurang": a comma opening a clause about something else
_NEW_CLAUSE = re.compile(r",\s+(?!(?:dengan|atau|yakni|yaitu|masuk|berpredikat|predikat|kategori|"
                         r"berkategori|sehingga|dan|serta|alias)\b)", re.IGNORECASE)
_ORIGIN = re.compile(r"\b(?:dari|sebelumnya|semula|sempat)\s+(?:(?:angka|nilai|poin|indeks|skor|"
                     r"hanya|yang|masih|berada|di|pada)\s+){0,3}$", re.IGNORECASE)
# between a name and its own value: "Kota X 2,95", "Kota X: 2,95", "Badan Y dengan 4,51"
_ADJACENT = re.compile(r"\s*(?:[:,(|–-]|dengan(?:\s+(?:indeks|nilai|skor))?|sebesar)?\s*",
                       re.IGNORECASE)
# "..., Y 2,88", "2019 1,52; 2021 2,04": a value coordinated with the one before it
_COORDINATED = re.compile(r"(?:[,;]|\b(?:dan|serta|lalu|kemudian|atau))\s*"
                          r"(?:(?:pada\s+|tahun\s+)?(?:19|20)\d\d\s*:?\s*)?$", re.IGNORECASE)
# "kurang 0,05 dari predikat baik": a distance to a band, not a value
_TO_BAND = re.compile(r"^\s*(?:poin\s+|point\s+)?(?:lagi\s+)?(?:dari|untuk|menuju|ke)\s+"
                      r"(?:predikat|kategori|ambang|batas)\b", re.IGNORECASE)
# "Kenaikan paling besar terjadi tahun lalu, yakni 0,46 poin": a difference in points
_POINTS_AFTER = re.compile(r"^\s*(?:poin|point)\b", re.IGNORECASE)
_LEVEL_WORD = re.compile(r"\b(provinsi|kabupaten|kota|pemprov|pemkab|pemkot)\b", re.IGNORECASE)
_Mention = tuple[int, int, Region, str]  # start, end, region, role (see places.py)


# ---- compiled cue patterns ---------------------------------------------------------


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def _cue_alt(name: str) -> str:
    return words_pattern(cue_words(name))


INDEX_NAME_CUES = ("spbe_names", "other_indices", "other_index_leads")


@cache
def index_name_regex() -> CueRegex:
    """SPBE names (group ``spbe``) and other indices' names (``other``, ``weak``)."""
    leads = _cue_alt("other_index_leads")
    return cue_regex(
        rf"(?<![\w-])(?:(?P<spbe>{_cue_alt('spbe_names')})|(?P<other>{_cue_alt('other_indices')})"
        rf"|(?:{leads})\s+(?:\w+\s+)?(?P<weak>{_cue_alt('other_indices_weak')}))(?![\w])",
        *INDEX_NAME_CUES,
    )


@cache
def _comparator_before() -> re.Pattern[str]:
    return _regex(rf"(?<![\w-])(?P<cmp>{_cue_alt('threshold_comparators')})\s+"
                  rf"(?:(?:{_cue_alt('comparator_fillers')})['’]?\s+){{0,3}}$")


@cache
def _comparator_opening() -> re.Pattern[str]:
    """``Paling tidak indeks ... harus menyentuh angka tiga``: a clause-initial bound."""
    comparators = _cue_alt("threshold_comparators")
    return _regex(rf"^\W*(?P<cmp>{comparators})\b(?=(?:[^\d,;]|(?:19|20)\d\d)*$)")


@cache
def _relation_after() -> re.Pattern[str]:
    return _regex(rf"^\s*(?:poin\s+|point\s+)?(?P<rel>{_cue_alt('relation_after')})\b")


@cache
def _predicate_regex() -> re.Pattern[str]:
    leads = _cue_alt("predicate_leads")
    preds = _cue_alt("predicates")
    return _regex(rf"(?:\b(?:{leads})\s+(?:(?:dalam|pada|ke|sebagai|spbe|yang|masuk)\s+)*"
                  rf"(?:kategori\s+|predikat\s+)?[\"“'‘]?|^\s*[(|]?\s*)(?P<pred>{preds})\b")


@cache
def _predicate_pair_regex() -> re.Pattern[str]:
    preds = _cue_alt("predicates")
    return _regex(rf"\bdari\s+(?:kategori\s+|predikat\s+)?(?P<a>{preds})\s+menjadi\s+"
                  rf"(?:kategori\s+|predikat\s+)?(?P<b>{preds})\b")


@cache
def _difference_regex() -> re.Pattern[str]:
    fillers = _cue_alt("difference_fillers")
    return _regex(rf"\b(?:{_cue_alt('difference_cues')})\s+"
                  rf"(?:(?:{fillers}|skor|poin|point|angka)\s+){{0,3}}$")


@cache
def _range_before() -> re.Pattern[str]:
    return _regex(r"(?:\d|\b(?:nol|satu|dua|tiga|empat|lima))\s*"
                  r"(?:-|–|—|s\.?d\.?|s/d|sampai(?:\s+dengan)?|hingga)\s*"
                  rf"{_RANGE_BOUND}(?:(?:level|angka|nilai|poin)\s+)?$")


# "2,6 sampai kurang dari 3,5": a band's upper bound may be open
_RANGE_BOUND = r"(?:(?:kurang|lebih)\s+dari\s+|di\s+bawah\s+)?"
_RANGE_AFTER = re.compile(r"^\s*(?:-|–|—|s\.?d\.?|s/d|sampai(?:\s+dengan)?|hingga)\s*"
                          rf"{_RANGE_BOUND}(?:(?:level|angka|nilai|poin)\s+)?"
                          r"(?:\d|nol|satu|dua|tiga|empat|lima)", re.IGNORECASE)


@cache
def _relative_year_regex() -> re.Pattern[str]:
    return _regex(rf"\b(?:{_cue_alt('relative_years')})\b")


# ---- article context ---------------------------------------------------------------


@dataclass
class _Topics:
    """Which index a value of the sentence being read is about: the nearest index name
    before it in the sentence, else the first after it, else the last one named in an
    earlier sentence. Sentences are searched for names only when a value asks."""

    texts: list[str] = field(default_factory=list)  # the sentences gone through so far
    names: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # by sentence
    known: int = 0  # the topic after texts[:known] is ``topic``
    topic: str | None = None

    def add(self, s_text: str) -> None:
        self.texts.append(s_text)

    def at(self, pos: int) -> str | None:
        """'spbe', 'other' or None for a value at ``pos`` of the last sentence added."""
        names = self._names(len(self.texts) - 1)
        before = [kind for start, kind in names if start < pos]
        if before:
            return before[-1]
        after = [kind for start, kind in names if start > pos]
        return after[0] if after else self._earlier()

    def _earlier(self) -> str | None:
        current = len(self.texts) - 1
        for i in range(current - 1, self.known - 1, -1):
            names = self._names(i)
            if names:
                self.topic = names[-1][1]
                break
        self.known = current
        return self.topic

    def _names(self, i: int) -> list[tuple[int, str]]:
        if i not in self.names:
            self.names[i] = _index_names(self.texts[i])
        return self.names[i]


@dataclass
class _Context:
    """What the whole article tells about every value: dates, regions, years in context.

    The article-wide years are worked out on first use: most articles never need them.
    """

    doc: Doc
    text: str
    blocked: list[tuple[int, int]]
    last_score_year: int | None = None
    last_stated_year: int | None = None
    topics: _Topics = field(default_factory=_Topics)
    previous: str = ""
    offset: int = 0  # of the sentence being read
    facts: list[IndexFact] = field(default_factory=list)
    last_facts: list[IndexFact] = field(default_factory=list)  # of the last sentence with any

    def is_blocked(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.blocked)

    @cached_property
    def home(self) -> Region | None:
        return self.doc._.home_region

    @cached_property
    def published(self) -> date | None:
        return self.doc._.published

    @cached_property
    def regions(self) -> list[_Mention]:
        placed = self.doc.user_data.get("spbe_regions")  # (start, end, role, region): places
        if placed is not None:
            return [(a, b, region, role) for a, b, role, region in placed]
        return [(s.start_char, s.end_char, s._.region, s.label_)
                for s in self.doc.spans.get("regions", []) if s._.region is not None]

    @cached_property
    def by_sentence(self) -> dict[int, list[_Mention]]:
        """The region mentions of each sentence, by the sentence's start."""
        return _group_by_sentence(self.regions, sentence_bounds(self.doc))

    def sentence_regions(self, offset: int) -> list[_Mention]:
        return self.by_sentence.get(offset, [])

    @cached_property
    def _dated(self) -> list[tuple[str, list[int]]]:
        return _dated_sentences(self.doc, self.blocked)

    @cached_property
    def _years(self) -> tuple[int | None, int | None]:
        return _context_years(self._dated, self.published)

    @property
    def score_year(self) -> int | None:
        return self._years[0]

    @property
    def target_year(self) -> int | None:
        return self._years[1]

    @cached_property
    def _latest(self) -> int | None:
        return None if self.published else _latest_year(self.doc)

    @cached_property
    def estimated(self) -> date | None:
        return self.published or (date(self._latest, 7, 1) if self._latest else None)

    @cached_property
    def anchor_year(self) -> int | None:
        return self.published.year if self.published else (_spbe_year(self._dated)
                                                            or self._latest)


def _build_context(doc: Doc) -> _Context:
    blocked = [(s.start_char, s.end_char) for s in doc.spans.get("boilerplate", [])
               if blocks_facts(s.label_)]
    return _Context(doc, doc_text(doc), blocked)


def _group_by_sentence(regions: list[_Mention],
                       bounds: list[tuple[int, int]]) -> dict[int, list[_Mention]]:
    starts = [start for start, _ in bounds]
    grouped: dict[int, list[_Mention]] = {}
    for mention in regions:
        i = bisect_right(starts, mention[0]) - 1
        if i >= 0 and mention[0] < bounds[i][1]:
            grouped.setdefault(starts[i], []).append(mention)
    return grouped


def _latest_year(doc: Doc) -> int | None:
    """The latest plain year of the whole article (when no publication date is known)."""
    blocked = [(b.start, b.end) for b in article_boilerplate(doc) if blocks_facts(b.label)]
    years = [y.year for y in find_years(article_text(doc)) if y.kind == "plain"
             and not any(a <= y.start < b for a, b in blocked)]
    return max(years, default=None)


def _dated_sentences(doc: Doc, blocked: list[tuple[int, int]]) -> list[tuple[str, list[int]]]:
    """The sentences about evaluations that state years, with their plain years."""
    dated = []
    text = doc_text(doc)
    for start, end in sentence_bounds(doc):
        s_text = text[start:end]
        if not _has_year(s_text) or not word_regex("evaluation_words").search(s_text):
            continue
        years = [y.year for y in find_years(s_text) if y.kind == "plain"
                 and not any(a <= start + y.start < b for a, b in blocked)]
        if years:
            dated.append((s_text, years))
    return dated


def _has_year(s_text: str) -> bool:
    """``2023`` as a word start; searched from the first digit (a scan for digits is cheap)."""
    digit = _DIGIT.search(s_text)
    return digit is not None and _YEAR_LIKE.search(s_text, digit.start()) is not None


def _context_years(dated: list[tuple[str, list[int]]],
                   published: date | None) -> tuple[int | None, int | None]:
    """Evaluation years the article states for results and for targets."""
    results: Counter[int] = Counter()
    targets: Counter[int] = Counter()
    for s_text, years in dated:
        if has_cue(s_text, "target_cues") or has_cue(s_text, "future_markers"):
            targets.update(years)
        elif not any(n.kind == "decimal" and n.value <= 5 for n in find_numbers(s_text)):
            # a year bound to values of its own sentence frames nothing else
            results.update(y for y in years
                           if published is None or evaluations.results_published(y) <= published)
    return _most_stated(results), _most_stated(targets)


def _spbe_year(dated: list[tuple[str, list[int]]]) -> int | None:
    """The evaluation year the article states most often with an index name."""
    return _most_stated(Counter(y for s_text, years in dated
                                if index_name_regex().search(s_text) for y in years))


def _most_stated(counts: Counter[int]) -> int | None:
    return max(counts, key=lambda y: (counts[y], y)) if counts else None


# ---- the component's entry point -------------------------------------------------


def find_index_facts(doc: Doc) -> list[IndexFact]:
    """Every SPBE index fact of the article, one per (region, year, kind, value)."""
    ctx = _build_context(doc)
    if not _is_spbe_article(ctx):
        return []
    for start, end in sentence_bounds(doc):
        s_text = ctx.text[start:end]
        if ctx.is_blocked(start) and ctx.is_blocked(max(end - 1, 0)):
            continue
        ctx.topics.add(s_text)
        read = _may_state_value(s_text) and _read_sentence(ctx, start, s_text)
        if not read and ctx.last_facts:
            _later_predicates(ctx, start, s_text)
        ctx.previous = s_text
    return _deduplicate(ctx.facts)


def _may_state_value(s_text: str) -> bool:
    """A digit, or a number word from one to five (``angka tiga``)."""
    if _DIGIT.search(s_text):
        return True
    lowered = s_text.lower()  # substring test first, as in ``rules.may_contain``
    return any(w in lowered for w in _ONE_TO_FIVE_WORDS) and bool(_ONE_TO_FIVE.search(s_text))


def _index_names(s_text: str) -> list[tuple[int, str]]:
    """Index names of the sentence (start, 'spbe'|'other'), leaving out those inside an
    institution's name (``Kementerian ... dan Reformasi Birokrasi``)."""
    found = [(m.start(), "spbe" if m.group("spbe") else "other")
             for m in index_name_regex().finditer(s_text)]
    if not any(kind == "other" for _, kind in found):
        return found
    bodies = [(m.start(), m.end()) for m in _institution_regex().finditer(s_text)]
    return [(at, kind) for at, kind in found
            if kind == "spbe" or not any(a < at < b for a, b in bodies)]


def _is_spbe_article(ctx: _Context) -> bool:
    if not may_contain(ctx.text, "doc_spbe_gate"):
        return False
    gate = word_regex("doc_spbe_gate")
    return any(not ctx.is_blocked(m.start()) for m in gate.finditer(ctx.text))


# ---- one sentence --------------------------------------------------------------------


@dataclass
class _Value:
    number: NumberMention
    relation: str = "="
    region: Region | None = None
    year: int | None = None
    year_inferred: bool = False
    year_at: int | None = None
    relative: int | None = None
    narrative: bool = False  # "tahun sebelumnya": before the story's year, not the date's
    stated: bool = False
    origin: bool = False  # the "dari A" of "naik dari A menjadi B": an older value
    year_side: str = ""
    kind: str = "score"
    predicate: str | None = None


def _read_sentence(ctx: _Context, offset: int, s_text: str) -> bool:
    """Read the sentence's values into ``ctx.facts``; True when it held any."""
    ctx.offset = offset
    candidates = [n for n in find_numbers(s_text)
                  if _in_scale(n) and not ctx.is_blocked(offset + n.start)]
    if not candidates or _provisional(s_text):
        return False
    regions = [(a - offset, b - offset, r, role) for a, b, r, role in ctx.sentence_regions(offset)]
    region_ends = [b for _, b, _, role in regions if role != "evaluator"]
    values = []
    for number in candidates:
        relation = _accept(s_text, number, ctx.topics, region_ends, bool(values))
        if relation is not None:
            values.append(_Value(number, relation))
    if not values:
        return False
    years = [y for y in find_years(s_text) if not ctx.is_blocked(offset + y.start)]
    consumed: set[int] = set()
    for i, value in enumerate(values):
        lo = values[i - 1].number.end if i else 0
        hi = values[i + 1].number.start if i + 1 < len(values) else len(s_text)
        value.kind = _kind(s_text[lo : value.number.start])
        value.origin = bool(_ORIGIN.search(s_text[lo : value.number.start]))
        if value.kind == "score" and value.relation != "=":
            value.relation = "="
        value.region = _region(ctx, s_text, value, lo, hi, regions, values[:i])
        _explicit_year(s_text, value, lo, hi, years, consumed)
    _respectively(s_text, values, regions, years, consumed)
    for i, value in enumerate(values):
        if value.year is None and value.relative is None:
            _sentence_year(value, values)
        _finish_year(ctx, s_text, value, years, consumed, values[:i])
    _comparison_years(s_text, values)
    _predicates(s_text, values, ctx.previous, regions)
    start, end = _trimmed(s_text)
    evidence = Evidence(s_text[start:end], offset + start, offset + end)
    ctx.last_facts = []
    for value in values:
        if value.region is None or value.year is None:
            continue
        fact = _make_fact(value, evidence)
        ctx.facts.append(fact)
        ctx.last_facts.append(fact)
        if fact.kind == "score":
            ctx.last_score_year = fact.year
            if value.stated and not value.origin and not (value.relative or 0) < 0:
                ctx.last_stated_year = fact.year
    return True


def _trimmed(s_text: str) -> tuple[int, int]:
    start = len(s_text) - len(s_text.lstrip())
    return start, len(s_text.rstrip())


# ---- is this number an index value? -------------------------------------------------


def _accept(s_text: str, number: NumberMention, topics: _Topics, region_ends: list[int],
            follows_value: bool) -> str | None:
    """The relation stated for an accepted value ('=', '>', '>=', '<'), or None if rejected.

    The caller has already left out numbers off the scale (``_in_scale``) and sentences
    about provisional values (``_provisional``)."""
    before = s_text[max(0, number.start - 80) : number.start]
    after = s_text[number.end : number.end + 40]
    words_before = [w.lower() for w in _WORD.findall(before)[-6:]]  # no more are read
    relation = _relation(s_text[: number.start], after)
    # a bound is a value only in a target's own clause (since the previous value)
    own = _AFTER_DECIMAL.split(s_text[: number.start])[-1] if relation != "=" else ""
    target_bound = relation != "=" and _target_clause(own)
    bounded = relation in {">", ">="} and target_bound
    if not _plausible_number(number, words_before, after, bounded):
        return None
    if words_before and words_before[-1] in cue("not_value_before"):
        return None
    next_word = _NEXT_WORD.match(after)
    if next_word and next_word.group(1).lower() in cue("not_value_after"):
        return None  # "24 kabupaten", "3,5 persen" (but "2,95, Kabupaten Y" is a list)
    if _range_before().search(before) or _RANGE_AFTER.match(after):
        return None
    if _near(words_before, "scale_cues", 6) or _aspect_score(before) or _TO_BAND.match(after):
        return None
    if _difference(before):
        return None
    clause = _DIGIT.split(before)[-1]
    if has_cue(clause, "difference_nouns"):
        return None
    if _POINTS_AFTER.match(after) and word_regex("difference_cues").search(clause):
        return None  # "Selisih indeks provinsi dengan Kota X sebesar 0,26"
    if relation == "<":
        return None
    if relation != "=" and not target_bound:
        return None  # "41% ... di atas 2.6": a threshold, not a value
    if not (bounded or _listed(s_text, number, region_ends) or _value_after(after)
            or follows_value and _COORDINATED.search(before)
            or _has_value_cue(words_before)):
        return None
    if topics.at(number.start) == "other":  # last: the index names are searched on demand
        return None
    return relation


def _in_scale(number: NumberMention) -> bool:
    """A cheap first test of ``_plausible_number``: an integer from 1 to 5, or a value up to
    10 with at most two decimals."""
    if number.kind == "integer":
        return 0 < number.value <= 5
    return 0 <= number.value <= 10 and not (number.kind == "decimal" and number.decimals > 2)


def _provisional(s_text: str) -> bool:
    """``penilaian mandiri``, ``nilai sementara``: the sentence states no final value."""
    return has_cue(s_text, "provisional_cues")


def _difference(before: str) -> bool:
    """``naik 0,35 poin``: the number is a change, not a value."""
    return may_contain(before, "difference_cues") and bool(_difference_regex().search(before))


def _listed(s_text: str, number: NumberMention, region_ends: list[int]) -> bool:
    """Right after a government's name: ``Kota X 2,95``, ``Kota X: 2,95``."""
    return any(_ADJACENT.fullmatch(s_text[end : number.start]) for end in region_ends
               if end <= number.start)


def _aspect_score(before: str) -> bool:
    """``domain Kebijakan Internal meraih nilai 3,5``: an aspect named after the last SPBE name."""
    if not may_contain(before, "aspect_cues"):
        return False
    before = _regex(r",\s*yang\b[^,]*,").sub(",", before)  # ", yang ... aspek keamanan,"
    aspect = _last(word_regex("aspect_cues").finditer(before))
    if aspect is None:
        return False
    spbe = _last(m for m in index_name_regex().finditer(before) if m.group("spbe"))
    if spbe is None or spbe.start() < aspect.start():
        return True
    named = before[aspect.end() : spbe.start()]  # "domain manajemen SPBE": part of its name
    return bool(re.fullmatch(r"(?:\s+[A-Za-z][\w-]*){0,5}\s+", named))


def _plausible_number(number: NumberMention, words_before: list[str], after: str,
                      bounded: bool) -> bool:
    if number.kind == "integer" and bounded:  # "harus lebih dari 3 agar ..."
        return 0 < number.value <= 5 and not _OUT_OF.match(after)
    if number.kind == "integer":
        leads = {"angka", "indeks", "nilai", "skor", "poin", "point", "target", "atas", "diatas",
                 "minimal"}
        out_of = _OUT_OF.match(after)  # "skor 3 dari 5 kriteria"
        return (0 < number.value <= 5 and bool(words_before) and words_before[-1] in leads
                and not out_of)
    if number.kind == "decimal" and number.decimals > 2:
        return False  # "3,5061": SPBE values carry at most two decimals
    return 0 <= number.value <= 5 or _spbe_right_before(words_before) and number.value <= 10


def _spbe_right_before(words_before: list[str]) -> bool:
    return "spbe" in words_before[-4:]


def _near(words_before: list[str], table: str, width: int) -> bool:
    window = " ".join(words_before[-width:])
    return has_cue(window, table)


def _relation(before: str, after: str) -> str:
    window = before[-80:]
    match = (may_contain(window, "threshold_comparators") and _comparator_before().search(window)
             or _comparator_opening().search(before))
    if match:
        return cue("threshold_comparators")[" ".join(match.group("cmp").lower().split())]
    match = _relation_after().search(after)
    if match:
        return cue("relation_after")[" ".join(match.group("rel").lower().split())]
    return "="


def _target_clause(before: str) -> bool:
    return _kind(before) == "target"


def _has_value_cue(words_before: list[str]) -> bool:
    window = " ".join(words_before[-6:])
    return bool(window) and bool(word_regex("value_nouns").search(window))


def _value_after(after: str) -> bool:
    first = _WORD.search(after)
    return first is not None and first.group().lower() in {"poin", "point", "predikat", "dengan"}


# ---- kind, region, year, predicate --------------------------------------------------


def _kind(segment: str) -> str:
    """``target`` when the nearest cue before the value states a goal, else ``score``."""
    if not may_contain(segment, "target_cues"):
        return "score"
    last_target = max((m.end() for m in word_regex("target_cues").finditer(segment)), default=-1)
    last_score = max((m.end() for m in word_regex("score_cues").finditer(segment)), default=-1)
    if last_target > -1 and _comparator_before().search(segment):
        return "target"  # "menargetkan ... setidaknya memperoleh 2,5": a bound of the target
    return "target" if last_target > last_score else "score"


def _region(ctx: _Context, s_text: str, value: _Value, lo: int, hi: int,
            regions: list[_Mention], earlier: list[_Value]) -> Region | None:
    start = value.number.start
    if _national(s_text[lo:start]):
        return by_name("Nasional")
    if has_cue(s_text[:start], "national_average_words"):
        return None  # "rata-rata ... se-Sumbar 2,83": an average of governments, no holder
    in_segment = [(a, r, role) for a, b, r, role in regions if lo <= a and b <= start]
    adjacent = [(r, role) for a, b, r, role in regions if lo <= a and b <= start
                and role != "evaluator" and _ADJACENT.fullmatch(s_text[b:start])]
    if adjacent:  # "Kota Denpasar (3,98)", "Kabupaten Y 2,88"
        return None if adjacent[-1][1] == "ambiguous" else adjacent[-1][0]
    holder = _relative_clause_holder(s_text, regions, lo, start)
    if holder is not None:
        return holder
    institution = _last(_institution_regex().finditer(s_text, lo, start))
    evaluator = [a for a, _, role in in_segment if role == "evaluator"]
    if institution is not None and (institution.start() in evaluator
                                    or word_regex("evaluator_words").search(institution.group(0))):
        institution = None  # KemenPAN-RB announces the values, it is not their holder
    if institution is not None and not any(
        institution.start() <= a < institution.end() and role != "national"
        or a >= institution.end() for a, _, role in in_segment
    ):
        found = _institution(institution.group(0))
        if found is not None:
            return found
    for wanted in ("subject", "national", "locative"):
        found = [(a, r) for a, r, role in in_segment
                 if role == wanted and (wanted != "national" or _national_ok(s_text, a))]
        if found:
            if any(role == "ambiguous" and a > found[-1][0] for a, _, role in in_segment):
                return None  # the nearest name could be either government: say nothing
            return found[-1][1]
    if any(role == "ambiguous" for _, _, role in in_segment):
        return None
    if earlier:
        return earlier[-1].region  # None when the earlier value's holder was a toss-up
    following = [r for a, b, r, role in regions if value.number.end <= a < hi and role == "subject"]
    if following:
        return following[0]
    return _discourse_region(ctx, s_text)


def _discourse_region(ctx: _Context, s_text: str) -> Region | None:
    """No holder in the sentence: the previous sentence's for ``Angka tersebut ...``, the
    latest levelled mention of the home region's name (``Wali Kota Madiun`` in a story about
    both Madiuns), the home region, ``Nasional``."""
    regions = {f.region for f in ctx.last_facts}
    if len(regions) == 1 and _regex(rf"^\W*(?:{_cue_alt('value_anaphora')})\b").search(s_text):
        return by_name(ctx.last_facts[0].region)
    if ctx.home is not None:
        return _salient_namesake(ctx, ctx.home, s_text)
    if word_regex("national_cues").search(s_text):
        return by_name("Nasional")
    return None


def _salient_namesake(ctx: _Context, home: Region, s_text: str) -> Region:
    """The latest government before the sentence sharing the home region's name, unless
    the sentence names its level (``indeks SPBE provinsi``)."""
    key = compact(home.bare)
    namesakes = [r for a, _, r, role in ctx.regions
                 if a < ctx.offset and role != "ambiguous" and compact(r.bare) == key]
    levels = {LEVEL_PREFIXES[w.lower()] for w in _LEVEL_WORD.findall(s_text)}
    named = [r for r in [home, *namesakes] if r.level in levels]
    if named:
        return named[-1]
    return namesakes[-1] if namesakes else home


def _relative_clause_holder(s_text: str, regions: list[_Mention],
                            lo: int, start: int) -> Region | None:
    """``di bawah Kabupaten Tabalong yang meraih 3,15``: the compared name holds the value."""
    inside = [(b, r, role) for a, b, r, role in regions if lo <= a and b <= start]
    if not inside or inside[-1][2] != "compared":
        return None
    end, region, _ = inside[-1]
    between = s_text[end:start]
    return region if re.match(r"\s*(?:\([^)]*\)\s*)?,?\s*yang\b", between) else None


def _national(segment: str) -> bool:
    """``indeks SPBE nasional``, ``rata-rata ... nasional``: the value is the country's."""
    return (may_contain(segment, "national_phrases", "national_average_words")
            and bool(_national_phrase().search(segment)))


@cache
def _national_phrase() -> re.Pattern[str]:
    average = _cue_alt("national_average_words")
    return _regex(rf"\b(?:{_cue_alt('national_phrases')})\b"
                  rf"|\b(?:{average})\s[^.,;:]{{0,80}}?\bnasional\b")


@cache
def _institution_regex() -> re.Pattern[str]:
    heads = "|".join(cue("central_institution_pattern")["heads"])
    return re.compile(rf"\b(?:{heads})(?:\s+(?:dan\s+)?[A-Z][\w-]*)+")


def _institution(name: str) -> Region | None:
    """A central institution named in full but missing from the gazetteer (code null)."""
    name = re.sub(r"\s+dan$", "", name.strip())
    words = set(name.split())
    if words & set(cue("central_institution_pattern")["regional_words"]) or len(words) < 2:
        return None
    return Region(None, name, "pusat", name, None)


def _respectively(s_text: str, values: list[_Value], regions: list[_Mention],
                  years: list[YearMention], consumed: set[int]) -> None:
    """``A dan B masing-masing 3,10 dan 2,85``: regions (or years) before, values after."""
    marker = may_contain(s_text, "respectively") and word_regex("respectively").search(s_text)
    if not marker:
        return
    after = [v for v in values if v.number.start > marker.end()]
    if len(after) < 2:
        return
    names: list[Region] = []
    for a, _, region, role in regions:
        if a < marker.start() and role == "subject" and region not in names:
            names.append(region)
    if len(names) == len(after):
        for value, region in zip(after, names, strict=True):
            value.region = region
    stated = [y for y in years if y.kind == "plain" and y.start < marker.start()]
    if len(stated) == len(after):
        for value, year in zip(after, stated, strict=True):
            value.year, value.relative = year.year, None
            consumed.add(year.start)


def _national_ok(s_text: str, at: int) -> bool:
    """``Nasional`` holds a value only as ``indeks SPBE nasional`` or ``rata-rata nasional``."""
    window = s_text[max(0, at - 20) : at]
    return bool(_regex(r"(?:spbe|indeks|rata-rata|rerata)\)?\s*$").search(window))


def _explicit_year(s_text: str, value: _Value, lo: int, hi: int, years: list[YearMention],
                   consumed: set[int]) -> None:
    """A year stated right after the value (before a clause break), else the nearest before."""
    end = value.number.end
    for year in years:
        if year.kind == "plain" and end <= year.start < hi and year.start not in consumed:
            if not _YEAR_BLOCKER.search(s_text[end : year.start]):
                _set_year(value, year.year, year.start, consumed, "after")
                return
            break
    relative = _relative_year(s_text[end:hi], blocker=True)
    if relative is not None:
        _set_relative(value, relative)  # resolved against the anchor in _finish_year
        return
    segment_years = [y for y in years if y.kind == "plain" and lo <= y.start < value.number.start
                     and y.start not in consumed]
    rel_match = list(_relative_year_regex().finditer(s_text, lo, value.number.start))
    last_year = segment_years[-1] if segment_years else None
    if rel_match and (last_year is None or rel_match[-1].start() > last_year.start):
        _set_relative(value, rel_match[-1].group(0))
    elif last_year is not None:
        _set_year(value, last_year.year, last_year.start, consumed, "before")


def _relative_year(window: str, blocker: bool) -> str | None:
    match = _relative_year_regex().search(window)
    if not match or (blocker and _YEAR_BLOCKER.search(window[: match.start()])):
        return None
    return match.group(0)


def _set_relative(value: _Value, phrase: str) -> None:
    value.relative = cue("relative_years")[_fold(phrase)]
    value.narrative = _fold(phrase) in cue("narrative_relative_years")


def _relative_anchor(ctx: _Context, value: _Value, years: list[YearMention],
                     earlier: list[_Value]) -> int | None:
    """The year a relative year counts from: for ``tahun sebelumnya`` the year of the value
    it compares with (this sentence's or the story's last stated one), else the sentence's
    first year, else the article's."""
    if value.narrative:
        compared = [v.year for v in earlier if v.year is not None and v.relative is None
                    and v.kind == "score"]
        if compared:
            return compared[-1]
        plain = [y.year for y in years if y.kind == "plain" and y.start < value.number.start]
        if plain:
            return plain[-1]
        if ctx.last_stated_year is not None:
            return ctx.last_stated_year
    plain = [y.year for y in years if y.kind == "plain"]
    return plain[0] if plain else ctx.anchor_year


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _set_year(value: _Value, year: int, at: int, consumed: set[int], side: str) -> None:
    value.year, value.year_at, value.stated, value.year_side = year, at, True, side
    consumed.add(at)


def _finish_year(ctx: _Context, s_text: str, value: _Value, years: list[YearMention],
                 consumed: set[int], earlier: list[_Value]) -> None:
    """Relative years, other years of the sentence, the article's context, SPEC inference."""
    if value.year is not None:
        return
    if value.relative is not None:
        anchor = _relative_anchor(ctx, value, years, earlier)
        if anchor is not None:
            value.year, value.stated = anchor + value.relative, True
            return
    free = [y for y in years if y.kind == "plain" and y.start not in consumed]
    if free:
        nearest = min(free, key=lambda y: abs(y.start - value.number.start))
        value.year, value.stated = nearest.year, True
        return
    if value.kind == "target":
        _target_year(ctx, s_text, value)
    else:
        _score_year(ctx, s_text, value, years)


def _target_year(ctx: _Context, s_text: str, value: _Value) -> None:
    exceeded = word_regex("exceeded_target_cues")
    if ctx.last_score_year and (exceeded.search(s_text) or exceeded.search(ctx.previous)):
        value.year, value.year_inferred = ctx.last_score_year, True
    elif ctx.target_year is not None:
        value.year = ctx.target_year
    elif ctx.estimated is not None:
        value.year, value.year_inferred = evaluations.next_after(ctx.estimated), True


def _score_year(ctx: _Context, s_text: str, value: _Value, years: list[YearMention]) -> None:
    decree = _regex(r"\b(?:nomor|no\.?)\s*(\d+)\s*(?:tahun|/)\s*((?:19|20)\d\d)"
                    r"|\b(\d+)/((?:19|20)\d\d)")
    now = _regex(r"\b(?:saat\s+ini|sekarang|kini|terkini|terakhir)\b")
    before = s_text[: value.number.start]
    if not now.search(before):
        year = ctx.last_stated_year if ctx.last_stated_year is not None else ctx.score_year
        if year is not None:
            value.year = year
            return
    match = decree.search(s_text)
    if match:
        number = int(match.group(1) or match.group(3))
        year = int(match.group(2) or match.group(4))
        value.year, _ = evaluations.decree_year(number, year)
        value.year_inferred = True
        return
    if ctx.estimated is not None:
        found = evaluations.latest_before(ctx.estimated)
        if found is not None:
            value.year, value.year_inferred = found, True


def _sentence_year(value: _Value, values: list[_Value]) -> None:
    """A list sharing one stated year: the nearest other value of the same kind that has one."""
    dated = [v for v in values if v.stated and v.kind == value.kind and v.year is not None
             and not v.origin and not (v.relative or 0) < 0]
    if dated:
        nearest = min(dated, key=lambda v: (v.number.start > value.number.start,
                                            abs(v.number.start - value.number.start)))
        value.year = nearest.year


def _comparison_years(s_text: str, values: list[_Value]) -> None:
    """``naik dari 1,95 menjadi 2,91`` with only the new value dated: the old one is the
    evaluation before it (inferred)."""
    for old, new in zip(values, values[1:], strict=False):
        opens = _regex(r"\bdari\s+(?:(?:angka|nilai|poin|indeks|skor)\s+)?$")
        between = s_text[old.number.end : new.number.start]
        if not opens.search(s_text[: old.number.start]) or not _regex(r"\b(?:menjadi|ke)\b"
                                                                         ).search(between):
            continue
        if old.region != new.region:
            continue
        if old.year_side == "before" and new.year_side != "after":
            # "Pada 2023 indeks naik dari A menjadi B": the stated year is B's
            new.year, new.year_inferred, new.stated = old.year, False, True
        elif old.stated or new.year is None:
            continue
        old.year, old.year_inferred, old.stated = _evaluation_before(new.year), True, False


def _evaluation_before(year: int) -> int:
    previous = year - 1
    while not evaluations.is_evaluation_year(previous) and previous > 2017:
        previous -= 1
    return previous


def _predicates(s_text: str, values: list[_Value], previous: str,
                regions: list[_Mention]) -> None:
    """The predikat of each value: ``dari A menjadi B`` pairs, after it (not past another
    government's name), before it, ``keduanya berpredikat X``, or the previous sentence's
    for ``Kementerian itu adalah X dengan indeks ...``."""
    pair = may_contain(s_text, "predicates") and _predicate_pair_regex().search(s_text)
    if pair and len(values) == 2:
        values[0].predicate = cue("predicates")[_fold(pair.group("a"))]
        values[1].predicate = cue("predicates")[_fold(pair.group("b"))]
        return
    inherited = None
    if has_cue(s_text, "anaphora_cues"):
        inherited = _last(_plain_predicates(previous))
    for i, value in enumerate(values):
        lo = values[i - 1].number.end if i else 0
        hi = values[i + 1].number.start if i + 1 < len(values) else len(s_text)
        hi = min([a for a, _, r, _ in regions if value.number.end <= a < hi
                  and r != value.region], default=hi)
        found = _predicate_after(s_text[value.number.end : hi])
        if found is None:
            before = s_text[lo : value.number.start]
            if i:  # after another value: only this value's own clause
                cut = _last(_regex(r"[,;]|\b(?:sedangkan|sementara|namun)\b").finditer(before))
                before = before[cut.end() :] if cut else before
            found = _last(_plain_predicates(before))
        found = found or inherited
        if found is not None:
            value.predicate = cue("predicates")[_fold(found.group("pred"))]
    _collective_predicate(s_text, values)


def _predicate_after(after: str) -> re.Match[str] | None:
    """The first predikat after a value, in its own clause."""
    if not may_contain(after, "predicates"):
        return None
    stop = _PREDICATE_STOP.search(after) or _NEW_CLAUSE.search(after)
    return next(_plain_predicates(after[: stop.start()] if stop else after), None)


def _collective_predicate(s_text: str, values: list[_Value]) -> None:
    """``..., keduanya masih berpredikat Cukup``: one predikat for every value before it."""
    if not may_contain(s_text, "collective_subjects"):
        return
    collective = _regex(rf"\b(?:{_cue_alt('collective_subjects')})\b")
    for match in collective.finditer(s_text):
        found = next(_plain_predicates(s_text[match.end() : match.end() + 60]), None)
        if found is None:
            continue
        for value in values:
            if value.number.start < match.start() and value.predicate is None:
                value.predicate = cue("predicates")[_fold(found.group("pred"))]


def _later_predicates(ctx: _Context, offset: int, s_text: str) -> None:
    """``Kota X meraih predikat Baik, sedangkan Y dan Z masih Cukup`` after the values: each
    named government's value of the previous sentence takes its predikat when the band
    agrees."""
    regions = [(a - offset, r) for a, _, r, role in ctx.sentence_regions(offset)
               if role in {"subject", "ambiguous"}]
    if not regions:
        return
    lo = 0
    for match in _plain_predicates(s_text):
        named = {r.name for a, r in regions if lo <= a < match.start()}
        lo = match.end()
        predicate = cue("predicates")[_fold(match.group("pred"))]
        for fact in ctx.last_facts:
            fits = fact.kind == "score" and band_of(fact.value) == predicate
            if fact.region in named and fact.predicate is None and fits:
                fact.predicate = predicate


def _plain_predicates(text: str) -> Iterator[re.Match[str]]:
    """Predicate phrases, leaving out adverbial ``cukup memuaskan``/``cukup baik``."""
    if not may_contain(text, "predicates"):
        return
    follow = _regex(rf"^\s+(?:{_cue_alt('predicates')})\b")
    negated = _regex(r"\b(?:belum|tidak|bukan)\s+(?:\w+\s+){0,2}$")
    for match in _predicate_regex().finditer(text):
        if not follow.match(text[match.end() :]) and not negated.search(text[: match.start()]):
            yield match


def _last(matches: Iterable[re.Match[str]]) -> re.Match[str] | None:
    """The last of some regex matches, or None."""
    found = None
    for match in matches:
        found = match
    return found


# ---- the fact -------------------------------------------------------------------------


def _make_fact(value: _Value, evidence: Evidence) -> IndexFact:
    assert value.region is not None and value.year is not None
    kind = value.kind
    flags: list[str] = []
    confidence = 0.75 if value.year_inferred else 0.9
    number = round(value.number.value, 4)
    if not 0 <= number <= 5:
        flags.append("value_out_of_range")
        confidence = min(confidence, 0.3)
    if not evaluations.is_evaluation_year(value.year):
        flags.append("no_evaluation_in_year")
        confidence -= 0.4
    band = band_of(number)
    if value.predicate and band and kind == "score" and value.relation == "=" and not (
        _same_band(value.predicate, band)
    ):
        flags.append("predicate_contradicts_band")
        confidence -= 0.3
    return IndexFact(
        region=value.region.name, region_code=value.region.code, year=value.year,
        kind=kind,  # type: ignore[arg-type]
        value=number, evidence=evidence,
        relation=value.relation if kind == "target" else "=",  # type: ignore[arg-type]
        predicate=value.predicate, year_inferred=value.year_inferred,
        confidence=round(max(confidence, 0.05), 2), flags=flags,
    )


def band_of(value: float) -> str | None:
    """The official predikat of an index value (SPEC bands), None outside 0-5."""
    if not 0 <= value <= 5:
        return None
    return [name for name, low in predicate_bands() if value >= low][-1]


def _same_band(predicate: str, band: str) -> bool:
    return predicate == band or (predicate == "Sangat Memuaskan" and band == "Memuaskan")


def _deduplicate(facts: list[IndexFact]) -> list[IndexFact]:
    """One fact per key; later mentions only fill a missing predicate."""
    kept: dict[tuple, IndexFact] = {}
    for fact in facts:
        key = fact.key()
        if key in kept and kept[key].relation == "=" and fact.relation != "=":
            kept[key].relation = fact.relation  # "paling tidak angka tiga" after "angka tiga"
        if key not in kept or kept[key].year_inferred and not fact.year_inferred:
            if key in kept and fact.predicate is None:
                fact.predicate = kept[key].predicate
            kept[key] = fact
        elif kept[key].predicate is None and fact.predicate is not None:
            kept[key].predicate = fact.predicate
    return list(kept.values())
