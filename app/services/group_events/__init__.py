"""Group events: which school group goes to which host company on Girlsday, the Week van de
Techniek or a PET day.

The coordinator of a region creates an event, enters (or pastes from a spreadsheet) the school
groups and the hosts with their capacities, runs the assignment (:mod:`matching.groups`),
reviews it and publishes it; then each school's counsellors see where their groups go.

Every function takes keyword arguments, validates, commits, and raises a
:class:`GroupEventError` whose message says what to fix. Who may call what is decided by the
views with :mod:`app.permissions`. Changing the groups or hosts of an event throws its
assignment away (it would no longer fit them); a published event is reopened first.

The parts: :mod:`.rules` (limits, the error, shared checks), :mod:`.events` (create, assign,
publish), :mod:`.roster` (groups and hosts one at a time), :mod:`.pasted` (groups and hosts
from a spreadsheet) and :mod:`.pages` (what the pages read).
"""

from .events import create_event, delete_event, publish, reopen, run_assignment
from .pages import (
    Destination,
    EventDetail,
    EventRow,
    GroupRow,
    HostRow,
    event_detail,
    list_events,
    region_activities,
    region_companies,
    region_schools,
    school_events,
    summary_lines,
)
from .pasted import ImportResult, import_groups, import_hosts
from .roster import add_group, add_host, remove_group, remove_host
from .rules import (
    AGE_WORDS,
    DEFAULT_AGE_GROUP,
    EVENT_KINDS,
    MAX_CAPACITY,
    MAX_GROUP_SIZE,
    MAX_IMPORT_LINES,
    NAME_MAX,
    TIME_LIMIT,
    TITLE_MAX,
    GroupEventError,
    default_age_group,
)

__all__ = [
    "AGE_WORDS", "DEFAULT_AGE_GROUP", "EVENT_KINDS", "MAX_CAPACITY", "MAX_GROUP_SIZE",
    "MAX_IMPORT_LINES", "NAME_MAX", "TIME_LIMIT", "TITLE_MAX", "Destination", "EventDetail",
    "EventRow", "GroupEventError", "GroupRow", "HostRow", "ImportResult", "add_group",
    "add_host", "create_event", "default_age_group", "delete_event", "event_detail",
    "import_groups", "import_hosts", "list_events", "publish", "region_activities",
    "region_companies", "region_schools", "remove_group", "remove_host", "reopen",
    "run_assignment", "school_events", "summary_lines",
]
