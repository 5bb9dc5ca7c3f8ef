"""Human labels for the domain's enums, translated (English source, Dutch catalogue)."""

from __future__ import annotations

import enum

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from .enums import (
    ActivityKind,
    Attendance,
    ConsentGiver,
    Gender,
    Level,
    Pathway,
    Pillar,
    PinKind,
    PlacementKind,
    PlacementStatus,
    ProposalStatus,
    Role,
    SchoolKind,
)

_LABELS: tuple[tuple[enum.Enum, object], ...] = (
    (Role.student, _l("Student")),
    (Role.counsellor, _l("Counsellor")),
    (Role.company, _l("Company")),
    (Role.coordinator, _l("Coordinator")),
    (Role.admin, _l("Administrator")),
    (Role.observer, _l("Talent scout")),
    (SchoolKind.primary, _l("Primary school")),
    (SchoolKind.vmbo, _l("vmbo")),
    (SchoolKind.havo_vwo, _l("havo/vwo")),
    (SchoolKind.mbo, _l("mbo")),
    (SchoolKind.hbo, _l("hbo")),
    (Level.basis, _l("Primary school")),
    (Level.vmbo_bb, _l("vmbo basic (BB)")),
    (Level.vmbo_kb, _l("vmbo advanced (KB)")),
    (Level.vmbo_gl, _l("vmbo combined (GL)")),
    (Level.vmbo_tl, _l("vmbo theoretical (TL)")),
    (Level.havo, _l("havo")),
    (Level.vwo, _l("vwo")),
    (Level.mbo_1, _l("mbo level 1")),
    (Level.mbo_2, _l("mbo level 2")),
    (Level.mbo_3, _l("mbo level 3")),
    (Level.mbo_4, _l("mbo level 4")),
    (Level.hbo, _l("hbo")),
    (Pathway.bol, _l("BOL (school-based, with internships)")),
    (Pathway.bbl, _l("BBL (work-based apprenticeship)")),
    (ConsentGiver.parent, _l("Parent")),
    (ConsentGiver.guardian, _l("Guardian")),
    (ConsentGiver.school, _l("The school")),
    (Gender.girl, _l("Girl")),
    (Gender.boy, _l("Boy")),
    (Gender.other, _l("Other")),
    (Gender.not_given, _l("Not given")),
    (ActivityKind.tech_week, _l("Week of technology")),
    (ActivityKind.talent_scouting, _l("Talent scouting")),
    (ActivityKind.technieklokaal, _l("Technology classroom lesson")),
    (ActivityKind.girlsday, _l("Girlsday")),
    (ActivityKind.pet_event, _l("PET event")),
    (ActivityKind.company_visit, _l("Company visit")),
    (ActivityKind.guest_lesson, _l("Guest lesson")),
    (ActivityKind.fieldlab, _l("Fieldlab")),
    (ActivityKind.other, _l("Other activity")),
    (Attendance.registered, _l("Registered")),
    (Attendance.attended, _l("Attended")),
    (Attendance.absent, _l("Absent")),
    (Pillar.kiezen, _l("Choosing technology")),
    (Pillar.leren, _l("Learning technology")),
    (Pillar.werken, _l("Working in technology")),
    (Pillar.innoveren, _l("Innovating in technology")),
    (PlacementKind.snuffelstage, _l("Job shadowing")),
    (PlacementKind.bol_internship, _l("Internship (BOL)")),
    (PlacementKind.bbl_apprenticeship, _l("Apprenticeship (BBL)")),
    (PlacementKind.hbo_internship, _l("hbo internship")),
    (PlacementKind.graduation_project, _l("Graduation project")),
    (PlacementKind.fieldlab_project, _l("Fieldlab project")),
    (PlacementStatus.draft, _l("Draft")),
    (PlacementStatus.open, _l("Open")),
    (PlacementStatus.paused, _l("Paused")),
    (PlacementStatus.closed, _l("Closed")),
    (ProposalStatus.proposed, _l("Proposed")),
    (PinKind.pin, _l("Propose this placement (pin)")),
    (PinKind.exclude, _l("Never propose this placement (exclude)")),
    (ProposalStatus.approved, _l("Approved")),
    (ProposalStatus.rejected, _l("Rejected")),
    (ProposalStatus.offered, _l("Offered to student")),
    (ProposalStatus.student_accepted, _l("Accepted by student")),
    (ProposalStatus.student_declined, _l("Declined by student")),
    (ProposalStatus.sent_to_company, _l("Sent to company")),
    (ProposalStatus.company_accepted, _l("Accepted by company")),
    (ProposalStatus.company_declined, _l("Declined by company")),
    (ProposalStatus.lapsed, _l("Lapsed")),
    (ProposalStatus.placed, _l("Placed")),
    (ProposalStatus.completed, _l("Completed")),
)
# Pairs keyed by class and value: the enums are StrEnums, so Gender.other and
# ActivityKind.other are equal and hash alike, and a dict literal kept one label ("Other
# activity") for both.
LABELS: dict[tuple[type, str], object] = {(type(member), member.value): text
                                          for member, text in _LABELS}


def label(value: object) -> str:
    """The translated label of an enum member; other values as text."""
    if isinstance(value, enum.Enum) and (type(value), value.value) in LABELS:
        return str(LABELS[type(value), value.value])
    if isinstance(value, str):
        for enum_cls in (Level, PlacementKind):
            try:
                return str(LABELS[enum_cls, enum_cls(value).value])
            except (ValueError, KeyError):
                continue
    return "" if value is None else str(value)


def theme_label(theme) -> str:
    """A theme's label in the page's language."""
    locale = get_locale()
    return theme.label_en if locale is not None and locale.language == "en" else theme.label_nl


def why(proposal) -> str:
    """A proposal's plain reason in the page's language (stored in Dutch, with its parts)."""
    from matching.explain import render  # numpy and the word lists: only for a "why"

    # Rendered from the parts in Dutch too, so a sentence stored before a fix to the wording
    # ("je goed bent in werkt veilig") reads right without matching again.
    locale = get_locale()
    if proposal.explanation_parts:
        language = "en" if locale is not None and locale.language == "en" else "nl"
        return render(proposal.explanation_parts, language)
    return proposal.explanation
