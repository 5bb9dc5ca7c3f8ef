"""Who may do what: every check lives here.

``can_*`` answer a question; ``require_*`` enforce it; ``get_*_or_404`` load an object
and answer 404 when it does not exist *or* the user may not see it, so that another
user's objects cannot even be discovered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps

from flask import abort, g
from flask_login import current_user, login_required
from sqlmodel import select

from .db import get_session
from .models import (
    Activity,
    ActivityObserver,
    Company,
    CompanyContact,
    MatchProposal,
    Participation,
    Placement,
    PlacementStatus,
    Region,
    Role,
    School,
    StudentProfile,
    TalentObservation,
    User,
)
from .models.consent import may_show_to_companies
from .models.lifecycle import COMPANY_VISIBLE, EXPOSURE_KINDS, STUDENT_VISIBLE


def user_region_id(user: User) -> int | None:
    """The region a user works in: their own, or their school's."""
    if user.region_id is not None:
        return user.region_id
    if user.school_id is not None:
        school = get_session().get(School, user.school_id)
        return school.region_id if school else None
    return None


def user_company_ids(user: User) -> frozenset[int]:
    """Companies this user may act for (cached for the request)."""
    if user.role is not Role.company:
        return frozenset()
    cache = g.setdefault("_company_ids", {})
    if user.id not in cache:
        rows = get_session().exec(
            select(CompanyContact.company_id).where(
                CompanyContact.user_id == user.id, CompanyContact.can_act
            )
        ).all()
        cache[user.id] = frozenset(rows)
    return cache[user.id]


def own_student_profile(user: User) -> StudentProfile | None:
    if user.role is not Role.student:
        return None
    return get_session().exec(
        select(StudentProfile).where(StudentProfile.user_id == user.id)
    ).first()


# --- questions -------------------------------------------------------------------------

def can_view_student(user: User, student: StudentProfile) -> bool:
    if user.role is Role.admin:
        return True
    if user.role is Role.student:
        return student.user_id == user.id
    if user.role is Role.counsellor:
        return student.school_id == user.school_id
    # Coordinators read figures, companies only see approved candidates (their own view).
    return False


def can_view_school(user: User, school: School) -> bool:
    if user.role is Role.admin:
        return True
    if user.role in (Role.student, Role.counsellor):
        return school.id == user.school_id
    if user.role is Role.coordinator:
        return school.region_id == user.region_id
    return False


def can_view_company(user: User, company: Company) -> bool:
    if user.role is Role.admin:
        return True
    if user.role is Role.company:
        return company.id in user_company_ids(user)
    return company.region_id == user_region_id(user)


def can_edit_company(user: User, company: Company) -> bool:
    return user.role is Role.admin or (
        user.role is Role.company and company.id in user_company_ids(user)
    )


def can_add_company(user: User) -> bool:
    """Add companies: coordinators (in their region) and admins."""
    return user.role is Role.admin or (user.role is Role.coordinator
                                       and user.region_id is not None)


def can_manage_company(user: User, company: Company) -> bool:
    """Edit the profile and the contacts: admins, coordinators of the company's region, and
    the company's own contacts who can act for it."""
    if user.role is Role.admin:
        return True
    if user.role is Role.coordinator:
        return user.region_id is not None and company.region_id == user.region_id
    if user.role is Role.company:
        return company.id in user_company_ids(user)
    return False


def can_view_placement(user: User, placement: Placement, company: Company) -> bool:
    if user.role is Role.admin:
        return True
    if user.role is Role.company:
        return company.id in user_company_ids(user)
    # A draft is the company's own business until it is published.
    if placement.status is PlacementStatus.draft:
        return False
    return company.region_id == user_region_id(user)


def is_observer_of(user: User, activity: Activity) -> bool:
    """Assigned to record observations at this activity (a scout, a company host)."""
    return get_session().exec(
        select(ActivityObserver.user_id).where(
            ActivityObserver.activity_id == activity.id, ActivityObserver.user_id == user.id)
    ).first() is not None


