"""Activities: organising them, registering who takes part, attendance, and observers.

Every function takes keyword arguments, validates, commits, and raises an
:class:`ActivityError` (a ``ValueError``) whose message says what to fix; ``field`` names
the form field the message belongs to, if any. Who may call what is decided by the views
with :mod:`app.permissions`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlmodel import Session, func, or_, select

from matching.geo import clean_pc4, postcodes

from ..models import (
    Activity,
    ActivityKind,
    ActivityObserver,
    ActivityTheme,
    Attendance,
    Company,
    Participation,
    Pillar,
    Region,
    Role,
    School,
    StudentProfile,
    TalentObservation,
    Theme,
    User,
    school_year_of,
)
from .accounts import MIN_PASSWORD_LENGTH, AccountError, create_user, normalise_email
from .errors import ServiceError

PAGE_SIZE = 25
TITLE_MAX = 200
DESCRIPTION_MAX = 4000

# The pillar an activity of each kind usually serves; the form suggests it. "Other" has
# none: the organiser chooses.
SUGGESTED_PILLAR: dict[ActivityKind, Pillar] = {
    ActivityKind.girlsday: Pillar.kiezen,
    ActivityKind.tech_week: Pillar.kiezen,
    ActivityKind.technieklokaal: Pillar.kiezen,
    ActivityKind.pet_event: Pillar.kiezen,
    ActivityKind.guest_lesson: Pillar.kiezen,
    ActivityKind.talent_scouting: Pillar.kiezen,  # or leren, for older students
    ActivityKind.company_visit: Pillar.werken,
    ActivityKind.fieldlab: Pillar.innoveren,
}

# Who can be given an observer account at an activity (coordinators and admins observe
# anyway; students never do).
OBSERVER_ROLES = (Role.observer, Role.company, Role.counsellor)


class ActivityError(ServiceError):
    """Input that cannot be saved; the message says what to fix."""


class RegistrationError(ActivityError):
    """Students who cannot be registered (or unregistered) as asked."""


class ObserverError(ActivityError):
    """An observer who cannot be assigned or removed as asked."""


# --- creating and editing ---------------------------------------------------------------

@dataclass(frozen=True)
class _Cleaned:
    kind: ActivityKind
    pillar: Pillar
    title: str
    description: str
    starts_on: date
    ends_on: date | None
    postcode: str
    place: str
    host_company_id: int | None
    theme_ids: tuple[int, ...]
    capacity: int | None


def suggested_pillar(kind: ActivityKind | str) -> Pillar | None:
    try:
        return SUGGESTED_PILLAR.get(ActivityKind(kind))
    except ValueError:
        return None


def _clean(session: Session, *, region_id: int, kind, pillar, title: str, description: str,
           starts_on: date | None, ends_on: date | None, postcode: str,
           host_company_id: int | None, theme_ids: Iterable[int],
           capacity: int | None) -> _Cleaned:
    try:
        kind = ActivityKind(kind)
    except ValueError:
        raise ActivityError(_("Choose the kind of activity."), field="kind") from None
    if pillar in (None, ""):
        pillar = SUGGESTED_PILLAR.get(kind)
        if pillar is None:
            raise ActivityError(_("Choose a pillar: this kind of activity has no usual one."),
                                field="pillar")
    try:
        pillar = Pillar(pillar)
    except ValueError:
        raise ActivityError(_("Choose a pillar."), field="pillar") from None

    title = (title or "").strip()
    if not title:
        raise ActivityError(_("Give the activity a title."), field="title")
    if len(title) > TITLE_MAX:
        raise ActivityError(_("Keep the title to %(n)s characters.", n=TITLE_MAX), field="title")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ActivityError(_("Keep the description to %(n)s characters.", n=DESCRIPTION_MAX),
                            field="description")

    if starts_on is None:
        raise ActivityError(_("Give the date of the activity."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise ActivityError(_("The end date cannot be before the start date."),
                            field="ends_on")
    if ends_on == starts_on:
        ends_on = None

    pc4 = clean_pc4(postcode or "")
    if pc4 is None:
        raise ActivityError(_("Enter the 4 digits of a Dutch postcode, e.g. 6901."),
                            field="postcode")
    known = postcodes().get(pc4)
    if known is None:
        raise ActivityError(_("%(pc)s is not a known Dutch postcode. Check the digits.", pc=pc4),
                            field="postcode")

    if host_company_id is not None:
        company = session.get(Company, host_company_id)
        if company is None:
            raise ActivityError(_("That host company does not exist."), field="host_company_id")
        if company.region_id != region_id:
            raise ActivityError(
                _("%(company)s is in another region. Choose a host company from the region "
                  "of the activity.", company=company.name), field="host_company_id")

    ids = tuple(dict.fromkeys(int(i) for i in theme_ids))
    if ids:
        found = set(session.exec(select(Theme.id).where(Theme.id.in_(ids))).all())
        if found != set(ids):
            raise ActivityError(_("Choose themes from the list."), field="themes")

    if capacity is not None and capacity < 1:
        raise ActivityError(_("The capacity must be at least 1, or empty for no limit."),
                            field="capacity")

    return _Cleaned(kind, pillar, title, description, starts_on, ends_on, pc4, known.place,
                    host_company_id, ids, capacity)


def _region_and_school(session: Session, user: User,
                       region_id: int | None) -> tuple[int, int | None]:
    """Where a new activity belongs: the organiser's school and region, or (admin) a choice."""
    if user.role is Role.counsellor:
        school = session.get(School, user.school_id) if user.school_id else None
        if school is None:
            raise ActivityError(_("Your account is not linked to a school yet. "
                                  "Ask the administrator."))
        return school.region_id, school.id
    if user.role is Role.coordinator:
        if user.region_id is None:
            raise ActivityError(_("Your account is not linked to a region yet. "
                                  "Ask the administrator."))
        return user.region_id, None
    if user.role is Role.admin:
        if region_id is None or session.get(Region, region_id) is None:
            raise ActivityError(_("Choose the region of the activity."), field="region_id")
        return region_id, None
    raise ActivityError(_("Only counsellors, coordinators and administrators organise "
                          "activities."))


