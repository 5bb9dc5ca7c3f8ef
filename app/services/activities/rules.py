"""What every part of activities shares: the limits, the pillar each kind suggests, who can
observe, and the errors raised."""

from __future__ import annotations

from ...models import ActivityKind, Pillar, Role
from ..errors import ServiceError

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


def suggested_pillar(kind: ActivityKind | str) -> Pillar | None:
    try:
        return SUGGESTED_PILLAR.get(ActivityKind(kind))
    except ValueError:
        return None