def can_view_activity(user: User, activity: Activity) -> bool:
    if user.role is Role.admin:
        return True
    if user.role in (Role.counsellor, Role.coordinator):
        return activity.region_id == user_region_id(user)
    if user.role is Role.observer:
        return is_observer_of(user, activity)
    if user.role is Role.company:
        return (activity.host_company_id in user_company_ids(user)
                or is_observer_of(user, activity))
    if user.role is Role.student:
        profile = own_student_profile(user)
        return profile is not None and get_session().exec(
            select(Participation.id).where(
                Participation.activity_id == activity.id,
                Participation.student_id == profile.id,
            )
        ).first() is not None
    return False


def can_create_activity(user: User) -> bool:
    return user.role in (Role.counsellor, Role.coordinator, Role.admin)


def can_manage_activity(user: User, activity: Activity) -> bool:
    """Edit it, register participants, assign observers."""
    if user.role is Role.admin:
        return True
    if user.role is Role.coordinator:
        return activity.region_id == user.region_id
    if user.role is Role.counsellor:
        # A counsellor manages what their school organises, or what they created themselves.
        return activity.region_id == user_region_id(user) and (
            activity.school_id == user.school_id or activity.created_by_id == user.id)
    return False


def can_follow_school(user: User, school: School) -> bool:
    """Whose students this user registers and records observations for (staff only)."""
    if user.role is Role.admin:
        return True
    if user.role is Role.counsellor:
        return school.id == user.school_id
    if user.role is Role.coordinator:
        return school.region_id == user.region_id
    return False


def can_organise_at(user: User, school: School | None) -> bool:
    """The school an activity of this user may belong to (None: organised by the region)."""
    if user.role is Role.admin:
        return True
    if user.role is Role.counsellor:
        return school is not None and school.id == user.school_id
    if user.role is Role.coordinator:
        return school is None or school.region_id == user.region_id
    return False


def can_register_from_school(user: User, activity: Activity, school: School) -> bool:
    return can_manage_activity(user, activity) and can_follow_school(user, school)


def can_register_student(user: User, activity: Activity, student: StudentProfile) -> bool:
    school = get_session().get(School, student.school_id)
    return school is not None and can_register_from_school(user, activity, school)


def can_observe(user: User, activity: Activity) -> bool:
    """Record talent observations at this activity."""
    if user.role in (Role.admin, Role.counsellor, Role.coordinator):
        return can_view_activity(user, activity)
    if user.role in (Role.observer, Role.company):
        return is_observer_of(user, activity)
    return False


def can_mark_attendance(user: User, activity: Activity, student: StudentProfile) -> bool:
    """Mark a participant attended or absent: whoever manages the activity, or the student's
    own counsellor at an activity they can see."""
    if can_manage_activity(user, activity):
        return True
    return (user.role is Role.counsellor and student.school_id == user.school_id
            and can_view_activity(user, activity))


def attendance_school_ids(user: User, activity: Activity) -> list[int] | None:
    """Schools whose participants ``user`` may mark at ``activity``: None for every school
    (the organiser), their own school for another counsellor, none for anyone else. The list
    form of :func:`can_mark_attendance`."""
    if can_manage_activity(user, activity):
        return None
    if (user.role is Role.counsellor and user.school_id is not None
            and can_view_activity(user, activity)):
        return [user.school_id]
    return []


def can_edit_observation(user: User, observation: TalentObservation) -> bool:
    """Only the author corrects an observation (the history keeps every version)."""
    return observation.observer_id == user.id


def can_read_observation(user: User, observation: TalentObservation,
                         student: StudentProfile) -> bool:
    """Its author, the counsellors of the student's school, and admins read an observation."""
    if user.role is Role.admin or can_edit_observation(user, observation):
        return True
    return user.role is Role.counsellor and student.school_id == user.school_id


def registrable_school_ids(user: User, activity: Activity) -> list[int]:
    """Schools whose students this user may register at ``activity``.

    The list form of :func:`can_register_student`, for building choices.
    """
    if not can_manage_activity(user, activity):
        return []
    if user.role is Role.counsellor:
        return [user.school_id] if user.school_id else []
    region_id = user.region_id if user.role is Role.coordinator else activity.region_id
    return list(get_session().exec(select(School.id).where(School.region_id == region_id)).all())