def _set_themes(session: Session, activity_id: int, theme_ids: Sequence[int]) -> None:
    session.exec(sa.delete(ActivityTheme).where(ActivityTheme.activity_id == activity_id))
    for theme_id in theme_ids:
        session.add(ActivityTheme(activity_id=activity_id, theme_id=theme_id))


def _new_code(starts_on: date) -> str:
    return f"ACT-{starts_on.year}-{secrets.token_hex(4).upper()}"


def create_activity(*, session: Session, user: User, kind: ActivityKind | str,
                    title: str, starts_on: date | None, postcode: str,
                    pillar: Pillar | str | None = None, description: str = "",
                    ends_on: date | None = None, host_company_id: int | None = None,
                    theme_ids: Iterable[int] = (), capacity: int | None = None,
                    region_id: int | None = None) -> Activity:
    """A new activity in the organiser's region (``region_id`` only counts for an admin).

    ``pillar`` None takes the pillar suggested by the kind.
    """
    region_id, school_id = _region_and_school(session, user, region_id)
    clean = _clean(session, region_id=region_id, kind=kind, pillar=pillar, title=title,
                   description=description, starts_on=starts_on, ends_on=ends_on,
                   postcode=postcode, host_company_id=host_company_id, theme_ids=theme_ids,
                   capacity=capacity)
    activity = Activity(
        code=_new_code(clean.starts_on), kind=clean.kind, pillar=clean.pillar,
        title=clean.title, description=clean.description, starts_on=clean.starts_on,
        ends_on=clean.ends_on, school_year=school_year_of(clean.starts_on),
        postcode=clean.postcode, place=clean.place, region_id=region_id, school_id=school_id,
        host_company_id=clean.host_company_id, capacity=clean.capacity,
        created_by_id=user.id)
    session.add(activity)
    session.flush()
    _set_themes(session, activity.id, clean.theme_ids)
    session.commit()
    return activity


