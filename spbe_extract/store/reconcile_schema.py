"""Tables of the reconciliation layer: official results and what the news says, reconciled.

``official_results`` is loaded by ``spbe import-official``. The ``reconciled_facts``,
``reconciled_values`` and ``target_statements`` tables are derived data:
``spbe_extract.reconcile.refresh_reconciled`` rebuilds them from the current extraction
of every article (after each run and each import), so they hold plain ids of facts and
articles rather than foreign keys; ``reconcile_state`` records what they were built
from. The Alembic revision ``0002_reconcile`` creates these tables; change both together.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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
from sqlalchemy.orm import Mapped, mapped_column

from spbe_extract.store.schema import Base


class OfficialResult(Base):
    """One published index value of one government (e.g. from the KemenPAN-RB decree)."""

    __tablename__ = "official_results"
    __table_args__ = (UniqueConstraint("region", "year", name="uq_official_region_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(200), index=True)
    region_code: Mapped[str | None] = mapped_column(String(16), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    value: Mapped[float] = mapped_column(Float)
    predicate: Mapped[str | None] = mapped_column(String(32))
    source_file: Mapped[str | None] = mapped_column(Text)
    source_line: Mapped[int | None] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class _Where:
    """Region columns shared by the reconciled tables (level and province for filtering)."""

    region: Mapped[str] = mapped_column(String(200), index=True)
    region_code: Mapped[str | None] = mapped_column(String(16), index=True)
    level: Mapped[str | None] = mapped_column(String(16), index=True)
    province: Mapped[str | None] = mapped_column(String(200), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)


class _Evidence:
    """The one fact shown as evidence for a number: its sentence and article."""

    evidence_fact_id: Mapped[int] = mapped_column(Integer)
    evidence_article_id: Mapped[int] = mapped_column(Integer)
    article_url: Mapped[str | None] = mapped_column(String(2000))
    evidence_sentence: Mapped[str] = mapped_column(Text)


class ReconciledFact(_Where, _Evidence, Base):
    """Per region, year and kind: the consensus value and who reported what."""

    __tablename__ = "reconciled_facts"
    __table_args__ = (Index("ix_reconciled_key", "region", "year", "kind", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), index=True)
    value: Mapped[float] = mapped_column(Float)
    relation: Mapped[str] = mapped_column(String(2))
    predicate: Mapped[str | None] = mapped_column(String(32))
    n_articles: Mapped[int] = mapped_column(Integer)
    n_sources: Mapped[int] = mapped_column(Integer)
    n_values: Mapped[int] = mapped_column(Integer)
    n_year_inferred: Mapped[int] = mapped_column(Integer)
    first_reported: Mapped[date | None] = mapped_column(Date)
    last_reported: Mapped[date | None] = mapped_column(Date)
    conflict: Mapped[bool] = mapped_column(Boolean, index=True)
    competing_values: Mapped[str | None] = mapped_column(Text)
    official_value: Mapped[float | None] = mapped_column(Float)
    official_predicate: Mapped[str | None] = mapped_column(String(32))
    official_mismatch: Mapped[bool | None] = mapped_column(Boolean, index=True)
    outcome: Mapped[str | None] = mapped_column(String(8))  # targets: met|missed|unknown
    outcome_score: Mapped[float | None] = mapped_column(Float)
    outcome_basis: Mapped[str | None] = mapped_column(String(8))  # official|news
    refreshed_at: Mapped[datetime] = mapped_column(DateTime)


class ReconciledValue(_Where, _Evidence, Base):
    """One distinct value reported for a region, year and kind (several when sources disagree)."""

    __tablename__ = "reconciled_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reconciled_id: Mapped[int] = mapped_column(
        ForeignKey("reconciled_facts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8), index=True)
    value: Mapped[float] = mapped_column(Float)
    consensus: Mapped[bool] = mapped_column(Boolean)
    n_articles: Mapped[int] = mapped_column(Integer)
    n_sources: Mapped[int] = mapped_column(Integer)
    sources: Mapped[str] = mapped_column(Text)
    first_reported: Mapped[date | None] = mapped_column(Date)
    last_reported: Mapped[date | None] = mapped_column(Date)
    official_value: Mapped[float | None] = mapped_column(Float)
    official_mismatch: Mapped[bool | None] = mapped_column(Boolean, index=True)


class TargetStatement(_Where, _Evidence, Base):
    """A target stated in one article, the official who stated it, and whether it was met."""

    __tablename__ = "target_statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    relation: Mapped[str] = mapped_column(String(2))
    published: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(String(200))
    official_id: Mapped[int | None] = mapped_column(Integer)
    official_name: Mapped[str | None] = mapped_column(String(300), index=True)
    official_position: Mapped[str | None] = mapped_column(String(100))
    official_sentence: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(8), index=True)  # met|missed|unknown
    outcome_score: Mapped[float | None] = mapped_column(Float)
    outcome_basis: Mapped[str | None] = mapped_column(String(8))  # official|news


class ReconcileState(Base):
    """When the reconciled tables were last rebuilt, and from which state of the facts."""

    __tablename__ = "reconcile_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(200))
    refreshed_at: Mapped[datetime] = mapped_column(DateTime)
