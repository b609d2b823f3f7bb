"""SQL of the reconciliation layer: read current facts, write reconciled tables, read them back.

Functions take an open ``Store``; like the rest of the store they turn driver errors into
``StoreError``. Reads of the current facts use the store's notion of *current*: the one
``article_extractions`` row per article with ``current`` true.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.orm import Session

from spbe_extract.reconcile import (
    FactIn,
    OfficialIn,
    OfficialValue,
    Reconciled,
    Reconciliation,
    Statement,
    region_place,
)
from spbe_extract.store import Store, _guarded
from spbe_extract.store.reconcile_schema import (
    OfficialResult,
    ReconciledFact,
    ReconciledValue,
    ReconcileState,
    TargetStatement,
)
from spbe_extract.store.schema import Article, ArticleExtraction, IndexFactRow, OfficialRow


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _current(model: Any) -> Select:
    return (
        select(
            model,
            Article.url,
            Article.source,
            func.coalesce(Article.published, ArticleExtraction.published),
        )
        .join(ArticleExtraction, ArticleExtraction.id == model.extraction_id)
        .join(Article, Article.id == model.article_id)
        .where(ArticleExtraction.current.is_(True))
        .order_by(model.id)
    )


# ---------------------------------------------------------------- inputs


@_guarded
def current_facts(store: Store) -> list[FactIn]:
    """Every index fact of every article's current extraction."""
    with Session(store.engine) as s:
        return [
            FactIn(
                id=f.id,
                article_id=f.article_id,
                extraction_id=f.extraction_id,
                region=f.region,
                region_code=f.region_code,
                year=f.year,
                kind=f.kind,
                value=f.value,
                relation=f.relation,
                predicate=f.predicate,
                year_inferred=bool(f.year_inferred),
                sentence=f.evidence_sentence,
                start=f.evidence_start,
                end=f.evidence_end,
                url=url,
                source=source,
                published=published,
            )
            for f, url, source, published in s.execute(_current(IndexFactRow))
        ]


@_guarded
def current_officials(store: Store) -> list[OfficialIn]:
    """Every official of every article's current extraction."""
    with Session(store.engine) as s:
        return [
            OfficialIn(
                id=o.id,
                article_id=o.article_id,
                extraction_id=o.extraction_id,
                name=o.name,
                position=o.position,
                region=o.region,
                sentence=o.evidence_sentence,
                start=o.evidence_start,
                end=o.evidence_end,
            )
            for o, _url, _source, _published in s.execute(_current(OfficialRow))
        ]


@_guarded
def official_values(store: Store) -> dict[tuple[str, int], OfficialValue]:
    """Imported official results keyed by (region, year)."""
    with Session(store.engine) as s:
        return {
            (r.region, r.year): OfficialValue(r.region, r.year, r.value, r.predicate)
            for r in s.scalars(select(OfficialResult))
        }


# ---------------------------------------------------------------- reconciled tables


def _place(region: str, code: str | None) -> dict[str, Any]:
    level, province = region_place(region, code)
    return {"region": region, "region_code": code, "level": level, "province": province}


def _evidence(fact: FactIn) -> dict[str, Any]:
    return {
        "evidence_fact_id": fact.id,
        "evidence_article_id": fact.article_id,
        "article_url": fact.url,
        "evidence_sentence": fact.sentence,
    }


def _fact_row(rec: Reconciled, now: datetime) -> dict[str, Any]:
    best = rec.consensus
    return {
        **_place(rec.region, rec.region_code),
        **_evidence(best.evidence),
        "year": rec.year,
        "kind": rec.kind,
        "value": best.value,
        "relation": best.most_common("relation") or "=",
        "predicate": best.most_common("predicate"),
        "n_articles": len({f.article_id for f in rec.facts}),
        "n_sources": len({f.source_key for f in rec.facts}),
        "n_values": len(rec.groups),
        "n_year_inferred": len({f.article_id for f in rec.facts if f.year_inferred}),
        "first_reported": min(
            (g.first_reported for g in rec.groups if g.first_reported), default=None
        ),
        "last_reported": max(
            (g.last_reported for g in rec.groups if g.last_reported), default=None
        ),
        "conflict": rec.conflict,
        "competing_values": rec.competing_text(),
        "official_value": rec.official.value if rec.official else None,
        "official_predicate": rec.official.predicate if rec.official else None,
        "official_mismatch": rec.mismatch(best.value),
        "outcome": rec.outcome,
        "outcome_score": rec.outcome_score,
        "outcome_basis": rec.outcome_basis,
        "refreshed_at": now,
    }


def _value_rows(rec: Reconciled, reconciled_id: int) -> list[dict[str, Any]]:
    return [
        {
            **_place(rec.region, rec.region_code),
            **_evidence(group.evidence),
            "reconciled_id": reconciled_id,
            "year": rec.year,
            "kind": rec.kind,
            "value": group.value,
            "consensus": i == 0,
            "n_articles": group.n_articles,
            "n_sources": len(group.sources),
            "sources": ", ".join(group.sources),
            "first_reported": group.first_reported,
            "last_reported": group.last_reported,
            "official_value": rec.official.value if rec.official else None,
            "official_mismatch": rec.mismatch(group.value),
        }
        for i, group in enumerate(rec.groups)
    ]


