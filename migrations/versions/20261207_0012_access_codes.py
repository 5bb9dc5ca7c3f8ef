"""access codes: invitations sent to accounts without a password, and the one-time codes of a
printed class sheet

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('accesscode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_accesscode_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_accesscode_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accesscode')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_accesscode_code_hash'))
    )
    with op.batch_alter_table('accesscode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accesscode_user_id'), ['user_id'], unique=False)

    op.create_table('accountinvitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], name=op.f('fk_accountinvitation_invited_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_accountinvitation_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accountinvitation'))
    )
    with op.batch_alter_table('accountinvitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accountinvitation_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('accountinvitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accountinvitation_user_id'))

    op.drop_table('accountinvitation')
    with op.batch_alter_table('accesscode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accesscode_user_id'))

    op.drop_table('accesscode')
