"""email notifications: the opt-out defaults to on in the database too

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 23:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The column exists since 0001; accounts inserted outside the ORM (imports, SQL by hand)
    # should get e-mail like everyone else instead of failing on NOT NULL.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('email_notifications', existing_type=sa.Boolean(),
                              existing_nullable=False, server_default=sa.true())


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('email_notifications', existing_type=sa.Boolean(),
                              existing_nullable=False, server_default=None)
