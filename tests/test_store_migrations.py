"""Opening stores: migrations from empty, schema checks and the messages users see."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from spbe_extract import regions
from spbe_extract.model import ArticleInput
from spbe_extract.store import Store, StoreError
from spbe_extract.store.migrate import alembic_config, head_revisions, target_metadata
from tests.store_facts import filled_store
from tests.store_samples import article

TABLES = {
    "articles",
    "extraction_runs",
    "article_extractions",
    "index_facts",
    "officials",
    "regions",
    "alembic_version",
}


def test_empty_database_is_migrated_to_head(store_url: str) -> None:
    with Store(store_url) as store:
        assert store.counts() == {"articles": 0, "runs": 0, "facts": 0, "officials": 0}
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= TABLES
        assert set(MigrationContext.configure(conn).get_current_heads()) == head_revisions()
        # the migration creates exactly what the ORM classes describe
        assert compare_metadata(MigrationContext.configure(conn), target_metadata()) == []
        n_regions = conn.scalar(text("select count(*) from regions"))
        kaltim = conn.execute(text("select name, level from regions where code = '64'")).one()
    engine.dispose()
    assert n_regions == len({r.name for r in regions.all_regions()})
    assert tuple(kaltim) == ("Provinsi Kalimantan Timur", "provinsi")


def test_reopening_keeps_data(store_url: str) -> None:
    with Store(store_url) as store:
        store.add_articles([ArticleInput(text=article(0))])
    with Store(store_url) as store:
        assert store.counts()["articles"] == 1


def _alembic(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    """Run ``command.upgrade`` or ``command.downgrade`` to ``revision`` in one transaction."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        step(cfg, revision)


def test_alembic_upgrade_and_downgrade_from_empty(store_url: str) -> None:
    engine = create_engine(store_url)
    _alembic(engine, command.upgrade, "head")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= TABLES
    _alembic(engine, command.downgrade, "base")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_newer_schema_asks_to_upgrade_the_code(store_url: str) -> None:
    Store(store_url).close()
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(StoreError) as info:
        Store(store_url)
    message = str(info.value)
    assert "9999_future" in message and "newer than this spbe-extract" in message
    assert "upgrade spbe-extract" in message and "\n" not in message


def test_foreign_database_is_refused(store_url: str) -> None:
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("create table articles (id integer primary key, body text)"))
    engine.dispose()
    with pytest.raises(StoreError, match="not created by spbe-extract"):
        Store(store_url)


def test_sqlite_path_problems(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"directory .*nowhere does not exist"):
        Store(f"sqlite:///{tmp_path / 'nowhere' / 'spbe.db'}")
    with pytest.raises(StoreError, match="is a directory, not a database file"):
        Store(f"sqlite:///{tmp_path}")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all, just some bytes " * 100)
    with pytest.raises(StoreError, match="is not an SQLite database file"):
        Store(str(junk))  # a plain path is taken as an SQLite file


def test_locked_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "spbe.db"
    Store(path).close()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as info:
            store = Store(path, timeout=0.2)
            store.add_articles([ArticleInput(text=article(0))])
        assert "is locked by another process" in str(info.value)
    finally:
        holder.rollback()
        holder.close()
    with Store(path) as store:  # usable again once the lock is gone
        assert store.add_articles([ArticleInput(text=article(0))]).added == 1


def test_unreachable_postgres_server() -> None:
    with pytest.raises(StoreError) as info:
        Store("postgresql+psycopg://spbe:geheim@127.0.0.1:9/spbe")
    message = str(info.value)
    assert message.startswith("cannot connect to postgresql+psycopg://spbe:***@127.0.0.1:9/spbe")
    assert "geheim" not in message and "\n" not in message


# Copy Hendra Wijaya's mention under another name, in plain SQL.
_COLUMNS = (
    "position, acting, organization, region, region_code, extraction_id, article_id, run_id, "
    "extractor_version, confidence, evidence_sentence, evidence_start, evidence_end"
)
COPIED = f"name, {_COLUMNS}"
OTHERS = f"{_COLUMNS} from officials where name = 'Hendra Wijaya'"


def _index_names(conn, table: str) -> set[str]:
    return {ix["name"] for ix in inspect(conn).get_indexes(table)}


def test_0004_upgrades_a_populated_store_and_downgrades(store_url: str) -> None:
    store, _run, _ids = filled_store(store_url)
    hendra = store.facts(official="hendra")
    store.close()
    engine = create_engine(store_url)
    _alembic(engine, command.downgrade, "0003_fact_query_indexes")
    with engine.begin() as conn:
        assert "official_names" not in inspect(conn).get_table_names()
        assert {"ix_index_facts_code_year", "ix_index_facts_region_year_kind"} <= _index_names(
            conn, "index_facts"
        )
        assert {"ix_officials_name", "ix_officials_extraction_id"} <= _index_names(
            conn, "officials"
        )
        # a mention written under the old schema (no trigger may be left behind to fail it)
        conn.execute(text(f"insert into officials ({COPIED}) select 'Rudi Hartono', {OTHERS}"))
    engine.dispose()
    with Store(store_url) as store:  # upgrades to head: the names written before are found
        assert [o.name for o in store.officials(name="HARTONO")] == ["Rudi Hartono"]
        assert store.facts(official="rudi") == hendra != []
        assert store.facts(official="rudi", limit=1) == hendra[:1]
        assert [o.name for o in store.officials(name="sofyan")] == ["Sofyan Rahim"]
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), target_metadata()) == []
        names = conn.scalars(text("select name from official_names order by name")).all()
    engine.dispose()
    assert names == ["Hendra Wijaya", "Rudi Hartono", "Sofyan Rahim"]