def _statement_row(st: Statement) -> dict[str, Any]:
    f, who = st.fact, st.official
    return {
        **_place(f.region, f.region_code),
        **_evidence(f),
        "year": f.year,
        "value": f.value,
        "relation": f.relation,
        "published": f.published,
        "source": f.source_key,
        "official_id": who.id if who else None,
        "official_name": who.name if who else None,
        "official_position": who.position if who else None,
        "official_sentence": who.sentence if who else None,
        "outcome": st.outcome,
        "outcome_score": st.score,
        "outcome_basis": st.basis,
    }


@_guarded
def fingerprint(store: Store) -> str:
    """A summary of what reconciliation reads; it changes whenever a refresh is due."""
    current = ArticleExtraction.current.is_(True)
    with Session(store.engine) as s:
        parts = [
            s.execute(
                select(func.count(m.id), func.max(m.id))
                .join(ArticleExtraction, ArticleExtraction.id == m.extraction_id)
                .where(current)
            ).one()
            for m in (IndexFactRow, OfficialRow)
        ]
        parts.append(
            s.execute(
                select(func.count(OfficialResult.id), func.max(OfficialResult.imported_at))
            ).one()
        )
    return "|".join(f"{n}:{last}" for n, last in parts)


@_guarded
def stored_fingerprint(store: Store) -> str | None:
    """The fingerprint of the last refresh (None before the first)."""
    with Session(store.engine) as s:
        return s.scalar(select(ReconcileState.fingerprint).order_by(ReconcileState.id.desc()))


@_guarded
def replace_reconciled(store: Store, result: Reconciliation, state: str = "") -> None:
    """Replace the reconciled tables with ``result`` in one transaction, noting ``state``."""
    now = _now()
    with Session(store.engine) as s, s.begin():
        for model in (ReconciledValue, TargetStatement, ReconciledFact, ReconcileState):
            s.execute(delete(model))
        s.add(ReconcileState(fingerprint=state, refreshed_at=now))
        values: list[dict[str, Any]] = []
        for rec in result.facts:
            new_id = s.scalar(
                insert(ReconciledFact).values(_fact_row(rec, now)).returning(ReconciledFact.id)
            )
            values.extend(_value_rows(rec, new_id))
        if values:
            s.execute(insert(ReconciledValue), values)
        if result.statements:
            s.execute(insert(TargetStatement), [_statement_row(st) for st in result.statements])


# ---------------------------------------------------------------- official results


@dataclass
class UpsertCounts:
    """What loading official results changed."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


@_guarded
def upsert_official_results(
    store: Store,
    rows: Iterable[OfficialValue],
    codes: dict[str, str | None],
    source_file: str,
    lines: dict[tuple[str, int], int] | None = None,
) -> UpsertCounts:
    """Insert or update official results keyed by (region, year); same values change nothing."""
    counts, lines = UpsertCounts(), lines or {}
    with Session(store.engine) as s, s.begin():
        for row in rows:
            old = s.scalar(
                select(OfficialResult).where(
                    OfficialResult.region == row.region, OfficialResult.year == row.year
                )
            )
            if old is None:
                s.add(
                    OfficialResult(
                        region=row.region,
                        region_code=codes.get(row.region),
                        year=row.year,
                        value=row.value,
                        predicate=row.predicate,
                        source_file=source_file,
                        source_line=lines.get((row.region, row.year)),
                        imported_at=_now(),
                    )
                )
                counts.added += 1
            elif (old.value, old.predicate) == (row.value, row.predicate):
                counts.unchanged += 1
            else:
                old.value, old.predicate, old.imported_at = row.value, row.predicate, _now()
                old.source_file, old.source_line = source_file, lines.get((row.region, row.year))
                counts.updated += 1
    return counts


# ---------------------------------------------------------------- reads for export


RECONCILED_COLUMNS = (
    "region",
    "region_code",
    "level",
    "province",
    "year",
    "kind",
    "value",
    "relation",
    "predicate",
    "n_articles",
    "n_sources",
    "n_values",
    "n_year_inferred",
    "first_reported",
    "last_reported",
    "conflict",
    "competing_values",
    "official_value",
    "official_predicate",
    "official_mismatch",
    "outcome",
    "outcome_score",
    "outcome_basis",
    "evidence_fact_id",
    "evidence_article_id",
    "article_url",
    "evidence_sentence",
)


@_guarded
def reconciled_rows(
    store: Store,
    region: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    level: str | None = None,
    province: str | None = None,
    conflicts_only: bool = False,
    keys: set[tuple[str, int, str]] | None = None,
) -> list[dict[str, Any]]:
    """Reconciled facts matching every filter, as flat dicts (``RECONCILED_COLUMNS``).

    ``keys`` restricts to these (region, year, kind), e.g. the groups a source reported.
    """
    r = ReconciledFact
    query = select(*(getattr(r, c) for c in RECONCILED_COLUMNS))
    if region:
        query = query.where(store._region_clause(region, r.region, r.region_code))
    if year is not None:
        query = query.where(r.year == year)
    if kind:
        query = query.where(r.kind == kind)
    if level:
        query = query.where(r.level == level.lower())
    if province:
        names = [p.name for p in store.resolve_region(province) if p.level == "provinsi"]
        query = query.where(r.province.in_(names or [province]))
    if conflicts_only:
        query = query.where(r.conflict.is_(True))
    query = query.order_by(r.region, r.year, r.kind)
    with Session(store.engine) as s:
        rows = [dict(row._mapping) for row in s.execute(query)]
    if keys is not None:
        rows = [row for row in rows if (row["region"], row["year"], row["kind"]) in keys]
    return rows
