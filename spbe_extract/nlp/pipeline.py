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
from spacy.attrs import IDX, LENGTH, SENT_START, SPACY
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


_FINAL = {".", "!", "?", "…"}
_CLOSERS = {"”", '"', "’", "'", ")"}
_BREAK_CHARS = re.compile(r"[.!?…”\"’')\n]")  # a sentence starts only after one of these


class _Words:
    """The token texts of a ``Doc``, sliced from its text only when asked for."""

    def __init__(self, text: str, idx: list[int], length: list[int]) -> None:
        self.text, self.idx, self.length = text, idx, length

    def __getitem__(self, i: int) -> str:
        return self.text[self.idx[i] : self.idx[i] + self.length[i]]

    def __len__(self) -> int:
        return len(self.idx)


@Language.component("spbe_sentences")
def sentences_component(doc: Doc) -> Doc:
    """Sentence starts: after a line break, or after final punctuation before a new word.

    Abbreviations are single tokens (tokenizer special cases); an initial (``M.``) or a
    list number (``1.`` at the start of a line) never ends a sentence. Only the tokens
    after a break character are looked at (found by a regex over the text, not per token).
    """
    text = doc_text(doc)
    idx, length, space = (column.tolist() for column in doc.to_array([IDX, LENGTH, SPACY]).T)
    words = _Words(text, idx, length)
    first = [i for i in _after_breaks(text, words) if _starts_sentence(words, space, i)]
    if idx:
        flags = numpy.zeros((len(idx), 1), dtype="uint64")  # 0: not set, as for spaCy
        flags[[0, *first], 0] = 1
        doc.from_array([SENT_START], flags)  # one call; token by token costs O(n) each
    starts = [0, *(idx[i] for i in first)] if idx else []
    ends = [*starts[1:], len(text)] if starts else []
    doc.user_data["spbe_sentences"] = list(zip(starts, ends, strict=True))
    return doc


def _after_breaks(text: str, words: _Words) -> list[int]:
    """Indices of the tokens that follow a final mark, a closer or a token with a line break."""
    found: list[int] = []
    for mark in _BREAK_CHARS.finditer(text):
        token = bisect.bisect_right(words.idx, mark.start()) - 1
        if token + 1 >= len(words) or (found and found[-1] == token + 1):
            continue
        before = words[token]
        if before in _FINAL or before in _CLOSERS or "\n" in before:
            found.append(token + 1)
    return found


def _starts_sentence(words: _Words, spaces: list[bool], i: int) -> bool:
    word = words[i]
    if word.isspace():
        return False
    if "\n" in words[i - 1]:
        return True
    j = i - 1
    while j > 0 and words[j] in _CLOSERS and words[j - 1] in _FINAL | _CLOSERS:
        j -= 1
    if words[j] not in _FINAL or not (spaces[j] or spaces[i - 1]):
        return False
    if j > 0 and _is_initial_or_item(words, spaces, j - 1):
        return False
    first = word[:1]
    return first.isupper() or first.isdigit() or first in "“\"'(‘"


def _is_initial_or_item(words: _Words, spaces: list[bool], k: int) -> bool:
    """``M`` of ``Rifli M. Katili``, or ``1`` of a numbered item at a line start."""
    if spaces[k]:
        return False
    if len(words[k]) == 1 and words[k].isupper():
        return True
    line_start = k == 0 or "\n" in words[k - 1]
    return bool(re.fullmatch(r"\d{1,2}", words[k])) and line_start


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
