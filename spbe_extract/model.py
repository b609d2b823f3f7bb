"""The records that flow through the pipeline: articles in, facts out.

These dataclasses are the contract between the ingest code, the NLP stage,
the store and the scorer (see ``../shared/SPEC.md``). ``to_dict`` gives the
stable JSON shape printed by ``spbe extract`` and read by ``spbe eval``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

FactKind = Literal["score", "target"]
Relation = Literal["=", ">", ">="]
Acting = Literal["Plt", "Pj", "Plh"]


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from and its character span in the article text."""

    sentence: str
    start: int
    end: int


@dataclass
class IndexFact:
    """One SPBE index value (achieved score or stated target) of one institution."""

    region: str
    region_code: str | None
    year: int
    kind: FactKind
    value: float
    evidence: Evidence
    relation: Relation = "="
    predicate: str | None = None
    year_inferred: bool = False
    confidence: float = 1.0
    flags: list[str] = field(default_factory=list)

    def key(self) -> tuple[str, int, str, float]:
        """Identity of a fact within one article (SPEC: one fact per key)."""
        return (self.region, self.year, self.kind, round(self.value, 2))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Official:
    """A named government office holder mentioned in the article body."""

    name: str
    position: str
    evidence: Evidence
    acting: Acting | None = None
    organization: str | None = None
    region: str | None = None
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Extraction:
    """Everything the NLP stage read from one article."""

    index_facts: list[IndexFact] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    title: str | None = None
    published: date | None = None
    extractor_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "extractor_version": self.extractor_version,
            "index_facts": [f.to_dict() for f in self.index_facts],
            "officials": [o.to_dict() for o in self.officials],
        }


@dataclass
class ArticleInput:
    """One article as read from a file, a JSONL line or a crawled page, before storage.

    ``text`` is the main text (for HTML input, what the main-text extractor kept);
    ``html`` the raw page when there was one. ``key`` is a stable outside
    identity such as ``antara:401652``; when absent the URL, then the content
    hash, identifies the article.
    """

    text: str
    title: str | None = None
    url: str | None = None
    published: datetime | date | None = None
    source: str | None = None
    html: str | None = None
    path: str | None = None
    key: str | None = None
    author: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the whitespace-normalised text: the same story saved twice hashes equal."""
        normalised = " ".join(self.text.split())
        return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Skip:
    """An input that could not be read, with the one-line reason shown to the user."""

    path: str
    reason: str
