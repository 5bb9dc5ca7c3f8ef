"""Talent without interest: who is listed, in what order, with what behind it; inviting."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import (
    Activity,
    ActivityKind,
    ActivityTheme,
    Gender,
    Notification,
    ObservationTheme,
    Participation,
    Pillar,
    StudentGender,
    StudentTheme,
    TalentObservation,
    Theme,
    school_year_of,
)
from app.services import talent_gap as service
from app.services.activities import RegistrationError
from tests import factories

TODAY = date(2025, 11, 1)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def quiet(session, student, **changes):
    """No stated interest at all (the factory's students like robots and soldering)."""
    student.interests_text = ""
    for name, value in changes.items():
        setattr(student, name, value)
    session.add(student)
    session.commit()
    return student


def observe(session, world, student, *, strength=4, skills="netjes solderen", activity=None,
            on=date(2025, 10, 7)):
    observation = TalentObservation(activity_id=(activity or world.home.activity).id,
                                    student_id=student.id, observer_id=world.home.counsellor.id,
                                    strength=strength, skills=skills, observed_on=on)
    session.add(observation)
    session.commit()
    return observation


def listed(session, world, **options):
    return service.talent_without_interest(session=session, school=world.home.school,
                                           today=TODAY, **options)


def names(gap):
    return [row.student.first_name for row in gap.rows]


def activity(session, world, *, kind=ActivityKind.girlsday, day=date(2025, 11, 20), side=None,
             capacity=None, title="Girlsday bij Voltwerk"):
    side = side or world.home
    made = Activity(code=f"X{kind.value[:4]}{day.isoformat()}{side.region.id}{capacity}",
                    kind=kind, pillar=Pillar.kiezen, title=title, starts_on=day,
                    school_year=school_year_of(day), postcode="6901", place="Zevenaar",
                    region_id=side.region.id, capacity=capacity)
    session.add(made)
    session.commit()
    return made


def test_observed_talent_with_little_stated_interest_is_listed_with_the_observation(
        world, session, ctx):
    home = world.home
    assert names(listed(session, world)) == []  # Sanne says she likes robots and soldering
    quiet(session, home.student)
    gap = listed(session, world)
    [row] = gap.rows
    assert row.student.id == home.student.id and row.girl
    assert row.talent >= service.MIN_TALENT and row.interest == 0
    assert [t.slug for t in row.themes] == ["elektrotechniek"]
    [seen] = row.seen
    assert seen.observation.activity == home.activity.title
    assert seen.observation.strength == 4 and seen.observation.observed_on == date(2025, 10, 7)
    assert "solderen" in seen.observation.skills
    assert [t.slug for t in seen.themes] == ["elektrotechniek"]


def test_girls_come_first_but_everyone_who_meets_it_is_listed(world, session, ctx):
    home = world.home
    quiet(session, home.student)
    quiet(session, home.classmate)  # Daan, a boy
    observe(session, world, home.classmate, strength=5)
    observe(session, world, home.classmate, strength=5, skills="bedrading aansluiten")
    unknown = factories.make_student(session, home.school, password_hash="x",
                                     gender=Gender.not_given, first_name="Kim")
    quiet(session, unknown)
    observe(session, world, unknown, strength=5)
    gap = listed(session, world)
    assert names(gap)[0] == "Sanne" and set(names(gap)) == {"Sanne", "Daan", "Kim"}
    assert [row.girl for row in gap.rows] == [True, False, False]
    assert [r.student.first_name for r in gap.girls] == ["Sanne"]
    assert {r.student.first_name for r in gap.others} == {"Daan", "Kim"}
    # Among the others: the widest gap between talent and interest first.
    assert gap.others[0].gap >= gap.others[1].gap


def test_a_stated_technical_interest_keeps_a_student_off_the_list(world, session, ctx):
    home = world.home
    quiet(session, home.student, dream_job="")
    theme = Theme(slug="elektrotechniek", label_nl="Elektrotechniek",
                  label_en="Electrical engineering")
    session.add(theme)
    session.commit()
    session.add(StudentTheme(student_id=home.student.id, theme_id=theme.id))
    session.commit()
    assert names(listed(session, world)) == []
    quiet(session, home.student, interests_text="ik wil later iets met ICT")
    session.delete(session.get(StudentTheme, (home.student.id, theme.id)))
    session.commit()
    assert names(listed(session, world)) == []


def test_only_technical_talent_from_observations_counts(world, session, ctx):
    home = world.home
    quiet(session, home.student)
    session.delete(session.exec(select(TalentObservation)
                                .where(TalentObservation.student_id == home.student.id)).one())
    session.commit()
    care = Theme(slug="zorg", label_nl="Zorg", label_en="Care", technical=False)
    session.add(care)
    session.commit()
    observation = observe(session, world, home.student, strength=5, skills="")
    session.add(ObservationTheme(observation_id=observation.id, theme_id=care.id))
    session.commit()
    assert names(listed(session, world)) == []  # talent for care is not technical talent
    # Taking part alone is not talent that was seen, even in an activity about electronics.
    electro = Theme(slug="elektrotechniek", label_nl="Elektrotechniek",
                    label_en="Electrical engineering")
    session.add(electro)
    session.commit()
    session.add(ActivityTheme(activity_id=home.activity.id, theme_id=electro.id))
    session.commit()
    assert session.exec(select(Participation).where(
        Participation.student_id == home.student.id)).first() is not None
    assert names(listed(session, world, min_talent=0.1)) == []


def test_the_database_decides_which_themes_are_technical(world, session, ctx):
    home = world.home
    quiet(session, home.student)
    session.add(Theme(slug="elektrotechniek", label_nl="Elektrotechniek",
                      label_en="Electrical engineering", technical=False))
    session.commit()
    assert names(listed(session, world)) == []
    defs = {theme.slug: theme for theme in service.theme_defs(session=session)}
    assert not defs["elektrotechniek"].technical and defs["robotica"].technical


def test_the_thresholds_are_parameters(world, session, ctx):
    home = world.home
    quiet(session, home.student)
    observe(session, world, home.classmate, strength=2)
    assert names(listed(session, world)) == ["Sanne"]
    assert names(listed(session, world, min_talent=0.95)) == []
    # Daan's interest in robots and soldering is high: only a generous threshold lists him.
    assert set(names(listed(session, world, min_talent=0.3, max_interest=1.0))) == \
        {"Sanne", "Daan"}


def test_other_schools_and_deleted_students_are_not_listed(world, session, ctx):
    home = world.home
    quiet(session, home.other_school_student)
    observe(session, world, home.other_school_student, strength=5)
    quiet(session, home.student)
    home.student.anonymised_at = home.student.created_at
    session.add(home.student)
    session.commit()
    assert names(listed(session, world)) == []


def test_gender_is_read_only_to_order_not_to_choose(world, session, ctx):
    home = world.home
    quiet(session, home.student)
    session.delete(session.get(StudentGender, home.student.id))
    session.commit()
    [row] = listed(session, world).rows
    assert not row.girl


def test_upcoming_exposure_activities_of_the_region_with_free_places(world, session, ctx):
    soon = activity(session, world, capacity=10)
    activity(session, world, day=date(2025, 10, 1), title="Past")
    activity(session, world, side=world.away, title="Away")
    activity(session, world, kind=ActivityKind.fieldlab, title="Fieldlab")
    later = activity(session, world, kind=ActivityKind.company_visit, day=date(2026, 2, 2),
                     title="Bedrijfsbezoek")
    found = service.upcoming_activities(session=session, school=world.home.school, today=TODAY)
    assert found == [(soon, 10), (later, None)]


def test_inviting_registers_the_student_and_tells_them_once(world, session, ctx):
    home = world.home
    girlsday = activity(session, world, capacity=1)
    assert service.invite(session=session, activity=girlsday, student=home.student,
                          by=home.counsellor)
    assert not service.invite(session=session, activity=girlsday, student=home.student,
                              by=home.counsellor)
    told = session.exec(select(Notification)).all()
    assert [n.user_id for n in told] == [home.student_user.id]
    assert told[0].link == f"/activities/{girlsday.id}" and girlsday.title in told[0].message
    with pytest.raises(RegistrationError):
        service.invite(session=session, activity=girlsday, student=home.classmate,
                       by=home.counsellor)
    quiet(session, home.student)
    [row] = service.talent_without_interest(session=session, school=home.school,
                                            today=TODAY).rows
    assert row.registered == (girlsday,)
