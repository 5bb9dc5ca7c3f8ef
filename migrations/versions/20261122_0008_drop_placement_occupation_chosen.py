"""placement.occupation_chosen dropped: a non-empty occupation_chosen_for says the same

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 11:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # 0007 was for a while shipped without the flag column, so a database at 0007 may lack it.
    columns = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('placement')}
    if 'occupation_chosen' not in columns:
        return
    # The two were always written together, but a chosen flag without its title must not
    # be lost: such a row keeps its choice with the title it has now.
    op.execute("UPDATE placement SET occupation_chosen_for = title "
               "WHERE occupation_chosen AND occupation_chosen_for = ''")
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_column('occupation_chosen')


def downgrade() -> None:
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('occupation_chosen', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.execute("UPDATE placement SET occupation_chosen = (occupation_chosen_for <> '')")
