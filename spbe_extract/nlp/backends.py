"""Choices for how the NLP stage reads text: the tokenizer backend and the project's NER.

* ``nlp="spacy"`` (default): spaCy's Indonesian tokenizer and the project's sentence rules.
* ``nlp="stanza"``: tokens and sentences from stanza (``models.stanza_doc``): the project's
  CSUI-trained tokenizer in ``models/stanza``, or stanza's official Indonesian models in
  ``stanza_dir``. A line break still ends a sentence, as with spaCy (stanza was trained on
  running text and would glue a headline to the first paragraph).
* ``ner=True``: the ``spbe_ner`` component runs the project's NER (``models/id_spbe_ner``)
  on the sentences that hold an office title and sets ``doc.ents``; the officials extractor
  uses the PER spans for name boundaries and to confirm names in headlines.

``pipeline(nlp, ner, stanza_dir)`` builds (once per setting) the ``Language``;
``version_suffix`` names the setting for ``extractor_version``. Nothing downloads: a missing
model raises ``models.ModelError`` naming its path and the command that builds it.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from spbe_extract.nlp import DEFAULT_NER, models
from spbe_extract.nlp.pipeline import doc_text, make_nlp, sentence_bounds

BACKENDS = ("spacy", "stanza")

PathLike = str | os.PathLike[str]


# ---- building the pipeline ---------------------------------------------------------------


def pipeline(nlp: str = "spacy", ner: bool | None = None,
             stanza_dir: PathLike | None = None) -> Language:
    """The NLP stage's ``Language`` for one setting, built once per process and setting."""
    backend, use_ner, directory = resolve(nlp, ner, stanza_dir)
    return _pipeline(backend, models.ner_path() if use_ner else None, directory)


def resolve(nlp: str = "spacy", ner: bool | None = None,
            stanza_dir: PathLike | None = None) -> tuple[str, bool, Path | None]:
    """Check and normalise a setting: (backend, NER on, stanza folder or None)."""
    if nlp not in BACKENDS:
        raise ValueError(f"unknown NLP backend {nlp!r}: choose one of {', '.join(BACKENDS)}")
    use_ner = DEFAULT_NER if ner is None else bool(ner)
    directory = models.stanza_dir_path(stanza_dir) if nlp == "stanza" else None
    return nlp, use_ner, directory


@functools.lru_cache(maxsize=8)
def _pipeline(backend: str, ner_model: Path | None, stanza_dir: Path | None) -> Language:
    """Models are loaded here, so a missing one fails now (naming its path), not per article."""
    nlp = make_nlp()
    if backend == "stanza":
        models.load_stanza(stanza_dir)
        nlp.tokenizer = StanzaTokenizer(nlp.vocab, stanza_dir)
        nlp.replace_pipe("spbe_sentences", "spbe_stanza_sentences")
    if ner_model is not None:
        models.load_ner(ner_model)
        nlp.add_pipe("spbe_ner", before="spbe_officials", config={"model": str(ner_model)})
    return nlp


def version_suffix(nlp: str = "spacy", ner: bool | None = None,
                   stanza_dir: PathLike | None = None) -> str:
    """``""`` for the spaCy tokenizer without NER, else ``.stanza-<model hash>`` and/or
    ``.ner-<model hash>``, so stored facts say what produced them."""
    backend, use_ner, directory = resolve(nlp, ner, stanza_dir)
    return _suffix(backend, models.ner_path() if use_ner else None, directory)


@functools.lru_cache(maxsize=8)
def _suffix(backend: str, ner_model: Path | None, directory: Path | None) -> str:
    suffix = ""
    if backend == "stanza" and directory is not None:
        suffix += f".stanza-{_file_hash(models._tokenizer_file(directory))}"
    if ner_model is not None:
        suffix += f".ner-{_file_hash(ner_model / 'meta.json', ner_model / 'ner' / 'model')}"
    return suffix


@functools.lru_cache(maxsize=8)
def _file_hash(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:6]


# ---- stanza tokenizer -------------------------------------------------------------------


