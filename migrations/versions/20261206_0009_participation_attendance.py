"""participation attendance: registered, then attended or absent, with who set it and when

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 12:00:00
"""
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attendance', sa.Enum('registered', 'attended', 'absent', name='attendance', native_enum=False, create_constraint=True, length=18), nullable=False, server_default='registered'))
        batch_op.add_column(sa.Column('attendance_set_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attendance_set_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_participation_attendance_set_by_id_user'), 'user', ['attendance_set_by_id'], ['id'], ondelete='SET NULL')

    # Until now a registration counted as having taken part. What began by today most likely
    # happened as registered, so it stays evidence; what lies ahead is only registered. Who
    # set it and when stay empty: nobody marked it. Today is the Dutch day, as in the app.
    participation = sa.table('participation', sa.column('activity_id', sa.Integer()),
                             sa.column('attendance', sa.String()))
    activity = sa.table('activity', sa.column('id', sa.Integer()),
                        sa.column('starts_on', sa.Date()))
    begun = sa.select(activity.c.id).where(activity.c.starts_on <= datetime.now(ZoneInfo('Europe/Amsterdam')).date())
    op.execute(participation.update().where(participation.c.activity_id.in_(begun))
               .values(attendance='attended'))


def downgrade() -> None:
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_participation_attendance_set_by_id_user'), type_='foreignkey')
        # The enum's CHECK constraint is named after it; SQLite's copy of the table would
        # keep it without its column.
        batch_op.drop_constraint('attendance', type_='check')
        batch_op.drop_column('attendance_set_at')
        batch_op.drop_column('attendance_set_by_id')
        batch_op.drop_column('attendance')
