"""a second data revision, moved by every change except a draft save

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 23:55:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("data_revision", sa.Column("published", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE data_revision SET published = revision")


def downgrade() -> None:
    with op.batch_alter_table("data_revision") as batch:
        batch.drop_column("published")
