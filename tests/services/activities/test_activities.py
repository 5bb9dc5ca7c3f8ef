"""Activities: creating, editing, registering participants, assigning observers."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlmodel import Session, func, select
from werkzeug.security import check_password_hash

from app.models import (
    Activity,
    ActivityKind,
    ActivityObserver,
    ActivityTheme,
    Participation,
    Pillar,
    Role,
    StudentProfile,
    User,
)
from app.services import activities as service
from app.services.activities import ActivityError, ObserverError, RegistrationError, registration
from tests.web.activities.builders import make_class, make_observer, make_themes

DAY = date(2026, 3, 12)


def create(session, user, **changes):
    values = {"kind": ActivityKind.girlsday, "title": "Girlsday bij Voltwerk",
              "starts_on": DAY, "postcode": "6901 AB"}
    values.update(changes)
    return service.create_activity(session=session, user=user, **values)


def participant_ids(session, activity) -> set[int]:
    return set(session.exec(select(Participation.student_id)
                            .where(Participation.activity_id == activity.id)).all())


# --- creating and editing ---------------------------------------------------------------

def test_a_counsellor_creates_an_activity_of_their_school_in_their_region(session, world):
    themes = make_themes(session)
    session.commit()
    activity = create(session, world.home.counsellor, host_company_id=world.home.company.id,
                      theme_ids=[themes["robotica"].id, themes["lassen"].id], capacity=20)

    assert activity.region_id == world.home.region.id
    assert activity.school_id == world.home.school.id
    assert activity.created_by_id == world.home.counsellor.id
    assert activity.postcode == "6901" and activity.place == "Zevenaar"
    assert activity.school_year == "2025-2026"
    assert activity.pillar is Pillar.kiezen  # suggested by the kind
    assert activity.capacity == 20
    assert set(session.exec(select(ActivityTheme.theme_id)
                            .where(ActivityTheme.activity_id == activity.id)).all()) == {
        themes["robotica"].id, themes["lassen"].id}


def test_a_coordinator_creates_an_activity_in_their_region_without_a_school(session, world):
    activity = create(session, world.home.coordinator, kind=ActivityKind.company_visit)
    assert activity.region_id == world.home.region.id
    assert activity.school_id is None
    assert activity.pillar is Pillar.werken


def test_an_admin_chooses_the_region(session, world):
    activity = create(session, world.admin, region_id=world.away.region.id,
                      kind=ActivityKind.fieldlab)
    assert activity.region_id == world.away.region.id
    assert activity.pillar is Pillar.innoveren
    with pytest.raises(ActivityError, match="Choose the region") as error:
        create(session, world.admin)
    assert error.value.field == "region_id"


@pytest.mark.parametrize("role", ["student_user", "company_user"])
def test_students_and_companies_cannot_organise(session, world, role):
    with pytest.raises(ActivityError, match="Only counsellors, coordinators and administrators"):
        create(session, getattr(world.home, role))


def test_a_chosen_pillar_overrides_the_suggestion(session, world):
    activity = create(session, world.home.coordinator, kind=ActivityKind.talent_scouting,
                      pillar=Pillar.leren)
    assert activity.pillar is Pillar.leren


def test_an_other_activity_needs_a_pillar(session, world):
    with pytest.raises(ActivityError, match="Choose a pillar") as error:
        create(session, world.home.coordinator, kind=ActivityKind.other)
    assert error.value.field == "pillar"


@pytest.mark.parametrize(("postcode", "message"), [
    ("", "Enter the 4 digits of a Dutch postcode"),
    ("69", "Enter the 4 digits of a Dutch postcode"),
    ("abcd", "Enter the 4 digits of a Dutch postcode"),
    ("1000", "1000 is not a known Dutch postcode"),
])
def test_a_bad_postcode_is_refused_with_a_clear_message(session, world, postcode, message):
    with pytest.raises(ActivityError, match=message) as error:
        create(session, world.home.coordinator, postcode=postcode)
    assert error.value.field == "postcode"
    assert session.exec(select(func.count()).select_from(Activity)).one() == 4


def test_the_host_company_must_be_in_the_region_of_the_activity(session, world):
    with pytest.raises(ActivityError, match="is in another region") as error:
        create(session, world.home.counsellor, host_company_id=world.away.company.id)
    assert error.value.field == "host_company_id"
    with pytest.raises(ActivityError, match="is in another region"):
        create(session, world.admin, region_id=world.home.region.id,
               host_company_id=world.away.company.id)


@pytest.mark.parametrize("capacity", [0, -3])
def test_the_capacity_is_at_least_one(session, world, capacity):
    with pytest.raises(ActivityError, match="at least 1") as error:
        create(session, world.home.coordinator, capacity=capacity)
    assert error.value.field == "capacity"


def test_the_end_date_is_not_before_the_start(session, world):
    with pytest.raises(ActivityError, match="end date cannot be before") as error:
        create(session, world.home.coordinator, ends_on=date(2026, 3, 11))
    assert error.value.field == "ends_on"


def test_a_title_is_needed(session, world):
    with pytest.raises(ActivityError, match="title") as error:
        create(session, world.home.coordinator, title="  ")
    assert error.value.field == "title"


def test_unknown_themes_are_refused(session, world):
    with pytest.raises(ActivityError, match="themes") as error:
        create(session, world.home.coordinator, theme_ids=[999999])
    assert error.value.field == "themes"


def test_updating_changes_fields_recomputes_year_and_place_and_replaces_themes(session, world):
    themes = make_themes(session)
    session.commit()
    activity = create(session, world.home.counsellor, theme_ids=[themes["robotica"].id])
    service.update_activity(
        session=session, activity=activity, kind=ActivityKind.tech_week, title="Techweek",
        starts_on=date(2026, 9, 1), postcode="7001", pillar=Pillar.leren,
        theme_ids=[themes["lassen"].id, themes["elektrotechniek"].id], capacity=5)

    session.expire_all()
    activity = session.get(Activity, activity.id)
    assert (activity.kind, activity.title, activity.pillar) == (
        ActivityKind.tech_week, "Techweek", Pillar.leren)
    assert activity.school_year == "2026-2027"
    assert activity.postcode == "7001" and activity.place == "Doetinchem"
    assert activity.region_id == world.home.region.id  # stays where it was organised
    assert activity.school_id == world.home.school.id
    assert set(session.exec(select(ActivityTheme.theme_id)
                            .where(ActivityTheme.activity_id == activity.id)).all()) == {
        themes["lassen"].id, themes["elektrotechniek"].id}


def test_the_capacity_cannot_drop_below_the_participants(session, world, password_hash):
    activity = world.home.activity
    make_class(session, world.home.school, 2, password_hash=password_hash)
    session.commit()
    service.register_class(session=session, activity=activity, school=world.home.school,
                           class_name="3B")
    assert len(participant_ids(session, activity)) == 4
    with pytest.raises(ActivityError, match="4 students are already registered") as error:
        service.update_activity(session=session, activity=activity, kind=activity.kind,
                                title=activity.title, starts_on=activity.starts_on,
                                postcode=activity.postcode, capacity=3)
    assert error.value.field == "capacity"


# --- participants -----------------------------------------------------------------------

def test_registering_single_students_records_who_registered_them(session, world):
    activity = world.home.activity
    result = service.register_students(session=session, activity=activity,
                                       students=[world.home.classmate],
                                       by=world.home.counsellor)
    assert (result.added, result.skipped) == (1, 0)
    participation = session.exec(select(Participation).where(
        Participation.activity_id == activity.id,
        Participation.student_id == world.home.classmate.id)).one()
    assert participation.registered_by_id == world.home.counsellor.id


def test_students_already_registered_are_skipped_and_counted(session, world):
    activity = world.home.activity
    result = service.register_students(
        session=session, activity=activity,
        students=[world.home.student, world.home.classmate, world.home.classmate])
    assert (result.added, result.skipped) == (1, 1)
    assert result.message == ("1 student registered. 1 was already registered and was "
                              "skipped.")
    again = service.register_students(session=session, activity=activity,
                                      students=[world.home.student])
    assert (again.added, again.skipped) == (0, 1)
    assert "nobody was added" in again.message
    assert participant_ids(session, activity) == {world.home.student.id,
                                                  world.home.classmate.id}


def test_registering_nobody_is_refused(session, world):
    with pytest.raises(RegistrationError, match="at least one student"):
        service.register_students(session=session, activity=world.home.activity, students=[])


def test_a_whole_class_is_registered_at_once(session, world, password_hash):
    activity = world.home.other_activity
    extra = make_class(session, world.home.school, 3, password_hash=password_hash)
    other_class = make_class(session, world.home.school, 1, password_hash=password_hash,
                             class_name="4A")
    session.commit()
    result = service.register_class(session=session, activity=activity,
                                    school=world.home.school, class_name="3B",
                                    by=world.home.counsellor)
    assert (result.added, result.skipped) == (5, 0)
    assert participant_ids(session, activity) == {
        world.home.student.id, world.home.classmate.id, *(s.id for s in extra)}
    assert other_class[0].id not in participant_ids(session, activity)
    # Class 3B of the other school is another class.
    assert world.home.other_school_student.id not in participant_ids(session, activity)


def test_registering_a_class_skips_those_already_there(session, world):
    result = service.register_class(session=session, activity=world.home.activity,
                                    school=world.home.school, class_name="3B")
    assert (result.added, result.skipped) == (1, 1)


def test_an_empty_class_is_refused_by_name(session, world):
    with pytest.raises(RegistrationError, match="Class 9Z of .* has no students"):
        service.register_class(session=session, activity=world.home.activity,
                               school=world.home.school, class_name="9Z")


def test_registering_more_than_the_free_places_is_refused_as_a_whole(session, world,
                                                                      password_hash):
    activity = world.home.activity
    activity.capacity = 3
    session.add(activity)
    extra = make_class(session, world.home.school, 2, password_hash=password_hash)
    session.commit()
    # 1 registered, 2 free; the class brings 3 new students (and 1 already there).
    with pytest.raises(RegistrationError, match="Only 2 places are free, not enough for 3 "
                                                "students. Nobody was registered"):
        service.register_class(session=session, activity=activity, school=world.home.school,
                               class_name="3B")
    assert participant_ids(session, activity) == {world.home.student.id}

    result = service.register_students(session=session, activity=activity,
                                       students=[world.home.student, *extra])
    assert (result.added, result.skipped) == (2, 1)
    with pytest.raises(RegistrationError, match="The activity is full \\(3 places\\)"):
        service.register_students(session=session, activity=activity,
                                  students=[world.home.classmate])
    assert len(participant_ids(session, activity)) == 3


def test_a_full_activity_still_accepts_a_list_of_students_already_there(session, world):
    activity = world.home.activity
    activity.capacity = 1
    session.add(activity)
    session.commit()
    result = service.register_students(session=session, activity=activity,
                                       students=[world.home.student])
    assert (result.added, result.skipped) == (0, 1)


def test_two_registrations_at_the_same_time_never_exceed_the_capacity(engine, session, world):
    """One registrar holds the activity; the other waits for it, then finds it full."""
    activity = world.home.activity
    activity.capacity = 2  # 1 registered, 1 free
    session.add(activity)
    session.commit()
    outcome: dict[str, object] = {}

    with Session(engine, expire_on_commit=False) as first, \
            Session(engine, expire_on_commit=False) as second:
        first_activity = first.get(Activity, activity.id)
        second_activity = second.get(Activity, activity.id)
        fleur = second.get(StudentProfile, world.home.other_school_student.id)

        registration._lock(first, first_activity)
        first.add(Participation(activity_id=activity.id, student_id=world.home.classmate.id))
        first.flush()

        def register():
            try:
                outcome["result"] = service.register_students(
                    session=second, activity=second_activity, students=[fleur])
            except RegistrationError as error:
                outcome["error"] = error

        worker = threading.Thread(target=register)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive(), "the second registration should wait for the first"
        first.commit()
        worker.join(20)
        assert not worker.is_alive()

    assert "result" not in outcome
    assert "The activity is full" in str(outcome["error"])
    assert participant_ids(session, activity) == {world.home.student.id,
                                                  world.home.classmate.id}


def test_unregistering_removes_a_participant(session, world):
    activity = world.home.activity
    service.register_students(session=session, activity=activity,
                              students=[world.home.classmate])
    service.unregister_student(session=session, activity=activity,
                               student=world.home.classmate)
    assert participant_ids(session, activity) == {world.home.student.id}
    with pytest.raises(RegistrationError, match="is not registered"):
        service.unregister_student(session=session, activity=activity,
                                   student=world.home.classmate)


def test_an_observed_student_cannot_be_unregistered(session, world):
    with pytest.raises(RegistrationError, match="there is 1 observation of them"):
        service.unregister_student(session=session, activity=world.home.activity,
                                   student=world.home.student)
    assert participant_ids(session, world.home.activity) == {world.home.student.id}


# --- observers --------------------------------------------------------------------------

def observer_ids(session, activity) -> set[int]:
    return set(session.exec(select(ActivityObserver.user_id)
                            .where(ActivityObserver.activity_id == activity.id)).all())


def test_an_existing_company_contact_is_assigned_by_email(session, world):
    activity = world.home.other_activity
    result = service.assign_observer(session=session, activity=activity,
                                     email=f"  {world.home.company_user.email.upper()} ",
                                     password="ignored-for-existing")
    assert result.user.id == world.home.company_user.id and not result.created
    assert observer_ids(session, activity) == {world.home.company_user.id}
    # An existing account keeps its own password.
    assert not check_password_hash(result.user.password_hash, "ignored-for-existing")


def test_a_counsellor_of_the_region_can_observe_but_not_one_of_another_region(session, world):
    activity = world.home.other_activity
    service.assign_observer(session=session, activity=activity,
                            email=world.home.counsellor.email)
    with pytest.raises(ObserverError, match="counsellor in another region"):
        service.assign_observer(session=session, activity=activity,
                                email=world.away.counsellor.email)


def test_a_new_observer_account_is_made_with_a_hashed_initial_password(session, world):
    activity = world.home.activity
    result = service.assign_observer(session=session, activity=activity,
                                     email="Scout@Honk1.example", display_name="Ria Scout",
                                     password="handed-over-1")
    assert result.created
    user = session.exec(select(User).where(User.email == "scout@honk1.example")).one()
    assert user.role is Role.observer and user.display_name == "Ria Scout"
    assert user.school_id is None and user.region_id is None
    assert user.password_hash != "handed-over-1"
    assert check_password_hash(user.password_hash, "handed-over-1")
    assert observer_ids(session, activity) == {user.id}


@pytest.mark.parametrize(("name", "password", "message", "field"), [
    ("", "handed-over-1", "Fill in a name and an initial password", "display_name"),
    ("Ria", "", "at least 10 characters", "password"),
    ("Ria", "short", "at least 10 characters", "password"),
])
def test_a_new_observer_account_needs_a_name_and_a_long_password(session, world, name,
                                                                 password, message, field):
    with pytest.raises(ObserverError, match=message) as error:
        service.assign_observer(session=session, activity=world.home.activity,
                                email="new@honk1.example", display_name=name,
                                password=password)
    assert error.value.field == field
    assert session.exec(select(User).where(User.email == "new@honk1.example")).first() is None


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", "@x.nl"])
def test_an_observer_needs_a_real_email_address(session, world, email):
    with pytest.raises(ObserverError, match="Enter an e-mail address"):
        service.assign_observer(session=session, activity=world.home.activity, email=email)


@pytest.mark.parametrize("who", ["student_user", "coordinator"])
def test_students_and_coordinators_are_not_made_observers(session, world, who):
    with pytest.raises(ObserverError, match="cannot be an observer"):
        service.assign_observer(session=session, activity=world.home.activity,
                                email=getattr(world.home, who).email)


def test_assigning_twice_is_refused_and_removing_ends_the_assignment(session, world,
                                                                     password_hash):
    activity = world.home.activity
    scout = make_observer(session, activity, password_hash=password_hash)
    session.commit()
    with pytest.raises(ObserverError, match="already an observer"):
        service.assign_observer(session=session, activity=activity, email=scout.email)
    service.remove_observer(session=session, activity=activity, user=scout)
    assert observer_ids(session, activity) == set()
    with pytest.raises(ObserverError, match="is not an observer"):
        service.remove_observer(session=session, activity=activity, user=scout)


# --- lists ------------------------------------------------------------------------------

def test_the_list_shows_a_region_newest_first_with_filters_and_pages(session, world):
    coordinator = world.home.coordinator
    for n in range(4):
        create(session, coordinator, title=f"PET {n}", kind=ActivityKind.pet_event,
               starts_on=date(2026, 1, 10 + n))
    page = service.list_activities(session=session, region_id=world.home.region.id,
                                   page_size=3)
    assert page.total == 6 and page.pages == 2
    assert [r.activity.title for r in page.rows] == ["PET 3", "PET 2", "PET 1"]
    assert {r.region.id for r in page.rows} == {world.home.region.id}
    pets = service.list_activities(session=session, region_id=world.home.region.id,
                                   kind=ActivityKind.pet_event, page=9)
    assert pets.page == 1 and pets.total == 4
    assert service.list_activities(session=session, region_id=world.home.region.id,
                                   school_year="2024-2025").total == 0
    assert service.school_years(session=session, region_id=world.home.region.id) == [
        "2025-2026"]
    assert service.list_activities(session=session, region_id=None).total == 8


def test_registrable_students_leave_out_participants_and_match_a_search(session, world):
    activity = world.home.activity
    school_ids = [world.home.school.id, world.home.other_school.id]
    students, more = service.registrable_students(session=session, activity=activity,
                                                  school_ids=school_ids)
    assert {s.id for s, _school in students} == {world.home.classmate.id,
                                                 world.home.other_school_student.id}
    assert not more
    found, _more = service.registrable_students(session=session, activity=activity,
                                                school_ids=school_ids, query="fle")
    assert [s.id for s, _school in found] == [world.home.other_school_student.id]
    number = world.home.classmate.student_number
    found, _more = service.registrable_students(session=session, activity=activity,
                                                school_ids=school_ids, query=number.lower())
    assert [s.id for s, _school in found] == [world.home.classmate.id]
    few, more = service.registrable_students(session=session, activity=activity,
                                             school_ids=school_ids, limit=1)
    assert len(few) == 1 and more


def test_classes_are_listed_with_their_size(session, world, password_hash):
    make_class(session, world.home.school, 1, password_hash=password_hash, class_name="4A")
    session.commit()
    rows = service.classes(session=session, school_ids=[world.home.school.id])
    assert [(r.class_name, r.students) for r in rows] == [("3B", 2), ("4A", 1)]


def test_a_student_whose_data_was_deleted_is_not_registered(session, world):
    classmate = world.home.classmate
    classmate.anonymised_at = classmate.created_at
    session.add(classmate)
    session.commit()
    with pytest.raises(RegistrationError, match="personal data of one of these students"):
        service.register_students(session=session, activity=world.home.activity,
                                  students=[classmate])
    assert service.class_students(session=session, school=world.home.school,
                                  class_name="3B") == [world.home.student]
