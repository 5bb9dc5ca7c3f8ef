"""matching engine: occupations, dream job, explanation parts, pins and excludes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 22:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'matchpin',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('student_id', sa.Integer(), nullable=False),
        sa.Column('placement_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum('pin', 'exclude', name='pinkind', native_enum=False,
                                  create_constraint=True, length=15), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['student_id'], ['studentprofile.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('student_id', 'placement_id'),
    )
    with op.batch_alter_table('matchpin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matchpin_placement_id'), ['placement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matchpin_student_id'), ['student_id'], unique=False)

    with op.batch_alter_table('matchproposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('explanation_parts', sa.JSON(), nullable=False,
                                      server_default='{}'))

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('occupation_code', sqlmodel.sql.sqltypes.AutoString(length=40),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('occupation_label', sqlmodel.sql.sqltypes.AutoString(length=200),
                                      nullable=False, server_default=''))

    with op.batch_alter_table('studentprofile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dream_job', sqlmodel.sql.sqltypes.AutoString(length=200),
                                      nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('studentprofile', schema=None) as batch_op:
        batch_op.drop_column('dream_job')
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_column('occupation_label')
        batch_op.drop_column('occupation_code')
    with op.batch_alter_table('matchproposal', schema=None) as batch_op:
        batch_op.drop_column('explanation_parts')
    with op.batch_alter_table('matchpin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matchpin_student_id'))
        batch_op.drop_index(batch_op.f('ix_matchpin_placement_id'))
    op.drop_table('matchpin')
