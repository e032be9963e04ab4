"""a data revision per country, which only that country's reporting and workflow move

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
    op.add_column("country", sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("country", "revision")
