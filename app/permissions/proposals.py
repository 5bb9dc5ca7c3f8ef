"""Matches on their way: who reviews, offers, answers and exports them."""

from __future__ import annotations

from flask import abort, current_app
from flask_babel import gettext as _
from sqlmodel import col, select

from app.db import get_session
from app.models import (
    MatchProposal,
    Placement,
    Region,
    Role,
    School,
    StudentProfile,
    User,
)
from app.models.consent import may_show_to_companies
from app.models.lifecycle import COMPANY_VISIBLE, FEEDBACK_OPEN, STUDENT_VISIBLE
from app.permissions.base import (
    current_actor,
    load_or_404,
    own_student_profile,
    user_company_ids,
)

from ..models.base import local_today


def can_answer_candidate(user: User, proposal: MatchProposal) -> bool:
    """A contact who acts for the placement's company, once the candidate reached it."""
    if user.role is not Role.company or proposal.status not in COMPANY_VISIBLE:
        return False
    placement = get_session().get(Placement, proposal.placement_id)
    student = get_session().get(StudentProfile, proposal.student_id)
    return (placement is not None and student is not None
            and placement.company_id in user_company_ids(user)
            and may_show_to_companies(session=get_session(), student=student,
                                      today=local_today()))


def get_candidate_or_404(proposal_id: int) -> MatchProposal:
    return load_or_404(MatchProposal, proposal_id,
                       lambda p: can_answer_candidate(current_actor(), p))


def matching_scopes(user: User) -> list[tuple[str, str]]:
    """(key, label) of the cohorts ``user`` may run matching for on the web: counsellors their
    school, coordinators their region or one of its schools, admins any region or school, and
    everyone at once when workers run the rounds (``BROKER_URL``); without workers that is
    for ``talentmatch match --all``, too long to run inside a web request."""
    session = get_session()
    if user.role is Role.counsellor:
        school = session.get(School, user.school_id) if user.school_id else None
        return [(f"school:{school.id}", school.name)] if school else []
    if user.role not in (Role.coordinator, Role.admin):
        return []
    regions = session.exec(select(Region).order_by(Region.name)).all()
    if user.role is Role.coordinator:
        regions = [r for r in regions if r.id == user.region_id]
    scopes: list[tuple[str, str]] = []
    if user.role is Role.admin and current_app.config.get("BROKER_URL"):
        scopes.append(("all", _("Everyone, in every region")))
    for region in regions:
        scopes.append((f"region:{region.id}", region.name))
        schools = session.exec(select(School).where(School.region_id == region.id)
                               .order_by(School.name)).all()
        scopes += [(f"school:{school.id}", f"{region.name} — {school.name}")
                   for school in schools]
    return scopes


def can_run_matching(user: User, scope_key: str) -> bool:
    return any(key == scope_key for key, _ in matching_scopes(user))


def reviewable_school_ids(user: User) -> list[int] | None:
    """The schools whose students' proposals ``user`` reviews: a counsellor's own school, every
    school for an admin (None). Others review nothing."""
    if user.role is Role.admin:
        return None
    if user.role is Role.counsellor and user.school_id:
        return [user.school_id]
    return []


def export_school_ids(user: User) -> list[int] | None:
    """Schools whose match lists ``user`` may export: counsellors their school, coordinators
    their region's schools, admins all (None)."""
    if user.role is Role.coordinator:
        return [school_id for school_id in get_session().exec(select(School.id).where(
            School.region_id == user.region_id)).all() if school_id is not None]
    return reviewable_school_ids(user)


def decides_on_placement(user: User, placement_id: int) -> bool:
    """Whether ``user`` decides on a proposal of this placement: the counsellor of the
    student's school (or an admin) reviewing it, or the student it is offered to. The engine
    proposes across region borders, so such a placement can lie outside the user's region."""
    session = get_session()
    query = (select(MatchProposal.id).join(StudentProfile,
                                           col(StudentProfile.id) == MatchProposal.student_id)
             .where(MatchProposal.placement_id == placement_id,
                    StudentProfile.anonymised_at.is_(None)))  # type: ignore[union-attr]
    if user.role is Role.student:
        profile = own_student_profile(user)
        if profile is None:
            return False
        query = query.where(MatchProposal.student_id == profile.id,
                            MatchProposal.status.in_(STUDENT_VISIBLE))  # type: ignore[union-attr]
    else:
        schools = reviewable_school_ids(user)
        if schools is not None:
            if not schools:
                return False
            query = query.where(StudentProfile.school_id.in_(schools))  # type: ignore[union-attr]
    return session.exec(query.limit(1)).first() is not None


def get_reviewable_proposal_or_404(proposal_id: int) -> MatchProposal:
    def allowed(proposal: MatchProposal) -> bool:
        student = get_session().get(StudentProfile, proposal.student_id)
        schools = reviewable_school_ids(current_actor())
        return student is not None and student.anonymised_at is None and (
            schools is None or student.school_id in schools)

    return load_or_404(MatchProposal, proposal_id, allowed)


def get_own_proposal_or_404(proposal_id: int) -> MatchProposal:
    """A proposal of the logged-in student that they may see (offered to them, or later)."""

    def allowed(proposal: MatchProposal) -> bool:
        profile = own_student_profile(current_actor())
        return profile is not None and proposal.student_id == profile.id and \
            proposal.status in STUDENT_VISIBLE

    return load_or_404(MatchProposal, proposal_id, allowed)


def get_feedback_proposal_or_404(proposal_id: int) -> MatchProposal:
    """The student's own placement that happened, for their feedback."""
    proposal = get_own_proposal_or_404(proposal_id)
    if proposal.status not in FEEDBACK_OPEN:
        abort(404)
    return proposal
