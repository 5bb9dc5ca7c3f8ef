"""The enforcers every area uses: a role required, an object loaded or 404, who is asking."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user, login_required
from sqlmodel import col, select

from app.db import get_session
from app.models import (
    CompanyContact,
    Role,
    School,
    StudentProfile,
    User,
)

T = TypeVar("T")

# Built once per process: every company page and every student page asks these, and putting a
# statement together cost about as much CPU as running it (issue 20).
_COMPANY_IDS = select(CompanyContact.company_id).where(
    col(CompanyContact.user_id) == sa.bindparam("user_id"), col(CompanyContact.can_act))
_OWN_PROFILE = select(StudentProfile).where(
    col(StudentProfile.user_id) == sa.bindparam("user_id"))


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
        rows = get_session().exec(_COMPANY_IDS, params={"user_id": user.id}).all()
        cache[user.id] = frozenset(rows)
    return cache[user.id]


def own_student_profile(user: User) -> StudentProfile | None:
    if user.role is not Role.student:
        return None
    return get_session().exec(_OWN_PROFILE, params={"user_id": user.id}).first()


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


def load_or_404(model: type[T], object_id: int, allowed: Callable[[T], bool]) -> T:
    """The row, when it exists and ``allowed`` says this user may have it; else 404 (never
    403: what is not yours is not even there)."""
    obj = get_session().get(model, object_id)
    if obj is None or not allowed(obj):
        abort(404)
    return obj


def current_actor() -> User:
    """The logged-in user as the User row itself (not flask-login's proxy), for services."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def related(model: type[T], object_id: int | None) -> T:
    """The row that an object the user was already allowed to load points to (a proposal's
    placement, an observation's student): the check was made on that object; a dangling
    reference is a 404, not a crash."""
    obj = get_session().get(model, object_id) if object_id is not None else None
    if obj is None:
        abort(404)
    return obj
