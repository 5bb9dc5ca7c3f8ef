"""background jobs

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 04:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('background_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('round', 'region_round', 'import', name='jobkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('scope_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('scope_label', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'finished', 'failed', name='jobstatus', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('error', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=True),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('finished_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_background_job_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['background_job.id'], name=op.f('fk_background_job_parent_id_background_job'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['matchround.id'], name=op.f('fk_background_job_round_id_matchround'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_background_job'))
    )
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_background_job_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_background_job_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_background_job_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_background_job_scope_status', ['scope_key', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('background_job', schema=None) as batch_op:
        batch_op.drop_index('ix_background_job_scope_status')
        batch_op.drop_index(batch_op.f('ix_background_job_parent_id'))
        batch_op.drop_index(batch_op.f('ix_background_job_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_background_job_created_at'))

    op.drop_table('background_job')
