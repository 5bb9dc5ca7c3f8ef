"""The review queue's rows as the page shows them, formatted once per page.

A page of the queue has up to a hundred rows with nine numbers and several labels each;
formatting every number with Babel and translating every label in the template took most of
the page's time (3 s for 2,000 rows). Here the locale's decimal sign, the labels and the
score parts' names are looked up once, and each number is formatted with plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import get_decimal_symbol
from flask import url_for
from flask_babel import get_locale

from app.models import ProposalOrigin, ProposalStatus
from app.models.labels import label, why
from app.services.review import ReviewRow


@dataclass(frozen=True)
class Part:
    name: str
    value: float
    text: str


@dataclass(frozen=True)
class QueueRow:
    proposal_id: int
    waiting: bool          # still "proposed": it can be ticked
    group: tuple           # rows with the same group are shown under one heading
    group_title: str
    first_name: str
    student_name: str
    student_url: str
    class_name: str
    placement_title: str
    proposal_url: str
    company_name: str
    place: str
    distance: str | None   # whole kilometres, as the locale writes numbers
    why: str
    parts: tuple[Part, ...]
    note: str
    score: str
    status: str
    # The student chose it themselves ("Ik heb interesse"), not a matching round.
    own_choice: bool = False


class Numbers:
    """Numbers written as the locale writes them (decimal comma in Dutch), without Babel's
    per-call cost: the decimal sign is looked up once."""

    def __init__(self) -> None:
        locale = get_locale()
        self.sign = get_decimal_symbol(locale) if locale is not None else "."

    def fixed(self, value: float | None, places: int) -> str:
        text = f"{value or 0:.{places}f}"
        return text.replace(".", self.sign) if places else text


def queue_rows(rows: list[ReviewRow], *, components: tuple[str, ...], component_labels: dict,
               group_by_placement: bool) -> list[QueueRow]:
    numbers = Numbers()
    names = [(name, str(component_labels[name])) for name in components]
    labels: dict[object, str] = {}

    def cached_label(value) -> str:
        if value not in labels:
            labels[value] = label(value)
        return labels[value]

    shown = []
    for row in rows:
        proposal, student, placement, company = (row.proposal, row.student, row.placement,
                                                 row.company)
        full_name = f"{student.first_name} {student.last_name}"
        if group_by_placement:
            group, title = ("placement", placement.id), f"{placement.title} — {company.name}"
        else:
            group = ("student", student.id)
            title = f"{full_name} · {student.class_name} · {cached_label(student.level)}"
        shown.append(QueueRow(
            proposal_id=proposal.id or 0, waiting=proposal.status is ProposalStatus.proposed,
            group=group, group_title=title, first_name=student.first_name, student_name=full_name,
            student_url=url_for("students.detail", student_id=student.id),
            class_name=student.class_name, placement_title=placement.title,
            proposal_url=url_for("review.detail", proposal_id=proposal.id),
            company_name=company.name, place=placement.place,
            distance=None if proposal.distance_km is None else numbers.fixed(
                proposal.distance_km, 0),
            why=why(proposal),
            parts=tuple(Part(text, value, numbers.fixed(value, 2)) for name, text in names
                        for value in (float(proposal.components.get(name, 0) or 0),)),
            note=proposal.counsellor_note or "", score=numbers.fixed(proposal.score, 2),
            status=cached_label(proposal.status),
            own_choice=proposal.origin is ProposalOrigin.student))
    return shown
