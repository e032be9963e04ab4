"""the lengths of the quoted narratives, kept with each report and in the cycle's covering index

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 12:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

TEXTS = ("challenges", "priorities", "good_practice")
COVER = ["cycle_id", "objective", "country_iso3", "status", "national_priority"]


def upgrade() -> None:
    for name in TEXTS:
        op.add_column("objective_report", sa.Column(f"{name}_length", sa.Integer(), nullable=False, server_default="0"))
    # Only the new columns are set: the search index's triggers fire on the narratives' own updates.
    op.execute(f"UPDATE objective_report SET {', '.join(f'{name}_length = length({name})' for name in TEXTS)}")
    op.drop_index("ix_report_cycle_cover", table_name="objective_report")
    op.create_index("ix_report_cycle_cover", "objective_report", [*COVER, *(f"{name}_length" for name in TEXTS)])


def downgrade() -> None:
    op.drop_index("ix_report_cycle_cover", table_name="objective_report")
    op.create_index("ix_report_cycle_cover", "objective_report", COVER)
    # Not in batch mode: on SQLite that rebuilds the table, which drops the search index's triggers.
    for name in TEXTS:
        op.drop_column("objective_report", f"{name}_length")
