"""Who imports, and so which rows they may write.

Row rules are those of ``app.permissions``, asked with the importing user; the operator on
the command line may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlmodel import Session

from ... import permissions
from ...models import Activity, Role, School, User
from ...permissions import can_import


@dataclass(frozen=True)
class ImportScope:
    """The operator on the command line (everything), or a user of the web app."""

    role: Role
    user_id: int | None = None  # recorded as creator, registrar or editor; None: the operator
    school_id: int | None = None
    school_code: str | None = None
    region_id: int | None = None
    user: User | None = field(default=None, compare=False, repr=False)

    @classmethod
    def operator(cls) -> ImportScope:
        """The command line: whoever runs it administers the installation."""
        return cls(role=Role.admin)

    @classmethod
    def for_user(cls, *, session: Session, user: User) -> ImportScope:
        school = session.get(School, user.school_id) if user.school_id is not None else None
        # As permissions.user_region_id: the user's own region, else their school's.
        region_id = user.region_id if user.region_id is not None else (
            school.region_id if school is not None else None)
        return cls(role=user.role, user_id=user.id, school_id=school.id if school else None,
                   school_code=school.code if school else None, region_id=region_id, user=user)

    @property
    def full(self) -> bool:
        return self.role is Role.admin

    def refusal(self, kind: str) -> str | None:
        """Why this importer may not import ``kind`` at all; None when they may."""
        if self.user is not None and not can_import(self.user, kind):
            return _("Your account may not import this kind of file.")
        if self.full:
            return None
        if self.role is Role.counsellor and self.school_id is None:
            return _("Your account is not linked to a school yet. Ask the administrator.")
        if self.region_id is None:
            return _("Your account is not linked to a region yet. Ask the administrator.")
        return None

    # --- row rules: app.permissions decides; the operator may do everything ------------

    def _allows(self, rule, *args) -> bool:
        return self.full or (self.user is not None and rule(self.user, *args))

    def may_import_student_at(self, school: School) -> bool:
        return self._allows(permissions.can_manage_students_of, school)

    def sees_activity(self, activity: Activity) -> bool:
        return self._allows(permissions.can_view_activity, activity)

    def may_manage_activity(self, activity: Activity) -> bool:
        return self._allows(permissions.can_manage_activity, activity)

    def may_place_activity_at(self, school: School | None) -> bool:
        return self._allows(permissions.can_organise_at, school)

    def sees_student_of(self, school: School) -> bool:
        return self._allows(permissions.can_follow_school, school)

    def may_register(self, activity: Activity, school: School) -> bool:
        return self._allows(permissions.can_register_from_school, activity, school)

    def may_manage_company_in(self, region_id: int) -> bool:
        """Add or change a company of this region, or its placements.

        Coordinators in their own region, as ``can_import`` allows them companies and
        placements; ``app.permissions`` has no rule for it yet, so it is stated here.
        """
        return self.full or (self.role is Role.coordinator and self.region_id == region_id)

    def may_observe(self, activity: Activity, school: School) -> bool:
        """Record an observation at ``activity`` for a student of ``school``."""
        return self._allows(permissions.can_observe, activity) and self.sees_student_of(school)
