"""Whose region and whose school a page is about: the user's own, or the one an admin chose.

Pages scoped to one school or one region ask here instead of loading rows themselves, so that
"your own, or 404" is decided in one place.
"""

from __future__ import annotations

from flask import abort

from app.db import get_session
from app.models import Region, Role, School, User
from app.permissions.base import load_or_404


def own_school(user: User) -> School | None:
    """The school a counsellor or student belongs to (None for other roles or none set)."""
    return get_session().get(School, user.school_id) if user.school_id else None


def own_region(user: User) -> Region | None:
    """The region a coordinator (or another regional user) works in."""
    return get_session().get(Region, user.region_id) if user.region_id else None


def own_school_or_404(user: User) -> School:
    school = own_school(user)
    if school is None:
        abort(404)
    return school


def own_region_or_404(user: User) -> Region:
    region = own_region(user)
    if region is None:
        abort(404)
    return region


def school_in_scope_or_404(user: User, school_id: int | None, allowed) -> School | None:
    """A counsellor's own school, whatever was asked; for others the school asked for (None:
    none asked yet), 404 when it does not exist or ``allowed(user, school)`` says no."""
    if user.role is Role.counsellor:
        return own_school_or_404(user)
    if not school_id:
        return None
    return load_or_404(School, school_id, lambda school: allowed(user, school))


def school_of(school_id: int) -> School | None:
    """The school of an object the user already may see (a student's, an observation's)."""
    return get_session().get(School, school_id)
