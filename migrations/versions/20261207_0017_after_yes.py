"""after yes: a message thread per proposal, and a telephone number for staff and company
contacts

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('contactphone',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_contactphone_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_contactphone'))
    )
    op.create_table('proposalmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_proposalmessage_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['matchproposal.id'], name=op.f('fk_proposalmessage_proposal_id_matchproposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposalmessage'))
    )
    with op.batch_alter_table('proposalmessage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposalmessage_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposalmessage_proposal_id'), ['proposal_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('proposalmessage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposalmessage_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_proposalmessage_created_at'))

    op.drop_table('proposalmessage')
    op.drop_table('contactphone')
