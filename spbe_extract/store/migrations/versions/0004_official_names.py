"""Query speed at a million facts: distinct official names; region and official indexes.

- ``official_names``: every distinct ``officials.name``, kept by triggers on ``officials``
  (the write path stays untouched). ``--official Hidayat`` looks for the substring in these
  few thousand names instead of every mention, then finds the mentions by exact name
  through ``officials (name, extraction_id)``, which replaces ``(name)``. Names are never
  removed (a name whose mentions were pruned matches nothing); there is no unique
  constraint so that concurrent PostgreSQL writers never wait on each other's new names
  (a rare duplicate is harmless).
- ``index_facts (region_code, region, year, kind, extraction_id)`` replaces
  ``(region_code, year)``: a region filter reads its rows in `spbe query` order.
- The three `spbe query` order indexes of 0003 gain the same last column, ``extraction_id``:
  walking facts in order, "is this an extraction naming the official" is answered from the
  indexes, reading a fact's row only when it is shown. ``officials (extraction_id, name)``
  replaces ``(extraction_id)`` for the same question.

1M facts, first page: ``--official`` ~240 ms -> ~15 ms, ``--region Gorontalo`` ~85 -> ~15 ms.
Cost: with a trigger on it, every INSERT into ``officials`` gets a statement journal in
SQLite, ~40 us more per mention (the single writer of `spbe run` is still several times
faster than extraction). A later revision that recreates ``officials`` (SQLite batch mode)
must recreate the triggers.

Revision ID: 0004_official_names
Revises: 0003_fact_query_indexes
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_official_names"
down_revision = "0003_fact_query_indexes"
branch_labels = None
depends_on = None

ORDER = {  # `spbe query` order indexes (0003), now ending with extraction_id
    "region_year_kind": ["region", "year", "kind"],
    "year_region_kind": ["year", "region", "kind"],
    "kind_region_year": ["kind", "region", "year"],
}
NEW = {
    ("officials", "ix_officials_name_extraction"): ["name", "extraction_id"],
    ("officials", "ix_officials_extraction_name"): ["extraction_id", "name"],
    ("index_facts", "ix_index_facts_code_region_year_kind_extraction"): [
        "region_code",
        *ORDER["region_year_kind"],
        "extraction_id",
    ],
    **{
        ("index_facts", f"ix_index_facts_{name}_extraction"): [*columns, "extraction_id"]
        for name, columns in ORDER.items()
    },
}
OLD = {
    ("officials", "ix_officials_name"): ["name"],
    ("officials", "ix_officials_extraction_id"): ["extraction_id"],
    ("index_facts", "ix_index_facts_code_year"): ["region_code", "year"],
    **{("index_facts", f"ix_index_facts_{name}"): columns for name, columns in ORDER.items()},
}

# A new name is added when no row has it yet. SQLite: the check sits in the trigger's WHEN
# clause (an INSERT ... SELECT reading its own target table is run through a temporary copy
# for every mention). PostgreSQL: a plain insert, no unique index to wait on.
NEW_NAME = "NOT EXISTS (SELECT 1 FROM official_names WHERE name = {new}.name)"
ADD_NAME = "INSERT INTO official_names (name) VALUES ({new}.name)"
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER officials_name_{event} AFTER {clause} ON officials "
    f"WHEN {NEW_NAME.format(new='new')} BEGIN {ADD_NAME.format(new='new')}; END"
    for event, clause in (("insert", "INSERT"), ("update", "UPDATE OF name"))
]
POSTGRES_TRIGGERS = [
    "CREATE FUNCTION spbe_note_official_name() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN IF {NEW_NAME.format(new='NEW')} THEN {ADD_NAME.format(new='NEW')}; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER officials_name_insert AFTER INSERT OR UPDATE OF name ON officials "
    "FOR EACH ROW EXECUTE FUNCTION spbe_note_official_name()",
]
DROP_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS officials_name_insert",
        "DROP TRIGGER IF EXISTS officials_name_update",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS officials_name_insert ON officials",
        "DROP FUNCTION IF EXISTS spbe_note_official_name()",
    ],
}


def upgrade() -> None:
    op.create_table(
        "official_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_official_names_name", "official_names", ["name"])
    op.execute("INSERT INTO official_names (name) SELECT DISTINCT name FROM officials")
    for statement in _triggers():
        op.execute(statement)
    for (table, name), columns in NEW.items():
        op.create_index(name, table, columns)
    for table, name in OLD:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for (table, name), columns in OLD.items():
        op.create_index(name, table, columns)
    for table, name in NEW:
        op.drop_index(name, table_name=table)
    for statement in DROP_TRIGGERS[_dialect()]:
        op.execute(statement)
    op.drop_table("official_names")


def _dialect() -> str:
    name = op.get_bind().dialect.name
    if name not in DROP_TRIGGERS:
        raise RuntimeError(f"the spbe store supports SQLite and PostgreSQL, not {name}")
    return name


def _triggers() -> list[str]:
    return POSTGRES_TRIGGERS if _dialect() == "postgresql" else SQLITE_TRIGGERS
