"""A store holding many generated facts, for timing the ``spbe query`` filters.

Rows go in with bulk Core inserts on the store's own tables (the ORM and the per-article
``record_batch`` path would take minutes for a million facts). The shape follows a real
store: every article has one current extraction with about eight facts and two officials,
regions are spread over the whole gazetteer, years over 2018-2024, a few dozen sources.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from spbe_extract import regions
from spbe_extract.bench.corpus import predicate, templates
from spbe_extract.store import Store
from spbe_extract.store.schema import (
    Article,
    ArticleExtraction,
    ExtractionRun,
    IndexFactRow,
    OfficialRow,
)

FACTS_PER_ARTICLE = 8
OFFICIALS_PER_ARTICLE = 2
BATCH = 20_000
VERSION = "bench+generated"
SOURCES = [f"{name}{i}.example" for i in range(4) for name in ("kabar", "warta", "suara")]


def fill(store: Store, n_facts: int, seed: int = 11, advance: Callable[[int], Any] | None = None):
    """Insert ``n_facts`` current facts (and their articles, extractions and officials)."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    n_articles = max(1, n_facts // FACTS_PER_ARTICLE)
    with store.engine.begin() as conn:
        run_id = conn.execute(
            ExtractionRun.__table__.insert().values(
                extractor_version=VERSION, started_at=now, finished_at=now, status="finished",
                articles_done=n_articles, articles_failed=0, facts_count=n_facts,
                officials_count=n_articles * OFFICIALS_PER_ARTICLE,
            )
        ).inserted_primary_key[0]  # fmt: skip
    places = [r for r in regions.all_regions() if r.code]
    people = _people()
    written = 0
    for first in range(0, n_articles, BATCH // FACTS_PER_ARTICLE):
        ids = range(first + 1, min(n_articles, first + BATCH // FACTS_PER_ARTICLE) + 1)
        articles = [_article(rng, i, now) for i in ids]
        facts = [f for i in ids for f in _facts(rng, i, run_id, places)][: n_facts - written]
        officials = [o for i in ids for o in _officials(rng, i, run_id, places, people)]
        with store.engine.begin() as conn:
            conn.execute(Article.__table__.insert(), articles)
            conn.execute(
                ArticleExtraction.__table__.insert(), [_extraction(i, run_id, now) for i in ids]
            )
            conn.execute(IndexFactRow.__table__.insert(), facts)
            conn.execute(OfficialRow.__table__.insert(), officials)
        written += len(facts)
        if advance:
            advance(len(facts))
    return run_id


def _article(rng: random.Random, i: int, now: datetime) -> dict[str, Any]:
    source = rng.choice(SOURCES)
    return {
        "id": i, "key": None, "url": f"https://{source}/berita/{i}", "content_hash": f"{i:064x}",
        "source": source, "title": f"Berita {i}",
        "published": date(2018, 1, 1) + timedelta(days=rng.randrange(7 * 365)),
        "published_at": None, "author": None, "path": None, "text": "(teks)", "html": None,
        "meta": None, "ingested_at": now,
    }  # fmt: skip


def _extraction(i: int, run_id: int, now: datetime) -> dict[str, Any]:
    return {
        "id": i, "article_id": i, "run_id": run_id, "extractor_version": VERSION,
        "status": "ok", "error": None, "current": True, "published": None, "extracted_at": now,
    }  # fmt: skip


def _common(i: int, run_id: int) -> dict[str, Any]:
    return {
        "extraction_id": i, "article_id": i, "run_id": run_id, "extractor_version": VERSION,
        "confidence": 1.0, "evidence_sentence": "Kalimat bukti nilai indeks SPBE.",
        "evidence_start": 0, "evidence_end": 32,
    }  # fmt: skip


def _facts(
    rng: random.Random, i: int, run_id: int, places: list[regions.Region]
) -> Iterator[dict[str, Any]]:
    for _ in range(FACTS_PER_ARTICLE):
        place = rng.choice(places)
        value = round(rng.uniform(1.2, 4.8), 2)
        kind = "score" if rng.random() < 0.75 else "target"
        yield {
            **_common(i, run_id), "region": place.name, "region_code": place.code,
            "year": rng.randint(2018, 2024), "kind": kind, "value": value,
            "relation": "=" if kind == "score" else rng.choice(("=", ">", ">=")),
            "predicate": predicate(value) if kind == "score" else None,
            "year_inferred": rng.random() < 0.1, "flags": None,
        }  # fmt: skip


def _officials(
    rng: random.Random, i: int, run_id: int, places: list[regions.Region], people: list[str]
) -> Iterator[dict[str, Any]]:
    for _ in range(OFFICIALS_PER_ARTICLE):
        place = rng.choice(places)
        yield {
            **_common(i, run_id), "name": rng.choice(people),
            "position": rng.choice(templates()["positions"]), "acting": None,
            "organization": None, "region": place.name, "region_code": place.code,
        }  # fmt: skip


def _people() -> list[str]:
    data = templates()
    return [f"{a} {b}" for a in data["first_names"] for b in data["last_names"]]
