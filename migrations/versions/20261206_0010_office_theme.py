"""office theme: Kantoor en administratie (office and administration), not technical

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 18:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SLUG = 'kantoor-administratie'
# As matching/data/themes.csv has it on this day: a migration does not follow later edits.
OFFICE = {
    'slug': SLUG,
    'label_nl': 'Kantoor en administratie',
    'label_en': 'Office and administration',
    'synonyms': ['administratie', 'kantoor', 'secretariaat', 'boekhouding', 'receptie', 'office',
                 'administration', 'administratief medewerker', 'secretaresse', 'secretaris',
                 'receptionist', 'boekhouder', 'kantoorwerk', 'bookkeeping'],
    'esco_codes': ['4110.1', '3343.1', '4120.1', '3313.2', '4226.1', '3341.7'],
    'technical': False,
}
theme = sa.table('theme', sa.column('id', sa.Integer()), sa.column('slug', sa.String()),
                 sa.column('label_nl', sa.String()), sa.column('label_en', sa.String()),
                 sa.column('synonyms', sa.JSON()), sa.column('esco_codes', sa.JSON()),
                 sa.column('technical', sa.Boolean()))
# Every table whose rows name a theme (each cascades when its theme is deleted).
LINKS = ('studenttheme', 'placementtheme', 'activitytheme', 'observationtheme')


def _count(select) -> int:
    return op.get_bind().execute(select).scalar_one()


def upgrade() -> None:
    # Only a database whose theme table holds the taxonomy gets it: an empty one (a new
    # installation) is filled from themes.csv when it is seeded, this theme included.
    if not _count(sa.select(sa.func.count()).select_from(theme)):
        return
    if _count(sa.select(sa.func.count()).where(theme.c.slug == SLUG)):
        return
    op.bulk_insert(theme, [OFFICE])


def downgrade() -> None:
    # A theme that students, placements, activities or observations name stays: removing it
    # would remove what they said along with it.
    found = op.get_bind().execute(sa.select(theme.c.id).where(theme.c.slug == SLUG)).first()
    if found is None:
        return
    for name in LINKS:
        link = sa.table(name, sa.column('theme_id', sa.Integer()))
        if _count(sa.select(sa.func.count()).select_from(link)
                  .where(link.c.theme_id == found.id)):
            return
    op.execute(theme.delete().where(theme.c.id == found.id))
