"""Initial schema: articles, extraction runs, per-article extractions, facts, officials, regions.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("author", sa.String(length=300), nullable=True),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash"),
        sa.UniqueConstraint("key"),
        sa.UniqueConstraint("url"),
    )
    op.create_index("ix_articles_ingested_at", "articles", ["ingested_at"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_source", "articles", ["source"])

    op.create_table(
        "extraction_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("extractor_version", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("articles_done", sa.Integer(), nullable=False),
        sa.Column("articles_failed", sa.Integer(), nullable=False),
        sa.Column("facts_count", sa.Integer(), nullable=False),
        sa.Column("officials_count", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_extraction_runs_extractor_version", "extraction_runs", ["extractor_version"]
    )
    op.create_index("ix_extraction_runs_status", "extraction_runs", ["status"])

    op.create_table(
        "regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("bare", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("parent_code", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("name"),
    )
    op.create_index("ix_regions_bare", "regions", ["bare"])
    op.create_index("ix_regions_level", "regions", ["level"])
    op.create_index("ix_regions_parent_code", "regions", ["parent_code"])

    op.create_table(
        "article_extractions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("extractor_version", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("extracted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["extraction_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "article_id", "extractor_version", name="uq_extraction_article_version"
        ),
    )
    op.create_index(
        "ix_article_extractions_extractor_version", "article_extractions", ["extractor_version"]
    )
    op.create_index("ix_article_extractions_run_id", "article_extractions", ["run_id"])
    op.create_index("ix_article_extractions_status", "article_extractions", ["status"])
    op.create_index("ix_extraction_current", "article_extractions", ["article_id", "current"])

    op.create_table(
        "index_facts",
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("relation", sa.String(length=2), nullable=False),
        sa.Column("predicate", sa.String(length=32), nullable=True),
        sa.Column("year_inferred", sa.Boolean(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("extraction_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("extractor_version", sa.String(length=100), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence_sentence", sa.Text(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["extraction_id"], ["article_extractions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["extraction_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_index_facts_article_id", "index_facts", ["article_id"])
    op.create_index("ix_index_facts_code_year", "index_facts", ["region_code", "year"])
    op.create_index("ix_index_facts_extraction_id", "index_facts", ["extraction_id"])
    op.create_index("ix_index_facts_kind", "index_facts", ["kind"])
    op.create_index("ix_index_facts_region", "index_facts", ["region"])
    op.create_index("ix_index_facts_run_id", "index_facts", ["run_id"])
    op.create_index("ix_index_facts_year", "index_facts", ["year"])

    op.create_table(
        "officials",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("position", sa.String(length=100), nullable=False),
        sa.Column("acting", sa.String(length=8), nullable=True),
        sa.Column("organization", sa.Text(), nullable=True),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("extraction_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("extractor_version", sa.String(length=100), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence_sentence", sa.Text(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["extraction_id"], ["article_extractions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["run_id"], ["extraction_runs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_officials_article_id", "officials", ["article_id"])
    op.create_index("ix_officials_extraction_id", "officials", ["extraction_id"])
    op.create_index("ix_officials_name", "officials", ["name"])
    op.create_index("ix_officials_position", "officials", ["position"])
    op.create_index("ix_officials_region", "officials", ["region"])
    op.create_index("ix_officials_region_code", "officials", ["region_code"])
    op.create_index("ix_officials_run_id", "officials", ["run_id"])


def downgrade() -> None:
    op.drop_table("officials")
    op.drop_table("index_facts")
    op.drop_table("article_extractions")
    op.drop_table("regions")
    op.drop_table("extraction_runs")
    op.drop_table("articles")