def moves_refused(*, session: Session, moves: Mapping[int, date],
                  today: date | None = None) -> dict[int, ActivityError]:
    """Why activities cannot start on the days asked (activity id: new first day), by id.

    One that anything says took place (attendance marked, or an observation recorded there)
    cannot move to a day after today. Editing asks for one activity, an import for many at
    once: only those moving ahead are looked up.
    """
    today = today or date.today()
    ahead = [activity_id for activity_id, day in moves.items() if day > today]
    if not ahead:
        return {}
    marked = session.exec(select(Participation.activity_id).where(
        Participation.activity_id.in_(ahead),
        Participation.attendance != Attendance.registered)).all()
    observed = session.exec(select(TalentObservation.activity_id).where(
        TalentObservation.activity_id.in_(ahead))).all()
    return {activity_id: ActivityError(
        _("Attendance or observations are recorded at this activity, so it has taken "
          "place: it cannot move to a day after today."), field="starts_on")
        for activity_id in {*marked, *observed}}


def update_activity(*, session: Session, activity: Activity, kind: ActivityKind | str,
                    title: str, starts_on: date | None, postcode: str,
                    pillar: Pillar | str | None = None, description: str = "",
                    ends_on: date | None = None, host_company_id: int | None = None,
                    theme_ids: Iterable[int] = (), capacity: int | None = None) -> Activity:
    """Change an activity; its region and school stay, its themes are replaced."""
    clean = _clean(session, region_id=activity.region_id, kind=kind, pillar=pillar,
                   title=title, description=description, starts_on=starts_on,
                   ends_on=ends_on, postcode=postcode, host_company_id=host_company_id,
                   theme_ids=theme_ids, capacity=capacity)
    refused = moves_refused(session=session, moves={activity.id: clean.starts_on})
    if activity.id in refused:
        raise refused[activity.id]
    if clean.capacity is not None:
        taken = participant_count(session=session, activity=activity)
        if taken > clean.capacity:
            raise ActivityError(
                ngettext("%(num)s student is already registered: the capacity cannot be "
                         "lower than that.",
                         "%(num)s students are already registered: the capacity cannot be "
                         "lower than that.", taken), field="capacity")
    activity.kind = clean.kind
    activity.pillar = clean.pillar
    activity.title = clean.title
    activity.description = clean.description
    activity.starts_on = clean.starts_on
    activity.ends_on = clean.ends_on
    activity.school_year = school_year_of(clean.starts_on)
    activity.postcode = clean.postcode
    activity.place = clean.place
    activity.host_company_id = clean.host_company_id
    activity.capacity = clean.capacity
    session.add(activity)
    _set_themes(session, activity.id, clean.theme_ids)
    session.commit()
    return activity


# --- participants -----------------------------------------------------------------------

@dataclass(frozen=True)
class RegistrationResult:
    added: int
    skipped: int

    @property
    def message(self) -> str:
        if not self.added:
            return ngettext("%(num)s student was already registered; nobody was added.",
                            "All %(num)s students were already registered; nobody was added.",
                            self.skipped)
        text = ngettext("%(num)s student registered.", "%(num)s students registered.",
                        self.added)
        if self.skipped:
            text += " " + ngettext("%(num)s was already registered and was skipped.",
                                   "%(num)s were already registered and were skipped.",
                                   self.skipped)
        return text


def participant_count(*, session: Session, activity: Activity) -> int:
    return session.exec(select(func.count()).select_from(Participation)
                        .where(Participation.activity_id == activity.id)).one()


def _lock(session: Session, activity: Activity) -> int | None:
    """Take the activity's write lock until commit; returns its current capacity.

    A no-op UPDATE locks the row on PostgreSQL and takes the write lock on SQLite, so two
    registrations for the same activity run one after the other and the second counts the
    first one's participants.
    """
    session.exec(sa.update(Activity).where(Activity.id == activity.id)
                 .values(capacity=Activity.capacity)
                 .execution_options(synchronize_session=False))
    return session.exec(select(Activity.capacity).where(Activity.id == activity.id)).one()


