"""Group events: who organises and manages them."""

from __future__ import annotations

from flask import abort

from app.db import get_session
from app.models import (
    GroupEvent,
    Role,
    User,
)
from app.permissions.base import (
    current_actor,
    load_or_404,
)


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
    return load_or_404(GroupEvent, event_id,
                       lambda e: can_manage_group_event(current_actor(), e))


def get_event_item_or_404(event, model, item_id: int):
    """A group request or host offer of ``event`` (another event's answers 404)."""
    item = get_session().get(model, item_id)
    if item is None or item.event_id != event.id:
        abort(404)
    return item
