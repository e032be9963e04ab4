"""data revisions per country (every write, published, tallied), which only that country's reporting and
workflow move

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


COLUMNS = ("revision", "published", "tallied")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("country", sa.Column(name, sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    for name in COLUMNS:
        op.drop_column("country", name)