def register_students(*, session: Session, activity: Activity,
                      students: Iterable[StudentProfile],
                      by: User | None = None) -> RegistrationResult:
    """Register students for the activity; those already registered are skipped.

    A registration is not attendance: whether they came is marked once the activity has
    begun (:func:`app.services.attendance.set_attendance`).

    Never exceeds the capacity: if more new students are given than there are free places,
    nobody is registered.
    """
    students = list(students)
    ids = list(dict.fromkeys(s.id for s in students))
    if not ids:
        raise RegistrationError(_("Choose at least one student to register."), field="student")
    if any(s.anonymised_at is not None for s in students):
        raise RegistrationError(_("The personal data of one of these students was deleted; "
                                  "they cannot take part in new activities."),
                                field="student")
    capacity = _lock(session, activity)
    try:
        existing = set(session.exec(
            select(Participation.student_id).where(Participation.activity_id == activity.id,
                                                   Participation.student_id.in_(ids))).all())
        new = [i for i in ids if i not in existing]
        if capacity is not None and new:
            free = max(0, capacity - participant_count(session=session, activity=activity))
            if free == 0:
                raise RegistrationError(ngettext(
                    "The activity is full (%(num)s place). Nobody was registered; raise the "
                    "capacity to add more.",
                    "The activity is full (%(num)s places). Nobody was registered; raise the "
                    "capacity to add more.", capacity))
            if len(new) > free:
                raise RegistrationError(ngettext(
                    "Only %(num)s place is free, not enough for %(count)s students. Nobody "
                    "was registered: choose fewer students or raise the capacity.",
                    "Only %(num)s places are free, not enough for %(count)s students. Nobody "
                    "was registered: choose fewer students or raise the capacity.",
                    free, count=len(new)))
        for student_id in new:
            session.add(Participation(activity_id=activity.id, student_id=student_id,
                                      registered_by_id=by.id if by else None))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return RegistrationResult(added=len(new), skipped=len(ids) - len(new))


def class_students(*, session: Session, school: School, class_name: str) -> list[StudentProfile]:
    """The current students of one class (deleted accounts left out)."""
    return list(session.exec(
        select(StudentProfile).where(StudentProfile.school_id == school.id,
                                     StudentProfile.class_name == class_name,
                                     StudentProfile.anonymised_at.is_(None))
        .order_by(StudentProfile.last_name, StudentProfile.first_name, StudentProfile.id)
    ).all())


def register_class(*, session: Session, activity: Activity, school: School, class_name: str,
                   by: User | None = None) -> RegistrationResult:
    """Register every student of a class of ``school`` at once (capacity rules as above)."""
    class_name = (class_name or "").strip()
    if not class_name:
        raise RegistrationError(_("Choose a class."), field="class_ref")
    students = class_students(session=session, school=school, class_name=class_name)
    if not students:
        raise RegistrationError(_("Class %(cls)s of %(school)s has no students.",
                                  cls=class_name, school=school.name), field="class_ref")
    return register_students(session=session, activity=activity, students=students, by=by)


def unregister_student(*, session: Session, activity: Activity,
                       student: StudentProfile) -> None:
    """Remove a registration made by mistake; not once the student has been observed there."""
    participation = session.exec(select(Participation).where(
        Participation.activity_id == activity.id,
        Participation.student_id == student.id)).first()
    if participation is None:
        raise RegistrationError(_("%(name)s is not registered for this activity.",
                                  name=student.first_name))
    observed = session.exec(select(func.count()).select_from(TalentObservation).where(
        TalentObservation.activity_id == activity.id,
        TalentObservation.student_id == student.id)).one()
    if observed:
        raise RegistrationError(ngettext(
            "%(name)s cannot be unregistered: there is %(num)s observation of them at this "
            "activity.",
            "%(name)s cannot be unregistered: there are %(num)s observations of them at this "
            "activity.", observed, name=student.first_name))
    session.delete(participation)
    session.commit()


# --- observers --------------------------------------------------------------------------

@dataclass(frozen=True)
class ObserverAssignment:
    user: User
    created: bool


def _valid_email(email: str) -> bool:
    local, at, domain = email.partition("@")
    return bool(at and local and "." in domain and not domain.startswith(".")
                and not domain.endswith(".") and " " not in email)


