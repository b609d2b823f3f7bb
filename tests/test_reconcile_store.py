"""Reconciled tables in a real store (SQLite and PostgreSQL), and on articles run end to end."""

from __future__ import annotations

from datetime import date

import pytest

from spbe_extract.model import ArticleInput, Evidence, Extraction, IndexFact, Official
from spbe_extract.reconcile import ensure_reconciled, refresh_reconciled
from spbe_extract.store import Store
from spbe_extract.store import reconcile_queries as q
from tests.facts_store import built_store

GORONTALO = ("Kota Gorontalo", "75.71")


def _extraction(value: float, target: float | None = None) -> Extraction:
    text = f"Indeks SPBE Kota Gorontalo tahun 2023 sebesar {value}."
    facts = [IndexFact(*GORONTALO, 2023, "score", value, Evidence(text, 0, len(text)))]
    officials = []
    if target is not None:
        said = f"Wali Kota Marten Taha menargetkan indeks 2024 mencapai {target}."
        facts.append(IndexFact(*GORONTALO, 2024, "target", target, Evidence(said, 60, 120)))
        officials.append(
            Official("Marten Taha", "Wali Kota", Evidence(said, 60, 120), region="Kota Gorontalo")
        )
    return Extraction(index_facts=facts, officials=officials)


def _store_with(url: str, values: list[float]) -> tuple[Store, list[int]]:
    store = Store(url)
    added = store.add_articles(
        ArticleInput(
            text=f"artikel {i}",
            url=f"https://media{i}.example.id/{i}",
            source=f"media{i}",
            published=date(2024, 1, 10 + i),
        )
        for i in range(len(values))
    )
    run = store.start_run("v1")
    for article_id, value in zip(added.added_ids, values, strict=True):
        store.record_extraction(run, article_id, "v1", _extraction(value, target=3.3))
    store.finish_run(run)
    return store, added.added_ids


def test_refresh_writes_consensus_conflict_and_targets(store_url: str):
    store, _ = _store_with(store_url, [3.22, 3.22, 3.12])
    try:
        report = refresh_reconciled(store)
        assert (report.reconciled, report.conflicts, report.targets) == (2, 1, 3)
        [score] = q.reconciled_rows(store, region="Kota Gorontalo", kind="score")
        assert (score["value"], score["n_articles"], score["n_sources"], score["n_values"]) == (
            3.22,
            3,
            3,
            2,
        )
        assert score["conflict"] is True
        assert score["first_reported"] == date(2024, 1, 10)
        assert score["last_reported"] == date(2024, 1, 12)
        assert score["competing_values"].startswith("3.22 (2 articles")
        [target] = q.reconciled_rows(store, kind="target")
        assert (target["year"], target["outcome"]) == (2024, "unknown")
        assert q.reconciled_rows(store, conflicts_only=True) == [score]
        assert q.reconciled_rows(store, level="kota", province="Gorontalo") != []
        assert q.reconciled_rows(store, level="provinsi") == []
    finally:
        store.close()


def test_only_the_current_extraction_of_each_article_counts(store_url: str):
    store, ids = _store_with(store_url, [3.22, 3.12])
    try:
        refresh_reconciled(store)
        assert q.reconciled_rows(store, kind="score")[0]["conflict"] is True
        run = store.start_run("v2")  # a newer extractor reads the second article as 3.22
        store.record_extraction(run, ids[1], "v2", _extraction(3.22))
        store.finish_run(run)
        assert ensure_reconciled(store) is not None  # the facts changed: refreshed
        [score] = q.reconciled_rows(store, kind="score")
        assert (score["value"], score["conflict"], score["n_articles"]) == (3.22, False, 2)
        assert len(store.facts(run=1)) == 4  # the older run's facts stay readable
        assert ensure_reconciled(store) is None  # nothing changed since
    finally:
        store.close()


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("reconcile") / "berita.db"
    path.write_bytes(built_store().read_bytes())
    store = Store(f"sqlite:///{path}")
    refresh_reconciled(store)
    yield store
    store.close()


def _row(store: Store, region: str, year: int, kind: str) -> dict:
    [row] = q.reconciled_rows(store, region=region, year=year, kind=kind)
    return row


def test_articles_run_end_to_end_reconcile_to_consensus_with_conflict(fixture_store: Store):
    row = _row(fixture_store, "Kota Gorontalo", 2023, "score")
    facts = fixture_store.facts(region="Kota Gorontalo", year=2023, kind="score")
    assert row["value"] == 3.22
    assert row["conflict"] is True
    assert row["n_articles"] == len({f.article_id for f in facts}) == 4
    assert row["n_sources"] == len({f.source for f in facts}) == 3
    assert row["first_reported"] == min(f.published for f in facts)
    assert row["last_reported"] == max(f.published for f in facts)
    evidence = [f for f in facts if f.article_url == row["article_url"]]
    assert evidence and evidence[0].value == 3.22
    assert "3.12" in row["competing_values"]


def test_targets_end_to_end_met_missed_and_not_yet_known(fixture_store: Store):
    assert _row(fixture_store, "Kota Gorontalo", 2023, "target")["outcome"] == "met"
    assert _row(fixture_store, "Kaltim", 2023, "target")["outcome"] == "missed"
    assert _row(fixture_store, "Kaltim", 2024, "target")["outcome"] == "unknown"


def test_targets_are_tied_to_the_official_who_stated_them(fixture_store: Store):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from spbe_extract.store.reconcile_schema import TargetStatement

    with Session(fixture_store.engine) as s:
        stated = {
            (t.region, t.year): (t.official_name, t.outcome)
            for t in s.scalars(select(TargetStatement))
        }
    assert stated == {
        ("Kota Gorontalo", 2023): ("Marten Taha", "met"),
        ("Kota Gorontalo", 2024): ("Marten Taha", "unknown"),
        ("Provinsi Kalimantan Timur", 2023): ("Sri Wahyuni", "missed"),
        ("Provinsi Kalimantan Timur", 2024): ("Isran Noor", "unknown"),
    }
