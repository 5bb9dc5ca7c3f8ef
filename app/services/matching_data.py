"""What the matching library reads, loaded from the database in a few bulk queries.

Column selects rather than ORM objects, so a cohort of 100,000 students loads in seconds. No
gender is read here: the records have no field for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import cast

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from matching.geo import postcodes
from matching.records import Observation, Participation, PlacementRecord, StudentRecord

from ..models import (
    Activity,
    ActivityKind,
    ActivityTheme,
    Attendance,
    Company,
    MatchProposal,
    ObservationTheme,
    Placement,
    PlacementFeedback,
    PlacementStatus,
    PlacementTheme,
    School,
    StudentProfile,
    StudentTheme,
    TalentObservation,
    Theme,
)
from ..models import Participation as ParticipationRow
from ..models.base import local_today
from ..models.lifecycle import IN_FLIGHT

_CHUNK = 5_000


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _theme_slugs(session: Session) -> dict[int, str]:
    # A primary key is never NULL.
    return cast(dict[int, str], dict(session.exec(select(Theme.id, Theme.slug)).all()))


def student_records(*, session: Session, student_ids: list[int],
                    today: date | None = None) -> list[StudentRecord]:
    """Records for these students, in the order given, with the evidence of ``today``.

    Evidence is what has happened by that day: observations dated on or before it, and
    participations marked attended at activities that began by then. A registration says
    nothing about what a student did, so a reason never claims it.
    """
    today = today or local_today()
    slugs = _theme_slugs(session)
    profiles: dict[int, tuple] = {}
    themes: dict[int, list[str]] = defaultdict(list)
    observations: dict[int, list[Observation]] = defaultdict(list)
    participations: dict[int, list[Participation]] = defaultdict(list)
    s = StudentProfile
    for ids in _chunks(student_ids):
        for row in session.execute(sa.select(*map(col, (
                s.id, s.level, s.postcode, s.travel_km, s.available_from, s.available_until,
                s.wanted_kinds, s.interests_text, s.dream_job, s.wants_role_model,
                School.postcode)))
                .join(School, col(School.id) == s.school_id).where(col(s.id).in_(ids))).all():
            profiles[row[0]] = row
        for student_id, theme_id in session.exec(select(
                StudentTheme.student_id, StudentTheme.theme_id)
                .where(col(StudentTheme.student_id).in_(ids))).all():
            themes[student_id].append(slugs[theme_id])
        _add_observations(session, ids, slugs, today, observations)
        _add_participations(session, ids, slugs, today, participations)
    known_postcodes = postcodes()
    records = []
    for student_id in student_ids:
        row = profiles.get(student_id)
        if row is None:
            continue
        (_, level, postcode, travel_km, available_from, available_until, wanted, interests,
         dream_job, wants_role_model, school_postcode) = row
        if postcode not in known_postcodes:
            # An unknown postcode would let proposals come from anywhere: the school is near.
            postcode = school_postcode
        records.append(StudentRecord(
            id=student_id, level=str(level.value if hasattr(level, "value") else level),
            postcode=postcode or None, travel_km=float(travel_km or 0),
            available_from=available_from, available_until=available_until,
            wanted_kinds=tuple(wanted or ()), interests=interests or "",
            themes=tuple(sorted(themes[student_id])), dream_job=dream_job or "",
            observations=tuple(sorted(observations[student_id], key=_observation_order)),
            participations=tuple(sorted(participations[student_id], key=lambda p: p.on)),
            wants_role_model=bool(wants_role_model)))
    return records


def _add_observations(session: Session, ids: list[int], slugs: dict[int, str], today: date,
                      observations: dict[int, list[Observation]]) -> None:
    """The observations of these students dated on or before ``today``, with their themes."""
    observation_rows = session.execute(sa.select(*map(col, (
        TalentObservation.id, TalentObservation.student_id, TalentObservation.strength,
        TalentObservation.skills, TalentObservation.observed_on, Activity.title)))
        .join(Activity, col(Activity.id) == TalentObservation.activity_id)
        .where(col(TalentObservation.student_id).in_(ids),
               col(TalentObservation.observed_on) <= today)).all()
    observation_themes: dict[int, list[str]] = defaultdict(list)
    observation_ids = [row[0] for row in observation_rows]
    for chunk in _chunks(observation_ids):
        for observation_id, theme_id in session.exec(select(
                ObservationTheme.observation_id, ObservationTheme.theme_id)
                .where(col(ObservationTheme.observation_id).in_(chunk))).all():
            observation_themes[observation_id].append(slugs[theme_id])
    for oid, student_id, strength, skills, observed_on, title in observation_rows:
        observations[student_id].append(Observation(
            tuple(sorted(observation_themes[oid])), int(strength), observed_on,
            skills or "", title))


def _add_participations(session: Session, ids: list[int], slugs: dict[int, str], today: date,
                        participations: dict[int, list[Participation]]) -> None:
    """The attended participations of these students by ``today``, at activities with
    themes."""
    activity_themes = _activity_themes(session, ids, slugs, today)
    # Taking part in Girlsday is open to girls only, so it would be gender by another name;
    # what a scout observed there still counts (see the observations).
    for student_id, activity_id, starts_on, title in session.exec(select(
            ParticipationRow.student_id, col(Activity.id), col(Activity.starts_on),
            col(Activity.title))
            .join(Activity, col(Activity.id) == ParticipationRow.activity_id)
            .where(col(ParticipationRow.student_id).in_(ids), *_attended_by(today),
                   Activity.kind != ActivityKind.girlsday)).all():
        if activity_id is not None and activity_themes.get(activity_id):
            participations[student_id].append(Participation(
                tuple(activity_themes[activity_id]), starts_on, title))


def _observation_order(observation: Observation) -> tuple:
    return (observation.observed_on, observation.activity, observation.skills)


def _attended_by(today: date) -> tuple:
    """Participations that are evidence on ``today`` (joined with their activity)."""
    return (ParticipationRow.attendance == Attendance.attended, Activity.starts_on <= today)


def _activity_themes(session: Session, student_ids: list[int],
                     slugs: dict[int, str], today: date) -> dict[int, list[str]]:
    activity_ids = select(ParticipationRow.activity_id).join(
        Activity, col(Activity.id) == ParticipationRow.activity_id).where(
        col(ParticipationRow.student_id).in_(student_ids), *_attended_by(today)).distinct()
    found: dict[int, list[str]] = defaultdict(list)
    for activity_id, theme_id in session.exec(select(
            ActivityTheme.activity_id, ActivityTheme.theme_id)
            .where(col(ActivityTheme.activity_id).in_(activity_ids))).all():
        found[activity_id].append(slugs[theme_id])
    return {k: sorted(v) for k, v in found.items()}


def open_placement_filter(today: date) -> tuple:
    """Open placements that have not ended yet."""
    return (Placement.status == PlacementStatus.open,
            sa.or_(col(Placement.ends_on).is_(None), col(Placement.ends_on) >= today))


def open_placement_ids(*, session: Session, today: date) -> list[int]:
    ids = session.exec(select(Placement.id).where(*open_placement_filter(today))
                       .order_by(col(Placement.id))).all()
    return cast(list[int], list(ids))  # a primary key is never NULL


def placement_records(*, session: Session, placement_ids: list[int]) -> list[PlacementRecord]:
    slugs = _theme_slugs(session)
    p = Placement
    rows: dict[int, tuple] = {}
    themes: dict[int, list[str]] = defaultdict(list)
    for ids in _chunks(placement_ids):
        for row in session.execute(sa.select(*map(col, (
                p.id, p.kind, p.title, p.levels, p.description, p.learn_and_do,
                p.occupation_label, p.occupation_code, p.postcode, p.starts_on, p.ends_on,
                p.place, Company.name, Company.female_role_model, Company.id)))
                .join(Company, col(Company.id) == p.company_id).where(col(p.id).in_(ids))).all():
            rows[row[0]] = row
        for placement_id, theme_id in session.exec(select(
                PlacementTheme.placement_id, PlacementTheme.theme_id)
                .where(col(PlacementTheme.placement_id).in_(ids))).all():
            themes[placement_id].append(slugs[theme_id])
    feedback = _company_feedback(session)
    records = []
    for placement_id in placement_ids:
        row = rows.get(placement_id)
        if row is None:
            continue
        (_, kind, title, levels, description, learn_and_do, occupation, occupation_code, postcode,
         starts_on,
         ends_on, place, company, role_model, company_id) = row
        positive, total = feedback.get(company_id, (0, 0))
        records.append(PlacementRecord(
            id=placement_id, kind=str(kind.value if hasattr(kind, "value") else kind),
            title=title, levels=tuple(levels or ()),
            description=" ".join(part for part in (description, learn_and_do) if part),
            themes=tuple(sorted(themes[placement_id])), occupation=occupation or "",
            occupation_code=occupation_code or "",
            postcode=postcode or None, starts_on=starts_on, ends_on=ends_on, company=company,
            place=place or "", female_role_model=bool(role_model),
            feedback_positive=positive, feedback_total=total))
    return records


def _company_feedback(session: Session) -> dict[int, tuple[int, int]]:
    """Per company: students who would recommend it, out of those who answered."""
    rows = session.exec(select(
        Placement.company_id,
        func.sum(sa.case((col(PlacementFeedback.would_recommend).is_(True), 1), else_=0)),
        func.count())
        .select_from(PlacementFeedback)
        .join(MatchProposal, col(MatchProposal.id) == PlacementFeedback.proposal_id)
        .join(Placement, col(Placement.id) == MatchProposal.placement_id)
        .where(PlacementFeedback.author_role == "student",
               col(PlacementFeedback.would_recommend).is_not(None))
        .group_by(col(Placement.company_id))).all()
    return {company_id: (int(positive or 0), int(total)) for company_id, positive, total in rows}


def free_places(*, session: Session, placement_ids: list[int],
                leaving_out_students: Iterable[int] = ()) -> dict[int, int]:
    """Places a round may still propose: not reserved, and not claimed by a proposal in flight.

    Proposals of ``leaving_out_students`` do not count: the round is about to replace them.
    """
    free: dict[int, int] = {}
    in_flight = (col(MatchProposal.status).in_(IN_FLIGHT),
                 col(MatchProposal.holds_place).is_(False))
    for ids in _chunks(placement_ids):
        for placement_id, capacity, taken in session.exec(select(
                Placement.id, Placement.capacity, Placement.places_taken)
                .where(col(Placement.id).in_(ids))).all():
            free[cast(int, placement_id)] = capacity - taken
        for placement_id, count in session.exec(select(
                MatchProposal.placement_id, func.count())
                .where(col(MatchProposal.placement_id).in_(ids), *in_flight)
                .group_by(col(MatchProposal.placement_id))).all():
            free[placement_id] -= count
    # The proposals about to be replaced give their places back.
    for students in _chunks(list(leaving_out_students)):
        for placement_id, count in session.exec(select(
                MatchProposal.placement_id, func.count())
                .where(col(MatchProposal.student_id).in_(students), *in_flight)
                .group_by(col(MatchProposal.placement_id))).all():
            if placement_id in free:
                free[placement_id] += count
    return {pid: max(n, 0) for pid, n in free.items()}
