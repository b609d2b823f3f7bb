"""Reconciliation layer: official results, reconciled facts and values, target statements.

Revision ID: 0002_reconcile
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_reconcile"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = (
    "reconcile_state",
    "reconciled_values",
    "target_statements",
    "reconciled_facts",
    "official_results",
)


def upgrade() -> None:
    op.create_table(
        "reconcile_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=200), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "official_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("predicate", sa.String(length=32), nullable=True),
        sa.Column("source_file", sa.Text(), nullable=True),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("region", "year", name="uq_official_region_year"),
    )
    op.create_index(
        op.f("ix_official_results_region"), "official_results", ["region"], unique=False
    )
    op.create_index(
        op.f("ix_official_results_region_code"), "official_results", ["region_code"], unique=False
    )
    op.create_index(op.f("ix_official_results_year"), "official_results", ["year"], unique=False)
    op.create_table(
        "reconciled_facts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("relation", sa.String(length=2), nullable=False),
        sa.Column("predicate", sa.String(length=32), nullable=True),
        sa.Column("n_articles", sa.Integer(), nullable=False),
        sa.Column("n_sources", sa.Integer(), nullable=False),
        sa.Column("n_values", sa.Integer(), nullable=False),
        sa.Column("n_year_inferred", sa.Integer(), nullable=False),
        sa.Column("first_reported", sa.Date(), nullable=True),
        sa.Column("last_reported", sa.Date(), nullable=True),
        sa.Column("conflict", sa.Boolean(), nullable=False),
        sa.Column("competing_values", sa.Text(), nullable=True),
        sa.Column("official_value", sa.Float(), nullable=True),
        sa.Column("official_predicate", sa.String(length=32), nullable=True),
        sa.Column("official_mismatch", sa.Boolean(), nullable=True),
        sa.Column("outcome", sa.String(length=8), nullable=True),
        sa.Column("outcome_score", sa.Float(), nullable=True),
        sa.Column("outcome_basis", sa.String(length=8), nullable=True),
        sa.Column("refreshed_at", sa.DateTime(), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("province", sa.String(length=200), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("evidence_fact_id", sa.Integer(), nullable=False),
        sa.Column("evidence_article_id", sa.Integer(), nullable=False),
        sa.Column("article_url", sa.String(length=2000), nullable=True),
        sa.Column("evidence_sentence", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_reconciled_facts_conflict"), "reconciled_facts", ["conflict"], unique=False
    )
    op.create_index(op.f("ix_reconciled_facts_kind"), "reconciled_facts", ["kind"], unique=False)
    op.create_index(op.f("ix_reconciled_facts_level"), "reconciled_facts", ["level"], unique=False)
    op.create_index(
        op.f("ix_reconciled_facts_official_mismatch"),
        "reconciled_facts",
        ["official_mismatch"],
        unique=False,
    )
    op.create_index(
        op.f("ix_reconciled_facts_province"), "reconciled_facts", ["province"], unique=False
    )
    op.create_index(
        op.f("ix_reconciled_facts_region"), "reconciled_facts", ["region"], unique=False
    )
    op.create_index(
        op.f("ix_reconciled_facts_region_code"), "reconciled_facts", ["region_code"], unique=False
    )
    op.create_index(op.f("ix_reconciled_facts_year"), "reconciled_facts", ["year"], unique=False)
    op.create_index(
        "ix_reconciled_key", "reconciled_facts", ["region", "year", "kind"], unique=True
    )
    op.create_table(
        "target_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("relation", sa.String(length=2), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("official_id", sa.Integer(), nullable=True),
        sa.Column("official_name", sa.String(length=300), nullable=True),
        sa.Column("official_position", sa.String(length=100), nullable=True),
        sa.Column("official_sentence", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("outcome_score", sa.Float(), nullable=True),
        sa.Column("outcome_basis", sa.String(length=8), nullable=True),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("province", sa.String(length=200), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("evidence_fact_id", sa.Integer(), nullable=False),
        sa.Column("evidence_article_id", sa.Integer(), nullable=False),
        sa.Column("article_url", sa.String(length=2000), nullable=True),
        sa.Column("evidence_sentence", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_target_statements_level"), "target_statements", ["level"], unique=False
    )
    op.create_index(
        op.f("ix_target_statements_official_name"),
        "target_statements",
        ["official_name"],
        unique=False,
    )
    op.create_index(
        op.f("ix_target_statements_outcome"), "target_statements", ["outcome"], unique=False
    )
    op.create_index(
        op.f("ix_target_statements_province"), "target_statements", ["province"], unique=False
    )
    op.create_index(
        op.f("ix_target_statements_region"), "target_statements", ["region"], unique=False
    )
    op.create_index(
        op.f("ix_target_statements_region_code"), "target_statements", ["region_code"], unique=False
    )
    op.create_index(op.f("ix_target_statements_year"), "target_statements", ["year"], unique=False)
    op.create_table(
        "reconciled_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reconciled_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("consensus", sa.Boolean(), nullable=False),
        sa.Column("n_articles", sa.Integer(), nullable=False),
        sa.Column("n_sources", sa.Integer(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("first_reported", sa.Date(), nullable=True),
        sa.Column("last_reported", sa.Date(), nullable=True),
        sa.Column("official_value", sa.Float(), nullable=True),
        sa.Column("official_mismatch", sa.Boolean(), nullable=True),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=True),
        sa.Column("province", sa.String(length=200), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("evidence_fact_id", sa.Integer(), nullable=False),
        sa.Column("evidence_article_id", sa.Integer(), nullable=False),
        sa.Column("article_url", sa.String(length=2000), nullable=True),
        sa.Column("evidence_sentence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["reconciled_id"], ["reconciled_facts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_reconciled_values_kind"), "reconciled_values", ["kind"], unique=False)
    op.create_index(
        op.f("ix_reconciled_values_level"), "reconciled_values", ["level"], unique=False
    )
    op.create_index(
        op.f("ix_reconciled_values_official_mismatch"),
        "reconciled_values",
        ["official_mismatch"],
        unique=False,
    )
    op.create_index(
        op.f("ix_reconciled_values_province"), "reconciled_values", ["province"], unique=False
    )
    op.create_index(
        op.f("ix_reconciled_values_reconciled_id"),
        "reconciled_values",
        ["reconciled_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_reconciled_values_region"), "reconciled_values", ["region"], unique=False
    )
    op.create_index(
        op.f("ix_reconciled_values_region_code"), "reconciled_values", ["region_code"], unique=False
    )
    op.create_index(op.f("ix_reconciled_values_year"), "reconciled_values", ["year"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
