"""Loading the project's own trained models from ``models/``.

* ``load_ner`` / ``person_spans``: the spaCy NER (PER/ORG/LOC) trained on idner-news-2k.
* ``load_stanza`` / ``stanza_sentences`` / ``stanza_doc``: the stanza tokenizer backend
  (``--nlp stanza``), either the project's CSUI-trained tokenizer or a directory of stanza's
  official Indonesian models given as ``stanza_dir``.

Nothing here downloads: a missing or broken model raises ``ModelError`` naming the path and
the command that builds it.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

if TYPE_CHECKING:
    import stanza

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
NER_DIR = MODELS_DIR / "id_spbe_ner"
STANZA_DIR = MODELS_DIR / "stanza"
STANZA_PACKAGE = "spbe_csui"
NER_ENV = "SPBE_NER_MODEL"
STANZA_ENV = "SPBE_STANZA_DIR"
NER_BUILD = "make train-ner"
STANZA_BUILD = "make train-stanza"
STANZA_EXTRA = "pip install 'spbe-extract[stanza]' (with the CPU build: torch==2.13.0)"

CharSpan = tuple[int, int]
_INITIAL = re.compile(r"[A-Z]\.")  # "M." of "Rifli M. Katili"


class ModelError(RuntimeError):
    """A model is missing or unreadable, or its optional backend is not installed."""


# --- spaCy NER -------------------------------------------------------------------------------


def ner_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The NER model directory: ``path``, else $SPBE_NER_MODEL, else models/id_spbe_ner."""
    return Path(path or os.environ.get(NER_ENV) or NER_DIR).expanduser().resolve()


def load_ner(path: str | os.PathLike[str] | None = None) -> Language:
    """Load the NER pipeline (one ``ner`` component) from ``path``; cached per path."""
    return _load_ner(ner_path(path))


