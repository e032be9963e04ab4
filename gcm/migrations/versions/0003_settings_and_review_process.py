"""settings and review process

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 03:09:41.146245
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('review_event',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('name_es', sa.String(length=300), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('review_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('label_en', sa.String(length=300), nullable=False),
    sa.Column('label_es', sa.String(length=300), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('start', sa.Date(), nullable=True),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['review_event.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id', 'kind', 'key')
    )
    with op.batch_alter_table('review_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_figure_event_id'), ['event_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_figure_event_id'))

    op.drop_table('review_figure')
    op.drop_table('review_event')
    op.drop_table('app_setting')