def can_manage_students_of(user: User, school: School) -> bool:
    """Add or change students of ``school``: its own counsellors, or an admin."""
    if user.role is Role.admin:
        return True
    return user.role is Role.counsellor and school.id == user.school_id


def can_manage_student(user: User, student: StudentProfile) -> bool:
    """Record consent, carry out a deletion: the student's own school, or an admin."""
    if user.role is Role.admin:
        return True
    return user.role is Role.counsellor and student.school_id == user.school_id


def can_import(user: User, kind: str) -> bool:
    if user.role is Role.admin:
        return True
    if user.role is Role.counsellor:
        return kind in ("students", "activities", "participations", "observations")
    if user.role is Role.coordinator:
        return kind in ("activities", "participations", "observations", "companies",
                        "placements")
    return False


# --- enforcers -------------------------------------------------------------------------

def require_role(*roles: Role) -> Callable:
    """A logged-in user with one of ``roles``; others get 403 (the page exists, not for them)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _get_or_404(model, object_id: int, allowed: Callable[[object], bool]):
    obj = get_session().get(model, object_id)
    if obj is None or not allowed(obj):
        abort(404)
    return obj


def get_student_or_404(student_id: int) -> StudentProfile:
    return _get_or_404(StudentProfile, student_id,
                       lambda s: can_view_student(current_user, s))


def get_school_or_404(school_id: int) -> School:
    return _get_or_404(School, school_id, lambda s: can_view_school(current_user, s))


def get_company_or_404(company_id: int) -> Company:
    return _get_or_404(Company, company_id, lambda c: can_view_company(current_user, c))


def get_placement_or_404(placement_id: int) -> Placement:
    def allowed(placement: Placement) -> bool:
        company = get_session().get(Company, placement.company_id)
        return can_view_placement(current_user, placement, company)

    return _get_or_404(Placement, placement_id, allowed)


def get_activity_or_404(activity_id: int) -> Activity:
    return _get_or_404(Activity, activity_id, lambda a: can_view_activity(current_user, a))


def get_observation_or_404(observation_id: int) -> TalentObservation:
    """An observation its author (or an admin) may open."""
    return _get_or_404(TalentObservation, observation_id,
                       lambda o: current_user.role is Role.admin
                       or can_edit_observation(current_user, o))


def get_managed_activity_or_404(activity_id: int) -> Activity:
    return _get_or_404(Activity, activity_id, lambda a: can_manage_activity(current_user, a))


def get_attendee_or_404(activity: Activity, student_id: int) -> StudentProfile:
    """A student whose attendance at ``activity`` the user may mark."""
    return _get_or_404(StudentProfile, student_id,
                       lambda s: can_mark_attendance(current_user, activity, s))


def get_managed_student_or_404(student_id: int) -> StudentProfile:
    return _get_or_404(StudentProfile, student_id,
                       lambda s: can_manage_student(current_user, s))


def can_answer_candidate(user: User, proposal: MatchProposal) -> bool:
    """A contact who acts for the placement's company, once the candidate reached it."""
    if user.role is not Role.company or proposal.status not in COMPANY_VISIBLE:
        return False
    placement = get_session().get(Placement, proposal.placement_id)
    student = get_session().get(StudentProfile, proposal.student_id)
    return (placement is not None and placement.company_id in user_company_ids(user)
            and may_show_to_companies(session=get_session(), student=student,
                                      today=date.today()))


def get_candidate_or_404(proposal_id: int) -> MatchProposal:
    return _get_or_404(MatchProposal, proposal_id,
                       lambda p: can_answer_candidate(current_user, p))


def get_managed_company_or_404(company_id: int) -> Company:
    """A company the user may see and edit (another company answers 404, as if missing)."""
    return _get_or_404(Company, company_id,
                       lambda c: can_view_company(current_user, c)
                       and can_manage_company(current_user, c))


def matching_scopes(user: User) -> list[tuple[str, str]]:
    """(key, label) of the cohorts ``user`` may run matching for on the web: counsellors their
    school, coordinators their region or one of its schools, admins any region or school.
    Everyone at once is for ``talentmatch match --all``: too long for a web request."""
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
        return list(get_session().exec(select(School.id).where(
            School.region_id == user.region_id)).all())
    return reviewable_school_ids(user)


