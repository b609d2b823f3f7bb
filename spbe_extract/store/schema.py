"""The store's tables as SQLAlchemy 2.0 typed ORM classes.

Layout: an ``Article`` is extracted many times (once per extractor version); each
``ArticleExtraction`` belongs to one ``ExtractionRun`` and owns the ``IndexFactRow``
and ``OfficialRow`` records it produced. Exactly one extraction per article is
``current`` (the newest successful one): queries read current facts by default, and
older runs stay readable by run id until pruned. The Alembic revisions in
``migrations/`` create these tables; change both together.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every store table."""


class Region(Base):
    """One government of the Kemendagri gazetteer (province, kabupaten, kota, nasional)."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str | None] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    bare: Mapped[str] = mapped_column(String(200), index=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent_code: Mapped[str | None] = mapped_column(String(16), index=True)


class Article(Base):
    """One news article, as ingested from a file, a JSONL line or a crawled page."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str | None] = mapped_column(String(300), unique=True)
    url: Mapped[str | None] = mapped_column(String(2000), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    author: Mapped[str | None] = mapped_column(String(300))
    path: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict | None] = mapped_column(JSON)
    ingested_at: Mapped[datetime] = mapped_column(DateTime, index=True)

    extractions: Mapped[list[ArticleExtraction]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class ExtractionRun(Base):
    """One invocation of ``spbe run``: which extractor version, when, and what it did."""

    __tablename__ = "extraction_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extractor_version: Mapped[str] = mapped_column(String(100), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), index=True)  # running|finished|interrupted
    articles_done: Mapped[int] = mapped_column(Integer, default=0)
    articles_failed: Mapped[int] = mapped_column(Integer, default=0)
    facts_count: Mapped[int] = mapped_column(Integer, default=0)
    officials_count: Mapped[int] = mapped_column(Integer, default=0)
    host: Mapped[str | None] = mapped_column(String(200))
    pid: Mapped[int | None] = mapped_column(Integer)
    params: Mapped[dict | None] = mapped_column(JSON)


class ArticleExtraction(Base):
    """The outcome of extracting one article with one extractor version (ok or failed)."""

    __tablename__ = "article_extractions"
    __table_args__ = (
        UniqueConstraint("article_id", "extractor_version", name="uq_extraction_article_version"),
        Index("ix_extraction_current", "article_id", "current"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    run_id: Mapped[int] = mapped_column(
        ForeignKey("extraction_runs.id", ondelete="CASCADE"), index=True
    )
    extractor_version: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # ok|failed
    error: Mapped[str | None] = mapped_column(Text)
    current: Mapped[bool] = mapped_column(Boolean, default=False)
    published: Mapped[date | None] = mapped_column(Date)  # date the extractor read from the text
    extracted_at: Mapped[datetime] = mapped_column(DateTime)

    article: Mapped[Article] = relationship(back_populates="extractions")
    facts: Mapped[list[IndexFactRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    officials: Mapped[list[OfficialRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class _EvidenceColumns:
    """Columns every extracted record carries: where it came from and its evidence span."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    extraction_id: Mapped[int] = mapped_column(
        ForeignKey("article_extractions.id", ondelete="CASCADE"), index=True
    )
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int] = mapped_column(
        ForeignKey("extraction_runs.id", ondelete="CASCADE"), index=True
    )
    extractor_version: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    evidence_sentence: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)


class IndexFactRow(_EvidenceColumns, Base):
    """One SPBE index value (score or target) read from one article (SPEC ``IndexFact``)."""

    __tablename__ = "index_facts"
    __table_args__ = (
        # filter column first, then the `spbe query` sort order, then the extraction, so
        # that a walk in sort order checks "extraction naming an official" from the index
        # (revisions 0003, 0004)
        Index(
            "ix_index_facts_code_region_year_kind_extraction",
            "region_code",
            "region",
            "year",
            "kind",
            "extraction_id",
        ),
        Index(
            "ix_index_facts_region_year_kind_extraction", "region", "year", "kind", "extraction_id"
        ),
        Index(
            "ix_index_facts_year_region_kind_extraction", "year", "region", "kind", "extraction_id"
        ),
        Index(
            "ix_index_facts_kind_region_year_extraction", "kind", "region", "year", "extraction_id"
        ),
    )

    region: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[float] = mapped_column(Float)
    relation: Mapped[str] = mapped_column(String(2), default="=")
    predicate: Mapped[str | None] = mapped_column(String(32))
    year_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    flags: Mapped[list | None] = mapped_column(JSON)


class OfficialRow(_EvidenceColumns, Base):
    """One named government official mentioned in one article (SPEC ``Official``)."""

    __tablename__ = "officials"
    # a name's extractions, and an extraction's names, from the index alone (revision 0004)
    __table_args__ = (
        Index("ix_officials_name_extraction", "name", "extraction_id"),
        Index("ix_officials_extraction_name", "extraction_id", "name"),
    )

    # indexed by ix_officials_extraction_name, not on its own
    extraction_id: Mapped[int] = mapped_column(
        ForeignKey("article_extractions.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(300))
    position: Mapped[str] = mapped_column(String(100), index=True)
    acting: Mapped[str | None] = mapped_column(String(8))
    organization: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(200), index=True)
    region_code: Mapped[str | None] = mapped_column(String(16), index=True)


class OfficialName(Base):
    """Every distinct ``officials.name``, for substring search over names, not mentions.

    Filled by triggers on ``officials`` (revision 0004), never by the write path. Names are
    not removed when their mentions are pruned, and a name may appear twice (concurrent
    PostgreSQL writers do not wait on each other): match names here, then mentions by name.
    """

    __tablename__ = "official_names"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
