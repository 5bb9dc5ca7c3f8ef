"""Every matching round stores its fairness audit; a stored round can be audited again."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from app.models import MatchRound, StudentGender, StudentProfile
from app.services import fairness
from app.services.fairness import FairnessError, audit_again, genders_of, rounds
from app.services.matching import Scope, run_matching
from matching import fairness as library
from seeds import generate

TODAY = date(2026, 1, 15)


@pytest.fixture
def seeded(session, password_hash):
    generate(session, students=160, placements=80, seed=7, password_hash=password_hash)
    return session


def test_a_round_stores_its_audit_with_every_figure(seeded):
    round_ = run_matching(session=seeded, scope=Scope(), actor=None, seed=1, today=TODAY)
    seeded.expire_all()
    stored = seeded.get(MatchRound, round_.id).fairness_audit
    assert stored["format"] == library.FORMAT and stored["computed"] == "with_round"
    assert sum(stored["students"].values()) == round_.summary["students"]
    assert stored["ranked"]["girl"] > 0 and stored["ranked"]["boy"] > 0
    for name in ("exposure", "share", "exposure_by_talent", "share_by_talent"):
        figure = stored[name]
        assert figure["value"] is not None and figure["low"] <= figure["value"] <= figure["high"]
    assert stored["groups"] and stored["proposals_given"] is True
    assert stored["headline"]["status"] in ("worst", "no_large_group", "no_ratio")
    assert sum(g["girls"] for g in stored["groups"]) == stored["students"]["girl"]
    assert stored["ndcg_difference"]["value"] is not None
    assert stored["counterfactual"]["unchanged"] is True
    assert 0 <= stored["proxy"]["auc"] <= 1 and stored["sampled_from"] is None
    assert stored["settings"]["random_state"] == 1


def test_genders_are_read_for_the_audit_and_a_missing_answer_is_not_given(world, session):
    home = world.home
    ghost = StudentProfile(school_id=home.school.id, student_number="X1", first_name="Kim",
                           last_name="Jansen", level=home.student.level, postcode="6901")
    session.add(ghost)
    session.commit()
    assert genders_of(session=session, student_ids=[home.student.id, home.classmate.id,
                                                    ghost.id]) == \
        {home.student.id: "girl", home.classmate.id: "boy", ghost.id: "not_given"}


def test_a_large_round_is_audited_on_a_sample_and_says_so(seeded, monkeypatch):
    monkeypatch.setattr(fairness, "ROUND_SAMPLE", 50)
    round_ = run_matching(session=seeded, scope=Scope(), actor=None, seed=2, today=TODAY)
    audit = round_.fairness_audit
    assert audit["sampled_from"] == round_.summary["students"] > 50
    assert sum(audit["students"].values()) == 50
    # The groups count the sample, and the audit says it is one.
    assert sum(g["girls"] + g["boys"] for g in audit["groups"]) == \
        audit["students"]["girl"] + audit["students"]["boy"]


def test_a_failing_audit_does_not_lose_the_round(world, session, monkeypatch):
    def broken(self, students, genders):
        raise RuntimeError("boom")

    monkeypatch.setattr(library.FairnessAudit, "fit", broken)
    round_ = run_matching(session=session, scope=Scope(school=world.home.school), actor=None,
                          seed=1, today=TODAY)
    assert session.get(MatchRound, round_.id).fairness_audit["failed"] is True
    assert not fairness.has_audit(round_.fairness_audit)


def test_a_round_without_an_audit_is_audited_afterwards_and_stored(seeded):
    round_ = run_matching(session=seeded, scope=Scope(), actor=None, seed=3, today=TODAY)
    round_.fairness_audit = {}
    seeded.add(round_)
    seeded.commit()
    result = audit_again(session=seeded, round_=round_)
    seeded.expire_all()
    stored = seeded.get(MatchRound, round_.id).fairness_audit
    assert stored == result and fairness.has_audit(stored)
    assert stored["computed"] == "afterwards" and stored["today"] == TODAY.isoformat()
    # The group's current students, underway or not: every seeded student here.
    assert sum(stored["students"].values()) == len(seeded.exec(select(StudentProfile)).all())


def test_a_round_whose_group_is_gone_cannot_be_audited_again(world, session):
    round_ = MatchRound(scope="school:NOPE", parameters={"today": TODAY.isoformat()})
    session.add(round_)
    session.commit()
    with pytest.raises(FairnessError, match="no longer exists"):
        audit_again(session=session, round_=round_)


def test_rounds_are_listed_newest_first_and_only_for_the_scopes_given(world, session):
    for scope in ("all", "region:liemers", "school:T001"):
        session.add(MatchRound(scope=scope))
    session.commit()
    assert [r.scope for r in rounds(session=session, scopes=None)] == \
        ["school:T001", "region:liemers", "all"]
    assert [r.scope for r in rounds(session=session, scopes=frozenset({"region:liemers"}))] \
        == ["region:liemers"]
    assert rounds(session=session, scopes=frozenset()) == []


def test_the_audit_never_changes_what_a_student_is_scored_on(seeded):
    """Gender is loaded beside the records, not into them: the round's proposals are the same
    whatever the students' recorded genders are."""
    run_matching(session=seeded, scope=Scope(), actor=None, seed=5, today=TODAY)
    first = sorted((p.student_id, p.placement_id, p.score)
                   for p in _proposals(seeded))
    for row in seeded.exec(select(StudentGender)).all():
        row.gender = {"girl": "boy", "boy": "girl"}.get(row.gender.value, row.gender)
        seeded.add(row)
    seeded.commit()
    run_matching(session=seeded, scope=Scope(), actor=None, seed=5, today=TODAY)
    assert sorted((p.student_id, p.placement_id, p.score) for p in _proposals(seeded)) == first


def _proposals(session):
    from app.models import MatchProposal, ProposalStatus

    return session.exec(select(MatchProposal).where(
        MatchProposal.status == ProposalStatus.proposed)).all()
