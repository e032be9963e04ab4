"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 01:57:03.994700
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('country',
    sa.Column('iso3', sa.String(length=3), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_es', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('iso3')
    )
    op.create_table('country_group',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_es', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('data_revision',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('grouping',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_es', sa.String(length=300), nullable=False),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('objective',
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('title_en', sa.Text(), nullable=False),
    sa.Column('title_es', sa.Text(), nullable=False),
    sa.Column('short_en', sa.String(length=200), nullable=False),
    sa.Column('short_es', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('number')
    )
    op.create_table('country_membership',
    sa.Column('group_key', sa.String(length=32), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['country_iso3'], ['country.iso3'], ),
    sa.ForeignKeyConstraint(['group_key'], ['country_group.key'], ),
    sa.PrimaryKeyConstraint('group_key', 'country_iso3')
    )
    op.create_table('cycle',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_es', sa.String(length=300), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=False),
    sa.Column('grouping_id', sa.String(length=64), nullable=False),
    sa.Column('grouping_confirmed', sa.Boolean(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['grouping_id'], ['grouping.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('grouping_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grouping_id', sa.String(length=64), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title_en', sa.Text(), nullable=False),
    sa.Column('title_es', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['grouping_id'], ['grouping.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('grouping_id', 'number')
    )
    op.create_table('objective_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_iso3', sa.String(length=3), nullable=False),
    sa.Column('cycle_id', sa.String(length=64), nullable=False),
    sa.Column('objective', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('progress', sa.Text(), nullable=False),
    sa.Column('challenges', sa.Text(), nullable=False),
    sa.Column('priorities', sa.Text(), nullable=False),
    sa.Column('good_practice', sa.Text(), nullable=False),
    sa.Column('national_priority', sa.Boolean(), nullable=False),
    sa.Column('evidence_links', sa.JSON(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['country_iso3'], ['country.iso3'], ),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
    sa.ForeignKeyConstraint(['objective'], ['objective.number'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('country_iso3', 'cycle_id', 'objective', name='uq_report_country_cycle_objective')
    )
    with op.batch_alter_table('objective_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_report_is_demo'), ['is_demo'], unique=False)
        batch_op.create_index('ix_report_cycle_cover', ['cycle_id', 'objective', 'country_iso3', 'status', 'national_priority'], unique=False)

    op.create_table('section_objective',
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('objective', sa.Integer(), nullable=False),
    sa.Column('grouping_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['grouping_id'], ['grouping.id'], ),
    sa.ForeignKeyConstraint(['objective'], ['objective.number'], ),
    sa.ForeignKeyConstraint(['section_id'], ['grouping_section.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('section_id', 'objective'),
    sa.UniqueConstraint('grouping_id', 'objective')
    )
    op.create_table('report_tag',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['objective_report.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'kind', 'key')
    )
    with op.batch_alter_table('report_tag', schema=None) as batch_op:
        batch_op.create_index('ix_report_tag_kind_key', ['kind', 'key'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('report_tag', schema=None) as batch_op:
        batch_op.drop_index('ix_report_tag_kind_key')

    op.drop_table('report_tag')
    op.drop_table('section_objective')
    with op.batch_alter_table('objective_report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_cycle_cover')
        batch_op.drop_index(batch_op.f('ix_objective_report_is_demo'))

    op.drop_table('objective_report')
    op.drop_table('grouping_section')
    op.drop_table('cycle')
    op.drop_table('country_membership')
    op.drop_table('objective')
    op.drop_table('grouping')
    op.drop_table('data_revision')
    op.drop_table('country_group')
    op.drop_table('country')
