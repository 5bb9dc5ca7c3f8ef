"""Activities: organising them, registering who takes part, attendance, and observers.

Every function takes keyword arguments, validates, commits, and raises an
:class:`ActivityError` (a ``ValueError``) whose message says what to fix; ``field`` names
the form field the message belongs to, if any. Who may call what is decided by the views
with :mod:`app.permissions`.

The parts: :mod:`.rules` (limits, pillars, errors), :mod:`.organising` (create and edit),
:mod:`.registration` (who takes part), :mod:`.observers` (who records observations) and
:mod:`.pages` (what the pages read). Attendance is :mod:`app.services.attendance`.
"""

from .observers import ObserverAssignment, assign_observer, is_assigned, remove_observer
from .organising import create_activity, moves_refused, update_activity
from .pages import (
    ActivityPage,
    ActivityRow,
    ClassRow,
    ParticipantRow,
    classes,
    list_activities,
    observers,
    participants,
    region_companies,
    registrable_students,
    school_years,
    theme_ids_of,
)
from .registration import (
    RegistrationResult,
    class_students,
    participant_count,
    register_class,
    register_students,
    unregister_student,
)
from .rules import (
    DESCRIPTION_MAX,
    OBSERVER_ROLES,
    PAGE_SIZE,
    SUGGESTED_PILLAR,
    TITLE_MAX,
    ActivityError,
    ObserverError,
    RegistrationError,
    suggested_pillar,
)

__all__ = [
    "DESCRIPTION_MAX", "OBSERVER_ROLES", "PAGE_SIZE", "SUGGESTED_PILLAR", "TITLE_MAX",
    "ActivityError", "ActivityPage", "ActivityRow", "ClassRow", "ObserverAssignment",
    "ObserverError", "ParticipantRow", "RegistrationError", "RegistrationResult",
    "assign_observer", "class_students", "classes", "create_activity", "is_assigned",
    "list_activities", "moves_refused", "observers", "participant_count", "participants",
    "region_companies", "register_class", "register_students", "registrable_students",
    "remove_observer", "school_years", "suggested_pillar", "theme_ids_of", "unregister_student",
    "update_activity",
]