class StanzaTokenizer:
    """A spaCy tokenizer that asks stanza for tokens and sentence starts."""

    def __init__(self, vocab: Vocab, stanza_dir: PathLike | None = None) -> None:
        self.vocab = vocab
        self.stanza_dir = stanza_dir

    def __call__(self, text: str) -> Doc:
        return models.stanza_doc(self.vocab, text, self.stanza_dir)


@Language.component("spbe_stanza_sentences")
def stanza_sentences_component(doc: Doc) -> Doc:
    """Keep stanza's sentence starts, add one after every line break, and cache the bounds
    the way ``spbe_sentences`` does."""
    starts: list[int] = []
    after_break = True
    for token in doc:
        if token.is_space:
            after_break = after_break or "\n" in token.text
            continue
        if after_break or token.is_sent_start:
            starts.append(token.idx)
        after_break = "\n" in token.whitespace_
    start_set = set(starts)
    for token in doc:
        if token.i:
            token.is_sent_start = token.idx in start_set
    if len(doc):
        doc[0].is_sent_start = True
    text = doc_text(doc)
    if starts and starts[0] != 0:
        starts[0] = 0  # leading whitespace belongs to the first sentence
    doc.user_data["spbe_sentences"] = list(zip(starts, [*starts[1:], len(text)], strict=True))
    return doc


# ---- NER -----------------------------------------------------------------------------------


@Language.factory("spbe_ner", default_config={"model": None, "every_sentence": False})
def make_ner(nlp: Language, name: str, model: str | None, every_sentence: bool) -> NerComponent:
    """The project's NER as a component (``model``: another model folder)."""
    return NerComponent(model, every_sentence)


class NerComponent:
    """Sets ``doc.ents`` (PER, ORG, LOC) from the project's NER, run only on sentences that
    can name an official (an office title in them) unless ``every_sentence``."""

    def __init__(self, model: str | None = None, every_sentence: bool = False) -> None:
        self.model = model
        self.every_sentence = every_sentence

    def __call__(self, doc: Doc) -> Doc:
        sentences = [s for s in _sentences(doc) if self.every_sentence or _may_name_official(s)]
        if not sentences:
            return doc
        ner = models.load_ner(self.model)
        copies = [Doc(ner.vocab, words=[t.text for t in s],
                      spaces=[bool(t.whitespace_) for t in s]) for s in sentences]
        for _, proc in ner.pipeline:
            copies = list(proc.pipe(copies)) if hasattr(proc, "pipe") else [proc(c) for c in copies]
        found: list[Span] = []
        for sentence, copy in zip(sentences, copies, strict=True):
            for ent in copy.ents:
                found.append(Span(doc, sentence.start + ent.start, sentence.start + ent.end,
                                  label=ent.label_))
        doc.ents = filter_spans([*doc.ents, *found])
        return doc


def _sentences(doc: Doc) -> Iterable[Span]:
    """The article's sentences outside boilerplate (bylines and related lists name nobody)."""
    skip = [(s.start_char, s.end_char) for s in doc.spans.get("boilerplate", [])]
    for start, end in sentence_bounds(doc):
        if any(s <= start and end <= e for s, e in skip):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            yield span


def _may_name_official(sentence: Span) -> bool:
    """True when a capitalised word could open an office title (``Kepala``, ``Kadiskominfo``)."""
    heads, stems, units = _title_cues()
    for token in sentence:
        if not token.text[:1].isupper():
            continue
        key = _fold(token.text)
        if key in heads or any(key.startswith(s) and key[len(s):] in units for s in stems):
            return True
    return False


@functools.cache
def _title_cues() -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    """First words of the titles in ``titles.tsv``, the stems of prefix titles (``Ka``) and
    the unit abbreviations they glue to (``diskominfo`` of ``Kadiskominfo``)."""
    from spbe_extract.nlp.officials_lexicon import lexicon

    lex = lexicon()
    heads = frozenset(_fold(t.surface.split()[0]) for t in lex.titles.values() if not t.prefix)
    stems = tuple(sorted({_fold(t.surface) for t in lex.titles.values() if t.prefix}))
    return heads, stems, frozenset(lex.orgs)


def _fold(text: str) -> str:
    from spbe_extract.regions import compact

    return compact(text)
