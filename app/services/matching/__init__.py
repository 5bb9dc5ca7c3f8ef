"""Matching rounds in the application: who takes part, what is stored, what changes after.

A round takes a cohort (a school, a region or everyone), scores and allocates it with the
matching library, and stores one proposal per student at most, with its components and
explanation. Running a round replaces the cohort's proposals nobody has decided on yet; a
student whose match is already underway (approved, offered, accepted, placed) is left alone.

After a round, a changed profile, observation or placement re-scores only the pending
proposals it touches (:func:`refresh_student`, :func:`refresh_placement`): the scorer fitted
on the open placements is kept per process until a placement changes, so one student takes
milliseconds.

The parts: :mod:`.cohort` (who takes part, pairs never to propose), :mod:`.scorer` (the
fitted scorer and its weights), :mod:`.rounds` (running a round), :mod:`.refresh` (keeping
pending proposals fresh) and :mod:`.pins` (a counsellor's pins and excludes).
"""

from .cohort import MatchingError, Scope, cohort_ids, excluded_pairs
from .pins import pins_of_school, remove_pin, set_pin
from .refresh import (
    REFRESH_PLACEMENT_TASK,
    REFRESH_STUDENT_TASK,
    after_placement_change,
    after_student_change,
    refresh_placement,
    refresh_student,
)
from .rounds import proposal_row, run_matching
from .scorer import (
    CACHE_SECONDS,
    configured_weights,
    decisions,
    fitted_scorer,
    forget_fitted_scorers,
    occupation_lookup,
)

__all__ = [
    "CACHE_SECONDS", "REFRESH_PLACEMENT_TASK", "REFRESH_STUDENT_TASK", "MatchingError", "Scope",
    "after_placement_change",
    "after_student_change", "cohort_ids", "configured_weights", "decisions", "excluded_pairs",
    "fitted_scorer", "forget_fitted_scorers", "occupation_lookup", "pins_of_school",
    "proposal_row", "refresh_placement", "refresh_student", "remove_pin", "run_matching",
    "set_pin",
]
