"""Importing activities: values, region and school, host company, themes, re-import."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from app.models import (
    Activity,
    ActivityKind,
    ActivityTheme,
    Attendance,
    Participation,
    Pillar,
    Theme,
)
from app.models.base import local_today

from .test_support import (
    ACTIVITY_HEADER,
    count,
    csv_bytes,
    do_import,
    messages,
    register,
    scope_of,
    themes,  # noqa: F401 - a fixture, used by pytestmark
)

pytestmark = pytest.mark.usefixtures("themes")
HEADER = [*ACTIVITY_HEADER, "region"]


def activity_row(code: str = "TM-2026-001", **overrides) -> dict:
    row = {"code": code, "kind": "Girlsday", "pillar": "kiezen", "date": "9-4-2026",
           "title": "Girlsday bij de installateur", "postcode": "6901",
           "host_company_kvk": "", "themes": "installatietechniek|duurzame energie",
           "capacity": "20", "region": "liemers"}
    row.update(overrides)
    return row


def activities_file(*rows: dict, header=HEADER) -> bytes:
    return csv_bytes([header, *([row.get(name, "") for name in header]
                                for row in rows or (activity_row(),))])


def activity(session, code: str) -> Activity:
    return session.exec(select(Activity).where(Activity.code == code)).one()


def theme_slugs(session, item: Activity) -> set[str]:
    return set(session.exec(select(Theme.slug).join(ActivityTheme).where(
        ActivityTheme.activity_id == item.id)).all())


def test_an_activity_is_created_with_everything_derived(session, world):
    report = do_import(session, "activities", activities_file(activity_row(
        host_company_kvk=world.home.company.kvk)))
    assert report.ok, messages(report)
    item = activity(session, "TM-2026-001")
    assert (item.kind, item.pillar, item.starts_on) == (ActivityKind.girlsday, Pillar.kiezen,
                                                        date(2026, 4, 9))
    assert item.school_year == "2025-2026"
    assert (item.postcode, item.place) == ("6901", "Zevenaar")
    assert item.region_id == world.home.region.id
    assert item.host_company_id == world.home.company.id
    assert item.capacity == 20
    assert item.school_id is None and item.created_by_id is None
    assert theme_slugs(session, item) == {"installatietechniek", "duurzame-energie"}


@pytest.mark.parametrize(("kind", "pillar"), [
    ("Week van de Techniek", "choosing"), ("talentscouting", "kiezen"),
    ("technieklokaal", "leren"), ("PET", "Kiezen"), ("bedrijfsbezoek", "werken"),
    ("gastles", "learning"), ("fieldlab", "innoveren"), ("anders", "innovating"),
])
def test_kinds_and_pillars_by_their_dutch_and_english_names(session, world, kind, pillar):
    report = do_import(session, "activities", activities_file(activity_row(
        kind=kind, pillar=pillar)))
    assert report.ok, messages(report)


def test_an_end_date_and_description_are_optional(session, world):
    header = [*HEADER, "einddatum", "omschrijving"]
    report = do_import(session, "activities", activities_file(activity_row(
        date="5-10-2026", einddatum="09/10/2026", omschrijving="Vijf dagen\nopen huizen"),
        header=header))
    assert report.ok, messages(report)
    item = activity(session, "TM-2026-001")
    assert item.ends_on == date(2026, 10, 9)
    assert item.description == "Vijf dagen\nopen huizen"


@pytest.mark.parametrize(("column", "value", "message"), [
    ("date", "31-02-2026", "is not a date that exists"),
    ("date", "april", "is not a date"),
    ("kind", "feest", "is not a kind of activity"),
    ("pillar", "spelen", "is not a pillar"),
    ("capacity", "0", "of 1 or more"),
    ("capacity", "veel", "is not a whole number"),
    ("postcode", "1000", "does not exist"),
    ("host_company_kvk", "123", "is not a KvK number"),
    ("host_company_kvk", "99999999", "There is no company with KvK number 99999999"),
    ("region", "Twente", "Unknown region 'Twente'. Write one of: achterhoek, liemers"),
    ("region", "", "Fill in regio (region)"),
    ("title", "", "Fill in titel (title)"),
    ("title", "t" * 201, "at most 200 fit"),
    ("themes", "zwemmen", "Unknown theme 'zwemmen'"),
])
def test_each_bad_value_is_a_problem_on_its_line_and_column(
        session, world, column, value, message):
    before = count(session, Activity)
    report = do_import(session, "activities", activities_file(
        activity_row("A-1"), activity_row("A-2", **{column: value})))
    assert [(p.line, p.column) for p in report.problems] == [(3, column)]
    assert message in report.problems[0].message
    assert count(session, Activity) == before


def test_an_end_date_before_the_start_is_a_problem(session, world):
    header = [*HEADER, "end_date"]
    report = do_import(session, "activities", activities_file(activity_row(
        date="2026-04-09", end_date="2026-04-08"), header=header))
    assert "The end date is before" in messages(report)


def test_a_kvk_number_without_its_leading_zero_is_found(session, world):
    company = world.home.company
    company.kvk = "01234567"
    session.add(company)
    session.commit()
    report = do_import(session, "activities", activities_file(activity_row(
        host_company_kvk="1234567")))
    assert report.ok, messages(report)
    assert activity(session, "TM-2026-001").host_company_id == company.id


def test_the_host_company_must_be_in_the_region_of_the_activity(session, world):
    report = do_import(session, "activities", activities_file(activity_row(
        host_company_kvk=world.away.company.kvk)))
    assert [(p.line, p.column) for p in report.problems] == [(2, "host_company_kvk")]
    assert "is in another region" in report.problems[0].message


def test_an_import_does_not_move_an_activity_to_another_region_or_school(session, world):
    own = world.home.activity
    header = [*HEADER, "school_code"]
    report = do_import(session, "activities", activities_file(
        activity_row(own.code, region="achterhoek"), header=header))
    assert [(p.line, p.column) for p in report.problems] == [(2, "region")]
    assert "does not move it to another region" in report.problems[0].message
    report = do_import(session, "activities", activities_file(
        activity_row(own.code, school_code=world.home.other_school.code), header=header))
    assert [(p.line, p.column) for p in report.problems] == [(2, "school_code")]
    assert "does not move it to another school" in report.problems[0].message
    session.refresh(own)
    assert (own.region_id, own.school_id) == (world.home.region.id, world.home.school.id)


def test_the_operator_must_give_a_region_column(session, world):
    report = do_import(session, "activities", activities_file(header=ACTIVITY_HEADER))
    assert len(report.problems) == 1
    assert (report.problems[0].line, report.problems[0].column) == (1, None)
    assert "Add a column regio (region)" in report.problems[0].message


def test_the_same_code_twice_is_a_problem_on_the_second_line(session, world):
    report = do_import(session, "activities", activities_file(
        activity_row("A-1"), activity_row("A-2"), activity_row("A-1")))
    assert [(p.line, p.column) for p in report.problems] == [(4, "code")]
    assert "already on line 2" in report.problems[0].message


def test_re_importing_updates_by_code_and_replaces_themes(session, world):
    do_import(session, "activities", activities_file(activity_row()))
    again = do_import(session, "activities", activities_file(activity_row()))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = do_import(session, "activities", activities_file(activity_row(
        title="Girlsday 2026", date="2026-09-01", themes="robotica")))
    assert (changed.created, changed.updated) == (0, 1)
    assert set(changed.changes[0].columns) == {"title", "date", "themes"}
    item = activity(session, "TM-2026-001")
    assert (item.title, item.school_year) == ("Girlsday 2026", "2026-2027")
    assert theme_slugs(session, item) == {"robotica"}
    assert count(session, Activity) == 5


def test_capacity_cannot_drop_below_the_students_registered(session, world):
    do_import(session, "activities", activities_file(activity_row(capacity="5")))
    item = activity(session, "TM-2026-001")
    register(session, item, world.home.student, world.home.classmate)
    report = do_import(session, "activities", activities_file(activity_row(capacity="1")))
    assert [(p.line, p.column) for p in report.problems] == [(2, "capacity")]
    assert "2 students are registered" in report.problems[0].message


def test_a_dry_run_writes_no_activity(session, world):
    before = count(session, Activity), count(session, ActivityTheme)
    report = do_import(session, "activities", activities_file(activity_row("A-1"),
                                                              activity_row("A-2")),
                       dry_run=True)
    assert report.created == 2
    assert (count(session, Activity), count(session, ActivityTheme)) == before


# --- who may import which activities --------------------------------------------------

def test_a_counsellor_imports_into_their_region_and_school(session, world):
    counsellor = world.home.counsellor
    report = do_import(session, "activities", activities_file(
        activity_row(region=""), header=ACTIVITY_HEADER), scope_of(session, counsellor))
    assert report.ok, messages(report)
    item = activity(session, "TM-2026-001")
    assert (item.region_id, item.school_id, item.created_by_id) == (
        world.home.region.id, world.home.school.id, counsellor.id)


def test_a_counsellor_cannot_import_into_another_region_or_school(session, world):
    header = [*HEADER, "school_code"]
    report = do_import(session, "activities", activities_file(
        activity_row("A-1", region="achterhoek"),
        activity_row("A-2", school_code=world.home.other_school.code), header=header),
        scope_of(session, world.home.counsellor))
    assert [(p.line, p.column) for p in report.problems] == [(2, "region"),
                                                            (3, "school_code")]
    assert "only import activities in your own region, Liemers" in report.problems[0].message
    assert "only import activities of your own school" in report.problems[1].message


def test_a_counsellor_cannot_change_another_schools_activity(session, world):
    other = world.home.other_activity  # organised by the other school in the region
    report = do_import(session, "activities", activities_file(
        activity_row(other.code), header=ACTIVITY_HEADER),
        scope_of(session, world.home.counsellor))
    assert "already used by an activity you cannot change" in messages(report)
    session.refresh(other)
    assert other.kind is ActivityKind.girlsday and other.title == "Week van de Techniek"


def test_a_counsellor_updates_their_schools_activity(session, world):
    own = world.home.activity
    report = do_import(session, "activities", activities_file(
        activity_row(own.code, title="Nieuwe titel"), header=ACTIVITY_HEADER),
        scope_of(session, world.home.counsellor))
    assert report.updated == 1, messages(report)
    session.refresh(own)
    assert own.title == "Nieuwe titel" and own.school_id == world.home.school.id


def test_a_coordinator_imports_for_any_school_of_their_region(session, world):
    header = [*HEADER, "school_code"]
    report = do_import(session, "activities", activities_file(
        activity_row("A-1", region=""),
        activity_row("A-2", region="", school_code=world.home.other_school.code),
        activity_row("A-3", region="", school_code=world.away.school.code), header=header),
        scope_of(session, world.home.coordinator))
    assert [(p.line, p.column) for p in report.problems] == [(4, "school_code")]
    ok = do_import(session, "activities", activities_file(
        activity_row("A-1", region="Liemers"),
        activity_row("A-2", school_code=world.home.other_school.code), header=header),
        scope_of(session, world.home.coordinator))
    assert ok.created == 2, messages(ok)
    assert activity(session, "A-2").school_id == world.home.other_school.id
    assert activity(session, "A-1").school_id is None


def test_a_coordinator_cannot_change_an_activity_of_another_region(session, world):
    away = world.away.activity
    report = do_import(session, "activities", activities_file(activity_row(away.code)),
                       scope_of(session, world.home.coordinator))
    assert "already used by an activity you cannot change" in messages(report)


def test_participations_are_kept_when_an_activity_is_updated(session, world):
    own = world.home.activity
    before = count(session, Participation)
    do_import(session, "activities", activities_file(activity_row(own.code)))
    assert count(session, Participation) == before


# --- an activity that took place --------------------------------------------------------

def test_an_activity_that_took_place_moves_to_today_at_the_latest(session, world):
    own = world.home.activity  # attended and observed there
    ahead = (local_today() + timedelta(days=30)).isoformat()
    report = do_import(session, "activities", activities_file(
        activity_row("A-NEW", date=ahead), activity_row(own.code, date=ahead)))
    assert [(p.line, p.column) for p in report.problems] == [(3, "date")]
    assert report.problems[0].message == (
        "Attendance or observations are recorded at this activity, so it has taken place: it "
        "cannot move to a day after today.")
    session.refresh(own)
    assert own.starts_on < local_today()
    assert count(session, Activity) == 4
    report = do_import(session, "activities", activities_file(
        activity_row(own.code, date=local_today().isoformat())))
    assert report.updated == 1, messages(report)
    session.refresh(own)
    assert own.starts_on == local_today()


def test_an_absence_says_an_activity_took_place_a_registration_does_not(session, world):
    absent_at, registered_at = world.home.other_activity, world.away.other_activity
    session.add(Participation(activity_id=absent_at.id, student_id=world.home.classmate.id,
                              attendance=Attendance.absent))
    session.commit()
    register(session, registered_at, world.away.classmate)
    ahead = (local_today() + timedelta(days=1)).isoformat()
    report = do_import(session, "activities", activities_file(
        activity_row(registered_at.code, date=ahead, region="achterhoek"),
        activity_row(absent_at.code, date=ahead)))
    assert [(p.line, p.column) for p in report.problems] == [(3, "date")]
    assert "it has taken place" in report.problems[0].message