@functools.lru_cache(maxsize=4)
def _load_ner(path: Path) -> Language:
    if not (path / "meta.json").is_file() or not (path / "config.cfg").is_file():
        raise ModelError(f"NER model not found at {path}: build it with `{NER_BUILD}`")
    try:
        # The saved tokenizer is the default Indonesian one, which the config already builds;
        # reading it again would add ~30k special cases a second time (seconds of load time).
        nlp = spacy.load(path, exclude=["tokenizer"])
    except Exception as exc:  # spaCy, srsly, thinc and msgpack all raise their own types
        raise ModelError(
            f"NER model at {path} could not be loaded ({type(exc).__name__}: {exc}); "
            f"rebuild it with `{NER_BUILD}`"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise ModelError(f"{path} has no 'ner' component: rebuild it with `{NER_BUILD}`")
    return nlp


def _ner_doc(doc_or_text: Doc | Span | str, nlp: Language) -> Doc:
    """Run the NER on a text, or on a copy of a Doc's or Span's tokens."""
    if isinstance(doc_or_text, str):
        return nlp(doc_or_text)
    words = [t.text for t in doc_or_text]
    spaces = [bool(t.whitespace_) for t in doc_or_text]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def entity_spans(
    doc_or_text: Doc | Span | str,
    labels: Iterable[str] | None = None,
    nlp: Language | None = None,
) -> list[tuple[int, int, str]]:
    """(start_char, end_char, label) of the NER's entities, optionally only ``labels``.

    Offsets are into the text, the Doc's text, or (for a Span) its Doc's text, so a caller
    can run the NER on just the sentences it cares about.
    """
    model = nlp or load_ner()
    wanted = set(labels) if labels is not None else None
    shift = doc_or_text.start_char if isinstance(doc_or_text, Span) else 0
    ents = _ner_doc(doc_or_text, model).ents
    return [
        (e.start_char + shift, e.end_char + shift, e.label_)
        for e in ents
        if wanted is None or e.label_ in wanted
    ]


def person_spans(doc_or_text: Doc | Span | str, nlp: Language | None = None) -> list[CharSpan]:
    """Character spans of person names (label PER) in a text, a Doc or a Span of one."""
    return [(start, end) for start, end, _ in entity_spans(doc_or_text, ("PER",), nlp)]


# --- stanza tokenizer ------------------------------------------------------------------------


def stanza_dir_path(stanza_dir: str | os.PathLike[str] | None = None) -> Path:
    """The stanza model directory: ``stanza_dir``, else $SPBE_STANZA_DIR, else models/stanza."""
    return Path(stanza_dir or os.environ.get(STANZA_ENV) or STANZA_DIR).expanduser().resolve()


def load_stanza(stanza_dir: str | os.PathLike[str] | None = None) -> stanza.Pipeline:
    """A stanza ``tokenize`` pipeline for Indonesian from ``stanza_dir``; never downloads."""
    return _load_stanza(stanza_dir_path(stanza_dir))


def _import_stanza() -> Any:
    try:
        import stanza
    except ImportError as exc:
        raise ModelError(f"the stanza backend needs stanza: {STANZA_EXTRA}") from exc
    return stanza


def _missing_hint(directory: Path) -> str:
    if directory == STANZA_DIR.resolve():
        return f"build it with `{STANZA_BUILD}`"
    return "point --stanza-dir at a folder holding resources.json and id/tokenize/*.pt"


def _tokenizer_file(directory: Path) -> Path:
    """The tokenizer .pt that resources.json in ``directory`` names as Indonesian default."""
    resources_file = directory / "resources.json"
    if not resources_file.is_file():
        raise ModelError(f"stanza models not found at {directory}: {_missing_hint(directory)}")
    try:
        resources = json.loads(resources_file.read_text(encoding="utf-8"))
        package = resources["id"]["default_processors"]["tokenize"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"{resources_file} names no Indonesian tokenizer: {_missing_hint(directory)}"
        ) from exc
    model = directory / "id" / "tokenize" / f"{package}.pt"
    if not model.is_file():
        raise ModelError(f"stanza tokenizer not found at {model}: {_missing_hint(directory)}")
    return model


@functools.lru_cache(maxsize=2)
def _load_stanza(directory: Path) -> stanza.Pipeline:
    stanza = _import_stanza()
    model = _tokenizer_file(directory)
    try:
        return stanza.Pipeline(
            "id",
            dir=str(directory),
            processors="tokenize",
            download_method=None,
            tokenize_model_path=str(model),
            use_gpu=False,
            logging_level="WARN",
        )
    except Exception as exc:  # torch and stanza raise many types for a broken file
        raise ModelError(
            f"stanza tokenizer at {model} could not be loaded ({type(exc).__name__}: {exc}); "
            f"{_missing_hint(directory)}"
        ) from exc


def stanza_tokens(
    text: str, stanza_dir: str | os.PathLike[str] | None = None
) -> list[list[CharSpan]]:
    """Token character spans, grouped by sentence, as stanza's tokenizer splits ``text``.

    As with the spaCy backend, no sentence ends right after an abbreviation of the project's
    table (``Kab.``, ``Dr.``, ``M.Si.``...) or a one-letter initial: such a break is undone.
    """
    if not text.strip():
        return []
    sentences = load_stanza(stanza_dir)(text).sentences
    merged: list[list[CharSpan]] = []
    for sentence in sentences:
        tokens = [(t.start_char, t.end_char) for t in sentence.tokens]
        if merged and _ends_in_abbreviation(text, merged[-1]):
            merged[-1].extend(tokens)
        elif tokens:
            merged.append(tokens)
    return merged


@functools.cache
def _abbreviations() -> frozenset[str]:
    from spbe_extract.nlp.rules import cue

    forms = cue("tokenizer_abbreviations")
    return frozenset(f for a in forms for f in (a, a.upper(), a.lower()))


def _ends_in_abbreviation(text: str, tokens: list[CharSpan]) -> bool:
    """True when the last token (with a detached final '.') is an abbreviation or initial."""
    start, end = tokens[-1]
    if text[start:end] == "." and len(tokens) > 1 and tokens[-2][1] == start:
        start = tokens[-2][0]
    last = text[start:end]
    return last in _abbreviations() or bool(_INITIAL.fullmatch(last))


def stanza_sentences(text: str, stanza_dir: str | os.PathLike[str] | None = None) -> list[CharSpan]:
    """(start_char, end_char) of each sentence stanza finds in ``text``."""
    return [(toks[0][0], toks[-1][1]) for toks in stanza_tokens(text, stanza_dir) if toks]


def stanza_doc(vocab: Vocab, text: str, stanza_dir: str | os.PathLike[str] | None = None) -> Doc:
    """A spaCy Doc of ``text`` with stanza's tokens and sentence starts (``doc.text == text``).

    Whitespace other than one space after a token becomes its own token, as spaCy's own
    tokenizer does, so character offsets match the input exactly.
    """
    words: list[str] = []
    spaces: list[bool] = []
    starts: list[bool | None] = []
    pos = 0
    for sentence in stanza_tokens(text, stanza_dir):
        for i, (start, end) in enumerate(sentence):
            _add_gap(text[pos:start], words, spaces, starts)
            words.append(text[start:end])
            spaces.append(False)
            starts.append(i == 0)
            pos = end
    _add_gap(text[pos:], words, spaces, starts)
    if words and words[0].isspace():  # leading whitespace belongs to the first sentence
        first = next((i for i, w in enumerate(words) if not w.isspace()), 0)
        starts[first] = False
    if words:
        starts[0] = True
    return Doc(vocab, words=words, spaces=spaces, sent_starts=starts)


def _add_gap(gap: str, words: list[str], spaces: list[bool], starts: list[bool | None]) -> None:
    """Append the text between two tokens: one space as trailing space, the rest as a token."""
    if not gap:
        return
    if words and gap[0] == " " and not spaces[-1]:
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)
        starts.append(False)
