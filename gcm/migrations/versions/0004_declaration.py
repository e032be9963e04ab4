"""declaration

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 03:20:25.256066
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('declaration',
    sa.Column('cycle_id', sa.String(length=64), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('adopted_version', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], ),
    sa.PrimaryKeyConstraint('cycle_id')
    )
    op.create_table('declaration_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['declaration.cycle_id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cycle_id', 'version')
    )
    with op.batch_alter_table('declaration_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_version_cycle_id'), ['cycle_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('declaration_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declaration_version_cycle_id'))

    op.drop_table('declaration_version')
    op.drop_table('declaration')
