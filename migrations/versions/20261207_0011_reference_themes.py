"""reference themes and school levels: the theme taxonomy comes with the schema, not with the
demo data, and a school says which levels of students it teaches

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# matching/data/themes.csv as it is on this day, in its order: a migration does not follow
# later edits of the file (a later change to the taxonomy is a migration of its own).
THEMES = (
    {'slug': 'robotica', 'label_nl': 'Robotica',
     'label_en': 'Robotics',
     'synonyms': ['robotics', 'robots', 'robot', 'robotika', 'industriële robotica', 'cobots',
                  'robotkunde'],
     'esco_codes': ['2149.15', '3119.2.1', '3139.2'],
     'technical': True},
    {'slug': 'elektrotechniek', 'label_nl': 'Elektrotechniek',
     'label_en': 'Electrical engineering',
     'synonyms': ['elektro', 'electro', 'elektra', 'elektricien', 'elektronica', 'solderen',
                  'electrical engineering', 'e-techniek', 'elektrotechnicus'],
     'esco_codes': ['3113.1', '7411.1.1', '3114.1'],
     'technical': True},
    {'slug': 'installatietechniek', 'label_nl': 'Installatietechniek',
     'label_en': 'Building services engineering',
     'synonyms': ['installatie', 'installateur', 'loodgieter', 'cv-monteur', 'warmtepompen',
                  'klimaattechniek', 'building services', 'installeren', 'sanitair'],
     'esco_codes': ['7126.8', '7126.4', '3115.1.17'],
     'technical': True},
    {'slug': 'ict-programmeren', 'label_nl': 'ICT en programmeren',
     'label_en': 'ICT and programming',
     'synonyms': ['ict', 'it', 'programmeren', 'software', 'coderen', 'developer', 'apps',
                  'programming', 'informatica', 'computers'],
     'esco_codes': ['3512.4', '2511.15', '2512.9'],
     'technical': True},
    {'slug': 'bouw', 'label_nl': 'Bouwtechniek',
     'label_en': 'Construction',
     'synonyms': ['bouwkunde', 'bouwen', 'timmeren', 'timmerman', 'metselen', 'houtbewerking',
                  'construction', 'timmerwerk'],
     'esco_codes': ['7115.1', '7112.1', '2142.1.2'],
     'technical': True},
    {'slug': 'werktuigbouw-metaal', 'label_nl': 'Werktuigbouw en metaal',
     'label_en': 'Mechanical engineering and metalwork',
     'synonyms': ['werktuigbouwkunde', 'werktuigbouw', 'metaalbewerking', 'metaal', 'bankwerken',
                  'plaatwerk', 'mechanical engineering', 'wtb', 'metaaltechniek'],
     'esco_codes': ['2144.1', '7223.7', '7213.4'],
     'technical': True},
    {'slug': 'lassen', 'label_nl': 'Lassen',
     'label_en': 'Welding',
     'synonyms': ['lasser', 'welding', 'mig-mag', 'tig-lassen', 'laswerk'],
     'esco_codes': ['7212.3', '7212.3.3'],
     'technical': True},
    {'slug': 'mechatronica', 'label_nl': 'Mechatronica',
     'label_en': 'Mechatronics',
     'synonyms': ['mechatronics', 'mechatronicus', 'mechatronika', 'meka'],
     'esco_codes': ['3115.1.11', '8211.3'],
     'technical': True},
    {'slug': 'procestechniek', 'label_nl': 'Procestechniek',
     'label_en': 'Process engineering',
     'synonyms': ['process engineering', 'procesoperator', 'operator', 'chemie', 'proces'],
     'esco_codes': ['3119.14', '3133.1'],
     'technical': True},
    {'slug': 'maritiem', 'label_nl': 'Maritieme techniek',
     'label_en': 'Maritime engineering',
     'synonyms': ['maritiem', 'maritime', 'scheepsbouw', 'schepen', 'scheepvaart', 'marine',
                  'maritieme techniek'],
     'esco_codes': ['7214.2', '7233.9', '3151.3'],
     'technical': True},
    {'slug': 'motorvoertuigen', 'label_nl': 'Motorvoertuigentechniek',
     'label_en': 'Automotive engineering',
     'synonyms': ['automotive', 'autotechniek', 'automonteur', "auto's", 'brommers', 'sleutelen',
                  'motoren', 'auto', 'autos', 'autotechnicus', 'motorvoertuigentechniek'],
     'esco_codes': ['7231.10', '7412.2'],
     'technical': True},
    {'slug': 'luchtvaart', 'label_nl': 'Luchtvaarttechniek',
     'label_en': 'Aviation engineering',
     'synonyms': ['aviation', 'aerospace', 'vliegtuigen', 'vliegtuigonderhoud', 'luchtvaart',
                  'luchtvaarttechniek', 'vliegtuig'],
     'esco_codes': ['3153.1', '7232.5'],
     'technical': True},
    {'slug': 'duurzame-energie', 'label_nl': 'Duurzame energie',
     'label_en': 'Renewable energy',
     'synonyms': ['zonnepanelen', 'zonne-energie', 'windenergie', 'energietransitie',
                  'renewable energy', 'solar'],
     'esco_codes': ['7411.1.4', '2149.9.7', '2433.3'],
     'technical': True},
    {'slug': 'zorgtechnologie', 'label_nl': 'Zorgtechnologie',
     'label_en': 'Healthcare technology',
     'synonyms': ['medische techniek', 'healthtech', 'zorgtech', 'hulpmiddelen',
                  'medical technology'],
     'esco_codes': ['2149.5.1', '3114.1.5'],
     'technical': True},
    {'slug': 'domotica', 'label_nl': 'Domotica',
     'label_en': 'Home automation',
     'synonyms': ['smart home', 'slimme woning', 'home automation', 'domotika',
                  'huisautomatisering'],
     'esco_codes': ['7421.7', '2151.2'],
     'technical': True},
    {'slug': '3d-printen', 'label_nl': '3D-printen',
     'label_en': '3D printing',
     'synonyms': ['3d printing', '3d printer', '3d-printing', 'additive manufacturing',
                  '3d ontwerpen'],
     'esco_codes': ['3118.1'],
     'technical': True},
    {'slug': 'cnc', 'label_nl': 'CNC-techniek',
     'label_en': 'CNC machining',
     'synonyms': ['cnc frezen', 'cnc draaien', 'cnc programmeren', 'verspanen', 'draaien',
                  'frezen'],
     'esco_codes': ['7223.4', '2514.4'],
     'technical': True},
    {'slug': 'plc-automatisering', 'label_nl': 'PLC en automatisering',
     'label_en': 'PLC and automation',
     'synonyms': ['plc', 'automatisering', 'besturingstechniek', 'industriële automatisering',
                  'automation'],
     'esco_codes': ['3119.2', '2141.4.2.1'],
     'technical': True},
    {'slug': 'media-vormgeving', 'label_nl': 'Media en vormgeving',
     'label_en': 'Media and design',
     'synonyms': ['vormgeving', 'grafisch ontwerp', 'media', 'design', 'webdesign', 'animatie',
                  'fotografie'],
     'esco_codes': ['2166.9', '2166.15', '3431.1'],
     'technical': True},
    {'slug': 'zorg', 'label_nl': 'Zorg en welzijn',
     'label_en': 'Care and welfare',
     'synonyms': ['verpleging', 'welzijn', 'verzorging', 'healthcare'],
     'esco_codes': ['2221.2', '5321.1.1'],
     'technical': False},
    {'slug': 'handel', 'label_nl': 'Handel en verkoop',
     'label_en': 'Retail and sales',
     'synonyms': ['winkel', 'verkoop', 'retail', 'commercie', 'sales'],
     'esco_codes': ['5223.4', '5223.6'],
     'technical': False},
    {'slug': 'horeca', 'label_nl': 'Horeca',
     'label_en': 'Hospitality',
     'synonyms': ['koken', 'kok', 'hotel', 'restaurant', 'bediening', 'hospitality'],
     'esco_codes': ['5120.1', '5131.2'],
     'technical': False},
    {'slug': 'kantoor-administratie', 'label_nl': 'Kantoor en administratie',
     'label_en': 'Office and administration',
     'synonyms': ['administratie', 'kantoor', 'secretariaat', 'boekhouding', 'receptie', 'office',
                  'administration', 'administratief medewerker', 'secretaresse', 'secretaris',
                  'receptionist', 'boekhouder', 'kantoorwerk', 'bookkeeping'],
     'esco_codes': ['4110.1', '3343.1', '4120.1', '3313.2', '4226.1', '3341.7'],
     'technical': False},
)
# The levels each kind of school teaches, as app.models.organisations says on this day.
LEVELS_OF_KIND = {
    'primary': ['basisonderwijs'],
    'vmbo': ['vmbo_bb', 'vmbo_kb', 'vmbo_gl', 'vmbo_tl'],
    'havo_vwo': ['havo', 'vwo'],
    'mbo': ['mbo_1', 'mbo_2', 'mbo_3', 'mbo_4'],
    'hbo': ['hbo'],
}
theme = sa.table('theme', sa.column('id', sa.Integer()), sa.column('slug', sa.String()),
                 sa.column('label_nl', sa.String()), sa.column('label_en', sa.String()),
                 sa.column('synonyms', sa.JSON()), sa.column('esco_codes', sa.JSON()),
                 sa.column('technical', sa.Boolean()))
school = sa.table('school', sa.column('kind', sa.String()), sa.column('levels', sa.JSON()))
# Every table whose rows name a theme (each cascades when its theme is deleted).
LINKS = ('studenttheme', 'placementtheme', 'activitytheme', 'observationtheme')


def _slugs() -> set[str]:
    return set(op.get_bind().execute(sa.select(theme.c.slug)).scalars())


def upgrade() -> None:
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(sa.Column('levels', sa.JSON(), server_default='[]', nullable=False))
    # A school made before knew only its kind: it teaches every level of that kind.
    for kind, levels in LEVELS_OF_KIND.items():
        op.execute(school.update().where(school.c.kind == kind).values(levels=levels))
    # A new installation gets the whole taxonomy; a database the demo seed filled before has
    # it already and gets only what it lacks. Nothing is replaced or removed.
    present = _slugs()
    missing = [row for row in THEMES if row['slug'] not in present]
    if missing:
        op.bulk_insert(theme, missing)


def downgrade() -> None:
    # A theme that students, placements, activities or observations name stays: removing it
    # would remove what they said along with it. The others go, as before 0011 a new
    # installation had none (the seed fills an empty theme table again).
    bind = op.get_bind()
    named: set[int] = set()
    for name in LINKS:
        link = sa.table(name, sa.column('theme_id', sa.Integer()))
        named.update(bind.execute(sa.select(link.c.theme_id).distinct()).scalars())
    slugs = [row['slug'] for row in THEMES]
    query = theme.delete().where(theme.c.slug.in_(slugs))
    if named:
        query = query.where(theme.c.id.not_in(named))
    op.execute(query)
    # Not in batch mode: on SQLite that copies the table and drops the old one, which its
    # foreign keys refuse while users and students name a school (SQLite drops a column
    # itself since 3.35).
    op.drop_column('school', 'levels')
