"""Closed vocabularies of the domain, stored as their string values."""

from __future__ import annotations

import enum

import sqlalchemy as sa


class Role(enum.StrEnum):
    student = "student"
    counsellor = "counsellor"
    company = "company"
    coordinator = "coordinator"
    admin = "admin"
    # A talent scout or company host who records observations at the activities they are
    # assigned to, and sees nothing else.
    observer = "observer"


class SchoolKind(enum.StrEnum):
    primary = "primary"
    vmbo = "vmbo"
    havo_vwo = "havo_vwo"
    mbo = "mbo"
    hbo = "hbo"


class Level(enum.StrEnum):
    """School level and track, as DOMAIN.md describes the Dutch ladder."""

    basis = "basisonderwijs"
    vmbo_bb = "vmbo_bb"
    vmbo_kb = "vmbo_kb"
    vmbo_gl = "vmbo_gl"
    vmbo_tl = "vmbo_tl"
    havo = "havo"
    vwo = "vwo"
    mbo_1 = "mbo_1"
    mbo_2 = "mbo_2"
    mbo_3 = "mbo_3"
    mbo_4 = "mbo_4"
    hbo = "hbo"


class Pathway(enum.StrEnum):
    """How an mbo student follows their course: school-based or work-based."""

    bol = "bol"
    bbl = "bbl"


class Gender(enum.StrEnum):
    girl = "girl"
    boy = "boy"
    other = "other"
    not_given = "not_given"


class ConsentGiver(enum.StrEnum):
    parent = "parent"
    guardian = "guardian"
    school = "school"


class ActivityKind(enum.StrEnum):
    tech_week = "week_van_de_techniek"
    talent_scouting = "talent_scouting"
    technieklokaal = "technieklokaal_lesson"
    girlsday = "girlsday"
    pet_event = "pet_event"
    company_visit = "company_visit"
    guest_lesson = "guest_lesson"
    fieldlab = "fieldlab"
    other = "other"


class Pillar(enum.StrEnum):
    kiezen = "kiezen"
    leren = "leren"
    werken = "werken"
    innoveren = "innoveren"


class PlacementKind(enum.StrEnum):
    snuffelstage = "snuffelstage"
    bol_internship = "bol_internship"
    bbl_apprenticeship = "bbl_apprenticeship"
    hbo_internship = "hbo_internship"
    graduation_project = "graduation_project"
    fieldlab_project = "fieldlab_project"


class PlacementStatus(enum.StrEnum):
    draft = "draft"
    open = "open"
    paused = "paused"
    closed = "closed"


class ProposalStatus(enum.StrEnum):
    """The road from proposal to placement."""

    proposed = "proposed"
    approved = "approved"
    rejected = "rejected"
    offered = "offered"
    student_accepted = "student_accepted"
    student_declined = "student_declined"
    sent_to_company = "sent_to_company"
    company_accepted = "company_accepted"
    company_declined = "company_declined"
    lapsed = "lapsed"
    placed = "placed"
    completed = "completed"


class ProposalOrigin(enum.StrEnum):
    """Who put a placement forward for a student; the counsellor decides on both alike."""

    engine = "engine"    # a matching round proposed it
    student = "student"  # the student showed interest in it themselves ("Ik heb interesse")


class RoundStatus(enum.StrEnum):
    running = "running"
    finished = "finished"
    failed = "failed"


class Attendance(enum.StrEnum):
    """Whether a student registered for an activity came.

    Everyone starts registered. Once the activity has begun, the organiser or the student's
    counsellor marks them attended or absent, and may correct that either way. Only attended
    counts as talent evidence: being registered says nothing about what happened.
    """

    registered = "registered"
    attended = "attended"
    absent = "absent"


# What attendance can be set to, and only once the activity has begun.
ATTENDANCE_MARKS = (Attendance.attended, Attendance.absent)


class PinKind(enum.StrEnum):
    """A counsellor's instruction for the next matching round."""

    pin = "pin"          # propose this placement to this student
    exclude = "exclude"  # never propose it to them


def enum_column(enum_cls: type[enum.Enum]) -> sa.Enum:
    """A portable enum column: a checked VARCHAR holding the member's value.

    Not a native PostgreSQL enum, so adding a member is a plain migration.
    """
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls) + 8,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
