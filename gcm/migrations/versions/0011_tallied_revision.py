"""a third data revision, moved by every change except a save of a report's narrative text alone

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 18:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("data_revision", sa.Column("tallied", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE data_revision SET tallied = revision")


def downgrade() -> None:
    with op.batch_alter_table("data_revision") as batch:
        batch.drop_column("tallied")