def assign_observer(*, session: Session, activity: Activity, email: str,
                    display_name: str = "", password: str = "") -> ObserverAssignment:
    """Let someone record observations at this activity.

    An existing account (talent scout, company contact, or a counsellor of the region) is
    linked as it is; its password is never touched. For an unknown e-mail address a new
    ``observer`` account is made with ``display_name`` and the initial ``password`` that
    the organiser hands over.
    """
    email = normalise_email(email or "")
    if not _valid_email(email):
        raise ObserverError(_("Enter an e-mail address, e.g. name@company.nl."), field="email")
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        display_name = (display_name or "").strip()
        if not display_name:
            raise ObserverError(
                _("There is no account for %(email)s yet. Fill in a name and an initial "
                  "password to make a talent scout account.", email=email),
                field="display_name")
        if len(password or "") < MIN_PASSWORD_LENGTH:
            raise ObserverError(
                _("The initial password needs at least %(n)s characters.",
                  n=MIN_PASSWORD_LENGTH), field="password")
        try:
            user = create_user(session=session, email=email, role=Role.observer,
                               display_name=display_name[:120], password=password)
        except AccountError as error:  # pragma: no cover - checked above
            raise ObserverError(str(error), field="email") from error
        created = True
    else:
        if not user.is_active:
            raise ObserverError(_("The account of %(email)s is switched off.", email=email),
                                field="email")
        if user.role not in OBSERVER_ROLES:
            raise ObserverError(
                _("%(email)s cannot be an observer: only talent scouts, company contacts and "
                  "counsellors can be.", email=email), field="email")
        if user.role is Role.counsellor:
            school = session.get(School, user.school_id) if user.school_id else None
            if school is None or school.region_id != activity.region_id:
                raise ObserverError(
                    _("%(email)s is a counsellor in another region.", email=email),
                    field="email")
        if is_assigned(session=session, activity=activity, user=user):
            raise ObserverError(
                _("%(name)s is already an observer at this activity.", name=user.display_name),
                field="email")
        created = False
    session.add(ActivityObserver(activity_id=activity.id, user_id=user.id))
    session.commit()
    return ObserverAssignment(user, created)


def is_assigned(*, session: Session, activity: Activity, user: User) -> bool:
    return session.get(ActivityObserver, (activity.id, user.id)) is not None


def remove_observer(*, session: Session, activity: Activity, user: User) -> None:
    """End someone's observer role here; what they recorded stays."""
    link = session.get(ActivityObserver, (activity.id, user.id))
    if link is None:
        raise ObserverError(_("%(name)s is not an observer at this activity.",
                              name=user.display_name))
    session.delete(link)
    session.commit()


# --- what the pages show ----------------------------------------------------------------

@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    region: Region
    participants: int


@dataclass(frozen=True)
class ActivityPage:
    rows: list[ActivityRow]
    total: int
    page: int
    pages: int


def list_activities(*, session: Session, region_id: int | None, school_year: str | None = None,
                    kind: ActivityKind | None = None, page: int = 1,
                    page_size: int = PAGE_SIZE) -> ActivityPage:
    """Activities of a region (``None``: every region), newest first, one page."""
    conditions = []
    if region_id is not None:
        conditions.append(Activity.region_id == region_id)
    if school_year:
        conditions.append(Activity.school_year == school_year)
    if kind is not None:
        conditions.append(Activity.kind == kind)
    total = session.exec(select(func.count()).select_from(Activity).where(*conditions)).one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    count = (select(func.count()).select_from(Participation)
             .where(Participation.activity_id == Activity.id).scalar_subquery())
    rows = session.exec(
        select(Activity, Region, count).join(Region, Region.id == Activity.region_id)
        .where(*conditions)
        .order_by(Activity.starts_on.desc(), Activity.id.desc())
        .offset((page - 1) * page_size).limit(page_size)
    ).all()
    return ActivityPage([ActivityRow(a, r, n) for a, r, n in rows], total, page, pages)


