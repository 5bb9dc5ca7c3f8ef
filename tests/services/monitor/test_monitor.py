"""The monitor's counts against seed data, counted again here in plain Python over the rows."""

from __future__ import annotations

import random
import shutil
import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, delete, select

from app.db import make_engine
from app.models import (
    Activity,
    Attendance,
    Company,
    DecisionLog,
    Gender,
    MatchProposal,
    Participation,
    Placement,
    PlacementEvent,
    PlacementStatus,
    ProposalStatus,
    Region,
    StudentGender,
    StudentProfile,
    TalentObservation,
    metadata,
)
from app.services import monitor
from app.services.students import anonymise_student
from seeds import generate
from tests import factories

S = ProposalStatus
DUMMY_HASH = "scrypt:32768:8:1$seedtests$" + "0" * 128
YEARS = ("2024-2025", "2025-2026")
SENT = {S.sent_to_company, S.company_accepted, S.company_declined, S.lapsed, S.placed,
        S.completed}
ANSWERED = {S.company_accepted, S.company_declined, S.placed, S.completed}


def _at(rng: random.Random) -> datetime:
    """A moment somewhere in the two seeded school years."""
    return datetime(2024, 8, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(2 * 365 * 1440))


def _add_the_road(session: Session, rng: random.Random) -> None:
    """The seeds stop before matching: add proposals in every status, approvals in the log,
    company answers and placement histories, some students without a gender row, and
    students whose account was deleted."""
    students = session.exec(select(StudentProfile).order_by(StudentProfile.id)).all()
    placements = session.exec(select(Placement).order_by(Placement.id)).all()
    open_ones = [p for p in placements if p.status is not PlacementStatus.draft]
    for student in rng.sample(students, len(students) * 2 // 3):
        for _ in range(rng.choice((1, 1, 2))):
            status = rng.choice(list(S))
            proposal = MatchProposal(student_id=student.id,
                                     placement_id=rng.choice(open_ones).id, status=status)
            if status in SENT:
                proposal.sent_to_company_at = _at(rng)
                if status in ANSWERED:
                    proposal.company_answered_at = proposal.sent_to_company_at + timedelta(
                        hours=rng.randrange(1, 500))
            session.add(proposal)
            session.flush()
            if status is S.rejected and rng.random() < 0.5:  # rejected after approval
                session.add(DecisionLog(proposal_id=proposal.id, action="approve",
                                        from_status="proposed", to_status="approved"))
            if status is S.approved:
                session.add(DecisionLog(proposal_id=proposal.id, action="approve",
                                        from_status="proposed", to_status="approved"))
    for placement in rng.sample(placements, len(placements) // 2):
        start = _at(rng)
        session.add(PlacementEvent(placement_id=placement.id, action="created", at=start,
                                   to_status="draft"))
        roll = rng.random()
        if roll < 0.6:      # published, perhaps paused and opened again
            session.add(PlacementEvent(placement_id=placement.id, action="published",
                                       at=start + timedelta(days=rng.randrange(60)),
                                       from_status="draft", to_status="open"))
            session.add(PlacementEvent(placement_id=placement.id, action="reopened",
                                       at=start + timedelta(days=90), from_status="paused",
                                       to_status="open"))
        elif roll < 0.8:    # closed before it was ever published: never posted
            session.add(PlacementEvent(placement_id=placement.id, action="closed",
                                       at=start + timedelta(days=3), from_status="draft",
                                       to_status="closed"))
    # A sector written with other capitals and spaces is the same sector.
    company = session.exec(select(Company).order_by(Company.id)).first()
    company.sector = f"  {company.sector.upper()} "
    session.add(company)
    for student in rng.sample(students, 15):
        session.exec(delete(StudentGender).where(StudentGender.student_id == student.id))
    session.commit()
    observed = session.exec(select(TalentObservation.student_id).where(
        TalentObservation.strength >= 4)).all()
    participants = session.exec(select(Participation.student_id)).all()
    for student_id in sorted(set(observed) & set(participants))[:8]:
        anonymise_student(session=session, student=session.get(StudentProfile, student_id))


@pytest.fixture(scope="module")
def seeded_engine(request, tmp_path_factory, scratch_database):
    """300 seeded students with the road from activity to placement, shared (read-only)."""
    if scratch_database is None:
        path = tmp_path_factory.mktemp("monitor") / "monitor.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = scratch_database()
    engine = make_engine(url)
    metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        generate(session, students=300, placements=100, seed=11, password_hash=DUMMY_HASH)
        _add_the_road(session, random.Random(11))
    yield engine
    engine.dispose()
    if scratch_database is not None:
        scratch_database.drop(url)


@pytest.fixture
def db(seeded_engine):
    with Session(seeded_engine) as session:
        yield session


class Rows:
    """Every row the monitor reads, loaded once, counted by hand."""

    def __init__(self, session: Session):
        self.activities = {a.id: a for a in session.exec(select(Activity))}
        # Taking part is attending: registrations and absences do not count.
        self.participations = session.exec(select(Participation).where(
            Participation.attendance == Attendance.attended)).all()
        self.students = {s.id: s for s in session.exec(select(StudentProfile))}
        self.gender = {g.student_id: g.gender for g in session.exec(select(StudentGender))}
        self.proposals = session.exec(select(MatchProposal)).all()
        self.approved = {log.proposal_id for log in session.exec(select(DecisionLog))
                         if log.action == "approve"}
        self.placements = {p.id: p for p in session.exec(select(Placement))}
        self.companies = {c.id: c for c in session.exec(select(Company))}
        self.events = defaultdict(list)
        for event in session.exec(select(PlacementEvent)):
            self.events[event.placement_id].append(event)
        self.observations = session.exec(select(TalentObservation)).all()

    def gender_of(self, student_id: int) -> Gender:
        return self.gender.get(student_id, Gender.not_given)

    def activity_in(self, activity_id: int, scope: monitor.Scope) -> bool:
        activity = self.activities[activity_id]
        return ((scope.region is None or activity.region_id == scope.region.id)
                and (scope.school_year is None or activity.school_year == scope.school_year))

    def company_in(self, company: Company, scope: monitor.Scope) -> bool:
        return scope.region is None or company.region_id == scope.region.id


def in_year(moment: datetime, school_year: str | None) -> bool:
    if school_year is None:
        return True
    start = int(school_year[:4])
    return datetime(start, 8, 1, tzinfo=UTC) <= moment < datetime(start + 1, 8, 1, tzinfo=UTC)


def scopes(session: Session) -> list[monitor.Scope]:
    regions = session.exec(select(Region).order_by(Region.id)).all()
    return [monitor.Scope(region, year) for region in (None, *regions)
            for year in (None, *YEARS)]


@pytest.fixture
def rows(db):
    return Rows(db)


def test_the_seed_data_reaches_every_part_of_the_monitor(db, rows):
    """Otherwise the comparisons below would compare zeros."""
    everything = monitor.Scope()
    assert all(monitor.participants(session=db, scope=everything, by=by)
               for by in monitor.DIMENSIONS)
    funnel = monitor.funnel(session=db, scope=everything)
    assert all(row.placed for row in funnel[:2]) and funnel[3].took_part
    assert any(s.lapsed and s.filled for s in monitor.sectors(session=db, scope=everything))
    assert any(a.median_days for a in monitor.answer_times(session=db, scope=everything))
    assert any(t.without_match.total < t.with_evidence.total
               for t in monitor.talent_without_match(session=db, scope=everything))
    assert sum(s.anonymised_at is not None and s.user_id is None
               for s in rows.students.values()) == 8


@pytest.mark.parametrize("by", monitor.DIMENSIONS)
def test_participants_per_group_and_school_year(db, rows, by):
    for scope in scopes(db):
        seen: dict[tuple[str, str], set[int]] = defaultdict(set)
        for p in rows.participations:
            if rows.activity_in(p.activity_id, scope):
                activity = rows.activities[p.activity_id]
                key = {"kind": activity.kind, "pillar": activity.pillar,
                       "level": rows.students[p.student_id].level}[by]
                seen[(activity.school_year, key.value)].add(p.student_id)
        expected = {group: Counter(rows.gender_of(s) for s in ids)
                    for group, ids in seen.items()}
        got = {(r.school_year, r.key): r.counts
               for r in monitor.participants(session=db, scope=scope, by=by)}
        assert set(got) == set(expected), scope
        for group, counts in expected.items():
            assert got[group] == monitor.GenderCounts.of(counts), (scope, group)
            assert got[group].total == len(seen[group])


def test_funnel_by_gender(db, rows):
    for scope in scopes(db):
        cohort = {p.student_id for p in rows.participations
                  if rows.activity_in(p.activity_id, scope)}
        of_student = defaultdict(list)
        for proposal in rows.proposals:
            of_student[proposal.student_id].append(proposal)
        expected = {g: [0, 0, 0, 0] for g in monitor.GENDERS}
        for student_id in cohort:
            mine = of_student[student_id]
            approved = any(p.status not in (S.proposed, S.rejected) or p.id in rows.approved
                           for p in mine)
            placed = any(p.status in (S.placed, S.completed) for p in mine)
            counts = expected[rows.gender_of(student_id)]
            for i, reached in enumerate((True, bool(mine), approved, placed)):
                counts[i] += reached
        got = {r.gender: [r.took_part, r.proposed, r.approved, r.placed]
               for r in monitor.funnel(session=db, scope=scope)}
        assert got == expected, scope


def _posted_at(rows: Rows, placement: Placement) -> datetime | None:
    events = rows.events[placement.id]
    opened = [e.at for e in events if e.to_status in ("open", "paused")]
    if opened:
        return min(opened)
    if not events and placement.status is not PlacementStatus.draft:
        return placement.created_at
    return None


def test_placements_posted_filled_and_lapsed_per_sector(db, rows):
    for scope in scopes(db):
        expected: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for placement in rows.placements.values():
            company = rows.companies[placement.company_id]
            when = _posted_at(rows, placement)
            if not rows.company_in(company, scope) or when is None \
                    or not in_year(when, scope.school_year):
                continue
            statuses = {p.status for p in rows.proposals if p.placement_id == placement.id}
            counts = expected[company.sector.strip().lower()]
            counts[0] += 1
            counts[1] += bool(statuses & {S.company_accepted, S.placed, S.completed})
            counts[2] += S.lapsed in statuses
        got = {r.sector.strip().lower(): [r.posted, r.filled, r.lapsed]
               for r in monitor.sectors(session=db, scope=scope)}
        assert got == dict(expected), scope


def test_company_answer_times_per_sector(db, rows):
    for scope in scopes(db):
        sent: dict[str, list[MatchProposal]] = defaultdict(list)
        for proposal in rows.proposals:
            company = rows.companies[rows.placements[proposal.placement_id].company_id]
            if proposal.sent_to_company_at is not None and rows.company_in(company, scope) \
                    and in_year(proposal.sent_to_company_at, scope.school_year):
                sent[company.sector.strip().lower()].append(proposal)
        got = {r.sector.strip().lower(): r for r in monitor.answer_times(session=db,
                                                                           scope=scope)}
        assert set(got) == set(sent), scope
        for sector, proposals in sent.items():
            days = [(p.company_answered_at - p.sent_to_company_at).total_seconds() / 86400
                    for p in proposals if p.company_answered_at is not None]
            row = got[sector]
            assert (row.sent, row.answered, row.lapsed, row.waiting) == (
                len(proposals), len(days), sum(p.status is S.lapsed for p in proposals),
                sum(p.status is S.sent_to_company for p in proposals)), (scope, sector)
            if days:
                assert row.median_days == pytest.approx(statistics.median(days))
                assert row.mean_days == pytest.approx(statistics.fmean(days))
            else:
                assert row.median_days is None and row.mean_days is None


def test_students_with_talent_evidence_but_no_match(db, rows):
    underway = {S.proposed, S.approved, S.offered, S.student_accepted, S.sent_to_company,
                S.company_accepted, S.placed, S.completed}
    matched = {p.student_id for p in rows.proposals if p.status in underway}
    for scope in scopes(db):
        evidence = {o.student_id for o in rows.observations
                    if o.strength >= 4 and rows.activity_in(o.activity_id, scope)}
        expected: dict[str, tuple[Counter, Counter]] = defaultdict(lambda: (Counter(),
                                                                           Counter()))
        for student_id in evidence:
            level = rows.students[student_id].level.value
            gender = rows.gender_of(student_id)
            expected[level][0][gender] += 1
            expected[level][1][gender] += student_id not in matched
        got = {r.level: (r.with_evidence, r.without_match)
               for r in monitor.talent_without_match(session=db, scope=scope)}
        assert got == {level: (monitor.GenderCounts.of(a), monitor.GenderCounts.of(b))
                       for level, (a, b) in expected.items()}, scope


def _figures(session: Session, scope: monitor.Scope):
    return (
        [monitor.participants(session=session, scope=scope, by=by) for by in monitor.DIMENSIONS],
        monitor.funnel(session=session, scope=scope),
        monitor.sectors(session=session, scope=scope),
        monitor.answer_times(session=session, scope=scope),
        monitor.talent_without_match(session=session, scope=scope),
    )


def test_a_deleted_account_still_counts(session, world):
    """Deleting a student's account (anonymising the profile) changes no figure."""
    home = world.home
    proposal = factories.make_proposal(session, home.student, home.placement,
                                       status=S.company_accepted)
    proposal.sent_to_company_at = datetime(2025, 11, 3, 9, tzinfo=UTC)
    proposal.company_answered_at = datetime(2025, 11, 5, 9, tzinfo=UTC)
    session.add(proposal)
    session.commit()
    scope = monitor.Scope(home.region)
    before = _figures(session, scope)
    funnel = before[1][0]
    assert (funnel.gender, funnel.took_part, funnel.approved) == (Gender.girl, 1, 1)
    assert before[4][0].with_evidence.girls == 1

    anonymise_student(session=session, student=home.student)
    session.expire_all()
    assert session.get(StudentProfile, home.student.id).user_id is None
    assert _figures(session, scope) == before


def test_no_data_gives_empty_figures_not_errors(session):
    scope = monitor.Scope(school_year="2030-2031")
    participants, funnel, sectors, answers, talent = _figures(session, scope)
    assert participants == [[], [], []] and sectors == answers == talent == []
    assert [row.took_part for row in funnel] == [0, 0, 0, 0]


@pytest.mark.parametrize("text", ["2025", "2025-2027", "abcd-efgh", "", "2025-2026 "])
def test_a_school_year_must_look_like_one(text):
    with pytest.raises(monitor.MonitorError):
        monitor.parse_school_year(text)


def test_school_years_follow_1_august():
    assert monitor.year_bounds("2025-2026") == (datetime(2025, 8, 1, tzinfo=UTC),
                                                datetime(2026, 8, 1, tzinfo=UTC))
