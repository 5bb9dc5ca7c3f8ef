"""students choose: a proposal's origin, the student's answer date and reminder, the region's
student answer days

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('matchproposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'origin', sa.Enum('engine', 'student', name='proposalorigin', native_enum=False,
                              create_constraint=True, length=15),
            server_default='engine', nullable=False))
        batch_op.add_column(sa.Column('student_deadline', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('student_reminded_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
    with op.batch_alter_table('region', schema=None) as batch_op:
        batch_op.add_column(sa.Column('student_answer_days', sa.Integer(), server_default='10',
                                      nullable=False))


def downgrade() -> None:
    # A plain ALTER TABLE (SQLite 3.35+ has DROP COLUMN): a batch copy of region would drop
    # the table that schools and companies point to, which SQLite refuses with foreign keys on.
    op.drop_column('region', 'student_answer_days')
    with op.batch_alter_table('matchproposal', schema=None) as batch_op:
        # The enum's CHECK constraint is named after it; SQLite's copy of the table would
        # keep it without its column.
        batch_op.drop_constraint('proposalorigin', type_='check')
        batch_op.drop_column('student_reminded_at')
        batch_op.drop_column('student_deadline')
        batch_op.drop_column('origin')
