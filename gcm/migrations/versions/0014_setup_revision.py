"""a fourth data revision, `setup`, which no report's save nor workflow step moves

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 23:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("data_revision", sa.Column("setup", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("data_revision", "setup")
