"""data revisions per country (every write, published, tallied) in slots, which only that country's
reporting and workflow move

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 02:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "country_revision",
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("published", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("tallied", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("country_iso3", "slot"),
    )


def downgrade() -> None:
    op.drop_table("country_revision")
