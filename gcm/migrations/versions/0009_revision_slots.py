"""the data revision spread over slots, so concurrent writers do not queue on one row

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 04:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SLOTS = 64  # gcm.models.REVISION_SLOTS when this migration was written


def upgrade() -> None:
    table = sa.table("data_revision", sa.column("id"), sa.column("revision"), sa.column("published"))
    present = {row[0] for row in op.get_bind().execute(sa.select(table.c.id))}
    missing = [{"id": slot, "revision": 0, "published": 0} for slot in range(1, SLOTS + 1) if slot not in present]
    if missing:
        op.bulk_insert(table, missing)


def downgrade() -> None:
    bind = op.get_bind()
    totals = bind.execute(
        sa.text("SELECT coalesce(sum(revision), 0), coalesce(sum(published), 0) FROM data_revision")
    ).one()
    bind.execute(sa.text("DELETE FROM data_revision WHERE id != 1"))
    bind.execute(
        sa.text("UPDATE data_revision SET revision = :r, published = :p WHERE id = 1"), {"r": totals[0], "p": totals[1]}
    )
