"""Invitations by e-mail for accounts without a password (imported students, counsellors,
company contacts), one at a time or for a whole class or school, and where each student of a
school stands: no account, invited, a code printed, a password set."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlmodel import Session, col, func, select

from ...models import AccessCode, AccountInvitation, Role, School, StudentProfile, User, utcnow
from ..accounts import has_mailbox, has_usable_password, login_name
from ..rows import id_of
from .links import invitation_token
from .mails import write_invitation
from .rules import INVITE_AGAIN_AFTER, AccessError, site_address

_CHUNK = 500  # ids per IN (...): well below every database's limit on parameters


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def last_invitations(session: Session, user_ids: Iterable[int]) -> dict[int, datetime]:
    """When each of these users was last sent an invitation."""
    found: dict[int, datetime] = {}
    for chunk in _chunks(sorted(set(user_ids))):
        found.update(session.exec(
            select(AccountInvitation.user_id, func.max(AccountInvitation.sent_at))
            .where(col(AccountInvitation.user_id).in_(chunk))
            .group_by(col(AccountInvitation.user_id))).all())
    return found


def open_codes(session: Session, user_ids: Iterable[int]) -> dict[int, datetime]:
    """When the code still open for each of these users was printed."""
    found: dict[int, datetime] = {}
    now = utcnow()
    for chunk in _chunks(sorted(set(user_ids))):
        found.update(session.exec(
            select(AccessCode.user_id, func.max(AccessCode.created_at))
            .where(col(AccessCode.user_id).in_(chunk), col(AccessCode.used_at).is_(None),
                   col(AccessCode.revoked_at).is_(None), col(AccessCode.expires_at) > now)
            .group_by(col(AccessCode.user_id))).all())
    return found


@dataclass
class InviteOutcome:
    """Who got an invitation, and who did not and why."""

    invited: list[User] = field(default_factory=list)
    has_password: list[User] = field(default_factory=list)
    # No e-mail address (a login name from a code sheet) or a switched-off account.
    no_mailbox: list[User] = field(default_factory=list)
    # Invited less than INVITE_AGAIN_AFTER ago.
    recently: list[User] = field(default_factory=list)


def invite(*, session: Session, users: Iterable[User], invited_by: User | None,
           now: datetime | None = None) -> InviteOutcome:
    """E-mail each user without a password a link to set one (valid 14 days, once).

    Accounts with a password, without a mailbox or invited within the last hour are left out
    and counted. One commit for all of them.
    """
    unique = list({id_of(user): user for user in users}.values())
    now = now or utcnow()
    sent = last_invitations(session, (id_of(user) for user in unique))
    outcome = InviteOutcome()
    for user in unique:
        if has_usable_password(user):
            outcome.has_password.append(user)
        elif not user.is_active or not has_mailbox(user):
            outcome.no_mailbox.append(user)
        elif (last := sent.get(id_of(user))) is not None and now - last < INVITE_AGAIN_AFTER:
            outcome.recently.append(user)
        else:
            outcome.invited.append(user)
    if not outcome.invited:
        return outcome
    site = site_address()
    if not site:
        raise AccessError(_("No invitation can be sent: Talentmatch does not know its own web "
                            "address, so the e-mail could not link to it. Ask the "
                            "administrator to set BASE_URL."), reason="unsent")
    for user in outcome.invited:
        send_invitation(session=session, user=user, invited_by=invited_by, now=now)
    session.commit()
    return outcome


def send_invitation(*, session: Session, user: User, invited_by: User | None,
                    token: str | None = None, now: datetime | None = None) -> bool:
    """Write one invitation e-mail (with ``token``, or a new one) and note it was sent.

    Not committed: it belongs to the change that invites. False, and nothing written, when
    Talentmatch does not know its own address (``BASE_URL``), so no link can be e-mailed.
    """
    site = site_address()
    if not site:
        return False
    write_invitation(session=session, user=user, token=token or invitation_token(user=user),
                     site=site, invited_by=invited_by)
    session.add(AccountInvitation(user_id=id_of(user),
                                  invited_by_id=invited_by.id if invited_by else None,
                                  sent_at=now or utcnow()))
    return True


# --- where the students of a school stand -------------------------------------------------

NO_ACCOUNT = "no_account"
CAN_LOG_IN = "can_log_in"
INVITABLE = "invitable"  # an e-mail address and no password: can be invited by e-mail
NEEDS_CODE = "needs_code"  # no e-mail address and no password: needs a printed code


@dataclass(frozen=True)
class StudentAccess:
    student: StudentProfile
    user: User | None
    invited_at: datetime | None = None
    code_printed_at: datetime | None = None

    @property
    def state(self) -> str:
        if self.user is None:
            return NO_ACCOUNT
        if has_usable_password(self.user):
            return CAN_LOG_IN
        if self.user.is_active and has_mailbox(self.user):
            return INVITABLE
        return NEEDS_CODE

    @property
    def login(self) -> str:
        return login_name(self.user) if self.user is not None else ""


def _students(session: Session, school: School,
              class_name: str | None) -> list[tuple[StudentProfile, User | None]]:
    query = (select(StudentProfile, User)
             .join(User, col(StudentProfile.user_id) == col(User.id), isouter=True)
             .where(StudentProfile.school_id == school.id,
                    col(StudentProfile.anonymised_at).is_(None),
                    col(StudentProfile.deletion_requested_at).is_(None)))
    if class_name is not None:
        query = query.where(StudentProfile.class_name == class_name)
    return list(session.exec(query.order_by(
        col(StudentProfile.class_name), col(StudentProfile.last_name),
        col(StudentProfile.first_name), col(StudentProfile.id))).all())


def students_access(*, session: Session, school: School,
                    class_name: str | None = None) -> list[StudentAccess]:
    """The students of a school (or of one class), each with where their account stands."""
    rows = _students(session, school, class_name)
    ids = [user.id for _student, user in rows if user is not None and user.id is not None]
    invited, printed = last_invitations(session, ids), open_codes(session, ids)
    return [StudentAccess(student, user,
                          invited.get(user.id) if user and user.id else None,
                          printed.get(user.id) if user and user.id else None)
            for student, user in rows]


def student_access(*, session: Session, student: StudentProfile) -> StudentAccess:
    user = session.get(User, student.user_id) if student.user_id is not None else None
    ids = [id_of(user)] if user is not None else []
    return StudentAccess(student, user,
                         last_invitations(session, ids).get(ids[0]) if ids else None,
                         open_codes(session, ids).get(ids[0]) if ids else None)


@dataclass
class ClassRow:
    name: str
    students: int = 0
    with_password: int = 0
    invitable: int = 0
    needs_code: int = 0
    last_invited: datetime | None = None


def class_rows(*, session: Session, school: School) -> list[ClassRow]:
    """Each class of the school with how many of its students can log in, can be invited by
    e-mail, or need a printed code."""
    classes: dict[str, ClassRow] = {}
    for row in students_access(session=session, school=school):
        line = classes.setdefault(row.student.class_name, ClassRow(row.student.class_name))
        line.students += 1
        state = row.state
        line.with_password += state == CAN_LOG_IN
        line.invitable += state == INVITABLE
        line.needs_code += state in (NO_ACCOUNT, NEEDS_CODE)
        if row.invited_at and (line.last_invited is None or row.invited_at > line.last_invited):
            line.last_invited = row.invited_at
    return sorted(classes.values(), key=lambda line: (line.name == "", line.name))


@dataclass(frozen=True)
class StaffAccess:
    user: User
    invited_at: datetime | None

    @property
    def can_log_in(self) -> bool:
        return has_usable_password(self.user)


def staff_of(*, session: Session, school: School) -> list[StaffAccess]:
    """The school's counsellors, each with when they were last invited."""
    users = list(session.exec(select(User).where(
        User.school_id == school.id, User.role == Role.counsellor, User.is_active)
        .order_by(col(User.display_name), col(User.id))).all())
    invited = last_invitations(session, (id_of(user) for user in users))
    return [StaffAccess(user, invited.get(id_of(user))) for user in users]


def invite_students(*, session: Session, school: School, class_name: str | None,
                    invited_by: User | None) -> InviteOutcome:
    """Invite the students of a class (or of the whole school with ``class_name`` None) who
    have an e-mail address and no password; for a whole school its counsellors too."""
    users = [row.user for row in students_access(session=session, school=school,
                                                 class_name=class_name)
             if row.user is not None]
    if class_name is None:
        users += [row.user for row in staff_of(session=session, school=school)]
    return invite(session=session, users=users, invited_by=invited_by)
