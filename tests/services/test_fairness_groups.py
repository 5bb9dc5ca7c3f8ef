"""The audit's groups agree with what the exports list: technical proposals counted over the
round's stored proposals (``talentmatch export matches``), the top 5 over the recommendations
export; and an audit made again is made from the proposals as stored."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlmodel import select

from app.models import (
    Company,
    MatchProposal,
    Placement,
    ProposalStatus,
    School,
    StudentProfile,
)
from app.services.fairness import audit_again, genders_of
from app.services.match_export import proposal_rows
from app.services.matching import Scope, fitted_scorer, run_matching
from app.services.matching_data import placement_records, student_records
from app.services.recommendations import recommendation_rows
from matching.fairness import technical_by_id
from matching.profiles import interest_stance, talent_level
from seeds import generate

TODAY = date(2026, 1, 15)


@pytest.fixture
def seeded(session, password_hash):
    generate(session, students=160, placements=80, seed=11, password_hash=password_hash)
    return session


def student_ids(session) -> dict[tuple[str, str], int]:
    return {(school, number): sid for sid, number, school in session.exec(
        select(StudentProfile.id, StudentProfile.student_number, School.code)
        .join(School, School.id == StudentProfile.school_id)).all()}


def recount_proposals(session, round_id: int, ids: list[int]) -> Counter:
    """(stance, talent, gender, what) -> students, counted from the export of the round's
    proposals, with each student's group from the profiles' own definitions."""
    scorer = fitted_scorer(session=session, today=TODAY)
    placement_of = {(code, kvk): pid for pid, code, kvk in session.exec(
        select(Placement.id, Placement.code, Company.kvk)
        .join(Company, Company.id == Placement.company_id)).all()}
    # Technical as the audit defines it, also for a placement no longer open.
    technical = technical_by_id(scorer, placement_records(
        session=session, placement_ids=sorted(placement_of.values())))
    who = student_ids(session)
    proposed = {who[school, number]: placement_of[code, kvk]
                for _round, number, school, code, kvk, *_rest in proposal_rows(
                    session=session, round_id=round_id)}
    records = student_records(session=session, student_ids=ids, today=TODAY)
    batch = scorer.prepare(records)
    stance = interest_stance(batch.interest, scorer.profiler_.technical_)
    talent = talent_level(batch.talent, scorer.profiler_.technical_)
    genders = genders_of(session=session, student_ids=ids)
    counts: Counter = Counter()
    for i, record in enumerate(records):
        key = (str(stance[i]), str(talent[i]), genders[record.id])
        counts[(*key, "students")] += 1
        if record.id in proposed:
            counts[(*key, "proposed")] += 1
            counts[(*key, "technical")] += technical[proposed[record.id]]
    return counts


def assert_agrees(audit: dict, counts: Counter) -> None:
    assert audit["sampled_from"] is None
    checked = 0
    for g in audit["groups"]:
        for gender, side in (("girl", "girls"), ("boy", "boys")):
            key = (g["stance"], g["talent"], gender)
            assert g[side] == counts[(*key, "students")], key
            if not g[side]:
                continue
            for name, what in (("technical_proposal", "technical"), ("proposed", "proposed")):
                counted = counts[(*key, what)] / g[side]
                assert abs(g[f"{name}_share_{side}"] - counted) <= 0.02, (key, name)
                assert g[f"{name}_{side}"] == counts[(*key, what)], (key, name)
                checked += 1
    assert sum(counts[k] for k in counts if k[2] in ("girl", "boy") and k[3] == "students") \
        == audit["students"]["girl"] + audit["students"]["boy"]
    assert checked >= 8


def test_the_groups_agree_with_a_count_of_the_rounds_stored_proposals(seeded):
    round_ = run_matching(session=seeded, scope=Scope(), actor=None, seed=1, today=TODAY)
    ids = sorted(seeded.exec(select(StudentProfile.id)).all())
    counts = recount_proposals(seeded, round_.id, ids)
    assert sum(v for k, v in counts.items() if k[3] == "technical") > 0
    assert_agrees(round_.fairness_audit, counts)


def test_the_top_5_agrees_with_the_recommendations_export(seeded):
    round_ = run_matching(session=seeded, scope=Scope(), actor=None, seed=2, today=TODAY)
    who = student_ids(seeded)
    genders = genders_of(session=seeded, student_ids=list(who.values()))
    group, technical = {}, {}
    for number, school, *_rest, is_technical, _led, stance, talent, _reason in \
            recommendation_rows(session=seeded, scope=Scope(), today=TODAY):
        sid = who[school, number]
        group[sid] = (stance, talent, genders[sid])
        technical[sid] = technical.get(sid, False) or is_technical == "yes"
    counted = Counter(group[sid] for sid in group if technical[sid])
    checked = 0
    for g in round_.fairness_audit["groups"]:
        for gender, side in (("girl", "girls"), ("boy", "boys")):
            if g[side]:
                share = counted[g["stance"], g["talent"], gender] / g[side]
                assert abs(g[f"technical_top_share_{side}"] - share) <= 0.02, (g, gender)
                checked += 1
    assert checked >= 4


def test_an_audit_made_again_counts_the_proposals_as_stored_now(seeded):
    round_ = run_matching(session=seeded, scope=Scope(), actor=None, seed=3, today=TODAY)
    before = round_.fairness_audit
    girls = {sid for sid, g in genders_of(session=seeded, student_ids=list(
        student_ids(seeded).values())).items() if g == "girl"}
    # Every other girl's proposal is gone since (withdrawn, or its placement deleted).
    gone = [p for p in seeded.exec(select(MatchProposal).where(
        MatchProposal.round_id == round_.id).order_by(MatchProposal.id)).all()
        if p.student_id in girls][::2]
    for proposal in gone:
        seeded.delete(proposal)
    seeded.commit()
    assert len(gone) >= 5
    again = audit_again(session=seeded, round_=round_)
    assert again["computed"] == "afterwards"
    assert sum(g["proposed_girls"] for g in again["groups"]) == \
        sum(g["proposed_girls"] for g in before["groups"]) - len(gone)
    assert sum(g["proposed_boys"] for g in again["groups"]) == \
        sum(g["proposed_boys"] for g in before["groups"])
    ids = sorted(seeded.exec(select(StudentProfile.id)).all())
    assert_agrees(again, recount_proposals(seeded, round_.id, ids))


def test_an_audit_made_again_leaves_out_students_whose_match_was_underway_before(seeded):
    first = run_matching(session=seeded, scope=Scope(), actor=None, seed=4, today=TODAY)
    underway = seeded.exec(select(MatchProposal).where(
        MatchProposal.round_id == first.id).order_by(MatchProposal.id)).first()
    underway.status = ProposalStatus.approved
    seeded.add(underway)
    seeded.commit()
    second = run_matching(session=seeded, scope=Scope(), actor=None, seed=4, today=TODAY)
    again = audit_again(session=seeded, round_=second)
    assert sum(again["students"].values()) == second.summary["students"] == \
        sum(second.fairness_audit["students"].values())
