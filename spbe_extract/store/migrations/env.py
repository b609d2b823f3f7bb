"""Alembic environment of the store.

``Store`` passes its open connection in ``config.attributes["connection"]``; the
``alembic`` command line instead builds an engine from ``-x db=URL`` or the ini's
``sqlalchemy.url``. Logging is left alone so the CLI's output stays clean.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from spbe_extract.store.migrate import target_metadata as all_tables

config = context.config
target_metadata = all_tables()  # every store/*schema.py module, for autogenerate


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate over the caller's connection, or over a fresh engine from the command line."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option(
        "sqlalchemy.url"
    )
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported for the spbe store")
run_migrations_online()
