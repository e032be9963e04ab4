"""a short name for each cycle, for where room is tight (column headers, side-by-side choices)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 01:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cycle", sa.Column("short_en", sa.String(80), nullable=True))
    op.add_column("cycle", sa.Column("short_es", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cycle") as batch:
        batch.drop_column("short_es")
        batch.drop_column("short_en")
