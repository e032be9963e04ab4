"""a covering index for reads that join the reports to a group's countries

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 04:10:00
"""

from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_report_country_cover",
        "objective_report",
        ["country_iso3", "cycle_id", "objective", "status", "national_priority"],
    )


def downgrade() -> None:
    op.drop_index("ix_report_country_cover", table_name="objective_report")
