"""The map of personal data: complete for every text column, and erasure that leaves no trace."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from sqlmodel import select

from app.models import (
    Consent,
    ConsentGiver,
    DecisionLog,
    MatchPin,
    Notification,
    ObservationRevision,
    OutboxEmail,
    PinKind,
    PlacementEvent,
    PlacementFeedback,
    StudentProfile,
    TalentObservation,
    User,
    metadata,
)
from app.services import notifications, personal_data, students
from tests import factories

# Distinctive on purpose: a search for them cannot hit anything else by chance.
FIRST, LAST = "Zoraida", "Quistorp-Wennink"
EMAIL = "zoraida.quistorp@voorbeeld.example"
NUMBER = "ZQ-77123"
POSTCODE = "9491"
DREAM_JOB = "dierenarts op Texel"


def _texty(column: sa.Column) -> bool:
    kind = column.type
    if isinstance(kind, sa.types.TypeDecorator):
        kind = kind.impl_instance
    return isinstance(kind, sa.String | sa.Text | sa.JSON)


def text_columns(meta: sa.MetaData) -> set[str]:
    return {f"{t.name}.{c.name}" for t in meta.sorted_tables for c in t.columns if _texty(c)}


def unaccounted(meta: sa.MetaData) -> set[str]:
    return text_columns(meta) - personal_data.mapped_columns() - set(personal_data.NOT_PERSONAL)


def test_every_text_column_is_in_the_map_or_said_to_hold_nothing_personal():
    assert unaccounted(metadata) == set()


def test_a_new_text_column_nobody_mapped_is_caught():
    meta = sa.MetaData()
    sa.Table("studentprofile", meta, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("first_name", sa.String(80)), sa.Column("nickname", sa.String(40)),
             sa.Column("hobbies", sa.JSON))
    assert unaccounted(meta) == {"studentprofile.nickname", "studentprofile.hobbies"}


def test_the_map_names_only_real_columns_and_each_once():
    real = {f"{t.name}.{c.name}" for t in metadata.sorted_tables for c in t.columns}
    assert personal_data.mapped_columns() <= real
    assert set(personal_data.NOT_PERSONAL) <= real
    assert personal_data.mapped_columns().isdisjoint(personal_data.NOT_PERSONAL)
    assert all(reason.strip() for reason in personal_data.NOT_PERSONAL.values())


def with_data_everywhere(app, session, world) -> StudentProfile:
    """The home student, renamed to distinctive values, with something in every place."""
    home = world.home
    student, user = home.student, home.student_user
    student.first_name, student.last_name, student.student_number = FIRST, LAST, NUMBER
    student.postcode, student.dream_job, student.class_name = POSTCODE, DREAM_JOB, "3Z"
    student.interests_text = f"{FIRST} houdt van paarden en robots"
    user.email, user.display_name = EMAIL, f"{FIRST} {LAST}"
    session.add_all([student, user])
    session.add(Consent(student_id=student.id, given_by=ConsentGiver.parent,
                        given_by_name=f"moeder van {FIRST} {LAST}", note=f"{FIRST} mag mee"))
    observation = session.exec(select(TalentObservation).where(
        TalentObservation.student_id == student.id)).one()
    observation.note = f"{FIRST} soldeert het netst van de klas"
    session.add(ObservationRevision(observation_id=observation.id,
                                    previous={"note": f"{FIRST} was stil", "by": NUMBER}))
    proposal = factories.make_proposal(session, student, home.placement,
                                       explanation=f"{FIRST}, je bent goed in solderen.")
    proposal.counsellor_note = f"{FIRST} {LAST} past hier goed"
    proposal.explanation_parts = {"student": FIRST, "dream_job": DREAM_JOB}
    session.add(MatchPin(student_id=student.id, placement_id=home.draft_placement.id,
                         kind=PinKind.pin, note=f"voor {FIRST}, na het gesprek met haar moeder"))
    session.add(DecisionLog(proposal_id=proposal.id, action="reject", reason=f"{FIRST} wil "
                            "dichter bij huis", details={"student_number": NUMBER}))
    session.add(PlacementFeedback(proposal_id=proposal.id, author_role="student",
                                  learned=f"Ik, {FIRST}, leerde solderen", comment="leuk"))
    session.add(PlacementFeedback(proposal_id=proposal.id, author_role="company",
                                  author_id=home.company_user.id,
                                  comment=f"{FIRST} {LAST} was top", would_host_again=True))
    session.add(PlacementEvent(placement_id=home.placement.id, action="close",
                               reason=f"gevuld door {FIRST} {LAST} ({EMAIL})"))
    with app.app_context():
        notifications.notify(session=session, users=[home.counsellor], kind="student_declined",
                             message=lambda: f"{FIRST} {LAST} zei nee tegen Lasser bij Texel.")
        notifications.notify(session=session, users=[user], kind="offer",
                             message=lambda: f"Hoi {FIRST}, je hebt een voorstel.")
        notifications.notify(session=session, users=[home.counsellor], kind="student_declined",
                             message=lambda: "Daan de Vries zei nee tegen Lasser bij Texel.")
    session.commit()
    return student


def traces(session) -> list[str]:
    """Every text or JSON value in every table that still names the student."""
    words = [w.lower() for w in (FIRST, LAST, EMAIL, NUMBER, DREAM_JOB)]
    postcode = re.compile(rf"(?<!\d){POSTCODE}(?!\d)")
    found = []
    for table in metadata.sorted_tables:
        columns = [c for c in table.columns if _texty(c)]
        if not columns:
            continue
        for row in session.connection().execute(sa.select(*columns)).mappings():
            for name, value in row.items():
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                if any(w in text.lower() for w in words) or postcode.search(text):
                    found.append(f"{table.name}.{name}: {text}")
    return found


def test_after_erasure_no_table_holds_the_students_name_number_email_or_postcode(
        app, session, world):
    student = with_data_everywhere(app, session, world)
    before = traces(session)
    # The search finds every value while it is there, in every kind of place.
    for expected in ("studentprofile.first_name", "user.email", "consent.given_by_name",
                     "talentobservation.note", "observationrevision.previous",
                     "matchproposal.counsellor_note", "matchpin.note", "decisionlog.details",
                     "placementfeedback.comment", "placementevent.reason",
                     "notification.message", "outboxemail.body", "studentprofile.postcode"):
        assert any(hit.startswith(expected + ":") for hit in before), expected

    students.anonymise_student(session=session, student=student)
    session.expire_all()

    assert traces(session) == []


def test_erasure_keeps_messages_to_others_without_the_name(app, session, world):
    student = with_data_everywhere(app, session, world)
    with app.app_context():  # the word that replaces the name is in each reader's language
        # A brother with the same last name keeps his.
        notifications.notify(session=session, users=[world.home.counsellor],
                             kind="student_declined",
                             message=lambda: f"{FIRST} {LAST} en Daan {LAST}: {FIRST} koos.")
        session.commit()
        students.anonymise_student(session=session, student=student)
    session.expire_all()
    counsellor_messages = set(session.exec(select(Notification.message).where(
        Notification.user_id == world.home.counsellor.id)).all())
    assert counsellor_messages == {
        "een oud-leerling zei nee tegen Lasser bij Texel.",
        "Daan de Vries zei nee tegen Lasser bij Texel.",
        f"een oud-leerling en Daan {LAST}: een oud-leerling koos."}
    mails = session.exec(select(OutboxEmail).where(
        OutboxEmail.to_address == world.home.counsellor.email)).all()
    assert len(mails) == 3
    assert any("een oud-leerling zei nee" in m.body for m in mails)
    assert session.exec(select(MatchPin).where(MatchPin.student_id == student.id)).all() == []
    company = session.exec(select(PlacementFeedback).where(
        PlacementFeedback.author_role == "company")).one()
    assert (company.comment, company.would_host_again) == ("", True)
    assert session.exec(select(User).where(User.email == EMAIL)).first() is None


def test_the_export_holds_the_dream_job_notes_pin_and_company_feedback(app, session, world):
    student = with_data_everywhere(app, session, world)
    classmate = world.home.classmate
    session.add(MatchPin(student_id=classmate.id, placement_id=world.home.placement.id,
                         kind=PinKind.exclude, note="Daan wil dit echt niet"))
    factories.make_proposal(session, classmate, world.home.placement).counsellor_note = (
        "Daan heeft een rijbewijs")
    session.commit()

    data = students.export_student_data(session=session, student=student)

    assert data["profile"]["dream_job"] == DREAM_JOB
    assert data["profile"]["student_number"] == NUMBER
    assert [p["counsellor_note"] for p in data["proposals"]] == [f"{FIRST} {LAST} past hier goed"]
    assert [p["note"] for p in data["pins"]] == [f"voor {FIRST}, na het gesprek met haar moeder"]
    assert [(f["comment"], f["would_host_again"]) for f in data["feedback_about_you"]] == [
        (f"{FIRST} {LAST} was top", True)]
    assert [o["note"] for o in data["observations"]] == [f"{FIRST} soldeert het netst van de klas"]
    assert [c["note"] for c in data["consents"]] == [f"{FIRST} mag mee"]
    assert [d["reason"] for d in data["decisions"]] == [f"{FIRST} wil dichter bij huis"]
    assert [n["message"] for n in data["notifications_about_you"]] == [
        f"{FIRST} {LAST} zei nee tegen Lasser bij Texel."]
    assert [n["message"] for n in data["notifications"]] == [f"Hoi {FIRST}, je hebt een voorstel."]
    text = json.dumps(data, ensure_ascii=False, default=str)
    for others in ("Daan", "rijbewijs", "password_hash", "session_token"):
        assert others not in text
    assert world.home.student_user.password_hash not in text
