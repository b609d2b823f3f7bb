"""The spaCy ``Language`` of the NLP stage: ``id`` tokenizer plus the project's components.

Components (registered factories, in pipeline order):
``spbe_boilerplate`` -> ``doc.spans['boilerplate']``; ``spbe_sentences`` -> sentence starts;
``spbe_regions`` -> ``doc.spans['regions']`` (``span._.region``) and ``doc._.home_region``;
``spbe_dates`` -> ``doc._.published``; ``spbe_index_facts`` -> ``doc._.index_facts``;
``spbe_officials`` -> ``doc._.officials``. Inputs beside the text (``published``, ``url``,
``title``) travel in ``doc._.given`` so that ``nlp(doc)`` stays an ordinary call.
"""

from __future__ import annotations

import bisect
import re

import numpy
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from spbe_extract.nlp.boilerplate import Boilerplate, find_boilerplate
from spbe_extract.nlp.rules import cue

COMPONENTS = (
    "spbe_boilerplate",
    "spbe_sentences",
    "spbe_regions",
    "spbe_dates",
    "spbe_index_facts",
    "spbe_officials",
)


def _set_extensions() -> None:
    for name, default in (("given", None), ("home_region", None), ("published", None),
                          ("index_facts", None), ("officials", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("region"):
        Span.set_extension("region", default=None)


_set_extensions()


# ---- tokenizer -----------------------------------------------------------------


def _add_special_cases(nlp: Language) -> None:
    """Abbreviations, titles and degrees stay one token, so no sentence ends inside them."""
    for abbreviation in cue("tokenizer_abbreviations"):
        for form in {abbreviation, abbreviation.upper(), abbreviation.lower()}:
            nlp.tokenizer.add_special_case(form, [{"ORTH": form}])


def make_nlp() -> Language:
    """A fresh pipeline: ``spacy.blank('id')`` with the project's tokenizer rules and components."""
    nlp = spacy.blank("id")
    _add_special_cases(nlp)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


# ---- components ------------------------------------------------------------------


@Language.component("spbe_boilerplate")
def boilerplate_component(doc: Doc) -> Doc:
    """Mark related-article lists, bylines, navigation and repeated text (whole article)."""
    found = doc.user_data["spbe_boilerplate"] = find_boilerplate(article_text(doc))
    reading = doc.user_data.get("spbe_reading")
    spans = []
    for item in found:
        read = reading.to_reading(item.start, item.end) if reading else (item.start, item.end)
        span = doc.char_span(*read, label=item.label, alignment_mode="expand") if read else None
        if span is not None and len(span):
            spans.append(span)
    doc.spans["boilerplate"] = spans
    return doc


_FINAL = frozenset(".!?…")
_CLOSERS = frozenset("”\"’')")
_FINAL_OR_CLOSER = _FINAL | _CLOSERS
_OPENERS = "“\"'(‘"
_BREAK_CHARS = re.compile(r"[.!?…”\"’')\n]")  # a sentence starts only after one of these
_MATCH_START = re.Match.start


@Language.component("spbe_sentences")
def sentences_component(doc: Doc) -> Doc:
    """Sentence starts: after a line break, or after final punctuation before a new word.

    Abbreviations are single tokens (tokenizer special cases); an initial (``M.``) or a
    list number (``1.`` at the start of a line) never ends a sentence. Only the tokens
    after a break character are looked at (found by a regex over the text, not per token).
    """
    text = doc_text(doc)
    idx = doc.to_array(IDX).tolist()
    first = _sentence_starts(_Tokens(text, idx))
    if idx:
        flags = numpy.zeros((len(idx), 1), dtype="uint64")  # 0: not set, as for spaCy
        for i in (0, *first):
            flags[i, 0] = 1  # a few items: cheaper than indexing by a list
        doc.from_array([SENT_START], flags)  # one call; token by token costs O(n) each
    starts = [0, *(idx[i] for i in first)] if idx else []
    ends = [*starts[1:], len(text)] if starts else []
    doc.user_data["spbe_sentences"] = list(zip(starts, ends, strict=True))
    return doc


class _Tokens:
    """A ``Doc``'s tokens seen through its text and token offsets: a token is all whitespace
    or has none, and a space between two tokens is the first one's trailing space (so the
    ``LENGTH``/``SPACY`` arrays are not needed). Methods take a token that is not the last."""

    def __init__(self, text: str, idx: list[int]) -> None:
        self.text, self.idx = text, idx

    def is_mark(self, k: int, marks: frozenset[str]) -> bool:
        """Token ``k`` is one character, one of ``marks``."""
        start, after = self.idx[k], self.idx[k + 1]
        return self.text[start] in marks and (
            after == start + 1 or (after == start + 2 and self.text[start + 1] == " "))

    def spaced(self, k: int) -> bool:
        """A space follows token ``k`` (a token that is not whitespace)."""
        return self.text[self.idx[k + 1] - 1] == " "

    def word(self, k: int) -> str:
        """The text of token ``k`` with its trailing space, if any."""
        return self.text[self.idx[k] : self.idx[k + 1]]


def _sentence_starts(tokens: _Tokens) -> list[int]:
    """Indices of the tokens after token 0 that start a sentence."""
    text, idx = tokens.text, tokens.idx
    starts: list[int] = []
    last, seen = len(idx) - 1, 0  # seen: the last token looked at
    for begin in map(_MATCH_START, _BREAK_CHARS.finditer(text)):
        i = bisect.bisect_right(idx, begin)  # the token after the one holding the mark
        if i > last or i <= seen:
            continue
        before = text[begin]
        if before == "\n":
            seen = i
            if not text[idx[i]].isspace():
                starts.append(i)
        elif tokens.is_mark(i - 1, _FINAL_OR_CLOSER):  # else inside a token: "Kab.", "1.000"
            seen = i
            if _starts_sentence(tokens, i, before):
                starts.append(i)
    return starts


def _starts_sentence(tokens: _Tokens, i: int, before: str) -> bool:
    """Token ``i`` starts a sentence after the final mark or closer token ``before``."""
    first = tokens.text[tokens.idx[i]]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False  # whitespace, a lower-case word, a comma...
    j = i - 1 if before in _FINAL else _final_before_closers(tokens, i - 1)
    if j < 0 or not (tokens.spaced(j) or tokens.spaced(i - 1)):
        return False
    return j == 0 or not _is_initial_or_item(tokens, j - 1)


def _final_before_closers(tokens: _Tokens, k: int) -> int:
    """The token before the closer tokens that end at token ``k`` if it is a final mark,
    else -1."""
    while k > 0 and tokens.is_mark(k, _CLOSERS):
        k -= 1
    return k if tokens.is_mark(k, _FINAL) else -1


def _is_initial_or_item(tokens: _Tokens, k: int) -> bool:
    """``M`` of ``Rifli M. Katili``, or ``1`` of a numbered item at a line start."""
    word = tokens.word(k)  # with a trailing space, it is neither
    if len(word) == 1 and word.isupper():
        return True
    return (len(word) <= 2 and word.isdecimal()  # what r"\d{1,2}" matches
            and (k == 0 or "\n" in tokens.word(k - 1)))


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per document (spaCy joins every token on each access)."""
    text = doc.user_data.get("spbe_text")
    if text is None:
        text = doc.user_data["spbe_text"] = doc.text
    return text


def article_text(doc: Doc) -> str:
    """The whole article, for article-wide cues (boilerplate, dates); ``doc_text`` is what
    the readers read in full (``doc.user_data['spbe_reading']``, see ``nlp.focus``)."""
    return doc.user_data.get("spbe_article") or doc_text(doc)


def article_boilerplate(doc: Doc) -> list[Boilerplate]:
    """Boilerplate spans in the offsets of ``article_text`` (``spbe_boilerplate`` sets them)."""
    found = doc.user_data.get("spbe_boilerplate")
    return find_boilerplate(article_text(doc)) if found is None else found


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of every sentence, cached by ``spbe_sentences`` (cheaper than
    iterating ``doc.sents`` again)."""
    cached = doc.user_data.get("spbe_sentences")
    if cached is None:
        cached = [(s.start_char, s.end_char) for s in doc.sents]
    return cached


@Language.component("spbe_regions")
def regions_component(doc: Doc) -> Doc:
    """Region mentions resolved in context, and the article's home region."""
    from spbe_extract.nlp.places import annotate_regions

    return annotate_regions(doc)


@Language.component("spbe_dates")
def dates_component(doc: Doc) -> Doc:
    """The publication date: the one given by the caller, else from the text and URL."""
    from spbe_extract.nlp.dates import find_published

    given = doc._.given or {}
    if given.get("published") is not None:
        doc._.published = given["published"]
        return doc
    skip = [(b.start, b.end) for b in article_boilerplate(doc)
            if b.label in {"related", "repeat", "navigation"}]
    doc._.published = find_published(article_text(doc), given.get("url"), skip)
    return doc


@Language.component("spbe_index_facts")
def index_facts_component(doc: Doc) -> Doc:
    """SPBE index values (scores and targets) with region, year, kind and evidence."""
    from spbe_extract.nlp.facts import find_index_facts

    doc._.index_facts = find_index_facts(doc)
    return doc


@Language.component("spbe_officials")
def officials_component(doc: Doc) -> Doc:
    """Named government officials (see ``spbe_extract.nlp.officials``)."""
    from spbe_extract.nlp.officials import find_officials

    doc._.officials = find_officials(doc)
    return doc
