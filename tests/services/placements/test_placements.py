"""Placements: writing them, their checks, and every change of status with its history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import (
    MatchProposal,
    Placement,
    PlacementEvent,
    PlacementKind,
    PlacementStatus,
    PlacementTheme,
    ProposalStatus,
)
from app.models.base import local_today
from app.services import placements as service
from app.services.placements import NotComplete, PlacementError, StatusError
from app.services.places import place_counts, reserve_place
from tests.web.activities.builders import make_themes

START = local_today() + timedelta(days=60)


def values(**changes):
    data = {"title": "Snuffelstage installatietechniek", "kind": "snuffelstage",
            "levels": ["vmbo_kb", "vmbo_gl"], "postcode": "6902", "capacity": 2,
            "description": "Een dag meelopen met een monteur.",
            "learn_and_do": "Je sluit een groep aan in de meterkast.",
            "starts_on": START, "ends_on": START + timedelta(days=4), "days_per_week": 5,
            "allowance": "", "application_deadline": START - timedelta(days=14)}
    data.update(changes)
    return data


def create(session, side, **changes):
    return service.create_placement(session=session, company=side.company,
                                    user=side.company_user, **values(**changes))


def events(session, placement) -> list[tuple]:
    session.expire_all()
    return [(e.action, e.from_status, e.to_status, e.reason, e.actor_id) for e in session.exec(
        select(PlacementEvent).where(PlacementEvent.placement_id == placement.id)
        .order_by(PlacementEvent.id)).all()]


def status_of(session, placement) -> PlacementStatus:
    session.expire_all()
    return session.get(Placement, placement.id).status


def hold_place(session, placement, student, status=ProposalStatus.sent_to_company):
    """A candidate holding a place: offered (waiting for the company) or accepted."""
    session.add(MatchProposal(student_id=student.id, placement_id=placement.id, status=status,
                              holds_place=True))
    reserve_place(session=session, placement_id=placement.id)
    session.commit()


# --- creating ---------------------------------------------------------------------------

def test_a_new_placement_is_a_draft_with_the_next_reference(session, world):
    themes = make_themes(session)
    session.commit()
    first = create(session, world.home, theme_ids=[themes["robotica"].id])
    second = create(session, world.home, title="Tweede")
    assert first.status is PlacementStatus.draft
    assert (first.code, second.code) == ("P-0001", "P-0002")
    assert (first.postcode, first.place) == ("6902", "Zevenaar")
    assert first.levels == ["vmbo_kb", "vmbo_gl"]
    assert session.exec(select(PlacementTheme.theme_id)
                        .where(PlacementTheme.placement_id == first.id)).all() == [
        themes["robotica"].id]
    uid = world.home.company_user.id
    assert events(session, first) == [("created", None, "draft", "", uid)]


def test_a_given_reference_must_be_unique_within_the_company(session, world):
    create(session, world.home, code="VAC-12")
    with pytest.raises(PlacementError) as error:
        create(session, world.home, code="VAC-12")
    assert error.value.field == "code" and "VAC-12" in str(error.value)
    # Another company may use the same reference.
    assert create(session, world.away, code="VAC-12").code == "VAC-12"


def test_a_draft_may_be_incomplete(session, world):
    placement = create(session, world.home, levels=[], description="", learn_and_do="",
                       starts_on=None, ends_on=None, days_per_week=None,
                       application_deadline=None)
    assert placement.status is PlacementStatus.draft


# --- the checks -------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "levels", "ok"), [
    ("snuffelstage", ["vmbo_bb", "vmbo_tl", "havo", "vwo"], True),
    ("snuffelstage", ["mbo_2"], False),
    ("snuffelstage", ["basisonderwijs"], False),
    ("bol_internship", ["mbo_1", "mbo_4"], True),
    ("bol_internship", ["vmbo_kb"], False),
    ("bbl_apprenticeship", ["mbo_3"], True),
    ("bbl_apprenticeship", ["hbo"], False),
    ("hbo_internship", ["hbo"], True),
    ("hbo_internship", ["mbo_4"], False),
    ("graduation_project", ["hbo"], True),
    ("graduation_project", ["vwo"], False),
    ("fieldlab_project", ["mbo_3", "mbo_4", "hbo"], True),
    ("fieldlab_project", ["havo", "hbo"], False),
])
def test_the_kind_and_the_levels_must_fit(session, world, kind, levels, ok):
    if ok:
        assert create(session, world.home, kind=kind, levels=levels).kind is PlacementKind(kind)
        return
    with pytest.raises(PlacementError) as error:
        create(session, world.home, kind=kind, levels=levels)
    assert error.value.field == "levels"
    assert "Remove" in str(error.value)


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"title": "  "}, "title", "title"),
    ({"title": "x" * 201}, "title", "200"),
    ({"description": "x" * 4001}, "description", "4000"),
    ({"learn_and_do": "x" * 4001}, "learn_and_do", "4000"),
    ({"kind": "holiday_job"}, "kind", "kind"),
    ({"levels": ["mbo_9"]}, "levels", "levels"),
    ({"theme_ids": [999999]}, "themes", "themes"),
    ({"postcode": "0000"}, "postcode", "postcode"),
    ({"postcode": ""}, "postcode", "postcode"),
    ({"capacity": 0}, "capacity", "at least 1"),
    ({"ends_on": START - timedelta(days=1)}, "ends_on", "before the start"),
    ({"days_per_week": 0}, "days_per_week", "1 to 5"),
    ({"days_per_week": 6}, "days_per_week", "1 to 5"),
    ({"hours_per_week": 0}, "hours_per_week", "1 to 40"),
    ({"hours_per_week": 41}, "hours_per_week", "1 to 40"),
    ({"days_per_week": 3, "hours_per_week": 31}, "hours_per_week",
     "31 hours a week do not fit in 3 days: at most 10 hours a day, so at most 30 hours"),
    ({"days_per_week": 1, "hours_per_week": 12}, "hours_per_week",
     "12 hours a week do not fit in 1 day:"),
    ({"application_deadline": START + timedelta(days=1)}, "application_deadline",
     "after the start"),
    ({"allowance": "x" * 121}, "allowance", "120"),
    ({"code": "x" * 41}, "code", "40"),
])
def test_what_cannot_be_saved_names_its_field(session, world, changes, field, words):
    placement = world.home.draft_placement
    before = (placement.title, placement.capacity, placement.postcode)
    with pytest.raises(PlacementError) as error:
        service.update_placement(session=session, placement=placement, **values(**changes))
    assert error.value.field == field
    assert words in str(error.value)
    session.expire_all()
    placement = session.get(Placement, placement.id)
    assert (placement.title, placement.capacity, placement.postcode) == before


def test_the_capacity_never_drops_below_the_reserved_places(session, world):
    placement = world.home.placement  # capacity 2
    service.update_placement(session=session, placement=placement, **values(capacity=3))
    hold_place(session, placement, world.home.student)
    hold_place(session, placement, world.home.classmate, ProposalStatus.company_accepted)
    with pytest.raises(PlacementError) as error:
        service.update_placement(session=session, placement=placement, **values(capacity=1))
    assert error.value.field == "capacity"
    assert "2 places are reserved" in str(error.value)
    session.expire_all()
    assert session.get(Placement, placement.id).capacity == 3
    placement = service.update_placement(session=session, placement=session.get(
        Placement, placement.id), **values(capacity=2))
    counts = place_counts(session=session, placement=placement)
    assert (counts.capacity, counts.taken, counts.offered, counts.free) == (2, 1, 1, 0)


def test_themes_are_replaced(session, world):
    themes = make_themes(session)
    session.commit()
    placement = create(session, world.home,
                       theme_ids=[themes["robotica"].id, themes["lassen"].id])
    service.update_placement(session=session, placement=placement,
                             **values(theme_ids=[themes["elektrotechniek"].id]))
    assert service.theme_ids_of(session=session, placement=placement) == [
        themes["elektrotechniek"].id]


def test_a_reference_can_change_but_not_to_one_in_use(session, world):
    first = create(session, world.home)
    second = create(session, world.home)
    service.update_placement(session=session, placement=first, **values(code="VAC-1"))
    assert first.code == "VAC-1"
    with pytest.raises(PlacementError) as error:
        service.update_placement(session=session, placement=second, **values(code="VAC-1"))
    assert error.value.field == "code"
    # Left empty, the reference stays what it was.
    assert service.update_placement(session=session, placement=second,
                                    **values(code="")).code == "P-0002"


def test_a_published_placement_must_stay_complete(session, world):
    placement = create(session, world.home)
    service.publish(session=session, placement=placement, user=world.home.company_user)
    with pytest.raises(PlacementError) as error:
        service.update_placement(session=session, placement=placement,
                                 **values(description="", levels=[]))
    assert "a description" in str(error.value) and "levels" in str(error.value)


def test_a_closed_placement_cannot_be_changed(session, world):
    placement = create(session, world.home)
    service.close(session=session, placement=placement, user=world.home.company_user)
    with pytest.raises(StatusError):
        service.update_placement(session=session, placement=placement,
                                 **values(title="Anders"))
    session.expire_all()
    assert session.get(Placement, placement.id).title == "Snuffelstage installatietechniek"


# --- changes of status ------------------------------------------------------------------

def test_the_whole_road_is_recorded_with_who_when_and_why(session, world):
    user = world.home.company_user
    placement = create(session, world.home)
    service.publish(session=session, placement=placement, user=user)
    service.pause(session=session, placement=placement, user=user, reason="Vakantie")
    service.reopen(session=session, placement=placement, user=user)
    service.close(session=session, placement=placement, user=world.admin,
                  reason="  Plaatsen vervuld  ")
    assert status_of(session, placement) is PlacementStatus.closed
    assert events(session, placement) == [
        ("created", None, "draft", "", user.id),
        ("published", "draft", "open", "", user.id),
        ("paused", "open", "paused", "Vakantie", user.id),
        ("reopened", "paused", "open", "", user.id),
        ("closed", "open", "closed", "Plaatsen vervuld", world.admin.id),
    ]
    history = service.placement_history(session=session, placement=placement)
    assert [row.to_status for row in history] == [
        PlacementStatus.draft, PlacementStatus.open, PlacementStatus.paused,
        PlacementStatus.open, PlacementStatus.closed]
    assert history[-1].actor.id == world.admin.id and history[-1].event.at is not None


@pytest.mark.parametrize(("start", "action", "words"), [
    ("closed", "publish", "closed"),
    ("closed", "reopen", "closed"),
    ("closed", "pause", "closed"),
    ("closed", "close", "already closed"),
    ("open", "publish", "already published"),
    ("paused", "publish", "reopen it"),
    ("draft", "pause", "draft"),
    ("draft", "reopen", "published"),
    ("paused", "pause", "already paused"),
    ("open", "reopen", "already open"),
])
def test_an_impossible_change_says_why_and_changes_nothing(session, world, start, action,
                                                           words):
    placement = world.home.placement
    placement.status = PlacementStatus(start)
    session.add(placement)
    session.commit()
    with pytest.raises(StatusError) as error:
        getattr(service, action)(session=session, placement=placement,
                                 user=world.home.company_user)
    assert words in str(error.value)
    assert status_of(session, placement) is PlacementStatus(start)
    assert events(session, placement) == []


def test_publishing_an_incomplete_draft_lists_what_is_missing(session, world):
    placement = create(session, world.home, levels=[], description="", starts_on=None,
                       days_per_week=None, application_deadline=None)
    with pytest.raises(NotComplete) as error:
        service.publish(session=session, placement=placement, user=world.home.company_user)
    assert error.value.missing == ["a description", "the levels it accepts",
                                   "the start date", "the days per week"]
    assert "Still missing: a description; the levels it accepts" in str(error.value)
    assert status_of(session, placement) is PlacementStatus.draft
    assert [e[0] for e in events(session, placement)] == ["created"]


def test_a_placement_whose_period_or_deadline_passed_is_not_published(session, world):
    past = local_today() - timedelta(days=30)
    placement = create(session, world.home, starts_on=past, ends_on=past + timedelta(days=2),
                       application_deadline=past - timedelta(days=1))
    with pytest.raises(NotComplete) as error:
        service.publish(session=session, placement=placement, user=world.home.company_user)
    assert error.value.missing == ["a period that has not ended yet",
                                   "an application deadline that has not passed yet"]


def test_a_draft_can_be_closed_and_a_reason_has_a_limit(session, world):
    placement = create(session, world.home)
    with pytest.raises(StatusError) as error:
        service.close(session=session, placement=placement, user=None, reason="x" * 1001)
    assert error.value.field == "reason"
    service.close(session=session, placement=placement, user=None, reason="Gaat niet door")
    assert events(session, placement)[-1] == ("closed", "draft", "closed", "Gaat niet door",
                                              None)


def test_hours_per_week_are_stored_changed_and_optional(session, world):
    placement = create(session, world.home, days_per_week=3, hours_per_week=30)
    assert (placement.days_per_week, placement.hours_per_week) == (3, 30)
    service.update_placement(session=session, placement=placement,
                             **values(days_per_week=5, hours_per_week=None))
    session.expire_all()
    assert session.get(Placement, placement.id).hours_per_week is None
    # Hours without days cannot be checked against them, and are kept as given.
    service.update_placement(session=session, placement=placement,
                             **values(days_per_week=None, hours_per_week=40))
    session.expire_all()
    assert session.get(Placement, placement.id).hours_per_week == 40


def test_the_hours_message_reads_in_dutch(session, world, app):
    with app.test_request_context(headers={"Accept-Language": "nl"}), \
            pytest.raises(PlacementError) as error:
        create(session, world.home, days_per_week=2, hours_per_week=24)
    assert str(error.value) == ("24 uur per week past niet in 2 dagen: hooguit 10 uur per dag, "
                                "dus hooguit 20 uur. Verlaag de uren of kies meer dagen.")
