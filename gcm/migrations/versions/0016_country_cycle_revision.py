"""a country's counters per cycle, so that the reads of one cycle stay cached through the saves of another

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 20:00:00

The counters are made again from zero, per country and cycle. Stop every app process before upgrading (README,
"Upgrading"): a process still running the code before this migration names no cycle in its upsert of a country's
counters, which then matches no key, so its saves and workflow steps fail. The cached reads of a process were keyed
on the old sums, which the new ones may meet again: `setup`, part of every such key, moves on here, so that no value
kept under the old counters is found again.
"""

from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def _table(*key: str) -> None:
    op.create_table(
        "country_revision",
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        *([sa.Column("cycle_id", sa.String(length=64), nullable=False)] if "cycle_id" in key else []),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("published", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("tallied", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint(*key),
    )


def _setup_moves() -> None:
    op.execute(
        "UPDATE data_revision SET revision = revision + 1, published = published + 1, tallied = tallied + 1,"
        " setup = setup + 1 WHERE id = (SELECT MIN(id) FROM data_revision)"
    )


def upgrade() -> None:
    op.drop_table("country_revision")
    _table("country_iso3", "cycle_id", "slot")
    op.create_index("ix_country_revision_cycle", "country_revision", ["cycle_id", "country_iso3"])
    _setup_moves()


def downgrade() -> None:
    op.drop_index("ix_country_revision_cycle", table_name="country_revision")
    op.drop_table("country_revision")
    _table("country_iso3", "slot")
    _setup_moves()