def get_reviewable_proposal_or_404(proposal_id: int) -> MatchProposal:
    def allowed(proposal: MatchProposal) -> bool:
        student = get_session().get(StudentProfile, proposal.student_id)
        schools = reviewable_school_ids(current_user)
        return student is not None and student.anonymised_at is None and (
            schools is None or student.school_id in schools)

    return _get_or_404(MatchProposal, proposal_id, allowed)


def get_own_proposal_or_404(proposal_id: int) -> MatchProposal:
    """A proposal of the logged-in student that they may see (offered to them, or later)."""

    def allowed(proposal: MatchProposal) -> bool:
        profile = own_student_profile(current_user)
        return profile is not None and proposal.student_id == profile.id and \
            proposal.status in STUDENT_VISIBLE

    return _get_or_404(MatchProposal, proposal_id, allowed)


def can_view_monitor(user: User, region: Region | None) -> bool:
    """The monitor's figures of ``region`` (None: every region at once): a coordinator their
    own region, an admin any region or all of them. Figures only, never a student's name."""
    if user.role is Role.admin:
        return True
    return (user.role is Role.coordinator and region is not None
            and user.region_id is not None and region.id == user.region_id)


def fairness_scopes(user: User) -> frozenset[str] | None:
    """Round scopes (``MatchRound.scope``) whose fairness audit ``user`` may read: every round
    for an admin (None); a coordinator the rounds of their region and of its schools; nobody
    else any. The audit holds figures only, never a student."""
    if user.role is Role.admin:
        return None
    if user.role is not Role.coordinator or user.region_id is None:
        return frozenset()
    session = get_session()
    region = session.get(Region, user.region_id)
    if region is None:
        return frozenset()
    codes = session.exec(select(School.code).where(School.region_id == region.id)).all()
    return frozenset({f"region:{region.slug}", *(f"school:{code}" for code in codes)})


def get_fairness_round_or_404(round_id: int):
    """A matching round whose fairness audit the user may read."""
    from .models import MatchRound

    def allowed(round_: MatchRound) -> bool:
        scopes = fairness_scopes(current_user)
        return scopes is None or round_.scope in scopes

    return _get_or_404(MatchRound, round_id, allowed)


# --- group events ----------------------------------------------------------------------------

def can_organise_group_events(user: User) -> bool:
    """Create group events: coordinators (for their region) and admins."""
    return user.role is Role.admin or (user.role is Role.coordinator
                                       and user.region_id is not None)


def can_manage_group_event(user: User, event) -> bool:
    """Enter its groups and hosts, run the assignment, publish it: the coordinators of the
    event's region, and admins."""
    if user.role is Role.admin:
        return True
    return (user.role is Role.coordinator and user.region_id is not None
            and event.region_id == user.region_id)


def get_managed_group_event_or_404(event_id: int):
    from .models import GroupEvent

    return _get_or_404(GroupEvent, event_id,
                       lambda e: can_manage_group_event(current_user, e))


# --- talent without interest -----------------------------------------------------------------

def can_view_talent_gap(user: User, school: School) -> bool:
    """The list of a school's students with talent but little stated interest: the school's
    own counsellors, and admins."""
    if user.role is Role.admin:
        return True
    return user.role is Role.counsellor and school.id == user.school_id


def can_invite_to_activity(user: User, activity: Activity, student: StudentProfile,
                           today: date | None = None) -> bool:
    """Register one of their students for an upcoming exposure activity (Girlsday, a company
    visit, a guest lesson ...) of the school's region: the student's own counsellor, also when
    the region organises it; and whoever may register the student there anyway."""

    if student.anonymised_at is not None:
        return False
    if activity.kind not in EXPOSURE_KINDS or activity.starts_on < (today or date.today()):
        return False
    if user.role is Role.counsellor and student.school_id == user.school_id:
        school = get_session().get(School, student.school_id)
        return school is not None and activity.region_id == school.region_id
    return can_register_student(user, activity, student)