def school_years(*, session: Session, region_id: int | None) -> list[str]:
    query = select(Activity.school_year).distinct()
    if region_id is not None:
        query = query.where(Activity.region_id == region_id)
    return sorted(session.exec(query).all(), reverse=True)


@dataclass(frozen=True)
class ParticipantRow:
    student: StudentProfile
    school: School
    participation: Participation
    marked_by: User | None = None  # who set the attendance, if anyone did


def participants(*, session: Session, activity: Activity) -> list[ParticipantRow]:
    rows = session.exec(
        select(Participation, StudentProfile, School, User)
        .join(StudentProfile, StudentProfile.id == Participation.student_id)
        .join(School, School.id == StudentProfile.school_id)
        .outerjoin(User, User.id == Participation.attendance_set_by_id)
        .where(Participation.activity_id == activity.id)
        .order_by(School.name, StudentProfile.class_name, StudentProfile.first_name,
                  StudentProfile.last_name, StudentProfile.id)
    ).all()
    return [ParticipantRow(s, school, p, by) for p, s, school, by in rows]


def observers(*, session: Session, activity: Activity) -> list[User]:
    return list(session.exec(
        select(User).join(ActivityObserver, ActivityObserver.user_id == User.id)
        .where(ActivityObserver.activity_id == activity.id).order_by(User.display_name)
    ).all())


def registrable_students(*, session: Session, activity: Activity, school_ids: Sequence[int],
                         query: str = "", limit: int = 200
                         ) -> tuple[list[tuple[StudentProfile, School]], bool]:
    """Students of these schools not yet registered, matching ``query`` (name or number).

    Returns at most ``limit`` of them, and whether there were more.
    """
    if not school_ids:
        return [], False
    registered = select(Participation.student_id).where(
        Participation.activity_id == activity.id)
    statement = (
        select(StudentProfile, School).join(School, School.id == StudentProfile.school_id)
        .where(StudentProfile.school_id.in_(school_ids),
               StudentProfile.anonymised_at.is_(None),
               StudentProfile.id.not_in(registered))
    )
    for word in (query or "").split()[:4]:
        pattern = f"%{word.lower()}%"
        statement = statement.where(or_(
            func.lower(StudentProfile.first_name).like(pattern),
            func.lower(StudentProfile.last_name).like(pattern),
            func.lower(StudentProfile.student_number).like(pattern),
            func.lower(StudentProfile.class_name) == word.lower(),
        ))
    rows = session.exec(
        statement.order_by(School.name, StudentProfile.class_name, StudentProfile.last_name,
                           StudentProfile.first_name, StudentProfile.id).limit(limit + 1)
    ).all()
    return [(s, school) for s, school in rows[:limit]], len(rows) > limit


@dataclass(frozen=True)
class ClassRow:
    school: School
    class_name: str
    students: int


def classes(*, session: Session, school_ids: Sequence[int]) -> list[ClassRow]:
    """The classes of these schools, with how many current students each has."""
    if not school_ids:
        return []
    rows = session.exec(
        select(School, StudentProfile.class_name, func.count())
        .join(StudentProfile, StudentProfile.school_id == School.id)
        .where(School.id.in_(school_ids), StudentProfile.class_name != "",
               StudentProfile.anonymised_at.is_(None))
        .group_by(School.id, StudentProfile.class_name)
        .order_by(School.name, School.id, StudentProfile.class_name)
    ).all()
    return [ClassRow(school, name, n) for school, name, n in rows]


def region_companies(*, session: Session, region_id: int | None) -> list[Company]:
    """Possible hosts: the companies of a region (``None``: all)."""
    query = select(Company)
    if region_id is not None:
        query = query.where(Company.region_id == region_id)
    return list(session.exec(query.order_by(Company.name, Company.id)).all())


def all_themes(*, session: Session) -> list[Theme]:
    return list(session.exec(select(Theme).order_by(Theme.label_nl)).all())


def theme_ids_of(*, session: Session, activity: Activity) -> list[int]:
    return list(session.exec(select(ActivityTheme.theme_id)
                             .where(ActivityTheme.activity_id == activity.id)).all())
