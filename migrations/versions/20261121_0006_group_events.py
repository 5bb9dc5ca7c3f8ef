"""group events: school groups, host companies and their assignment for Girlsday, the Week van
de Techniek or a PET day

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 23:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('groupevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('week_van_de_techniek', 'talent_scouting', 'technieklokaal_lesson', 'girlsday', 'pet_event', 'company_visit', 'guest_lesson', 'fieldlab', 'other', name='activitykind', native_enum=False, create_constraint=True, length=29), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'published', name='groupeventstatus', native_enum=False, create_constraint=True, length=17), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('assigned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_groupevent_activity_id_activity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_groupevent_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_groupevent_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groupevent'))
    )
    with op.batch_alter_table('groupevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groupevent_region_id'), ['region_id'], unique=False)

    op.create_table('grouprequest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('age_group', sa.Enum('primary', 'lower_secondary', 'upper_secondary', 'vocational', name='agegroup', native_enum=False, create_constraint=True, length=23), nullable=False),
    sa.CheckConstraint('size >= 1', name='size_positive'),
    sa.ForeignKeyConstraint(['event_id'], ['groupevent.id'], name=op.f('fk_grouprequest_event_id_groupevent'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_grouprequest_school_id_school'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grouprequest')),
    sa.UniqueConstraint('event_id', 'school_id', 'name', name=op.f('uq_grouprequest_event_id_school_id_name'))
    )
    with op.batch_alter_table('grouprequest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grouprequest_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grouprequest_school_id'), ['school_id'], unique=False)

    op.create_table('hostoffer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('age_groups', sa.JSON(), nullable=False),
    sa.CheckConstraint('capacity >= 1', name='capacity_positive'),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], name=op.f('fk_hostoffer_company_id_company'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['groupevent.id'], name=op.f('fk_hostoffer_event_id_groupevent'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hostoffer')),
    sa.UniqueConstraint('event_id', 'company_id', name=op.f('uq_hostoffer_event_id_company_id'))
    )
    with op.batch_alter_table('hostoffer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hostoffer_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hostoffer_event_id'), ['event_id'], unique=False)

    op.create_table('groupassignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('students', sa.Integer(), nullable=False),
    sa.Column('distance_km', sa.Float(), nullable=True),
    sa.Column('preferred', sa.Boolean(), nullable=False),
    sa.CheckConstraint('students >= 1', name='students_positive'),
    sa.ForeignKeyConstraint(['event_id'], ['groupevent.id'], name=op.f('fk_groupassignment_event_id_groupevent'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_id'], ['hostoffer.id'], name=op.f('fk_groupassignment_offer_id_hostoffer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['grouprequest.id'], name=op.f('fk_groupassignment_request_id_grouprequest'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groupassignment')),
    sa.UniqueConstraint('request_id', 'offer_id', name=op.f('uq_groupassignment_request_id_offer_id'))
    )
    with op.batch_alter_table('groupassignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groupassignment_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_groupassignment_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_groupassignment_request_id'), ['request_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('groupassignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groupassignment_request_id'))
        batch_op.drop_index(batch_op.f('ix_groupassignment_offer_id'))
        batch_op.drop_index(batch_op.f('ix_groupassignment_event_id'))

    op.drop_table('groupassignment')
    with op.batch_alter_table('hostoffer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hostoffer_event_id'))
        batch_op.drop_index(batch_op.f('ix_hostoffer_company_id'))

    op.drop_table('hostoffer')
    with op.batch_alter_table('grouprequest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grouprequest_school_id'))
        batch_op.drop_index(batch_op.f('ix_grouprequest_event_id'))

    op.drop_table('grouprequest')
    with op.batch_alter_table('groupevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groupevent_region_id'))

    op.drop_table('groupevent')
