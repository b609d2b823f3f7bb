"""Bring a database to the newest schema with the Alembic revisions shipped in the package."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect
from sqlalchemy.engine import Connection, Engine

HERE = Path(__file__).resolve().parent
ALEMBIC_INI = HERE / "alembic.ini"


def target_metadata() -> MetaData:
    """The ORM metadata of every table module of the store (``store/*schema.py``)."""
    from spbe_extract.store.schema import Base

    for module in pkgutil.iter_modules([str(HERE)]):
        if module.name.endswith("schema"):
            importlib.import_module(f"spbe_extract.store.{module.name}")
    return Base.metadata


def alembic_config() -> Config:
    """The packaged Alembic configuration (script location inside the installed package)."""
    cfg = Config(str(ALEMBIC_INI))
    cfg.set_main_option("script_location", str(HERE / "migrations"))
    return cfg


def head_revisions() -> set[str]:
    """Newest revision(s) this code knows."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(conn: Connection) -> set[str]:
    """Revision(s) recorded in the database; empty for a database never migrated."""
    return set(MigrationContext.configure(conn).get_current_heads())


def check(conn: Connection) -> bool:
    """Raise StoreError when this code cannot use the database; True when it needs upgrading."""
    from spbe_extract.store import StoreError

    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    current = current_revisions(conn)
    unknown = current - known
    if unknown:
        raise StoreError(
            f"the database schema (revision {', '.join(sorted(unknown))}) is newer than this "
            f"spbe-extract knows (up to {', '.join(sorted(script.get_heads()))}); "
            "upgrade spbe-extract (pip install -U spbe-extract) to use it"
        )
    if not current and "articles" in inspect(conn).get_table_names():
        raise StoreError(
            "the database has an 'articles' table but no schema version: "
            "it was not created by spbe-extract"
        )
    return current != set(script.get_heads())


def upgrade(engine: Engine) -> None:
    """Run ``alembic upgrade head`` over ``engine`` when the schema is behind."""
    with engine.connect() as conn:
        needed = check(conn)
    if not needed:
        return
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
