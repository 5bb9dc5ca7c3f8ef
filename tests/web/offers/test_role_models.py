"""Female role models and mentors: marked on the student's proposals, a filter for who wants
one, and named in the reason a proposal gives."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from app.models import MatchProposal, ProposalStatus
from app.services.matching import Scope, forget_fitted_scorers, run_matching
from tests import factories

S = ProposalStatus


def offer_two(world, session):
    """Two offered proposals for Sanne: one at a company with a female role model."""
    home = world.home
    other, _contact = factories.make_company(session, home.region, password_hash="x")
    other.name = "Zonder Rolmodel B.V."
    home.company.female_role_model = True
    home.company.offers_mentor = True
    session.add_all([other, home.company])
    elsewhere = factories.make_placement(session, other)
    elsewhere.title = "Snuffelstage installatietechniek"
    session.add(elsewhere)
    factories.make_proposal(session, home.student, home.placement, status=S.offered)
    factories.make_proposal(session, home.student, elsewhere, status=S.offered)
    session.commit()
    return home.placement, elsewhere


def test_companies_with_a_female_role_model_or_mentor_are_marked(world, session, client,
                                                                 login):
    with_model, without = offer_two(world, session)
    login(world.home.student_user)
    page = client.get("/me/proposals/")
    assert page.status_code == 200
    assert with_model.title in page.text and without.title in page.text
    assert page.text.count('data-testid="role-model"') == 1
    assert page.text.count('data-testid="mentor"') == 1


def test_a_student_filters_on_a_female_role_model(world, session, client, login):
    with_model, without = offer_two(world, session)
    login(world.home.student_user)
    page = client.get("/me/proposals/?role_model=1")
    assert with_model.title in page.text and without.title not in page.text
    assert 'name="role_model" value="1" checked' in page.text
    world.home.company.female_role_model = False
    session.add(world.home.company)
    session.commit()
    empty = client.get("/me/proposals/?role_model=1")
    assert with_model.title not in empty.text and "/me/proposals/" in empty.text


def test_the_reason_names_the_role_model_when_the_student_wants_one(world, session, client,
                                                                    login, app):
    home = world.home
    home.student.wants_role_model = True
    home.company.female_role_model = True
    session.add_all([home.student, home.company])
    session.commit()
    forget_fitted_scorers()
    with app.test_request_context():
        run_matching(session=session, scope=Scope(school=home.school), actor=None, seed=1,
                     today=date(2025, 11, 1))
    proposal = session.exec(select(MatchProposal).where(
        MatchProposal.student_id == home.student.id)).one()
    assert proposal.explanation_parts["role_model"]
    assert "rolmodel" in proposal.explanation
    other = session.exec(select(MatchProposal).where(
        MatchProposal.student_id == home.classmate.id)).first()
    assert other is None or "rolmodel" not in other.explanation  # Daan did not ask for one
    proposal.status = S.offered
    session.add(proposal)
    session.commit()
    login(home.student_user)
    page = client.get("/me/proposals/")
    assert "rolmodel" in page.text and 'data-testid="role-model"' in page.text
    client.get("/lang/en")
    assert "role model" in client.get("/me/proposals/").text
