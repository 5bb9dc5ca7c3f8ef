"""The road from proposal to placement: its steps, who takes them, and every group of statuses.

Named once, here, beside the state machine they belong to: services, permissions and pages
import them from this module, so that a new status is placed in its groups in one place.
"""

from __future__ import annotations

from .enums import ActivityKind, ProposalStatus

# action -> (statuses it may start from, status it leads to)
STEPS: dict[str, tuple[frozenset[ProposalStatus], ProposalStatus]] = {
    "approve": (frozenset({ProposalStatus.proposed}), ProposalStatus.approved),
    "reject": (frozenset({ProposalStatus.proposed, ProposalStatus.approved}),
               ProposalStatus.rejected),
    "offer": (frozenset({ProposalStatus.approved}), ProposalStatus.offered),
    "student_accept": (frozenset({ProposalStatus.offered}), ProposalStatus.student_accepted),
    "student_decline": (frozenset({ProposalStatus.offered}), ProposalStatus.student_declined),
    "send_to_company": (frozenset({ProposalStatus.student_accepted}),
                        ProposalStatus.sent_to_company),
    "company_accept": (frozenset({ProposalStatus.sent_to_company}),
                       ProposalStatus.company_accepted),
    "company_decline": (frozenset({ProposalStatus.sent_to_company}),
                        ProposalStatus.company_declined),
    # Unanswered in time: by the company once sent to it, or by the student once offered.
    "lapse": (frozenset({ProposalStatus.offered, ProposalStatus.sent_to_company}),
              ProposalStatus.lapsed),
    "confirm_placed": (frozenset({ProposalStatus.company_accepted}), ProposalStatus.placed),
    "complete": (frozenset({ProposalStatus.placed}), ProposalStatus.completed),
}

# action -> who may take it: "counsellor" (of the student's school; admins too), "student"
# (the student themselves), "company" (a contact who acts for the placement's company),
# "system" (no person: a scheduled job or a step that follows another automatically).
ACTORS: dict[str, frozenset[str]] = {
    "approve": frozenset({"counsellor"}),
    "reject": frozenset({"counsellor"}),
    "offer": frozenset({"counsellor", "system"}),
    "student_accept": frozenset({"student"}),
    "student_decline": frozenset({"student"}),
    "send_to_company": frozenset({"counsellor", "system"}),
    "company_accept": frozenset({"company"}),
    "company_decline": frozenset({"company"}),
    "lapse": frozenset({"system"}),
    "confirm_placed": frozenset({"company", "counsellor"}),
    "complete": frozenset({"company", "counsellor"}),
}

# A proposal in one of these holds a place: waiting for the company, or accepted by it.
HOLDS_PLACE = (ProposalStatus.sent_to_company, ProposalStatus.company_accepted,
               ProposalStatus.placed, ProposalStatus.completed)

# Proposals that will take a place unless something goes wrong, without holding it yet.
IN_FLIGHT = (ProposalStatus.proposed, ProposalStatus.approved, ProposalStatus.offered,
             ProposalStatus.student_accepted)

# A student with a proposal in one of these is on their way: a new round leaves them alone.
UNDERWAY = (ProposalStatus.approved, ProposalStatus.offered, ProposalStatus.student_accepted,
            ProposalStatus.sent_to_company, ProposalStatus.company_accepted,
            ProposalStatus.placed)

# A pair that ended in one of these is not proposed again: a "no" is fed back to matching.
TURNED_DOWN = (ProposalStatus.rejected, ProposalStatus.student_declined,
               ProposalStatus.company_declined, ProposalStatus.lapsed)

# Still on its way or reached its goal: every status but the ones that ended without a
# placement. The monitor counts these as matches made.
NOT_TURNED_DOWN = tuple(status for status in ProposalStatus if status not in TURNED_DOWN)

# Reached approval: every status after it. A proposal rejected *after* approval is found in the
# decision log (action "approve").
APPROVED_OR_LATER = tuple(status for status in ProposalStatus
                          if status not in (ProposalStatus.proposed, ProposalStatus.rejected))

# The student started (or finished) at the placement.
PLACED = (ProposalStatus.placed, ProposalStatus.completed)

# The company said yes: the place is filled.
FILLED = (ProposalStatus.company_accepted, ProposalStatus.placed, ProposalStatus.completed)

# What a student sees of their proposals: from the moment their counsellor offered it.
STUDENT_VISIBLE = (ProposalStatus.offered, ProposalStatus.student_accepted,
                   ProposalStatus.student_declined, ProposalStatus.sent_to_company,
                   ProposalStatus.company_accepted, ProposalStatus.company_declined,
                   ProposalStatus.lapsed, ProposalStatus.placed, ProposalStatus.completed)

# What a company may see: from the moment it receives a candidate.
COMPANY_VISIBLE = (ProposalStatus.sent_to_company, ProposalStatus.company_accepted,
                   ProposalStatus.company_declined, ProposalStatus.lapsed,
                   ProposalStatus.placed, ProposalStatus.completed)

# The placement happened: both sides may give feedback.
FEEDBACK_OPEN = (ProposalStatus.placed, ProposalStatus.completed)

# Activities that let a student meet technology from close by (the talent list invites to
# these).
EXPOSURE_KINDS = (ActivityKind.girlsday, ActivityKind.tech_week, ActivityKind.pet_event,
                  ActivityKind.company_visit, ActivityKind.guest_lesson,
                  ActivityKind.technieklokaal)
