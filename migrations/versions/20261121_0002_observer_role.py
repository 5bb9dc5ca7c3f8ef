"""observer role: scouts and company hosts who record observations at their activities

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 19:10:38
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ('student', 'counsellor', 'company', 'coordinator', 'admin')
NEW = (*OLD, 'observer')


def _role_type(values):
    return sa.Enum(*values, name='role', native_enum=False, create_constraint=True, length=19)


def _swap(old, new) -> None:
    # Autogenerate cannot see a new enum value: the CHECK constraint is replaced by hand.
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('user', recreate='always') as batch:
            batch.alter_column('role', existing_type=_role_type(old), type_=_role_type(new),
                               existing_nullable=False)
    else:
        op.drop_constraint('role', 'user', type_='check')
        listed = ", ".join(f"'{v}'" for v in new)
        op.create_check_constraint('role', 'user', f"role IN ({listed})")


def upgrade() -> None:
    _swap(OLD, NEW)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM \"user\" WHERE role = 'observer'"))
    _swap(NEW, OLD)
