"""Every step of the road, from every status, by every kind of person.

A step is taken only from the statuses it may follow, and only by who may take it: the
student's counsellor (or an admin), the student themselves, a contact acting for the
placement's company, or the system. Anything else is refused with a message and changes
nothing.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from app.models import DecisionLog, ProposalStatus
from app.services import pipeline
from tests import factories

S = ProposalStatus


def actors(world):
    """name -> (user or None, the roles of ACTORS this person has for home's proposal)."""
    home, away = world.home, world.away
    return {
        "own counsellor": (home.counsellor, {"counsellor"}),
        "other school's counsellor": (away.counsellor, set()),
        "admin": (world.admin, {"counsellor"}),
        "coordinator": (home.coordinator, set()),
        "the student": (home.student_user, {"student"}),
        "another student": (away.student_user, set()),
        "the company": (home.company_user, {"company"}),
        "another company": (away.company_user, set()),
        "system": (None, {"system"}),
    }


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize("action", sorted(pipeline.STEPS))
def test_each_step_is_taken_only_from_its_statuses_and_only_by_who_may_take_it(
        world, session, ctx, action):
    allowed_from, target = pipeline.STEPS[action]
    for status in S:
        for name, (user, roles) in actors(world).items():
            proposal = factories.make_proposal(session, world.home.student,
                                               world.home.placement, status=status)
            session.commit()
            allowed = status in allowed_from and bool(roles & pipeline.ACTORS[action])
            if allowed:
                entry = pipeline.step(session=session, proposal=proposal, action=action,
                                      actor=user, reason="ok")
                session.commit()
                assert proposal.status is target, (action, status, name)
                assert (entry.from_status, entry.to_status) == (status.value, target.value)
                assert entry.actor_id == (user.id if user else None)
            else:
                with pytest.raises(pipeline.StepNotAllowed) as refused:
                    pipeline.step(session=session, proposal=proposal, action=action,
                                  actor=user)
                session.rollback()
                session.refresh(proposal)
                assert proposal.status is status, (action, status, name)
                assert str(refused.value)
                assert session.exec(select(DecisionLog).where(
                    DecisionLog.proposal_id == proposal.id)).first() is None


def test_a_company_contact_who_may_not_act_cannot_answer(world, session, ctx):
    from app.models import CompanyContact

    contact = session.exec(select(CompanyContact).where(
        CompanyContact.user_id == world.home.company_user.id)).one()
    contact.can_act = False
    session.add(contact)
    proposal = factories.make_proposal(session, world.home.student, world.home.placement,
                                       status=S.sent_to_company)
    session.commit()
    with pytest.raises(pipeline.StepForbidden):
        pipeline.step(session=session, proposal=proposal, action="company_accept",
                      actor=world.home.company_user)


def test_the_table_of_actors_covers_every_step():
    assert set(pipeline.ACTORS) == set(pipeline.STEPS)
    assert all(pipeline.ACTORS[a] <= {"counsellor", "student", "company", "system"}
               for a in pipeline.ACTORS)
