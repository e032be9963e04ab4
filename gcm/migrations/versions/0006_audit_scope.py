"""audit events carry the country report they concern; a returned report names the objectives to revisit

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country_iso3", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("cycle_id", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_audit_scope", ["country_iso3", "cycle_id", "at"], unique=False)
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flagged", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("flagged")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_scope")
        batch_op.drop_column("cycle_id")
        batch_op.drop_column("country_iso3")
